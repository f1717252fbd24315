"""Synthetic hourly weather year built from a site's climate normals.

The year is assembled from small models, each a pure function of arrays:

* clear sky: Ineichen-Perez with Remund's Linke turbidity climatology (pvlib);
* clouds: daily clearness index from a Beta-distributed AR(1) process via a
  Gaussian copula, hourly clear-sky index with AR(1) noise;
* irradiance split: Erbs diffuse fraction (pvlib);
* temperature: mean-preserving harmonic interpolation of the monthly normals,
  a two-piece cosine diurnal cycle, AR(1) day-to-day anomalies;
* wind: Weibull marginal with hourly AR(1) persistence via a Gaussian copula.

All randomness comes from ``numpy.random.default_rng`` fed by
``np.random.SeedSequence(seed).spawn(3)`` (clouds, temperature, wind).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pvlib
from scipy import signal, special

WEATHER_COLUMNS = ("ghi", "dni", "dhi", "temp_air", "wind_speed")
"""Columns of every weather frame: W/m2, W/m2, W/m2, degC, m/s at 10 m."""

# --- clouds -----------------------------------------------------------------
KT_MIN = 0.05
"""Lowest daily clearness index (heavy overcast) [-]."""
KT_MAX = 0.80
"""Highest daily clearness index, further capped by the day's clear sky [-]."""
KT_BETA_CONCENTRATION = 2.0
"""a + b of the Beta marginal of the daily kt [-]: ~2 gives a broad spread with
both clear and overcast days (daily kt std ~0.15-0.2 for kt_mean 0.35-0.6)."""
KT_LATENT_LAG1 = 0.45
"""Lag-1 autocorrelation of the latent Gaussian daily cloud process [-]."""
KT_CONDITION_MIN_DAYS = 7
"""Calendar months with at least this many days are shifted to the target kt."""
CLEAR_SKY_INDEX_CAP = 1.05
"""Hourly GHI never exceeds this multiple of clear-sky GHI [-]."""
HOURLY_CLOUD_NOISE_STD = 0.25
"""Log-std of hourly clear-sky index noise on a half-cloudy day [-]."""
HOURLY_CLOUD_NOISE_LAG1 = 0.7
"""Lag-1 autocorrelation of the hourly cloud noise [-]."""

# --- temperature ------------------------------------------------------------
T_MAX_SOLAR_HOUR = 14.5
"""Local solar time of the daily temperature maximum [h]."""
DTR_CLOUD_FACTOR_BOUNDS = (0.3, 1.6)
"""Bounds of the cloud scaling of the diurnal range (overcast, clear) [-]."""
TEMP_ANOMALY_STD_K = 2.5
"""Standard deviation of day-to-day temperature anomalies [K]."""
TEMP_ANOMALY_LAG1 = 0.7
"""Lag-1 autocorrelation of day-to-day temperature anomalies [-]."""

# --- wind -------------------------------------------------------------------
WIND_WEIBULL_SHAPE = 2.0
"""Weibull shape parameter k of hourly 10 m wind speed [-]."""
WIND_LAG1 = 0.9
"""Lag-1 autocorrelation of the latent Gaussian hourly wind process [-]."""
WIND_DIURNAL_AMPLITUDE = 0.15
"""Relative amplitude of the diurnal wind cycle [-]."""
WIND_PEAK_SOLAR_HOUR = 15.0
"""Local solar time of the diurnal wind maximum [h]."""


def ar1_standard_normal(rng: np.random.Generator, n: int, lag1: float) -> np.ndarray:
    """Stationary AR(1) series with zero mean and unit variance.

    Parameters
    ----------
    rng : numpy.random.Generator
    n : int
        Length of the series.
    lag1 : float
        Lag-1 autocorrelation, in [0, 1).

    Returns
    -------
    numpy.ndarray
        ``x[0] ~ N(0, 1)``, ``x[t] = lag1 * x[t-1] + sqrt(1 - lag1**2) * e[t]``.

    References
    ----------
    .. [1] Box, G.E.P., Jenkins, G.M. (1976). Time Series Analysis: Forecasting
       and Control. Holden-Day.
    """
    e = rng.standard_normal(n)
    u = e * np.sqrt(1.0 - lag1**2)
    if n:
        u[0] = e[0]
    return signal.lfilter([1.0], [1.0, -lag1], u)


