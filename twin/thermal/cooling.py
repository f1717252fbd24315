"""Cooling: chilled-water demand, electric chillers and absorption chillers.

Cooling is its own carrier, settled first in the merit order, so the
electricity and heat that chillers draw are known before those carriers are
balanced: an absorption chiller turns waste heat (or any heat) into cold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np

from twin.core.carriers import Carrier
from twin.core.component import Converter, Demand
from twin.core.params import param
from twin.core.registry import register
from twin.thermal import models


@register("cooling_load")
class CoolingLoad(Demand):
    """Chilled-water demand: a year-round process base plus space cooling.

    The space-cooling part rises linearly from zero at the balance
    temperature to ``design_mw`` at the design outdoor temperature (hourly
    air temperature, capped at 1.2 x design).
    """

    tags = ("load",)

    @dataclass
    class Params:
        design_mw: float = param(0.0, unit="MW", ge=0, doc="space cooling at the design outdoor temperature")
        t_design_c: float = param(33.9, unit="degC", doc="summer design dry-bulb temperature (Tianjin, GB 50736)")
        t_balance_c: float = param(22.0, unit="degC", doc="outdoor temperature below which no space cooling is needed")
        base_mw: float = param(0.0, unit="MW", ge=0, doc="year-round process cooling (clean rooms, servers)")

        def problems(self):
            if self.t_balance_c >= self.t_design_c:
                return [("t_balance_c", f"must be below t_design_c ({self.t_design_c} degC)")]
            return []

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        p = params
        t_air = ctx.weather["temp_air"].to_numpy()
        frac = np.clip((t_air - p.t_balance_c) / (p.t_design_c - p.t_balance_c), 0.0, 1.2)
        self.demand_mwh[Carrier.COOLING] = p.base_mw + p.design_mw * frac


@register("electric_chiller")
class ElectricChiller(Converter):
    """Vapour-compression chiller; COP from the chilled-water and heat-rejection temperatures."""

    output = Carrier.COOLING
    tags = ("chiller",)

    @dataclass
    class Params:
        capacity_mw: float = param(unit="MW", ge=0, doc="cooling output")
        t_chilled_c: float = param(7.0, unit="degC", doc="chilled-water supply temperature")
        approach_k: float = param(8.0, unit="K", ge=0, doc="condensing temperature above outdoor air")
        carnot_efficiency: float = param(0.5, gt=0, le=1, doc="fraction of the Carnot cooling COP")
        priority: int = param(40, doc="merit order (lower first)")
        bus: Optional[str] = param(None, doc="electric bus")

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        p = params
        self.capacity_mw = p.capacity_mw
        self.priority = p.priority
        self.max_output_mwh = np.full(self.hours, p.capacity_mw)
        t_air = ctx.weather["temp_air"].to_numpy()
        self.cop = models.chiller_cop(p.t_chilled_c + models.T_ZERO_C_K, t_air + p.approach_k + models.T_ZERO_C_K,
                                      p.carnot_efficiency)
        self.inputs[Carrier.ELECTRICITY] = 1.0 / self.cop

    def describe(self):
        return {**super().describe(), "capacity_mw": self.capacity_mw}


@register("absorption_chiller")
class AbsorptionChiller(Converter):
    """Lithium-bromide absorption chiller driven by district heat (single effect, COP ~0.7)."""

    output = Carrier.COOLING
    tags = ("chiller", "absorption")

    @dataclass
    class Params:
        capacity_mw: float = param(unit="MW", ge=0, doc="cooling output")
        cop: float = param(0.7, gt=0, le=1.5, doc="cooling out / driving heat in (single effect 0.65-0.75)")
        aux_electricity_per_mwh: float = param(0.02, ge=0, le=0.2, doc="pumps and cooling-tower fans per MWh of cooling")
        priority: int = param(30, doc="merit order (lower first)")
        bus: Optional[str] = param(None, doc="electric bus")
        heat_junction: Optional[str] = param(None, doc="heat-network junction it draws from (null: the plant)")

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        p = params
        self.capacity_mw = p.capacity_mw
        self.priority = p.priority
        self.max_output_mwh = np.full(self.hours, p.capacity_mw)
        self.inputs[Carrier.HEAT] = np.full(self.hours, 1.0 / p.cop)
        if p.aux_electricity_per_mwh > 0:
            self.inputs[Carrier.ELECTRICITY] = np.full(self.hours, p.aux_electricity_per_mwh)

    def describe(self):
        return {**super().describe(), "capacity_mw": self.capacity_mw, "cop": self.params.cop}
