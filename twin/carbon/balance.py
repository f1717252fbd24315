"""The park method for one set of options: hourly carbon ledger and energy consumption.

:func:`park_balance` turns sorted flows (:mod:`twin.carbon.flows`) and a
factor set (:mod:`twin.carbon.factors`) into

- the hourly carbon ledger, columns ``<source>|<category>`` [tCO2]:
  emissions (``fossil_fuel_combustion``, ``industrial_process``,
  ``purchased_electricity``, ``purchased_heat``), deductions as negative
  values (``green_power_trade``, ``green_certificates``, ``ccus``,
  ``green_export_credit``) and, reported apart and never counted,
  ``biogenic_not_counted`` and ``purchased_hydrogen_not_counted``;
- the hourly energy consumption in tce per carrier, and its clean part;
- the evidence behind every deduction (MWh, factor, matching).

The rules and their sources are in docs/accounting.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from twin.carbon.factors import FactorSet
from twin.carbon.flows import ParkFlows
from twin.carbon.matching import match_volume

EMISSION_CATEGORIES = ("fossil_fuel_combustion", "industrial_process", "purchased_electricity", "purchased_heat",
                       "purchased_hydrogen")
DEDUCTION_CATEGORIES = ("green_power_trade", "green_certificates", "ccus", "green_export_credit")
#: Reported apart, never counted.
MEMO_CATEGORY = "biogenic_not_counted"
#: Purchased hydrogen's production CO2 when include_purchased_hydrogen is false (reported, not counted).
HYDROGEN_MEMO_CATEGORY = "purchased_hydrogen_not_counted"
MEMO_CATEGORIES = (MEMO_CATEGORY, HYDROGEN_MEMO_CATEGORY)


def category_of(column: str) -> str:
    """The category of a ledger column ``<source>|<category>``."""
    return column.rpartition("|")[2]


def counted_columns(ledger: pd.DataFrame) -> list[str]:
    """Ledger columns that count towards the park's CO2 (all but the memos)."""
    return [c for c in ledger.columns if category_of(c) not in MEMO_CATEGORIES]


@dataclass
class Balance:
    """Carbon and energy of a run under one set of accounting options.

    Attributes
    ----------
    ledger : pandas.DataFrame
        Hourly carbon ledger [tCO2], columns ``<source>|<category>``.
    energy_tce : dict[str, numpy.ndarray]
        Hourly energy consumption by carrier [tce] (``other_fuels``: fuels
        the engine does not carry, from ``<name>.fuel_tce`` columns).
    clean_tce : dict[str, numpy.ndarray]
        Hourly clean part of it [tce].
    electricity_mwh : numpy.ndarray
        Hourly electricity consumption [MWh].
    green_supply_mwh : numpy.ndarray
        Hourly on-site clean electricity and direct-line supply, before exports [MWh].
    green_volumes_mwh : numpy.ndarray
        Hourly grid import covered by green-power trades and certificates [MWh].
    co2_t : float
        Net CO2 of the ledger (emissions minus deductions, memo excluded).
    process_counted_t : float
        Process CO2 net of its share of capture (left out of the core
        numerator when process emissions are excluded).
    core_numerator_t : float
    evidence : list of dict
    """

    ledger: pd.DataFrame
    energy_tce: dict[str, np.ndarray]
    clean_tce: dict[str, np.ndarray]
    electricity_mwh: np.ndarray
    green_supply_mwh: np.ndarray
    green_volumes_mwh: np.ndarray
    co2_t: float
    process_counted_t: float
    core_numerator_t: float
    evidence: list[dict] = field(default_factory=list)

    @property
    def energy_total_tce(self) -> float:
        return float(sum(a.sum() for a in self.energy_tce.values()))

    @property
    def clean_total_tce(self) -> float:
        return float(sum(a.sum() for a in self.clean_tce.values()))

    @property
    def core_tco2_per_tce(self) -> float:
        e = self.energy_total_tce
        return self.core_numerator_t / e if e > 0 else float("nan")


def _add(cols: dict, key: str, values: np.ndarray) -> None:
    cols[key] = cols[key] + values if key in cols else values.copy()


