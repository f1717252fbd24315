"""District heating on pandapipes: single-pipe physics, the fast path against
plain pipeflow, summer and no-load hours, layout checks, the balance with
losses and pump power."""

import copy

import numpy as np
import pytest

from twin import simulate
from twin.config import validate
from twin.core.carriers import Carrier
from twin.core.dispatch import MeritOrderDispatch
from twin.core.engine import Engine
from twin.core.errors import ConfigError
from twin.core.ledger import BALANCE_TOLERANCE
from twin.simulation import DOMAIN_CHECKS, _load, build
from twin.thermal import models as tm
from twin.thermal.network import (build_gas_network, build_heat_network, compare_gas_with_pipeflow,
                                  compare_heat_with_pipeflow)

#: Agreement of the fast path with pandapipes' pipeflow (issue 5).
T_TOL_K = 0.05
P_TOL_BAR = 1e-4
ENERGY_TOL = 1e-3

HEAT_PARK = {
    "run": {"hours": 24, "start": "2025-01-10 00:00", "timezone": "Asia/Shanghai", "networks": True, "seed": 7,
            "progress": False},
    "park": {
        "name": "heat park",
        "site": {"city": "Tianjin"},
        "components": {
            "grid": {"type": "grid", "import_limit_mw": 100.0},
            "gas": {"type": "gas_supply", "import_limit_mw": 100.0, "gas_junction": "gate"},
            "homes": {"type": "heat_load", "design_mw": 8.0, "base_mw": 1.0, "heat_junction": "a"},
            "works": {"type": "heat_load", "design_mw": 0.0, "base_mw": 4.0, "heat_junction": "c"},
            "hp": {"type": "heat_pump", "capacity_mw": 4.0, "source": "ground", "t_source_c": 14.0},
            "tank": {"type": "heat_storage", "e_mwh": 20.0, "p_charge_mw": 5.0, "p_discharge_mw": 5.0},
            "boiler": {"type": "gas_boiler", "capacity_mw": 20.0, "gas_junction": "g2"},
            "solar": {"type": "solar_thermal", "area_m2": 8000.0, "heat_junction": "b"},
            "kiln": {"type": "gas_burner", "peak_mw": 3.0, "gas_junction": "g3"},
        },
        "networks": {
            "heat": {
                "plant": "p", "pump_bus": "plant_bus",
                "junctions": {"p": {"x_m": 0, "y_m": 0}, "a": {"x_m": 800, "y_m": 0}, "b": {"x_m": 800, "y_m": 600},
                              "c": {"x_m": 1600, "y_m": 0}},
                "pipes": {"pa": {"from": "p", "to": "a", "length_m": 800, "diameter_mm": 250, "outer_diameter_mm": 400},
                          "ab": {"from": "a", "to": "b", "length_m": 600, "diameter_mm": 150, "outer_diameter_mm": 250},
                          "ac": {"from": "a", "to": "c", "length_m": 800, "diameter_mm": 200, "outer_diameter_mm": 315}},
            },
            "gas": {
                "junctions": {"gate": {}, "g2": {"x_m": 500}, "g3": {"x_m": 1500}},
                "pipes": {"g1": {"from": "gate", "to": "g2", "length_m": 500, "diameter_mm": 200},
                          "g2": {"from": "g2", "to": "g3", "length_m": 1000, "diameter_mm": 100}},
            },
        },
    },
    "weather": {"source": "synthetic"},
    "tariff": {"name": "flat"},
    "accounting": {},
}


@pytest.fixture
def heat_park():
    return copy.deepcopy(HEAT_PARK)


def _run_recorded(park):
    """Run a park with both networks recording every solve."""
    valid = validate(park, extra_checks=[_load(r) for r in DOMAIN_CHECKS])
    clock, ctx, comps, ledger, unserved, dumped = build(valid)
    heat = build_heat_network(valid, ctx, comps, ledger, record=True)
    gas = build_gas_network(valid, ctx, comps, ledger, record=True)
    dispatch = MeritOrderDispatch(comps, unserved, dumped)
    Engine(clock, comps, dispatch, ledger, networks=[heat, gas]).run()
    return heat, gas, ledger


