"""Electric-vehicle charging hubs as SimPy agents.

A hub is a set of charge points. Vehicles arrive on a seeded schedule
(Poisson count per day, normal arrival times and stays, gamma-distributed
energy), wait for a free charge point until they must leave, stay plugged
in until departure, and ask for a session's energy. A vehicle's charging is
planned when it plugs in and posted at once into the hourly demand slots of
its stay, before those hours are settled:

- dumb charging: full power from plug-in until the energy is in;
- smart charging: first into the hours of the stay with the largest
  forecast renewable surplus of the park (must-take renewable availability
  minus the electricity demand posted up to the start of the hour, and the
  sessions planned since), then into the cheapest remaining hours (import price),
  earliest first. A session never takes more than its charge point's power
  in any hour, nor more than the stay allows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

import numpy as np

from twin.core.carriers import Carrier
from twin.core.clock import add_interval_energy
from twin.core.component import Demand, Source
from twin.core.params import param
from twin.core.profiles import rest_days
from twin.core.registry import register

KW_PER_MW = 1000.0
#: Shortest stay of a drawn vehicle [h].
MIN_STAY_H = 0.25
#: Hours ahead of the smart-charging forecast snapshot [h].
FORECAST_H = 48


def draw_sessions(rng: np.random.Generator, first_midnight_h: float, days: int, hours: int, rate_per_day: np.ndarray,
                  arrival_mean_h: float, arrival_std_h: float, stay_mean_h: float, stay_std_h: float,
                  energy_mean_mwh: float, energy_std_mwh: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Charging sessions of a horizon: arrival [run h], stay [h], energy [MWh].

    Parameters
    ----------
    rng : numpy.random.Generator
    first_midnight_h : float
        Run hour of the first day's midnight (<= 0).
    days : int
        Days to draw.
    hours : int
        Horizon [h]; arrivals outside [0, hours) are dropped.
    rate_per_day : numpy.ndarray
        Mean arrivals of each day (Poisson).
    arrival_mean_h, arrival_std_h : float
        Normal arrival clock time [h of day], clipped to the day.
    stay_mean_h, stay_std_h : float
        Normal stay [h], at least :data:`MIN_STAY_H`.
    energy_mean_mwh, energy_std_mwh : float
        Gamma-distributed energy into the battery [MWh] (constant if the std is 0).

    Returns
    -------
    arrive_h, stay_h, energy_mwh : numpy.ndarray, sorted by arrival.
    """
    counts = rng.poisson(rate_per_day[:days])
    day = np.repeat(np.arange(days), counts)
    n = len(day)
    clock = np.clip(rng.normal(arrival_mean_h, arrival_std_h, n), 0.0, np.nextafter(24.0, 0.0))
    stay = np.maximum(rng.normal(stay_mean_h, stay_std_h, n), MIN_STAY_H)
    if energy_std_mwh > 0:
        shape = (energy_mean_mwh / energy_std_mwh) ** 2
        energy = rng.gamma(shape, energy_mean_mwh / shape, n)
    else:
        energy = np.full(n, energy_mean_mwh)
    arrive = first_midnight_h + 24.0 * day + clock
    keep = (arrive >= 0.0) & (arrive < hours)
    order = np.argsort(arrive[keep], kind="stable")
    return arrive[keep][order], stay[keep][order], energy[keep][order]


def plan_session(t0_h: float, t1_h: float, e_mwh: float, p_mw: float, surplus_mw=None, price=None) -> dict[int, float]:
    """Energy per hourly slot of one plugged-in stay [MWh].

    Parameters
    ----------
    t0_h, t1_h : float
        Plug-in and departure [run h].
    e_mwh : float
        Energy to draw [MWh]; capped by ``p_mw`` over the stay.
    p_mw : float
        Charge-point power limit [MW].
    surplus_mw : numpy.ndarray, optional
        Forecast renewable surplus of the hours ``floor(t0)`` ... covering
        the stay; without it, dumb charging (as soon as possible).
    price : numpy.ndarray, optional
        Prices of the same hours; the remaining energy goes to the cheapest.
        Both may also be lists of floats.

    Returns
    -------
    dict
        ``hour -> MWh`` (only hours with energy).
    """
    first = math.floor(t0_h)
    n = math.ceil(t1_h) - first
    caps = [p_mw] * n
    caps[0] = p_mw * (min(t1_h, first + 1.0) - t0_h)
    if n > 1:
        caps[-1] = p_mw * (t1_h - (first + n - 1))
    take_by_slot = [0.0] * n
    left = e_mwh
    if surplus_mw is None:
        order = range(n)
    else:
        # Python floats: indexing a list is much cheaper than a numpy array
        spare = surplus_mw.tolist() if hasattr(surplus_mw, "tolist") else surplus_mw
        if max(spare) > 0.0:
            sunny = [i for i, s in enumerate(spare) if s > 0.0]
            for i in sorted(sunny, key=spare.__getitem__, reverse=True):  # stable: earliest first among equal
                take = min(left, caps[i], spare[i])
                take_by_slot[i] = take
                left -= take
                if left <= 0.0:
                    break
        if left <= 0.0:
            order = ()
        elif price is None:
            order = range(n)
        else:
            cost = price.tolist() if hasattr(price, "tolist") else price
            order = sorted(range(n), key=cost.__getitem__)  # stable: earliest first among equal prices
    for i in order:
        if left <= 0.0:
            break
        take = min(left, caps[i] - take_by_slot[i])
        if take > 0.0:
            take_by_slot[i] += take
            left -= take
    return {first + i: e for i, e in enumerate(take_by_slot) if e > 0.0}


