"""The run's calendar: hour ``h`` of the run is the interval [h, h+1) in SimPy time.

SimPy time is a float in hours from ``start``. Timestamps label the start of
each hour in the park's local time zone (Asia/Shanghai by default).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import math

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class HourClock:
    """Hourly calendar of one run.

    Parameters
    ----------
    start : pandas.Timestamp
        First hour, tz-aware.
    hours : int
        Number of hourly settlements.
    """

    start: pd.Timestamp
    hours: int

    @classmethod
    def from_strings(cls, start: str, hours: int, timezone: str) -> "HourClock":
        ts = pd.Timestamp(start)
        ts = ts.tz_localize(timezone) if ts.tzinfo is None else ts.tz_convert(timezone)
        return cls(start=ts, hours=int(hours))

    @cached_property
    def index(self) -> pd.DatetimeIndex:
        """Hour-start timestamps, tz-aware, one per settlement."""
        return pd.date_range(self.start, periods=self.hours, freq="h", name="time")

    @cached_property
    def hour_of_day(self) -> np.ndarray:
        return self.index.hour.to_numpy()

    @cached_property
    def day_of_week(self) -> np.ndarray:
        """Monday = 0 … Sunday = 6."""
        return self.index.dayofweek.to_numpy()

    @cached_property
    def month(self) -> np.ndarray:
        return self.index.month.to_numpy()

    @cached_property
    def day_index(self) -> np.ndarray:
        """Day number of each hour counted from the first day of the run."""
        days = (self.index.normalize() - self.index[0].normalize()).days
        return np.asarray(days, dtype=np.int64)

    def label(self, hour: int) -> str:
        """Readable timestamp of hour ``hour`` (for messages)."""
        return (self.start + pd.Timedelta(hours=hour)).strftime("%Y-%m-%d %H:%M %Z")


def add_interval_energy(e_mwh: np.ndarray, t0_h: float, t1_h: float, p_mw: float) -> None:
    """Add a constant power ``p_mw`` held over [t0_h, t1_h) to hourly energy slots.

    An interval that ends at 14:20 puts 1/3 of an hour's energy into the
    14:00 slot: sub-hour events land in the hours they really occupy.

    Parameters
    ----------
    e_mwh : numpy.ndarray
        Hourly energy [MWh], modified in place; slot ``h`` covers [h, h+1).
    t0_h, t1_h : float
        Start and end of the interval in run hours, ``t0_h <= t1_h``.
    p_mw : float
        Power held over the interval [MW].
    """
    if t1_h <= t0_h:
        return
    n = len(e_mwh)
    first = math.floor(t0_h)
    last = math.ceil(t1_h) - 1
    if first < 0 or last >= n:
        # Clip to the horizon: energy outside the run is not the run's.
        t0_h, t1_h = max(t0_h, 0.0), min(t1_h, float(n))
        if t1_h <= t0_h:
            return
        first, last = math.floor(t0_h), math.ceil(t1_h) - 1
    if first == last:
        e_mwh[first] += p_mw * (t1_h - t0_h)
        return
    e_mwh[first] += p_mw * (first + 1 - t0_h)
    for h in range(first + 1, last):  # the whole hours between: mostly one or two, cheaper than a numpy slice
        e_mwh[h] += p_mw
    e_mwh[last] += p_mw * (t1_h - last)