# -- physics of one pipe ------------------------------------------------------------

def _one_pipe_net(pp, t_in_k=363.15, mdot=5.0):
    net = pp.create_empty_network(fluid="water")
    a = pp.create_junction(net, pn_bar=5.0, tfluid_k=t_in_k)
    b = pp.create_junction(net, pn_bar=5.0, tfluid_k=t_in_k)
    pp.create_ext_grid(net, junction=a, p_bar=5.0, t_k=t_in_k)
    pp.create_pipe_from_parameters(net, from_junction=a, to_junction=b, length_km=2.0, inner_diameter_mm=150.0,
                                   outer_diameter_mm=250.0, k_mm=0.05, u_w_per_m2k=0.8, text_k=283.15)
    pp.create_sink(net, junction=b, mdot_kg_per_s=mdot)
    return net


def test_pipe_heat_loss_matches_exponential_decay():
    """A 2 km pipe, 150/250 mm, U = 0.8 W/(m2 K) on the casing, 5 kg/s at 90 degC in
    10 degC ground: T_out = 10 + 80 exp(-0.8 pi 0.25 2000 / (cp 5)) = 10 + 80 exp(-0.0600) = 85.34 degC."""
    import pandapipes as pp

    net = _one_pipe_net(pp)
    pp.pipeflow(net, mode="sequential", ambient_temperature=283.15, tol_T=1e-8)
    t_out = float(net.res_junction.t_k.iloc[1])
    # pandapipes takes cp at the mean of inlet and outlet temperature
    fluid = pp.get_fluid(net)
    cp = 0.5 * (float(fluid.get_heat_capacity(363.15)) + float(fluid.get_heat_capacity(t_out)))
    expected = float(tm.pipe_outlet_temperature(363.15, 283.15, 0.8, 0.25, 2000.0, 5.0, cp))
    assert t_out == pytest.approx(expected, abs=1e-6)
    assert t_out - 273.15 == pytest.approx(85.34, abs=0.02)
    # heat lost = cp mdot (T_in - T_out): 5 * 4200 * 4.66 K ~ 98 kW
    assert 5.0 * cp * (363.15 - t_out) == pytest.approx(5.0 * cp * 80.0 * (1 - np.exp(-0.8 * np.pi * 0.25 * 2000 / (cp * 5))),
                                                          rel=1e-9)


def test_network_supply_line_cools_as_the_exponential_decay_predicts():
    """The twin's own solve of a one-pipe network: plant -> 3 km -> one consumer."""
    park = copy.deepcopy(HEAT_PARK)
    park["run"]["hours"] = 3
    park["park"]["components"] = {
        "grid": {"type": "grid", "import_limit_mw": 100.0},
        "gas": {"type": "gas_supply", "import_limit_mw": 100.0, "gas_junction": "gate"},
        "works": {"type": "heat_load", "design_mw": 0.0, "base_mw": 3.0, "heat_junction": "a"},
        "boiler": {"type": "gas_boiler", "capacity_mw": 20.0},
    }
    park["park"]["networks"]["heat"] = {
        "plant": "p", "t_ground_c": 8.0, "min_flow_kg_per_s": 1.0,
        "junctions": {"p": {}, "a": {"x_m": 3000}},
        "pipes": {"pa": {"from": "p", "to": "a", "length_m": 3000, "diameter_mm": 150, "outer_diameter_mm": 250,
                         "u_w_per_m2k": 0.6}},
    }
    ts = simulate(park).timeseries
    t_plant = ts["heat_network.t_supply_plant_c"].to_numpy() + 273.15
    mdot = ts["heat_network.pump_mdot_kg_per_s"].to_numpy() - 1.0   # less the plant's bypass
    cp = 4196.0  # water near 80 degC (pandapipes' table); 0.3 % off moves T_out by < 0.005 K here
    expected = tm.pipe_outlet_temperature(t_plant, 281.15, 0.6, 0.25, 3000.0, mdot, cp) - 273.15
    np.testing.assert_allclose(ts["heat_network.a.t_supply_c"], expected, atol=0.01)
    assert (t_plant - 273.15 - ts["heat_network.a.t_supply_c"] > 1.0).all()   # ~1.4 K lost on the way


