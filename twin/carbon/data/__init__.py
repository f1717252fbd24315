"""Factor tables of the carbon accounting (CSV, each row with its source and status)."""
