"""Heat and gas physics against reference values worked by hand, and the
clean-heat components against their balances."""

import numpy as np
import pandas as pd
import pytest

from twin.core.carriers import Carrier
from twin.core.clock import HourClock
from twin.core.component import BuildContext, Demand, Exchange, Source
from twin.core.dispatch import MeritOrderDispatch
from twin.core.ledger import Ledger
from twin.thermal import models as tm
from twin.thermal.cooling import AbsorptionChiller, CoolingLoad, ElectricChiller
from twin.thermal.sources import GasCHP, GeothermalHeatPump, SolarThermal, WasteHeatRecovery
from twin.thermal.storage import HeatStorage

#: Relative tolerance of values computed two ways in floating point.
REL = 1e-9
E, H, G, C = Carrier.ELECTRICITY, Carrier.HEAT, Carrier.GAS, Carrier.COOLING


def _ctx(hours=3, weather=None, sun=None, start="2025-01-01"):
    clock = HourClock.from_strings(start, hours, "Asia/Shanghai")
    w = weather if weather is not None else pd.DataFrame({"temp_air": np.full(hours, 5.0)}, clock.index)
    return BuildContext(clock=clock, weather=w, latitude_deg=39.1, longitude_deg=117.2, altitude_m=5.0, seed=1,
                        sun=sun)


class _Load(Demand):
    def __init__(self, name, carrier, mwh, ctx):
        super().__init__(name, None, ctx)
        self.demand_mwh[carrier] = np.asarray(mwh, float)


class _Supply(Exchange):
    def __init__(self, name, carrier, ctx, limit=1e3, export=0.0):
        super().__init__(name, None, ctx)
        self.carrier = carrier
        self.import_limit_mw, self.export_limit_mw = limit, export
        self.import_price = np.zeros(self.hours)
        self.export_price = np.zeros(self.hours)


class _Heat(Source):
    carrier = H

    def __init__(self, name, mwh, ctx):
        super().__init__(name, None, ctx)
        self.available_mwh[:] = mwh


def _run(components, hours):
    ledger = Ledger(hours)
    for c in components:
        c.bind(ledger)
    carriers = {p.carrier for c in components for p in c.ports()}
    unserved = {c: ledger.add(f"park.unserved.{c.value}_mwh", c, "flow") for c in carriers}
    dumped = {c: ledger.add(f"park.dumped.{c.value}_mwh", c, "flow") for c in carriers}
    dispatch = MeritOrderDispatch(components, unserved, dumped)
    for h in range(hours):
        dispatch.settle(h)
        ledger.audit(h)
    return ledger.columns


# -- pure functions ------------------------------------------------------------

def test_pipe_outlet_temperature_is_exponential_decay_towards_ground():
    # NTU = U pi D_o L / (cp mdot) = 1.0 * pi * 0.2 * 1000 / (4186 * 5) = 0.030019
    # T_out = 10 + 80 exp(-0.030019) = 87.634 degC
    t_out = tm.pipe_outlet_temperature(363.15, 283.15, 1.0, 0.2, 1000.0, 5.0, 4186.0)
    assert float(t_out) == pytest.approx(273.15 + 10.0 + 80.0 * np.exp(-np.pi * 200.0 / 20930.0), rel=REL)
    assert float(t_out) - 273.15 == pytest.approx(87.634, abs=1e-3)
    # no flow of heat without a temperature difference; no loss without a coefficient
    assert float(tm.pipe_outlet_temperature(283.15, 283.15, 1.0, 0.2, 1000.0, 5.0)) == pytest.approx(283.15)
    assert float(tm.pipe_outlet_temperature(363.15, 283.15, 0.0, 0.2, 1000.0, 5.0)) == pytest.approx(363.15)