@register("ev_charging")
class EVChargingHub(Demand):
    """A charging hub with a fixed number of charge points (workplace car
    park, logistics depot, public hub)."""

    tags = ("load", "ev")

    @dataclass
    class Params:
        chargers: int = param(ge=1, doc="charge points")
        charger_kw: float = param(unit="kW", gt=0, doc="power limit of one charge point (grid side)")
        arrivals_per_day: float = param(unit="1/day", ge=0, doc="mean vehicle arrivals on a working day")
        rest_day_factor: float = param(0.3, ge=0, doc="arrivals on rest days relative to working days")
        working_days: str = param("mon-fri", choices=("mon-fri", "mon-sat", "all"), doc="days counted as working days")
        arrival_mean_h: float = param(8.5, unit="h of day", ge=0, lt=24, doc="mean arrival clock time")
        arrival_std_h: float = param(1.0, unit="h", ge=0, doc="spread of arrival times")
        stay_mean_h: float = param(8.5, unit="h", gt=0, doc="mean time plugged in")
        stay_std_h: float = param(1.5, unit="h", ge=0, doc="spread of stays")
        energy_mean_kwh: float = param(20.0, unit="kWh", gt=0, doc="mean energy a vehicle takes into its battery")
        energy_std_kwh: float = param(8.0, unit="kWh", ge=0, doc="spread of session energies")
        efficiency: float = param(0.95, gt=0, le=1, doc="battery energy / energy drawn")
        smart: bool = param(False, doc="shift each session's charging into the renewable-surplus hours of its stay")
        bus: Optional[str] = param(None, doc="network bus")

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        p = params
        self.clock = ctx.clock
        self.demand_mwh[Carrier.ELECTRICITY] = np.zeros(self.hours)
        self.p_mw = p.charger_kw / KW_PER_MW
        self.price = ctx.prices.get("electricity_import_cny_per_mwh")
        first_midnight = -float(self.clock.start.hour + self.clock.start.minute / 60.0)
        days = int(math.ceil((self.hours - first_midnight) / 24.0))
        day_hours = np.clip((first_midnight + 24.0 * np.arange(days)).astype(int), 0, self.hours - 1)
        rate = np.where(rest_days(self.clock, p.working_days)[day_hours], p.arrivals_per_day * p.rest_day_factor,
                        p.arrivals_per_day)
        self.sessions = draw_sessions(ctx.rng(name), first_midnight, days, self.hours, rate, p.arrival_mean_h,
                                      p.arrival_std_h, p.stay_mean_h, p.stay_std_h, p.energy_mean_kwh / KW_PER_MW,
                                      p.energy_std_kwh / KW_PER_MW)
        #: (time [run h], event, vehicle) when a list; None keeps no log.
        self.log: list | None = None
        self._renewables: list[np.ndarray] = []
        self._demands: list[np.ndarray] = []
        self._snapshot_hour, self._snapshot = -1, []

    def extra_columns(self):
        return super().extra_columns() + ("arrivals", "refused", "unmet_mwh")

    def connect(self, components) -> None:
        """Keep the arrays the smart-charging forecast reads."""
        if not self.params.smart:
            return
        self._renewables = [c.available_mwh for c in components
                            if isinstance(c, Source) and c.carrier == Carrier.ELECTRICITY and "renewable" in c.tags]
        self._demands = [c.demand_mwh[Carrier.ELECTRICITY] for c in components
                         if isinstance(c, Demand) and Carrier.ELECTRICITY in c.demand_mwh]

    def surplus_forecast(self, h0: int, h1: int) -> np.ndarray:
        """Renewable availability minus posted electricity demand, hours [h0, h1) [MW]."""
        s = np.zeros(h1 - h0)
        for a in self._renewables:
            s += a[h0:h1]
        for a in self._demands:
            s -= a[h0:h1]
        return s

    def _forecast(self, h0: int, h1: int) -> list[float]:
        """The surplus forecast of hours [h0, h1) [MW], from a snapshot
        refreshed once per hour (most arrivals of an hour share it).

        The snapshot (``_snapshot``, from hour ``_snapshot_hour`` = ``h0``)
        is a list of Python floats, cheaper to plan on than an array;
        :meth:`_charge` takes each session's plan out of it.
        """
        if h0 != self._snapshot_hour or h1 - h0 > len(self._snapshot):
            self._snapshot_hour = h0
            self._snapshot = self.surplus_forecast(h0, min(self.hours, max(h1, h0 + FORECAST_H))).tolist()
        return self._snapshot[: h1 - h0]

    # -- the agent ------------------------------------------------------------
    def process(self, env):
        """Let each vehicle arrive at its time: it plugs in at a free charge
        point, or waits for one as its own process."""
        import simpy

        self._points = simpy.Resource(env, capacity=self.params.chargers)
        arrive = self.sessions[0]
        np.add.at(self.extras["arrivals"], arrive.astype(int), 1.0)
        self._depart = np.minimum(arrive + self.sessions[1], float(self.hours)).tolist()
        self._draw = (self.sessions[2] / self.params.efficiency).tolist()
        # looked up once for the ~30 000 sessions of a year; the prices as Python floats
        self._smart = self.params.smart
        self._price = self.price.tolist() if self.price is not None else None
        self._demand = self.demand_mwh[Carrier.ELECTRICITY]
        request, log = self._points.request, self.log
        for k, t in enumerate(arrive.tolist()):
            if t > env.now:
                yield env.timeout(t - env.now)
            if log is not None:
                log.append((t, "arrive", k))
            req = request()
            if req.triggered:
                self._plug(env, k, req)
            else:
                env.process(self._wait(env, k, req))

    def _wait(self, env, k: int, req):
        """A vehicle that found every charge point taken waits until it must leave."""
        got = yield req | env.timeout(self._depart[k] - env.now)
        if req in got:
            self._plug(env, k, req)
        else:
            req.cancel()
            self.extras["refused"][min(int(env.now), self.hours - 1)] += 1
            if self.log is not None:
                self.log.append((env.now, "refused", k))

    def _plug(self, env, k: int, req) -> None:
        """Plug in now, post the session's charging, free the point at departure."""
        t_h, depart_h = env.now, self._depart[k]
        if self.log is not None:
            self.log.append((t_h, "plug", k))
        self._charge(t_h, depart_h, self._draw[k])
        departure = env.timeout(depart_h - t_h, value=(req, k))
        departure.callbacks.append(self._leave)

    def _leave(self, departure) -> None:
        """A vehicle leaves (``departure.value`` is its request and number):
        its charge point is free."""
        req, k = departure.value
        self._points.release(req)
        if self.log is not None:
            self.log.append((departure.env.now, "depart", k))

    def _charge(self, t0: float, t1: float, e_mwh: float) -> None:
        """Plan a session and post it into the hourly demand."""
        if t1 <= t0:
            return
        h0, h1 = math.floor(t0), math.ceil(t1)
        demand = self._demand
        if self._smart:
            price = self._price[h0:h1] if self._price is not None else None
            plan = plan_session(t0, t1, e_mwh, self.p_mw, self._forecast(h0, h1), price)
            surplus = self._snapshot  # its first hour is h0
            got = 0.0
            for h, e in plan.items():
                surplus[h - h0] -= e  # later sessions of this hour see what this one took
                demand[h] += e
                got += e
        else:  # as soon as possible at full power: the same as plan_session without a forecast
            got = min(e_mwh, self.p_mw * (t1 - t0))
            add_interval_energy(demand, t0, t0 + got / self.p_mw, self.p_mw)
        short = e_mwh - got
        if short > 1e-12:
            self.extras["unmet_mwh"][h0] += short

    def describe(self):
        arrive = self.sessions[0]
        return {**super().describe(), "chargers": self.params.chargers, "charger_kw": self.params.charger_kw,
                "smart": self.params.smart, "sessions": int(len(arrive))}
