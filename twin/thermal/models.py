"""Pure physics of heat components."""

from __future__ import annotations

import numpy as np

#: 0 degC in kelvin.
T_ZERO_C_K = 273.15


def heat_pump_cop(t_source_k, t_sink_k, carnot_efficiency=0.45, min_lift_k=10.0, cop_max=8.0):
    """Heating COP of a heat pump as a fraction of the Carnot COP [-].

    COP = eta_C * T_sink / (T_sink - T_source), with the lift bounded below
    by ``min_lift_k`` (heat exchangers need a temperature difference) and the
    result capped at ``cop_max``.

    Parameters
    ----------
    t_source_k : array-like
        Source temperature (air, ground, waste-heat stream) [K].
    t_sink_k : array-like
        Supply (sink) temperature [K].
    carnot_efficiency : float
        Second-law efficiency [-]; 0.4-0.5 for electric vapour-compression
        units.
    min_lift_k : float
        Smallest lift [K].
    cop_max : float
        Upper bound [-].

    Returns
    -------
    numpy.ndarray
        COP [-].

    References
    ----------
    Arpagaus, C. et al. (2018), High temperature heat pumps: market overview,
    state of the art, research status, Energy 152, 985-1010 (COP as a
    fraction of the Lorenz/Carnot COP, typically 0.4-0.6).

    Examples
    --------
    An air-source unit at 7 degC supplying 55 degC:

    >>> round(float(heat_pump_cop(273.15 + 7, 273.15 + 55, 0.45)), 3)
    3.076
    """
    t_source_k = np.asarray(t_source_k, float)
    t_sink_k = np.asarray(t_sink_k, float)
    lift_k = np.maximum(t_sink_k - t_source_k, min_lift_k)
    return np.minimum(carnot_efficiency * t_sink_k / lift_k, cop_max)


def space_heating_fraction(t_air_c, t_indoor_c=18.0, t_design_c=-7.0):
    """Space-heating load as a fraction of the design load [-].

    Linear in the indoor-outdoor difference (degree-hour method), 1.0 at the
    design outdoor temperature, 0 when it is warmer than indoors, never
    above 1.2 (colder than design).

    References
    ----------
    Degree-day method, e.g. CIBSE TM41 (2006), Degree-days: theory and
    application; design outdoor temperatures of Chinese cities in GB 50736-2012.
    """
    frac = (t_indoor_c - np.asarray(t_air_c, float)) / (t_indoor_c - t_design_c)
    return np.clip(frac, 0.0, 1.2)


def daily_mean(values, day_index):
    """Mean of ``values`` over each day, repeated on the day's hours."""
    values = np.asarray(values, float)
    sums = np.bincount(day_index, weights=values)
    counts = np.bincount(day_index)
    return (sums / np.maximum(counts, 1))[day_index]


# -- district-heating network -------------------------------------------

#: Specific heat of water near 60 degC [J/(kg K)] (IAPWS-95; pandapipes'
#: water table gives 4.18-4.20 kJ/(kg K) over 20-100 degC).
CP_WATER_J_PER_KGK = 4186.0
#: Density of water near 60 degC [kg/m3].
RHO_WATER_KG_PER_M3 = 983.0


def pipe_outlet_temperature(t_in_k, t_ground_k, u_w_per_m2k, d_outer_m, length_m, mdot_kg_per_s,
                            cp_j_per_kgk=CP_WATER_J_PER_KGK):
    """Outlet temperature of a buried pipe in steady state [K].

    The fluid relaxes exponentially towards the ground temperature:

        T_out = T_g + (T_in - T_g) * exp(-U * pi * D_o * L / (cp * mdot))

    with the heat-transfer coefficient ``U`` referred to the outer surface
    ``pi * D_o`` per metre (pandapipes' ``u_w_per_m2k`` and
    ``outer_diameter_mm``).

    Parameters
    ----------
    t_in_k, t_ground_k : array-like
        Inlet and ground (ambient) temperature [K].
    u_w_per_m2k : array-like
        Heat-transfer coefficient [W/(m2 K)].
    d_outer_m, length_m : array-like
        Outer diameter and length [m].
    mdot_kg_per_s : array-like
        Mass flow, > 0 [kg/s].
    cp_j_per_kgk : array-like
        Specific heat [J/(kg K)].

    Returns
    -------
    numpy.ndarray
        Outlet temperature [K].

    References
    ----------
    Frederiksen, S. and Werner, S. (2013), District Heating and Cooling,
    Studentlitteratur, ch. 7 (heat losses of distribution pipes).

    Examples
    --------
    >>> round(float(pipe_outlet_temperature(363.15, 283.15, 1.0, 0.2, 1000.0, 5.0, 4186.0)), 3)
    360.784
    """
    ntu = (np.asarray(u_w_per_m2k, float) * np.pi * np.asarray(d_outer_m, float) * np.asarray(length_m, float)
           / (np.asarray(cp_j_per_kgk, float) * np.asarray(mdot_kg_per_s, float)))
    t_g = np.asarray(t_ground_k, float)
    return t_g + (np.asarray(t_in_k, float) - t_g) * np.exp(-ntu)


