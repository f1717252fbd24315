"""Recovery of an industrial line's waste streams other than heat-network heat.

Each unit names the line it takes from (``stream_of``, as the heat
network's ``waste_heat_recovery`` does) and turns that line's recoverable
stream, hour by hour, into a carrier of the park:

=========================  ==========  ====================================
type                       stream      delivers
=========================  ==========  ====================================
``waste_heat_power``       heat        electricity (steam cycle or ORC)
``waste_pressure_recovery`` pressure   electricity (expander, TRT)
``waste_cold_recovery``    cold        cooling
``waste_gas_recovery``     gas         gas (off-gas burnt as fuel)
=========================  ==========  ====================================

They are must-take sources (curtailed when the park cannot use them). What
was delivered, divided by the efficiency, is what the line's stream gave:
the line books it as ``waste_<kind>_used_mwh`` after each hour's dispatch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Optional

from twin.core.carriers import Carrier
from twin.core.component import Source
from twin.core.errors import ConfigError
from twin.core.params import param
from twin.core.registry import register


class _StreamRecovery(Source):
    """A must-take source fed by another component's waste stream."""

    stream_kind: ClassVar[str]
    base_tags: ClassVar[tuple[str, ...]] = ("recovered",)

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        self.efficiency = params.efficiency
        self._line = None
        self._stream = None
        self.tags = self.base_tags + (("clean",) if getattr(params, "carbon_free", False) else ())

    def connect(self, components) -> None:
        key = f"park.components.{self.name}.stream_of"
        line = next((c for c in components if c.name == self.params.stream_of), None)
        if line is None:
            raise ConfigError([(key, f"unknown component {self.params.stream_of!r}")])
        stream = getattr(line, f"waste_{self.stream_kind}_mwh", None)
        if stream is None:
            raise ConfigError([(key, f"component {line.name!r} has no waste {self.stream_kind} stream")])
        self._line, self._stream = line, stream

    #: Closes its hour after the others: it reads the hour its stream's owner closed.
    end_hour_stage = 1

    def end_hour(self, h: int) -> None:
        """Offer hour ``h``'s stream, after its owner has posted it."""
        flush = getattr(self._line, "flush", None)
        if flush is not None:
            flush(h + 1)
        offered = self.efficiency * self._stream.item(h)
        cap = self.params.capacity_mw
        self.available_mwh[h] = offered if offered < cap else cap   # min(capacity, offered)

    def stream_used_mwh(self, h: int) -> float:
        """Stream energy used in hour ``h``: delivered / efficiency [MWh]."""
        return self.flows[self.carrier].item(h) / self.efficiency if self.efficiency > 0 else 0.0

    def describe(self):
        return {**super().describe(), "stream_of": self.params.stream_of, "stream_kind": self.stream_kind,
                "efficiency": self.efficiency, "capacity_mw": self.params.capacity_mw}


@register("waste_heat_power")
class WasteHeatPower(_StreamRecovery):
    """Waste-heat power generation (steam Rankine or ORC), e.g. a cement
    kiln's exhaust and cooler air; efficiency = electricity / heat used
    (0.20-0.25 for Chinese cement WHR plants, unconfirmed)."""

    carrier = Carrier.ELECTRICITY
    stream_kind = "heat"
    base_tags = ("recovered", "waste_heat")

    @dataclass
    class Params:
        stream_of: str = param(doc="the industrial line whose waste heat is used")
        capacity_mw: float = param(gt=0, unit="MW", doc="net electric capacity")
        efficiency: float = param(0.22, gt=0, le=0.4, doc="net electricity / waste heat used")
        bus: Optional[str] = param(None, doc="electric bus")


@register("waste_pressure_recovery")
class WastePressureRecovery(_StreamRecovery):
    """Expander or top-pressure recovery turbine (TRT) on a let-down stream;
    the stream is the expansion work available [MWh], efficiency the
    turbine-generator's (about 0.75-0.85, unconfirmed)."""

    carrier = Carrier.ELECTRICITY
    stream_kind = "pressure"
    base_tags = ("recovered", "waste_pressure")

    @dataclass
    class Params:
        stream_of: str = param(doc="the industrial line whose pressure is let down")
        capacity_mw: float = param(gt=0, unit="MW", doc="electric capacity")
        efficiency: float = param(0.78, gt=0, le=1, doc="electricity / expansion work available")
        bus: Optional[str] = param(None, doc="electric bus")


@register("waste_cold_recovery")
class WasteColdRecovery(_StreamRecovery):
    """Cold recovered from a process (LNG or liquid-gas evaporation) into
    the park's cooling."""

    carrier = Carrier.COOLING
    stream_kind = "cold"
    base_tags = ("recovered", "waste_cold")

    @dataclass
    class Params:
        stream_of: str = param(doc="the industrial line whose cold is used")
        capacity_mw: float = param(gt=0, unit="MW", doc="cooling capacity")
        efficiency: float = param(0.9, gt=0, le=1, doc="cooling delivered / cold available")


@register("waste_gas_recovery")
class WasteGasRecovery(_StreamRecovery):
    """Off-gas (purge gas, tail gas) burnt as fuel instead of flared: it
    enters the park's gas balance. ``carbon_free: true`` for hydrogen-rich
    gas (no CO2 when burnt); otherwise its combustion counts like the park's
    natural gas."""

    carrier = Carrier.GAS
    stream_kind = "gas"
    base_tags = ("recovered", "waste_gas")

    @dataclass
    class Params:
        stream_of: str = param(doc="the industrial line whose off-gas is used")
        capacity_mw: float = param(gt=0, unit="MW", doc="largest gas delivery (LHV)")
        efficiency: float = param(1.0, gt=0, le=1, doc="gas delivered / off-gas recoverable (LHV)")
        carbon_free: bool = param(True, doc="hydrogen-rich gas: no CO2 when burnt")
        gas_junction: Optional[str] = param(None, doc="gas-network junction")
