"""Solid-waste agents: a collection yard, treatment routes and waste-to-energy.

Tonnes move through SimPy containers, so no stock can go negative and
every tonne is in one place at a time:

    factories (bins at each source) --collection--> yard pile
        --sorting by shares--> route stockpiles --processing--> utilised / landfilled

A :class:`WasteYard` bins what its sources generated when it collects
(on its collection schedule), empties the bins into its pile and sorts the
pile into its routes by shares, as far as each route's stockpile has room
(the rest waits in the pile). A :class:`WasteRoute` (material recycling, co-processing in a cement
kiln, landfill) processes its stockpile up to its capacity in its
operating hours and draws electricity per tonne. :class:`WasteToEnergy`
burns its bunker around the clock: net electricity as a must-take source,
its heat offered as a stream (``waste_heat_mwh``) that a heat-network
recovery unit (``waste_heat_recovery`` with ``stream_of``) takes, and the
fossil and biogenic CO2 of what it burnt.

Stocks are recorded at the end of each hour (the engine's ``end_hour``,
before any event at that instant), so the hourly waste balance closes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np
import simpy

from twin.core.carriers import Carrier
from twin.core.component import Demand, Source
from twin.core.params import param
from twin.core.registry import register
from twin.waste import models

ROUTES = ("recycling", "co_processing", "landfill")


def _flush(source, t: float) -> None:
    flush = getattr(source, "flush", None)
    if flush is not None:
        flush(t)


def _unknown(names, by_name, key, what) -> None:
    from twin.core.errors import ConfigError

    missing = [n for n in names if n not in by_name]
    if missing:
        raise ConfigError([(key, f"unknown {what} {', '.join(map(repr, missing))}; known: {', '.join(by_name)}")])


class _Stockpile:
    """Mixin: a stockpile container created when the run starts."""

    def stockpile_of(self, env) -> simpy.Container:
        if getattr(self, "_stockpile", None) is None:
            cap = self.params.stock_capacity_t
            self._stockpile = simpy.Container(env, capacity=float("inf") if cap is None else cap)
        return self._stockpile

    def room_t(self, env) -> float:
        pile = self.stockpile_of(env)
        return pile.capacity - pile.level

    def receive(self, env, t: float, amount_t: float) -> None:
        """Put ``amount_t`` (at most the room) into the stockpile at time ``t``."""
        if amount_t <= 0.0:
            return
        self.stockpile_of(env).put(amount_t)
        h = min(int(t), self.hours - 1)
        self.extras["received_t"][h] += amount_t


@register("waste_yard")
class WasteYard(Demand):
    """Collects industrial solid waste from its sources and sorts it into routes."""

    tags = ("waste",)

    @dataclass
    class Params:
        routes: dict = param(doc="route component -> share of the collected waste (shares sum to 1)")
        sources: Optional[list] = param(None, doc="components whose waste is collected; null: every industrial agent")
        collection_days: str = param("mon-sat", choices=("mon-fri", "mon-sat", "all"), doc="days with collections")
        collection_times_h: list = param(default_factory=lambda: [9.5], unit="h of day", doc="collection times each day")
        capacity_t: Optional[float] = param(None, gt=0, unit="t", doc="yard pile capacity; null: unlimited")
        sorting_kwh_per_t: float = param(5.0, ge=0, unit="kWh/t", doc="electricity to unload and sort a tonne")
        bus: Optional[str] = param(None, doc="electric bus")

        def problems(self):
            out = []
            shares = list(self.routes.values())
            if not self.routes:
                out.append(("routes", "needs at least one route"))
            elif any(isinstance(s, bool) or not isinstance(s, (int, float)) or s < 0 for s in shares):
                out.append(("routes", f"shares must be numbers >= 0 (got {self.routes})"))
            elif abs(sum(shares) - 1.0) > 1e-6:
                out.append(("routes", f"shares must sum to 1 (got {sum(shares):.6g})"))
            for i, t in enumerate(self.collection_times_h):
                if isinstance(t, bool) or not isinstance(t, (int, float)) or not 0 <= t < 24:
                    out.append((f"collection_times_h[{i}]", f"must be an hour of day in [0, 24) (got {t!r})"))
            return out

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        if params.sorting_kwh_per_t > 0:
            self.demand_mwh[Carrier.ELECTRICITY] = np.zeros(self.hours)
        self.times = models.collection_times(ctx.clock, params.collection_days, params.collection_times_h)
        self.sources: list = []
        self.routes: list = []
        self.shares: list[float] = []
        self._read: dict[str, float] = {}
        self.bins: dict[str, simpy.Container] = {}
        self.pile = None
        self._stock_cols = None   # (bins_t, pile_t, stock_t) columns, looked up at the first hour

    def connect(self, components) -> None:
        by_name = {c.name: c for c in components}
        key = f"park.components.{self.name}"
        if self.params.sources is None:
            self.sources = [c for c in components if hasattr(c, "waste_generated_total_t")]
        else:
            _unknown(self.params.sources, by_name, f"{key}.sources", "component")
            self.sources = [by_name[n] for n in self.params.sources]
        _unknown(self.params.routes, by_name, f"{key}.routes", "route")
        self.routes = [by_name[n] for n in self.params.routes]
        self.shares = [float(s) for s in self.params.routes.values()]

    def extra_columns(self):
        return super().extra_columns() + ("collected_t", "sorted_t", "bins_t", "pile_t", "stock_t")

    def start(self, env) -> None:
        self.bins = {s.name: simpy.Container(env) for s in self.sources}
        cap = self.params.capacity_t
        self.pile = simpy.Container(env, capacity=float("inf") if cap is None else cap)

    def _unbinned_t(self, s) -> float:
        """What source ``s`` generated since its waste was last binned [t]."""
        return s.waste_generated_total_t - self._read.get(s.name, 0.0)

    def _bin_new_waste(self, t: float) -> None:
        """Move what each source generated up to time ``t`` into its bin."""
        for s in self.sources:
            _flush(s, t)
            new = self._unbinned_t(s)
            if new > 1e-12:
                self.bins[s.name].put(new)
                self._read[s.name] = s.waste_generated_total_t

    def end_hour(self, h: int) -> None:
        """Record the stocks at the end of hour ``h``: waste at its sources
        (binned or not yet) and in the pile."""
        if self._stock_cols is None:
            x = self.extras
            self._stock_cols = (x["bins_t"], x["pile_t"], x["stock_t"])
        bins_col, pile_col, stock_col = self._stock_cols
        bins = 0.0
        read = self._read
        t = h + 1
        for s in self.sources:
            _flush(s, t)
            name = s.name
            bins += self.bins[name].level + (s.waste_generated_total_t - read.get(name, 0.0))   # + _unbinned_t(s)
        level = self.pile.level
        bins_col[h] = bins
        pile_col[h] = level
        stock_col[h] = bins + level

    def process(self, env):
        """Collections at their times."""
        if self.pile is None:
            self.start(env)
        for t in self.times:
            if t > env.now:
                yield env.timeout(t - env.now)
            h = min(int(env.now), self.hours - 1)
            self._bin_new_waste(env.now)
            room = self.pile.capacity - self.pile.level
            collected = 0.0
            for b in self.bins.values():
                take = min(b.level, room - collected)
                if take > 1e-12:
                    yield b.get(take)
                    collected += take
            if collected > 0.0:
                yield self.pile.put(collected)
            self.extras["collected_t"][h] += collected
            if Carrier.ELECTRICITY in self.demand_mwh:
                self.demand_mwh[Carrier.ELECTRICITY][h] += collected * self.params.sorting_kwh_per_t / 1000.0
            level = self.pile.level
            rooms = [r.room_t(env) for r in self.routes]
            for route, amount in zip(self.routes, models.share_out(level, self.shares, rooms)):
                amount = min(amount, self.pile.level)   # shares may sum to the level plus rounding
                if amount > 1e-12:
                    yield self.pile.get(amount)
                    route.receive(env, env.now, amount)
                    self.extras["sorted_t"][h] += amount

    def describe(self):
        return {**super().describe(), "routes": dict(self.params.routes), "sources": [s.name for s in self.sources],
                "collections": len(self.times)}


@register("waste_route")
class WasteRoute(_Stockpile, Demand):
    """A treatment route for sorted industrial solid waste: material
    recycling, co-processing in a cement kiln, or landfill.

    Each operating hour it processes its stockpile up to ``capacity_t_per_h``
    and draws ``electricity_kwh_per_t``; recycling and co-processing count
    as utilised, landfill as landfilled.
    """

    tags = ("waste",)
    accepts_waste = True

    @dataclass
    class Params:
        route: str = param(choices=ROUTES, doc="what the route does with the waste")
        capacity_t_per_h: float = param(gt=0, unit="t/h", doc="largest throughput in an operating hour")
        electricity_kwh_per_t: float = param(0.0, ge=0, unit="kWh/t", doc="electricity per tonne processed")
        stock_capacity_t: Optional[float] = param(None, gt=0, unit="t", doc="stockpile capacity; null: unlimited")
        operating_hours: Optional[list] = param(None, unit="h of day", doc="[[start, end], ...]; null: all day")
        working_days: str = param("all", choices=("mon-fri", "mon-sat", "all"), doc="days it operates")
        bus: Optional[str] = param(None, doc="electric bus")

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        if params.electricity_kwh_per_t > 0:
            self.demand_mwh[Carrier.ELECTRICITY] = np.zeros(self.hours)
        self.operating = models.operating_mask(ctx.clock, params.operating_hours, params.working_days)
        self.outcome = "solid_waste_landfilled_t" if params.route == "landfill" else "solid_waste_utilised_t"
        self._stockpile = None
        self._operating = None   # the mask as a list of bools, taken when the run starts

    def extra_columns(self):
        return super().extra_columns() + ("received_t", self.outcome, "stock_t")

    def start(self, env) -> None:
        self.stockpile_of(env)
        self._operating = self.operating.tolist()

    def end_hour(self, h: int) -> None:
        """Process the stockpile for hour ``h`` (if operating) and record what is left."""
        pile = self._stockpile
        level = pile.level
        if self._operating[h] and level > 1e-12:
            cap = self.params.capacity_t_per_h
            take = cap if cap < level else level   # min(level, capacity)
            pile.get(take)   # immediate: take <= level
            self.extras[self.outcome][h] = take
            electricity = self.demand_mwh.get(Carrier.ELECTRICITY)
            if electricity is not None:
                electricity[h] += take * self.params.electricity_kwh_per_t / 1000.0
        self.extras["stock_t"][h] = pile.level

    def describe(self):
        return {**super().describe(), "route": self.params.route, "capacity_t_per_h": self.params.capacity_t_per_h}


@register("waste_to_energy")
class WasteToEnergy(_Stockpile, Source):
    """Waste-to-energy incinerator with a steam cycle (grate and boiler).

    Burns its bunker at up to ``capacity_t_per_h`` whenever it is not in
    maintenance. Net electricity is a must-take supply; heat (extraction
    steam for the district-heating exchanger) is offered as the stream
    ``waste_heat_mwh`` for a ``waste_heat_recovery`` unit with ``stream_of``
    naming this plant; heat nobody takes is condensed. CO2: carbon per tonne
    burnt x 44/12, split into fossil (``combustion_co2_t``, counted) and
    biogenic (``biogenic_co2_t``, reported). Defaults are illustrative
    values for mixed industrial waste (IPCC 2006 Vol. 5 ch. 5 for the carbon
    method; the numbers themselves: status unconfirmed).
    """

    carrier = Carrier.ELECTRICITY
    tags = ("waste", "waste_to_energy")
    accepts_waste = True

    @dataclass
    class Params:
        capacity_t_per_h: float = param(gt=0, unit="t/h", doc="largest burning rate")
        lhv_gj_per_t: float = param(12.0, gt=0, unit="GJ/t", doc="lower heating value of the waste as received")
        electric_efficiency: float = param(0.22, ge=0, le=0.5, doc="net electricity / fuel LHV")
        heat_efficiency: float = param(0.45, ge=0, le=0.9, doc="heat offered to district heating / fuel LHV")
        carbon_share: float = param(0.30, ge=0, le=1, doc="carbon per tonne of waste as received [t/t]")
        fossil_carbon_share: float = param(0.60, ge=0, le=1, doc="fossil part of that carbon")
        stock_capacity_t: Optional[float] = param(None, gt=0, unit="t", doc="bunker capacity; null: unlimited")
        maintenance: list = param(default_factory=list, doc="shutdowns [[MM-DD, MM-DD], ...]")
        bus: Optional[str] = param(None, doc="electric bus")

        def problems(self):
            out = models.date_window_problems(self.maintenance, "maintenance")
            if self.electric_efficiency + self.heat_efficiency > 0.95:
                out.append(("heat_efficiency", "electric_efficiency + heat_efficiency must be <= 0.95"))
            return out

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        self.running = ~models.date_mask(ctx.clock, params.maintenance)
        self.waste_heat_mwh = np.zeros(self.hours)
        self._stockpile = None
        self._running = None   # the mask as a list of bools, taken when the run starts

    def extra_columns(self):
        return super().extra_columns() + ("received_t", "solid_waste_utilised_t", "stock_t", "heat_offered_mwh",
                                          "combustion_co2_t", "biogenic_co2_t")

    def start(self, env) -> None:
        self.stockpile_of(env)
        self._running = self.running.tolist()

    def end_hour(self, h: int) -> None:
        """Burn the bunker for hour ``h`` (unless in maintenance) and record what is left."""
        p = self.params
        pile = self._stockpile
        x = self.extras
        level = pile.level
        if self._running[h] and level > 1e-12:
            cap = p.capacity_t_per_h
            burnt = cap if cap < level else level   # min(level, capacity)
            pile.get(burnt)
            burnt = float(burnt)   # the models' float path (no numpy on scalars)
            self.available_mwh[h] = float(models.wte_energy_mwh(burnt, p.lhv_gj_per_t, p.electric_efficiency))
            heat = float(models.wte_energy_mwh(burnt, p.lhv_gj_per_t, p.heat_efficiency))
            self.waste_heat_mwh[h] = heat
            x["heat_offered_mwh"][h] = heat
            fossil, biogenic = models.wte_co2_t(burnt, p.carbon_share, p.fossil_carbon_share)
            x["combustion_co2_t"][h] = float(fossil)
            x["biogenic_co2_t"][h] = float(biogenic)
            x["solid_waste_utilised_t"][h] = burnt
        x["stock_t"][h] = pile.level

    def describe(self):
        p = self.params
        return {**super().describe(), "capacity_t_per_h": p.capacity_t_per_h, "lhv_gj_per_t": p.lhv_gj_per_t,
                "electric_efficiency": p.electric_efficiency, "heat_efficiency": p.heat_efficiency,
                "fossil_carbon_share": p.fossil_carbon_share}