def nikuradse_friction_factor(d_m, k_m, gas=False):
    """Fully rough Darcy friction factor after Nikuradse [-].

    Liquids: 1 / (2 log10(3.71 d / k))^2; gases: 1 / (2 log10(d / k) + 1.14)^2
    (the two forms pandapipes uses; they differ by < 1 % for d/k > 100).

    References
    ----------
    Nikuradse, J. (1933), Strömungsgesetze in rauhen Rohren, VDI-Forschungsheft 361.
    """
    d_m, k_m = np.asarray(d_m, float), np.asarray(k_m, float)
    if gas:
        return 1.0 / (2.0 * np.log10(d_m / k_m) + 1.14) ** 2
    return 1.0 / (2.0 * np.log10(3.71 * d_m / k_m)) ** 2


def gas_pipe_inlet_pressure_bar(p_out_abs_bar, mdot_kg_per_s, length_m, d_m, friction_factor, t_k,
                                rho_normal_kg_per_m3, compressibility=1.0, p_normal_bar=1.01325,
                                t_normal_k=273.15):
    """Inlet pressure of an isothermal gas pipe from the outlet pressure [bar, absolute].

    Darcy-Weisbach integrated over a compressible, isothermal flow:

        p_in^2 - p_out^2 = lambda * L / D * (mdot / A)^2 * Z * p_n * T / (rho_n * T_n)

    (from dp/dx = -lambda / (2 D) * rho * v^2 with rho = rho_n p T_n / (p_n T Z))

    (pressures in Pa inside the formula).

    Parameters
    ----------
    p_out_abs_bar : float
        Outlet pressure, absolute [bar].
    mdot_kg_per_s : float
    length_m, d_m : float
        Length and inner diameter [m].
    friction_factor : float
        Darcy friction factor [-].
    t_k : float
        Gas temperature [K].
    rho_normal_kg_per_m3 : float
        Density at normal conditions (``p_normal_bar``, ``t_normal_k``) [kg/m3].
    compressibility : float
        Mean compressibility factor Z [-].

    References
    ----------
    Menon, E. S. (2005), Gas Pipeline Hydraulics, CRC Press, ch. 2 (general
    flow equation).
    """
    area = np.pi * d_m ** 2 / 4.0
    k = friction_factor * length_m / d_m * (mdot_kg_per_s / area) ** 2 * compressibility \
        * p_normal_bar * 1e5 * t_k / (rho_normal_kg_per_m3 * t_normal_k)
    return np.sqrt((p_out_abs_bar * 1e5) ** 2 + k) / 1e5


def pump_electric_power_mw(vdot_m3_per_s, dp_bar, efficiency):
    """Electric power of a pump [MW]: V * dp / eta.

    Parameters
    ----------
    vdot_m3_per_s : array-like
        Volume flow [m3/s].
    dp_bar : array-like
        Pressure lift [bar].
    efficiency : float
        Wire-to-water efficiency [-].
    """
    return np.asarray(vdot_m3_per_s, float) * np.asarray(dp_bar, float) * 1e5 / efficiency / 1e6


def heating_curve_supply_c(t_air_c, t_supply_design_c, t_supply_min_c, t_design_c=-7.0, t_limit_c=15.0):
    """Supply temperature of a district-heating network from the outdoor temperature [degC].

    Linear between ``t_supply_design_c`` at the design outdoor temperature
    and ``t_supply_min_c`` at the heating limit (and above); weather
    compensation as operated in Chinese and Nordic networks.

    References
    ----------
    Frederiksen, S. and Werner, S. (2013), District Heating and Cooling, ch. 9
    (supply temperature control).
    """
    t_air_c = np.asarray(t_air_c, float)
    frac = np.clip((t_limit_c - t_air_c) / (t_limit_c - t_design_c), 0.0, 1.0)
    return t_supply_min_c + frac * (t_supply_design_c - t_supply_min_c)


# -- heat sources -------------------------------------------------------