def month_position(times: pd.DatetimeIndex) -> np.ndarray:
    """Position of each time in the year in month units, in [0, 12).

    January 1 00:00 is 0, February 1 00:00 is 1, and so on: every month has
    width 1 whatever its number of days, which makes month means exact in
    :func:`mean_preserving_monthly_curve`.
    """
    day_fraction = (times.day - 1 + (times.hour + times.minute / 60.0) / 24.0)
    return np.asarray(times.month - 1 + day_fraction / times.days_in_month, dtype=float)


def _month_basis_means(n_harmonics: int = 6) -> np.ndarray:
    """Mean of each periodic basis function over each month [m, m+1)."""
    m = np.arange(12.0)
    cols = [np.ones(12)]
    for k in range(1, n_harmonics):
        w = 2.0 * np.pi * k / 12.0
        cols.append((np.sin(w * (m + 1)) - np.sin(w * m)) / w)
        cols.append(-(np.cos(w * (m + 1)) - np.cos(w * m)) / w)
    # Nyquist term: its cosine averages to zero over every month, the sine does not.
    cols.append(-(np.cos(np.pi * (m + 1)) - np.cos(np.pi * m)) / np.pi)
    return np.column_stack(cols)


def _month_basis(x: np.ndarray, n_harmonics: int = 6) -> np.ndarray:
    cols = [np.ones_like(x)]
    for k in range(1, n_harmonics):
        w = 2.0 * np.pi * k / 12.0
        cols.append(np.cos(w * x))
        cols.append(np.sin(w * x))
    cols.append(np.sin(np.pi * x))
    return np.column_stack(cols)


def mean_preserving_monthly_curve(month_pos: np.ndarray, monthly_means: Sequence[float]) -> np.ndarray:
    """Smooth periodic curve whose mean over each month equals the given value.

    A full harmonic series (12 coefficients) is solved so that its integral over
    every month reproduces the monthly mean exactly, as Epstein [1]_ does to
    get daily climatologies from monthly means; months have unit width in
    ``month_pos`` (see :func:`month_position`).

    Parameters
    ----------
    month_pos : array-like
        Position in the year in month units, in [0, 12).
    monthly_means : sequence of 12 floats
        Mean of the quantity over January ... December (any unit).

    Returns
    -------
    numpy.ndarray
        The curve at ``month_pos``, in the unit of ``monthly_means``.

    References
    ----------
    .. [1] Epstein, E.S. (1991). On obtaining daily climatological values from
       monthly means. Journal of Climate 4(3), 365-368.

    Examples
    --------
    >>> x = (np.arange(1200) + 0.5) / 100.0  # 100 steps per month
    >>> normals = [-3.4, -0.4, 6.1, 14.0, 20.3, 24.6, 27.0, 26.0, 21.3, 14.0, 5.2, -1.0]
    >>> y = mean_preserving_monthly_curve(x, normals)
    >>> round(float(y[:100].mean()), 3)  # January
    -3.4
    """
    means = np.asarray(monthly_means, dtype=float)
    coef = np.linalg.solve(_month_basis_means(), means)
    return _month_basis(np.asarray(month_pos, dtype=float)) @ coef