def park_balance(flows: ParkFlows, factors: FactorSet, cfg) -> Balance:
    """Carbon ledger and energy consumption of ``flows`` under ``cfg`` (AccountingConfig)."""
    H = flows.hours
    zero = np.zeros(H)
    cols: dict[str, np.ndarray] = {}
    evidence: list[dict] = []
    f_grid = factors.grid_co2_t_per_mwh

    # -- emissions ---------------------------------------------------------
    comb: dict[str, np.ndarray] = {}
    biogenic: dict[str, np.ndarray] = {}
    for name, burnt in flows.gas_burnt.items():
        _add(comb, name, burnt * flows.gas_fossil_share * factors.gas_co2_t_per_mwh)
        if flows.gas_biogenic_share.any():
            _add(biogenic, name, burnt * flows.gas_biogenic_share * factors.gas_co2_t_per_mwh)
    for name, co2 in flows.of("combustion_co2_t").items():
        _add(comb, name, co2)
    for name, co2 in comb.items():
        cols[f"{name}|fossil_fuel_combustion"] = co2
    proc = flows.of("process_co2_t")
    for name, co2 in proc.items():
        cols[f"{name}|industrial_process"] = co2.copy()
    grid_import = flows.sum(flows.imports["electricity"])
    for name, imp in flows.imports["electricity"].items():
        cols[f"{name}|purchased_electricity"] = imp * f_grid
    for name, imp in flows.imports["heat"].items():
        if name not in flows.clean:
            cols[f"{name}|purchased_heat"] = imp * factors.heat_co2_t_per_mwh
    h2_category = "purchased_hydrogen" if cfg.include_purchased_hydrogen else HYDROGEN_MEMO_CATEGORY
    for name, imp in flows.imports["hydrogen"].items():
        # a set's own factor wins; else what the supply declares; else the table's
        f_h2 = (factors.hydrogen_co2_t_per_mwh if "hydrogen_co2_t_per_mwh" in (cfg.factors or {})
                else flows.declared_co2_t_per_mwh.get(name, factors.hydrogen_co2_t_per_mwh))
        if name not in flows.clean and f_h2 != 0.0:
            cols[f"{name}|{h2_category}"] = imp * f_h2

    # -- green-power volumes bought: trades first, then certificates --------
    trade = match_volume(grid_import, cfg.green_power_trade_mwh, cfg.certificate_matching)
    cert = match_volume(grid_import - trade, cfg.green_certificates_mwh, cfg.certificate_matching)
    for key, volume, matched in (("green_power_trade", cfg.green_power_trade_mwh, trade),
                                 ("green_certificates", cfg.green_certificates_mwh, cert)):
        if volume > 0.0:
            cols[f"{key}|{key}"] = -matched * f_grid
            evidence.append({"kind": key, "source": f"accounting.{key}_mwh",
                             "bought_mwh": float(volume), "matched_mwh": float(matched.sum()),
                             "unused_mwh": float(volume - matched.sum()), "matching": cfg.certificate_matching,
                             "factor_t_per_mwh": f_grid, "co2_t": -float(matched.sum()) * f_grid})

    # -- on-site renewables, direct lines, exports ----------------------------
    clean_primary_e = {n: a for n, a in flows.primary["electricity"].items() if n in flows.clean}
    direct = flows.sum(flows.direct_line)
    green_supply = flows.sum(clean_primary_e) + direct
    export = flows.sum(flows.exports["electricity"]) + flows.sum(flows.direct_line_export)
    green_export = np.minimum(export, green_supply)
    for name, a in clean_primary_e.items():
        evidence.append({"kind": "onsite_renewable", "source": name, "supplied_mwh": float(a.sum()),
                         "factor_t_per_mwh": 0.0, "avoided_co2_t": float(a.sum()) * f_grid,
                         "note": "zero factor; avoided CO2 at the grid factor, before exports"})
    for name, a in flows.direct_line.items():
        evidence.append({"kind": "direct_line", "source": name, "supplied_mwh": float(a.sum()),
                         "factor_t_per_mwh": 0.0, "avoided_co2_t": float(a.sum()) * f_grid,
                         "note": "green-power direct line: zero factor, not a grid purchase"})
    if green_export.sum() > 0.0:
        credit_mwh = zero
        if cfg.credit_green_export:
            nongreen = float((grid_import - trade - cert).sum())
            credit_mwh = green_export * min(1.0, nongreen / float(green_export.sum()))
            cols["green_export|green_export_credit"] = -credit_mwh * f_grid
        evidence.append({"kind": "green_export", "source": ", ".join(flows.exports["electricity"]) or "export",
                         "exported_mwh": float(green_export.sum()), "credited_mwh": float(credit_mwh.sum()),
                         "factor_t_per_mwh": f_grid, "co2_t": -float(credit_mwh.sum()) * f_grid,
                         "note": "credited" if cfg.credit_green_export else "not credited (credit_green_export=false)"})

    # -- CCUS: capture deducted up to the capturing component's counted CO2 --
    process_capture = zero.copy()
    for name, captured in flows.of("captured_co2_t").items():
        c = comb.get(name, zero)
        p = proc.get(name, zero)
        counted = c + p
        cap = np.minimum(captured, counted)
        with np.errstate(invalid="ignore", divide="ignore"):
            process_capture += np.where(counted > 0, cap * p / np.where(counted > 0, counted, 1.0), 0.0)
        cols[f"{name}|ccus"] = -cap
        evidence.append({"kind": "ccus", "source": name, "captured_t": float(captured.sum()),
                         "deducted_t": float(cap.sum()),
                         "note": "capture beyond the component's own counted fossil CO2 is not deducted"})

    for name, fuel in flows.source_fuel.items():
        if name in flows.biogenic:
            _add(biogenic, name, fuel * factors.biomass_co2_t_per_mwh)
    for name, co2 in flows.of("biogenic_co2_t").items():
        _add(biogenic, name, co2)
    for name, co2 in biogenic.items():
        cols[f"{name}|{MEMO_CATEGORY}"] = co2

    ledger = pd.DataFrame(cols, index=flows.index)
    ledger.index.name = flows.index.name
    co2 = float(ledger[counted_columns(ledger)].to_numpy().sum()) if len(ledger.columns) else 0.0
    process_counted = float(sum(a.sum() for a in proc.values())) - float(process_capture.sum())
    numerator = co2 if cfg.include_process_emissions else co2 - process_counted

    # -- energy consumption (tce) and its clean part --------------------------
    def net(carrier: str) -> np.ndarray:
        return flows.sum(flows.imports[carrier]) - flows.sum(flows.exports[carrier]) + flows.sum(flows.primary[carrier])

    def clean_of(carrier: str) -> np.ndarray:
        out = flows.sum({n: a for n, a in flows.primary[carrier].items() if n in flows.clean})
        for n, imp in flows.imports[carrier].items():
            if n in flows.clean:
                out = out + imp - flows.exports[carrier][n]
        return out

    electricity = net("electricity") + direct - flows.sum(flows.direct_line_export)
    clean_e = green_supply - green_export + trade + cert
    f_e = factors.electricity_tce_per_mwh
    energy = {"electricity": electricity * f_e, "heat": net("heat") * factors.heat_tce_per_mwh,
              "gas": net("gas") * factors.fuel_tce_per_mwh, "hydrogen": net("hydrogen") * factors.fuel_tce_per_mwh,
              "other_fuels": flows.sum(flows.of("fuel_tce")) + flows.sum(flows.source_fuel) * factors.fuel_tce_per_mwh}
    clean_gas = net("gas") if cfg.gas_is_clean else clean_of("gas")
    clean = {"electricity": clean_e * f_e, "heat": clean_of("heat") * factors.heat_tce_per_mwh,
             "gas": clean_gas * factors.fuel_tce_per_mwh, "hydrogen": clean_of("hydrogen") * factors.fuel_tce_per_mwh,
             "other_fuels": flows.sum({n: a for n, a in flows.source_fuel.items() if n in flows.clean})
             * factors.fuel_tce_per_mwh}
    return Balance(ledger=ledger, energy_tce=energy, clean_tce=clean, electricity_mwh=electricity,
                   green_supply_mwh=green_supply, green_volumes_mwh=trade + cert, co2_t=co2,
                   process_counted_t=process_counted, core_numerator_t=numerator, evidence=evidence)
