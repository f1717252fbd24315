"""Weather for the park: synthetic years from climate normals, or EPW files.

Every weather frame is hourly, indexed by the run's tz-aware timestamps
(start-of-hour labels of hour-mean values), with the columns
:data:`WEATHER_COLUMNS` named as pvlib names them.
"""
from __future__ import annotations

import csv
from importlib import resources

from .epw import read_epw_weather
from .synthetic import WEATHER_COLUMNS, synthetic_weather

__all__ = ["WEATHER_COLUMNS", "load_site", "read_epw_weather", "synthetic_weather"]

_TEXT_COLUMNS = ("city", "source", "status")


def _read_sites() -> list[dict]:
    with resources.files(__package__).joinpath("sites.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [{k: (v if k in _TEXT_COLUMNS else float(v)) for k, v in row.items()} for row in rows]


def load_site(city: str) -> dict:
    """Climate normals of a known city, one row of ``sites.csv``.

    Parameters
    ----------
    city : str
        City name, matched case-insensitively (e.g. ``"tianjin"``).

    Returns
    -------
    dict
        Keys as the columns of ``sites.csv``: ``city``, ``latitude_deg``,
        ``longitude_deg``, ``altitude_m``, ``t_jan_c`` ... ``t_dec_c`` [degC],
        ``diurnal_range_k`` [K], ``wind_mean_m_per_s`` [m/s at 10 m],
        ``kt_mean`` [-], ``ghi_annual_kwh_per_m2`` (the estimate ``kt_mean``
        was derived from), ``source`` (where the facts come from) and
        ``status`` (``secondary``: taken from the named secondary source;
        ``unconfirmed``: recalled from it, not yet checked against it).

    Raises
    ------
    ValueError
        If the city is not in the table; the message lists the known cities.

    Examples
    --------
    >>> load_site("tianjin")["city"]
    'Tianjin'
    """
    sites = _read_sites()
    wanted = str(city).strip().casefold()
    for row in sites:
        if row["city"].casefold() == wanted:
            return row
    known = ", ".join(row["city"] for row in sites)
    raise ValueError(f"unknown city '{city}'; known: {known}")
