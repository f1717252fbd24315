"""What the accounting reads from a run: hourly flows sorted by their role.

A run's ledger frame has columns ``<component>.<quantity>``; the component
list (``name -> describe()``) gives each component's ``type`` and ``tags``.
:func:`park_flows` sorts the columns once into what crosses the park
boundary (exchanges, direct lines), what the park makes itself (primary
sources), what it burns, and the columns other capabilities post for the
indicators (process CO2, solid waste, water, waste heat, products). The
conventions are written down in docs/accounting.md, section "Inputs".
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

#: Carriers whose flow columns are ``<name>.<carrier>_mwh``.
CARRIERS = ("electricity", "heat", "cooling", "gas", "hydrogen")
#: Tags that make a primary source, a direct line or an import clean energy.
CLEAN_TAGS = frozenset({"renewable", "clean", "nuclear", "clean_heat", "biomass", "biogenic", "biomethane"})
#: Tags of energy whose combustion CO2 is biogenic (reported apart, not counted).
BIOGENIC_TAGS = frozenset({"biogenic", "biomass", "biomethane"})
#: describe() keys giving a fuel-fired source's fuel energy per unit of output
#: [MWh LHV / MWh], for sources whose fuel is bought outside the engine's carriers.
FUEL_PER_OUTPUT_KEYS = ("fuel_lhv_per_output", "fuel_lhv_per_heat")
#: Tags of recovered energy (waste heat, cold, pressure): already counted in
#: the energy of the process it came from, so not counted again.
RECOVERED_TAGS = frozenset({"recovered", "waste_heat", "waste_cold", "waste_pressure"})
#: A component tagged so draws natural gas as raw material, not as fuel.
FEEDSTOCK_TAG = "feedstock"
#: Flows smaller than this [MWh] count as zero when deciding a component's role.
TINY_MWH = 1e-9

#: Per-component columns (quantity names) read for the carbon ledger and the indicators.
CARBON_QUANTITIES = ("process_co2_t", "combustion_co2_t", "biogenic_co2_t", "captured_co2_t", "fuel_tce")
INDICATOR_QUANTITIES = (
    "product_output", "solid_waste_generated_t", "solid_waste_utilised_t", "solid_waste_landfilled_t",
    "solid_waste_from_stock_t",
    "waste_heat_available_mwh", "waste_heat_used_mwh", "waste_cold_available_mwh", "waste_cold_used_mwh",
    "waste_pressure_available_mwh", "waste_pressure_used_mwh", "water_fresh_m3", "water_reused_m3",
)

Series = dict[str, np.ndarray]


def by_quantity(timeseries: pd.DataFrame, quantity: str) -> Series:
    """``{component: hourly array}`` of every column ``<component>.<quantity>``."""
    out = {}
    for col in timeseries.columns:
        name, _, q = col.partition(".")
        if q == quantity:
            out[name] = timeseries[col].to_numpy(dtype=float)
    return out


def total(series: Series, hours: int) -> np.ndarray:
    """Hour-by-hour sum of several arrays (zeros when there are none)."""
    out = np.zeros(hours)
    for a in series.values():
        out += a
    return out


@dataclass
class ParkFlows:
    """Hourly quantities of one run sorted by role [MWh unless named otherwise].

    Exchanges (``<name>.import_mwh``) by carrier: ``imports[carrier]`` and
    ``exports[carrier]``; direct lines (tag ``direct_line``): ``direct_line``
    supply and ``direct_line_export``; primary sources (components that only
    supply, such as PV, wind, solar thermal): ``primary[carrier]``; gas drawn
    as fuel: ``gas_burnt``; per-component columns by quantity: ``columns``;
    every component's signed carrier flows: ``by_component``. ``clean``
    holds the names whose energy counts as clean, ``biogenic`` those whose
    combustion CO2 is biogenic. Sources fired by a fuel the engine does not
    carry (a biomass boiler) give their fuel [MWh LHV] in ``source_fuel``
    instead of their output in ``primary``. ``gas_fossil_share`` and
    ``gas_biogenic_share`` are the hourly shares of the park's gas that came
    from fossil imports and from biogenic sources (biomethane); the rest
    (hydrogen blended in) burns without CO2. ``declared_co2_t_per_mwh``
    holds the factors exchanges declare in describe() (``co2_t_per_mwh``).
    """

    index: pd.DatetimeIndex
    components: dict[str, dict]
    imports: dict[str, Series] = field(default_factory=dict)
    exports: dict[str, Series] = field(default_factory=dict)
    direct_line: Series = field(default_factory=dict)
    direct_line_export: Series = field(default_factory=dict)
    primary: dict[str, Series] = field(default_factory=dict)
    gas_burnt: Series = field(default_factory=dict)
    columns: dict[str, Series] = field(default_factory=dict)
    clean: set[str] = field(default_factory=set)
    biogenic: set[str] = field(default_factory=set)
    source_fuel: Series = field(default_factory=dict)
    gas_fossil_share: np.ndarray | None = None
    gas_biogenic_share: np.ndarray | None = None
    declared_co2_t_per_mwh: dict[str, float] = field(default_factory=dict)
    by_component: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def hours(self) -> int:
        return len(self.index)

    def sum(self, series: Series) -> np.ndarray:
        return total(series, self.hours)

    def of(self, quantity: str) -> Series:
        """Per-component arrays of ``quantity`` (empty dict when no component posts it)."""
        return self.columns.get(quantity, {})


def park_flows(timeseries: pd.DataFrame, components: dict[str, dict]) -> ParkFlows:
    """Sort a run's ledger frame by role (see :class:`ParkFlows`).

    Parameters
    ----------
    timeseries : pandas.DataFrame
        Hourly ledger; flow columns signed, supply to the park positive.
    components : dict
        ``name -> describe()`` (``type``, ``tags`` and more).
    """
    flows = ParkFlows(index=timeseries.index, components=components)
    for c in CARRIERS:
        flows.imports[c], flows.exports[c], flows.primary[c] = {}, {}, {}
    cols = set(timeseries.columns)
    H = len(timeseries)
    gas_in = {"fossil": np.zeros(H), "biogenic": np.zeros(H), "carbon_free": np.zeros(H)}
    for name, info in components.items():
        tags = set(info.get("tags", ()))
        carriers = {c: timeseries[f"{name}.{c}_mwh"].to_numpy(dtype=float) for c in CARRIERS
                    if f"{name}.{c}_mwh" in cols}
        if not carriers:
            continue
        flows.by_component[name] = carriers
        if tags & CLEAN_TAGS:
            flows.clean.add(name)
        if tags & BIOGENIC_TAGS:
            flows.biogenic.add(name)
        gas_kind = "biogenic" if name in flows.biogenic else ("carbon_free" if name in flows.clean else "fossil")
        if "direct_line" in tags:
            e = carriers.get("electricity", np.zeros(len(timeseries)))
            flows.direct_line[name] = np.clip(e, 0.0, None)
            flows.direct_line_export[name] = np.clip(-e, 0.0, None)
            continue
        if f"{name}.import_mwh" in cols:
            # An exchange has one carrier; should it have more, the busiest is the one it trades.
            carrier = max(carriers, key=lambda c: np.abs(carriers[c]).sum())
            flows.imports[carrier][name] = timeseries[f"{name}.import_mwh"].to_numpy(dtype=float)
            flows.exports[carrier][name] = timeseries[f"{name}.export_mwh"].to_numpy(dtype=float)
            if info.get("co2_t_per_mwh") is not None:
                flows.declared_co2_t_per_mwh[name] = float(info["co2_t_per_mwh"])
            if carrier == "gas":
                gas_in[gas_kind] += flows.imports["gas"][name]
            continue
        if f"{name}.soc_mwh" in cols:
            continue  # storage: its losses show up in what crosses the boundary
        draws = any((a < -TINY_MWH).any() for a in carriers.values())
        if "gas" in carriers and FEEDSTOCK_TAG not in tags:
            burnt = np.clip(-carriers["gas"], 0.0, None)
            if burnt.sum() > 0.0:
                flows.gas_burnt[name] = burnt
        if "gas" in carriers:
            # gas a component puts into the park: biomethane (biogenic), or
            # hydrogen blended in by a converter (no CO2 when burnt)
            made = np.clip(carriers["gas"], 0.0, None)
            gas_in[gas_kind if not draws or name in flows.biogenic else "carbon_free"] += made
        if not draws:
            if tags & RECOVERED_TAGS:
                flows.notes.append(f"{name}: recovered energy, not counted again in energy consumption")
                continue
            per_output = next((info[k] for k in FUEL_PER_OUTPUT_KEYS if info.get(k) is not None), None)
            for c, a in carriers.items():
                if a.sum() > 0.0:
                    if per_output is not None:
                        flows.source_fuel[name] = flows.source_fuel.get(name, 0.0) + a * float(per_output)
                    else:
                        flows.primary[c][name] = a
    total_gas = gas_in["fossil"] + gas_in["biogenic"] + gas_in["carbon_free"]
    with np.errstate(invalid="ignore", divide="ignore"):
        # an hour with no gas put in (gas from storage only) keeps the fossil assumption
        flows.gas_fossil_share = np.where(total_gas > 0.0, gas_in["fossil"] / np.where(total_gas > 0.0, total_gas, 1.0), 1.0)
        flows.gas_biogenic_share = np.where(total_gas > 0.0, gas_in["biogenic"] / np.where(total_gas > 0.0, total_gas, 1.0), 0.0)
    for q in CARBON_QUANTITIES + INDICATOR_QUANTITIES:
        found = by_quantity(timeseries, q)
        if found:
            flows.columns[q] = found
    if flows.imports["cooling"] or flows.primary["cooling"]:
        flows.notes.append("cooling bought or made from no other carrier is not counted (no standard-coal factor)")
    return flows
