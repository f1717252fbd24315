"""The park's AC power flow: hand-worked feeders, agreement with plain pandapower,
violations, non-convergence, bad layouts refused, and a networked reference year."""

from __future__ import annotations

import copy
import math
import subprocess
import sys

import numpy as np
import pytest

from twin import simulate
from twin.config import validate
from twin.core.errors import ConfigError
from twin.core.ledger import BALANCE_TOLERANCE

#: Agreement of the twin's power flow with pandapower.runpp (issue 4).
VOLTAGE_TOLERANCE_PU = 1e-6
LOSSES_TOLERANCE_MW = 1e-6

FEEDER = {"r_ohm_per_km": 0.1, "x_ohm_per_km": 0.08, "c_nf_per_km": 0.0, "max_i_ka": 0.3}


def three_bus_park(small_park: dict) -> dict:
    """Slack bus a (10 kV, the grid) with two radial cables: a-b 5 km (3, 4 km
    apart on the plan) to a 3 MW load, a-c 2 km to a 2 MW load, both at
    cos phi 0.9; no cable capacitance."""
    park = copy.deepcopy(small_park)
    park["run"].update({"hours": 24, "networks": True})
    park["park"]["components"] = {
        "grid": {"type": "grid", "import_limit_mw": 50.0, "export_limit_mw": 5.0, "bus": "a"},
        "load_b": {"type": "electric_load", "peak_mw": 3.0, "profile": "flat", "bus": "b"},
        "load_c": {"type": "electric_load", "peak_mw": 2.0, "profile": "flat", "bus": "c"},
    }
    park["park"]["networks"] = {"electric": {
        "load_power_factor": 0.9,
        "buses": {"a": {"vn_kv": 10, "x_km": 0, "y_km": 0}, "b": {"vn_kv": 10, "x_km": 3, "y_km": 4},
                  "c": {"vn_kv": 10, "x_km": 0, "y_km": -2}},
        "lines": {"ab": {"from_bus": "a", "to_bus": "b", **FEEDER},
                  "ac": {"from_bus": "a", "to_bus": "c", **FEEDER, "r_ohm_per_km": 0.2, "x_ohm_per_km": 0.1}},
    }}
    return park


def receiving_end(v1_kv: float, p_mw: float, q_mvar: float, r_ohm: float, x_ohm: float) -> tuple[float, float]:
    """Voltage at a load fed by one series impedance, and the line's losses.

    From S = V2 I* and V1 = V2 + Z I with V2 real: V2^4 + (2 (P R + Q X) -
    V1^2) V2^2 + (P^2 + Q^2)(R^2 + X^2) = 0, the larger root; losses
    (P^2 + Q^2) R / V2^2 (three-phase MW, line-to-line kV, ohm per phase).
    """
    b = 2.0 * (p_mw * r_ohm + q_mvar * x_ohm) - v1_kv**2
    v2_sq = (-b + math.sqrt(b * b - 4.0 * (p_mw**2 + q_mvar**2) * (r_ohm**2 + x_ohm**2))) / 2.0
    return math.sqrt(v2_sq), (p_mw**2 + q_mvar**2) * r_ohm / v2_sq


def run_with_solver(config: dict):
    """Simulate like ``run_valid`` but keep the electric solver."""
    from twin.core.dispatch import MeritOrderDispatch
    from twin.core.engine import Engine
    from twin.simulation import DOMAIN_CHECKS, _load, build, build_networks

    valid = validate(config, extra_checks=[_load(ref) for ref in DOMAIN_CHECKS])
    clock, ctx, components, ledger, unserved, dumped = build(valid)
    networks = build_networks(valid, ctx, components, ledger)
    Engine(clock, components, MeritOrderDispatch(components, unserved, dumped),
           ledger, networks=networks, observers=[c for c in components if hasattr(c, "after_settle")]).run()
    return next(n for n in networks if n.name == "electric"), ledger


