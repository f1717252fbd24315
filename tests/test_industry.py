"""Industrial agents: schedules and batches by hand, breakdowns on an exact
event log, demand response, hydrogen feedstock, and the archetype data."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest

from twin import simulate
from twin.core.errors import ConfigError
from twin.industry.archetypes import ArchetypeError, load_archetypes, parse_library
from twin.industry.models import comprehensive_energy_kgce, predicted_energy_mwh, production_windows

#: Relative tolerance of energies summed over a run (float sums of exact shares).
REL = 1e-9


def _park(small_park, start: str, hours: int, **components) -> dict:
    """The small park with a large grid, a gas-fired heat supply and ``components``."""
    park = copy.deepcopy(small_park)
    park["run"].update(start=start, hours=hours)
    c = park["park"]["components"]
    c["grid"]["import_limit_mw"] = 1000.0
    c["gas"] = {"type": "gas_supply", "import_limit_mw": 1000.0}
    c["boiler"] = {"type": "gas_boiler", "capacity_mw": 500.0}
    c.update(copy.deepcopy(components))
    return park


def _run_agent(park: dict, name: str):
    """Run a park and return (results, the built agent) to read the agent's event log."""
    from twin.config import validate
    from twin.core.dispatch import MeritOrderDispatch
    from twin.core.engine import Engine
    from twin.simulation import build

    valid = validate(park)
    clock, ctx, comps, ledger, unserved, dumped = build(valid)
    engine = Engine(clock, comps, MeritOrderDispatch(comps, unserved, dumped),
                    ledger, observers=[c for c in comps if hasattr(c, "after_settle")])
    engine.run()
    return ledger.frame(clock.index), next(c for c in comps if c.name == name)


# ----------------------------------------------------------------------
# Schedules and batches, by hand
# ----------------------------------------------------------------------

def test_one_week_of_automotive_assembly_gives_output_and_energy_worked_by_hand(small_park):
    # Monday 9 June 2025 (no holiday): 5 days x two shifts 07:30-15:30-23:30 = 80 h of production.
    line = {"type": "industrial_process", "archetype": "automotive_assembly", "rated_output_per_h": 32,
            "breakdowns": False}
    ts = simulate(_park(small_park, "2025-06-09 00:00", 168, auto=line)).timeseries
    assert ts["auto.running_h"].sum() == pytest.approx(80.0, rel=REL)
    assert ts["auto.product_output"].sum() == pytest.approx(32 * 80.0, rel=REL)
    # E = e R (b H + (1 - b) T_run): electricity 0.75 x 32 (0.30 x 168 + 0.70 x 80) = 2553.6 MWh,
    # heat 0.35 x 32 (0.5 x 168 + 0.5 x 80) = 1388.8 MWh, gas 0.45 x 32 (0.2 x 168 + 0.8 x 80) = 1405.44 MWh
    assert -ts["auto.electricity_mwh"].sum() == pytest.approx(2553.6, rel=REL)
    assert -ts["auto.heat_mwh"].sum() == pytest.approx(1388.8, rel=REL)
    assert -ts["auto.gas_mwh"].sum() == pytest.approx(1405.44, rel=REL)
    e = -ts["auto.electricity_mwh"].to_numpy()
    # Monday 07:00-08:00 holds half an hour of the shift: base 7.2 MW + 16.8 MW x 0.5
    assert e[7] == pytest.approx(7.2 + 16.8 * 0.5, rel=REL)
    assert e[8] == pytest.approx(24.0, rel=REL) and e[23] == pytest.approx(7.2 + 8.4, rel=REL)
    assert e[24 * 5 + 12] == pytest.approx(7.2, rel=REL)          # Saturday noon: base only
    # Waste and water follow output: 0.25 t and 3.5 m3 per vehicle
    assert ts["auto.solid_waste_generated_t"].sum() == pytest.approx(0.25 * 2560, rel=REL)
    water = ts["auto.water_fresh_m3"] + ts["auto.water_reclaimed_m3"]
    assert water.sum() == pytest.approx(3.5 * 2560, rel=REL)
    assert ts["auto.water_reused_m3"].sum() == pytest.approx(3.5 * 2560 * 0.6 / 0.4, rel=REL)


