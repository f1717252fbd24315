"""The hydrogen chain: reference values, storage limits, start delays, blending, balances."""

import copy

import numpy as np
import pytest

from twin import simulate
from twin.hydrogen import models

H2_PARK = {
    "run": {"hours": 24 * 14, "start": "2025-05-01 00:00", "timezone": "Asia/Shanghai", "seed": 3, "progress": False},
    "park": {
        "name": "hydrogen park",
        "site": {"city": "Tianjin"},
        "components": {
            "grid": {"type": "grid", "import_limit_mw": 100.0, "export_limit_mw": 0.0},
            "gas": {"type": "gas_supply", "import_limit_mw": 100.0},
            "pv": {"type": "pv", "capacity_mw": 150.0},
            "load": {"type": "electric_load", "peak_mw": 10.0, "profile": "flat"},
            "heat": {"type": "heat_load", "design_mw": 0.0, "base_mw": 20.0},
            "boiler": {"type": "gas_boiler", "capacity_mw": 40.0},
            "ely": {"type": "electrolyser", "capacity_mw": 40.0, "technology": "alkaline", "strategy": "surplus"},
            "tank": {"type": "h2_storage", "capacity_kg": 20000.0, "init_fraction": 0.5, "charge_kg_per_h": 500.0},
            "ammonia": {"type": "hydrogen_demand", "peak_kg_per_h": 60.0, "purpose": "feedstock"},
            "fc": {"type": "fuel_cell", "capacity_mw": 2.0},
            "station": {"type": "refuelling_station", "trucks_per_day": 10.0},
            "blend": {"type": "hydrogen_blending", "capacity_mw": 5.0, "blend_above_fraction": 0.6},
        },
    },
    "weather": {"source": "synthetic"},
    "tariff": {"name": "tou", "electricity_flat_cny_per_mwh": 600.0, "ratios": {"peak": 1.7, "flat": 1.0, "valley": 0.4},
               "periods": {"peak": [18, 19, 20], "valley": [0, 1, 2, 3, 4, 5]}},
    "accounting": {},
}


def _park(**changes):
    cfg = copy.deepcopy(H2_PARK)
    for name, body in changes.items():
        if body is None:
            cfg["park"]["components"].pop(name)
        else:
            cfg["park"]["components"].setdefault(name, {}).update(body)
    return cfg


def test_part_load_curve_at_stated_points():
    from twin.hydrogen.components import electrolyser_presets

    alk = electrolyser_presets()["alkaline"]
    spec = lambda load: float(models.specific_electricity_kwh_per_kg(load, alk["curve_load"], alk["curve_kwh_per_kg"]))
    assert spec(1.0) == 53.0 and spec(0.5) == 50.0 and spec(0.2) == 54.0
    assert spec(0.4) == pytest.approx(51.5 + (0.4 - 0.3) / 0.2 * (50.0 - 51.5))  # 50.75, linear between points


@pytest.mark.parametrize("technology", ["alkaline", "pem"])
def test_electrolyser_inverts_its_part_load_curve_at_every_load(technology):
    from twin.core.carriers import Carrier
    from twin.hydrogen.components import Electrolyser
    from twin.simulation import build
    from twin.config import validate

    cfg = _park(ely={"technology": technology})
    cfg["run"]["hours"] = 24
    ely = next(c for c in build(validate(cfg))[2] if isinstance(c, Electrolyser))
    outs = np.linspace(0.0, 1.2, 1201)[1:] * ely.rated_mwh   # below the curve, on every segment, above it
    ins = [ely.input_energy(Carrier.ELECTRICITY, 0, out) for out in outs]
    assert np.all(np.diff(ins) > 0)   # more hydrogen always takes more electricity: the inverse is unique
    back = [ely.output_for_input(Carrier.ELECTRICITY, 0, e) for e in ins]
    np.testing.assert_allclose(back, outs, rtol=1e-13)
    assert ely.output_for_input(Carrier.ELECTRICITY, 0, 0.0) == 0.0


def test_compression_work_and_blend_share_by_hand():
    # 2 stages 30 -> 200 bar, 303.15 K, eta 0.7: 2 * 1.41/0.41 * 4124.2 * 303.15 * ((200/30)^(0.41/2.82) - 1) / 0.7 J/kg
    r = (200 / 30) ** (0.41 / 2.82)
    expected = 2 * 1.41 / 0.41 * 4124.2 * 303.15 * (r - 1) / 0.7 / 3.6e6
    assert float(models.compression_work_kwh_per_kg(30, 200)) == pytest.approx(expected, rel=1e-12)
    assert float(models.blend_energy_share(0.10)) == pytest.approx(0.1 * 10.79 / (0.1 * 10.79 + 0.9 * 35.88))
    assert float(models.blend_volume_share(models.blend_energy_share(0.07))) == pytest.approx(0.07)


def test_chain_balances_over_a_year_and_respects_storage_and_blending_limits():
    cfg = _park()
    cfg["run"].update(hours=8760, start="2025-01-01 00:00")
    res = simulate(cfg)
    ts, s = res.timeseries, res.summary
    h2 = s["hydrogen"]
    assert h2["produced_kg"] > 0 and h2["used_kg"]["feedstock"] > 0
    assert abs(h2["balance_residual_kg"]) <= 1e-9 * h2["produced_kg"]
    level = ts["tank.level_kg"]
    assert level.min() >= 0.05 * 20000 - 1e-6 and level.max() <= 20000 + 1e-6
    # blending never above 10 % by volume of the hour's gas
    blend = ts["blend.gas_mwh"]
    gas_total = blend + ts["gas.gas_mwh"]
    share = np.divide(blend, gas_total, out=np.zeros(len(ts)), where=gas_total > 0)
    assert share.max() <= models.blend_energy_share(0.10) + 1e-12
    assert blend.sum() > 0
    # compressor electricity is drawn for what the tank takes in
    charged = -ts["tank.hydrogen_mwh"].clip(upper=0)
    comp = s["components"]["tank"]["compression_kwh_per_kg"]
    np.testing.assert_allclose(-ts["tank.electricity_mwh"], models.mwh_to_kg(charged) * comp / 1000, rtol=1e-12)
    assert max(s["balance"].values()) <= 1e-9


