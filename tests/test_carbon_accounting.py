"""The park method on small parks worked by hand: exact values.

Two kinds of park: hand-made ledger frames of a few hours (every number
chosen so the answer can be written down), and short runs of
``twin.simulate`` on small dict configs (the answer written as the
formula of the run's own flows). Factors: GB/T 2589-2020 equivalent value
0.1229 kgce/kWh; MEE 2022 national grid factors 0.8325 (fossil), 0.5856
(excluding market non-fossil), 0.5366 (average) tCO2/MWh; natural gas
15.3 tC/TJ x 0.99 x 44/12; purchased heat 0.11 tCO2/GJ.
"""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest

from twin import simulate
from twin.carbon import account
from twin.carbon.balance import MEMO_CATEGORY, counted_columns
from twin.config.schema import AccountingConfig
from conftest import SMALL_PARK

#: Relative tolerance of sums of a few floats compared with a hand formula.
EXACT = 1e-12

E_TCE = 0.1229                      # tce/MWh, electricity at the equivalent value
FOSSIL_2022, RESIDUAL_2022, AVERAGE_2022 = 0.8325, 0.5856, 0.5366
FOSSIL_2023 = 0.8273
GAS_T_PER_MWH = 15.3 * 0.99 * 44 / 12 * 0.0036
FUEL_TCE = 3.6 / 29.3076            # tce per MWh of LHV
HEAT_T_PER_MWH = 0.11 * 3.6

GRID = {"type": "grid", "tags": ["grid"]}
PV = {"type": "pv", "tags": ["renewable", "solar", "onsite"]}
LOAD = {"type": "electric_load", "tags": ["load"]}


def frame(**columns) -> pd.DataFrame:
    """A ledger frame of len(first column) hours from 2025-06-02 00:00 Asia/Shanghai."""
    n = len(next(iter(columns.values())))
    index = pd.date_range("2025-06-02 00:00", periods=n, freq="h", tz="Asia/Shanghai")
    return pd.DataFrame({k.replace("__", "."): np.asarray(v, dtype=float) for k, v in columns.items()}, index=index)


def grid_park(load, pv=None, **extra) -> tuple[pd.DataFrame, dict]:
    """Grid (+ PV) supplying an electric load; PV surplus is exported."""
    load = np.asarray(load, dtype=float)
    pv = np.zeros_like(load) if pv is None else np.asarray(pv, dtype=float)
    net = load - pv
    cols = {"grid__electricity_mwh": net, "grid__import_mwh": np.clip(net, 0, None),
            "grid__export_mwh": np.clip(-net, 0, None), "grid__cost_cny": np.zeros_like(load),
            "load__electricity_mwh": -load, "load__unserved_electricity_mwh": np.zeros_like(load)}
    info = {"grid": GRID, "load": LOAD}
    if pv.any():
        cols.update({"pv__electricity_mwh": pv, "pv__curtailed_mwh": np.zeros_like(load)})
        info["pv"] = PV
    cols.update(extra)
    return frame(**cols), info


def core(acc) -> dict:
    return acc.indicators.set_index("key").loc["core"].to_dict()


# -- hand-made frames ----------------------------------------------------------

def test_grid_only_park_scores_4_76_at_the_residual_factor_and_the_equivalent_value():
    ts, info = grid_park([10.0, 10.0, 10.0, 10.0])
    acc = account(ts, info, AccountingConfig(grid_factor="residual"))
    c = core(acc)
    assert c["value"] == pytest.approx(RESIDUAL_2022 / E_TCE, rel=EXACT)
    assert round(c["value"], 2) == 4.76
    assert c["numerator"] == pytest.approx(40 * RESIDUAL_2022, rel=EXACT)
    assert c["denominator"] == pytest.approx(40 * E_TCE, rel=EXACT)
    assert c["pass"] is False and c["threshold"] == 0.20