def test_nikuradse_friction_factors_of_liquids_and_gases():
    # d/k = 2000: liquid 1/(2 log10(7420))^2 = 1/7.7408^2 = 0.016689; gas 1/(2 log10(2000) + 1.14)^2 = 1/7.7421^2 = 0.016683
    assert float(tm.nikuradse_friction_factor(0.1, 5e-5)) == pytest.approx(0.016689, rel=1e-4)
    assert float(tm.nikuradse_friction_factor(0.1, 5e-5, gas=True)) == pytest.approx(0.016683, rel=1e-4)


def test_gas_pipe_general_flow_equation_by_hand():
    # 0.5 kg/s through 2 km of 100 mm at 10 degC, Z = 1, lambda = 0.0166, rho_n = 0.733 kg/m3:
    # p_in^2 - p_out^2 = 0.0166 * 20000 * (0.5 / 0.0078540)^2 * 101325 * 283.15 / (0.733 * 273.15)
    #                  = 332 * 4052.8 * 143294 = 1.9281e11 Pa^2
    # p_out = 4 bar abs -> p_in = sqrt(1.6e11 + 1.9281e11) Pa = 5.9397 bar
    p_in = tm.gas_pipe_inlet_pressure_bar(4.0, 0.5, 2000.0, 0.1, 0.0166, 283.15, 0.733)
    assert p_in == pytest.approx(5.9397, abs=1e-4)


@pytest.mark.parametrize("x, f0, expected", [(1.0, 0.1, 1.0), (0.5, 0.1, 0.55), (0.5, 0.0, 0.5), (0.25, 0.2, 0.4)])
def test_chp_willans_line_fuel_factor(x, f0, expected):
    assert float(tm.chp_fuel_factor(x, f0)) == pytest.approx(expected, rel=REL)


def test_solar_collector_efficiency_curve_iso_9806():
    # eta = 0.75 - 3.5 * 50 / 800 - 0.015 * 50^2 / 800 = 0.484375
    assert float(tm.solar_collector_efficiency(800.0, 70.0, 20.0, 0.75, 3.5, 0.015)) == pytest.approx(0.484375, rel=REL)
    # no sun, or losses above the gain: zero, never negative
    np.testing.assert_array_equal(tm.solar_collector_efficiency([0.0, 50.0], 90.0, 0.0), [0.0, 0.0])


def test_chiller_cop_is_a_fraction_of_carnot():
    # 7 degC chilled water, 38 degC condensing: 0.5 * 280.15 / 31 = 4.5185
    assert float(tm.chiller_cop(280.15, 311.15, 0.5)) == pytest.approx(0.5 * 280.15 / 31.0, rel=REL)


def test_heating_curve_between_design_and_limit():
    t = tm.heating_curve_supply_c([-10.0, -7.0, 4.0, 15.0, 30.0], 90.0, 70.0, -7.0, 15.0)
    np.testing.assert_allclose(t, [90.0, 90.0, 80.0, 70.0, 70.0])


def test_pump_power_is_volume_flow_times_lift_over_efficiency():
    # 1 m3/s * 5 bar / 0.75 = 0.6667 MW
    assert float(tm.pump_electric_power_mw(1.0, 5.0, 0.75)) == pytest.approx(0.5e6 / 0.75 / 1e6, rel=REL)


def test_doublet_heat():
    # 60 kg/s * 4186 J/(kg K) * 47 K = 11.80 MW
    assert float(tm.doublet_heat_mw(60.0, 62.0, 15.0)) == pytest.approx(60 * 4186 * 47 / 1e6, rel=REL)


# -- components against balances ---------------------------------------------

