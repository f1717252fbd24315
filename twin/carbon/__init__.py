"""Carbon accounting and the zero-carbon park indicators."""

from twin.carbon.accounting import CarbonAccount, account, check_accounting

__all__ = ["CarbonAccount", "account", "check_accounting"]
