"""EV charging hubs: the exact story of vehicles at one charge point, session
plans checked by hand, smart charging into surplus hours, seeded arrivals."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from twin import simulate
from twin.config import validate
from twin.core.dispatch import MeritOrderDispatch
from twin.core.engine import Engine
from twin.electric.ev import plan_session

ENERGY_TOLERANCE_MWH = 1e-12


def hub_park(small_park: dict, **hub) -> dict:
    park = copy.deepcopy(small_park)
    park["run"]["hours"] = 24
    park["park"]["components"]["hub"] = {"type": "ev_charging", "chargers": 1, "charger_kw": 7.0,
                                         "arrivals_per_day": 0.0, "efficiency": 1.0, **hub}
    return park


def run_hub(park: dict, sessions=None):
    """Build the park, give the hub ``sessions`` [(arrive_h, stay_h, energy_mwh)], run it."""
    from twin.simulation import build

    clock, ctx, components, ledger, unserved, dumped = build(validate(park))
    hub = next(c for c in components if c.name == "hub")
    if sessions is not None:
        hub.sessions = tuple(np.array(column, dtype=float) for column in zip(*sessions))
    hub.log = []
    Engine(clock, components, MeritOrderDispatch(components, unserved, dumped),
           ledger, observers=[c for c in components if hasattr(c, "after_settle")]).run()
    return hub, ledger, components


def test_vehicles_at_one_charge_point_wait_plug_in_leave_or_give_up(small_park):
    sessions = [(8.0, 3.0, 0.010),    # plugs in at once, leaves at 11:00
                (9.0, 4.0, 0.010),    # waits for the point until 11:00, leaves at 13:00
                (9.5, 1.0, 0.005),    # must leave at 10:30 before the point is free: refused
                (12.25, 2.0, 0.0035)]  # waits until 13:00, leaves at 14:15
    hub, ledger, _ = run_hub(hub_park(small_park), sessions)
    assert hub.log == [(8.0, "arrive", 0), (8.0, "plug", 0), (9.0, "arrive", 1), (9.5, "arrive", 2),
                       (10.5, "refused", 2), (11.0, "depart", 0), (11.0, "plug", 1), (12.25, "arrive", 3),
                       (13.0, "depart", 1), (13.0, "plug", 3), (14.25, "depart", 3)]
    # dumb charging at 7 kW from plug-in: 10 kWh = 1 h at 7 kW + 3 kWh
    expected = np.zeros(24)
    expected[[8, 9, 11, 12, 13]] = [0.007, 0.003, 0.007, 0.003, 0.0035]
    np.testing.assert_allclose(-ledger.columns["hub.electricity_mwh"], expected, atol=ENERGY_TOLERANCE_MWH)
    assert ledger.columns["hub.arrivals"][[8, 9, 12]].tolist() == [1, 2, 1]
    assert ledger.columns["hub.refused"][10] == 1 and ledger.columns["hub.refused"].sum() == 1


def test_dumb_plan_charges_at_full_power_from_plug_in_within_the_hours_it_occupies():
    # 20 kWh at 7 kW from 08:30: 3.5 kWh by 09:00, then 7 + 7, then 2.5 kWh
    assert plan_session(8.5, 12.0, 0.020, 0.007) == pytest.approx({8: 0.0035, 9: 0.007, 10: 0.007, 11: 0.0025})
    # more than the stay allows: what the point can give
    plan = plan_session(8.5, 10.0, 1.0, 0.007)
    assert plan == pytest.approx({8: 0.0035, 9: 0.007})


def test_smart_plan_fills_the_largest_surplus_first_then_the_cheapest_hours():
    price = np.array([1.0, 1.0, 0.5, 1.0])
    # surplus in hours 9 (5 MW) and 11 (10 MW): 11 first, then 9
    assert plan_session(8.5, 12.0, 0.012, 0.007, np.array([0.0, 5.0, 0.0, 10.0]), price) == pytest.approx(
        {11: 0.007, 9: 0.005})
    # no surplus: cheapest hour first, then the earliest of equal prices
    assert plan_session(8.5, 12.0, 0.012, 0.007, np.array([-1.0, -2.0, 0.0, -3.0]), price) == pytest.approx(
        {10: 0.007, 8: 0.0035, 9: 0.0015})
    # a surplus smaller than the point's power takes only the surplus
    assert plan_session(8.5, 12.0, 0.012, 0.007, np.array([0.0, 0.002, 0.0, 0.0]), price) == pytest.approx(
        {9: 0.002, 10: 0.007, 8: 0.003})


def test_smart_charging_moves_a_hubs_energy_into_the_parks_renewable_surplus_hours(small_park):
    park = hub_park(small_park, chargers=40, arrivals_per_day=60.0, rest_day_factor=1.0, efficiency=0.95)
    park["run"]["hours"] = 24 * 7
    res_dumb = simulate(park)
    park["park"]["components"]["hub"]["smart"] = True
    res_smart = simulate(park)
    dumb, smart = (-r.timeseries["hub.electricity_mwh"] for r in (res_dumb, res_smart))
    assert smart.sum() == pytest.approx(dumb.sum(), rel=1e-12)             # same vehicles, same energy
    ts = res_smart.timeseries
    surplus_hours = (ts["pv.electricity_mwh"] + ts["pv.curtailed_mwh"] > -ts["load.electricity_mwh"]).to_numpy()
    share = lambda s: s[surplus_hours].sum() / s.sum()  # noqa: E731
    assert share(smart) > share(dumb) + 0.2
    # the park then imports less while the hub charges
    assert res_smart.timeseries["grid.import_mwh"].sum() < res_dumb.timeseries["grid.import_mwh"].sum()


def test_hub_never_draws_more_than_its_charge_points_and_arrivals_are_seeded(small_park):
    park = hub_park(small_park, chargers=5, charger_kw=50.0, arrivals_per_day=40.0, energy_mean_kwh=60.0)
    park["run"]["hours"] = 24 * 7
    a, b = run_hub(park)[0], run_hub(park)[0]
    for x, y in zip(a.sessions, b.sessions):
        np.testing.assert_array_equal(x, y)
    _, ledger, _ = run_hub(park)
    draw = -ledger.columns["hub.electricity_mwh"]
    assert draw.max() <= 5 * 0.050 + ENERGY_TOLERANCE_MWH
    assert ledger.columns["hub.refused"].sum() > 0          # 40 vehicles a day for 5 points
    park["park"]["components"]["other"] = {"type": "ev_charging", "chargers": 2, "charger_kw": 7.0, "arrivals_per_day": 9.0}
    c = run_hub(park)[0]
    for x, y in zip(a.sessions, c.sessions):
        np.testing.assert_array_equal(x, y)
