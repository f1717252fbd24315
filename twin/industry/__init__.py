"""Industrial processes as SimPy agents, built from archetypes (data/archetypes.yaml)."""

from __future__ import annotations

from twin.industry import components  # noqa: F401  (registers the component types)


def check_industry(valid) -> list[tuple[str, str]]:
    """A line told to draw hydrogen from the park needs a hydrogen supply in the park."""
    from twin.core.carriers import Carrier

    def supplies_h2(cls) -> bool:
        return Carrier.HYDROGEN in (getattr(cls, "carrier", None), getattr(cls, "output", None))

    has_supply = any(supplies_h2(s.cls) for s in valid.components)
    problems = []
    for s in valid.components:
        if s.cls is components.IndustrialProcess and s.params.hydrogen_supply == "park" and not has_supply:
            problems.append((f"park.components.{s.name}.hydrogen_supply",
                             "is 'park' but no component supplies hydrogen (electrolyser, tank or hydrogen_supply); "
                             "use 'bought' to report grey hydrogen bought, or add a supply"))
    return problems
