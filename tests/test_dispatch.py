"""Merit-order dispatch against hours worked by hand, and the balance audit."""

import numpy as np
import pandas as pd
import pytest

from twin.core.carriers import Carrier
from twin.core.clock import HourClock
from twin.core.component import BuildContext, Converter, Demand, Exchange, Source, Storage
from twin.core.dispatch import MeritOrderDispatch
from twin.core.errors import BalanceError
from twin.core.ledger import Ledger

E, H, G = Carrier.ELECTRICITY, Carrier.HEAT, Carrier.GAS
HOURS = 3


def _ctx():
    clock = HourClock.from_strings("2025-01-01", HOURS, "Asia/Shanghai")
    return BuildContext(clock=clock, weather=pd.DataFrame(index=clock.index), latitude_deg=39.0,
                        longitude_deg=117.0, altitude_m=0.0, seed=1)


class PV(Source):
    carrier = E

    def __init__(self, name, mwh):
        super().__init__(name, None, _ctx())
        self.available_mwh[:] = mwh


class Load(Demand):
    def __init__(self, name, carrier, mwh):
        super().__init__(name, None, _ctx())
        self.demand_mwh[carrier] = np.asarray(mwh, float)


class Battery(Storage):
    carrier = E

    def __init__(self, name):
        super().__init__(name, None, _ctx())
        self.e_max_mwh, self.e_min_mwh, self.e_init_mwh = 8.0, 0.0, 2.0
        self.p_charge_mw = self.p_discharge_mw = 4.0
        self.eta_charge = self.eta_discharge = 1.0
        self.standing_loss_per_h = 0.0


class Grid(Exchange):
    carrier = E

    def __init__(self, name, carrier=E, imp=3.0, exp=5.0):
        super().__init__(name, None, _ctx())
        self.carrier = carrier
        self.import_limit_mw, self.export_limit_mw = imp, exp
        self.import_price = np.full(HOURS, 100.0)
        self.export_price = np.full(HOURS, 40.0)


class HeatPump(Converter):
    output = H

    def __init__(self, name, cop, cap, priority=10):
        super().__init__(name, None, _ctx())
        self.inputs[E] = np.full(HOURS, 1.0 / cop)
        self.capacity_mw = cap
        self.max_output_mwh = np.full(HOURS, cap)
        self.priority = priority


class Boiler(Converter):
    output = H

    def __init__(self, name, eff, cap, fuel=G, priority=70, surplus_only=None):
        super().__init__(name, None, _ctx())
        self.inputs[fuel] = np.full(HOURS, 1.0 / eff)
        self.capacity_mw = cap
        self.max_output_mwh = np.full(HOURS, cap)
        self.priority = priority
        self.surplus_only = surplus_only


def _run(components):
    ledger = Ledger(HOURS)
    for c in components:
        c.bind(ledger)
    carriers = {p.carrier for c in components for p in c.ports()}
    unserved = {c: ledger.add(f"park.unserved.{c.value}_mwh", carrier=c, kind="flow") for c in carriers}
    dumped = {c: ledger.add(f"park.dumped.{c.value}_mwh", carrier=c, kind="flow") for c in carriers}
    dispatch = MeritOrderDispatch(components, unserved, dumped)
    for h in range(HOURS):
        dispatch.settle(h)
        ledger.audit(h)
    return ledger


def test_surplus_charges_then_exports_then_curtails_and_deficit_discharges_then_imports_then_is_unserved():
    pv, load, bat, grid = PV("pv", [10, 12, 0]), Load("load", E, [6, 2, 9]), Battery("bat"), Grid("grid")
    led = _run([pv, load, bat, grid])
    col = led.columns
    # hour 0: surplus 4 -> battery charges 4 (room 8 - 2 = 6)
    # hour 1: surplus 10 -> battery charges 2 (full at 8), export 5, curtail 3
    # hour 2: deficit 9 -> battery discharges 4, grid imports 3 (limit), 2 unserved
    np.testing.assert_allclose(col["bat.electricity_mwh"], [-4, -2, 4])
    np.testing.assert_allclose(col["bat.soc_mwh"], [6, 8, 4])
    np.testing.assert_allclose(col["grid.electricity_mwh"], [0, -5, 3])
    np.testing.assert_allclose(col["pv.curtailed_mwh"], [0, 3, 0])
    np.testing.assert_allclose(col["pv.electricity_mwh"], [10, 9, 0])
    np.testing.assert_allclose(col["load.unserved_electricity_mwh"], [0, 0, 2])
    np.testing.assert_allclose(col["load.electricity_mwh"], [-6, -2, -7])
    np.testing.assert_allclose(col["grid.cost_cny"], [0, -5 * 40.0, 3 * 100.0])