def test_three_bus_feeder_losses_and_voltages_match_the_hand_worked_values(small_park):
    res = simulate(three_bus_park(small_park))
    ts = res.timeseries
    tan_phi = math.tan(math.acos(0.9))
    v_b, loss_b = receiving_end(10.0, 3.0, 3.0 * tan_phi, 5 * 0.1, 5 * 0.08)
    v_c, loss_c = receiving_end(10.0, 2.0, 2.0 * tan_phi, 2 * 0.2, 2 * 0.1)
    # by hand: V_b = 9.7872 kV, V_c = 9.8996 kV; losses 55.9 + 22.2 kW
    assert v_b / 10 == pytest.approx(0.978724, abs=1e-6) and v_c / 10 == pytest.approx(0.989962, abs=1e-6)
    np.testing.assert_allclose(ts["power_network.v_min_pu"], v_b / 10.0, atol=VOLTAGE_TOLERANCE_PU)
    np.testing.assert_allclose(ts["power_network.v_max_pu"], 1.0, atol=VOLTAGE_TOLERANCE_PU)
    np.testing.assert_allclose(ts["power_network.losses_mwh"], loss_b + loss_c, atol=LOSSES_TOLERANCE_MW)
    # the slack pays the losses: grid import = loads + losses, booked as the network's flow
    losses = ts["power_network.losses_mwh"]
    np.testing.assert_allclose(ts["grid.import_mwh"], 5.0 + losses, rtol=1e-14)
    np.testing.assert_array_equal(ts["power_network.electricity_mwh"], -losses)
    np.testing.assert_allclose(ts["grid.cost_cny"], 600.0 * (5.0 + losses), rtol=1e-14)
    assert res.summary["energy"]["electricity"]["network_losses_mwh"] == pytest.approx(24 * (loss_b + loss_c))
    assert res.summary["balance"]["electricity"] <= BALANCE_TOLERANCE
    net = res.summary["networks"]["electric"]
    assert net["hours_converged"] == 24 and net["violations"]["voltage_hours"] == 0
    assert net["v_min_pu"]["element"] == "b"
    # line a-b: I = |S| / (sqrt(3) V_b) against 0.3 kA
    i_ab_ka = math.hypot(3.0, 3.0 * tan_phi) / (math.sqrt(3) * v_b)
    ab = next(b for b in net["map"]["branches"] if b["name"] == "ab")
    assert ab["max_loading_percent"] == pytest.approx(100 * i_ab_ka / 0.3, rel=1e-6)
    assert ab["length_km"] == pytest.approx(5.0)


def test_twin_power_flow_matches_plain_pandapower_runpp_on_sampled_hours():
    from twin.simulation import compose

    solver, ledger = run_with_solver(compose(["run.networks=true", "run.progress=false", "run.hours=336",
                                              "run.start=2025-06-09 00:00"]))
    direct = ledger.columns["wind_direct.line_losses_mwh"]
    for h in range(0, 336, 14):
        plain = solver.plain_power_flow(h)
        # what the run recorded for the hour
        assert ledger.columns["power_network.v_min_pu"][h] == pytest.approx(plain["vm_pu"].min(), abs=VOLTAGE_TOLERANCE_PU)
        assert ledger.columns["power_network.v_max_pu"][h] == pytest.approx(plain["vm_pu"].max(), abs=VOLTAGE_TOLERANCE_PU)
        losses = ledger.columns["power_network.losses_mwh"][h] + direct[h]
        assert losses == pytest.approx(plain["losses_mw"], abs=LOSSES_TOLERANCE_MW)
        assert ledger.columns["power_network.max_loading_percent"][h] == pytest.approx(plain["loading_percent"].max(),
                                                                                        abs=1e-4)
        # every bus, re-solved the twin's way
        fast = solver.fast_power_flow(h)
        np.testing.assert_allclose(fast["vm_pu"], plain["vm_pu"], atol=VOLTAGE_TOLERANCE_PU)
        assert fast["slack_p_mw"] == pytest.approx(plain["slack_p_mw"], abs=LOSSES_TOLERANCE_MW)


def test_overloaded_feeder_and_low_voltage_are_reported_as_violations(small_park):
    park = three_bus_park(small_park)
    park["park"]["networks"]["electric"]["lines"]["ab"]["max_i_ka"] = 0.15   # a thin cable for 3 MW
    res = simulate(park)
    v = res.summary["networks"]["electric"]["violations"]
    assert v["loading_hours"] == 24
    over = [e for e in v["elements"] if e["kind"] == "overload"]
    assert [e["element"] for e in over] == ["line ab"] and over[0]["worst_percent"] > 100
    assert (res.timeseries["power_network.max_loading_percent"] > 100).all()
    park["park"]["networks"]["electric"]["voltage_band_pu"] = [0.98, 1.05]
    v = simulate(park).summary["networks"]["electric"]["violations"]
    assert v["voltage_hours"] == 24
    assert {"element": "bus b", "kind": "undervoltage", "hours": 24} == {k: v["elements"][0][k] for k in ("element", "kind", "hours")}