# -- the fast path against pandapipes' pipeflow -------------------------------------

@pytest.mark.parametrize("start", ["2025-01-10 00:00", "2025-07-10 00:00"])
def test_fast_path_agrees_with_plain_pipeflow_on_sampled_hours(heat_park, start):
    heat_park["run"]["start"] = start
    heat, gas, ledger = _run_recorded(heat_park)
    assert heat.fallbacks == 0 and gas.fallbacks == 0
    sample = heat.log[::4]
    cmp_heat = compare_heat_with_pipeflow(heat, sample)
    assert cmp_heat["failed"] == 0 and cmp_heat["hours"] == len(sample)
    assert cmp_heat["t_k"] < T_TOL_K
    assert cmp_heat["p_bar"] < P_TOL_BAR
    assert cmp_heat["energy_rel"] < ENERGY_TOL
    cmp_gas = compare_gas_with_pipeflow(gas, gas.log[::4])
    assert cmp_gas["failed"] == 0
    assert cmp_gas["p_bar"] < P_TOL_BAR
    assert cmp_gas["mdot_rel"] < ENERGY_TOL


def test_plain_solver_option_gives_the_same_hours(heat_park):
    heat_park["run"]["hours"] = 6
    fast = simulate(copy.deepcopy(heat_park)).timeseries
    heat_park["park"]["networks"]["heat"]["solver"] = "plain"
    heat_park["park"]["networks"]["gas"]["solver"] = "plain"
    plain = simulate(heat_park).timeseries
    for col in ("heat_network.heat_loss_mwh", "heat_network_pump.electricity_mwh", "heat_network.c.t_supply_c",
                "heat_network.c.t_return_c", "gas_network.p_min_bar"):
        np.testing.assert_allclose(fast[col], plain[col], rtol=1e-6, atol=1e-6, err_msg=col)


# -- hours with little or no load ------------------------------------------------

def test_a_summer_week_converges_with_solar_surplus_and_balances(heat_park):
    heat_park["run"].update(start="2025-07-07 00:00", hours=168)
    res = simulate(heat_park)
    ts, heat = res.timeseries, res.summary["networks"]["heat"]
    assert heat["hours_not_converged"] == 0
    assert (ts["heat_network.converged"] == 1).all()
    assert max(res.summary["balance"].values()) <= BALANCE_TOLERANCE
    # the water keeps moving: supply temperatures stay near the plant's
    assert ts["heat_network.t_supply_min_c"].min() > 55.0
    assert (ts["heat_network.pump_mdot_kg_per_s"] > 0).all()


def test_hours_without_any_heat_demand_converge(heat_park):
    """pandapipes issue 679: a time series breaks after an hour with zero heat demand."""
    comps = heat_park["park"]["components"]
    comps["homes"].update(design_mw=0.0, base_mw=0.0)
    comps["works"].update(base_mw=0.0)
    comps["solar"]["area_m2"] = 0.0
    heat_park["run"].update(start="2025-07-07 00:00", hours=12)
    res = simulate(heat_park)
    ts = res.timeseries
    assert (ts["heat_network.converged"] == 1).all()
    # only the bypasses run; the pipes still lose heat, which the plant supplies
    assert (ts["heat_network.heat_loss_mwh"] > 0).all()
    heat_cols = [c for c in ts.columns if c.endswith(".heat_mwh")]
    np.testing.assert_allclose(ts[heat_cols].sum(axis=1), 0.0, atol=1e-9)


# -- the balance: losses and pump power booked once -----------------------------

