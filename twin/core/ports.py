"""Ports: where a component meets a carrier's balance.

A port names the carrier, the direction of flow seen from the park's bus
(``"out"`` supplies the bus, ``"in"`` draws from it, ``"both"`` for storage
and exchanges) and an optional capacity. Each port is one signed ledger
column ``<component>.<carrier>_mwh``: supply positive, draw negative.
"""

from __future__ import annotations

from dataclasses import dataclass

from twin.core.carriers import Carrier

DIRECTIONS = ("in", "out", "both")


@dataclass(frozen=True)
class Port:
    """One carrier connection of a component.

    Parameters
    ----------
    carrier : Carrier
    direction : {"in", "out", "both"}
    capacity_mw : float or None
        Largest hourly mean flow through the port [MW]; None if unbounded.
    """

    carrier: Carrier
    direction: str
    capacity_mw: float | None = None

    def __post_init__(self):
        if self.direction not in DIRECTIONS:
            raise ValueError(f"port direction must be one of {DIRECTIONS}, got {self.direction!r}")

    def column(self, component: str) -> str:
        """Ledger column of this port for ``component``."""
        return f"{component}.{self.carrier.value}_mwh"
