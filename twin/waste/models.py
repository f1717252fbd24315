"""Pure functions of the waste and water domain: waste-to-energy yields and
CO2, sharing tonnes among routes, one hour of a water reuse plant, and the
calendars of collections and operating hours.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
import pandas as pd

from twin.core.clock import HourClock
from twin.core.profiles import date_window_problems  # noqa: F401  (re-exported for waste components)
from twin.core.profiles import rest_days

#: MJ per MWh.
MJ_PER_MWH = 3600.0
#: Mass ratio CO2 / C.
CO2_PER_C = 44.0 / 12.0


def wte_energy_mwh(burnt_t, lhv_gj_per_t: float, efficiency: float):
    """Energy out of burning waste [MWh]: tonnes x LHV [GJ/t] / 3.6 x efficiency
    (floats stay floats).

    >>> round(float(wte_energy_mwh(2.0, 12.0, 0.22)), 4)
    1.4667
    """
    if not isinstance(burnt_t, float):   # an hour's float stays a float (numpy on scalars is slow)
        burnt_t = np.asarray(burnt_t, dtype=float)
    return burnt_t * lhv_gj_per_t * 1000.0 / MJ_PER_MWH * efficiency


def wte_co2_t(burnt_t, carbon_share: float, fossil_carbon_share: float) -> tuple:
    """Fossil and biogenic CO2 of burning waste [tCO2], complete oxidation.

    ``carbon_share`` is the total carbon per tonne of waste as received,
    ``fossil_carbon_share`` the fossil part of that carbon.

    References
    ----------
    IPCC (2006) Guidelines, Vol. 5 ch. 5, eq. 5.1: CO2 = sum(SW x dm x CF x
    FCF x OF) x 44/12, here with ``carbon_share = dm x CF`` and OF = 1.

    >>> tuple(round(float(x), 4) for x in wte_co2_t(1.0, 0.30, 0.6))
    (0.66, 0.44)
    """
    if not isinstance(burnt_t, float):   # floats stay floats
        burnt_t = np.asarray(burnt_t, dtype=float)
    c = burnt_t * carbon_share * CO2_PER_C
    return c * fossil_carbon_share, c * (1.0 - fossil_carbon_share)


def share_out(amount_t: float, shares: Sequence[float], rooms_t: Sequence[float]) -> list[float]:
    """Tonnes sent to each route: its share of ``amount_t``, at most its room.

    What does not fit stays where it was (the caller keeps it).

    >>> share_out(10.0, [0.6, 0.4], [100.0, 1.0])
    [6.0, 1.0]
    """
    return [min(s * amount_t, max(r, 0.0)) for s, r in zip(shares, rooms_t)]


def water_hour(tank_m3: float, tank_capacity_m3: float, need_m3: float, wastewater_m3: float,
               capacity_m3_per_h: float, recovery_share: float) -> dict[str, float]:
    """One hour of a reclaimed-water plant with a storage tank [m3].

    Reclaimed water in the tank is delivered first (up to the need); the
    hour's wastewater is treated up to the capacity (the rest bypasses to
    the sewer), ``recovery_share`` of the treated water is reclaimed into
    the tank (what does not fit overflows), the rest leaves as concentrate.

    Balances (exact): inflow = treated + bypass; treated = reclaimed +
    reject; reclaimed = stored + overflow; tank_end = tank - delivered + stored.

    >>> r = water_hour(100.0, 500.0, 80.0, 200.0, 150.0, 0.7)
    >>> r["delivered_m3"], r["treated_m3"], r["bypass_m3"], r["reclaimed_m3"], r["tank_m3"]
    (80.0, 150.0, 50.0, 105.0, 125.0)
    """
    # Called every hour: conditional expressions rather than min()/max() (same picks).
    need = 0.0 if need_m3 < 0.0 else need_m3                                 # max(need, 0)
    delivered = need if need < tank_m3 else tank_m3                           # min(tank, need)
    inflow = 0.0 if wastewater_m3 < 0.0 else wastewater_m3                    # max(wastewater, 0)
    treated = capacity_m3_per_h if capacity_m3_per_h < inflow else inflow     # min(inflow, capacity)
    bypass = inflow - treated
    reclaimed = treated * recovery_share
    reject = treated - reclaimed
    room = tank_capacity_m3 - (tank_m3 - delivered)
    if room < 0.0:
        room = 0.0
    stored = room if room < reclaimed else reclaimed                          # min(reclaimed, room)
    overflow = reclaimed - stored
    return {"inflow_m3": inflow, "delivered_m3": delivered, "treated_m3": treated,
            "bypass_m3": bypass, "reclaimed_m3": reclaimed, "reject_m3": reject, "overflow_m3": overflow,
            "discharged_m3": bypass + reject + overflow, "tank_m3": tank_m3 - delivered + stored}


def _days(clock: HourClock, working_days: str):
    """(run hour of each midnight, is a working day) from the day before the run."""
    start = clock.start
    first_midnight = -(start.hour + start.minute / 60.0 + start.second / 3600.0)
    n_days = int(math.ceil((clock.hours - first_midnight) / 24.0)) + 1
    day_clock = HourClock(start=start.normalize() - pd.Timedelta(days=1), hours=24 * (n_days + 1))
    rest = rest_days(day_clock, working_days)[::24]
    return [(first_midnight + 24.0 * (i - 1), not rest[i]) for i in range(len(rest))]


def collection_times(clock: HourClock, working_days: str, times_h: Sequence[float]) -> list[float]:
    """Run hours of every collection: each time of day on each working day,
    inside the horizon."""
    out = []
    for midnight, working in _days(clock, working_days):
        if not working:
            continue
        out += [midnight + t for t in times_h if 0.0 <= midnight + t < clock.hours]
    return sorted(out)


def operating_mask(clock: HourClock, windows: Sequence[Sequence[float]] | None, working_days: str) -> np.ndarray:
    """Boolean per run hour: the hour starts inside an operating window
    ``[start_h, end_h)`` of a working day (``windows=None``: all hours of
    working days)."""
    mask = np.zeros(clock.hours, dtype=bool)
    for midnight, working in _days(clock, working_days):
        if not working:
            continue
        for s, e in (windows if windows is not None else [[0.0, 24.0]]):
            lo, hi = int(math.ceil(midnight + s - 1e-9)), int(math.ceil(midnight + e - 1e-9))
            mask[max(lo, 0):max(min(hi, clock.hours), 0)] = True
    return mask


def date_mask(clock: HourClock, windows: Sequence[Sequence[str]]) -> np.ndarray:
    """Boolean per run hour: the hour's date is inside one of ``windows``
    ``[["MM-DD", "MM-DD"], ...]`` (both ends included, may wrap the year end)."""
    idx = clock.index
    days = idx.month.to_numpy() * 100 + idx.day.to_numpy()
    out = np.zeros(clock.hours, dtype=bool)
    for first, last in windows:
        a = int(first[:2]) * 100 + int(first[3:])
        b = int(last[:2]) * 100 + int(last[3:])
        out |= ((days >= a) & (days <= b)) if a <= b else ((days >= a) | (days <= b))
    return out
