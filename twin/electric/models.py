"""Pure physics of electric components: arrays in, arrays out, units in names."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Standard air density of IEC 61400-12-1 power curves [kg/m3].
RHO_STANDARD_KG_PER_M3 = 1.225
#: Specific gas constant of dry air [J/(kg K)].
R_DRY_AIR_J_PER_KG_K = 287.058
W_PER_MW = 1e6


def pv_ac_power_mw(ghi, dni, dhi, temp_air, wind_speed, apparent_zenith, zenith, azimuth, dni_extra, *,
                   capacity_dc_mw, inverter_ac_mw, tilt_deg, surface_azimuth_deg, gamma_pdc_per_k=-0.0035,
                   albedo=0.2, dc_loss_fraction=0.10, inverter_efficiency=0.96, u0=25.0, u1=6.84):
    """AC output of a PV array [MW] from hour-mean weather.

    Plane-of-array irradiance by the Hay-Davies transposition, cell
    temperature by Faiman's model, DC power by PVWatts with a temperature
    coefficient, lumped DC losses (soiling, mismatch, wiring), then the
    PVWatts inverter, which clips at ``inverter_ac_mw``.

    Parameters
    ----------
    ghi, dni, dhi : array-like
        Irradiance [W/m2].
    temp_air : array-like
        Air temperature [degC].
    wind_speed : array-like
        Wind speed [m/s].
    apparent_zenith, zenith, azimuth : array-like
        Sun position [deg].
    dni_extra : array-like
        Extraterrestrial normal irradiance [W/m2].
    capacity_dc_mw : float
        DC nameplate at STC (1000 W/m2, 25 degC) [MW].
    inverter_ac_mw : float
        Inverter AC limit [MW].
    tilt_deg, surface_azimuth_deg : float
        Array orientation [deg] (azimuth 180 = south).
    gamma_pdc_per_k : float
        Power temperature coefficient [1/K].
    albedo : float
        Ground reflectance [-].
    dc_loss_fraction : float
        Lumped DC losses [-].
    inverter_efficiency : float
        Nominal inverter efficiency [-].
    u0, u1 : float
        Faiman heat-loss coefficients [W/(m2 K)], [W s/(m3 K)].

    Returns
    -------
    numpy.ndarray
        AC power [MW], hour means.

    References
    ----------
    Hay, J.E. and Davies, J.A. (1980), Calculations of the solar radiation
    incident on an inclined surface. Faiman, D. (2008), Assessing the outdoor
    operating temperature of photovoltaic modules, Prog. Photovolt. 16.
    Dobos, A.P. (2014), PVWatts Version 5 Manual, NREL/TP-6A20-62641.
    """
    import pvlib

    ghi, dni, dhi, apparent_zenith, azimuth, dni_extra = (
        np.asarray(x, dtype=float) for x in (ghi, dni, dhi, apparent_zenith, azimuth, dni_extra))
    poa = pvlib.irradiance.get_total_irradiance(
        tilt_deg, surface_azimuth_deg, apparent_zenith, azimuth, dni, ghi, dhi,
        dni_extra=dni_extra, model="haydavies", albedo=albedo)
    poa_global = np.nan_to_num(np.asarray(poa["poa_global"], dtype=float), nan=0.0).clip(min=0.0)
    t_cell = pvlib.temperature.faiman(poa_global, np.asarray(temp_air, float), np.asarray(wind_speed, float), u0=u0, u1=u1)
    pdc_w = pvlib.pvsystem.pvwatts_dc(poa_global, t_cell, capacity_dc_mw * W_PER_MW, gamma_pdc_per_k)
    pdc_w = np.asarray(pdc_w, float) * (1.0 - dc_loss_fraction)
    pac_w = pvlib.inverter.pvwatts(pdc_w, inverter_ac_mw * W_PER_MW / inverter_efficiency,
                                   eta_inv_nom=inverter_efficiency)
    return np.clip(np.nan_to_num(np.asarray(pac_w, float)), 0.0, None) / W_PER_MW


def wind_speed_at_height(wind_speed_ref, height_m, ref_height_m=10.0, shear_exponent=0.14):
    """Wind speed at ``height_m`` by the power law [m/s].

    References
    ----------
    Hellmann power law; exponent 1/7 over open terrain (e.g. Manwell, McGowan
    and Rogers (2009), Wind Energy Explained, 2nd ed., sec. 2.3).
    """
    return np.asarray(wind_speed_ref, float) * (height_m / ref_height_m) ** shear_exponent


def air_density_kg_per_m3(temp_air_c, altitude_m):
    """Dry-air density from temperature and the standard-atmosphere pressure at altitude [kg/m3]."""
    import pvlib

    p_pa = pvlib.atmosphere.alt2pres(altitude_m)
    return p_pa / (R_DRY_AIR_J_PER_KG_K * (np.asarray(temp_air_c, float) + 273.15))


def wind_power_mw(wind_speed_hub, air_density, curve_speed_m_per_s, curve_power_pu, capacity_mw):
    """Wind farm output from a normalised power curve [MW].

    The hub-height speed is normalised to standard density as in IEC
    61400-12-1 (v_n = v (rho / 1.225)^(1/3)) before reading the curve.

    Parameters
    ----------
    wind_speed_hub : array-like
        Hub-height wind speed [m/s].
    air_density : array-like
        [kg/m3].
    curve_speed_m_per_s, curve_power_pu : array-like
        Power curve: speeds [m/s] and output per unit of rated power [-];
        zero beyond the last point (cut-out).
    capacity_mw : float
        Rated power of the farm [MW].
    """
    v = np.asarray(wind_speed_hub, float) * (np.asarray(air_density, float) / RHO_STANDARD_KG_PER_M3) ** (1.0 / 3.0)
    pu = np.interp(v, curve_speed_m_per_s, curve_power_pu, left=0.0, right=0.0)
    return pu * capacity_mw


def storage_one_way_efficiency(round_trip_efficiency: float) -> float:
    """Charge and discharge efficiency each, splitting a round trip evenly [-]."""
    return float(np.sqrt(round_trip_efficiency))


def standing_loss_per_hour(loss_per_day: float) -> float:
    """Hourly fraction lost that compounds to ``loss_per_day`` over 24 h [1/h]."""
    return 1.0 - (1.0 - loss_per_day) ** (1.0 / 24.0)


def time_of_use_prices(hour_of_day, month, flat_cny_per_mwh, ratios, periods,
                       critical_peak_months=(), critical_peak_hours=(), critical_peak_ratio=1.2):
    """Hourly time-of-use electricity price [CNY/MWh].

    Parameters
    ----------
    hour_of_day, month : numpy.ndarray
        Calendar of each hour.
    flat_cny_per_mwh : float
        Flat-period price.
    ratios : dict
        Period name -> multiplier of the flat price.
    periods : dict
        Period name -> hours of the day it covers; unlisted hours are flat.
    critical_peak_* :
        Months and hours where the price is ``critical_peak_ratio`` times the
        ``peak`` period's price (NDRC 2021: at least 1.2).
    """
    by_hour = np.full(24, ratios.get("flat", 1.0), dtype=float)
    for period, hours in periods.items():
        by_hour[list(hours)] = ratios[period]
    price = flat_cny_per_mwh * by_hour[np.asarray(hour_of_day)]
    if critical_peak_months and critical_peak_hours:
        mask = np.isin(month, critical_peak_months) & np.isin(hour_of_day, critical_peak_hours)
        price[mask] = flat_cny_per_mwh * ratios.get("peak", 1.0) * critical_peak_ratio
    return price
