"""Factor tables and the factor set of one accounting config.

The tables are CSV files in ``twin/carbon/data/`` (each row with ``source``
and ``status``); a factor set picks rows from them by the accounting
options, may replace whole tables (``accounting.tables``) and single values
(``accounting.factors``). :func:`resolve_factors` returns the numbers the
accounting uses, each with where it came from, so that a summary can show
the provenance of every factor.

Units inside the accounting: energy in MWh, standard coal in tce, CO2 in t.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

#: GJ in one MWh.
GJ_PER_MWH = 3.6
#: MJ in one MWh.
MJ_PER_MWH = 3600.0
#: kWh in one MWh and kg in one t: a kgce/kWh factor equals a tce/MWh factor.
KWH_PER_MWH = 1000.0
#: Mass ratio of CO2 to carbon.
CO2_PER_C = 44.0 / 12.0
#: TJ in one MWh.
TJ_PER_MWH = 0.0036

#: Packaged tables and the columns each must have.
TABLES: dict[str, tuple[str, ...]] = {
    "standard_coal": ("key", "value", "unit", "source", "status"),
    "fuels": ("fuel", "ncv", "ncv_unit", "kgce_per_unit", "unit", "carbon_content_tc_per_tj", "oxidation",
              "source", "status"),
    "grid_electricity": ("area", "area_type", "year", "basis", "co2_t_per_mwh", "source", "status"),
    "emission_factors": ("key", "value", "unit", "source", "status"),
    "thresholds": ("key", "value", "unit", "source", "status"),
}

GRID_BASES = ("fossil", "residual", "average")
TCE_BASES = ("equivalent", "equal")
MATCHINGS = ("annual", "hourly")

#: Keys of ``accounting.factors``: the resolved factors a set may replace.
FACTOR_KEYS: dict[str, str] = {
    "grid_co2_t_per_mwh": "tCO2/MWh",
    "electricity_tce_per_mwh": "tce/MWh",
    "electricity_equivalent_tce_per_mwh": "tce/MWh",
    "heat_tce_per_mwh": "tce/MWh",
    "fuel_tce_per_mwh": "tce/MWh",
    "gas_co2_t_per_mwh": "tCO2/MWh",
    "heat_co2_t_per_mwh": "tCO2/MWh",
    "hydrogen_co2_t_per_mwh": "tCO2/MWh",
    "biomass_co2_t_per_mwh": "tCO2/MWh",
}


def configs_accounting_dir() -> Path:
    """``configs/accounting/`` of the repository (where factor sets live)."""
    return Path(__file__).resolve().parents[2] / "configs" / "accounting"


def table_path(name: str, tables: dict[str, str] | None = None) -> Path | None:
    """Path of table ``name``: the set's replacement if given, else the packaged CSV.

    A relative replacement is looked up from the working directory, then
    from ``configs/accounting/``. Returns None when a replacement is missing.
    """
    given = (tables or {}).get(name)
    if given is None:
        return Path(str(resources.files("twin.carbon.data").joinpath(f"{name}.csv")))
    path = Path(given)
    for candidate in (path, configs_accounting_dir() / path):
        if candidate.is_file():
            return candidate.resolve()
    return None


@lru_cache(maxsize=64)
def _read(path: str, mtime: float) -> pd.DataFrame:
    return pd.read_csv(path, comment="#", skipinitialspace=True)


def read_table(name: str, tables: dict[str, str] | None = None) -> pd.DataFrame:
    """Table ``name`` as a frame (cached per file and modification time)."""
    path = table_path(name, tables)
    if path is None:
        raise FileNotFoundError(f"no such file: {(tables or {}).get(name)}")
    return _read(str(path), path.stat().st_mtime).copy()


@dataclass(frozen=True)
class Factor:
    """One number the accounting uses, with its provenance."""

    key: str
    value: float
    unit: str
    source: str
    status: str
    note: str = ""


@dataclass
class FactorSet:
    """The factors of one accounting config (see :func:`resolve_factors`).

    Attributes
    ----------
    grid_co2_t_per_mwh : float
        Non-green grid electricity [tCO2/MWh].
    grid_by_basis : dict
        The national (or provincial) factor of every basis available for the
        year, for the side-by-side alternatives [tCO2/MWh].
    electricity_tce_per_mwh : float
        Electricity to standard coal on the configured basis [tce/MWh].
    electricity_by_basis : dict
        Both bases [tce/MWh].
    electricity_equivalent_tce_per_mwh : float
        The equivalent value, used for unit-product energy (G2) [tce/MWh].
    heat_tce_per_mwh, fuel_tce_per_mwh : float
        Heat, and fuels carried by the engine on LHV (gas, hydrogen) [tce/MWh].
    gas_co2_t_per_mwh, heat_co2_t_per_mwh, hydrogen_co2_t_per_mwh : float
        Natural gas burnt (LHV), purchased heat, purchased hydrogen when its
        supply declares no factor [tCO2/MWh].
    biomass_co2_t_per_mwh : float
        Biogenic CO2 of solid biomass burnt (LHV), reported apart [tCO2/MWh].
    thresholds : dict
        Indicator thresholds by key (thresholds.csv with the set's overrides).
    provenance : list of Factor
    """

    grid_co2_t_per_mwh: float
    grid_by_basis: dict[str, float]
    electricity_tce_per_mwh: float
    electricity_by_basis: dict[str, float]
    electricity_equivalent_tce_per_mwh: float
    heat_tce_per_mwh: float
    fuel_tce_per_mwh: float
    gas_co2_t_per_mwh: float
    heat_co2_t_per_mwh: float
    hydrogen_co2_t_per_mwh: float
    biomass_co2_t_per_mwh: float
    thresholds: dict[str, float]
    grid_labels: dict[str, str] = field(default_factory=dict)
    threshold_sources: dict[str, tuple[str, str]] = field(default_factory=dict)
    provenance: list[Factor] = field(default_factory=list)

    def with_options(self, grid_basis: str | None = None, tce_basis: str | None = None) -> "FactorSet":
        """The same set with another grid basis or electricity tce basis
        (for the side-by-side alternatives; overrides are not re-applied)."""
        out = self
        if grid_basis is not None:
            out = replace(out, grid_co2_t_per_mwh=self.grid_by_basis[grid_basis])
        if tce_basis is not None:
            out = replace(out, electricity_tce_per_mwh=self.electricity_by_basis[tce_basis])
        return out


def fuel_co2_t_per_mwh(carbon_content_tc_per_tj: float, oxidation: float) -> float:
    """CO2 of burning one MWh (lower heating value) of a fuel [tCO2/MWh].

    ``carbon content [tC/TJ] x oxidation [-] x 44/12 x 0.0036 TJ/MWh``.

    References
    ----------
    Provincial GHG inventory guideline method as tabulated with GB/T 2589
    (china_reference_data.md 4.2).

    Examples
    --------
    >>> round(fuel_co2_t_per_mwh(15.3, 0.99), 6)
    0.19994
    """
    return carbon_content_tc_per_tj * oxidation * CO2_PER_C * TJ_PER_MWH


def grid_factor_row(grid: pd.DataFrame, area: str, year: int, basis: str) -> pd.Series | None:
    """The row of ``grid`` for ``area`` (case-insensitive), ``year`` and ``basis``, or None."""
    rows = grid[(grid["area"].str.lower() == area.lower()) & (grid["year"] == year) & (grid["basis"] == basis)]
    return rows.iloc[0] if len(rows) else None


def _row(table: pd.DataFrame, key: str, name: str) -> pd.Series:
    rows = table[table["key"] == key]
    if not len(rows):
        raise KeyError(f"{name}.csv has no row {key!r}")
    return rows.iloc[0]


def resolve_factors(cfg) -> FactorSet:
    """The factors of accounting config ``cfg`` (an AccountingConfig).

    Raises KeyError/FileNotFoundError on a set that does not resolve;
    :func:`twin.carbon.check_accounting` reports those as config problems
    before a run starts.
    """
    tables = dict(cfg.tables or {})
    coal = read_table("standard_coal", tables)
    fuels = read_table("fuels", tables)
    grid = read_table("grid_electricity", tables)
    other = read_table("emission_factors", tables)
    thr = read_table("thresholds", tables)
    prov: list[Factor] = []

    def note(r, key, value, unit, extra=""):
        prov.append(Factor(key, float(value), unit, str(r["source"]), str(r["status"]), extra))

    tce = _row(coal, "tce_gj", "standard_coal")
    gj_per_tce = float(tce["value"])
    fuel_tce = GJ_PER_MWH / gj_per_tce
    note(tce, "fuel_tce_per_mwh", fuel_tce, "tce/MWh", f"3.6 GJ/MWh / {gj_per_tce} GJ/tce (LHV)")
    by_basis = {}
    for basis in TCE_BASES:
        r = _row(coal, f"electricity_{basis}", "standard_coal")
        by_basis[basis] = float(r["value"])  # kgce/kWh == tce/MWh
        note(r, f"electricity_{basis}_tce_per_mwh", by_basis[basis], "tce/MWh", f"{r['value']} kgce/kWh")
    r = _row(coal, "heat", "standard_coal")
    heat_tce = float(r["value"]) * MJ_PER_MWH / KWH_PER_MWH
    note(r, "heat_tce_per_mwh", heat_tce, "tce/MWh", f"{r['value']} kgce/MJ x 3600 MJ/MWh")

    rows = fuels[fuels["fuel"] == cfg.gas_fuel]
    if not len(rows):
        raise KeyError(f"fuels.csv has no fuel {cfg.gas_fuel!r}")
    g = rows.iloc[0]
    gas_co2 = fuel_co2_t_per_mwh(float(g["carbon_content_tc_per_tj"]), float(g["oxidation"]))
    note(g, "gas_co2_t_per_mwh", gas_co2, "tCO2/MWh",
         f"{cfg.gas_fuel}: {g['carbon_content_tc_per_tj']} tC/TJ x {g['oxidation']} x 44/12 x 0.0036 TJ/MWh")

    r = _row(other, "purchased_heat", "emission_factors")
    heat_co2 = float(r["value"]) * GJ_PER_MWH
    note(r, "heat_co2_t_per_mwh", heat_co2, "tCO2/MWh", f"{r['value']} tCO2/GJ x 3.6 GJ/MWh")
    r = _row(other, "purchased_hydrogen", "emission_factors")
    h2_co2 = float(r["value"])
    note(r, "hydrogen_co2_t_per_mwh", h2_co2, "tCO2/MWh")
    r = _row(other, "biomass_solid", "emission_factors")
    biomass_co2 = float(r["value"]) * TJ_PER_MWH
    note(r, "biomass_co2_t_per_mwh", biomass_co2, "tCO2/MWh", f"{r['value']} tCO2/TJ x 0.0036 TJ/MWh (memo)")

    area = cfg.province or "national"
    grid_by_basis, grid_labels = {}, {}
    for basis in GRID_BASES:
        r = grid_factor_row(grid, area, cfg.grid_factor_year, basis)
        if r is None and cfg.province:
            r = grid_factor_row(grid, "national", cfg.grid_factor_year, basis)
            label = f"national {basis} {cfg.grid_factor_year}"
        else:
            label = f"{area} {basis} {cfg.grid_factor_year}"
        if r is not None:
            grid_by_basis[basis] = float(r["co2_t_per_mwh"])
            grid_labels[basis] = label
            if basis == cfg.grid_factor:
                note(r, "grid_co2_t_per_mwh", r["co2_t_per_mwh"], "tCO2/MWh", label)
    if cfg.grid_factor not in grid_by_basis or (cfg.province and grid_factor_row(
            grid, area, cfg.grid_factor_year, cfg.grid_factor) is None):
        raise KeyError(f"grid_electricity.csv has no {cfg.grid_factor!r} factor for {area} {cfg.grid_factor_year}")

    thresholds, threshold_sources = {}, {}
    for _, r in thr.iterrows():
        thresholds[str(r["key"])] = float(r["value"])
        threshold_sources[str(r["key"])] = (str(r["source"]), str(r["status"]))
    for key, value in (cfg.thresholds or {}).items():
        thresholds[key] = float(value)
        threshold_sources[key] = (f"accounting.thresholds.{key} of set {cfg.name!r}", "configured")

    values = {
        "grid_co2_t_per_mwh": grid_by_basis[cfg.grid_factor],
        "electricity_tce_per_mwh": by_basis[cfg.electricity_tce_basis],
        "electricity_equivalent_tce_per_mwh": by_basis["equivalent"],
        "heat_tce_per_mwh": heat_tce,
        "fuel_tce_per_mwh": fuel_tce,
        "gas_co2_t_per_mwh": gas_co2,
        "heat_co2_t_per_mwh": heat_co2,
        "hydrogen_co2_t_per_mwh": h2_co2,
        "biomass_co2_t_per_mwh": biomass_co2,
    }
    prov.insert(0, Factor("electricity_tce_per_mwh", values["electricity_tce_per_mwh"], "tce/MWh",
                          next(p.source for p in prov if p.key == f"electricity_{cfg.electricity_tce_basis}_tce_per_mwh"),
                          next(p.status for p in prov if p.key == f"electricity_{cfg.electricity_tce_basis}_tce_per_mwh"),
                          f"basis {cfg.electricity_tce_basis!r}"))
    for key, value in (cfg.factors or {}).items():
        values[key] = float(value)
        prov = [p for p in prov if p.key != key]
        prov.append(Factor(key, float(value), FACTOR_KEYS.get(key, ""), f"accounting.factors.{key} of set {cfg.name!r}",
                           "configured"))
    if "electricity_tce_per_mwh" in (cfg.factors or {}):
        by_basis = {**by_basis, cfg.electricity_tce_basis: values["electricity_tce_per_mwh"]}
    if "grid_co2_t_per_mwh" in (cfg.factors or {}):
        grid_labels = {**grid_labels, cfg.grid_factor: "accounting.factors.grid_co2_t_per_mwh"}
    return FactorSet(grid_by_basis=grid_by_basis, grid_labels=grid_labels, electricity_by_basis=by_basis, thresholds=thresholds,
                     threshold_sources=threshold_sources, provenance=prov, **values)