def test_grid_only_park_under_each_grid_factor_and_the_equal_value():
    ts, info = grid_park([10.0, 10.0, 10.0, 10.0])
    acc = account(ts, info, AccountingConfig())
    alts = acc.summary["alternatives"]
    assert core(acc)["value"] == pytest.approx(FOSSIL_2022 / E_TCE, rel=EXACT)     # 6.77
    assert alts["grid_factor=fossil"]["configured"] is True
    assert alts["grid_factor=residual"]["core_tco2_per_tce"] == pytest.approx(RESIDUAL_2022 / E_TCE, rel=EXACT)
    assert alts["grid_factor=average"]["core_tco2_per_tce"] == pytest.approx(AVERAGE_2022 / E_TCE, rel=EXACT)
    assert alts["electricity_tce_basis=equal"]["core_tco2_per_tce"] == pytest.approx(FOSSIL_2022 / 0.3, rel=EXACT)
    equal = account(ts, info, AccountingConfig(electricity_tce_basis="equal"))
    assert core(equal)["value"] == pytest.approx(FOSSIL_2022 / 0.3, rel=EXACT)


def test_grid_plus_pv_counts_pv_as_zero_carbon_energy_consumed():
    # load 10 MWh every hour; PV 0, 4, 6, 0 -> import 10, 6, 4, 10 = 30 MWh; energy 40 MWh
    ts, info = grid_park([10.0] * 4, pv=[0.0, 4.0, 6.0, 0.0])
    acc = account(ts, info, AccountingConfig(grid_factor="residual"))
    c = core(acc)
    assert c["numerator"] == pytest.approx(30 * RESIDUAL_2022, rel=EXACT)           # 17.568 t
    assert c["denominator"] == pytest.approx(40 * E_TCE, rel=EXACT)                  # 4.916 tce
    assert c["value"] == pytest.approx(17.568 / 4.916, rel=EXACT)                    # 3.5736
    g1 = acc.indicators.set_index("key").loc["G1"]
    assert g1["value"] == pytest.approx(25.0, rel=EXACT)
    pv = next(e for e in acc.summary["evidence"] if e["source"] == "pv")
    assert pv["supplied_mwh"] == 10.0 and pv["avoided_co2_t"] == pytest.approx(10 * RESIDUAL_2022, rel=EXACT)


def test_exported_green_power_is_credited_only_when_configured():
    # PV 0, 14, 6, 0 under a 10 MWh load: import 10, 0, 4, 10 = 24; export 4 (green)
    ts, info = grid_park([10.0] * 4, pv=[0.0, 14.0, 6.0, 0.0])
    off = account(ts, info, AccountingConfig())
    on = account(ts, info, AccountingConfig(credit_green_export=True))
    assert core(off)["denominator"] == pytest.approx(40 * E_TCE, rel=EXACT)         # 24 - 4 + 20 MWh
    assert core(off)["numerator"] == pytest.approx(24 * FOSSIL_2022, rel=EXACT)
    assert core(on)["numerator"] == pytest.approx(20 * FOSSIL_2022, rel=EXACT)
    assert on.hourly["green_export|green_export_credit"].tolist() == pytest.approx([0, -4 * FOSSIL_2022, 0, 0])
    assert off.summary["alternatives"]["credit_green_export=true"]["co2_t"] == pytest.approx(20 * FOSSIL_2022)
    # G1 counts the PV the park used: 20 MWh made, 4 exported
    assert off.indicators.set_index("key").loc["G1", "value"] == pytest.approx(100 * 16 / 40, rel=EXACT)


def test_export_credit_never_exceeds_the_non_green_import():
    ts, info = grid_park([10.0, 10.0], pv=[0.0, 40.0])          # import 10, export 30
    acc = account(ts, info, AccountingConfig(credit_green_export=True))
    assert acc.summary["co2_t"] == pytest.approx(0.0, abs=1e-12)
    assert -acc.hourly["green_export|green_export_credit"].sum() == pytest.approx(10 * FOSSIL_2022, rel=EXACT)


def test_green_certificates_for_half_the_energy_halve_the_core_indicator():
    ts, info = grid_park([10.0] * 4)
    for matching in ("annual", "hourly"):
        acc = account(ts, info, AccountingConfig(grid_factor="residual", green_certificates_mwh=20.0,
                                                 certificate_matching=matching))
        assert core(acc)["value"] == pytest.approx(0.5 * RESIDUAL_2022 / E_TCE, rel=EXACT)   # 2.38
        assert acc.hourly["green_certificates|green_certificates"].sum() == pytest.approx(-20 * RESIDUAL_2022)
        assert acc.indicators.set_index("key").loc["G1", "value"] == pytest.approx(50.0, rel=EXACT)


