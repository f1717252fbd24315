"""Heat and gas components of a park, built from config: heat loads,
boilers, heat pumps and the city-gate gas supply. Further heat sources are in
``sources.py``, storage in ``storage.py``, cooling in ``cooling.py`` and gas
users and injections in ``gas.py``.

Placement keys: ``bus`` is the electric bus (for components with an
electricity port), ``heat_junction`` a junction of ``park.networks.heat``
(null: the plant, where the circulation pump is) and ``gas_junction`` a
junction of ``park.networks.gas``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np
import pandas as pd

from twin.core.carriers import Carrier
from twin.core.component import Converter, Demand, Exchange
from twin.core.params import param
from twin.core.registry import register
from twin.thermal import models


@register("heat_load")
class HeatLoad(Demand):
    """Space heating in the heating season plus a year-round base (hot water, low-temperature process heat).

    The space-heating part follows the daily mean outdoor temperature
    (degree-hour method) between the heating-season dates; the base follows
    a constant power.
    """

    tags = ("load",)

    @dataclass
    class Params:
        design_mw: float = param(unit="MW", ge=0, doc="space-heating load at the design outdoor temperature")
        t_design_c: float = param(-7.0, unit="degC", doc="design outdoor temperature (GB 50736)")
        t_indoor_c: float = param(18.0, unit="degC", doc="indoor set point")
        season_start: str = param("11-15", doc="first day of the heating season, MM-DD")
        season_end: str = param("03-15", doc="last day of the heating season, MM-DD")
        base_mw: float = param(0.0, unit="MW", ge=0, doc="year-round heat (hot water, process)")
        heat_junction: Optional[str] = param(None, doc="junction of park.networks.heat it draws from")

        def problems(self):
            out = []
            for key in ("season_start", "season_end"):
                try:
                    pd.Timestamp(f"2001-{getattr(self, key)}")
                except ValueError:
                    out.append((key, f"must be a date MM-DD like '11-15' (got {getattr(self, key)!r})"))
            if self.t_design_c >= self.t_indoor_c:
                out.append(("t_design_c", f"must be below t_indoor_c ({self.t_indoor_c} degC)"))
            return out

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        idx = ctx.clock.index
        t_daily = models.daily_mean(ctx.weather["temp_air"].to_numpy(), ctx.clock.day_index)
        mmdd = idx.month * 100 + idx.day
        start = int(params.season_start.replace("-", ""))
        end = int(params.season_end.replace("-", ""))
        in_season = (mmdd >= start) | (mmdd <= end) if start > end else (mmdd >= start) & (mmdd <= end)
        space = params.design_mw * models.space_heating_fraction(t_daily, params.t_indoor_c, params.t_design_c)
        self.demand_mwh[Carrier.HEAT] = np.where(in_season, space, 0.0) + params.base_mw


class _HeatConverter(Converter):
    """A converter whose primary output is heat, sized by ``capacity_mw``."""

    output = Carrier.HEAT

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        self.capacity_mw = params.capacity_mw
        self.priority = params.priority
        self.max_output_mwh = np.full(self.hours, params.capacity_mw)

    def describe(self):
        return {**super().describe(), "capacity_mw": self.capacity_mw}


@register("gas_boiler")
class GasBoiler(_HeatConverter):
    """Natural-gas boiler; efficiency on the lower heating value."""

    tags = ("fossil_fuel",)

    @dataclass
    class Params:
        capacity_mw: float = param(unit="MW", ge=0, doc="heat output")
        efficiency: float = param(0.92, gt=0, le=1.1, doc="heat out / gas in (LHV)")
        priority: int = param(70, doc="merit order (lower first)")
        heat_junction: Optional[str] = param(None, doc="heat-network junction (null: the plant)")
        gas_junction: Optional[str] = param(None, doc="junction of park.networks.gas it burns from")

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        self.inputs[Carrier.GAS] = np.full(self.hours, 1.0 / params.efficiency)


@register("electric_boiler")
class ElectricBoiler(_HeatConverter):
    """Resistive or electrode boiler; optionally only on renewable surplus (power-to-heat)."""

    tags = ("electric_heat", "clean_heat")

    @dataclass
    class Params:
        capacity_mw: float = param(unit="MW", ge=0, doc="heat output")
        efficiency: float = param(0.99, gt=0, le=1, doc="heat out / electricity in")
        surplus_only: bool = param(True, doc="run only on on-site renewable surplus")
        priority: int = param(20, doc="merit order (lower first)")
        bus: Optional[str] = param(None, doc="electric bus")
        heat_junction: Optional[str] = param(None, doc="heat-network junction (null: the plant)")

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        self.inputs[Carrier.ELECTRICITY] = np.full(self.hours, 1.0 / params.efficiency)
        self.surplus_only = Carrier.ELECTRICITY if params.surplus_only else None
        # On surplus, also charge heat storage (when the park has some).
        self.fill_storage = params.surplus_only


@register("heat_pump")
class HeatPump(_HeatConverter):
    """Electric heat pump; COP from the source and supply temperatures each hour."""

    tags = ("electric_heat", "heat_pump", "clean_heat")

    @dataclass
    class Params:
        capacity_mw: float = param(unit="MW", ge=0, doc="heat output")
        source: str = param("air", choices=("air", "ground", "waste_heat"), doc="heat source")
        t_source_c: Optional[float] = param(None, unit="degC", doc="fixed source temperature (ground, waste heat)")
        t_supply_c: float = param(70.0, unit="degC", doc="supply temperature")
        carnot_efficiency: float = param(0.45, gt=0, le=1, doc="fraction of the Carnot COP")
        t_air_min_c: float = param(-20.0, unit="degC", doc="an air-source unit stops below this")
        priority: int = param(10, doc="merit order (lower first)")
        bus: Optional[str] = param(None, doc="electric bus")
        heat_junction: Optional[str] = param(None, doc="heat-network junction (null: the plant)")

        def problems(self):
            if self.source != "air" and self.t_source_c is None:
                return [("t_source_c", f"missing; a {self.source}-source heat pump needs its source temperature in degC")]
            return []

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        t_air = ctx.weather["temp_air"].to_numpy()
        t_source = t_air if params.source == "air" else np.full(self.hours, params.t_source_c)
        self.cop = models.heat_pump_cop(t_source + models.T_ZERO_C_K, params.t_supply_c + models.T_ZERO_C_K,
                                        params.carnot_efficiency)
        self.inputs[Carrier.ELECTRICITY] = 1.0 / self.cop
        if params.source == "air":
            self.max_output_mwh[t_air < params.t_air_min_c] = 0.0


@register("gas_supply")
class GasSupply(Exchange):
    """The city-gate natural-gas supply (LHV energy)."""

    carrier = Carrier.GAS
    tags = ("fossil_supply",)

    @dataclass
    class Params:
        import_limit_mw: float = param(unit="MW", ge=0, doc="largest hourly gas draw (LHV)")
        priority: int = param(90, doc="merit order (lower first)")
        gas_junction: Optional[str] = param(None, doc="city-gate junction of park.networks.gas")

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        self.import_limit_mw = params.import_limit_mw
        self.export_limit_mw = 0.0
        self.priority = params.priority
        self.import_price = ctx.prices["gas_cny_per_mwh"]
        self.export_price = np.zeros(self.hours)
