"""Heat, cooling and gas: heat loads and sources, thermal storage, chillers,
gas users (and, with ``run.networks=true``, the pandapipes district-heating
and gas networks in ``network.py``)."""

# Importing the modules registers their component types.
from twin.thermal import components, cooling, gas, sources, storage  # noqa: F401