def test_hourly_certificates_cover_only_the_hours_they_land_in():
    # import 0, 20, 20, 0 = 40 MWh; 20 MWh of certificates arrive 5 MWh an hour
    ts, info = grid_park([0.0, 20.0, 20.0, 0.0])
    annual = account(ts, info, AccountingConfig(green_certificates_mwh=20.0))
    hourly = account(ts, info, AccountingConfig(green_certificates_mwh=20.0, certificate_matching="hourly"))
    assert annual.summary["co2_t"] == pytest.approx(20 * FOSSIL_2022, rel=EXACT)
    assert hourly.summary["co2_t"] == pytest.approx(30 * FOSSIL_2022, rel=EXACT)
    cert = next(e for e in hourly.summary["evidence"] if e["kind"] == "green_certificates")
    assert (cert["matched_mwh"], cert["unused_mwh"]) == (10.0, 10.0)
    # the 24/7 view counts certificates only when matched hourly
    assert annual.summary["twenty_four_seven"]["electricity"]["share_pct"] == 0.0
    assert hourly.summary["twenty_four_seven"]["electricity"]["share_pct"] == pytest.approx(25.0)
    alts = annual.summary["alternatives"]
    assert alts["certificate_matching=hourly"]["co2_t"] == pytest.approx(30 * FOSSIL_2022, rel=EXACT)


def test_green_power_trades_are_matched_before_certificates():
    ts, info = grid_park([10.0] * 4)
    acc = account(ts, info, AccountingConfig(green_power_trade_mwh=30.0, green_certificates_mwh=30.0))
    assert acc.hourly["green_power_trade|green_power_trade"].sum() == pytest.approx(-30 * FOSSIL_2022)
    assert acc.hourly["green_certificates|green_certificates"].sum() == pytest.approx(-10 * FOSSIL_2022)
    assert acc.summary["co2_t"] == pytest.approx(0.0, abs=1e-12)


def _process_park(captured=None):
    extra = {"kiln__electricity_mwh": [-5.0] * 4, "kiln__process_co2_t": [2.5] * 4}
    if captured is not None:
        extra["kiln__captured_co2_t"] = captured
    ts, info = grid_park([10.0] * 4, **extra)       # grid 40 MWh: load 20 + kiln 20
    ts["load.electricity_mwh"] = -5.0
    info["kiln"] = {"type": "kiln", "tags": ["load", "industry"]}
    return ts, info


def test_process_emissions_in_and_out_of_the_core_indicator():
    ts, info = _process_park()
    inc = account(ts, info, AccountingConfig(grid_factor="residual"))
    exc = account(ts, info, AccountingConfig(grid_factor="residual", include_process_emissions=False))
    energy = 40 * E_TCE
    assert core(inc)["value"] == pytest.approx((40 * RESIDUAL_2022 + 10.0) / energy, rel=EXACT)
    assert core(exc)["value"] == pytest.approx(40 * RESIDUAL_2022 / energy, rel=EXACT)
    # process CO2 stays in the ledger either way; only the core numerator changes
    assert inc.summary["by_category_t"]["industrial_process"] == exc.summary["by_category_t"]["industrial_process"] == 10.0
    assert inc.summary["co2_t"] == exc.summary["co2_t"]
    alts = inc.summary["alternatives"]
    assert alts["include_process_emissions=false"]["core_tco2_per_tce"] == pytest.approx(core(exc)["value"], rel=EXACT)
    assert alts["include_process_emissions=true"]["configured"] is True


def test_captured_co2_is_deducted_up_to_the_components_own_emissions():
    ts, info = _process_park(captured=[1.0, 1.0, 1.0, 5.0])      # 5 > 2.5 emitted in the last hour
    acc = account(ts, info, AccountingConfig())
    assert acc.hourly["kiln|ccus"].tolist() == [-1.0, -1.0, -1.0, -2.5]
    assert acc.summary["co2_t"] == pytest.approx(40 * FOSSIL_2022 + 10.0 - 5.5, rel=EXACT)
    # all of the kiln's CO2 is process CO2, so its capture leaves with it when process is excluded
    exc = account(ts, info, AccountingConfig(include_process_emissions=False))
    assert exc.summary["core_numerator_co2_t"] == pytest.approx(40 * FOSSIL_2022, rel=EXACT)