def test_public_holidays_and_maintenance_stop_production(small_park):
    # National Day 2025: 1-8 October are rest days; Mon 29 and Tue 30 September work.
    line = {"type": "industrial_process", "archetype": "automotive_assembly", "rated_output_per_h": 10,
            "breakdowns": False}
    ts = simulate(_park(small_park, "2025-09-29 00:00", 24 * 7, auto=line)).timeseries
    assert ts["auto.running_h"].sum() == pytest.approx(2 * 16.0, rel=REL)
    # maintenance days remove windows of a continuous plant
    from twin.core.clock import HourClock

    clock = HourClock.from_strings("2025-02-01 00:00", 24 * 10, "Asia/Shanghai")
    w = production_windows(clock, [[0, 24]], "all", [["02-03", "02-04"]])
    assert w == [(0.0, 48.0), (96.0, 240.0)]


def test_batches_hold_their_energy_for_their_real_duration(small_park):
    # Brewery, Monday 9 June: brews of 2.5 h with 0.5 h cleaning from 06:00 while they end by 22:00:
    # 06:00-08:30, 09:00-11:30, 12:00-14:30, 15:00-17:30, 18:00-20:30.
    line = {"type": "industrial_process", "archetype": "brewery", "rated_output_per_h": 320, "breakdowns": False}
    ts, agent = _run_agent(_park(small_park, "2025-06-09 00:00", 24, brew=line), "brew")
    starts = [t for ev, t in agent.log if ev == "batch_start"]
    ends = [t for ev, t in agent.log if ev == "batch_end"]
    assert starts == [6.0, 9.0, 12.0, 15.0, 18.0] and ends == [8.5, 11.5, 14.5, 17.5, 20.5]
    heat = -ts["brew.heat_mwh"].to_numpy()
    var = 0.85 * 0.0475 * 320           # MW of steam while brewing
    base = 0.15 * 0.0475 * 320
    expected = np.full(24, base)
    for s in starts:
        for h in range(int(s), int(s) + 3):
            expected[h] += var * (min(h + 1, s + 2.5) - max(h, s))
    np.testing.assert_allclose(heat, expected, rtol=REL)
    out = ts["brew.product_output"].to_numpy()
    assert out.sum() == pytest.approx(5 * 800.0) and set(np.nonzero(out)[0]) == {8, 11, 14, 17, 20}


def test_sub_hour_heats_credit_output_in_the_hour_they_end(small_park):
    # EAF heats of 45 min back to back from 00:00: ends at 0.75, 1.5, 2.25, 3.0 (the last belongs to hour 2)
    line = {"type": "industrial_process", "archetype": "eaf_steel", "rated_output_per_h": 100 / 0.75,
            "breakdowns": False}
    ts, agent = _run_agent(_park(small_park, "2025-06-09 00:00", 4, eaf=line), "eaf")
    assert [t for ev, t in agent.log if ev == "batch_end"][:4] == [0.75, 1.5, 2.25, 3.0]
    np.testing.assert_allclose(ts["eaf.product_output"].to_numpy()[:3], [100.0, 100.0, 200.0])
    # electricity: a full hour of melting every hour (heats follow each other without a gap); the
    # heat that could start at 3:45 would end after the horizon and is not started
    p = 0.45 * 100 / 0.75
    np.testing.assert_allclose(-ts["eaf.electricity_mwh"].to_numpy(), [p, p, p, 0.05 * p + 0.95 * p * 0.75], rtol=REL)


# ----------------------------------------------------------------------
# Breakdowns
# ----------------------------------------------------------------------

