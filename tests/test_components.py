"""Components against reference values: pvlib's own functions, Carnot COP, storage round trips."""

import numpy as np
import pandas as pd
import pvlib
import pytest

from twin.core.clock import HourClock
from twin.core.component import BuildContext
from twin.electric import models as em
from twin.electric.components import Battery, PhotovoltaicPlant, WindFarm
from twin.thermal import models as tm
from twin.thermal.components import HeatPump

REL = 1e-9


def _ctx(weather: pd.DataFrame, sun: pd.DataFrame | None = None) -> BuildContext:
    clock = HourClock(start=weather.index[0], hours=len(weather))
    return BuildContext(clock=clock, weather=weather, latitude_deg=39.1, longitude_deg=117.2, altitude_m=5.0,
                        seed=1, sun=sun)


def test_pv_output_for_a_known_irradiance_and_temperature_matches_pvlib_chain():
    # One hour, sun at 30 deg zenith due south; array 30 deg tilt facing south.
    idx = pd.date_range("2025-06-01 12:00", periods=1, freq="h", tz="Asia/Shanghai")
    w = pd.DataFrame({"ghi": [800.0], "dni": [700.0], "dhi": [193.8], "temp_air": [30.0], "wind_speed": [2.0]}, idx)
    sun = pd.DataFrame({"apparent_zenith": [30.0], "zenith": [30.0], "azimuth": [180.0], "dni_extra": [1330.0]}, idx)
    params = PhotovoltaicPlant.Params(capacity_mw=10.0, dc_ac_ratio=1.2, tilt_deg=30.0, mounting="ground")
    pv = PhotovoltaicPlant("pv", params, _ctx(w, sun))
    # The same chain written out with pvlib's functions:
    poa = pvlib.irradiance.get_total_irradiance(30, 180, 30.0, 180.0, 700.0, 800.0, 193.8, dni_extra=1330.0,
                                                model="haydavies", albedo=0.2)["poa_global"]
    t_cell = pvlib.temperature.faiman(poa, 30.0, 2.0, u0=25.0, u1=6.84)
    pdc = pvlib.pvsystem.pvwatts_dc(poa, t_cell, 10e6, -0.0035) * 0.9
    pac = pvlib.inverter.pvwatts(pdc, 10e6 / 1.2 / 0.96, eta_inv_nom=0.96)
    assert pv.available_mwh[0] == pytest.approx(float(np.ravel(pac)[0]) / 1e6, rel=REL)
    # Sanity by hand: POA about 940 W/m2 and a hot cell (~52 degC): about 7.8 MW DC -> ~7.5 MW AC.
    assert 7.0 < pv.available_mwh[0] < 8.0


def test_pv_inverter_clips_at_ac_limit():
    out = em.pv_ac_power_mw([1100.0], [900.0], [150.0], [0.0], [5.0], [20.0], [20.0], [180.0], [1360.0],
                            capacity_dc_mw=10.0, inverter_ac_mw=6.0, tilt_deg=20.0, surface_azimuth_deg=180.0)
    assert out[0] == pytest.approx(6.0, rel=1e-6)


def test_wind_power_curve_cut_in_rated_cut_out_and_density():
    curve_v = np.array([0.0, 3.0, 11.0, 25.0])
    curve_p = np.array([0.0, 0.0, 1.0, 1.0])
    rho = em.RHO_STANDARD_KG_PER_M3
    p = em.wind_power_mw([2.0, 7.0, 12.0, 26.0], rho, curve_v, curve_p, 100.0)
    np.testing.assert_allclose(p, [0.0, 50.0, 100.0, 0.0])
    # Thinner air reads the curve at a lower speed: v (0.9)^(1/3)
    thin = em.wind_power_mw([7.0], 0.9 * rho, curve_v, curve_p, 100.0)[0]
    assert thin == pytest.approx(100 * (7.0 * 0.9 ** (1 / 3) - 3.0) / 8.0)
    # Power law: 10 m -> 100 m with alpha 1/7 multiplies speed by 10^(1/7) = 1.389
    assert em.wind_speed_at_height(5.0, 100.0, 10.0, 1 / 7) == pytest.approx(5.0 * 10 ** (1 / 7))