def test_biogenic_co2_is_reported_apart_and_not_counted():
    ts, info = grid_park([10.0, 10.0], wte__electricity_mwh=[0.0, 0.0], wte__combustion_co2_t=[1.0, 2.0],
                         wte__biogenic_co2_t=[4.0, 4.0])
    info["wte"] = {"type": "waste_to_energy", "tags": ["waste"]}
    acc = account(ts, info, AccountingConfig())
    assert acc.summary["biogenic_co2_t"] == 8.0
    assert acc.summary["by_category_t"]["fossil_fuel_combustion"] == 3.0
    assert f"wte|{MEMO_CATEGORY}" in acc.hourly.columns
    assert acc.summary["co2_t"] == pytest.approx(20 * FOSSIL_2022 + 3.0, rel=EXACT)


def test_a_direct_line_is_green_supply_not_a_grid_purchase():
    ts, info = grid_park([10.0] * 4, dl__electricity_mwh=[5.0] * 4)
    ts["grid.electricity_mwh"] -= 5.0
    ts["grid.import_mwh"] -= 5.0
    info["dl"] = {"type": "direct_line", "tags": ["renewable", "direct_line", "wind"]}
    acc = account(ts, info, AccountingConfig())
    assert "dl|purchased_electricity" not in acc.hourly.columns
    assert core(acc)["value"] == pytest.approx(20 * FOSSIL_2022 / (40 * E_TCE), rel=EXACT)
    assert acc.indicators.set_index("key").loc["G1", "value"] == pytest.approx(50.0, rel=EXACT)
    assert any(e["kind"] == "direct_line" and e["supplied_mwh"] == 20.0 for e in acc.summary["evidence"])


def test_purchased_heat_at_0_11_t_per_gj():
    ts = frame(dh__heat_mwh=[10.0, 10.0], dh__import_mwh=[10.0, 10.0], dh__export_mwh=[0.0, 0.0],
               dh__cost_cny=[0.0, 0.0], homes__heat_mwh=[-10.0, -10.0])
    info = {"dh": {"type": "heat_supply", "tags": ["heat_supply"]}, "homes": {"type": "heat_load", "tags": ["load"]}}
    acc = account(ts, info, AccountingConfig())
    assert acc.hourly["dh|purchased_heat"].sum() == pytest.approx(20 * HEAT_T_PER_MWH, rel=EXACT)
    assert core(acc)["value"] == pytest.approx(HEAT_T_PER_MWH / (0.03412 * 3.6), rel=EXACT)      # 3.22 tCO2/tce


def test_hour_by_hour_match_and_the_hours_it_fails():
    # consumption 10 every hour; PV 0, 12, 10, 3: hourly matched 0 + 10 + 10 + 3 = 23 of 40
    ts, info = grid_park([10.0] * 4, pv=[0.0, 12.0, 10.0, 3.0])
    view = account(ts, info, AccountingConfig()).summary["twenty_four_seven"]["electricity"]
    assert view["share_pct"] == pytest.approx(100 * 23 / 40, rel=EXACT)
    assert view["annual_share_pct"] == pytest.approx(100 * 23 / 40, rel=EXACT)  # surplus 2 MWh exported
    assert view["hours_failed"] == 2 and view["hours"] == 4
    assert view["unmatched_mwh"] == pytest.approx(17.0)
    # matched annually, the 2 MWh exported would count too: 25 of 40
    assert view["annual_netted_share_pct"] == pytest.approx(100 * 25 / 40, rel=EXACT)


# -- short runs of simulate() ------------------------------------------------

def _run(park_components: dict, accounting: dict | None = None, hours: int = 24):
    cfg = copy.deepcopy(SMALL_PARK)
    cfg["run"]["hours"] = hours
    cfg["park"]["components"] = park_components
    cfg["accounting"] = accounting or {}
    return simulate(cfg)


GRID_LOAD = {"grid": {"type": "grid", "import_limit_mw": 50.0, "export_limit_mw": 50.0},
             "load": {"type": "electric_load", "peak_mw": 6.0, "profile": "flat"}}


