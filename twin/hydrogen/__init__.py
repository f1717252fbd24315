"""Hydrogen: electrolysers, storage, fuel cells, refuelling, blending (and,
with ``run.networks=true``, the pandapipes hydrogen network)."""

from twin.hydrogen import components  # noqa: F401  (registers the component types)