def test_an_outage_stops_production_and_its_energy_for_the_repair_time(small_park):
    line = {"type": "industrial_process", "archetype": "fine_chemicals", "rated_output_per_h": 10,
            "breakdowns": False, "hydrogen_supply": "bought", "outages": [["2025-06-10 10:20", 2.5]]}
    ts, agent = _run_agent(_park(small_park, "2025-06-10 00:00", 24, chem=line), "chem")
    assert agent.log == [("start", 0.0), ("outage", 10 + 1 / 3), ("outage_end", 12 + 5 / 6), ("stop", 24.0)]
    e = -ts["chem.electricity_mwh"].to_numpy()
    base, var = 0.3 * 1.5 * 10, 0.7 * 1.5 * 10
    assert e[9] == pytest.approx(base + var)
    assert e[10] == pytest.approx(base + var / 3, rel=REL)
    assert e[11] == pytest.approx(base, rel=REL)                  # nothing but the base load while repaired
    assert e[12] == pytest.approx(base + var / 6, rel=REL)
    out = ts["chem.product_output"].to_numpy()
    np.testing.assert_allclose(out[10:13], [10 / 3, 0.0, 10 / 6], rtol=REL)
    assert ts["chem.hydrogen_bought_mwh"].to_numpy()[11] == 0.0


def test_a_breakdown_pauses_a_batch_which_resumes_after_the_repair(small_park):
    line = {"type": "industrial_process", "archetype": "eaf_steel", "rated_output_per_h": 100 / 0.75,
            "breakdowns": False, "outages": [["2025-06-09 01:00", 1.0]]}
    ts, agent = _run_agent(_park(small_park, "2025-06-09 00:00", 4, eaf=line), "eaf")
    assert agent.log[:6] == [("batch_start", 0.0), ("batch_end", 0.75), ("batch_start", 0.75), ("outage", 1.0),
                             ("outage_end", 2.0), ("batch_end", 2.5)]
    np.testing.assert_allclose(ts["eaf.running_h"].to_numpy(), [1.0, 0.0, 1.0, 1.0])
    # heats end at 0.75, 2.5, 3.25 and 4.0 (the last two both in hour 3)
    np.testing.assert_allclose(ts["eaf.product_output"].to_numpy(), [100.0, 0.0, 100.0, 200.0])


def test_stochastic_breakdowns_stop_exactly_the_energy_of_their_repair_time(small_park):
    line = {"type": "industrial_process", "archetype": "eaf_steel", "rated_output_per_h": 100 / 0.75}
    ts, agent = _run_agent(_park(small_park, "2025-06-09 00:00", 24 * 14, eaf=line), "eaf")
    fails = [t for ev, t in agent.log if ev == "breakdown"]
    assert len(fails) >= 1
    # every hour: electricity = base + variable x the hour's producing time
    p = 0.45 * 100 / 0.75
    np.testing.assert_allclose(-ts["eaf.electricity_mwh"], 0.05 * p + 0.95 * p * ts["eaf.running_h"], rtol=REL)
    # producing time rebuilt from the event log alone: inside a batch and not broken
    in_batch, broken, t_last, producing = False, 0, 0.0, 0.0
    for ev, t in agent.log + [("end", 24.0 * 14)]:
        if in_batch and broken == 0:
            producing += t - t_last
        t_last = t
        in_batch = {"batch_start": True, "batch_end": False}.get(ev, in_batch)
        broken += {"breakdown": 1, "repaired": -1}.get(ev, 0)
    assert ts["eaf.running_h"].sum() == pytest.approx(producing, rel=REL)
    assert producing < 24 * 14 - 1.0        # the repairs took time


def test_same_seed_same_result_and_another_seed_another(small_park):
    line = {"type": "industrial_process", "archetype": "eaf_steel", "rated_output_per_h": 100 / 0.75,
            "demand_response": "shift_peak"}
    park = _park(small_park, "2025-06-09 00:00", 24 * 7, eaf=line)
    a = simulate(park).timeseries
    b = simulate(park).timeseries
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    park["run"]["seed"] = 8
    c = simulate(park).timeseries
    assert not np.array_equal(a["eaf.running_h"], c["eaf.running_h"])


# ----------------------------------------------------------------------
# Flexibility, hydrogen, efficiency levels
# ----------------------------------------------------------------------