def test_simulated_grid_only_park_scores_the_factor_over_the_equivalent_value():
    res = _run(GRID_LOAD, {"grid_factor": "residual"})
    ind = res.indicators.set_index("key")
    assert ind.loc["core", "value"] == pytest.approx(RESIDUAL_2022 / E_TCE, rel=EXACT)
    assert "below the 200,000 tce/a band" in ind.loc["core", "reason"]
    assert [i["name"] for i in res.summary["indicators"]][:1] == ["core: CO2 per unit energy consumption"]
    for row in res.summary["indicators"]:
        assert {"name", "value", "unit", "threshold", "pass"} <= set(row)


def test_simulated_grid_plus_pv_park_matches_its_flows():
    comps = {**GRID_LOAD, "pv": {"type": "pv", "capacity_mw": 10.0}}
    res = _run(comps, {"grid_factor": "residual"}, hours=48)
    ts = res.timeseries
    imp, exp, pv = ts["grid.import_mwh"].sum(), ts["grid.export_mwh"].sum(), ts["pv.electricity_mwh"].sum()
    assert exp > 0 and pv > 0
    ind = res.indicators.set_index("key")
    assert ind.loc["core", "value"] == pytest.approx(imp * RESIDUAL_2022 / ((imp - exp + pv) * E_TCE), rel=1e-12)
    assert ind.loc["core", "denominator"] == pytest.approx(-ts["load.electricity_mwh"].sum() * E_TCE, rel=1e-12)


def test_simulated_gas_boiler_only_park_scores_gas_co2_over_gas_standard_coal():
    comps = {"gas": {"type": "gas_supply", "import_limit_mw": 50.0},
             "boiler": {"type": "gas_boiler", "capacity_mw": 20.0, "efficiency": 0.9},
             "homes": {"type": "heat_load", "design_mw": 0.0, "base_mw": 5.0}}
    res = _run(comps)
    gas = res.timeseries["gas.import_mwh"].sum()
    assert gas == pytest.approx(24 * 5.0 / 0.9, rel=1e-12)
    ind = res.indicators.set_index("key")
    # 15.3 tC/TJ x 0.99 x 44/12 x 29.3076 GJ/tce = 1.6277 tCO2/tce
    assert ind.loc["core", "value"] == pytest.approx(15.3 * 0.99 * 44 / 12 * 29.3076 / 1000, rel=1e-12)
    assert res.carbon["boiler|fossil_fuel_combustion"].sum() == pytest.approx(gas * GAS_T_PER_MWH, rel=1e-12)
    assert ind.loc["G1", "value"] == 0.0
    ipcc = _run(comps, {"gas_fuel": "natural_gas_ipcc_2006"})
    # IPCC 2006 default 56.1 tCO2/TJ: 1.644 tCO2/tce ("about 1.64" in reference.md)
    assert ipcc.indicators.set_index("key").loc["core", "value"] == pytest.approx(56.1 * 29.3076 / 1000, rel=1e-12)


def test_ledger_sums_equal_the_annual_totals():
    comps = {**GRID_LOAD, "pv": {"type": "pv", "capacity_mw": 4.0},
             "gas": {"type": "gas_supply", "import_limit_mw": 50.0},
             "boiler": {"type": "gas_boiler", "capacity_mw": 20.0},
             "homes": {"type": "heat_load", "design_mw": 0.0, "base_mw": 3.0}}
    res = _run(comps, {"green_certificates_mwh": 30.0})
    carbon, s = res.carbon, res.summary["carbon"]
    assert carbon[counted_columns(carbon)].to_numpy().sum() == pytest.approx(s["co2_t"], rel=1e-12)
    for cat, total in s["by_category_t"].items():
        assert carbon[[c for c in carbon.columns if c.endswith(f"|{cat}")]].to_numpy().sum() == pytest.approx(total, abs=1e-9)
    assert s["gross_co2_t"] + sum(s["deductions_t"].values()) == pytest.approx(s["co2_t"], rel=1e-12)
    assert sum(s["by_source_t"].values()) == pytest.approx(s["co2_t"], rel=1e-12)
    ts = res.timeseries
    assert carbon["grid|purchased_electricity"].sum() == pytest.approx(ts["grid.import_mwh"].sum() * FOSSIL_2022, rel=1e-12)
    assert carbon["green_certificates|green_certificates"].sum() == pytest.approx(-30.0 * FOSSIL_2022, rel=1e-12)
    assert s["energy_tce"] == pytest.approx(sum(s["energy_tce_by_carrier"].values()), rel=1e-12)
    assert carbon.index.equals(ts.index)


