"""First carbon ledger: emissions of grid electricity and natural gas.

Minimal until the carbon-accounting issue lands (factor tables, the park
method, the 1 + 5 indicators): it counts purchased grid electricity at the
national fossil-power factor and gas at the IPCC default, and evaluates the
core indicator only. Other indicators are listed as not evaluated.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: tCO2/MWh, national fossil-fuel power factor 2022 (MEE 2024-12-26).
GRID_FOSSIL_2022_T_PER_MWH = 0.8325
#: tCO2/MWh(LHV) = 56.1 tCO2/TJ (IPCC 2006 default) x 0.0036 TJ/MWh.
GAS_T_PER_MWH = 56.1 * 0.0036
#: tce/MWh, equivalent value of electricity (GB/T 2589-2020: 0.1229 kgce/kWh).
ELECTRICITY_TCE_PER_MWH = 0.1229
#: tce/MWh of a fuel's LHV energy: 3.6 GJ / 29.3076 GJ/tce.
FUEL_TCE_PER_MWH = 3.6 / 29.3076


@dataclass
class CarbonAccount:
    hourly: pd.DataFrame
    summary: dict
    indicators: pd.DataFrame


def check_accounting(valid) -> list[tuple[str, str]]:
    return []


def account(timeseries: pd.DataFrame, components: dict[str, dict], accounting) -> CarbonAccount:
    hourly = pd.DataFrame(index=timeseries.index)
    energy_tce = 0.0
    for name, info in components.items():
        if info["type"] == "grid":
            imp = timeseries[f"{name}.import_mwh"]
            hourly[f"{name}|purchased_electricity"] = imp * GRID_FOSSIL_2022_T_PER_MWH
            energy_tce += float(imp.sum()) * ELECTRICITY_TCE_PER_MWH
        elif info["type"] == "gas_supply":
            imp = timeseries[f"{name}.import_mwh"]
            hourly[f"{name}|fossil_fuel_combustion"] = imp * GAS_T_PER_MWH
            energy_tce += float(imp.sum()) * FUEL_TCE_PER_MWH
        elif "renewable" in info["tags"]:
            energy_tce += float(timeseries[f"{name}.electricity_mwh"].sum()) * ELECTRICITY_TCE_PER_MWH
    co2_t = float(hourly.to_numpy().sum())
    value = co2_t / energy_tce if energy_tce > 0 else np.nan
    indicators = pd.DataFrame([
        {"name": "core: carbon per unit energy", "value": value, "unit": "tCO2/tce", "threshold": 0.20,
         "pass": bool(value <= 0.20), "evaluated": True, "numerator": co2_t, "denominator": energy_tce, "note": ""},
    ])
    summary = {"co2_t": co2_t, "energy_tce": energy_tce}
    return CarbonAccount(hourly=hourly, summary=summary, indicators=indicators)
