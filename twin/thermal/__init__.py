"""Heat, cooling and gas: heat pumps, boilers, heat loads, the gas supply
(and, with ``run.networks=true``, the pandapipes networks in ``network.py``)."""

from twin.thermal import components  # noqa: F401  (registers the component types)