def test_a_non_converging_hour_is_recorded_and_the_run_goes_on(small_park, tmp_path):
    park = three_bus_park(small_park)
    spike = tmp_path / "spike.csv"
    spike.write_text("p\n" + "\n".join("1" if h == 5 else "0" for h in range(24)) + "\n")
    # 60 MW at the end of a 5 km cable cannot be carried: no power-flow solution
    park["park"]["components"]["spike"] = {"type": "electric_load", "peak_mw": 60.0, "profile": str(spike), "bus": "b"}
    park["park"]["components"]["grid"]["import_limit_mw"] = 100.0
    res = simulate(park)
    ts, net = res.timeseries, res.summary["networks"]["electric"]
    assert net["hours_not_converged"] == 1 and net["not_converged"][0]["hour"] == 5
    assert "did not converge" in net["not_converged"][0]["reason"]
    assert ts["power_network.converged"].iloc[5] == 0 and ts["power_network.converged"].drop(ts.index[5]).eq(1).all()
    # that hour keeps its copperplate balance; the others carry their losses
    assert ts["power_network.losses_mwh"].iloc[5] == 0.0 and ts["grid.import_mwh"].iloc[5] == pytest.approx(65.0)
    assert (ts["power_network.losses_mwh"].drop(ts.index[5]) > 0).all()
    assert res.summary["balance"]["electricity"] <= BALANCE_TOLERANCE


@pytest.mark.parametrize("edit, key, expected", [
    (lambda p: p["lines"]["ab"].update(to_bus="b99"), "park.networks.electric.lines.ab.to_bus", "unknown bus 'b99'; known: a, b, c"),
    (lambda p: p["lines"].pop("ac"), "park.networks.electric.buses.c", "island without a slack"),
    (lambda p: p["buses"]["c"].update(vn_kv=20), "park.networks.electric.lines.ac", "joins buses of different voltage"),
    (lambda p: p["lines"]["ab"].pop("max_i_ka"), "park.networks.electric.lines.ab.max_i_ka", "missing"),
    (lambda p: p["buses"]["b"].pop("y_km"), "park.networks.electric.buses.b.y_km", "missing"),
    (lambda p: p["lines"]["ab"].update(std_type="no such cable"), "park.networks.electric.lines.ab.r_ohm_per_km",
     "give either std_type or the line parameters"),
])
def test_bad_layouts_are_refused_by_validation_naming_the_key(small_park, edit, key, expected):
    park = three_bus_park(small_park)
    edit(park["park"]["networks"]["electric"])
    from twin.simulation import DOMAIN_CHECKS, _load

    with pytest.raises(ConfigError) as err:
        validate(park, extra_checks=[_load(ref) for ref in DOMAIN_CHECKS])
    assert any(k == key and expected in msg for k, msg in err.value.problems), err.value.problems


def test_standard_types_and_rated_voltages_are_checked_when_networks_are_solved(small_park):
    park = three_bus_park(small_park)
    lay = park["park"]["networks"]["electric"]
    lay["lines"]["ab"] = {"from_bus": "a", "to_bus": "b", "std_type": "NA2XS2Y 1x240 RM/25 6/10 kV (typo)"}
    lay["buses"]["hv"] = {"vn_kv": 110, "x_km": -1, "y_km": 0}
    lay["transformers"] = {"t1": {"hv_bus": "hv", "lv_bus": "a", "sn_mva": 40, "vn_hv_kv": 110, "vn_lv_kv": 10.5,
                                  "vk_percent": 12, "vkr_percent": 0.4}}
    from twin.simulation import DOMAIN_CHECKS, _load

    with pytest.raises(ConfigError) as err:
        validate(park, extra_checks=[_load(ref) for ref in DOMAIN_CHECKS])
    problems = dict(err.value.problems)
    assert "unknown standard line type" in problems["park.networks.electric.lines.ab.std_type"]
    assert "NA2XS2Y 1x240 RM/25 6/10 kV" in problems["park.networks.electric.lines.ab.std_type"]
    assert "must equal the nominal voltage of bus 'a'" in problems["park.networks.electric.transformers.t1.vn_lv_kv"]


def test_an_electricity_component_without_a_bus_is_refused_before_the_first_hour(small_park):
    park = three_bus_park(small_park)
    park["park"]["components"]["pv"] = {"type": "pv", "capacity_mw": 1.0}
    park["park"]["components"]["boiler"] = {"type": "electric_boiler", "capacity_mw": 1.0, "surplus_only": True}
    park["park"]["components"]["heat"] = {"type": "heat_load", "design_mw": 1.0}
    with pytest.raises(ConfigError) as err:
        simulate(park)
    keys = [k for k, _ in err.value.problems]
    assert keys == ["park.components.pv.bus", "park.components.boiler.bus"]   # not the heat load
    park["run"]["networks"] = False
    assert simulate(park).summary["networks"] == {"solved": False}


