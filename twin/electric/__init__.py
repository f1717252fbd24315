"""Electricity: PV, wind, batteries, the grid connection, loads (and, with
``run.networks=true``, the pandapower network in ``network.py``)."""

from twin.electric import components  # noqa: F401  (registers the component types)