def test_chp_full_and_part_load_efficiencies_and_minimum_load():
    ctx = _ctx(3)
    chp = GasCHP("chp", GasCHP.Params(capacity_mw=10.0, eta_el=0.40, eta_th=0.45, no_load_fuel_fraction=0.1,
                                      min_load=0.4), ctx)
    load = _Load("load", H, [10.0, 5.0, 3.0], ctx)
    backup = _Supply("heat_backup", H, ctx)
    backup.priority = 95
    gas, grid = _Supply("gas", G, ctx), _Supply("grid", E, ctx, export=100.0)
    col = _run([chp, load, backup, gas, grid], 3)
    np.testing.assert_allclose(col["chp.heat_mwh"], [10.0, 5.0, 0.0])
    fuel_full = 10.0 / 0.45
    # full load: gas = 10 / 0.45; half load: Willans line 0.1 + 0.9 * 0.5 = 0.55 of full-load fuel
    np.testing.assert_allclose(-col["chp.gas_mwh"], [fuel_full, 0.55 * fuel_full, 0.0], rtol=REL)
    # power at a fixed power-to-heat ratio: 10 * 0.40 / 0.45 and half of it
    np.testing.assert_allclose(col["chp.electricity_mwh"], [10 * 0.40 / 0.45, 5 * 0.40 / 0.45, 0.0], rtol=REL)
    eta_th_half = 5.0 / (0.55 * fuel_full)
    assert eta_th_half == pytest.approx(0.45 * 0.5 / 0.55, rel=REL)  # 0.409: part load costs efficiency
    # 3 MW is below the 4 MW minimum load: the backup covers it
    assert col["heat_backup.heat_mwh"][2] == pytest.approx(3.0)


def test_geothermal_doublet_capacity_and_cop():
    ctx = _ctx(1)
    geo = GeothermalHeatPump("geo", GeothermalHeatPump.Params(mdot_kg_per_s=60.0, t_production_c=62.0,
                                                              t_reinjection_c=15.0, t_supply_c=78.0,
                                                              carnot_efficiency=0.45, well_pump_mw=0.3), ctx)
    # evaporator at (62 + 15) / 2 = 38.5 degC; COP = 0.45 * 351.15 / 39.5 = 4.0004
    assert geo.cop == pytest.approx(0.45 * 351.15 / 39.5, rel=REL)
    q_source = 60 * 4186 * 47 / 1e6
    assert geo.capacity_mw == pytest.approx(q_source * geo.cop / (geo.cop - 1.0), rel=REL)
    # electricity per MWh of heat: 1/COP plus the well pumps at full output
    assert geo.inputs[E][0] == pytest.approx(1 / geo.cop + 0.3 / geo.capacity_mw, rel=REL)


def test_heat_storage_cycle_conserves_energy_less_standing_losses():
    hours = 30
    ctx = _ctx(hours)
    solar = _Heat("solar", [12.0] * 5 + [0.0] * (hours - 5), ctx)
    load = _Load("load", H, [2.0] * hours, ctx)
    tank = HeatStorage("tank", HeatStorage.Params(e_mwh=100.0, p_charge_mw=10.0, p_discharge_mw=10.0,
                                                  eta_charge=0.95, eta_discharge=0.95, standing_loss_per_day=0.02,
                                                  soc_init=0.0), ctx)
    backup = _Supply("backup", H, ctx)
    col = _run([solar, load, tank, backup], hours)
    flow, soc, losses = col["tank.heat_mwh"], col["tank.soc_mwh"], col["tank.losses_mwh"]
    charged, discharged = -flow[flow < 0].sum(), flow[flow > 0].sum()
    assert charged == pytest.approx(5 * 10.0)  # 12 - 2 = 10 MWh/h surplus, at the charging limit
    # what went in = what came out + what is left + every loss (conversion and standing)
    assert charged == pytest.approx(discharged + soc[-1] + losses.sum(), rel=1e-12)
    standing = soc.copy()
    standing[0] = 0.0
    hourly = tm.standing_loss_per_hour(0.02)
    assert losses.sum() > charged * (1 - 0.95) + discharged * (1 / 0.95 - 1)  # standing losses on top
    assert hourly == pytest.approx(1 - 0.98 ** (1 / 24), rel=REL)