def test_changing_the_factor_set_changes_results_exactly_as_the_factors_do():
    comps = {**GRID_LOAD, "gas": {"type": "gas_supply", "import_limit_mw": 50.0},
             "boiler": {"type": "gas_boiler", "capacity_mw": 20.0},
             "homes": {"type": "heat_load", "design_mw": 0.0, "base_mw": 3.0}}
    a = _run(comps, {"name": "park_method_2022", "grid_factor_year": 2022})
    b = _run(comps, {"name": "park_method_2023", "grid_factor_year": 2023})
    c = _run(comps, {"name": "mine", "factors": {"grid_co2_t_per_mwh": 0.5, "gas_co2_t_per_mwh": 0.2}})
    sa, sb, sc = (r.summary["carbon"]["by_category_t"] for r in (a, b, c))
    assert sb["purchased_electricity"] / sa["purchased_electricity"] == pytest.approx(FOSSIL_2023 / FOSSIL_2022, rel=1e-12)
    assert sc["purchased_electricity"] / sa["purchased_electricity"] == pytest.approx(0.5 / FOSSIL_2022, rel=1e-12)
    assert sb["fossil_fuel_combustion"] == sa["fossil_fuel_combustion"]
    assert sc["fossil_fuel_combustion"] / sa["fossil_fuel_combustion"] == pytest.approx(0.2 / GAS_T_PER_MWH, rel=1e-12)
    assert a.summary["carbon"]["energy_tce"] == b.summary["carbon"]["energy_tce"] == c.summary["carbon"]["energy_tce"]
    used = {f["key"]: f for f in c.summary["carbon"]["factors"]}
    assert used["grid_co2_t_per_mwh"]["status"] == "configured" and used["grid_co2_t_per_mwh"]["value"] == 0.5


def test_replacing_a_table_by_a_users_csv(tmp_path):
    from twin.carbon.factors import read_table

    grid = read_table("grid_electricity")
    grid.loc[(grid["area"] == "national") & (grid["year"] == 2022) & (grid["basis"] == "fossil"), "co2_t_per_mwh"] = 0.7
    path = tmp_path / "my_grid.csv"
    grid.to_csv(path, index=False)
    ts, info = grid_park([10.0] * 2)
    acc = account(ts, info, AccountingConfig(tables={"grid_electricity": str(path)}))
    assert core(acc)["value"] == pytest.approx(0.7 / E_TCE, rel=EXACT)
    assert acc.summary["factors"][-1]["value"] == 0.7



# -- fuels other than fossil gas -------------------------------------------------

GAS_SUPPLY = {"type": "gas_supply", "tags": ["fossil_supply"]}
BOILER = {"type": "gas_boiler", "tags": ["fossil_fuel"]}


def test_biomethane_in_the_gas_is_biogenic_when_burnt():
    # 6 MWh fossil gas + 2 MWh biomethane each hour, all burnt: 3/4 of the CO2 is counted
    ts = frame(gas__gas_mwh=[6.0] * 2, gas__import_mwh=[6.0] * 2, gas__export_mwh=[0.0] * 2, gas__cost_cny=[0.0] * 2,
               bio__gas_mwh=[2.0] * 2, bio__curtailed_mwh=[0.0] * 2, boiler__gas_mwh=[-8.0] * 2,
               boiler__heat_mwh=[7.2] * 2, homes__heat_mwh=[-7.2] * 2)
    info = {"gas": GAS_SUPPLY, "bio": {"type": "biomethane", "tags": ["renewable", "biomethane", "biogenic", "onsite"]},
            "boiler": BOILER, "homes": {"type": "heat_load", "tags": ["load"]}}
    acc = account(ts, info, AccountingConfig())
    assert acc.hourly["boiler|fossil_fuel_combustion"].sum() == pytest.approx(12 * GAS_T_PER_MWH, rel=EXACT)
    assert acc.summary["biogenic_co2_t"] == pytest.approx(4 * GAS_T_PER_MWH, rel=EXACT)
    assert core(acc)["denominator"] == pytest.approx(16 * FUEL_TCE, rel=EXACT)
    assert acc.indicators.set_index("key").loc["G1", "value"] == pytest.approx(25.0, rel=EXACT)