def test_cold_start_delay_shifts_production_into_the_next_hour():
    # Constant surplus from a big flat 'PV' is not available: use price strategy at night (valley hours 0-5).
    cfg = _park(pv=None, fc=None, station=None, blend=None,
                ely={"strategy": "price", "price_threshold_cny_per_mwh": 240.0}, tank={"charge_kg_per_h": 2000.0})
    cfg["run"]["hours"] = 24
    res = simulate(cfg)
    out = res.timeseries["ely.hydrogen_mwh"].to_numpy()
    rated = res.summary["components"]["ely"]["rated_kg_per_h"] * models.H2_LHV_KWH_PER_KG / 1000
    # valley 00:00-06:00; a cold start takes 1 h: hour 0 produces nothing, hours 1-5 at full load
    assert out[0] == 0.0
    np.testing.assert_allclose(out[1:6], rated, rtol=1e-9)
    assert out[6:].sum() == 0.0


def _run_components(cfg):
    """Run a config and return its components by name (to read agents' event logs)."""
    from twin.config import validate
    from twin.core.dispatch import MeritOrderDispatch
    from twin.core.engine import Engine
    from twin.simulation import build

    clock, ctx, comps, ledger, unserved, dumped = build(validate(cfg))
    Engine(clock, comps, MeritOrderDispatch(comps, unserved, dumped), ledger,
           observers=[c for c in comps if hasattr(c, "after_settle")]).run()
    return {c.name: c for c in comps}


def test_start_events_cold_then_warm_after_a_short_stop():
    cfg = _park(pv=None, fc=None, station=None, blend=None,
                ely={"strategy": "price", "price_threshold_cny_per_mwh": 240.0}, tank={"charge_kg_per_h": 2000.0})
    cfg["run"]["hours"] = 24
    cfg["tariff"]["periods"]["valley"] = [0, 1, 2, 5, 6]   # off 03:00-05:00 (2 h < 12 h): a warm restart
    comps = _run_components(cfg)
    ely = comps["ely"]
    warm = 0.083
    assert ely.events == [("cold start", 0.0), ("producing", 1.0), ("stop", 3.0),
                          ("warm start", 5.0), ("producing", pytest.approx(5.0 + warm)), ("stop", 7.0)]
    out = ely.flows[next(c for c in ely.flows if c.value == "hydrogen")]
    np.testing.assert_allclose(out[5] / out[6], 1 - warm, rtol=1e-9)


def test_refuelling_station_serves_trucks_and_records_unserved_fills_when_hydrogen_runs_out():
    plenty = simulate(_park(station={"trucks_per_day": 30.0}))
    ts = plenty.timeseries
    assert ts["station.fills_served"].sum() > 100 and ts["station.fills_unserved"].sum() == 0
    starved = _park(ely=None, ammonia=None, fc=None, blend=None,
                    tank={"init_fraction": 0.05}, station={"trucks_per_day": 30.0, "buffer_kg": 200.0})
    ts2 = simulate(starved).timeseries
    assert ts2["station.fills_unserved"].sum() > 0
    assert ts2["station.unserved_hydrogen_mwh"].sum() > 0


def test_every_kilogram_delivered_to_the_station_is_dispensed_or_in_its_buffer():
    # Its top-up was once asked for before the last hour's delivery was put
    # in the buffer, so deliveries overflowed a full buffer and vanished.
    ts = simulate(_park(station={"trucks_per_day": 30.0, "buffer_kg": 300.0, "refill_kg_per_h": 100.0})).timeseries
    delivered_kg = models.mwh_to_kg(-ts["station.hydrogen_mwh"].to_numpy())
    dispensed_kg = ts["station.dispensed_kg"].sum()   # booked in the hour a truck arrived, so compare totals
    stored_kg = ts["station.buffer_kg"].iloc[-1] - 300.0   # it starts full
    assert delivered_kg.sum() == pytest.approx(dispensed_kg + stored_kg, rel=1e-12)
    assert dispensed_kg > 1000.0 and ts["station.buffer_kg"].max() <= 300.0 + 1e-9


def test_tank_level_is_mirrored_in_a_simpy_container_and_blending_lowers_gas_energy_per_m3():
    cfg = _park()
    comps = _run_components(cfg)
    tank = comps["tank"]
    assert tank.container.capacity == 20000.0
    assert tank.container.level == pytest.approx(tank.extras["level_kg"][-1], abs=1e-6)
    res = simulate(cfg)
    b = res.summary["hydrogen"]["blending"]
    assert 0 < b["volume_share_max"] <= 0.10 + 1e-12
    # at 10 % hydrogen by volume the blend carries 0.1 * 10.79 + 0.9 * 35.88 = 33.37 MJ/m3
    assert b["blend_lhv_min_mj_per_m3"] >= 0.1 * 10.79 + 0.9 * 35.88 - 1e-9
    assert b["blend_lhv_min_mj_per_m3"] < 35.88
