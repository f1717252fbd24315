"""Electricity: PV, wind, batteries, the grid connection, loads, green-power
direct lines, EV charging hubs (and, with ``run.networks=true``, the
pandapower network in ``network.py``)."""

from twin.electric import components, ev  # noqa: F401  (registers the component types)