def test_demand_response_moves_the_shiftable_share_out_of_peak_hours(small_park):
    park = _park(small_park, "2025-06-09 00:00", 48,
                 cells={"type": "industrial_process", "archetype": "ev_battery_cells", "rated_output_per_h": 2.0,
                        "breakdowns": False, "demand_response": "shift_peak"})
    park["tariff"] = {"name": "tou", "electricity_flat_cny_per_mwh": 650.0, "ratios": {"peak": 1.7, "flat": 1.0, "valley": 0.38},
                      "periods": {"peak": [8, 9, 10, 17, 18, 19, 20, 21], "valley": [23, 0, 1, 2, 3, 4, 5, 6]}}
    ts = simulate(park).timeseries
    e = -ts["cells.electricity_mwh"].to_numpy()
    full = 22.0 * 2.0                                   # 44 MW while running
    hod = np.arange(48) % 24
    peak = np.isin(hod, [8, 9, 10, 17, 18, 19, 20, 21])
    np.testing.assert_allclose(e[peak], full * 0.9, rtol=REL)          # 10 % moved out
    np.testing.assert_allclose(ts["cells.shifted_mwh"].to_numpy()[peak], full * 0.1, rtol=REL)
    assert ts["cells.shifted_mwh"].to_numpy()[~peak].sum() == 0.0
    # the 35.2 MWh moved on day 1 come back in the valley from 23:00 at up to 4.4 MWh/h
    rec = ts["cells.recovered_mwh"].to_numpy()
    assert rec[:23].sum() == 0.0 and rec[23] == pytest.approx(4.4, rel=REL)
    assert rec.sum() + ts["cells.shift_backlog_mwh"].to_numpy()[-1] == pytest.approx(ts["cells.shifted_mwh"].sum(), rel=REL)
    assert e.sum() == pytest.approx(full * 48 - ts["cells.shift_backlog_mwh"].to_numpy()[-1], rel=REL)


def test_hydrogen_feedstock_is_bought_and_reported_when_the_park_has_no_supply(small_park):
    line = {"type": "industrial_process", "archetype": "ammonia_from_hydrogen", "rated_output_per_h": 5,
            "breakdowns": False}
    res = simulate(_park(small_park, "2025-06-09 00:00", 24, nh3=line))
    ts, info = res.timeseries, res.summary["components"]["nh3"]
    assert info["hydrogen_supply"] == "bought" and "nh3.hydrogen_mwh" not in ts
    kg = 6.07 * 5 * 24 * 1000 / 33.33
    assert ts["nh3.hydrogen_bought_kg"].sum() == pytest.approx(kg, rel=REL)
    assert ts["nh3.purchased_hydrogen_co2_t"].sum() == pytest.approx(kg * 19.0 / 1000, rel=REL)
    assert ts["nh3.fuel_tce"].sum() == pytest.approx(6.07 * 5 * 24 * 3.6 / 29.3076, rel=REL)
    assert info["energy_limit_level2_kgce_per_unit"] == 1000.0 and info["energy_limit_standard"].startswith("GB 21344")


def test_hydrogen_feedstock_is_drawn_from_the_park_when_it_has_a_supply(small_park):
    line = {"type": "industrial_process", "archetype": "ammonia_from_hydrogen", "rated_output_per_h": 5,
            "breakdowns": False}
    trailers = {"type": "hydrogen_supply", "import_limit_kg_per_h": 2000}
    res = simulate(_park(small_park, "2025-06-09 00:00", 24, nh3=line, trailers=trailers))
    ts = res.timeseries
    assert res.summary["components"]["nh3"]["hydrogen_supply"] == "park"
    np.testing.assert_allclose(-ts["nh3.hydrogen_mwh"], 6.07 * 5, rtol=REL)
    assert "nh3.hydrogen_bought_kg" not in ts or ts["nh3.hydrogen_bought_kg"].sum() == 0.0
    park = _park(small_park, "2025-06-09 00:00", 24, nh3={**line, "hydrogen_supply": "park"})
    with pytest.raises(ConfigError, match="park.components.nh3.hydrogen_supply"):
        simulate(park)


@pytest.mark.parametrize("archetype, rated", [("automotive_assembly", 32.0), ("eaf_steel", 100 / 0.75),
                                              ("cement_clinker", 200.0)])