def test_unknown_bus_from_the_command_line_exits_2_naming_the_key(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "twin", "run.progress=false", "run.hours=24",
                           "park.networks.electric.lines.f_dorm.to_bus=b99"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2
    assert "park.networks.electric.lines.f_dorm.to_bus: unknown bus 'b99'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_direct_line_delivers_its_plant_output_less_the_line_loss_fraction_in_copperplate(small_park):
    park = copy.deepcopy(small_park)
    park["park"]["components"]["green"] = {"type": "direct_wind", "capacity_mw": 3.0, "line_loss_fraction": 0.05,
                                           "hub_mean_wind_m_per_s": 8.0}
    res = simulate(park)
    ts, info = res.timeseries, res.summary["components"]["green"]
    assert {"renewable", "direct_line", "wind"} <= set(info["tags"]) and "onsite" not in info["tags"]
    delivered = ts["green.electricity_mwh"]
    np.testing.assert_allclose(ts["green.line_losses_mwh"], delivered * 0.05 / 0.95, rtol=1e-12)
    sent = delivered + ts["green.line_losses_mwh"] + ts["green.curtailed_mwh"] / 0.95
    assert sent.sum() == pytest.approx(info["generated_mwh"], rel=1e-12)
    assert delivered.sum() > 0


def test_direct_line_losses_come_from_the_power_flow_and_the_grid_pays_the_difference(small_park):
    park = three_bus_park(small_park)
    park["park"]["components"]["green"] = {"type": "direct_wind", "capacity_mw": 3.0, "line_loss_fraction": 0.05,
                                           "hub_mean_wind_m_per_s": 8.0, "bus": "d", "line": "dl"}
    lay = park["park"]["networks"]["electric"]
    lay["buses"]["d"] = {"vn_kv": 10, "x_km": -20, "y_km": 0}
    lay["lines"]["dl"] = {"from_bus": "d", "to_bus": "a", **FEEDER}
    cp = copy.deepcopy(park)
    cp["run"]["networks"] = False
    ts, ref = simulate(park).timeseries, simulate(cp).timeseries
    sent = ref["green.electricity_mwh"] / 0.95        # what the plant sends: the same in both modes
    loss = ts["green.line_losses_mwh"]
    np.testing.assert_allclose(ts["green.electricity_mwh"] + loss, sent, rtol=1e-12)
    # losses on the 20 km line (R = 2 ohm): about R P^2 / V^2, less as the plant's end rises above 10 kV
    windy = sent > 0.5
    np.testing.assert_allclose(loss[windy], 2.0 * sent[windy] ** 2 / 10.0**2, rtol=0.15)
    assert (loss[windy] < 2.0 * sent[windy] ** 2 / 10.0**2).all()
    # the park's own network losses do not include the direct line's
    assert (ts["power_network.losses_mwh"] < loss + 0.2).all()
    net = ts["grid.electricity_mwh"] + ts["power_network.electricity_mwh"] + ts["green.electricity_mwh"]
    np.testing.assert_allclose(net, -(ts["load_b.electricity_mwh"] + ts["load_c.electricity_mwh"]), rtol=1e-12)


@pytest.mark.slow
def test_full_year_reference_park_with_networks_balances_every_hour_with_losses():
    res = simulate(overrides=["run.networks=true", "run.progress=false"])
    ts, s = res.timeseries, res.summary
    net = s["networks"]["electric"]
    assert len(ts) == 8760 and net["hours_converged"] == 8760
    assert max(s["balance"].values()) <= BALANCE_TOLERANCE
    cols = [c for c in ts.columns if c.endswith(".electricity_mwh")]
    assert abs(ts[cols].sum(axis=1)).max() < 1e-6
    e = s["energy"]["electricity"]
    # losses of a park distribution grid: well under 2 % of what is drawn, booked as the network's flow
    assert 0.002 * e["demand_mwh"] < e["network_losses_mwh"] < 0.02 * e["demand_mwh"]
    assert e["network_losses_mwh"] == pytest.approx(net["losses_mwh"], rel=1e-9)
    assert net["buses"] >= 20 and net["direct_line_losses_mwh"] > 0
    # the reference grid is planned to run inside its band and ratings (at most 1 % of hours outside,
    # so that a plant added at one of its buses shows up as a few hours here, not a failure)
    assert net["violations"]["voltage_hours"] <= 88 and net["violations"]["loading_hours"] <= 88
    assert net["slack_mismatch_mw"] < 1e-6
    assert net["timing_s"]["solve"] < 10.0
