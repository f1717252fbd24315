"""Energy carriers exchanged between components.

Energy inside the engine is always MWh per hour (so an hourly energy in MWh
equals the hour's mean power in MW). Gas and hydrogen are counted on a lower
heating value basis; their volumes and masses are derived at the adapters.
"""

from __future__ import annotations

from enum import Enum


class Carrier(str, Enum):
    """A carrier with its own hourly balance."""

    ELECTRICITY = "electricity"
    HEAT = "heat"
    COOLING = "cooling"
    GAS = "gas"
    HYDROGEN = "hydrogen"

    def __str__(self) -> str:  # "electricity", not "Carrier.ELECTRICITY"
        return self.value


#: Order in which the dispatch settles carriers: products of conversions
#: first, so that the inputs their converters draw are known before the
#: carriers those inputs are made of are balanced.
DISPATCH_ORDER: tuple[Carrier, ...] = (
    Carrier.COOLING,
    Carrier.HEAT,
    Carrier.HYDROGEN,
    Carrier.ELECTRICITY,
    Carrier.GAS,
)
