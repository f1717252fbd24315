"""The park's water treatment and reuse plant."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np

from twin.core.carriers import Carrier
from twin.core.component import Demand
from twin.core.errors import ConfigError
from twin.core.params import param
from twin.core.registry import register
from twin.waste import models


@register("water_treatment")
class WaterTreatmentPlant(Demand):
    """Treats the industrial wastewater of its sources and returns reclaimed water.

    Each hour (after the hour, at the same instant as the waste agents'
    stock records) it delivers reclaimed water from its tank to its sources'
    intake, pro rata to their need, which replaces fresh water in their
    books (``water_fresh_m3`` down, ``water_reused_m3`` and
    ``water_reclaimed_m3`` up); then it treats the hour's wastewater up to
    its capacity (the rest bypasses to the sewer) and stores the reclaimed
    share (:func:`twin.waste.models.water_hour`). Electricity: per m3
    treated plus per m3 of reclaimed water pumped back.
    """

    tags = ("water",)

    @dataclass
    class Params:
        capacity_m3_per_h: float = param(gt=0, unit="m3/h", doc="largest wastewater flow treated")
        recovery_share: float = param(0.7, ge=0, le=1, doc="reclaimed water / water treated (UF + RO)")
        treatment_kwh_per_m3: float = param(1.0, ge=0, unit="kWh/m3", doc="electricity per m3 treated")
        distribution_kwh_per_m3: float = param(0.3, ge=0, unit="kWh/m3", doc="electricity per m3 of reclaimed water sent back")
        tank_m3: float = param(2000.0, ge=0, unit="m3", doc="reclaimed-water tank")
        tank_init_share: float = param(0.0, ge=0, le=1, doc="tank filling at the start")
        sources: Optional[list] = param(None, doc="components whose wastewater it treats; null: every industrial agent")
        bus: Optional[str] = param(None, doc="electric bus")

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        if params.treatment_kwh_per_m3 > 0 or params.distribution_kwh_per_m3 > 0:
            self.demand_mwh[Carrier.ELECTRICITY] = np.zeros(self.hours)
        self.tank = params.tank_m3 * params.tank_init_share
        self.sources: list = []
        self._cols = None   # (quantity, column) written every hour, looked up at the first hour

    def connect(self, components) -> None:
        if self.params.sources is None:
            self.sources = [c for c in components if hasattr(c, "water_need_m3")]
            return
        by_name = {c.name: c for c in components}
        missing = [n for n in self.params.sources if n not in by_name or not hasattr(by_name[n], "water_need_m3")]
        if missing:
            raise ConfigError([(f"park.components.{self.name}.sources",
                                f"not industrial agents with water: {', '.join(map(repr, missing))}")])
        self.sources = [by_name[n] for n in self.params.sources]

    def extra_columns(self):
        return super().extra_columns() + ("inflow_m3", "treated_m3", "bypass_m3", "reclaimed_m3", "delivered_m3",
                                          "discharged_m3", "tank_m3")

    def end_hour(self, h: int) -> None:
        """Treat hour ``h``'s wastewater and deliver reclaimed water to the lines' intake."""
        p = self.params
        if self._cols is None:
            self._cols = [(k, self.extras[k]) for k in ("inflow_m3", "treated_m3", "bypass_m3", "reclaimed_m3",
                                                        "delivered_m3", "discharged_m3", "tank_m3")]
        sources = self.sources
        needs, need, wastewater = [], 0, 0.0   # need: as sum(needs), left to right
        t = h + 1
        for s in sources:
            s.flush(t)
            n = s.water_need_m3(h)
            needs.append(n)
            need += n
            wastewater += s.wastewater_m3(h)
        r = models.water_hour(self.tank, p.tank_m3, need, wastewater, p.capacity_m3_per_h, p.recovery_share)
        delivered = r["delivered_m3"]
        if delivered > 0.0:
            for s, n in zip(sources, needs):
                if n > 0.0:
                    s.receive_reclaimed_water(h, delivered * n / need)
        self.tank = r["tank_m3"]
        for k, col in self._cols:
            col[h] = r[k]
        electricity = self.demand_mwh.get(Carrier.ELECTRICITY)
        if electricity is not None:
            electricity[h] = (r["treated_m3"] * p.treatment_kwh_per_m3 + delivered * p.distribution_kwh_per_m3) / 1000.0

    def describe(self):
        return {**super().describe(), "capacity_m3_per_h": self.params.capacity_m3_per_h,
                "recovery_share": self.params.recovery_share, "sources": [s.name for s in self.sources]}
