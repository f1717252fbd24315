"""Carbon accounting of a run: the park method, the 1 + 5 indicators, the 24/7 view.

:func:`account` is called once after a run by ``twin.simulation``. It sorts
the ledger frame by role (:mod:`twin.carbon.flows`), resolves the factor
set of the accounting config (:mod:`twin.carbon.factors`), builds the
hourly carbon ledger and the energy consumption (:mod:`twin.carbon.balance`),
evaluates the indicators (:mod:`twin.carbon.indicators`) and recomputes the
core indicator under each alternative reading the public sources leave open,
so that they can be compared side by side. How and why: docs/accounting.md.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from twin.carbon.balance import (DEDUCTION_CATEGORIES, EMISSION_CATEGORIES, HYDROGEN_MEMO_CATEGORY, MEMO_CATEGORY,
                                 Balance, category_of, counted_columns, park_balance)
from twin.carbon.factors import (FACTOR_KEYS, GRID_BASES, MATCHINGS, TABLES, TCE_BASES, FactorSet, read_table,
                                 resolve_factors, table_path)
from twin.carbon.flows import park_flows
from twin.carbon.indicators import annualised, core_threshold, evaluate_indicators
from twin.carbon.matching import hourly_match

#: Categories always reported in the summary, even when zero.
MAIN_CATEGORIES = ("fossil_fuel_combustion", "industrial_process", "purchased_electricity", "purchased_heat")


@dataclass
class CarbonAccount:
    """What the accounting returns for one run.

    Attributes
    ----------
    hourly : pandas.DataFrame
        The hourly carbon ledger [tCO2], columns ``<source>|<category>``
        (written as carbon.csv).
    summary : dict
        JSON-ready ``summary["carbon"]``.
    indicators : pandas.DataFrame
        One row per indicator (written as indicators.csv).
    """

    hourly: pd.DataFrame
    summary: dict
    indicators: pd.DataFrame


def account(timeseries: pd.DataFrame, components: dict[str, dict], accounting) -> CarbonAccount:
    """Account a run's emissions and evaluate the zero-carbon park indicators.

    Parameters
    ----------
    timeseries : pandas.DataFrame
        The hourly ledger frame (tz-aware hourly index); flow columns
        ``<component>.<carrier>_mwh`` signed, supply to the park positive.
        The columns read are listed in docs/accounting.md, "Inputs".
    components : dict
        ``name -> describe()`` of every component (``type``, ``tags``, ...).
    accounting : AccountingConfig
        The validated accounting config (factor set and options).

    Returns
    -------
    CarbonAccount
    """
    factors = resolve_factors(accounting)
    flows = park_flows(timeseries, components)
    balance = park_balance(flows, factors, accounting)
    indicators = evaluate_indicators(flows, balance, factors, accounting)
    summary = _summary(flows, balance, factors, accounting, indicators)
    return CarbonAccount(hourly=balance.ledger, summary=summary, indicators=indicators)


def _sum_by(ledger: pd.DataFrame, categories, always=()) -> dict[str, float]:
    totals = ledger.sum()
    out = {c: 0.0 for c in always}
    for col, v in totals.items():
        cat = category_of(col)
        if cat in categories:
            out[cat] = out.get(cat, 0.0) + float(v)
    return out


def _core(balance: Balance, factors: FactorSet, hours: int) -> dict:
    energy = balance.energy_total_tce
    value = balance.core_tco2_per_tce
    threshold, _, band = core_threshold(annualised(energy, hours), factors.thresholds) if energy > 0 else (
        math.nan, "", "")
    return {"co2_t": balance.core_numerator_t, "energy_tce": energy, "core_tco2_per_tce": value,
            "threshold": threshold, "pass": bool(value <= threshold) if math.isfinite(value) else None}


def alternatives(flows, factors: FactorSet, cfg) -> dict[str, dict]:
    """The core indicator under each alternative reading, one option changed at a time.

    Returns ``{"<option>=<value>": {option, value, configured, co2_t,
    energy_tce, core_tco2_per_tce, threshold, pass, note}}``.
    """
    out: dict[str, dict] = {}

    def add(option, value, f, c, note=""):
        res = _core(park_balance(flows, f, c), f, flows.hours)
        label = str(value).lower() if isinstance(value, bool) else value
        out[f"{option}={label}"] = {"option": option, "value": value, "configured": getattr(cfg, option) == value,
                                    **res, "note": note}

    for basis in GRID_BASES:
        if basis in factors.grid_by_basis:
            f = factors if basis == cfg.grid_factor else factors.with_options(grid_basis=basis)
            add("grid_factor", basis, f, dataclasses.replace(cfg, grid_factor=basis),
                f"{factors.grid_labels.get(basis, basis)}: {f.grid_co2_t_per_mwh} tCO2/MWh")
    for basis in TCE_BASES:
        f = factors if basis == cfg.electricity_tce_basis else factors.with_options(tce_basis=basis)
        add("electricity_tce_basis", basis, f, dataclasses.replace(cfg, electricity_tce_basis=basis),
            f"{f.electricity_tce_per_mwh} tce/MWh")
    for flag in (True, False):
        add("include_process_emissions", flag, factors, dataclasses.replace(cfg, include_process_emissions=flag))
    for flag in (False, True):
        add("credit_green_export", flag, factors, dataclasses.replace(cfg, credit_green_export=flag))
    if flows.imports["hydrogen"]:
        for flag in (False, True):
            add("include_purchased_hydrogen", flag, factors, dataclasses.replace(cfg, include_purchased_hydrogen=flag))
    if cfg.green_certificates_mwh > 0 or cfg.green_power_trade_mwh > 0:
        for m in MATCHINGS:
            add("certificate_matching", m, factors, dataclasses.replace(cfg, certificate_matching=m))
    return out


def _with_unit(view: dict, unit: str) -> dict:
    """Name the energy amounts of a :func:`hourly_match` result with their unit."""
    return {(k if k.endswith("_pct") or k.startswith("hours") else f"{k}_{unit}"): v for k, v in view.items()}


def twenty_four_seven(balance: Balance, factors: FactorSet, cfg) -> dict:
    """Hour-by-hour match of consumption with clean supply, beside the annual share.

    Electricity [MWh]: on-site renewables and direct lines in the hour they
    supply, plus green-power trades and certificates only when they are
    matched hourly (annual volumes prove no hour). All energy [tce]: the
    same with the clean heat, gas and hydrogen of each hour.
    ``annual_share_pct`` is the clean share over the whole run as the
    clean-energy indicator counts it (all energy: G1): green power exported
    is not the park's. ``annual_netted_share_pct`` is annual matching: all
    green power made or bought in the run, exported or not, against all
    consumption (at most 100 %). Hour-by-hour ``share_pct`` equals the
    first when only on-site supply is clean (what is not used in its hour is
    exported); the gap to the second is what timing costs.
    """
    volumes = balance.green_volumes_mwh if cfg.certificate_matching == "hourly" else 0.0
    clean_e = balance.green_supply_mwh + volumes
    elec = hourly_match(balance.electricity_mwh, clean_e)
    months = balance.ledger.index.strftime("%Y-%m") if len(balance.ledger.index) else []
    monthly = {}
    for month in dict.fromkeys(months):
        mask = np.asarray(months == month)
        m = hourly_match(balance.electricity_mwh[mask], clean_e[mask])
        monthly[month] = m["share_pct"]
    f_e = factors.electricity_tce_per_mwh
    cons = sum(balance.energy_tce.values())
    # clean electricity beyond the hour's electricity use was exported, not used for other carriers
    clean_e_used = np.minimum(clean_e, np.clip(balance.electricity_mwh, 0.0, None))
    clean = clean_e_used * f_e + sum(v for k, v in balance.clean_tce.items() if k != "electricity")
    allen = hourly_match(cons, clean)
    def annual(carrier=None):
        e = balance.energy_tce[carrier].sum() if carrier else balance.energy_total_tce
        c = balance.clean_tce[carrier].sum() if carrier else balance.clean_total_tce
        return 100.0 * float(c) / float(e) if e > 0 else math.nan

    def netted(clean_total, consumption_total):
        return 100.0 * min(1.0, clean_total / consumption_total) if consumption_total > 0 else math.nan

    made_e = float((balance.green_supply_mwh + balance.green_volumes_mwh).sum())
    other = float(sum(v.sum() for k, v in balance.clean_tce.items() if k != "electricity"))
    return {"electricity": {**_with_unit(elec, "mwh"), "annual_share_pct": annual("electricity"),
                            "annual_netted_share_pct": netted(made_e, float(balance.electricity_mwh.sum())),
                            "monthly_share_pct": monthly},
            "all_energy": {**_with_unit(allen, "tce"), "annual_share_pct": annual(),
                           "annual_netted_share_pct": netted(made_e * f_e + other, balance.energy_total_tce)},
            "note": ("green-power trades and certificates count hour by hour only when matched hourly"
                     if cfg.certificate_matching == "annual" and (cfg.green_certificates_mwh or cfg.green_power_trade_mwh)
                     else "")}


def _summary(flows, balance: Balance, factors: FactorSet, cfg, indicators: pd.DataFrame) -> dict:
    ledger = balance.ledger
    by_category = _sum_by(ledger, EMISSION_CATEGORIES, MAIN_CATEGORIES)
    deductions = _sum_by(ledger, DEDUCTION_CATEGORIES)
    totals = ledger[counted_columns(ledger)].sum()
    by_source: dict[str, float] = {}
    for col, v in totals.items():
        src = col.rpartition("|")[0]
        by_source[src] = by_source.get(src, 0.0) + float(v)
    energy = balance.energy_total_tce
    core = indicators.loc[indicators["key"] == "core"].iloc[0]
    return {
        "factor_set": cfg.name,
        "options": {k: getattr(cfg, k) for k in ("grid_factor", "grid_factor_year", "province",
                                                   "electricity_tce_basis", "include_process_emissions",
                                                   "include_purchased_hydrogen", "credit_green_export",
                                                   "green_certificates_mwh",
                                                   "green_power_trade_mwh", "certificate_matching", "gas_fuel",
                                                   "gas_is_clean")},
        "co2_t": balance.co2_t,
        "gross_co2_t": float(sum(by_category.values())),
        "by_category_t": by_category,
        "deductions_t": deductions,
        "by_source_t": by_source,
        "biogenic_co2_t": float(sum(_sum_by(ledger, (MEMO_CATEGORY,)).values())),
        "purchased_hydrogen_not_counted_co2_t": float(sum(_sum_by(ledger, (HYDROGEN_MEMO_CATEGORY,)).values())),
        "process_co2_counted_t": balance.process_counted_t,
        "core_numerator_co2_t": balance.core_numerator_t,
        "energy_tce": energy,
        "energy_tce_by_carrier": {c: float(a.sum()) for c, a in balance.energy_tce.items()},
        "annual_energy_tce": annualised(energy, flows.hours),
        "clean_energy_tce": balance.clean_total_tce,
        "core_tco2_per_tce": balance.core_tco2_per_tce,
        "core_threshold": float(core["threshold"]),
        "core_pass": core["pass"],
        "alternatives": alternatives(flows, factors, cfg),
        "twenty_four_seven": twenty_four_seven(balance, factors, cfg),
        "evidence": balance.evidence,
        "factors": [dataclasses.asdict(p) for p in factors.provenance],
        "notes": list(flows.notes),
    }


def check_accounting(valid) -> list[tuple[str, str]]:
    """Problems of the accounting config, each with its key (run before the first hour)."""
    cfg = valid.accounting
    problems: list[tuple[str, str]] = []
    for key, value, choices in (("grid_factor", cfg.grid_factor, GRID_BASES),
                                ("electricity_tce_basis", cfg.electricity_tce_basis, TCE_BASES),
                                ("certificate_matching", cfg.certificate_matching, MATCHINGS)):
        if value not in choices:
            problems.append((f"accounting.{key}", f"must be one of {list(choices)} (got {value!r})"))
    for key in ("green_certificates_mwh", "green_power_trade_mwh"):
        if getattr(cfg, key) < 0:
            problems.append((f"accounting.{key}", f"must be >= 0 MWh (got {getattr(cfg, key)})"))
    tables_ok = True
    for name, path in (cfg.tables or {}).items():
        if name not in TABLES:
            problems.append((f"accounting.tables.{name}", f"unknown table; expected one of: {', '.join(TABLES)}"))
            tables_ok = False
            continue
        found = table_path(name, cfg.tables)
        if found is None:
            problems.append((f"accounting.tables.{name}", f"no such file: {path} (looked in the working directory "
                                                          f"and configs/accounting/)"))
            tables_ok = False
            continue
        try:
            missing = [c for c in TABLES[name] if c not in read_table(name, cfg.tables).columns]
        except Exception as err:  # an unreadable CSV is a user error here
            missing, tables_ok = [], False
            problems.append((f"accounting.tables.{name}", f"cannot read {found}: {err}"))
        if missing:
            problems.append((f"accounting.tables.{name}", f"{found} lacks columns {missing}; expected {list(TABLES[name])}"))
            tables_ok = False
    for key, value in (cfg.factors or {}).items():
        if key not in FACTOR_KEYS:
            problems.append((f"accounting.factors.{key}", f"unknown factor; expected one of: {', '.join(FACTOR_KEYS)}"))
        elif not isinstance(value, (int, float)) or value < 0:
            problems.append((f"accounting.factors.{key}", f"must be a number >= 0 {FACTOR_KEYS[key]} (got {value!r})"))
    if not tables_ok:
        return problems
    known = set(read_table("thresholds", cfg.tables)["key"])
    for key in cfg.thresholds or {}:
        if key not in known:
            problems.append((f"accounting.thresholds.{key}", f"unknown threshold; expected one of: {', '.join(sorted(known))}"))
    fuels = read_table("fuels", cfg.tables)
    if cfg.gas_fuel not in set(fuels["fuel"]):
        problems.append(("accounting.gas_fuel", f"unknown fuel {cfg.gas_fuel!r}; expected one of: {', '.join(fuels['fuel'])}"))
    if cfg.grid_factor not in GRID_BASES:
        return problems
    grid = read_table("grid_electricity", cfg.tables)
    area = cfg.province or "national"
    rows = grid[grid["area"].str.lower() == area.lower()]
    if not len(rows):
        problems.append(("accounting.province", f"unknown province or region {cfg.province!r}; expected one of: "
                                                f"{', '.join(dict.fromkeys(grid['area']))}"))
    elif not len(rows[(rows["year"] == cfg.grid_factor_year) & (rows["basis"] == cfg.grid_factor)]):
        have = sorted({f"{b} {y}" for b, y in zip(rows["basis"], rows["year"])})
        key = "accounting.province" if cfg.province else "accounting.grid_factor_year"
        problems.append((key, f"grid_electricity.csv has no {cfg.grid_factor!r} factor for {area} "
                              f"{cfg.grid_factor_year}; available: {', '.join(have)}"))
    return problems