def test_hydrogen_blended_into_gas_burns_without_co2_and_bought_hydrogen_is_reported_apart():
    # 9 MWh fossil gas + 1 MWh hydrogen blended in (bought at 0.57 tCO2/MWh), 10 MWh burnt
    ts = frame(gas__gas_mwh=[9.0], gas__import_mwh=[9.0], gas__export_mwh=[0.0], gas__cost_cny=[0.0],
               h2__hydrogen_mwh=[1.0], h2__import_mwh=[1.0], h2__export_mwh=[0.0], h2__cost_cny=[0.0],
               blend__hydrogen_mwh=[-1.0], blend__gas_mwh=[1.0], boiler__gas_mwh=[-10.0], boiler__heat_mwh=[9.0],
               homes__heat_mwh=[-9.0])
    info = {"gas": GAS_SUPPLY, "boiler": BOILER, "homes": {"type": "heat_load", "tags": ["load"]},
            "h2": {"type": "hydrogen_supply", "tags": ["fossil_supply", "hydrogen", "purchased_hydrogen"],
                   "co2_t_per_mwh": 0.57},
            "blend": {"type": "hydrogen_blending", "tags": ["hydrogen", "blending"]}}
    acc = account(ts, info, AccountingConfig())
    assert acc.hourly["boiler|fossil_fuel_combustion"].sum() == pytest.approx(9 * GAS_T_PER_MWH, rel=EXACT)
    assert acc.summary["purchased_hydrogen_not_counted_co2_t"] == pytest.approx(0.57)
    assert acc.summary["co2_t"] == pytest.approx(9 * GAS_T_PER_MWH, rel=EXACT)
    assert core(acc)["denominator"] == pytest.approx(10 * FUEL_TCE, rel=EXACT)
    counted = account(ts, info, AccountingConfig(include_purchased_hydrogen=True))
    assert counted.summary["by_category_t"]["purchased_hydrogen"] == pytest.approx(0.57)
    assert acc.summary["alternatives"]["include_purchased_hydrogen=true"]["co2_t"] == pytest.approx(
        9 * GAS_T_PER_MWH + 0.57, rel=EXACT)


def test_a_biomass_boiler_counts_its_fuel_as_clean_energy_and_its_co2_apart():
    # 8 MWh of heat a hour at efficiency 0.8: 10 MWh of wood chips (LHV), 112 tCO2/TJ biogenic
    ts = frame(bio__heat_mwh=[8.0] * 3, homes__heat_mwh=[-8.0] * 3)
    info = {"bio": {"type": "biomass_boiler", "tags": ["biomass", "biogenic", "clean_heat"],
                    "fuel_lhv_per_heat": 1 / 0.8},
            "homes": {"type": "heat_load", "tags": ["load"]}}
    acc = account(ts, info, AccountingConfig())
    assert core(acc)["denominator"] == pytest.approx(30 * FUEL_TCE, rel=EXACT)
    assert core(acc)["value"] == 0.0 and core(acc)["pass"] is True
    assert acc.summary["biogenic_co2_t"] == pytest.approx(30 * 112 * 0.0036, rel=EXACT)
    assert acc.indicators.set_index("key").loc["G1", "value"] == pytest.approx(100.0, rel=EXACT)


def test_exported_green_power_does_not_cover_other_carriers_in_the_24_7_view():
    # hour 0: PV 20 under a 10 MWh load, 10 exported; gas 5 MWh burnt both hours
    ts, info = grid_park([10.0, 10.0], pv=[20.0, 0.0], gas__gas_mwh=[5.0, 5.0], gas__import_mwh=[5.0, 5.0],
                         gas__export_mwh=[0.0, 0.0], gas__cost_cny=[0.0, 0.0], boiler__gas_mwh=[-5.0, -5.0],
                         boiler__heat_mwh=[4.5, 4.5], homes__heat_mwh=[-4.5, -4.5])
    info.update({"gas": GAS_SUPPLY, "boiler": BOILER, "homes": {"type": "heat_load", "tags": ["load"]}})
    view = account(ts, info, AccountingConfig()).summary["twenty_four_seven"]["all_energy"]
    assert view["share_pct"] == pytest.approx(100 * 10 * E_TCE / (20 * E_TCE + 10 * FUEL_TCE), rel=EXACT)
    assert view["share_pct"] == pytest.approx(view["annual_share_pct"], rel=EXACT)
