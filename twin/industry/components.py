"""Factories as SimPy agents.

A :class:`ShiftFactory` is the simplest industrial agent: a base load all
year and a production load during shifts on working days. Its shifts are
SimPy events at their real clock times (a shift may start at 07:30), and the
energy of each shift lands in the hours it occupies.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Optional

import numpy as np

from twin.core.carriers import Carrier
from twin.core.clock import add_interval_energy
from twin.core.component import Demand
from twin.core.params import param
from twin.core.profiles import date_window_problems, rest_days
from twin.core.registry import register
from twin.industry.models import H2_LHV_KWH_PER_KG, KGCE_PER_MWH_FUEL


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


# ======================================================================
# Industrial processes built from archetypes
# ======================================================================

#: Engine carriers of an archetype's energy keys (coal is not carried).
_CARRIER_OF = {"electricity": Carrier.ELECTRICITY, "heat": Carrier.HEAT, "gas": Carrier.GAS,
               "hydrogen": Carrier.HYDROGEN}
#: Stream kinds whose available/used columns feed guiding indicator G4, and waste gas.
_STREAM_COLUMNS = {"heat": "waste_heat", "cold": "waste_cold", "pressure": "waste_pressure", "gas": "waste_gas"}
_TINY = 1e-12


def _archetype_problems(p) -> list:
    """Problems of an IndustrialProcess.Params that need the archetype file."""
    from twin.industry.archetypes import ArchetypeError, load_archetypes

    out = []
    try:
        lib = load_archetypes(p.archetypes_file)
    except (ArchetypeError, OSError) as err:
        return [("archetypes_file", str(err))]
    if p.archetype not in lib.archetypes:
        return [("archetype", f"unknown archetype {p.archetype!r}; expected one of: {', '.join(sorted(lib.archetypes))}")]
    arch = lib.archetypes[p.archetype]
    if arch.output_profile is not None or p.output_profile is not None:
        from twin.core.profiles import shape_names

        shape = p.output_profile or arch.output_profile
        if shape not in shape_names():
            out.append(("output_profile", f"unknown load shape {shape!r}; expected one of {shape_names()}"))
    for c in p.omit_carriers:
        if c not in ("electricity", "heat", "gas", "hydrogen", "coal"):
            out.append(("omit_carriers", f"unknown carrier {c!r}; expected electricity, heat, gas, hydrogen or coal"))
    return out


def _shift_problems(shifts, key: str) -> list:
    out = []
    for i, shift in enumerate(shifts):
        ok = isinstance(shift, (list, tuple)) and len(shift) == 2 and all(
            isinstance(x, (int, float)) and not isinstance(x, bool) for x in shift)
        if not ok or not 0 <= shift[0] < 24 or not shift[0] < shift[1] <= shift[0] + 24:
            out.append((f"{key}[{i}]", f"must be [start, end] hours with 0 <= start < 24 and start < end <= start + 24 (got {shift!r})"))
    return out


def _outage_problems(outages) -> list:
    import pandas as pd

    out = []
    for i, o in enumerate(outages):
        try:
            ok = isinstance(o, (list, tuple)) and len(o) == 2 and float(o[1]) > 0
            if ok:
                pd.Timestamp(str(o[0]))
        except (ValueError, TypeError):
            ok = False
        if not ok:
            out.append((f"outages[{i}]", f"must be [\"YYYY-MM-DD HH:MM\", duration_h > 0] (got {o!r})"))
    return out


@register("industrial_process")
class IndustrialProcess(Demand):
    """An industrial line built from an archetype: a SimPy agent.

    Production follows the line's schedule (shifts, working days, China's
    public holidays, planned maintenance), stops for breakdowns drawn from
    the agent's own generator (exponential times to failure and to repair,
    MTBF and MTTR in calendar hours) and for forced ``outages``; a batch
    archetype runs batches back to back in each production window and holds
    their energy for their real duration (a breakdown pauses a batch, which
    resumes after the repair). Energy of carrier ``c`` is drawn at

        P_c(t) = e_c R (b_c + (1 - b_c) r(t))

    with ``e_c`` the level's specific energy at continuous rated output
    [MWh/unit], ``R`` the rated output [unit/h], ``b_c`` the archetype's
    base share and ``r(t)`` 1 while producing (times an output profile,
    less an interrupted share), else 0. Output, process CO2, solid waste,
    water and the waste heat/cold/pressure/gas streams follow production.

    Flexibility: with ``demand_response: shift_peak`` the shiftable share of
    the line's electricity is moved out of peak-price hours (price above
    1.2 x the median of the horizon) into the next valley-price hours (below
    0.8 x the median), at most the shiftable share of the rated power more
    per hour; output is kept (buffers absorb it). With
    ``interrupt_above_cny_per_mwh`` the interruptible share of production is
    dropped in hours priced above it, output lost with it. Both potentials
    are recorded every hour for demand response.

    Hydrogen feedstock is either drawn from the park (``hydrogen_supply:
    park``: a hydrogen demand port, served by electrolysers, tanks or
    trailers; unserved if nothing supplies it) or, when the park has no
    hydrogen supply, reported as grey hydrogen bought over the fence
    (``bought``: columns ``hydrogen_bought_mwh``/``_kg``, its energy in
    ``fuel_tce`` and its production CO2 in ``purchased_hydrogen_co2_t``);
    ``auto`` picks ``park`` when any component supplies hydrogen.
    """

    tags = ("load", "industry")

    @dataclass
    class Params:
        archetype: str = param(doc="archetype name (twin/industry/data/archetypes.yaml)")
        rated_output_per_h: float = param(gt=0, unit="product unit/h", doc="output while producing at full rate")
        efficiency_level: str = param("standard", choices=("standard", "advanced"), doc="specific-energy level")
        shifts: Optional[list] = param(None, unit="h of day", doc="[start, end] of each shift; null: the archetype's")
        working_days: Optional[str] = param(None, choices=("mon-fri", "mon-sat", "all"),
                                            doc="days with shifts; null: the archetype's")
        maintenance: Optional[list] = param(None, doc="planned shutdowns [[MM-DD, MM-DD], ...]; null: the archetype's")
        output_profile: Optional[str] = param(None, doc="load shape modulating output (null: the archetype's, or flat)")
        breakdowns: bool = param(True, doc="draw stochastic breakdowns from MTBF/MTTR")
        mtbf_h: Optional[float] = param(None, gt=0, unit="h", doc="mean time between failures; null: the archetype's")
        mttr_h: Optional[float] = param(None, gt=0, unit="h", doc="mean time to repair; null: the archetype's")
        outages: list = param(default_factory=list, doc="forced outages [[\"YYYY-MM-DD HH:MM\", duration_h], ...]")
        demand_response: str = param("none", choices=("none", "shift_peak"), doc="rule for the shiftable share")
        shiftable_share: Optional[float] = param(None, ge=0, le=1, doc="share of electricity that can move in time")
        interruptible_share: Optional[float] = param(None, ge=0, le=1, doc="share of production that can be dropped")
        interrupt_above_cny_per_mwh: Optional[float] = param(None, ge=0, unit="CNY/MWh",
                                                             doc="drop the interruptible share above this price")
        hydrogen_supply: str = param("auto", choices=("auto", "park", "bought"), doc="where hydrogen feedstock comes from")
        grey_hydrogen_co2_kg_per_kg: Optional[float] = param(None, ge=0, unit="kgCO2/kg",
                                                             doc="CO2 of hydrogen bought; null: the archetype file's default")
        omit_carriers: list = param(default_factory=list,
                                    doc="carriers modelled by another component (e.g. [gas] when ovens are their own component)")
        archetypes_file: Optional[str] = param(None, doc="a YAML of archetypes of the same shape; null: the package's")
        bus: Optional[str] = param(None, doc="electric bus")
        heat_junction: Optional[str] = param(None, doc="heat-network junction")
        gas_junction: Optional[str] = param(None, doc="gas-network junction")

        def problems(self):
            out = _archetype_problems(self)
            if self.shifts is not None:
                out += _shift_problems(self.shifts, "shifts")
            if self.maintenance is not None:
                out += date_window_problems(self.maintenance, "maintenance")
            return out + _outage_problems(self.outages)

    @classmethod
    def stream_kinds(cls, params) -> set[str]:
        """Kinds of waste streams a line of these parameters offers (for validation)."""
        from twin.industry.archetypes import load_archetypes

        return load_archetypes(params.archetypes_file).archetypes[params.archetype].stream_kinds()

    def __init__(self, name, params, ctx):
        from twin.industry import models
        from twin.industry.archetypes import load_archetypes

        super().__init__(name, params, ctx)
        p = params
        lib = load_archetypes(p.archetypes_file)
        self.arch = arch = lib.archetypes[p.archetype]
        self.level = level = arch.levels[p.efficiency_level]
        self.clock = ctx.clock
        self.R = p.rated_output_per_h
        self.batch = arch.mode == "batch"
        # Powers at rated output [MW] by energy key: base (always) and variable (while producing).
        self._base, self._var = {}, {}
        for key, e in level.energy_mwh_per_unit.items():
            if key in p.omit_carriers or e <= 0.0:
                continue
            b = arch.base_share.get(key, 0.0)
            self._base[key] = b * e * self.R
            self._var[key] = (1.0 - b) * e * self.R
        for key in ("electricity", "heat", "gas"):
            if key in self._base:
                self.demand_mwh[_CARRIER_OF[key]] = np.zeros(self.hours)
        self.hydrogen_supply = p.hydrogen_supply   # "auto" resolved in connect()
        if "hydrogen" in self._base and p.hydrogen_supply == "park":
            self.demand_mwh[Carrier.HYDROGEN] = np.zeros(self.hours)
        self._ledger = None
        self.grey_h2_co2_kg_per_kg = (p.grey_hydrogen_co2_kg_per_kg if p.grey_hydrogen_co2_kg_per_kg is not None
                                      else lib.defaults.get("grey_hydrogen_co2_kg_per_kg", 19.0))
        self.coal_co2_t_per_mwh = lib.defaults.get("coal_co2_t_per_mwh", 0.32676)
        # Schedule
        shifts = p.shifts if p.shifts is not None else arch.shifts
        working_days = p.working_days or arch.working_days
        maintenance = p.maintenance if p.maintenance is not None else arch.maintenance
        self.windows = models.production_windows(ctx.clock, shifts, working_days, maintenance)
        shape = p.output_profile or arch.output_profile
        if shape and not self.batch:
            from twin.core.profiles import calendar_profile

            self._profile = calendar_profile(ctx.clock, shape, "all")
        else:
            self._profile = np.ones(self.hours)
        # Reliability and flexibility
        self.mtbf_h = p.mtbf_h if p.mtbf_h is not None else arch.mtbf_h
        self.mttr_h = p.mttr_h if p.mttr_h is not None else arch.mttr_h
        self._rng = ctx.rng(name)
        self.shiftable_share = p.shiftable_share if p.shiftable_share is not None else arch.shiftable_share
        self.interruptible_share = (p.interruptible_share if p.interruptible_share is not None
                                    else arch.interruptible_share)
        price = ctx.prices.get("electricity_import_cny_per_mwh", np.zeros(self.hours))
        if p.demand_response == "shift_peak" and self.shiftable_share > 0 and "electricity" in self._base:
            self._peak, self._valley = models.price_bands(price)
        else:
            self._peak = self._valley = np.zeros(self.hours, dtype=bool)
        if p.interrupt_above_cny_per_mwh is not None:
            self._interrupt = np.asarray(price) > p.interrupt_above_cny_per_mwh
        else:
            self._interrupt = np.zeros(self.hours, dtype=bool)
        self._outages = [(self._run_hour(t), float(d)) for t, d in p.outages]
        # Streams: recoverable MWh per unit by kind; arrays other components read by reference
        self.stream_recoverable = {}
        for s in arch.streams:
            self.stream_recoverable[s.kind] = self.stream_recoverable.get(s.kind, 0.0) + s.recoverable_mwh_per_unit
        for kind, col in _STREAM_COLUMNS.items():
            if kind in self.stream_recoverable or kind == "heat":
                setattr(self, f"{col}_mwh", np.zeros(self.hours))
        self._intake = [0.0] * self.hours             # water taken in per hour [m3] (plain floats: read hourly)
        self.waste_generated_total_t = 0.0             # cumulative, read by waste yards
        self.log: list[tuple[str, float]] = []          # (event, run hour)
        # Run state
        self._last = 0.0
        self._scheduled = False
        self._broken = 0
        self._backlog = 0.0
        self._env = None
        self._consumers: dict[str, list] = {}
        self._cols = None   # the arrays _post writes, see _columns()
        self._used_cols = None   # the stream columns after_settle books, see after_settle()

    # -- wiring ---------------------------------------------------------
    def _run_hour(self, stamp) -> float:
        import pandas as pd

        ts = pd.Timestamp(str(stamp))
        ts = ts.tz_localize(self.clock.start.tz) if ts.tzinfo is None else ts.tz_convert(self.clock.start.tz)
        return (ts - self.clock.start) / pd.Timedelta(hours=1)

    def connect(self, components) -> None:
        """Resolve ``hydrogen_supply: auto`` and find who takes this line's waste streams."""
        from twin.core.component import Converter, Exchange, Source, Storage

        if "hydrogen" in self._base and self.hydrogen_supply == "auto":
            supplied = any((isinstance(c, (Source, Storage, Exchange)) and getattr(c, "carrier", None) == Carrier.HYDROGEN)
                           or (isinstance(c, Converter) and c.output == Carrier.HYDROGEN) for c in components)
            self.hydrogen_supply = "park" if supplied else "bought"
            if supplied:
                self.demand_mwh[Carrier.HYDROGEN] = np.zeros(self.hours)
                if self._ledger is not None:   # connected after binding: take the port's columns now
                    self.flows[Carrier.HYDROGEN] = self._ledger.add(f"{self.name}.hydrogen_mwh",
                                                                    carrier=Carrier.HYDROGEN, kind="flow")
                    self.extras["unserved_hydrogen_mwh"] = self._ledger.add(f"{self.name}.unserved_hydrogen_mwh")
        for c in components:
            if c is self or getattr(getattr(c, "params", None), "stream_of", None) != self.name:
                continue
            kind = getattr(c, "stream_kind", "heat")
            self._consumers.setdefault(kind, []).append(c)

    def bind(self, ledger) -> None:
        self._ledger = ledger
        super().bind(ledger)

    def extra_columns(self):
        cols = list(super().extra_columns())
        cols += ["product_output", "running_h", "process_co2_t", "solid_waste_generated_t"]
        for kind, col in _STREAM_COLUMNS.items():
            if hasattr(self, f"{col}_mwh"):
                cols += [f"{col}_available_mwh", f"{col}_used_mwh"]
        cols += ["water_fresh_m3", "water_reused_m3", "water_reclaimed_m3", "wastewater_m3",
                 "shiftable_mwh", "shifted_mwh", "recovered_mwh", "shift_backlog_mwh", "interruptible_mwh",
                 "interrupted_mwh"]
        # "auto" may still be unresolved here (connected after binding): keep the bought columns ready
        buys = "hydrogen" in self._base and self.hydrogen_supply != "park"
        if buys:
            cols += ["hydrogen_bought_mwh", "hydrogen_bought_kg", "purchased_hydrogen_co2_t"]
        if "coal" in self._base:
            cols += ["coal_mwh", "combustion_co2_t"]
        if "coal" in self._base or buys:
            cols += ["fuel_tce"]
        return tuple(cols)

    # -- posting ----------------------------------------------------------
    def flush(self, t: float) -> None:
        """Post everything from the last post up to time ``t`` with the
        state that held over that interval. Idempotent: any component may
        call it (before reading this line's hour) in any order."""
        if self._last >= t - _TINY:   # posted already (most calls: every reader flushes each hour)
            return
        t = float(t)
        if t > self.hours:
            t = float(self.hours)
        last = self._last
        while last < t - _TINY:
            h = int(last)
            end = h + 1.0
            t1 = t if t < end else end
            self._post(h, t1 - last, last == h)
            last = self._last = t1

    def _post(self, h: int, dt: float, fresh: bool) -> None:
        """Post the interval of length ``dt`` in hour ``h``; ``fresh``: it is
        the hour's first, so the hour's slots of this line still hold 0."""
        # Runs once or twice per line and hour, so written for speed: the
        # columns and constants are looked up once (_columns), the hourly
        # inputs read as plain floats (numpy scalar arithmetic is several
        # times slower), terms that are exactly zero (nothing made, a zero
        # factor) not added, and a fresh hour's slots set rather than added to
        # (0 + v is v; a numpy read-add-write costs three times a write).
        c = self._cols or self._columns()
        if self._scheduled and self._broken == 0:
            f = c.profile[h]
            cut = self.interruptible_share if c.interrupt[h] else 0.0
            rate = f * (1.0 - cut)
            made = self.R * rate * dt        # units made (batch: progress of the running batch)
            c.running_h[h] = dt if fresh else c.running_h[h] + dt
        else:
            f = cut = rate = made = 0.0
        for is_electricity, key, base, var, target in c.energy:
            e = (base + var * rate) * dt
            if is_electricity:
                e = self._demand_response(h, dt, e, f, cut, fresh)
            if target is not None:
                target[h] = e if fresh else target[h] + e
            elif key == "hydrogen":
                c.hydrogen_bought_mwh[h] += e
                kg = e * 1000.0 / H2_LHV_KWH_PER_KG
                c.hydrogen_bought_kg[h] += kg
                c.purchased_hydrogen_co2_t[h] += kg * self.grey_h2_co2_kg_per_kg / 1000.0
                c.fuel_tce[h] += e * KGCE_PER_MWH_FUEL / 1000.0
            else:   # coal
                c.coal_mwh[h] += e
                c.combustion_co2_t[h] += e * self.coal_co2_t_per_mwh
                c.fuel_tce[h] += e * KGCE_PER_MWH_FUEL / 1000.0
        if made == 0.0:
            return
        if c.product_output is not None:
            c.product_output[h] = made if fresh else c.product_output[h] + made
        if c.co2_per_unit:
            c.process_co2_t[h] += made * c.co2_per_unit
        waste = made * c.waste_per_unit
        c.solid_waste_generated_t[h] = waste if fresh else c.solid_waste_generated_t[h] + waste
        self.waste_generated_total_t += waste
        intake = made * c.intake_per_unit
        self._intake[h] += intake
        reused = intake * c.reuse_share / c.not_reused_share
        wastewater = intake * c.wastewater_share
        if fresh:
            c.water_fresh_m3[h] = intake
            c.water_reused_m3[h] = reused
            c.wastewater_m3[h] = wastewater
        else:
            c.water_fresh_m3[h] += intake
            c.water_reused_m3[h] += reused
            c.wastewater_m3[h] += wastewater
        for per_unit, stream, available in c.streams:
            v = made * per_unit
            if fresh:
                stream[h] = available[h] = v
            else:
                stream[h] += v
                available[h] += v

    def _columns(self) -> SimpleNamespace:
        """The arrays and constants ``_post`` uses, looked up once (after
        binding and ``connect`` resolved where hydrogen comes from)."""
        x = self.extras
        c = SimpleNamespace(**{k: x.get(k) for k in (
            "running_h", "hydrogen_bought_mwh", "hydrogen_bought_kg", "purchased_hydrogen_co2_t", "fuel_tce",
            "coal_mwh", "combustion_co2_t", "process_co2_t", "solid_waste_generated_t", "water_fresh_m3",
            "water_reused_m3", "water_reclaimed_m3", "wastewater_m3", "shiftable_mwh", "shifted_mwh",
            "recovered_mwh", "shift_backlog_mwh", "interruptible_mwh", "interrupted_mwh")})
        c.product_output = None if self.batch else x["product_output"]
        # Hourly inputs fixed when built, as lists of plain floats and bools.
        c.profile = self._profile.tolist()
        c.interrupt = self._interrupt.tolist()
        c.peak, c.valley = self._peak.tolist(), self._valley.tolist()
        c.shifting = any(c.peak)   # else the backlog stays 0 and its column is not written
        # (is electricity, key, base MW, variable MW, demand array or None for hydrogen bought and coal)
        c.energy = [(key == "electricity", key, base, self._var[key],
                     None if key == "coal" or (key == "hydrogen" and self.hydrogen_supply != "park")
                     else self.demand_mwh[_CARRIER_OF[key]])
                    for key, base in self._base.items()]
        if "electricity" in self._base:
            var_e = self._var["electricity"]
            c.var_e = var_e
            # Leading factors of the products in _demand_response (same rounding, left to right).
            c.interruptible_var_e = self.interruptible_share * var_e
            c.shift_rated_e = self.shiftable_share * (self._base["electricity"] + var_e)
        lv = self.level
        c.co2_per_unit = lv.process_co2_t_per_unit
        c.waste_per_unit = lv.solid_waste_t_per_unit
        c.intake_per_unit = lv.water_intake_m3_per_unit
        c.reuse_share = lv.water_internal_reuse_share
        c.not_reused_share = 1.0 - lv.water_internal_reuse_share
        c.wastewater_share = self.arch.wastewater_share
        c.streams = [(per_unit, getattr(self, f"{_STREAM_COLUMNS[kind]}_mwh"), x[f"{_STREAM_COLUMNS[kind]}_available_mwh"])
                     for kind, per_unit in self.stream_recoverable.items()]
        self._cols = c
        return c

    def _demand_response(self, h: int, dt: float, e: float, f: float, cut: float, fresh: bool) -> float:
        """Electricity after shifting; record the flexibility of the interval
        (``fresh`` as in ``_post``)."""
        c = self._cols
        s = self.shiftable_share
        se = s * e
        c.shiftable_mwh[h] = se if fresh else c.shiftable_mwh[h] + se
        if f:   # idle: nothing interruptible, nothing interrupted
            if c.interruptible_var_e:
                v = c.interruptible_var_e * f * dt
                c.interruptible_mwh[h] = v if fresh else c.interruptible_mwh[h] + v
            if cut:
                c.interrupted_mwh[h] += c.var_e * f * cut * dt
        if c.peak[h]:
            e -= se
            self._backlog += se
            c.shifted_mwh[h] += se
        elif c.valley[h] and self._backlog > _TINY:
            extra = c.shift_rated_e * dt
            if self._backlog < extra:   # min(s * rated * dt, backlog)
                extra = self._backlog
            e += extra
            self._backlog -= extra
            c.recovered_mwh[h] += extra
        if c.shifting:
            c.shift_backlog_mwh[h] = self._backlog
        return e

    # -- what others call -------------------------------------------------
    def water_need_m3(self, h: int) -> float:
        """Water the line takes in during hour ``h`` (fresh or reclaimed) [m3]."""
        return self._intake[h]

    def wastewater_m3(self, h: int) -> float:
        """Wastewater the line discharges in hour ``h`` [m3]."""
        return (self._cols or self._columns()).wastewater_m3.item(h)

    def receive_reclaimed_water(self, h: int, m3: float) -> None:
        """Book ``m3`` of the hour's intake as reclaimed water from the park's plant."""
        c = self._cols or self._columns()
        c.water_fresh_m3[h] -= m3
        c.water_reused_m3[h] += m3
        c.water_reclaimed_m3[h] += m3

    def after_settle(self, h: int) -> None:
        """Book what the units recovering this line's streams used in hour ``h``."""
        if self._used_cols is None:   # looked up once, at the first hour
            x = self.extras
            self._used_cols = [([(c, hasattr(c, "stream_used_mwh")) for c in consumers],
                                x[f"{col}_used_mwh"], x[f"{col}_available_mwh"])
                               for kind, consumers in self._consumers.items()
                               if (col := _STREAM_COLUMNS.get(kind)) is not None and f"{col}_used_mwh" in x]
        for consumers, used_col, available_col in self._used_cols:
            used = 0   # as sum(): left to right
            for c, own in consumers:
                used += float(c.stream_used_mwh(h)) if own else _heat_converter_used(c, h)
            if used < 0.0:
                used = 0.0
            avail = available_col.item(h)
            used_col[h] = avail if avail < used else used   # min(max(used, 0), avail)

    # -- the SimPy story ----------------------------------------------------
    def start(self, env) -> None:
        self._env = env
        self._failure = env.event()
        self._repair = env.event()

    def process(self, env):
        """Production (this process), breakdowns and outages as processes."""
        if self._env is None:
            self.start(env)
        if self.params.breakdowns and self.mtbf_h > 0:
            env.process(self._breakdowns(env))
        for t, d in self._outages:
            env.process(self._outage(env, t, d))
        yield from (self._batches(env) if self.batch else self._continuous(env))

    def end_hour(self, h: int) -> None:
        """Post hour ``h`` up to its end, so it is complete before it is settled."""
        self.flush(h + 1)

    def _note(self, event: str, t: float) -> None:
        self.log.append((event, t))

    def _set_scheduled(self, on: bool, t: float) -> None:
        self.flush(t)
        self._scheduled = on

    def _continuous(self, env):
        for t0, t1 in self.windows:
            if t0 > env.now:
                yield env.timeout(t0 - env.now)
            self._set_scheduled(True, env.now)
            self._note("start", env.now)
            if t1 > env.now:
                yield env.timeout(t1 - env.now)
            self._set_scheduled(False, env.now)
            self._note("stop", env.now)

    def _batches(self, env):
        a = self.arch
        for t0, t1 in self.windows:
            if t0 > env.now:
                yield env.timeout(t0 - env.now)
            while True:
                while self._broken:
                    yield self._repair
                if env.now + a.batch_duration_h > t1 + 1e-9:
                    break
                self._set_scheduled(True, env.now)
                self._note("batch_start", env.now)
                remaining = a.batch_duration_h
                while remaining > 1e-9:
                    while self._broken:
                        yield self._repair
                    t = env.now
                    yield env.timeout(remaining) | self._failure
                    remaining -= env.now - t
                self._set_scheduled(False, env.now)
                slot = min(max(math.ceil(env.now) - 1, 0), self.hours - 1)
                self.extras["product_output"][slot] += a.batch_size
                self._note("batch_end", env.now)
                if a.batch_changeover_h > 0:
                    yield env.timeout(a.batch_changeover_h)

    def _fail(self, t: float, event: str) -> None:
        self.flush(t)
        self._broken += 1
        self._note(event, t)
        old, self._failure = self._failure, self._env.event()
        old.succeed()

    def _unfail(self, t: float, event: str) -> None:
        self.flush(t)
        self._broken -= 1
        self._note(event, t)
        old, self._repair = self._repair, self._env.event()
        old.succeed()

    def _breakdowns(self, env):
        rng = self._rng
        while True:
            # float(): a numpy scalar delay would make the clock a numpy scalar (slow arithmetic)
            yield env.timeout(float(rng.exponential(self.mtbf_h)))
            if env.now >= self.hours:
                return
            self._fail(env.now, "breakdown")
            yield env.timeout(float(rng.exponential(self.mttr_h)))
            self._unfail(env.now, "repaired")

    def _outage(self, env, t: float, duration_h: float):
        if t + duration_h <= 0.0 or t >= self.hours:
            return
        if t > env.now:
            yield env.timeout(t - env.now)
        self._fail(env.now, "outage")
        yield env.timeout(t + duration_h - env.now)
        self._unfail(env.now, "outage_end")

    # -- facts --------------------------------------------------------------
    def describe(self):
        from twin.industry import models

        a, lv, p = self.arch, self.level, self.params
        d = {**super().describe(), "archetype": a.name, "product": a.product, "product_unit": a.product_unit,
             "efficiency_level": p.efficiency_level, "mode": a.mode, "rated_output_per_h": self.R,
             "energy_mwh_per_unit": dict(lv.energy_mwh_per_unit), "heat_mwh_per_unit_by_level": dict(lv.heat_by_level),
             "comprehensive_kgce_per_unit_at_rated": lv.comprehensive_kgce_per_unit,
             "base_share": dict(a.base_share), "omitted_carriers": list(p.omit_carriers),
             "process_co2_t_per_unit": lv.process_co2_t_per_unit,
             "streams": [{"name": s.name, "kind": s.kind, "t_c": s.t_c, "mwh_per_unit": s.mwh_per_unit,
                          "recoverable_share": s.recoverable_share} for s in a.streams],
             "shiftable_share": self.shiftable_share, "interruptible_share": self.interruptible_share,
             "demand_response": p.demand_response, "mtbf_h": self.mtbf_h, "mttr_h": self.mttr_h,
             "production_hours_scheduled": models.running_hours(self.windows)}
        if "hydrogen" in self._base:
            d["hydrogen_supply"] = self.hydrogen_supply
            if self.hydrogen_supply != "park":
                d["grey_hydrogen_co2_kg_per_kg"] = self.grey_h2_co2_kg_per_kg
        if a.energy_limit is not None:
            lim = a.energy_limit
            d.update({"energy_limit_standard": lim.standard, "energy_limit_quantity": lim.quantity,
                      "energy_limit_level1_kgce_per_unit": lim.level1,
                      "energy_limit_level2_kgce_per_unit": lim.level2,
                      "energy_limit_level3_kgce_per_unit": lim.level3, "energy_limit_status": lim.status})
        return d


def _stream_used(consumer, h: int) -> float:
    """Stream energy a recovery unit took in hour ``h`` [MWh]: its own
    ``stream_used_mwh(h)``, or for a heat converter (a heat pump or exchanger
    on the heat network) its heat output less the compressor's share."""
    if hasattr(consumer, "stream_used_mwh"):
        return float(consumer.stream_used_mwh(h))
    return _heat_converter_used(consumer, h)


def _heat_converter_used(consumer, h: int) -> float:
    """Stream energy a heat converter took in hour ``h`` [MWh] (see :func:`_stream_used`)."""
    out = consumer.flows.get(Carrier.HEAT)
    if out is None:
        return 0.0
    cop = getattr(consumer, "cop", None)
    heat = out.item(h)
    if heat < 0.0:   # max(heat, 0.0)
        heat = 0.0
    return heat * (1.0 - 1.0 / cop) if cop else heat
