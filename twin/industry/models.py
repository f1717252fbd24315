"""Pure functions of the industry domain: schedules, price bands, energy per unit.

No SimPy and no components here: the agents in :mod:`twin.industry.components`
call these.
"""

from __future__ import annotations

import math
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from twin.core.clock import HourClock
from twin.core.profiles import rest_days

#: kgce per MWh of electricity, equivalent value (GB/T 2589-2020: 0.1229 kgce/kWh).
KGCE_PER_MWH_ELECTRICITY = 122.9
#: kgce per MWh of heat (GB/T 2589-2020: 0.03412 kgce/MJ x 3600 MJ/MWh).
KGCE_PER_MWH_HEAT = 0.03412 * 3600.0
#: kgce per MWh of a fuel's lower heating value (1 kgce = 29.3076 MJ).
KGCE_PER_MWH_FUEL = 3600.0 / 29.3076
#: Hydrogen lower heating value [kWh/kg] (120 MJ/kg).
H2_LHV_KWH_PER_KG = 33.33

#: kgce per MWh of each carrier key of an archetype (coal is a fuel by LHV).
KGCE_PER_MWH = {"electricity": KGCE_PER_MWH_ELECTRICITY, "heat": KGCE_PER_MWH_HEAT, "gas": KGCE_PER_MWH_FUEL,
                "hydrogen": KGCE_PER_MWH_FUEL, "coal": KGCE_PER_MWH_FUEL}


def comprehensive_energy_kgce(energy_mwh_per_unit: dict[str, float]) -> float:
    """Comprehensive energy of one product unit [kgce/unit].

    Parameters
    ----------
    energy_mwh_per_unit : dict
        MWh per unit by carrier key (``electricity``, ``heat``, ``gas``,
        ``hydrogen``, ``coal``).

    References
    ----------
    GB/T 2589-2020 综合能耗计算通则 (conversion factors as in
    shared/data/china_reference_data.md, section 4.1).

    Examples
    --------
    >>> round(comprehensive_energy_kgce({"electricity": 0.45, "gas": 0.08}), 2)   # EAF, standard
    65.13
    """
    return float(sum(KGCE_PER_MWH[k] * v for k, v in energy_mwh_per_unit.items()))


def predicted_energy_mwh(e_mwh_per_unit: float, base_share: float, rated_output_per_h: float, hours: float,
                         running_h: float) -> float:
    """Energy of one carrier a line draws [MWh]: its base share of the rated
    power all the time, the rest while it runs.

    ``E = e R (b H + (1 - b) T_run)`` with ``e`` the specific energy at
    continuous rated output [MWh/unit], ``R`` the rated output [unit/h],
    ``b`` the base share, ``H`` the hours and ``T_run`` the running hours.

    >>> predicted_energy_mwh(2.0, 0.25, 10.0, 168.0, 80.0)
    2040.0
    """
    p = e_mwh_per_unit * rated_output_per_h
    return p * (base_share * hours + (1.0 - base_share) * running_h)


def price_bands(price: np.ndarray, peak_ratio: float = 1.2, valley_ratio: float = 0.8) -> tuple[np.ndarray, np.ndarray]:
    """Peak and valley hours of a price series, relative to its median.

    Peak: price > ``peak_ratio`` x median; valley: price < ``valley_ratio``
    x median. A flat tariff has neither.

    >>> p, v = price_bands(np.array([650.0, 1105.0, 247.0, 650.0]))
    >>> p.tolist(), v.tolist()
    ([False, True, False, False], [False, False, True, False])
    """
    price = np.asarray(price, dtype=float)
    if price.size == 0:
        return np.zeros(0, bool), np.zeros(0, bool)
    med = float(np.median(price))
    return price > peak_ratio * med, price < valley_ratio * med


def _mmdd(text: str) -> int:
    month, day = text.split("-")
    return int(month) * 100 + int(day)


def in_date_windows(dates: Iterable, windows: Sequence[Sequence[str]]) -> np.ndarray:
    """Boolean per date: inside one of ``windows`` ``[["MM-DD", "MM-DD"], ...]``
    (both ends included; a window may wrap over the new year)."""
    days = np.array([d.month * 100 + d.day for d in dates], dtype=int)
    out = np.zeros(len(days), dtype=bool)
    for first, last in windows:
        a, b = _mmdd(first), _mmdd(last)
        out |= ((days >= a) & (days <= b)) if a <= b else ((days >= a) | (days <= b))
    return out


def merge_windows(windows: Iterable[tuple[float, float]], tolerance_h: float = 1e-9) -> list[tuple[float, float]]:
    """Sort and merge touching or overlapping ``(t0, t1)`` windows."""
    out: list[list[float]] = []
    for t0, t1 in sorted(windows):
        if t1 <= t0:
            continue
        if out and t0 <= out[-1][1] + tolerance_h:
            out[-1][1] = max(out[-1][1], t1)
        else:
            out.append([t0, t1])
    return [(a, b) for a, b in out]


def production_windows(clock: HourClock, shifts: Sequence[Sequence[float]], working_days: str,
                       maintenance: Sequence[Sequence[str]] = ()) -> list[tuple[float, float]]:
    """Production windows of a line in run hours, merged, inside the horizon.

    Every working day (``working_days``: ``"mon-fri"``, ``"mon-sat"`` or
    ``"all"``; China's public holidays are rest days except for ``"all"``)
    outside the ``maintenance`` date windows opens each shift ``[start, end]``
    (clock hours of that day; ``end`` may pass midnight). Consecutive shifts
    merge into one window, so a plant running ``[[0, 24]]`` on all days has
    one window per run of days between its maintenance stops.

    Parameters
    ----------
    clock : HourClock
    shifts : list of [start_h, end_h]
    working_days : str
    maintenance : list of ["MM-DD", "MM-DD"]
        Planned shutdown days (both ends included).
    """
    start = clock.start
    first_midnight = -(start.hour + start.minute / 60.0 + start.second / 3600.0)
    n_days = int(math.ceil((clock.hours - first_midnight) / 24.0)) + 1
    # One day before the first, for a night shift that runs into the horizon.
    day_clock = HourClock(start=start.normalize() - pd.Timedelta(days=1), hours=24 * (n_days + 1))
    rest = rest_days(day_clock, working_days)[::24]
    dates = day_clock.index[::24].date
    stopped = in_date_windows(dates, maintenance) if maintenance else np.zeros(len(dates), bool)
    windows = []
    for i in range(len(dates)):
        if rest[i] or stopped[i]:
            continue
        midnight = first_midnight + 24.0 * (i - 1)
        for s, e in shifts:
            t0, t1 = max(midnight + s, 0.0), min(midnight + e, float(clock.hours))
            if t1 > t0:
                windows.append((t0, t1))
    return merge_windows(windows)


def running_hours(windows: Iterable[tuple[float, float]]) -> float:
    """Total length of windows [h]."""
    return float(sum(t1 - t0 for t0, t1 in windows))


def batch_starts(t0: float, t1: float, duration_h: float, changeover_h: float) -> list[float]:
    """Start times of back-to-back batches in a window [t0, t1) that each
    finish by ``t1`` (no breakdowns).

    >>> batch_starts(6.0, 22.0, 2.5, 0.5)
    [6.0, 9.0, 12.0, 15.0, 18.0]
    """
    out, t = [], t0
    while t + duration_h <= t1 + 1e-9:
        out.append(t)
        t += duration_h + changeover_h
    return out
