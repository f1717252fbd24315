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