def test_advanced_level_saves_the_energy_the_archetype_data_predicts(small_park, archetype, rated):
    runs = {}
    for level in ("standard", "advanced"):
        line = {"type": "industrial_process", "archetype": archetype, "rated_output_per_h": rated,
                "breakdowns": False, "efficiency_level": level}
        res = simulate(_park(small_park, "2025-06-09 00:00", 168, line=line))
        runs[level] = res.timeseries
    arch = load_archetypes().archetypes[archetype]
    running = runs["standard"]["line.running_h"].sum()
    assert runs["advanced"]["line.running_h"].sum() == pytest.approx(running)
    assert runs["advanced"]["line.product_output"].sum() == pytest.approx(runs["standard"]["line.product_output"].sum())
    for key, std in arch.levels["standard"].energy_mwh_per_unit.items():
        adv = arch.levels["advanced"].energy_mwh_per_unit[key]
        b = arch.base_share.get(key, 0.0)
        predicted = predicted_energy_mwh(std - adv, b, rated, 168.0, running)
        col = "line.fuel_tce" if key == "coal" else f"line.{key}_mwh"
        scale = 3.6 / 29.3076 if key == "coal" else -1.0
        measured = (runs["standard"][col].sum() - runs["advanced"][col].sum()) * (1 / scale if key == "coal" else -1.0)
        assert measured == pytest.approx(predicted, rel=REL), key


# ----------------------------------------------------------------------
# The archetype data
# ----------------------------------------------------------------------

def test_archetype_library_is_complete_sourced_and_matches_the_national_limits():
    lib = load_archetypes()
    assert len(lib.archetypes) >= 8
    for a in lib.archetypes.values():
        assert a.product and a.product_unit
        std, adv = a.levels["standard"], a.levels["advanced"]
        assert adv.comprehensive_kgce_per_unit < std.comprehensive_kgce_per_unit, a.name
        # every number carries a source and a status (the loader refuses others)
        assert all(src in lib.sources and status for src, status in a.provenance.values())
    # levels of china_reference_data.md section 6 (transcription)
    lim = {n: a.energy_limit for n, a in lib.archetypes.items() if a.energy_limit}
    assert (lim["cement_clinker"].level1, lim["cement_clinker"].level2, lim["cement_clinker"].level3) == (100, 107, 117)
    assert (lim["eaf_steel"].level1, lim["eaf_steel"].level2, lim["eaf_steel"].level3) == (61, 64, 72)
    assert lim["ammonia_from_hydrogen"].level2 == 1000
    # standard clinker: 105 kgce/t coal + 56 kWh/t x 0.1229 = 111.9 kgce/t, between levels 2 and 3
    assert lib.archetypes["cement_clinker"].levels["standard"].comprehensive_kgce_per_unit == pytest.approx(
        105.0 + 56 * 0.1229, rel=1e-4)
    assert comprehensive_energy_kgce({"electricity": 1.0}) == pytest.approx(122.9)


def test_a_number_without_source_is_refused_with_its_path():
    raw = {"sources": {"s": {"citation": "x", "status": "press"}}, "defaults": {},
           "archetypes": {"a": {"description": "d", "product": "p", "product_unit": "t",
                                "levels": {"standard": {"electricity": {"value": 1.0}},
                                           "advanced": {"electricity": {"value": 1.0, "source": "s", "status": "press"}}}}}}
    with pytest.raises(ArchetypeError, match=r"archetypes\.a\.levels\.standard\.electricity\.source"):
        parse_library(raw)


def test_bad_industrial_parameters_are_refused_with_their_keys(small_park):
    park = _park(small_park, "2025-06-09 00:00", 24,
                 x={"type": "industrial_process", "archetype": "steelworks", "rated_output_per_h": 1.0},
                 y={"type": "industrial_process", "archetype": "brewery", "rated_output_per_h": -1.0,
                    "shifts": [[20, 50]], "outages": [["soon", 2]]})
    with pytest.raises(ConfigError) as err:
        simulate(park)
    keys = [k for k, _ in err.value.problems]
    assert "park.components.x.archetype" in keys and "park.components.y.rated_output_per_h" in keys