def test_heat_merit_order_heat_pump_first_then_power_to_heat_on_surplus_then_gas():
    pv = PV("pv", [5, 0, 0])
    heat = Load("heat", H, [10, 10, 2])
    hp = HeatPump("hp", cop=4.0, cap=4.0)
    eb = Boiler("eb", eff=1.0, cap=3.0, fuel=E, priority=20, surplus_only=E)
    gb = Boiler("gb", eff=0.8, cap=20.0)
    grid, gas = Grid("grid", imp=100.0), Grid("gas", carrier=G, imp=100.0, exp=0.0)
    led = _run([pv, heat, hp, eb, gb, grid, gas])
    col = led.columns
    # hour 0: hp 4 heat (1 MWh el); PV surplus 5 - 1 = 4 -> e-boiler 3 (cap); gas boiler 3 heat = 3.75 gas
    np.testing.assert_allclose(col["hp.heat_mwh"], [4, 4, 2])
    np.testing.assert_allclose(col["hp.electricity_mwh"], [-1, -1, -0.5])
    np.testing.assert_allclose(col["eb.heat_mwh"], [3, 0, 0])
    np.testing.assert_allclose(col["gb.heat_mwh"], [3, 6, 0])
    np.testing.assert_allclose(col["gb.gas_mwh"], [-3.75, -7.5, 0])
    np.testing.assert_allclose(col["gas.gas_mwh"], [3.75, 7.5, 0])
    # electricity: pv 5 - hp 1 - eb 3 = 1 surplus exported (limit 5)
    np.testing.assert_allclose(col["grid.electricity_mwh"], [-1, 1, 0.5])


def test_audit_stops_on_an_injected_imbalance_naming_hour_and_carrier():
    pv, load, grid = PV("pv", [1, 1, 1]), Load("load", E, [2, 2, 2]), Grid("grid", imp=10)
    ledger = Ledger(HOURS)
    for c in (pv, load, grid):
        c.bind(ledger)
    dispatch = MeritOrderDispatch([pv, load, grid], {E: ledger.add("u", E, "flow")}, {E: ledger.add("d", E, "flow")})
    dispatch.settle(0)
    ledger.audit(0)
    dispatch.settle(1)
    ledger.columns["load.electricity_mwh"][1] += 1e-6  # a component that mis-records 1 Wh
    with pytest.raises(BalanceError) as err:
        ledger.audit(1, label=lambda h: f"hour {h} label")
    assert err.value.hour == 1 and err.value.carrier == "electricity"
    assert err.value.residual_mwh == pytest.approx(1e-6)
    assert "hour 1 label" in str(err.value)
    # audited as a block (the engine checks a day at a time): the earliest open hour is named
    dispatch.settle(2)
    ledger.columns["pv.electricity_mwh"][2] += 1.0
    with pytest.raises(BalanceError) as err:
        ledger.audit(0, 2)
    assert err.value.hour == 1 and err.value.residual_mwh == pytest.approx(1e-6)
    ledger.columns["load.electricity_mwh"][1] -= 1e-6
    with pytest.raises(BalanceError) as err:
        ledger.audit(0, 2)
    assert err.value.hour == 2 and err.value.residual_mwh == pytest.approx(1.0)
    ledger.columns["pv.electricity_mwh"][2] -= 1.0
    ledger.audit(0, 2)   # closed again


def test_time_of_use_storage_charges_from_import_headroom_and_holds_outside_peak():
    # hour 0 valley: load 2, import limit 3 -> battery may only take 1 MWh from the grid
    # hour 1 flat (hold): load 2 -> grid imports 2, battery idle
    # hour 2 peak: load 2 -> battery discharges 2
    load, bat, grid = Load("load", E, [2, 2, 2]), Battery("bat"), Grid("grid", imp=3.0)
    bat.grid_charge = np.array([True, False, False])
    bat.hold = np.array([True, True, False])
    led = _run([load, bat, grid])
    col = led.columns
    np.testing.assert_allclose(col["bat.electricity_mwh"], [-1, 0, 2])
    np.testing.assert_allclose(col["grid.electricity_mwh"], [3, 2, 0])
    np.testing.assert_allclose(col["bat.soc_mwh"], [3, 3, 1])
    assert col["load.unserved_electricity_mwh"].sum() == 0.0


Y = Carrier.HYDROGEN


class Tank(Storage):
    carrier = Y

    def __init__(self, name, e_max=10.0, e_init=0.0, p=5.0):
        super().__init__(name, None, _ctx())
        self.e_max_mwh, self.e_min_mwh, self.e_init_mwh = e_max, 0.0, e_init
        self.p_charge_mw = self.p_discharge_mw = p
        self.eta_charge = self.eta_discharge = 1.0
        self.standing_loss_per_h = 0.0


class Electrolyser(Converter):
    output = Y

    def __init__(self, name, cap, per_unit=1.5, min_out=0.0):
        super().__init__(name, None, _ctx())
        self.inputs[E] = np.full(HOURS, per_unit)
        self.max_output_mwh = np.full(HOURS, cap)
        self.priority = 10
        self.surplus_only = E
        self.fill_storage = True
        self.min_output_mwh = min_out


