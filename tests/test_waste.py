"""Waste and water agents: every tonne routed or stored, stockpiles never
negative, water balances, waste-to-energy by hand, stream recovery booked
back to the line, and links checked before the first hour."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from twin import simulate
from twin.core.errors import ConfigError
from twin.waste import models

#: Tolerance of tonnes and m3 balances summed over a run.
ABS = 1e-9


def _park(small_park, hours: int = 24 * 14, start: str = "2025-06-09 00:00", **components) -> dict:
    park = copy.deepcopy(small_park)
    park["run"].update(start=start, hours=hours)
    c = park["park"]["components"]
    c["grid"]["import_limit_mw"] = 1000.0
    c["gas"] = {"type": "gas_supply", "import_limit_mw": 1000.0}
    c["boiler"] = {"type": "gas_boiler", "capacity_mw": 500.0}
    c["town"] = {"type": "heat_load", "design_mw": 0.0, "base_mw": 30.0}
    c["auto"] = {"type": "industrial_process", "archetype": "automotive_assembly", "rated_output_per_h": 32}
    c["brew"] = {"type": "industrial_process", "archetype": "brewery", "rated_output_per_h": 320}
    c.update(copy.deepcopy(components))
    return park


def _waste_system(recycling_t_per_h=5.0, stock_t=None, wte_t_per_h=1.0):
    return {
        "yard": {"type": "waste_yard", "routes": {"recycling": 0.6, "wte": 0.3, "landfill": 0.1},
                 "collection_days": "mon-sat", "collection_times_h": [9.5, 15.0]},
        "recycling": {"type": "waste_route", "route": "recycling", "capacity_t_per_h": recycling_t_per_h,
                      "electricity_kwh_per_t": 40.0, "operating_hours": [[8, 18]], "working_days": "mon-fri",
                      "stock_capacity_t": stock_t},
        "landfill": {"type": "waste_route", "route": "landfill", "capacity_t_per_h": 50.0},
        "wte": {"type": "waste_to_energy", "capacity_t_per_h": wte_t_per_h},
    }


def _balance(ts):
    gen = sum(ts[c] for c in ts.columns if c.endswith(".solid_waste_generated_t")).cumsum()
    out = sum(ts[c] for c in ts.columns if c.endswith(("solid_waste_utilised_t", "solid_waste_landfilled_t"))).cumsum()
    stock = sum(ts[c] for c in ts.columns if c.endswith(".stock_t"))
    return gen, out, stock


@pytest.mark.parametrize("recycling_t_per_h, stock_t", [(5.0, None), (0.5, 40.0)])
def test_every_tonne_is_routed_or_stored_and_no_stock_goes_negative(small_park, recycling_t_per_h, stock_t):
    ts = simulate(_park(small_park, **_waste_system(recycling_t_per_h, stock_t))).timeseries
    gen, out, stock = _balance(ts)
    assert gen.iloc[-1] > 100.0
    np.testing.assert_allclose(gen - out - stock, 0.0, atol=ABS)     # hour by hour
    for col in (c for c in ts.columns if c.endswith(("stock_t", "bins_t", "pile_t"))):
        assert ts[col].min() >= 0.0, col
    if stock_t is not None:
        # a full recycling stockpile holds the rest back in the yard, which grows
        assert ts["recycling.stock_t"].max() <= stock_t + ABS
        assert ts["yard.pile_t"].iloc[-1] > 0.0
    # collections only on collection days, at the collection hours
    hours = np.nonzero(ts["yard.collected_t"].to_numpy())[0] % 24
    assert set(hours) <= {9, 15}
    # recycling runs only in its hours, within its capacity, drawing 40 kWh/t
    rec = ts["recycling.solid_waste_utilised_t"]
    assert rec.max() <= recycling_t_per_h + ABS
    assert set(np.nonzero(rec.to_numpy())[0] % 24) <= set(range(8, 18))
    np.testing.assert_allclose(-ts["recycling.electricity_mwh"], rec * 0.040, rtol=1e-12)


def test_waste_to_energy_output_and_co2_by_hand(small_park):
    ts = simulate(_park(small_park, **_waste_system(wte_t_per_h=1.0))).timeseries
    burnt = ts["wte.solid_waste_utilised_t"].to_numpy()
    assert burnt.max() == pytest.approx(1.0) and burnt.sum() > 10.0
    # 1 t x 12 GJ/t = 3.333 MWh of fuel: 22 % net electricity, 45 % heat offered
    np.testing.assert_allclose(ts["wte.electricity_mwh"] + ts["wte.curtailed_mwh"], burnt * 12 / 3.6 * 0.22, rtol=1e-12)
    np.testing.assert_allclose(ts["wte.heat_offered_mwh"], burnt * 12 / 3.6 * 0.45, rtol=1e-12)
    # 0.30 t C/t x 44/12 = 1.1 tCO2/t: 60 % fossil (counted), 40 % biogenic (reported)
    np.testing.assert_allclose(ts["wte.combustion_co2_t"], burnt * 1.1 * 0.6, rtol=1e-12)
    np.testing.assert_allclose(ts["wte.biogenic_co2_t"], burnt * 1.1 * 0.4, rtol=1e-12)


def test_water_balances_close_for_the_plant_and_every_line(small_park):
    plant = {"type": "water_treatment", "capacity_m3_per_h": 40.0, "recovery_share": 0.7, "tank_m3": 300.0}
    ts = simulate(_park(small_park, water=plant)).timeseries
    tol = 1e-9
    # the plant: inflow = treated + bypass; discharged = bypass + (treated - reclaimed) + overflow
    np.testing.assert_allclose(ts["water.inflow_m3"], ts["water.treated_m3"] + ts["water.bypass_m3"], atol=tol)
    assert (ts["water.treated_m3"] <= 40.0 + tol).all()
    tank = ts["water.tank_m3"].to_numpy()
    prev = np.concatenate([[0.0], tank[:-1]])
    overflow = ts["water.discharged_m3"] - ts["water.bypass_m3"] - 0.3 * ts["water.treated_m3"]
    np.testing.assert_allclose(tank, prev - ts["water.delivered_m3"] + ts["water.reclaimed_m3"] - overflow, atol=1e-6)
    assert tank.min() >= -tol and tank.max() <= 300.0 + tol
    # inflow is the lines' wastewater; what it delivers is what they received
    np.testing.assert_allclose(ts["water.inflow_m3"], ts["auto.wastewater_m3"] + ts["brew.wastewater_m3"], rtol=1e-12)
    np.testing.assert_allclose(ts["water.delivered_m3"], ts["auto.water_reclaimed_m3"] + ts["brew.water_reclaimed_m3"],
                               rtol=1e-9, atol=tol)
    # each line: fresh + reclaimed = intake (3.5 m3/vehicle, 0.43 m3/hl), fresh never negative
    for n, per_unit, share in (("auto", 3.5, 0.6), ("brew", 0.43, 0.2)):
        intake = ts[f"{n}.water_fresh_m3"] + ts[f"{n}.water_reclaimed_m3"]
        assert ts[f"{n}.water_fresh_m3"].min() >= -tol
        internal = ts[f"{n}.water_reused_m3"] - ts[f"{n}.water_reclaimed_m3"]
        np.testing.assert_allclose(internal, intake * share / (1 - share), rtol=1e-9, atol=tol)
    out = ts["auto.product_output"].sum()
    assert (ts["auto.water_fresh_m3"] + ts["auto.water_reclaimed_m3"]).sum() == pytest.approx(3.5 * out, rel=1e-9)
    assert ts["water.delivered_m3"].sum() > 0.0


def test_water_hour_balances_by_hand():
    r = models.water_hour(tank_m3=50.0, tank_capacity_m3=60.0, need_m3=20.0, wastewater_m3=100.0,
                          capacity_m3_per_h=80.0, recovery_share=0.5)
    assert r["delivered_m3"] == 20.0 and r["treated_m3"] == 80.0 and r["bypass_m3"] == 20.0
    assert r["reclaimed_m3"] == 40.0 and r["tank_m3"] == 60.0 and r["overflow_m3"] == 10.0
    assert r["discharged_m3"] == pytest.approx(20.0 + 40.0 + 10.0)


def test_recovered_streams_are_booked_back_as_used(small_park):
    nh3 = {"type": "industrial_process", "archetype": "ammonia_from_hydrogen", "rated_output_per_h": 5,
           "breakdowns": False, "hydrogen_supply": "bought"}
    trt = {"type": "waste_pressure_recovery", "stream_of": "nh3", "capacity_mw": 0.05}
    purge = {"type": "waste_gas_recovery", "stream_of": "nh3", "capacity_mw": 5.0}
    whr = {"type": "waste_heat_power", "stream_of": "nh3", "capacity_mw": 0.5, "efficiency": 0.25}
    ts = simulate(_park(small_park, hours=48, nh3=nh3, trt=trt, purge=purge, whr=whr)).timeseries
    # pressure: 0.03 MWh/t x 0.8 recoverable x 5 t/h = 0.12 MWh/h; the expander (78 %) is capped at 0.05 MW
    np.testing.assert_allclose(ts["nh3.waste_pressure_available_mwh"], 0.12, rtol=1e-12)
    np.testing.assert_allclose(ts["trt.electricity_mwh"], 0.05, rtol=1e-12)
    np.testing.assert_allclose(ts["nh3.waste_pressure_used_mwh"], 0.05 / 0.78, rtol=1e-12)
    # heat: 0.75 x 0.7 x 5 = 2.625 MWh/h recoverable; the 0.5 MW steam cycle at 25 % uses 2 MWh/h of it
    np.testing.assert_allclose(ts["nh3.waste_heat_available_mwh"], 2.625, rtol=1e-12)
    np.testing.assert_allclose(ts["whr.electricity_mwh"], 0.5, rtol=1e-12)
    np.testing.assert_allclose(ts["nh3.waste_heat_used_mwh"], 2.0, rtol=1e-12)
    # gas: burnt by the boiler in full (0.1 x 0.9 x 5 = 0.45 MWh/h)
    np.testing.assert_allclose(ts["nh3.waste_gas_used_mwh"], ts["purge.gas_mwh"], rtol=1e-12)
    assert ts["purge.gas_mwh"].sum() == pytest.approx(0.45 * 48, rel=1e-12)
    for kind in ("heat", "pressure", "gas"):
        assert (ts[f"nh3.waste_{kind}_used_mwh"] <= ts[f"nh3.waste_{kind}_available_mwh"] + 1e-12).all()


def test_curtailed_recovery_is_not_booked_as_used(small_park):
    # the park's only gas user is the boiler and it is not needed: the purge gas is curtailed
    park = _park(small_park, hours=24,
                 nh3={"type": "industrial_process", "archetype": "ammonia_from_hydrogen", "rated_output_per_h": 5,
                      "breakdowns": False, "hydrogen_supply": "bought"},
                 purge={"type": "waste_gas_recovery", "stream_of": "nh3", "capacity_mw": 5.0})
    c = park["park"]["components"]
    del c["town"], c["auto"], c["brew"]
    ts = simulate(park).timeseries
    np.testing.assert_allclose(ts["purge.curtailed_mwh"], 0.45, rtol=1e-12)
    assert ts["nh3.waste_gas_used_mwh"].sum() == 0.0


def test_heat_network_recovery_unit_books_its_stream_back(small_park):
    from twin.core.registry import known_types

    if "waste_heat_recovery" not in known_types():
        pytest.skip("the heat network's waste_heat_recovery unit is not in this tree")
    nh3 = {"type": "industrial_process", "archetype": "ammonia_from_hydrogen", "rated_output_per_h": 5,
           "breakdowns": False, "hydrogen_supply": "bought"}
    heat = {"type": "waste_heat_recovery", "stream_of": "nh3", "mode": "exchanger", "t_source_c": 300,
            "t_supply_c": 80, "capacity_mw": 1.0}
    ts = simulate(_park(small_park, hours=24, nh3=nh3, nh3_heat=heat)).timeseries
    np.testing.assert_allclose(ts["nh3_heat.heat_mwh"], 1.0, rtol=1e-12)
    np.testing.assert_allclose(ts["nh3.waste_heat_used_mwh"], ts["nh3_heat.heat_mwh"], rtol=1e-12)


def test_waste_links_are_checked_before_the_first_hour(small_park):
    system = _waste_system()
    system["yard"]["routes"] = {"recycling": 0.6, "nowhere": 0.3, "town": 0.1}
    system["trt"] = {"type": "waste_pressure_recovery", "stream_of": "auto", "capacity_mw": 1.0}
    system["water"] = {"type": "water_treatment", "capacity_m3_per_h": 10.0, "sources": ["grid"]}
    with pytest.raises(ConfigError) as err:
        simulate(_park(small_park, **system))
    found = dict(err.value.problems)
    assert "park.components.yard.routes.nowhere" in found and "park.components.yard.routes.town" in found
    assert "no waste pressure stream" in found["park.components.trt.stream_of"]
    assert "park.components.water.sources[0]" in found
    system["yard"]["routes"] = {"recycling": 0.5, "landfill": 0.3}
    with pytest.raises(ConfigError, match=r"park.components.yard.routes: shares must sum to 1 \(got 0.8\)"):
        simulate(_park(small_park, **system))
