"""Hydrogen chain components: electrolysers, tanks, fuel cells, boilers,
feedstock demand, a truck refuelling station and blending into gas.

Energy of hydrogen inside the engine is MWh on the lower heating value
(33.33 kWh/kg); kilograms are derived where people think in them.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Optional

import numpy as np
import simpy
import yaml

from twin.core.carriers import Carrier
from twin.core.component import Converter, Demand, Exchange, Source, Storage
from twin.core.params import param
from twin.core.profiles import calendar_profile, scale_profile, shape_names
from twin.core.registry import register
from twin.hydrogen import models

E, H2, HEAT, GAS = Carrier.ELECTRICITY, Carrier.HYDROGEN, Carrier.HEAT, Carrier.GAS


@lru_cache(maxsize=None)
def electrolyser_presets() -> dict:
    with resources.files("twin.hydrogen.data").joinpath("electrolysers.yaml").open() as f:
        return yaml.safe_load(f)


def _price_mask(ctx, threshold: float | None, below: bool) -> np.ndarray:
    price = ctx.prices["electricity_import_cny_per_mwh"]
    if threshold is None:
        threshold = float(np.median(price))
    return price <= threshold if below else price >= threshold


@register("electrolyser")
class Electrolyser(Converter):
    """Water electrolysis with a part-load curve, minimum load and start delays.

    The unit is a SimPy agent: at the start of each hour its controller
    decides from its strategy (renewable surplus forecast, price) and the
    tanks' level whether to run; a start from cold or warm standby is a SimPy
    timeout, and only the rest of the hour produces. The dispatch then runs
    it within that availability (on surplus only, unless the strategy allows
    the price hours).
    """

    output = H2
    tags = ("electrolyser", "hydrogen")

    @dataclass
    class Params:
        capacity_mw: float = param(unit="MW", ge=0, doc="electric input at rated output")
        technology: str = param("alkaline", choices=("alkaline", "pem"), doc="preset in hydrogen/data/electrolysers.yaml")
        strategy: str = param("surplus", choices=("surplus", "price", "surplus_or_price"),
                              doc="run on renewable surplus, in cheap hours, or both")
        price_threshold_cny_per_mwh: Optional[float] = param(
            None, unit="CNY/MWh", ge=0, doc="cheap-hour threshold (null: the median import price)")
        stop_above_tank_fraction: float = param(0.98, gt=0, le=1, doc="stop when the tanks are this full")
        recover_heat: bool = param(True, doc="deliver recoverable stack heat to the heat balance")
        priority: int = param(10, doc="merit order (lower first)")
        bus: Optional[str] = param(None, doc="electric bus")

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        p = self.preset = electrolyser_presets()[params.technology]
        self.curve_load = np.asarray(p["curve_load"], float)
        self.curve_kwh_per_kg = np.asarray(p["curve_kwh_per_kg"], float)
        self._curve = (self.curve_load.tolist(), self.curve_kwh_per_kg.tolist())
        self.spec_rated_kwh_per_kg = float(models.specific_electricity_kwh_per_kg(1.0, self.curve_load, self.curve_kwh_per_kg))
        self.rated_kg_per_h = params.capacity_mw * 1000.0 / self.spec_rated_kwh_per_kg
        self.rated_mwh = float(models.kg_to_mwh(self.rated_kg_per_h))
        self.capacity_mw = self.rated_mwh
        self.priority = params.priority
        self.linear = False
        self.fill_storage = True
        self.min_output_mwh = p["min_load_fraction"] * self.rated_mwh
        self.max_output_mwh = np.zeros(self.hours)
        self.inputs[E] = np.full(self.hours, self.spec_rated_kwh_per_kg / models.H2_LHV_KWH_PER_KG)
        if params.recover_heat:
            losses_per_unit = self.spec_rated_kwh_per_kg / models.H2_LHV_KWH_PER_KG - 1.0
            self.by_products[HEAT] = np.full(self.hours, losses_per_unit * p["heat_recoverable_fraction"])
        cheap = _price_mask(ctx, params.price_threshold_cny_per_mwh, below=True)
        self.cheap = cheap
        if params.strategy == "surplus":
            self.surplus_only = E
        elif params.strategy == "surplus_or_price":
            self.surplus_only, self.free_hours = E, cheap
        self.events: list[tuple[str, float]] = []
        self._tanks: list[Storage] = []
        self._el_sources: list[Source] = []
        self._el_demands: list[Demand] = []
        self._h2_demands: list[Demand] = []
        self._watched = None   # the arrays of those it watches, taken at the first hour (_watched_arrays)

    def extra_columns(self):
        return ("h2_kg", "water_m3", "specific_kwh_per_kg")

    def input_energy(self, carrier, h, out_mwh):
        if out_mwh <= 0.0:
            return 0.0
        # Called many times per hour by the dispatch: plain floats, no numpy.
        load = out_mwh / self.rated_mwh
        xs, ys = self._curve
        i = bisect_right(xs, load)
        if i == 0:
            kwh_per_kg = ys[0]
        elif i == len(xs):
            kwh_per_kg = ys[-1]
        else:
            x0, x1, y0, y1 = xs[i - 1], xs[i], ys[i - 1], ys[i]
            kwh_per_kg = y0 + (y1 - y0) * (load - x0) / (x1 - x0)
        return out_mwh * models.KG_PER_MWH * kwh_per_kg / 1000.0

    def output_for_input(self, carrier, h, e_mwh):
        """Hydrogen [MWh] that ``e_mwh`` of electricity makes in hour ``h``:
        the inverse of :meth:`input_energy` (which rises with output).

        Within a segment of the part-load curve the specific electricity is
        linear in load, so the input is a quadratic in output, solved in
        closed form (the dispatch uses it to fit a budget exactly).
        """
        if e_mwh <= 0.0:
            return 0.0
        xs, ys = self._curve
        r = self.rated_mwh
        kg_e = e_mwh * 1000.0 / models.KG_PER_MWH   # input expressed as kg x kWh/kg
        # the segment: the first breakpoint whose input exceeds e_mwh
        i = 0
        while i < len(xs) and xs[i] * r * ys[i] <= kg_e:
            i += 1
        if i == 0 or i == len(xs):   # below the curve's first or above its last load: constant kWh/kg
            return kg_e / ys[0 if i == 0 else -1]
        x0, x1, y0, y1 = xs[i - 1], xs[i], ys[i - 1], ys[i]
        slope = (y1 - y0) / (x1 - x0)              # kWh/kg per unit load
        a, b = slope / r, y0 - slope * x0           # kg_e = a out^2 + b out
        if a == 0.0:
            return kg_e / b
        return 2.0 * kg_e / (b + math.sqrt(b * b + 4.0 * a * kg_e))   # the root >= 0, without cancellation

    def connect(self, components):
        self._tanks = [c for c in components if isinstance(c, Storage) and c.carrier == H2]
        self._el_sources = [c for c in components if isinstance(c, Source) and c.carrier == E]
        self._el_demands = [c for c in components if isinstance(c, Demand) and E in c.demand_mwh]
        self._h2_demands = [c for c in components if isinstance(c, Demand) and H2 in c.demand_mwh]
        self._watched = None

    def _watched_arrays(self) -> tuple:
        """(electricity supplies, electricity demands, hydrogen demands): the
        arrays the controller reads, looked up once (agents fill them in place)."""
        self._watched = ([s.available_mwh for s in self._el_sources], [d.demand_mwh[E] for d in self._el_demands],
                         [d.demand_mwh[H2] for d in self._h2_demands])
        return self._watched

    # -- the controller ---------------------------------------------------
    def wants_to_run(self, h: int) -> bool:
        """Strategy and tank level at the start of hour ``h``."""
        # Called every hour: plain loops over plain floats, and only what the
        # answer needs (a cheap hour decides "surplus_or_price" by itself).
        strategy = self.params.strategy
        price_ok = self.cheap.item(h)
        if strategy == "price":
            wanted = price_ok
        elif strategy == "surplus_or_price" and price_ok:
            wanted = True
        else:   # "surplus", or "surplus_or_price" in a dear hour
            wanted = self._surplus_mwh(h) >= self.input_energy(E, h, self.min_output_mwh)
        if not wanted:
            return False
        stop_fraction = self.params.stop_above_tank_fraction
        for t in self._tanks:
            if t.soc < stop_fraction * t.e_max_mwh:
                return True   # room in a tank
        for d in (self._watched or self._watched_arrays())[2]:
            if d.item(h) > 0:
                return True   # hydrogen wanted now
        return False

    def _surplus_mwh(self, h: int) -> float:
        """Must-take electricity less electricity demand in hour ``h`` so far [MWh]."""
        supplies, demands, _ = self._watched or self._watched_arrays()
        supply = demand = 0   # as sum(): left to right from 0
        for a in supplies:
            supply += a.item(h)
        for a in demands:
            demand += a.item(h)
        return supply - demand

    def process(self, env):
        """Hour by hour: stay off, keep running, or start (a cold or warm start delay)."""
        p = self.preset
        running, stopped_at = False, -math.inf
        t = 0.0
        while t < self.hours:
            h = int(t)
            if env.now < t:
                yield env.timeout(t - env.now)
            if not self.wants_to_run(h):
                if running:
                    running, stopped_at = False, env.now
                    self.events.append(("stop", env.now))
                t = h + 1.0
                continue
            if not running:
                cold = env.now - stopped_at >= p["cold_after_h"]
                self.events.append(("cold start" if cold else "warm start", env.now))
                yield env.timeout(p["cold_start_h"] if cold else p["warm_start_h"])
                running = True
                self.events.append(("producing", env.now))
            now = env.now
            end = math.floor(now) + 1.0
            if end > self.hours:
                end = float(self.hours)
            if now < end:
                # [now, end) lies in one hour: add_interval_energy's one-slot case, without numpy on scalars
                self.max_output_mwh[int(now)] += self.rated_mwh * (end - now)
            t = end

    def after_settle(self, h: int) -> None:
        x = self.extras
        kg = models.mwh_to_kg(self.flows[H2].item(h))
        x["h2_kg"][h] = kg
        x["water_m3"][h] = kg * self.preset["water_l_per_kg"] / 1000.0
        x["specific_kwh_per_kg"][h] = -self.flows[E].item(h) * 1000.0 / kg if kg > 0 else 0.0

    def describe(self):
        starts = [e for e, _ in self.events if e.endswith("start")]
        return {**super().describe(), "capacity_mw": self.params.capacity_mw, "technology": self.params.technology,
                "rated_kg_per_h": self.rated_kg_per_h, "strategy": self.params.strategy,
                "cold_starts": starts.count("cold start"), "warm_starts": starts.count("warm start")}


@register("h2_storage")
class HydrogenStorage(Storage):
    """Compressed hydrogen tank with its compressor.

    The dispatch keeps the tank's book (content, limits, compressor energy);
    after each settlement the level is mirrored into a ``simpy.Container``
    (``self.container``, kg) that SimPy agents can read or wait on.
    """

    carrier = H2
    tags = ("storage", "hydrogen")

    @dataclass
    class Params:
        capacity_kg: float = param(unit="kg", ge=0, doc="usable mass at the maximum pressure")
        min_fraction: float = param(0.05, ge=0, lt=1, doc="lowest level (cushion gas)")
        init_fraction: float = param(0.5, ge=0, le=1, doc="level at the start")
        charge_kg_per_h: float = param(500.0, unit="kg/h", ge=0, doc="compressor throughput")
        discharge_kg_per_h: float = param(1000.0, unit="kg/h", ge=0, doc="largest withdrawal")
        p_in_bar: float = param(30.0, unit="bar", gt=0, doc="electrolyser outlet pressure")
        p_max_bar: float = param(200.0, unit="bar", gt=0, doc="tank pressure when full")
        compressor_efficiency: float = param(0.7, gt=0, le=1, doc="isentropic efficiency incl. drive")
        compressor_stages: int = param(2, ge=1, doc="stages with intercooling")
        priority: int = param(30, doc="merit order (lower first)")
        bus: Optional[str] = param(None, doc="electric bus of the compressor")

        def problems(self):
            if not self.min_fraction <= self.init_fraction:
                return [("init_fraction", f"must be >= min_fraction ({self.min_fraction}) (got {self.init_fraction})")]
            return []

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        full = float(models.kg_to_mwh(params.capacity_kg))
        self.e_max_mwh, self.e_min_mwh = full, full * params.min_fraction
        self.e_init_mwh = full * params.init_fraction
        self.p_charge_mw = float(models.kg_to_mwh(params.charge_kg_per_h))
        self.p_discharge_mw = float(models.kg_to_mwh(params.discharge_kg_per_h))
        self.eta_charge = self.eta_discharge = 1.0
        self.standing_loss_per_h = 0.0
        self.priority = params.priority
        self.compression_kwh_per_kg = float(models.compression_work_kwh_per_kg(
            params.p_in_bar, params.p_max_bar, isentropic_efficiency=params.compressor_efficiency,
            stages=params.compressor_stages))
        self.charge_aux = {E: self.compression_kwh_per_kg / models.H2_LHV_KWH_PER_KG}

    def extra_columns(self):
        return ("soc_mwh", "losses_mwh", "level_kg")

    def start(self, env) -> None:
        """The tank as a ``simpy.Container`` of kg, so agents can watch or wait on its level."""
        self.container = simpy.Container(env, capacity=self.params.capacity_kg,
                                         init=models.mwh_to_kg(float(self.e_init_mwh)))

    def after_settle(self, h: int) -> None:
        level = models.mwh_to_kg(self.extras["soc_mwh"].item(h))
        self.extras["level_kg"][h] = level
        # Mirror the settled level into the container (the dispatch is the book of record).
        container = self.container
        capacity = container.capacity
        delta = (capacity if capacity < level else level) - container.level   # min(level, capacity) - ...
        if delta > 1e-9:
            container.put(delta)
        elif delta < -1e-9:
            container.get(-delta)

    def describe(self):
        return {**super().describe(), "capacity_kg": self.params.capacity_kg,
                "compression_kwh_per_kg": self.compression_kwh_per_kg}


@register("fuel_cell")
class FuelCell(Converter):
    """Fuel-cell CHP: electricity and heat from hydrogen; a peaker by default."""

    output = E
    tags = ("fuel_cell", "hydrogen")

    @dataclass
    class Params:
        capacity_mw: float = param(unit="MW", ge=0, doc="electric output")
        electric_efficiency: float = param(0.50, gt=0, le=1, doc="electricity / hydrogen (LHV)")
        heat_efficiency: float = param(0.35, ge=0, le=1, doc="recovered heat / hydrogen (LHV)")
        min_load_fraction: float = param(0.1, ge=0, le=1, doc="minimum load")
        strategy: str = param("peaker", choices=("peaker", "always"), doc="peaker: only at or above the price threshold")
        price_threshold_cny_per_mwh: Optional[float] = param(
            None, unit="CNY/MWh", ge=0, doc="peaker threshold (null: the highest import price of the run)")
        priority: int = param(80, doc="merit order (lower first); grid import is 90")
        bus: Optional[str] = param(None, doc="electric bus")

        def problems(self):
            if self.electric_efficiency + self.heat_efficiency > 1.0:
                return [("heat_efficiency", "electric + heat efficiency must not exceed 1 (LHV basis)")]
            return []

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        self.capacity_mw = params.capacity_mw
        self.priority = params.priority
        self.min_output_mwh = params.min_load_fraction * params.capacity_mw
        self.inputs[H2] = np.full(self.hours, 1.0 / params.electric_efficiency)
        if params.heat_efficiency > 0:
            self.by_products[HEAT] = np.full(self.hours, params.heat_efficiency / params.electric_efficiency)
        if params.strategy == "peaker":
            price = ctx.prices["electricity_import_cny_per_mwh"]
            thr = params.price_threshold_cny_per_mwh if params.price_threshold_cny_per_mwh is not None else price.max()
            self.max_output_mwh = np.where(price >= thr - 1e-9, params.capacity_mw, 0.0)
        else:
            self.max_output_mwh = np.full(self.hours, params.capacity_mw)

    def describe(self):
        return {**super().describe(), "capacity_mw": self.capacity_mw}


@register("hydrogen_boiler")
class HydrogenBoiler(Converter):
    """Boiler burning hydrogen for process heat."""

    output = HEAT
    tags = ("hydrogen",)

    @dataclass
    class Params:
        capacity_mw: float = param(unit="MW", ge=0, doc="heat output")
        efficiency: float = param(0.92, gt=0, le=1.1, doc="heat / hydrogen (LHV)")
        priority: int = param(60, doc="merit order (lower first)")
        bus: Optional[str] = param(None, doc="heat-network junction")

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        self.capacity_mw = params.capacity_mw
        self.priority = params.priority
        self.inputs[H2] = np.full(self.hours, 1.0 / params.efficiency)
        self.max_output_mwh = np.full(self.hours, params.capacity_mw)


@register("hydrogen_demand")
class HydrogenDemand(Demand):
    """Hydrogen used by a process (feedstock of a chemical plant, a furnace)."""

    tags = ("hydrogen",)

    @dataclass
    class Params:
        annual_t: Optional[float] = param(None, unit="t/a", ge=0, doc="annual hydrogen (or peak_kg_per_h)")
        peak_kg_per_h: Optional[float] = param(None, unit="kg/h", ge=0, doc="peak draw (or annual_t)")
        profile: str = param("flat", doc="calendar shape name")
        working_days: str = param("all", choices=("mon-fri", "mon-sat", "all"), doc="working days of the shape")
        purpose: str = param("feedstock", choices=("feedstock", "fuel", "mobility"), doc="use, for the hydrogen balance")
        bus: Optional[str] = param(None, doc="hydrogen-network junction")

        def problems(self):
            out = []
            if (self.annual_t is None) == (self.peak_kg_per_h is None):
                out.append(("annual_t", "give exactly one of annual_t and peak_kg_per_h"))
            if self.profile not in shape_names():
                out.append(("profile", f"unknown shape {self.profile!r}; expected one of {shape_names()}"))
            return out

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        factors = calendar_profile(ctx.clock, params.profile, params.working_days)
        annual_mwh = None if params.annual_t is None else float(models.kg_to_mwh(params.annual_t * 1000.0))
        peak_mw = None if params.peak_kg_per_h is None else float(models.kg_to_mwh(params.peak_kg_per_h))
        self.demand_mwh[H2] = scale_profile(factors, annual_mwh, peak_mw)

    def describe(self):
        return {**super().describe(), "purpose": self.params.purpose}


@register("refuelling_station")
class RefuellingStation(Demand):
    """Hydrogen refuelling for fuel-cell trucks, as SimPy processes.

    Trucks arrive at random (Poisson, in opening hours), queue for a
    dispenser (``simpy.Resource``) and take their fill from the station's
    high-pressure buffer (a ``simpy.Container``); a truck that cannot start
    within ``max_wait_h`` leaves unserved. Once an hour is settled, the
    station puts what the dispatch delivered into the buffer and asks the
    park for the next hour's top-up (its demand): the room left, up to the
    refill rate, so every kilogram delivered fits.
    """

    tags = ("hydrogen", "mobility")

    @dataclass
    class Params:
        trucks_per_day: float = param(40.0, ge=0, doc="mean arrivals per day")
        open_hours: list = param(default_factory=lambda: [6, 22], unit="h of day", doc="[open, close]")
        kg_per_fill: float = param(30.0, unit="kg", gt=0, doc="mean fill")
        kg_per_fill_std: float = param(5.0, unit="kg", ge=0, doc="standard deviation of a fill")
        dispensers: int = param(2, ge=1, doc="dispensers working at once")
        fill_minutes: float = param(15.0, unit="min", gt=0, doc="time at the dispenser")
        buffer_kg: float = param(800.0, unit="kg", gt=0, doc="station buffer at dispensing pressure")
        refill_kg_per_h: float = param(200.0, unit="kg/h", gt=0, doc="largest top-up from the park per hour")
        max_wait_h: float = param(1.0, unit="h", gt=0, doc="a truck leaves after waiting this long")
        bus: Optional[str] = param(None, doc="hydrogen-network junction")

        def problems(self):
            o = self.open_hours
            if not (isinstance(o, list) and len(o) == 2 and 0 <= o[0] < o[1] <= 24):
                return [("open_hours", f"must be [open, close] with 0 <= open < close <= 24 (got {o!r})")]
            return []

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        self.demand_mwh[H2] = np.zeros(self.hours)
        self.rng = ctx.rng(name)
        self.clock = ctx.clock
        self.log: list[tuple[str, float, float]] = []

    def extra_columns(self):
        return ("unserved_hydrogen_mwh", "fills_served", "fills_unserved", "dispensed_kg", "buffer_kg")

    def start(self, env):
        self.env = env
        self.buffer = simpy.Container(env, capacity=self.params.buffer_kg, init=self.params.buffer_kg)
        self.pumps = simpy.Resource(env, capacity=self.params.dispensers)
        self._ask_top_up(0)

    def process(self, env):
        """Truck arrivals in opening hours."""
        p = self.params
        open_h, close_h = p.open_hours
        rate_per_h = p.trucks_per_day / (close_h - open_h)
        offset = self.clock.start.hour
        while True:
            # float(): numpy scalar draws would turn the SimPy clock into a numpy scalar (slow arithmetic)
            gap = float(self.rng.exponential(1.0 / rate_per_h)) if rate_per_h > 0 else math.inf
            t = env.now + gap
            day, hod = divmod(t + offset, 24.0)
            if hod < open_h or hod >= close_h:  # closed: next arrival counts from opening time
                t = day * 24.0 + (open_h if hod < open_h else 24.0 + open_h) - offset
            if t >= self.hours:
                return
            yield env.timeout(t - env.now)
            kg = max(1.0, float(self.rng.normal(p.kg_per_fill, p.kg_per_fill_std)))
            self._arrive(env, kg)

    def _arrive(self, env, kg: float) -> None:
        """A truck arrives for ``kg``: it asks for a dispenser and, with one,
        for its fill from the buffer. If both answer at once (most trucks)
        it fills now and leaves when done; otherwise it waits as a process."""
        pump = self.pumps.request()
        fill = self.buffer.get(kg) if pump.triggered else None
        if fill is not None and fill.triggered:
            done = env.timeout(self.params.fill_minutes / 60.0, value=(pump, env.now, kg))
            done.callbacks.append(self._leave)
        else:
            env.process(self._wait(env, kg, pump, fill))

    def _leave(self, done) -> None:
        """A truck filled at once leaves: its dispenser is free."""
        pump, arrived, kg = done.value
        self.pumps.release(pump)
        self._served(int(arrived), arrived, kg)

    def _wait(self, env, kg: float, pump, fill):
        """A truck that found no free dispenser (``fill`` None) or too little
        in the buffer waits, giving up ``max_wait_h`` after arriving."""
        p = self.params
        arrived = env.now
        h = int(arrived)
        with pump:
            if fill is None:
                got = yield pump | env.timeout(p.max_wait_h)
                if pump not in got:
                    self._unserved(h, arrived, kg)
                    return
                fill = self.buffer.get(kg)
            if fill.triggered:
                yield fill
            else:
                left = p.max_wait_h - (env.now - arrived)
                got = yield fill | env.timeout(max(left, 0.0))
                if fill not in got:
                    fill.cancel()
                    self._unserved(h, arrived, kg)
                    return
            yield env.timeout(p.fill_minutes / 60.0)
        self._served(h, arrived, kg)

    def _served(self, h: int, arrived: float, kg: float) -> None:
        self.extras["fills_served"][h] += 1
        self.extras["dispensed_kg"][h] += kg
        self.log.append(("filled", arrived, kg))

    def _unserved(self, h: int, arrived: float, kg: float) -> None:
        self.extras["fills_unserved"][h] += 1
        self.log.append(("left unserved", arrived, kg))

    def _ask_top_up(self, h: int) -> None:
        """Ask for hour ``h``'s top-up: the buffer's room now, up to the refill rate."""
        if h < self.hours:
            room_kg = self.buffer.capacity - self.buffer.level
            refill_kg = self.params.refill_kg_per_h
            self.demand_mwh[H2][h] = float(models.kg_to_mwh(refill_kg if refill_kg < room_kg else room_kg))

    def after_settle(self, h: int) -> None:
        buffer = self.buffer
        delivered_kg = models.mwh_to_kg(-self.flows[H2].item(h))
        room_kg = buffer.capacity - buffer.level
        # It was asked for at most the room at the hour's start and trucks only
        # took from the buffer since: it fits (min() only absorbs rounding).
        put = room_kg if room_kg < delivered_kg else delivered_kg   # min(delivered, room)
        if put > 1e-9:
            buffer.put(put)
        self.extras["buffer_kg"][h] = buffer.level
        self._ask_top_up(h + 1)

    def describe(self):
        return {**super().describe(), "purpose": "mobility"}


@register("hydrogen_supply")
class HydrogenSupply(Exchange):
    """Hydrogen bought from outside the park (tube trailers), the backstop.

    Its CO2 per kg is the producer's (grey hydrogen from coal gasification or
    steam methane reforming); the carbon accounting counts it as purchased
    hydrogen.
    """

    carrier = H2
    tags = ("fossil_supply", "hydrogen", "purchased_hydrogen")

    @dataclass
    class Params:
        import_limit_kg_per_h: float = param(unit="kg/h", ge=0, doc="largest delivery rate")
        price_cny_per_kg: float = param(18.0, unit="CNY/kg", ge=0, doc="delivered price (illustrative)")
        co2_kg_per_kg: float = param(
            19.0, unit="kgCO2/kg", ge=0,
            doc="production CO2 of the hydrogen bought; about 19-20 for coal gasification, 9-11 for SMR "
                "(IEA Global Hydrogen Review 2023)")
        priority: int = param(90, doc="merit order (lower first)")
        bus: Optional[str] = param(None, doc="hydrogen-network junction")

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        self.import_limit_mw = float(models.kg_to_mwh(params.import_limit_kg_per_h))
        self.export_limit_mw = 0.0
        self.priority = params.priority
        per_mwh = 1000.0 / models.H2_LHV_KWH_PER_KG  # kg per MWh
        self.import_price = np.full(self.hours, params.price_cny_per_kg * per_mwh)
        self.export_price = np.zeros(self.hours)

    def describe(self):
        return {**super().describe(), "co2_t_per_mwh": self.params.co2_kg_per_kg / models.H2_LHV_KWH_PER_KG,
                "co2_kg_per_kg": self.params.co2_kg_per_kg}


@register("hydrogen_blending")
class HydrogenBlending(Converter):
    """Injects hydrogen into the natural-gas supply within a volume share.

    It replaces natural gas energy one for one (LHV) and runs only while the
    hydrogen tanks are above ``blend_above_fraction`` (surplus hydrogen).
    The volume limit becomes an energy share of the hour's gas need:
    10 % by volume is about 3.2 % of the energy.
    """

    output = GAS
    tags = ("hydrogen", "blending")

    @dataclass
    class Params:
        capacity_mw: float = param(unit="MW", ge=0, doc="largest hydrogen injection (LHV)")
        max_volume_share: float = param(0.10, gt=0, lt=1, doc="hydrogen volume share limit of the blend")
        blend_above_fraction: float = param(0.8, ge=0, le=1, doc="blend only while the tanks are fuller than this")
        priority: int = param(1, doc="runs first so its share applies to the whole gas need")
        bus: Optional[str] = param(None, doc="gas-network junction")

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        self.capacity_mw = params.capacity_mw
        self.priority = params.priority
        self.inputs[H2] = np.ones(self.hours)
        self.max_share_of_need = float(models.blend_energy_share(params.max_volume_share))
        self.max_output_mwh = np.zeros(self.hours)
        self._tanks: list[Storage] = []

    def connect(self, components):
        self._tanks = [c for c in components if isinstance(c, Storage) and c.carrier == H2]
        self._decide(0)

    def _decide(self, h: int) -> None:
        if h < self.hours:
            above = self.params.blend_above_fraction
            full = False
            for t in self._tanks:
                if getattr(t, "soc", t.e_init_mwh) > above * t.e_max_mwh:
                    full = True
                    break
            self.max_output_mwh[h] = self.capacity_mw if full else 0.0

    def after_settle(self, h: int) -> None:
        self._decide(h + 1)