class FuelCell(Converter):
    output = E

    def __init__(self, name, cap, eta=0.5):
        super().__init__(name, None, _ctx())
        self.inputs[Y] = np.full(HOURS, 1.0 / eta)
        self.max_output_mwh = np.full(HOURS, cap)
        self.priority = 80


def test_surplus_converter_fills_storage_and_a_late_draw_empties_it():
    # hour 0: PV 9 vs load 3 -> surplus 6 -> electrolyser makes 4 H2 (6 / 1.5), tank 4
    # hour 1: H2 demand 1 -> from tank; load 5, PV 0 -> fuel cell 1 el from 2 H2 drawn late; grid import limit 4
    # hour 2: load 2, fuel cell would need H2 but tank holds 1 -> fuel cell 0 (priority after grid? no: before)
    pv, load = PV("pv", [9, 0, 0]), Load("load", E, [3, 5, 5])
    h2_use = Load("h2_use", Y, [0, 1, 0])
    tank, ely, fc = Tank("tank"), Electrolyser("ely", cap=10.0), FuelCell("fc", cap=1.0)
    grid = Grid("grid", imp=4.0, exp=0.0)
    led = _run([pv, load, h2_use, tank, ely, fc, grid])
    col = led.columns
    np.testing.assert_allclose(col["ely.hydrogen_mwh"], [4, 0, 0])
    np.testing.assert_allclose(col["ely.electricity_mwh"], [-6, 0, 0])
    # hour 1: tank gives 1 to h2_use and 2 to the fuel cell -> 1 left; hour 2: fuel cell limited to 0.5 by the tank
    np.testing.assert_allclose(col["fc.electricity_mwh"], [0, 1, 0.5])
    np.testing.assert_allclose(col["fc.hydrogen_mwh"], [0, -2, -1])
    np.testing.assert_allclose(col["tank.soc_mwh"], [4, 1, 0])
    np.testing.assert_allclose(col["grid.electricity_mwh"], [0, 4, 4])
    np.testing.assert_allclose(col["load.unserved_electricity_mwh"], [0, 0, 0.5])
    assert col["park.unserved.hydrogen_mwh"].sum() == 0.0


def test_part_load_curve_bounds_output_by_the_surplus_and_minimum_load_stops_it():
    class CurvedElectrolyser(Electrolyser):
        linear = False

        def input_energy(self, carrier, h, out):
            # specific input rises at part load: 1.2 + 0.3 * (1 - load) per unit of output, load = out / 10
            return out * (1.2 + 0.3 * (1.0 - out / 10.0))

    pv, load = PV("pv", [6, 1.1, 0]), Load("load", E, [0, 0, 0])
    tank, ely = Tank("tank", e_max=100.0, p=50.0), CurvedElectrolyser("ely", cap=10.0, min_out=1.0)
    led = _run([pv, load, tank, ely, Grid("grid", imp=0.0, exp=100.0)])
    out = led.columns["ely.hydrogen_mwh"]
    # hour 0: solve out * (1.5 - 0.03 out) = 6 -> out = 4.5284 (the smaller root)
    expected = (1.5 - np.sqrt(1.5 ** 2 - 4 * 0.03 * 6)) / (2 * 0.03)
    assert out[0] == pytest.approx(expected, rel=1e-9)
    # hour 1: 1.1 MWh would make 0.75 < minimum 1.0 -> off; the surplus is exported
    assert out[1] == 0.0
    np.testing.assert_allclose(led.columns["grid.electricity_mwh"][:2], [0, -1.1], atol=1e-9)


def test_a_converter_that_inverts_its_curve_fits_the_budget_exactly_without_bisection():
    class InvertingElectrolyser(Electrolyser):
        linear = False
        inversions = 0

        def input_energy(self, carrier, h, out):
            return out * (1.2 + 0.3 * (1.0 - out / 10.0))   # as above: 1.5 out - 0.03 out^2

        def output_for_input(self, carrier, h, e):
            InvertingElectrolyser.inversions += 1
            return (1.5 - np.sqrt(1.5 ** 2 - 4 * 0.03 * e)) / (2 * 0.03)

    pv, load = PV("pv", [6, 0, 0]), Load("load", E, [0, 0, 0])
    tank, ely = Tank("tank", e_max=100.0, p=50.0), InvertingElectrolyser("ely", cap=10.0)
    led = _run([pv, load, tank, ely, Grid("grid", imp=0.0, exp=100.0)])
    # the surplus of 6 MWh is drawn in full (bisection would stop within 1e-12 of it)
    assert led.columns["ely.electricity_mwh"][0] == pytest.approx(-6.0, rel=1e-15)
    assert led.columns["ely.hydrogen_mwh"][0] == pytest.approx((1.5 - np.sqrt(1.5 ** 2 - 0.72)) / 0.06, rel=1e-15)
    assert InvertingElectrolyser.inversions > 0