def beta_copula_clearness_index(z: np.ndarray, kt_mean: float, kt_upper: np.ndarray,
                                kt_lower: float = KT_MIN,
                                concentration: float = KT_BETA_CONCENTRATION) -> np.ndarray:
    """Daily clearness index from a latent standard-normal series.

    The latent ``z`` (e.g. AR(1), see :func:`ar1_standard_normal`) is mapped
    through a Gaussian copula onto a Beta distribution rescaled to
    ``[kt_lower, kt_upper]`` with mean ``kt_mean``: ``kt = lo + (hi - lo) *
    Beta^-1(Phi(z); a, b)``. Measured daily clearness indices are bounded and
    often bimodal (clear and overcast days) [1]_; a Beta with ``a + b`` near 2
    is a simple bounded stand-in with that two-sided spread (Beta functions
    are a common fit to clearness-index distributions [2]_). Persistence comes
    from the latent AR(1), the usual way to give a non-Gaussian series a
    prescribed marginal [3]_.

    Parameters
    ----------
    z : numpy.ndarray
        Latent standard-normal values, one per day [-].
    kt_mean : float
        Target mean daily clearness index [-].
    kt_upper : numpy.ndarray
        Upper bound per day, typically the day's clear-sky clearness index [-].
    kt_lower : float, default KT_MIN
        Lower bound [-].
    concentration : float, default KT_BETA_CONCENTRATION
        a + b of the Beta distribution [-].

    Returns
    -------
    numpy.ndarray
        Daily clearness index, daily GHI / daily extraterrestrial horizontal [-].

    References
    ----------
    .. [1] Ibáñez, M., Beckman, W.A., Klein, S.A. (2002). Frequency
       distributions for hourly and daily clearness indices. Journal of Solar
       Energy Engineering 124(1), 28-33.
    .. [2] Assunção, H.F., Escobedo, J.F., Oliveira, A.P. (2003). Modelling
       frequency distributions of 5 minute-averaged solar radiation indexes
       using Beta probability functions. Theoretical and Applied Climatology
       75, 213-224.
    .. [3] Cario, M.C., Nelson, B.L. (1996). Autoregressive to anything:
       time-series input processes for simulation. Operations Research
       Letters 19(2), 51-58.
    """
    hi = np.asarray(kt_upper, dtype=float)
    mu = np.clip((kt_mean - kt_lower) / (hi - kt_lower), 0.05, 0.95)
    u = special.ndtr(z)
    b01 = special.betaincinv(mu * concentration, (1.0 - mu) * concentration, u)
    return kt_lower + (hi - kt_lower) * b01


def _condition_by_group(z: np.ndarray, group: np.ndarray, target: float,
                        kt_upper: np.ndarray, min_size: int) -> np.ndarray:
    """Shift the latent z of each group so the group's mean kt equals target.

    Vectorised bisection on one shift per group; groups smaller than
    ``min_size`` keep their draws.
    """
    n_groups = int(group.max()) + 1
    counts = np.bincount(group, minlength=n_groups)
    lo = np.full(n_groups, -4.0)
    hi = np.full(n_groups, 4.0)
    for _ in range(30):
        mid = 0.5 * (lo + hi)
        kt = beta_copula_clearness_index(z + mid[group], target, kt_upper)
        mean = np.bincount(group, weights=kt, minlength=n_groups) / np.maximum(counts, 1)
        too_high = mean > target
        hi = np.where(too_high, mid, hi)
        lo = np.where(too_high, lo, mid)
    shift = np.where(counts >= min_size, 0.5 * (lo + hi), 0.0)
    return z + shift[group]


