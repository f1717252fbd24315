"""Gas users and injections: industrial burners and biomethane."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from twin.core.carriers import Carrier
from twin.core.component import Demand, Source
from twin.core.params import param
from twin.core.profiles import calendar_profile, shape_names
from twin.core.registry import register


@register("gas_burner")
class GasBurner(Demand):
    """Industrial gas burners (kilns, dryers, process furnaces): a calendar-shaped gas demand (LHV)."""

    tags = ("load", "industry")

    @dataclass
    class Params:
        peak_mw: float = param(unit="MW", ge=0, doc="largest gas draw (LHV)")
        profile: str = param("flat", doc="calendar shape name (twin/core/data/load_shapes.csv)")
        working_days: str = param("all", choices=("mon-fri", "mon-sat", "all"), doc="days the shape treats as working days")
        gas_junction: Optional[str] = param(None, doc="gas-network junction")

        def problems(self):
            if self.profile not in shape_names():
                return [("profile", f"unknown shape {self.profile!r}; expected one of {shape_names()}")]
            return []

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        self.demand_mwh[Carrier.GAS] = params.peak_mw * calendar_profile(ctx.clock, params.profile, params.working_days)


@register("biomethane")
class BiomethaneInjection(Source):
    """Upgraded biogas injected into the park's gas network (must-take, LHV)."""

    carrier = Carrier.GAS
    tags = ("renewable", "biomethane", "biogenic", "onsite")

    @dataclass
    class Params:
        capacity_mw: float = param(unit="MW", ge=0, doc="injection rate at full output (LHV)")
        availability: float = param(0.9, gt=0, le=1, doc="mean share of the hours at full output")
        gas_junction: Optional[str] = param(None, doc="gas-network junction of the injection point")

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        self.available_mwh[:] = params.capacity_mw * params.availability

    def describe(self):
        return {**super().describe(), "capacity_mw": self.params.capacity_mw}
