"""Natural gas on pandapipes: one pipe against Darcy-Weisbach worked by hand,
the fast path against pipeflow, and the conversions LHV energy -> mass -> volume."""

import copy

import numpy as np
import pytest

from twin import simulate
from twin.thermal import models as tm
from twin.thermal import newton as nw

#: pandapipes' normal conditions [bar], [K].
P_N_BAR, T_N_K = 1.01325, 273.15


def _one_pipe(pp, mdot=0.2, p_in_bar=4.0, t_k=283.15):
    net = pp.create_empty_network(fluid="hgas")
    a = pp.create_junction(net, pn_bar=p_in_bar, tfluid_k=t_k)
    b = pp.create_junction(net, pn_bar=p_in_bar, tfluid_k=t_k)
    pp.create_ext_grid(net, junction=a, p_bar=p_in_bar, t_k=t_k)
    pp.create_pipe_from_parameters(net, from_junction=a, to_junction=b, length_km=2.0, inner_diameter_mm=100.0,
                                   k_mm=0.05)
    pp.create_sink(net, junction=b, mdot_kg_per_s=mdot)
    return net


def test_gas_pressure_drop_on_one_pipe_matches_darcy_weisbach_by_hand():
    """0.2 kg/s of H-gas through 2 km of DN100 (k = 0.05 mm) from 4 bar(g) at 10 degC.

    By hand: A = 7.854e-3 m2; Re = mdot d / (eta A) = 0.2 * 0.1 / (1.0709e-5 * 7.854e-3) = 2.378e5;
    lambda = 64/Re + 1/(2 log10(d/k) + 1.14)^2 = 2.69e-4 + 0.016683 = 0.016952 (pandapipes'
    "nikuradse"); Z = 1 - 0.0022 p_m [bar abs] = 0.9893; rho_n = 0.73294 kg/m3 (0 degC, 1.01325 bar);
    p_in^2 - p_out^2 = lambda L/D (mdot/A)^2 Z p_n T / (rho_n T_n)
                     = 339.04 * 648.45 * 0.9893 * 143 305 = 3.117e10 Pa^2
    with p_in = 5.01325 bar abs: p_out = sqrt(2.5133e11 - 3.117e10) Pa = 4.692 bar abs, a drop of 0.321 bar.
    """
    import pandapipes as pp

    net = _one_pipe(pp)
    pp.pipeflow(net, mode="hydraulics", tol_p=1e-9, tol_m=1e-9, tol_res=1e-9)
    p_out_g = float(net.res_junction.p_bar.iloc[1])
    fluid = pp.get_fluid(net)
    eta = float(fluid.get_viscosity(283.15))
    rho_n = float(fluid.get_density(T_N_K))
    area = np.pi * 0.1 ** 2 / 4
    re = 0.2 * 0.1 / (eta * area)
    lam = 64.0 / re + float(tm.nikuradse_friction_factor(0.1, 0.05e-3, gas=True))
    assert re == pytest.approx(2.378e5, rel=2e-3)
    assert lam == pytest.approx(0.016952, rel=1e-3)
    p_in = 4.0 + P_N_BAR
    p_out = 4.8   # fixed point: Z depends on the mean pressure
    for _ in range(50):
        p_m = 2.0 / 3.0 * (p_in ** 3 - p_out ** 3) / (p_in ** 2 - p_out ** 2)
        z = 1.0 - 0.0022 * p_m
        k = lam * 2000.0 / 0.1 * (0.2 / area) ** 2 * z * P_N_BAR * 1e5 * 283.15 / (rho_n * T_N_K)
        p_out = np.sqrt((p_in * 1e5) ** 2 - k) / 1e5
    assert p_out_g + P_N_BAR == pytest.approx(p_out, abs=1e-6)
    assert p_in - p_out == pytest.approx(0.321, abs=0.002)
    # the models' general flow equation gives the inlet back from the outlet
    assert tm.gas_pipe_inlet_pressure_bar(p_out, 0.2, 2000.0, 0.1, lam, 283.15, rho_n, z) == pytest.approx(p_in, rel=1e-9)


def test_fast_gas_newton_matches_pipeflow_on_one_pipe():
    import pandapipes as pp
    from pandapipes.idx_branch import IdxBranch as B
    from pandapipes.idx_node import IdxNode as N

    net = _one_pipe(pp, mdot=0.3)
    pp.pipeflow(net, mode="hydraulics")
    pit_b, pit_n = net["_pit"]["branch"], net["_pit"]["node"]
    topo = nw.Topology(n_nodes=2, from_node=pit_b[:, B.FROM_NODE].astype(int), to_node=pit_b[:, B.TO_NODE].astype(int),
                       kind=np.zeros(1, int), length_m=pit_b[:, B.LENGTH].copy(), d_m=pit_b[:, B.D].copy(),
                       k_m=pit_b[:, B.K].copy(), loss_coefficient=np.zeros(1), alpha_w_per_mk=np.zeros(1),
                       t_ext_k=np.full(1, 283.15), p_amb_bar=pit_n[:, N.PAMB].copy(), slack_node=0)
    fluid = pp.get_fluid(net)
    visc = fluid.all_properties["viscosity"].prop_getter
    comp = fluid.all_properties["compressibility"]
    gas = nw.GasNetwork(topo, nw.Property(visc.x, visc.y), float(fluid.get_density(T_N_K)), float(comp.offset),
                        float(comp.slope), np.full(1, 283.15))
    state = nw.GasState(p_bar=np.array([4.0, 4.0]), mdot_kg_per_s=np.array([0.1]))
    gas.solve(state, np.array([0.0, 0.3]), 4.0)
    assert state.mdot_kg_per_s[0] == pytest.approx(0.3, rel=1e-12)
    assert state.p_bar[1] == pytest.approx(float(net.res_junction.p_bar.iloc[1]), abs=1e-8)


def test_park_gas_network_converts_energy_to_mass_and_volume():
    from tests.test_heat_network import HEAT_PARK

    park = copy.deepcopy(HEAT_PARK)
    park["run"]["hours"] = 6
    res = simulate(park)
    ts, gas = res.timeseries, res.summary["networks"]["gas"]
    lhv_j_per_kg = gas["lhv_mj_per_kg"] * 1e6
    assert lhv_j_per_kg == pytest.approx(13.20179 * 3.6e6)   # pandapipes' H-gas, kWh/kg
    import_mwh = ts["gas.import_mwh"]
    np.testing.assert_allclose(ts["gas_network.import_kg"], import_mwh * 3.6e9 / lhv_j_per_kg, rtol=1e-9)
    np.testing.assert_allclose(ts["gas_network.import_m3"], ts["gas_network.import_kg"] / gas["rho_normal_kg_per_m3"],
                               rtol=1e-12)
    # ~35 MJ per normal cubic metre: Chinese pipeline gas
    assert gas["lhv_mj_per_kg"] * gas["rho_normal_kg_per_m3"] == pytest.approx(34.8, abs=0.5)
    assert (ts["gas_network.converged"] == 1).all()
    # pressure falls from the city gate towards the kiln at the end of the line
    assert (ts["gas_network.g3.p_bar"] <= ts["gas_network.gate.p_bar"]).all()
    np.testing.assert_allclose(ts["gas_network.gate.p_bar"], 4.0)
