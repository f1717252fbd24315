"""The 1 + 5 indicators: thresholds by band, inputs other capabilities post, never passed unevaluated.

Hand-made ledger frames with the columns the industry, waste and water
agents write (docs/accounting.md, "Inputs"); every expected value is worked
out in the comment beside it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from twin.carbon import account
from twin.carbon.indicators import HEADLINE, annualised, core_threshold
from twin.config.schema import AccountingConfig

EXACT = 1e-12
E_TCE = 0.1229
FUEL_TCE = 3.6 / 29.3076
THRESHOLDS = {"core_band_low_tce": 200_000, "core_band_high_tce": 1_000_000, "core_low": 0.20, "core_high": 0.30}


def frame(**columns) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    index = pd.date_range("2025-03-03 00:00", periods=n, freq="h", tz="Asia/Shanghai")
    return pd.DataFrame({k.replace("__", "."): np.asarray(v, dtype=float) for k, v in columns.items()}, index=index)


def industrial_park(**extra):
    """Grid 10 MWh/h and gas 2 MWh/h into a clinker kiln, 4 hours; the columns its agents post."""
    cols = {"grid__electricity_mwh": [10.0] * 4, "grid__import_mwh": [10.0] * 4, "grid__export_mwh": [0.0] * 4,
            "grid__cost_cny": [0.0] * 4, "gas__gas_mwh": [2.0] * 4, "gas__import_mwh": [2.0] * 4,
            "gas__export_mwh": [0.0] * 4, "gas__cost_cny": [0.0] * 4,
            "kiln__electricity_mwh": [-10.0] * 4, "kiln__gas_mwh": [-2.0] * 4,
            "kiln__product_output": [2.5] * 4}
    cols.update(extra)
    info = {"grid": {"type": "grid", "tags": ["grid"]}, "gas": {"type": "gas_supply", "tags": ["fossil_supply"]},
            "kiln": {"type": "clinker_line", "tags": ["load", "industry"], "product": "cement clinker",
                     "product_unit": "t", "energy_limit_level2_kgce_per_unit": 107.0,
                     "energy_limit_standard": "GB 16780-2021"}}
    return frame(**cols), info


def rows(acc) -> pd.DataFrame:
    return acc.indicators.set_index("key")


@pytest.mark.parametrize("energy, threshold, key, words", [
    (150_000, 0.20, "core_low", "below the 200,000 tce/a band"),
    (200_000, 0.20, "core_low", "in the 200,000-1,000,000 tce/a band"),
    (999_999, 0.20, "core_low", "band"),
    (1_000_000, 0.30, "core_high", "at or above 1,000,000"),
    (3_000_000, 0.30, "core_high", "at or above"),
])
def test_core_threshold_follows_the_annual_energy_band(energy, threshold, key, words):
    value, k, why = core_threshold(energy, THRESHOLDS)
    assert (value, k) == (threshold, key) and words in why


def test_a_short_run_picks_its_band_from_its_annualised_energy():
    assert annualised(100.0, 24) == pytest.approx(100.0 * 365)
    assert annualised(100.0, 8760) == 100.0


def test_the_six_headline_indicators_come_first_and_unevaluated_ones_never_pass():
    ts = frame(grid__electricity_mwh=[1.0], grid__import_mwh=[1.0], grid__export_mwh=[0.0], grid__cost_cny=[0.0],
               load__electricity_mwh=[-1.0])
    info = {"grid": {"type": "grid", "tags": ["grid"]}, "load": {"type": "factory", "tags": ["load", "industry"]}}
    ind = account(ts, info, AccountingConfig()).indicators
    assert tuple(ind["key"][:6]) == HEADLINE
    for key in ("G2", "G3", "G4", "G5"):
        row = ind.set_index("key").loc[key]
        assert not row["evaluated"]
        assert row["pass"] is None and math.isnan(row["value"])
        assert row["reason"]
    assert "load" in ind.set_index("key").loc["G2", "reason"]          # names the agents without product data
    assert "solid_waste_generated_t" in ind.set_index("key").loc["G3", "reason"]


def test_unit_product_energy_against_level_2():
    # electricity 40 MWh x 0.1229 = 4.916 tce; gas 8 MWh x 3.6/29.3076 = 0.98267 tce; 10 t of clinker
    ts, info = industrial_park()
    ind = rows(account(ts, info, AccountingConfig()))
    expected = 1000 * (40 * E_TCE + 8 * FUEL_TCE) / 10.0            # 589.8 kgce/t
    kiln = ind.loc["G2:kiln"]
    assert kiln["value"] == pytest.approx(expected, rel=EXACT)
    assert kiln["threshold"] == 107.0 and kiln["pass"] is False
    assert kiln["unit"] == "kgce/t" and "GB 16780-2021" in kiln["reason"]
    head = ind.loc["G2"]
    assert head["value"] == pytest.approx(expected / 107.0, rel=EXACT) and head["pass"] is False
    assert head["numerator"] == pytest.approx(expected, rel=EXACT) and head["denominator"] == 107.0


def test_unit_product_energy_uses_the_equivalent_value_whatever_the_core_basis():
    ts, info = industrial_park()
    a = rows(account(ts, info, AccountingConfig()))
    b = rows(account(ts, info, AccountingConfig(electricity_tce_basis="equal")))
    assert a.loc["G2:kiln", "value"] == b.loc["G2:kiln", "value"]
    assert b.loc["core", "denominator"] == pytest.approx(40 * 0.3 + 8 * FUEL_TCE, rel=EXACT)


def test_a_product_without_output_or_limit_is_not_evaluated():
    ts, info = industrial_park()
    ts = ts.drop(columns=["kiln.product_output"])
    ind = rows(account(ts, info, AccountingConfig()))
    assert ind.loc["G2:kiln", "pass"] is None and "product_output" in ind.loc["G2:kiln", "reason"]
    assert ind.loc["G2", "pass"] is None
    ts, info = industrial_park()
    del info["kiln"]["energy_limit_level2_kgce_per_unit"]
    ind = rows(account(ts, info, AccountingConfig()))
    assert ind.loc["G2:kiln", "pass"] is None and ind.loc["G2:kiln", "value"] > 0
    assert "no national limit" in ind.loc["G2:kiln", "reason"]


def test_solid_waste_waste_heat_and_water_from_the_agents_columns():
    ts, info = industrial_park(
        kiln__solid_waste_generated_t=[1.0] * 4,            # 4 t
        recycler__solid_waste_utilised_t=[0.85] * 4,        # 3.4 t -> 85 %
        recycler__solid_waste_landfilled_t=[0.15] * 4,
        kiln__waste_heat_available_mwh=[2.0] * 4,           # 8 MWh
        kiln__waste_heat_used_mwh=[0.8] * 4,                # 3.2 MWh
        kiln__waste_pressure_available_mwh=[0.5] * 4,       # 2 MWh
        kiln__waste_pressure_used_mwh=[0.5] * 4,            # 2 MWh -> (3.2 + 2) / 10 = 52 %
        kiln__water_fresh_m3=[5.0] * 4,                     # 20 m3
        kiln__water_reused_m3=[45.0] * 4,                   # 180 m3 -> 90 %
    )
    info["recycler"] = {"type": "recycling", "tags": ["waste"]}
    ind = rows(account(ts, info, AccountingConfig()))
    assert ind.loc["G3", "value"] == pytest.approx(85.0, rel=EXACT) and ind.loc["G3", "pass"] is True
    assert (ind.loc["G3", "numerator"], ind.loc["G3", "denominator"]) == pytest.approx((3.4, 4.0))
    assert ind.loc["G4", "value"] == pytest.approx(52.0, rel=EXACT) and ind.loc["G4", "pass"] is True
    assert ind.loc["G5", "value"] == pytest.approx(90.0, rel=EXACT) and ind.loc["G5", "pass"] is True
    assert "kiln.water_reused_m3" in ind.loc["G5", "inputs"]


def test_solid_waste_from_earlier_stock_joins_the_denominator():
    ts, info = industrial_park(kiln__solid_waste_generated_t=[1.0] * 4, recycler__solid_waste_utilised_t=[1.0] * 4,
                               recycler__solid_waste_from_stock_t=[1.0] * 4)
    info["recycler"] = {"type": "recycling", "tags": ["waste"]}
    ind = rows(account(ts, info, AccountingConfig()))
    assert ind.loc["G3", "value"] == pytest.approx(50.0, rel=EXACT) and ind.loc["G3", "pass"] is False


def test_thresholds_are_configurable_and_say_where_they_come_from():
    ts, info = industrial_park(kiln__water_fresh_m3=[5.0] * 4, kiln__water_reused_m3=[45.0] * 4)
    default = rows(account(ts, info, AccountingConfig()))
    assert default.loc["G5", "threshold"] == 80.0 and default.loc["G5", "threshold_status"] == "secondary"
    strict = rows(account(ts, info, AccountingConfig(thresholds={"water_reuse_pct": 95.0})))
    assert strict.loc["G5", "threshold"] == 95.0 and strict.loc["G5", "pass"] is False
    assert strict.loc["G5", "threshold_status"] == "configured"


def test_clean_share_counts_gas_only_when_configured():
    # grid 40 MWh (4.916 tce), gas 8 MWh (0.98267 tce); nothing clean unless gas is
    ts, info = industrial_park()
    assert rows(account(ts, info, AccountingConfig())).loc["G1", "value"] == 0.0
    share = rows(account(ts, info, AccountingConfig(gas_is_clean=True))).loc["G1", "value"]
    assert share == pytest.approx(100 * 8 * FUEL_TCE / (40 * E_TCE + 8 * FUEL_TCE), rel=EXACT)


def test_a_large_park_is_judged_against_0_30():
    # 1 000 000 tce in a year = 8 136 685 MWh of grid power / 8760 h
    mwh = 1_000_000 / E_TCE / 8760 * 1.01
    ts = frame(grid__electricity_mwh=[mwh] * 24, grid__import_mwh=[mwh] * 24, grid__export_mwh=[0.0] * 24,
               grid__cost_cny=[0.0] * 24, load__electricity_mwh=[-mwh] * 24)
    info = {"grid": {"type": "grid", "tags": ["grid"]}, "load": {"type": "electric_load", "tags": ["load"]}}
    core = rows(account(ts, info, AccountingConfig())).loc["core"]
    assert core["threshold"] == 0.30 and "annualised from 24 h" in core["reason"]