def test_solar_thermal_field_output_with_pvlib_irradiance():
    idx = pd.date_range("2025-06-21 00:00", periods=2, freq="12h", tz="Asia/Shanghai")
    w = pd.DataFrame({"ghi": [0.0, 900.0], "dni": [0.0, 750.0], "dhi": [0.0, 150.0], "temp_air": [20.0, 30.0],
                      "wind_speed": [2.0, 2.0]}, idx)
    sun = pd.DataFrame({"apparent_zenith": [110.0, 16.0], "zenith": [110.0, 16.0], "azimuth": [0.0, 180.0],
                        "dni_extra": [1320.0, 1320.0]}, idx)
    clock = HourClock(start=idx[0], hours=2)
    ctx = BuildContext(clock=clock, weather=w, latitude_deg=39.1, longitude_deg=117.2, altitude_m=5.0, seed=1, sun=sun)
    field = SolarThermal("solar", SolarThermal.Params(area_m2=10000.0, tilt_deg=35.0, t_mean_c=60.0,
                                                      field_loss_fraction=0.05), ctx)
    assert field.available_mwh[0] == 0.0
    g = field.poa_w_per_m2[1]
    eta = float(tm.solar_collector_efficiency(g, 60.0, 30.0))
    assert field.available_mwh[1] == pytest.approx(10000.0 * g * eta * 0.95 / 1e6, rel=REL)
    assert 3.5 < field.available_mwh[1] < 7.0   # ~6 MW from 1 ha at noon in June


def test_waste_heat_recovery_takes_its_stream_by_reference():
    ctx = _ctx(3)
    servers = _Load("servers", E, [10.0, 10.0, 10.0], ctx)
    unit = WasteHeatRecovery("rec", WasteHeatRecovery.Params(stream_of="servers", stream="electricity", fraction=0.5,
                                                             t_source_c=35.0, mode="heat_pump", t_supply_c=75.0,
                                                             capacity_mw=8.0), ctx)
    unit.connect([servers, unit])
    servers.demand_mwh[E][1] = 2.0   # an agent changes the stream during the run
    cop = 0.5 * 348.15 / 40.0
    assert unit.cop == pytest.approx(cop, rel=REL)
    assert unit.max_output_mwh[0] == pytest.approx(min(8.0, 5.0 * cop / (cop - 1)), rel=REL)
    assert unit.max_output_mwh[1] == pytest.approx(1.0 * cop / (cop - 1), rel=REL)
    assert unit.inputs[E][0] == pytest.approx(1 / cop, rel=REL)


def test_absorption_chiller_draws_heat_and_electric_chiller_electricity():
    ctx = _ctx(2, weather=pd.DataFrame({"temp_air": [30.0, 30.0]},
                                       pd.date_range("2025-07-01", periods=2, freq="h", tz="Asia/Shanghai")),
               start="2025-07-01")
    cooling = CoolingLoad("cool", CoolingLoad.Params(design_mw=0.0, base_mw=6.0), ctx)
    absorption = AbsorptionChiller("abs", AbsorptionChiller.Params(capacity_mw=4.0, cop=0.7,
                                                                    aux_electricity_per_mwh=0.02), ctx)
    chiller = ElectricChiller("ch", ElectricChiller.Params(capacity_mw=10.0), ctx)
    heat, grid = _Supply("heat", H, ctx), _Supply("grid", E, ctx)
    col = _run([cooling, absorption, chiller, heat, grid], 2)
    np.testing.assert_allclose(col["abs.cooling_mwh"], [4.0, 4.0])
    np.testing.assert_allclose(col["abs.heat_mwh"], [-4.0 / 0.7] * 2, rtol=REL)
    np.testing.assert_allclose(col["ch.cooling_mwh"], [2.0, 2.0])
    cop = float(tm.chiller_cop(280.15, 311.15, 0.5))
    np.testing.assert_allclose(-col["ch.electricity_mwh"], [2.0 / cop] * 2, rtol=REL)