def test_wind_farm_uses_air_density_from_temperature_and_altitude():
    idx = pd.date_range("2025-01-01", periods=2, freq="h", tz="Asia/Shanghai")
    w = pd.DataFrame({"wind_speed": [6.0, 6.0], "temp_air": [-10.0, 30.0]}, idx)
    farm = WindFarm("wind", WindFarm.Params(capacity_mw=50.0, hub_height_m=100.0), _ctx(w))
    assert farm.available_mwh[0] > farm.available_mwh[1] > 0  # cold air is denser


@pytest.mark.parametrize(
    "t_source_c, t_sink_c, eta, expected",
    [
        (7.0, 55.0, 0.45, 0.45 * 328.15 / 48.0),    # EN 14511 A7/W55 style point: 3.076
        (-7.0, 35.0, 0.45, 0.45 * 308.15 / 42.0),   # A-7/W35: 3.302
        (10.0, 70.0, 0.5, 0.5 * 343.15 / 60.0),     # ground 10 degC to 70 degC: 2.860
        (65.0, 70.0, 0.45, 0.45 * 343.15 / 10.0),   # lift below 10 K is held at 10 K
    ],
)
def test_heat_pump_cop_is_a_fraction_of_carnot(t_source_c, t_sink_c, eta, expected):
    cop = tm.heat_pump_cop(t_source_c + 273.15, t_sink_c + 273.15, eta, min_lift_k=10.0, cop_max=20.0)
    assert float(cop) == pytest.approx(expected, rel=REL)


def test_heat_pump_component_draws_one_over_cop_and_stops_in_deep_cold():
    idx = pd.date_range("2025-01-01", periods=2, freq="h", tz="Asia/Shanghai")
    w = pd.DataFrame({"temp_air": [7.0, -25.0]}, idx)
    hp = HeatPump("hp", HeatPump.Params(capacity_mw=5.0, t_supply_c=55.0), _ctx(w))
    assert hp.inputs[next(iter(hp.inputs))][0] == pytest.approx(48.0 / (0.45 * 328.15))
    np.testing.assert_allclose(hp.max_output_mwh, [5.0, 0.0])


def test_battery_round_trip_returns_rte_times_the_energy_charged():
    from twin.core.carriers import Carrier
    from twin.core.component import Demand, Source
    from twin.core.dispatch import MeritOrderDispatch
    from twin.core.ledger import Ledger

    idx = pd.date_range("2025-01-01", periods=3, freq="h", tz="Asia/Shanghai")
    ctx = _ctx(pd.DataFrame(index=idx))

    class Surplus(Source):
        carrier = Carrier.ELECTRICITY

    class Need(Demand):
        pass

    src, need = Surplus("src", None, ctx), Need("need", None, ctx)
    src.available_mwh[:] = [5.0, 0.0, 0.0]
    need.demand_mwh[Carrier.ELECTRICITY] = np.array([0.0, 3.0, 3.0])
    bat = Battery("bat", Battery.Params(e_mwh=10.0, p_mw=5.0, round_trip_efficiency=0.81, soc_min=0.0,
                                        soc_max=1.0, soc_init=0.0, self_discharge_per_day=0.0), ctx)
    ledger = Ledger(3)
    for c in (src, need, bat):
        c.bind(ledger)
    unserved = {Carrier.ELECTRICITY: ledger.add("park.unserved.electricity_mwh", Carrier.ELECTRICITY, "flow")}
    dispatch = MeritOrderDispatch([src, need, bat], unserved, {Carrier.ELECTRICITY: ledger.add("d", Carrier.ELECTRICITY, "flow")})
    for h in range(3):
        dispatch.settle(h)
        ledger.audit(h)
    flow = ledger.columns["bat.electricity_mwh"]
    charged = -flow[flow < 0].sum()
    returned = flow[flow > 0].sum()
    assert charged == pytest.approx(5.0)
    assert returned == pytest.approx(0.81 * 5.0)          # 3 MWh, then the 1.05 MWh left
    np.testing.assert_allclose(ledger.columns["bat.soc_mwh"], [4.5, 4.5 - 3 / 0.9, 0.0], atol=1e-12)
    assert ledger.columns["bat.losses_mwh"].sum() == pytest.approx(5.0 - 0.81 * 5.0)
    assert em.standing_loss_per_hour(0.24) == pytest.approx(1 - 0.76 ** (1 / 24))
