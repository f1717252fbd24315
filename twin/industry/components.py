"""Factories as SimPy agents.

A :class:`ShiftFactory` is the simplest industrial agent: a base load all
year and a production load during shifts on working days. Its shifts are
SimPy events at their real clock times (a shift may start at 07:30), and the
energy of each shift lands in the hours it occupies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np

from twin.core.carriers import Carrier
from twin.core.clock import add_interval_energy
from twin.core.component import Demand
from twin.core.params import param
from twin.core.profiles import rest_days
from twin.core.registry import register


@register("factory")
class ShiftFactory(Demand):
    """A factory with a base load and shift production loads (electricity and heat)."""

    tags = ("load", "industry")

    @dataclass
    class Params:
        electric_base_mw: float = param(unit="MW", ge=0, doc="electric load outside shifts")
        electric_shift_mw: float = param(0.0, unit="MW", ge=0, doc="extra electric load during shifts")
        heat_base_mw: float = param(0.0, unit="MW", ge=0, doc="process heat outside shifts")
        heat_shift_mw: float = param(0.0, unit="MW", ge=0, doc="extra process heat during shifts")
        shifts: list = param(default_factory=lambda: [[8.0, 16.0], [16.0, 24.0]], unit="h of day",
                             doc="[start, end] clock hours of each shift; end may pass midnight (e.g. [22, 30])")
        working_days: str = param("mon-fri", choices=("mon-fri", "mon-sat", "all"), doc="days with shifts")
        bus: Optional[str] = param(None, doc="network bus")

        def problems(self):
            out = []
            for i, shift in enumerate(self.shifts):
                ok = isinstance(shift, (list, tuple)) and len(shift) == 2 and all(
                    isinstance(x, (int, float)) for x in shift)
                if not ok or not 0 <= shift[0] < 24 or not shift[0] < shift[1] <= shift[0] + 24:
                    out.append((f"shifts[{i}]", f"must be [start, end] hours with 0 <= start < 24 and start < end <= start + 24 (got {shift!r})"))
            return out

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        p = params
        self.clock = ctx.clock
        self.demand_mwh[Carrier.ELECTRICITY] = np.full(self.hours, p.electric_base_mw)
        if p.heat_base_mw > 0 or p.heat_shift_mw > 0:
            self.demand_mwh[Carrier.HEAT] = np.full(self.hours, p.heat_base_mw)
        self._rest = rest_days(ctx.clock, p.working_days)
        self.shift_log: list[tuple[float, float]] = []

    def process(self, env):
        """Each working day, hold the shift loads from start to end of every shift."""
        p = self.params
        first_midnight = -float(self.clock.start.hour + self.clock.start.minute / 60.0)
        days = int(np.ceil((self.hours - first_midnight) / 24.0))
        for day in range(days):
            midnight = first_midnight + 24.0 * day
            hour_of_midnight = int(max(0.0, midnight))
            if hour_of_midnight >= self.hours:
                return
            if self._rest[hour_of_midnight]:
                continue
            for start, end in sorted(p.shifts):
                t0, t1 = midnight + start, midnight + end
                if t1 <= 0.0:
                    continue
                if t0 > env.now:
                    yield env.timeout(t0 - env.now)
                t0 = max(t0, env.now)
                self._hold(t0, t1)

    def _hold(self, t0_h: float, t1_h: float) -> None:
        """Post the shift loads over [t0_h, t1_h)."""
        p = self.params
        self.shift_log.append((t0_h, t1_h))
        add_interval_energy(self.demand_mwh[Carrier.ELECTRICITY], t0_h, t1_h, p.electric_shift_mw)
        if Carrier.HEAT in self.demand_mwh:
            add_interval_energy(self.demand_mwh[Carrier.HEAT], t0_h, t1_h, p.heat_shift_mw)

    def describe(self):
        return {**super().describe(), "electric_base_mw": self.params.electric_base_mw}
