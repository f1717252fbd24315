"""Clean and combined heat sources: gas CHP, biomass boilers, solar thermal
collectors, geothermal doublets with heat pumps and industrial waste-heat
recovery."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np

from twin.core.carriers import Carrier
from twin.core.component import Converter, Source
from twin.core.errors import ConfigError
from twin.core.params import param
from twin.core.registry import register
from twin.thermal import models
from twin.thermal.components import _HeatConverter


@register("gas_chp")
class GasCHP(_HeatConverter):
    """Gas-engine combined heat and power, run heat-led.

    Sized on its heat output; power is a by-product at a fixed power-to-heat
    ratio. Fuel follows a Willans line (:func:`models.chp_fuel_factor`), so
    both efficiencies fall at part load; below ``min_load`` it stays off.
    """

    tags = ("fossil_fuel", "chp")

    @dataclass
    class Params:
        capacity_mw: float = param(unit="MW", ge=0, doc="heat output at full load")
        eta_el: float = param(0.42, gt=0, lt=1, doc="electrical efficiency at full load (LHV)")
        eta_th: float = param(0.45, gt=0, lt=1, doc="thermal efficiency at full load (LHV)")
        no_load_fuel_fraction: float = param(0.1, ge=0, lt=1, doc="Willans-line fuel at zero output / full-load fuel")
        min_load: float = param(0.5, ge=0, le=1, doc="lowest load fraction it runs at")
        priority: int = param(60, doc="merit order (lower first)")
        bus: Optional[str] = param(None, doc="electric bus it feeds")
        heat_junction: Optional[str] = param(None, doc="heat-network junction (null: the plant)")
        gas_junction: Optional[str] = param(None, doc="gas-network junction")

        def problems(self):
            if self.eta_el + self.eta_th > 0.98:
                return [("eta_th", f"eta_el + eta_th must be <= 0.98 on LHV (got {self.eta_el + self.eta_th:.3f})")]
            return []

    linear = False

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        self.inputs[Carrier.GAS] = np.full(self.hours, 1.0 / params.eta_th)
        self.by_products[Carrier.ELECTRICITY] = np.full(self.hours, params.eta_el / params.eta_th)
        self.min_output_mwh = params.min_load * params.capacity_mw
        self._fuel_full_mwh = params.capacity_mw / params.eta_th

    def input_energy(self, carrier, h, out_mwh):
        """Gas [MWh, LHV] for ``out_mwh`` of heat in hour ``h`` (Willans line)."""
        if out_mwh <= 0.0 or self.capacity_mw <= 0.0:
            return 0.0
        return self._fuel_full_mwh * float(models.chp_fuel_factor(out_mwh / self.capacity_mw,
                                                                  self.params.no_load_fuel_fraction))

    def describe(self):
        p = self.params
        return {**super().describe(), "eta_el": p.eta_el, "eta_th": p.eta_th}


@register("biomass_boiler")
class BiomassBoiler(_HeatConverter):
    """Boiler burning solid biomass (wood chips, straw pellets).

    The fuel is bought outside the park's carriers, so the component has no
    input port: its fuel is heat / efficiency (``describe()`` gives the
    efficiency). Its CO2 is biogenic: the ``biogenic`` tag lets carbon
    accounting report it apart from fossil CO2.
    """

    tags = ("biomass", "biogenic", "clean_heat")

    @dataclass
    class Params:
        capacity_mw: float = param(unit="MW", ge=0, doc="heat output")
        efficiency: float = param(0.85, gt=0, le=1, doc="heat out / biomass fuel in (LHV)")
        fuel: str = param("wood_chips", doc="fuel name for accounting")
        priority: int = param(40, doc="merit order (lower first)")
        heat_junction: Optional[str] = param(None, doc="heat-network junction (null: the plant)")

    def describe(self):
        p = self.params
        return {**super().describe(), "efficiency": p.efficiency, "fuel": p.fuel, "fuel_lhv_per_heat": 1.0 / p.efficiency}


@register("solar_thermal")
class SolarThermal(Source):
    """A field of solar thermal collectors feeding the heat network.

    Heat = aperture area x plane-of-array irradiance (pvlib, Hay-Davies) x
    the collector efficiency curve (ISO 9806) at the field's mean fluid
    temperature, less a fraction for piping losses. Must-take; a surplus is
    curtailed (the field goes to stagnation).
    """

    carrier = Carrier.HEAT
    tags = ("renewable", "solar", "solar_thermal", "clean_heat", "onsite")

    @dataclass
    class Params:
        area_m2: float = param(unit="m2", ge=0, doc="aperture area")
        tilt_deg: float = param(35.0, unit="deg", ge=0, le=90, doc="collector tilt")
        azimuth_deg: float = param(180.0, unit="deg", ge=0, le=360, doc="collector azimuth, 180 = south")
        eta0: float = param(0.75, gt=0, le=1, doc="optical efficiency")
        a1_w_per_m2k: float = param(3.5, unit="W/(m2 K)", ge=0, doc="linear heat-loss coefficient")
        a2_w_per_m2k2: float = param(0.015, unit="W/(m2 K2)", ge=0, doc="quadratic heat-loss coefficient")
        t_mean_c: float = param(65.0, unit="degC", doc="mean fluid temperature in the collectors")
        field_loss_fraction: float = param(0.05, ge=0, lt=1, doc="piping and shading losses of the field")
        albedo: float = param(0.2, ge=0, le=1, doc="ground reflectance")
        heat_junction: Optional[str] = param(None, doc="heat-network junction (null: the plant)")

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        import pvlib

        w, sun = ctx.weather, ctx.sun
        poa = pvlib.irradiance.get_total_irradiance(
            params.tilt_deg, params.azimuth_deg, sun["apparent_zenith"], sun["azimuth"],
            w["dni"], w["ghi"], w["dhi"], dni_extra=sun["dni_extra"], model="haydavies",
            albedo=params.albedo)["poa_global"].fillna(0.0).to_numpy()
        self.poa_w_per_m2 = np.clip(poa, 0.0, None)
        eta = models.solar_collector_efficiency(self.poa_w_per_m2, params.t_mean_c, w["temp_air"].to_numpy(),
                                                params.eta0, params.a1_w_per_m2k, params.a2_w_per_m2k2)
        self.available_mwh[:] = params.area_m2 * self.poa_w_per_m2 * eta * (1.0 - params.field_loss_fraction) / 1e6

    def describe(self):
        return {**super().describe(), "area_m2": self.params.area_m2}


@register("geothermal_heat_pump")
class GeothermalHeatPump(Converter):
    """A hydrothermal doublet at a fixed production temperature feeding a heat pump.

    The doublet gives Q_s = mdot cp (T_prod - T_reinj); the heat pump lifts
    it to the supply temperature, so its heat output is Q_s COP / (COP - 1)
    and it draws Q / COP of electricity, plus the well pumps.
    """

    output = Carrier.HEAT
    tags = ("geothermal", "heat_pump", "electric_heat", "clean_heat")

    @dataclass
    class Params:
        mdot_kg_per_s: float = param(unit="kg/s", ge=0, doc="production flow of the doublet")
        t_production_c: float = param(60.0, unit="degC", doc="production temperature")
        t_reinjection_c: float = param(15.0, unit="degC", doc="reinjection temperature")
        t_supply_c: float = param(80.0, unit="degC", doc="supply temperature of the heat pump")
        carnot_efficiency: float = param(0.45, gt=0, le=1, doc="fraction of the Carnot COP")
        well_pump_mw: float = param(0.3, unit="MW", ge=0, doc="electric power of the well pumps at full flow")
        priority: int = param(8, doc="merit order (lower first)")
        bus: Optional[str] = param(None, doc="electric bus")
        heat_junction: Optional[str] = param(None, doc="heat-network junction (null: the plant)")

        def problems(self):
            if self.t_reinjection_c >= self.t_production_c:
                return [("t_reinjection_c", f"must be below t_production_c ({self.t_production_c} degC)")]
            return []

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        p = params
        # Evaporator at the mean brine temperature between production and reinjection.
        t_source_k = 0.5 * (p.t_production_c + p.t_reinjection_c) + models.T_ZERO_C_K
        self.cop = float(models.heat_pump_cop(t_source_k, p.t_supply_c + models.T_ZERO_C_K, p.carnot_efficiency))
        q_source_mw = float(models.doublet_heat_mw(p.mdot_kg_per_s, p.t_production_c, p.t_reinjection_c))
        self.capacity_mw = q_source_mw * self.cop / (self.cop - 1.0) if self.cop > 1.0 else 0.0
        self.priority = p.priority
        self.max_output_mwh = np.full(self.hours, self.capacity_mw)
        per_unit = 1.0 / self.cop + (p.well_pump_mw / self.capacity_mw if self.capacity_mw > 0 else 0.0)
        self.inputs[Carrier.ELECTRICITY] = np.full(self.hours, per_unit)

    def describe(self):
        return {**super().describe(), "capacity_mw": self.capacity_mw, "cop": self.cop}


class _LiveLimit:
    """``max_output_mwh`` read from a stream when the dispatch asks for hour
    ``h``: agents fill their waste-heat streams during the run, before the
    hour is settled."""

    def __init__(self, unit: "WasteHeatRecovery"):
        self.unit = unit

    def __getitem__(self, h):
        return self.unit.max_output_at(h)

    def __len__(self):
        return self.unit.hours

    def __array__(self, dtype=None, copy=None):
        # what is known now, without asking the lines to post future hours
        return np.array([self.unit.max_output_at(h, flush=False) for h in range(self.unit.hours)], dtype=dtype)


@register("waste_heat_recovery")
class WasteHeatRecovery(Converter):
    """Recovers an industrial waste-heat stream into the heat network.

    ``stream_of`` names the component whose stream it takes: its
    ``waste_heat_mwh`` array (an industry agent fills it during the run) or,
    with ``stream: electricity``, its electricity demand (servers turn
    their power into low-temperature heat). ``mode: exchanger`` passes the
    heat through a heat exchanger (the stream must be hotter than the
    supply); ``mode: heat_pump`` lifts it, adding the compressor's work.
    """

    output = Carrier.HEAT
    tags = ("waste_heat", "clean_heat")

    @dataclass
    class Params:
        stream_of: str = param(doc="component whose waste heat is recovered")
        capacity_mw: float = param(unit="MW", ge=0, doc="largest heat output")
        stream: str = param("waste_heat", choices=("waste_heat", "electricity"),
                            doc="waste_heat: its waste_heat_mwh; electricity: its electricity demand")
        fraction: float = param(1.0, ge=0, le=1, doc="share of the stream that can be recovered")
        t_source_c: float = param(35.0, unit="degC", doc="temperature of the stream")
        mode: str = param("heat_pump", choices=("exchanger", "heat_pump"), doc="how the heat is delivered")
        t_supply_c: float = param(80.0, unit="degC", doc="supply temperature delivered")
        carnot_efficiency: float = param(0.5, gt=0, le=1, doc="fraction of the Carnot COP (heat_pump mode)")
        priority: int = param(5, doc="merit order (lower first)")
        bus: Optional[str] = param(None, doc="electric bus (heat_pump mode)")
        heat_junction: Optional[str] = param(None, doc="heat-network junction (null: the plant)")

        def problems(self):
            if self.mode == "exchanger" and self.t_source_c < self.t_supply_c + 5.0:
                return [("t_source_c", f"an exchanger needs a stream at least 5 K hotter than t_supply_c "
                                       f"({self.t_supply_c} degC), got {self.t_source_c} degC; use mode: heat_pump")]
            return []

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        p = params
        self.capacity_mw = p.capacity_mw
        self.priority = p.priority
        if p.mode == "heat_pump":
            self.cop = float(models.heat_pump_cop(p.t_source_c + models.T_ZERO_C_K, p.t_supply_c + models.T_ZERO_C_K,
                                                  p.carnot_efficiency))
            self.inputs[Carrier.ELECTRICITY] = np.full(self.hours, 1.0 / self.cop)
            self._output_per_stream = self.cop / (self.cop - 1.0)
        else:
            self.cop = None
            self._output_per_stream = 1.0
        self._stream = None
        self._line = None
        self._post = None   # the line's flush(t), if it posts hour by hour
        self.max_output_mwh = _LiveLimit(self)

    def connect(self, components) -> None:
        """Take the stream array of ``params.stream_of`` (by reference)."""
        p = self.params
        other = next((c for c in components if c.name == p.stream_of), None)
        key = f"park.components.{self.name}.stream_of"
        if other is None:
            raise ConfigError([(key, f"unknown component {p.stream_of!r}")])
        if p.stream == "electricity":
            stream = getattr(other, "demand_mwh", {}).get(Carrier.ELECTRICITY)
        else:
            stream = getattr(other, "waste_heat_mwh", None)
        if stream is None:
            raise ConfigError([(key, f"component {p.stream_of!r} has no {p.stream} stream "
                                     f"({'an electricity demand' if p.stream == 'electricity' else 'a waste_heat_mwh array'})")])
        self._stream = stream
        self._line = other
        self._post = getattr(other, "flush", None)

    def max_output_at(self, h: int, flush: bool = True) -> float:
        """Heat it can deliver in hour ``h`` [MWh] (asked when hour ``h`` is settled)."""
        if self._stream is None:
            return 0.0
        if flush and self._post is not None:  # an industry line posts its hour when asked (idempotent)
            self._post(h + 1)
        heat = self.params.fraction * self._stream.item(h) * self._output_per_stream
        return heat if heat < self.capacity_mw else self.capacity_mw   # min(capacity, heat); asked every hour

    def describe(self):
        return {**super().describe(), "capacity_mw": self.capacity_mw, "mode": self.params.mode,
                "stream_of": self.params.stream_of}
