"""EnergyPlus weather (EPW) files mapped onto the run's calendar."""
from __future__ import annotations

import datetime as dt
import os

import numpy as np
import pandas as pd
import pvlib

from .synthetic import WEATHER_COLUMNS

EPW_MISSING = {"temp_air": 99.9, "ghi": 9999.0, "dni": 9999.0, "dhi": 9999.0, "wind_speed": 999.0}
"""Missing-value codes of the EPW fields used (EnergyPlus Auxiliary Programs)."""


def _cell_key(month, day, hour) -> np.ndarray:
    return np.asarray(month, dtype=np.int64) * 10000 + np.asarray(day) * 100 + np.asarray(hour)


def read_epw_weather(path: str | os.PathLike, times: pd.DatetimeIndex) -> pd.DataFrame:
    """Read an EPW file and return its weather on the run's calendar.

    An EPW file holds one (typical) year of hour-mean values; row ``hour = h``
    covers the hour ending at ``h`` in the file's standard time, i.e. the hour
    starting at ``h - 1``, which is how :func:`pvlib.iotools.read_epw` labels
    it and how the twin labels its hours. The file's years (a typical year
    mixes several) are ignored: each run hour is converted to the file's time
    zone (the ``TZ`` offset of its LOCATION line) and takes the row with the
    same (month, day, hour). A February 29 the file lacks takes February 28.
    Missing-value codes (:data:`EPW_MISSING`) are filled by linear
    interpolation along the file.

    Parameters
    ----------
    path : str or os.PathLike
        Path of the EPW file (local only; URLs are not fetched).
    times : pandas.DatetimeIndex
        Tz-aware start-of-hour labels of the run.

    Returns
    -------
    pandas.DataFrame
        Index ``times``, columns :data:`WEATHER_COLUMNS`: ``ghi``, ``dni``,
        ``dhi`` [W/m2], ``temp_air`` [degC], ``wind_speed`` [m/s at 10 m].

    Raises
    ------
    FileNotFoundError
        If ``path`` is not a file.
    ValueError
        If ``times`` is not tz-aware or the file lacks some (month, day, hour).

    References
    ----------
    .. [1] U.S. Department of Energy. EnergyPlus Auxiliary Programs, chapter
       "Weather Converter Program: EnergyPlus Weather File (EPW) Data
       Dictionary".
    .. [2] Holmgren, W.F., Hansen, C.W., Mikofski, M.A. (2018). pvlib python:
       a python package for modeling solar energy systems. Journal of Open
       Source Software 3(29), 884.
    """
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"EPW weather file not found: {path}")
    if not isinstance(times, pd.DatetimeIndex) or times.tz is None:
        raise ValueError("times must be a tz-aware pandas.DatetimeIndex")
    data, meta = pvlib.iotools.read_epw(path)

    values = data[list(WEATHER_COLUMNS)].astype(float).reset_index(drop=True)
    for column, code in EPW_MISSING.items():
        values[column] = values[column].mask(values[column] >= code)
    empty = [c for c in WEATHER_COLUMNS if values[c].isna().all()]
    if empty:
        raise ValueError(f"EPW file {path} has only missing values for {', '.join(empty)}")
    values = values.interpolate(limit_direction="both")

    file_keys = pd.Index(_cell_key(data["month"], data["day"], data["hour"] - 1))
    if not file_keys.is_unique:
        raise ValueError(f"EPW file {path} repeats some (month, day, hour) rows")

    local = times.tz_convert(dt.timezone(dt.timedelta(hours=float(meta["TZ"]))))
    day = np.asarray(local.day)
    month = np.asarray(local.month)
    if not (file_keys == _cell_key(2, 29, 0)).any():
        day = np.where((month == 2) & (day == 29), 28, day)
    rows = file_keys.get_indexer(_cell_key(month, day, local.hour))
    if (rows < 0).any():
        missing = times[rows < 0]
        raise ValueError(f"EPW file {path} has no rows for {len(missing)} hours of the run, "
                         f"first {missing[0]}")
    out = values.to_numpy()[rows]
    return pd.DataFrame(out, index=times, columns=list(WEATHER_COLUMNS))