def diurnal_temperature_shape(solar_hour: np.ndarray, sunrise_solar_hour: np.ndarray,
                              t_max_solar_hour: float = T_MAX_SOLAR_HOUR) -> np.ndarray:
    """Diurnal temperature cycle normalised to [-1, 1].

    Two half cosines: rising from -1 at sunrise to +1 at ``t_max_solar_hour``,
    then falling back to -1 at the next sunrise. Each half averages zero, so
    the daily mean is unchanged. The timing (minimum at sunrise, maximum some
    2-3 h after solar noon) follows Parton & Logan [1]_ and the sine/cosine
    day curves reviewed by Cesaraccio et al. [2]_.

    Parameters
    ----------
    solar_hour : numpy.ndarray
        Local apparent solar time [h], in [0, 24).
    sunrise_solar_hour : numpy.ndarray
        Sunrise in local apparent solar time [h], in (0, 12).
    t_max_solar_hour : float
        Solar time of the maximum [h].

    Returns
    -------
    numpy.ndarray
        Shape value [-]; multiply by half the diurnal range [K].

    References
    ----------
    .. [1] Parton, W.J., Logan, J.A. (1981). A model for diurnal variation in
       soil and air temperature. Agricultural Meteorology 23, 205-216.
    .. [2] Cesaraccio, C., Spano, D., Duce, P., Snyder, R.L. (2001). An improved
       model for determining degree-day values from daily temperature data.
       International Journal of Biometeorology 45, 161-169.
    """
    h = np.asarray(solar_hour, dtype=float)
    sr = np.asarray(sunrise_solar_hour, dtype=float)
    rise_len = t_max_solar_hour - sr
    rising = (h >= sr) & (h < t_max_solar_hour)
    since_max = np.mod(h - t_max_solar_hour, 24.0)
    falling = np.cos(np.pi * since_max / (24.0 - rise_len))
    return np.where(rising, -np.cos(np.pi * (h - sr) / rise_len), falling)


def weibull_from_normal(z: np.ndarray, mean: float, shape: float = WIND_WEIBULL_SHAPE) -> np.ndarray:
    """Map standard-normal values onto a Weibull distribution with given mean.

    ``w = c * (-ln(1 - Phi(z)))**(1/k)`` with ``c = mean / Gamma(1 + 1/k)``
    (Justus et al. [1]_); feeding an AR(1) ``z`` gives persistent wind, the
    Gaussian-transform approach of Brown, Katz & Murphy [2]_.

    Parameters
    ----------
    z : numpy.ndarray
        Latent standard-normal values [-].
    mean : float
        Mean wind speed [m/s].
    shape : float
        Weibull shape k [-].

    Returns
    -------
    numpy.ndarray
        Wind speed [m/s], >= 0.

    References
    ----------
    .. [1] Justus, C.G., Hargraves, W.R., Mikhail, A., Graber, D. (1978).
       Methods for estimating wind speed frequency distributions. Journal of
       Applied Meteorology 17, 350-353.
    .. [2] Brown, B.G., Katz, R.W., Murphy, A.H. (1984). Time series models to
       simulate and forecast wind speed and wind power. Journal of Climate and
       Applied Meteorology 23, 1184-1195.
    """
    scale = mean / special.gamma(1.0 + 1.0 / shape)
    # -ln(1 - Phi(z)) = -ln(Phi(-z)), stable in both tails
    return scale * (-special.log_ndtr(-np.asarray(z, dtype=float))) ** (1.0 / shape)


def _validate(times, monthly_temp_c, diurnal_range_k, wind_mean_m_per_s, kt_mean) -> None:
    errors = []
    if not isinstance(times, pd.DatetimeIndex) or times.tz is None:
        errors.append("times must be a tz-aware pandas.DatetimeIndex")
    if len(monthly_temp_c) != 12:
        errors.append(f"monthly_temp_c must have 12 values (got {len(monthly_temp_c)})")
    if not diurnal_range_k >= 0:
        errors.append(f"diurnal_range_k must be >= 0 (got {diurnal_range_k})")
    if not wind_mean_m_per_s >= 0:
        errors.append(f"wind_mean_m_per_s must be >= 0 (got {wind_mean_m_per_s})")
    if not KT_MIN < kt_mean < KT_MAX:
        errors.append(f"kt_mean must be in ({KT_MIN}, {KT_MAX}) (got {kt_mean})")
    if errors:
        raise ValueError("; ".join(errors))


