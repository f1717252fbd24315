"""Calendar-shaped hourly profiles for loads without measured data.

Shapes are normalised hourly factors built from the clock: a daily shape
for working days and one for rest days, and China's 2025 public holidays as
rest days. They are illustrative (see the ``source`` column of
``twin/core/data/load_shapes.csv``); a measured profile from a CSV replaces
them.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from twin.core.clock import HourClock


@lru_cache(maxsize=None)
def _shapes() -> pd.DataFrame:
    with resources.files("twin.core.data").joinpath("load_shapes.csv").open() as f:
        return pd.read_csv(f, comment="#")


@lru_cache(maxsize=None)
def _holidays() -> frozenset:
    with resources.files("twin.core.data").joinpath("holidays_cn.csv").open() as f:
        table = pd.read_csv(f, comment="#")
    return frozenset(pd.to_datetime(table["date"]).dt.date)


def shape_names() -> list[str]:
    return sorted(_shapes()["shape"].unique())


def rest_days(clock: HourClock, working_days: str = "mon-fri") -> np.ndarray:
    """Boolean per hour: the hour falls on a rest day (weekend or holiday).

    ``working_days`` is ``"mon-fri"``, ``"mon-sat"`` or ``"all"``
    (continuous operation: no rest days, holidays included).
    """
    if working_days == "all":
        return np.zeros(clock.hours, dtype=bool)
    last = {"mon-fri": 4, "mon-sat": 5}[working_days]
    weekend = clock.day_of_week > last
    dates = clock.index.date
    holiday = np.fromiter((d in _holidays() for d in dates), dtype=bool, count=clock.hours)
    return weekend | holiday


def calendar_profile(clock: HourClock, shape: str, working_days: str = "mon-fri") -> np.ndarray:
    """Hourly factors [-] of a named shape, peak 1.0 over the year.

    Parameters
    ----------
    clock : HourClock
    shape : str
        A name in ``load_shapes.csv`` (:func:`shape_names`).
    working_days : {"mon-fri", "mon-sat", "all"}
    """
    table = _shapes()
    rows = table[table["shape"] == shape].sort_values("hour")
    if len(rows) != 24:
        raise ValueError(f"unknown load shape {shape!r}; known: {shape_names()}")
    work = rows["working_day"].to_numpy(float)
    rest = rows["rest_day"].to_numpy(float)
    hod = clock.hour_of_day
    factors = np.where(rest_days(clock, working_days), rest[hod], work[hod])
    peak = factors.max()
    return factors / peak if peak > 0 else factors


def scale_profile(factors: np.ndarray, annual_mwh: float | None = None, peak_mw: float | None = None,
                  hours_per_year: float = 8760.0) -> np.ndarray:
    """Scale hourly factors to an annual energy or a peak power.

    ``annual_mwh`` is per 8760 h (a shorter horizon gets its share of it);
    exactly one of ``annual_mwh`` and ``peak_mw`` is given.
    """
    if (annual_mwh is None) == (peak_mw is None):
        raise ValueError("give exactly one of annual_mwh and peak_mw")
    if peak_mw is not None:
        return factors * peak_mw
    mean = factors.mean()
    return factors * (annual_mwh / hours_per_year / mean) if mean > 0 else factors * 0.0


def date_window_problems(windows, key: str) -> list[tuple[str, str]]:
    """Problems of a list ``[["MM-DD", "MM-DD"], ...]`` (for Params checks)."""
    out = []
    for i, w in enumerate(windows):
        try:
            ok = isinstance(w, (list, tuple)) and len(w) == 2
            if ok:
                for d in w:
                    pd.Timestamp(f"2001-{d}")
        except (ValueError, TypeError):
            ok = False
        if not ok:
            out.append((f"{key}[{i}]", f'must be ["MM-DD", "MM-DD"] (got {w!r})'))
    return out
