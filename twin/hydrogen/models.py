"""Pure physics of the hydrogen chain."""

from __future__ import annotations

import numpy as np

#: Lower heating value of hydrogen [kWh/kg] (120 MJ/kg; e.g. DOE Hydrogen
#: Program Record / IEA, The Future of Hydrogen, 2019, annex).
H2_LHV_KWH_PER_KG = 33.33
#: Higher heating value [kWh/kg] (141.8 MJ/kg), for efficiencies stated on HHV.
H2_HHV_KWH_PER_KG = 39.41
#: Lower heating value per normal cubic metre [MJ/Nm3] (0 degC, 1.01325 bar).
H2_LHV_MJ_PER_NM3 = 10.79
#: Natural gas (mostly methane) lower heating value [MJ/Nm3], typical of
#: Chinese pipeline gas (GB/T 2589-2020 range 32.2-38.9 MJ/m3).
NG_LHV_MJ_PER_NM3 = 35.88
#: Specific gas constant of hydrogen [J/(kg K)] = 8.314462 / 0.002016.
R_H2_J_PER_KG_K = 4124.2
#: Heat-capacity ratio of hydrogen near ambient temperature [-].
KAPPA_H2 = 1.41


#: Mass of one MWh of hydrogen (LHV) [kg/MWh].
KG_PER_MWH = 1000.0 / H2_LHV_KWH_PER_KG


def mwh_to_kg(e_mwh):
    """Hydrogen energy (LHV) [MWh] to mass [kg] (floats stay floats)."""
    return e_mwh * KG_PER_MWH if isinstance(e_mwh, float) else np.asarray(e_mwh, float) * KG_PER_MWH


def kg_to_mwh(m_kg):
    """Hydrogen mass [kg] to energy (LHV) [MWh] (floats stay floats)."""
    return m_kg / KG_PER_MWH if isinstance(m_kg, float) else np.asarray(m_kg, float) / KG_PER_MWH


def specific_electricity_kwh_per_kg(load_fraction, curve_load, curve_kwh_per_kg):
    """Electricity per kg of hydrogen at a part load [kWh/kg].

    Linear interpolation of a part-load curve given as points (load as a
    fraction of rated hydrogen output, specific electricity).

    References
    ----------
    Part-load behaviour of alkaline and PEM stacks: Buttler, A. and Spliethoff,
    H. (2018), Current status of water electrolysis for energy storage, grid
    balancing and sector coupling via power-to-gas and power-to-liquids: a
    review, Renew. Sust. Energy Rev. 82, 2440-2454.
    """
    return np.interp(load_fraction, curve_load, curve_kwh_per_kg)


def compression_work_kwh_per_kg(p_in_bar, p_out_bar, t_in_k=303.15, isentropic_efficiency=0.7, stages=2):
    """Electric work to compress hydrogen [kWh/kg].

    Ideal-gas isentropic work per stage with equal pressure ratios and
    intercooling back to ``t_in_k``, divided by the isentropic (and drive)
    efficiency:

        w = n * kappa/(kappa-1) * R * T_in * ((p_out/p_in)^((kappa-1)/(kappa n)) - 1) / eta

    References
    ----------
    E.g. Tzimas, E. et al. (2003), Hydrogen storage: state-of-the-art and
    future perspective, EUR 20995 EN, section on compression energy.

    Examples
    --------
    30 bar electrolyser outlet to a 200 bar tank, two stages, eta 0.7:

    >>> round(float(compression_work_kwh_per_kg(30, 200)), 3)
    1.084
    """
    ratio = (np.asarray(p_out_bar, float) / np.asarray(p_in_bar, float)) ** ((KAPPA_H2 - 1) / (KAPPA_H2 * stages))
    w_j_per_kg = stages * KAPPA_H2 / (KAPPA_H2 - 1) * R_H2_J_PER_KG_K * t_in_k * (ratio - 1.0)
    return np.maximum(w_j_per_kg, 0.0) / isentropic_efficiency / 3.6e6


def blend_energy_share(h2_volume_share):
    """Share of hydrogen in a blend's energy for a volume share [-]."""
    x = np.asarray(h2_volume_share, float)
    return x * H2_LHV_MJ_PER_NM3 / (x * H2_LHV_MJ_PER_NM3 + (1.0 - x) * NG_LHV_MJ_PER_NM3)


def blend_volume_share(h2_energy_share):
    """Volume share of hydrogen for an energy share (inverse of :func:`blend_energy_share`) [-]."""
    y = np.asarray(h2_energy_share, float)
    return y * NG_LHV_MJ_PER_NM3 / (H2_LHV_MJ_PER_NM3 * (1.0 - y) + y * NG_LHV_MJ_PER_NM3)
