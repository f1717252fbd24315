"""Sun position for hour-mean weather labelled at the start of each hour."""

from __future__ import annotations

import pandas as pd


def sun_position(times: pd.DatetimeIndex, latitude_deg: float, longitude_deg: float, altitude_m: float) -> pd.DataFrame:
    """Solar position at the middle of each hour, on the hour-start index.

    Returns a frame indexed like ``times`` with ``apparent_zenith``,
    ``zenith``, ``azimuth`` [deg] and ``dni_extra`` [W/m2].

    References
    ----------
    Reda, I. and Andreas, A. (2004), Solar position algorithm for solar
    radiation applications, Solar Energy 76(5), 577-589 (pvlib's default).
    """
    import pvlib

    mid = times + pd.Timedelta(minutes=30)
    sp = pvlib.solarposition.get_solarposition(mid, latitude_deg, longitude_deg, altitude=altitude_m)
    out = sp[["apparent_zenith", "zenith", "azimuth"]].copy()
    out["dni_extra"] = pvlib.irradiance.get_extra_radiation(mid).to_numpy()
    out.index = times
    return out