def synthetic_weather(times: pd.DatetimeIndex, latitude_deg: float, longitude_deg: float,
                      altitude_m: float, monthly_temp_c: Sequence[float], diurnal_range_k: float,
                      wind_mean_m_per_s: float, kt_mean: float, seed: int) -> pd.DataFrame:
    """Hourly synthetic weather on ``times`` from a site's climate normals.

    Values are hour means labelled at the start of the hour; the sun is placed
    at the middle of each hour (``times + 30 min``). Days and months are those
    of local mean solar time (UTC + longitude / 15 h), so the frame depends on
    the instants in ``times`` only, not on the time zone they are written in.

    Clouds: a latent daily AR(1) (lag-1 ``KT_LATENT_LAG1``) is mapped through
    a Beta copula (:func:`beta_copula_clearness_index`) to the daily
    clearness index on ``[KT_MIN, min(KT_MAX, clear-sky kt of the day)]``;
    each calendar month with at least ``KT_CONDITION_MIN_DAYS`` days is then
    shifted in the latent space so its mean daily kt equals ``kt_mean``, as a
    typical year reproduces its normals. Hourly GHI is clear-sky GHI [1]_ [2]_
    times the day's clear-sky index with log-normal AR(1) noise, rescaled so
    the day's kt is met and capped at ``CLEAR_SKY_INDEX_CAP`` x clear sky.
    DNI and DHI come from the Erbs split [3]_, closed so that
    ``dni * cos(zenith) + dhi == ghi``.

    Temperature: :func:`mean_preserving_monthly_curve` [4]_ of the normals,
    plus :func:`diurnal_temperature_shape` with half-amplitude
    ``diurnal_range_k / 2`` scaled by the day's kt relative to ``kt_mean``
    (clouds damp the diurnal range [5]_), plus daily AR(1) anomalies
    (``TEMP_ANOMALY_STD_K``) whose calendar-month means are removed so each
    month keeps its normal.

    Wind: :func:`weibull_from_normal` of an hourly AR(1) (lag-1 ``WIND_LAG1``)
    times a weak diurnal cycle peaking at ``WIND_PEAK_SOLAR_HOUR``.

    Parameters
    ----------
    times : pandas.DatetimeIndex
        Tz-aware, hourly start-of-hour labels.
    latitude_deg, longitude_deg : float
        Site position [deg], north and east positive.
    altitude_m : float
        Site altitude [m].
    monthly_temp_c : sequence of 12 floats
        Monthly mean air temperature, January to December [degC].
    diurnal_range_k : float
        Mean daily maximum minus minimum temperature [K].
    wind_mean_m_per_s : float
        Annual mean wind speed at 10 m [m/s].
    kt_mean : float
        Mean daily clearness index [-].
    seed : int
        Seed of the run; same seed gives a bit-identical frame.

    Returns
    -------
    pandas.DataFrame
        Index ``times``, columns :data:`WEATHER_COLUMNS`: ``ghi``, ``dni``,
        ``dhi`` [W/m2], ``temp_air`` [degC], ``wind_speed`` [m/s at 10 m].

    References
    ----------
    .. [1] Ineichen, P., Perez, R. (2002). A new airmass independent
       formulation for the Linke turbidity coefficient. Solar Energy 73(3),
       151-157.
    .. [2] Remund, J., Wald, L., Lefevre, M., Ranchin, T., Page, J. (2003).
       Worldwide Linke turbidity information. Proc. ISES Solar World Congress,
       Göteborg.
    .. [3] Erbs, D.G., Klein, S.A., Duffie, J.A. (1982). Estimation of the
       diffuse radiation fraction for hourly, daily and monthly-average global
       radiation. Solar Energy 28(4), 293-302.
    .. [4] Epstein, E.S. (1991). On obtaining daily climatological values from
       monthly means. Journal of Climate 4(3), 365-368.
    .. [5] Dai, A., Trenberth, K.E., Karl, T.R. (1999). Effects of clouds, soil
       moisture, precipitation, and water vapor on diurnal temperature range.
       Journal of Climate 12, 2451-2473.

    Examples
    --------
    >>> times = pd.date_range("2025-01-01", periods=8760, freq="h", tz="Asia/Shanghai")
    >>> w = synthetic_weather(times, 39.1, 117.2, 5.0, [-3.4, -0.4, 6.1, 14.0, 20.3,
    ...     24.6, 27.0, 26.0, 21.3, 14.0, 5.2, -1.0], 9.5, 2.3, 0.49, seed=1)
    >>> list(w.columns)
    ['ghi', 'dni', 'dhi', 'temp_air', 'wind_speed']
    """
    _validate(times, monthly_temp_c, diurnal_range_k, wind_mean_m_per_s, kt_mean)
    if len(times) == 0:
        return pd.DataFrame({c: pd.Series(dtype=float) for c in WEATHER_COLUMNS}, index=times)
    rng_clouds, rng_temp, rng_wind = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(3))

    mid = (times + pd.Timedelta(minutes=30)).tz_convert("UTC")  # day-of-year terms in one zone
    # mid is tz-aware, so the Location's own tz is never used; "UTC" also
    # accepts runs on fixed-offset zones that pvlib cannot name
    location = pvlib.location.Location(latitude_deg, longitude_deg, "UTC", altitude_m)
    solpos = location.get_solarposition(mid)
    dni_extra = pvlib.irradiance.get_extra_radiation(mid)
    clearsky = location.get_clearsky(
        mid, model="ineichen", solar_position=solpos, dni_extra=dni_extra,
        linke_turbidity=pvlib.clearsky.lookup_linke_turbidity(mid, latitude_deg, longitude_deg))
    zenith = solpos["zenith"].to_numpy()
    cos_zenith = np.cos(np.radians(zenith))
    ghi_cs = clearsky["ghi"].to_numpy()
    ghi_extra = dni_extra.to_numpy() * np.clip(cos_zenith, 0.0, None)

    # days and months of local mean solar time, so that the weather depends on
    # the instants in times only, not on the zone they are written in
    solar_clock = times.tz_convert("UTC").tz_localize(None) + pd.Timedelta(hours=longitude_deg / 15.0)
    day_start, day = np.unique(solar_clock.normalize().asi8, return_inverse=True)
    n_days = len(day_start)
    day_month = pd.DatetimeIndex(day_start).month.to_numpy() - 1

    # --- daily clearness index ---
    h0_day = np.bincount(day, weights=ghi_extra, minlength=n_days)
    hcs_day = np.bincount(day, weights=ghi_cs, minlength=n_days)
    sunny = h0_day > 0
    kt_cs_day = np.where(sunny, hcs_day / np.where(sunny, h0_day, 1.0), KT_MAX)
    kt_upper = np.clip(kt_cs_day, KT_MIN + 0.05, KT_MAX)
    z = ar1_standard_normal(rng_clouds, n_days, KT_LATENT_LAG1)
    z = _condition_by_group(z, day_month, kt_mean, kt_upper, KT_CONDITION_MIN_DAYS)
    kt_day = beta_copula_clearness_index(z, kt_mean, kt_upper)

    # --- hourly GHI ---
    csi_day = np.where(hcs_day > 0, kt_day * h0_day / np.where(hcs_day > 0, hcs_day, 1.0), 0.0)
    csi_day = np.clip(csi_day, 0.0, 1.0)
    sigma = HOURLY_CLOUD_NOISE_STD * 2.0 * np.sqrt(csi_day * (1.0 - csi_day))[day]
    eps = ar1_standard_normal(rng_clouds, len(times), HOURLY_CLOUD_NOISE_LAG1)
    ghi = ghi_cs * csi_day[day] * np.exp(sigma * eps - 0.5 * sigma**2)
    target_day = kt_day * h0_day
    cap = CLEAR_SKY_INDEX_CAP * ghi_cs
    for _ in range(3):  # rescale to the day's energy, cap, rescale the uncapped hours
        capped = ghi >= cap
        fixed = np.bincount(day, weights=np.where(capped, cap, 0.0), minlength=n_days)
        free = np.bincount(day, weights=np.where(capped, 0.0, ghi), minlength=n_days)
        scale = np.where(free > 0, (target_day - fixed) / np.where(free > 0, free, 1.0), 1.0)
        ghi = np.minimum(np.where(capped, cap, ghi * np.clip(scale, 0.0, None)[day]), cap)
    ghi = np.where(ghi_cs > 0, ghi, 0.0)

    split = pvlib.irradiance.erbs(ghi, zenith, mid)
    beam_horizontal = np.clip(np.minimum(split["dni"].to_numpy() * cos_zenith, ghi), 0.0, None)
    dni = np.where(cos_zenith > 0, beam_horizontal / np.where(cos_zenith > 0, cos_zenith, 1.0), 0.0)
    dhi = ghi - beam_horizontal

    # --- temperature ---
    eot_min = pvlib.solarposition.equation_of_time_spencer71(mid.dayofyear)
    solar_hour = np.mod(mid.hour + mid.minute / 60.0 + longitude_deg / 15.0 + eot_min / 60.0, 24.0)
    declination = pvlib.solarposition.declination_spencer71(mid.dayofyear)
    cos_ws = np.clip(-np.tan(np.radians(latitude_deg)) * np.tan(declination), -0.99, 0.99)
    sunrise_solar_hour = 12.0 - np.degrees(np.arccos(cos_ws)) / 15.0

    local_pos = month_position(solar_clock + pd.Timedelta(minutes=30))
    t_clim = mean_preserving_monthly_curve(local_pos, monthly_temp_c)

    hours_since_start = (solar_clock.asi8 - solar_clock.asi8[0]) / 3.6e12
    day_noon_h = (day_start - solar_clock.asi8[0]) / 3.6e12 + 12.0
    cloud_factor = np.clip(kt_day / kt_mean, *DTR_CLOUD_FACTOR_BOUNDS)
    half_range = 0.5 * diurnal_range_k * np.interp(hours_since_start, day_noon_h, cloud_factor)
    t_diurnal = half_range * diurnal_temperature_shape(solar_hour, sunrise_solar_hour)

    anomaly = TEMP_ANOMALY_STD_K * ar1_standard_normal(rng_temp, n_days, TEMP_ANOMALY_LAG1)
    anomaly_h = np.interp(hours_since_start, day_noon_h, anomaly)
    month_h = solar_clock.month.to_numpy() - 1
    counts = np.bincount(month_h, minlength=12)
    month_anomaly = np.bincount(month_h, weights=anomaly_h, minlength=12) / np.maximum(counts, 1)
    month_anomaly[counts < 24 * KT_CONDITION_MIN_DAYS] = 0.0  # short months keep their draws
    anomaly_h -= mean_preserving_monthly_curve(local_pos, month_anomaly)
    temp_air = t_clim + t_diurnal + anomaly_h

    # --- wind ---
    z_wind = ar1_standard_normal(rng_wind, len(times), WIND_LAG1)
    diurnal_wind = 1.0 + WIND_DIURNAL_AMPLITUDE * np.cos(
        2.0 * np.pi * (solar_hour - WIND_PEAK_SOLAR_HOUR) / 24.0)
    wind_speed = weibull_from_normal(z_wind, wind_mean_m_per_s) * diurnal_wind

    return pd.DataFrame(
        {"ghi": ghi, "dni": dni, "dhi": dhi, "temp_air": temp_air, "wind_speed": wind_speed},
        index=times, columns=list(WEATHER_COLUMNS))
