"""The zero-carbon park indicators: 1 core + 5 guiding, each with its inputs.

Every indicator is one row: ``key, name, value, unit, threshold,
comparison, pass, evaluated`` and the ``numerator`` and ``denominator``
(with units) that produced the value, the ``inputs`` (ledger columns
summed) and a ``reason`` in words. An indicator whose inputs the run does
not have is reported with ``evaluated = False``, the reason, no value and
``pass = None``: never as passed.

Thresholds come from ``thresholds.csv`` with the set's overrides
(:class:`twin.carbon.factors.FactorSet.thresholds`); their sources are
secondary (press and commentary on Annex 3 of the 2025 notice), see
docs/accounting.md.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from twin.carbon.balance import Balance
from twin.carbon.factors import FactorSet
from twin.carbon.flows import ParkFlows

#: Hours in the year a run's energy is scaled to when it picks its core band.
HOURS_PER_YEAR = 8760
#: Keys of the six headline indicators, in report order.
HEADLINE = ("core", "G1", "G2", "G3", "G4", "G5")
COLUMNS = ("key", "name", "value", "unit", "threshold", "comparison", "pass", "evaluated", "numerator",
           "numerator_unit", "denominator", "denominator_unit", "reason", "inputs", "threshold_source",
           "threshold_status")


def _row(key, name, unit, comparison, factors: FactorSet, threshold_key, *, value=math.nan, numerator=math.nan,
         denominator=math.nan, numerator_unit="", denominator_unit="", reason="", inputs="", threshold=None,
         evaluated=True) -> dict:
    if threshold is None:
        threshold = factors.thresholds.get(threshold_key, math.nan)
    source, status = factors.threshold_sources.get(threshold_key, ("", ""))
    if evaluated and math.isfinite(value) and math.isfinite(threshold):
        passed = bool(value <= threshold) if comparison == "<=" else bool(value >= threshold)
    else:
        passed = None
    return {"key": key, "name": name, "value": value, "unit": unit, "threshold": threshold, "comparison": comparison,
            "pass": passed, "evaluated": bool(evaluated and passed is not None), "numerator": numerator,
            "numerator_unit": numerator_unit, "denominator": denominator, "denominator_unit": denominator_unit,
            "reason": reason, "inputs": inputs, "threshold_source": source, "threshold_status": status}


def core_threshold(annual_energy_tce: float, thresholds: dict[str, float]) -> tuple[float, str, str]:
    """Core threshold for a park using ``annual_energy_tce`` a year: (value, key, why).

    0.20 tCO2/tce in the 200 000 - 1 000 000 tce band, 0.30 at or above
    1 000 000 tce; a park below the band is evaluated against the lower
    threshold and told so (no source gives a band for it).

    Examples
    --------
    >>> t = {"core_band_low_tce": 2e5, "core_band_high_tce": 1e6, "core_low": 0.2, "core_high": 0.3}
    >>> core_threshold(5e5, t)[:2], core_threshold(2e6, t)[:2]
    ((0.2, 'core_low'), (0.3, 'core_high'))
    """
    low, high = thresholds["core_band_low_tce"], thresholds["core_band_high_tce"]
    if annual_energy_tce >= high:
        return thresholds["core_high"], "core_high", f"at or above {high:,.0f} tce/a: threshold {thresholds['core_high']}"
    if annual_energy_tce >= low:
        return (thresholds["core_low"], "core_low",
                f"in the {low:,.0f}-{high:,.0f} tce/a band: threshold {thresholds['core_low']}")
    return thresholds["core_low"], "core_low", (f"below the {low:,.0f} tce/a band, which no band covers: "
                                                f"evaluated against {thresholds['core_low']}")


def annualised(energy_tce: float, hours: int) -> float:
    """Energy of a run scaled to a year of :data:`HOURS_PER_YEAR` hours."""
    return energy_tce * HOURS_PER_YEAR / hours if hours else 0.0


def core_indicator(balance: Balance, factors: FactorSet, cfg, hours: int) -> dict:
    """Core: park CO2 / park energy consumption [tCO2/tce]."""
    energy = balance.energy_total_tce
    name = "core: CO2 per unit energy consumption"
    if energy <= 0.0:
        return _row("core", name, "tCO2/tce", "<=", factors, "core_low", evaluated=False,
                    reason="the park consumed no energy in the run", numerator_unit="tCO2", denominator_unit="tce")
    annual = annualised(energy, hours)
    threshold, key, band = core_threshold(annual, factors.thresholds)
    scaled = "" if hours == HOURS_PER_YEAR else f" (annualised from {hours} h)"
    reason = (f"annual energy {annual:,.0f} tce{scaled} {band}; grid factor {cfg.grid_factor} "
              f"{factors.grid_co2_t_per_mwh} tCO2/MWh, electricity at the {cfg.electricity_tce_basis} value "
              f"{factors.electricity_tce_per_mwh} tce/MWh, process CO2 "
              f"{'included' if cfg.include_process_emissions else 'excluded'}, green export "
              f"{'credited' if cfg.credit_green_export else 'not credited'}")
    return _row("core", name, "tCO2/tce", "<=", factors, key, value=balance.core_numerator_t / energy,
                numerator=balance.core_numerator_t, denominator=energy, numerator_unit="tCO2",
                denominator_unit="tce", threshold=threshold, reason=reason,
                inputs="carbon.csv counted columns; energy: " + ", ".join(
                    f"{c} {v.sum():,.6g} tce" for c, v in balance.energy_tce.items() if v.sum() != 0.0))


def clean_share(balance: Balance, factors: FactorSet, cfg) -> dict:
    """G1: clean energy / energy consumption [%]."""
    energy, clean = balance.energy_total_tce, balance.clean_total_tce
    name = "G1: clean-energy share of energy consumption"
    if energy <= 0.0:
        return _row("G1", name, "%", ">=", factors, "clean_energy_share_pct", evaluated=False,
                    reason="the park consumed no energy in the run")
    return _row("G1", name, "%", ">=", factors, "clean_energy_share_pct", value=100.0 * clean / energy,
                numerator=clean, denominator=energy, numerator_unit="tce", denominator_unit="tce",
                reason=("clean: on-site renewables and direct lines net of green exports, green-power trades and "
                        f"certificates matched {cfg.certificate_matching}; natural gas "
                        f"{'counted' if cfg.gas_is_clean else 'not counted'} as clean"),
                inputs=", ".join(f"{c} {v.sum():,.6g} tce" for c, v in balance.clean_tce.items() if v.sum() != 0.0))


def agent_energy_tce(flows: ParkFlows, name: str, factors: FactorSet) -> float:
    """Net energy an agent drew over the run [tce]: electricity at the
    equivalent value, heat at its coal equivalent, gas and hydrogen by LHV,
    plus its ``fuel_tce`` column."""
    per = {"electricity": factors.electricity_equivalent_tce_per_mwh, "heat": factors.heat_tce_per_mwh,
           "gas": factors.fuel_tce_per_mwh, "hydrogen": factors.fuel_tce_per_mwh}
    total = sum(-float(a.sum()) * per[c] for c, a in flows.by_component.get(name, {}).items() if c in per)
    return total + float(flows.of("fuel_tce").get(name, np.zeros(1)).sum())


def product_energy(flows: ParkFlows, factors: FactorSet) -> list[dict]:
    """G2: unit-product energy of each industrial agent against level 2 of
    its national limit; the headline row is the worst ratio [-]."""
    rows, ratios = [], []
    limit_factor = factors.thresholds.get("product_energy_vs_level2", 1.0)
    industrial = [n for n, i in flows.components.items() if "industry" in i.get("tags", ())]
    outputs = flows.of("product_output")
    for name in industrial:
        info = flows.components[name]
        product = info.get("product")
        if not product:
            continue
        unit = info.get("product_unit", "unit")
        label = f"G2 {name}: {product} energy per {unit}"
        kunit = f"kgce/{unit}"
        if name not in outputs or outputs[name].sum() <= 0.0:
            rows.append(_row(f"G2:{name}", label, kunit, "<=", factors, "", evaluated=False,
                             reason=f"no output: column {name}.product_output missing or zero"))
            continue
        out = float(outputs[name].sum())
        energy = agent_energy_tce(flows, name, factors)
        value = 1000.0 * energy / out
        limit = info.get("energy_limit_level2_kgce_per_unit")
        std = info.get("energy_limit_standard", "")
        if limit is None:
            rows.append(_row(f"G2:{name}", label, kunit, "<=", factors, "", value=value, evaluated=False,
                             numerator=1000.0 * energy, denominator=out, numerator_unit="kgce",
                             denominator_unit=unit, reason="no national limit level 2 given for this product",
                             inputs=f"{name} carrier flows, {name}.product_output"))
            continue
        threshold = float(limit) * limit_factor
        ratios.append((value / float(limit), name, value, float(limit)))
        rows.append(_row(f"G2:{name}", label, kunit, "<=", factors, "", value=value, threshold=threshold,
                         numerator=1000.0 * energy, denominator=out, numerator_unit="kgce", denominator_unit=unit,
                         reason=f"level 2 of {std or 'the national limit standard'}: {limit} {kunit}",
                         inputs=f"{name} carrier flows, {name}.product_output"))
    name = "G2: unit-product energy against level 2 of the national limit"
    if not ratios:
        why = ("no industrial agent with a product, an output and a national limit level 2"
               if industrial else "the park has no industrial agents")
        if industrial:
            why += f" (industrial agents: {', '.join(industrial)})"
        head = _row("G2", name, "x level 2", "<=", factors, "product_energy_vs_level2", evaluated=False, reason=why)
    else:
        worst = max(ratios)
        head = _row("G2", name, "x level 2", "<=", factors, "product_energy_vs_level2", value=worst[0],
                    numerator=worst[2], denominator=worst[3], numerator_unit="kgce/unit (worst product)",
                    denominator_unit="kgce/unit (its level 2)",
                    reason=f"worst of {len(ratios)} products: {worst[1]}",
                    inputs=", ".join(f"{n} {r:.4g}" for r, n, _, _ in sorted(ratios, reverse=True)))
    return [head] + rows


def _share(flows: ParkFlows, factors, key, name, threshold_key, num_q, den_q, unit_in, what) -> dict:
    """A guiding indicator of the form 100 x sum(numerator columns) / sum(denominator columns)."""
    den_cols = {q: flows.of(q) for q in den_q if flows.of(q)}
    if not den_cols:
        return _row(key, name, "%", ">=", factors, threshold_key, evaluated=False,
                    reason=f"no component posts {' or '.join('<name>.' + q for q in den_q)}")
    num = sum(float(a.sum()) for q in num_q for a in flows.of(q).values())
    den = sum(float(a.sum()) for cols in den_cols.values() for a in cols.values())
    inputs = ", ".join(f"{n}.{q}" for q in num_q + den_q for n in flows.of(q))
    if den <= 0.0:
        return _row(key, name, "%", ">=", factors, threshold_key, evaluated=False,
                    reason=f"no {what} in the run", inputs=inputs)
    return _row(key, name, "%", ">=", factors, threshold_key, value=100.0 * num / den, numerator=num,
                denominator=den, numerator_unit=unit_in, denominator_unit=unit_in, inputs=inputs,
                reason=f"sum of {', '.join(num_q)} / sum of {', '.join(den_q)}")


def solid_waste(flows: ParkFlows, factors: FactorSet) -> dict:
    """G3: solid waste utilised / (generated + utilised from earlier stock) [%]."""
    if not flows.of("solid_waste_generated_t"):
        return _row("G3", "G3: industrial solid-waste utilisation", "%", ">=", factors, "solid_waste_utilisation_pct",
                    evaluated=False, reason="no component posts <name>.solid_waste_generated_t")
    return _share(flows, factors, "G3", "G3: industrial solid-waste utilisation", "solid_waste_utilisation_pct",
                  ("solid_waste_utilised_t",), ("solid_waste_generated_t", "solid_waste_from_stock_t"), "t",
                  "industrial solid waste generated")


def waste_energy(flows: ParkFlows, factors: FactorSet) -> dict:
    """G4: waste heat, cold and pressure used / recoverable [%]."""
    kinds = ("heat", "cold", "pressure")
    return _share(flows, factors, "G4", "G4: waste heat/cold/pressure utilisation", "waste_energy_utilisation_pct",
                  tuple(f"waste_{k}_used_mwh" for k in kinds), tuple(f"waste_{k}_available_mwh" for k in kinds),
                  "MWh", "recoverable waste heat, cold or pressure")


def water_reuse(flows: ParkFlows, factors: FactorSet) -> dict:
    """G5: reused water / (reused + fresh intake) [%]."""
    return _share(flows, factors, "G5", "G5: industrial water reuse", "water_reuse_pct", ("water_reused_m3",),
                  ("water_reused_m3", "water_fresh_m3"), "m3", "industrial water use")


def evaluate_indicators(flows: ParkFlows, balance: Balance, factors: FactorSet, cfg) -> pd.DataFrame:
    """All indicator rows: the six headline rows first, then one row per product."""
    g2 = product_energy(flows, factors)
    rows = [core_indicator(balance, factors, cfg, flows.hours), clean_share(balance, factors, cfg), g2[0],
            solid_waste(flows, factors), waste_energy(flows, factors), water_reuse(flows, factors)] + g2[1:]
    return pd.DataFrame(rows, columns=list(COLUMNS)).astype({"pass": object})