def test_losses_are_a_heat_demand_and_the_pump_an_electric_demand_on_its_bus(heat_park):
    res = simulate(heat_park)
    ts, s = res.timeseries, res.summary
    np.testing.assert_allclose(-ts["heat_network.heat_mwh"], ts["heat_network.heat_loss_mwh"], rtol=1e-12)
    assert s["energy"]["heat"]["network_losses_mwh"] == pytest.approx(ts["heat_network.heat_loss_mwh"].sum())
    # the losses of a 2.2 km network at ~80/50 degC: tenths of a MW
    assert 0.05 < ts["heat_network.heat_loss_mwh"].mean() < 0.5
    pump = -ts["heat_network_pump.electricity_mwh"]
    assert (pump > 0).all()
    # pump power = V dp / eta with the pump's mass flow at the return temperature (~1000 kg/m3)
    expected = ts["heat_network.pump_mdot_kg_per_s"] / 985.0 * 3.0e5 / 0.75 / 1e6
    np.testing.assert_allclose(pump, expected, rtol=0.01)
    assert s["components"]["heat_network_pump"]["type"] == "network_pump"
    assert max(s["balance"].values()) <= BALANCE_TOLERANCE
    assert s["networks"]["heat"]["hours_not_converged"] == 0


def test_layout_problems_are_reported_with_their_keys(heat_park):
    heat = heat_park["park"]["networks"]["heat"]
    heat["pipes"]["ab"]["to"] = "nowhere"
    heat["pipes"]["ac"]["diameter_mm"] = -200
    heat["junctions"]["island"] = {"x_m": 5000, "y_m": 0}
    heat_park["park"]["components"]["homes"]["heat_junction"] = "atlantis"
    gas = heat_park["park"]["networks"]["gas"]
    gas["pipes"]["g2"]["length_m"] = 0
    with pytest.raises(ConfigError) as err:
        simulate(heat_park)
    keys = {k for k, _ in err.value.problems}
    assert "park.networks.heat.pipes.ab.to" in keys
    assert "park.networks.heat.pipes.ac.diameter_mm" in keys
    assert "park.components.homes.heat_junction" in keys
    assert "park.networks.gas.pipes.g2.length_m" in keys


def test_a_disconnected_network_is_refused(heat_park):
    heat_park["park"]["networks"]["heat"]["junctions"]["island"] = {"x_m": 5000, "y_m": 0}
    with pytest.raises(ConfigError, match="disconnected.*island"):
        simulate(heat_park)


def test_no_layout_no_network(heat_park):
    del heat_park["park"]["networks"]
    res = simulate(heat_park)
    assert "heat" not in res.summary["networks"]
    assert not any(c.startswith("heat_network") for c in res.timeseries.columns)


# -- the reference park over a year ------------------------------------------------

@pytest.mark.slow
def test_full_year_reference_park_with_all_networks_balances():
    res = simulate(overrides=["run.progress=false", "run.networks=true"])
    ts, s = res.timeseries, res.summary
    assert len(ts) == 8760
    assert max(s["balance"].values()) <= BALANCE_TOLERANCE
    heat, gas = s["networks"]["heat"], s["networks"]["gas"]
    assert heat["hours_not_converged"] == 0 and gas["hours_not_converged"] == 0
    assert (ts["heat_network.converged"] == 1).all() and (ts["gas_network.converged"] == 1).all()
    made = sum(v for k, v in s["energy"]["heat"]["supplied_mwh"].items() if "storage" not in s["components"].get(k, {}).get("tags", []))
    # a dense industrial network loses a few per cent of the heat it carries
    assert 0.01 < heat["losses_mwh"] / made < 0.04
    assert s["energy"]["heat"]["network_losses_mwh"] == pytest.approx(heat["losses_mwh"], rel=1e-9)
    # pumping costs well under 1 % of the heat
    assert 0.0 < heat["pump_mwh"] < 0.01 * made
    # hydraulics: every consumer keeps a positive pressure difference, water stays hot enough
    assert heat["dp_min_bar"] > 0.5
    assert ts["heat_network.t_supply_min_c"].quantile(0.001) > 60.0
    assert gas["p_min_bar"] > 2.0 and gas["hours_low_pressure"] == 0
    # the park's clean heat: heat pumps, geothermal, recovered and solar heat dominate
    from twin.thermal.figures import clean_heat_share

    assert clean_heat_share(s)["share"] > 0.8
    assert s["runtime_s"]["simulate"] < 240.0