def chp_fuel_factor(load_fraction, no_load_fuel_fraction=0.1):
    """Fuel use of a CHP at part load, as a fraction of full-load fuel [-].

    Willans line: fuel = F_full * (f0 + (1 - f0) * x) at load fraction ``x``,
    so both the electrical and the thermal efficiency scale with
    x / (f0 + (1 - f0) x). With f0 = 0.1 a gas engine at half load keeps
    91 % of its full-load efficiency, as in manufacturers' part-load data.

    Parameters
    ----------
    load_fraction : array-like
        Output / rated output, in (0, 1] [-].
    no_load_fuel_fraction : float
        f0, fuel at zero output as a fraction of full-load fuel [-].

    References
    ----------
    Willans, P. W. (1888), Economy trials of a non-condensing steam engine,
    Minutes of Proc. Inst. Civil Engineers 93 (the linear fuel line);
    ASUE (2014), BHKW-Kenndaten 2014/2015 (part-load efficiencies of gas engines).

    Examples
    --------
    >>> round(float(chp_fuel_factor(0.5, 0.1)), 3)
    0.55
    """
    x = np.asarray(load_fraction, float)
    return no_load_fuel_fraction + (1.0 - no_load_fuel_fraction) * x


def solar_collector_efficiency(g_poa_w_per_m2, t_mean_c, t_air_c, eta0=0.75, a1_w_per_m2k=3.5,
                               a2_w_per_m2k2=0.015):
    """Efficiency of a solar thermal collector (quadratic curve) [-].

        eta = eta0 - a1 (T_m - T_a) / G - a2 (T_m - T_a)^2 / G,   >= 0

    Parameters
    ----------
    g_poa_w_per_m2 : array-like
        Irradiance on the collector plane [W/m2].
    t_mean_c : array-like
        Mean fluid temperature in the collector [degC].
    t_air_c : array-like
        Ambient temperature [degC].
    eta0 : float
        Optical (zero-loss) efficiency [-].
    a1_w_per_m2k, a2_w_per_m2k2 : float
        Linear and quadratic heat-loss coefficients [W/(m2 K)], [W/(m2 K2)].

    References
    ----------
    ISO 9806:2017, Solar energy - Solar thermal collectors - Test methods
    (steady-state efficiency curve; flat plate: eta0 ~0.75, a1 ~3.5, a2 ~0.015).

    Examples
    --------
    >>> round(float(solar_collector_efficiency(800.0, 70.0, 20.0)), 4)
    0.4844
    """
    g = np.asarray(g_poa_w_per_m2, float)
    dt = np.asarray(t_mean_c, float) - np.asarray(t_air_c, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        eta = eta0 - a1_w_per_m2k * dt / g - a2_w_per_m2k2 * dt ** 2 / g
    return np.where(g > 0.0, np.clip(eta, 0.0, None), 0.0)


def chiller_cop(t_chilled_k, t_heat_rejection_k, carnot_efficiency=0.5, min_lift_k=10.0, cop_max=10.0):
    """Cooling COP of an electric vapour-compression chiller [-].

    COP = eta_C * T_cold / (T_hot - T_cold), the lift held above ``min_lift_k``
    and the result capped at ``cop_max``.

    Parameters
    ----------
    t_chilled_k : array-like
        Chilled-water supply temperature [K].
    t_heat_rejection_k : array-like
        Condenser (heat rejection) temperature, e.g. outdoor air + approach [K].

    References
    ----------
    ASHRAE Handbook - Fundamentals (2017), ch. 2 (Carnot refrigeration cycle);
    GB 19577-2015 (water-cooled chiller COP 5-6 at rating conditions).
    """
    t_c = np.asarray(t_chilled_k, float)
    lift = np.maximum(np.asarray(t_heat_rejection_k, float) - t_c, min_lift_k)
    return np.minimum(carnot_efficiency * t_c / lift, cop_max)


def doublet_heat_mw(mdot_kg_per_s, t_production_c, t_reinjection_c, cp_j_per_kgk=CP_WATER_J_PER_KGK):
    """Heat drawn from a geothermal doublet [MW]: mdot cp (T_prod - T_reinj).

    References
    ----------
    Stober, I. and Bucher, K. (2021), Geothermal Energy, 2nd ed., Springer, ch. 9
    (hydrothermal doublet systems).
    """
    return np.asarray(mdot_kg_per_s, float) * cp_j_per_kgk * (
        np.asarray(t_production_c, float) - np.asarray(t_reinjection_c, float)) / 1e6


def standing_loss_per_hour(loss_per_day):
    """Hourly fraction lost for a daily standing-loss fraction [1/h]."""
    return 1.0 - (1.0 - loss_per_day) ** (1.0 / 24.0)
