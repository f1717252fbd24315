"""Thermal energy storage: hot-water tanks and pits on the heat network."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from twin.core.carriers import Carrier
from twin.core.component import Storage
from twin.core.params import param
from twin.core.registry import register
from twin.thermal import models


@register("heat_storage")
class HeatStorage(Storage):
    """A stratified hot-water tank (or pit) on the heat network.

    Energy ``e_mwh`` between the supply and return temperatures; charge and
    discharge limits; a standing loss per day of the content (a large steel
    tank loses ~0.5-2 %/day). It charges on must-take heat surplus (solar
    thermal) and from converters that ``fill_storage`` (power-to-heat on
    renewable surplus), and discharges in merit order.
    """

    carrier = Carrier.HEAT
    tags = ("storage", "heat_storage")

    @dataclass
    class Params:
        e_mwh: float = param(unit="MWh", ge=0, doc="usable heat content")
        p_charge_mw: float = param(unit="MW", ge=0, doc="largest charging heat flow")
        p_discharge_mw: float = param(unit="MW", ge=0, doc="largest discharging heat flow")
        eta_charge: float = param(0.99, gt=0, le=1, doc="one-way charging efficiency")
        eta_discharge: float = param(0.99, gt=0, le=1, doc="one-way discharging efficiency")
        standing_loss_per_day: float = param(0.01, ge=0, lt=1, unit="1/day", doc="share of the content lost per day")
        soc_init: float = param(0.5, ge=0, le=1, doc="state of charge at the start")
        priority: int = param(30, doc="merit order among heat suppliers (lower first)")
        heat_junction: Optional[str] = param(None, doc="heat-network junction (null: the plant)")

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        p = params
        self.e_max_mwh = p.e_mwh
        self.e_min_mwh = 0.0
        self.e_init_mwh = p.e_mwh * p.soc_init
        self.p_charge_mw = p.p_charge_mw
        self.p_discharge_mw = p.p_discharge_mw
        self.eta_charge = p.eta_charge
        self.eta_discharge = p.eta_discharge
        self.standing_loss_per_h = float(models.standing_loss_per_hour(p.standing_loss_per_day))
        self.priority = p.priority

    def describe(self):
        return {**super().describe(), "e_mwh": self.params.e_mwh}
