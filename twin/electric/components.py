"""Electric components of a park, built from config.

Each class is registered under the ``type`` name used in
``park.components.<name>.type``; its ``Params`` dataclass lists the keys,
units and defaults.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Optional

import numpy as np
import pandas as pd

from twin.core.carriers import Carrier
from twin.core.component import Demand, Exchange, Source, Storage
from twin.core.params import param
from twin.core.profiles import calendar_profile, scale_profile, shape_names
from twin.core.registry import register
from twin.electric import models


@lru_cache(maxsize=None)
def _power_curves() -> pd.DataFrame:
    with resources.files("twin.electric.data").joinpath("power_curves.csv").open() as f:
        return pd.read_csv(f, comment="#")


def power_curve_names() -> list[str]:
    return sorted(_power_curves()["curve"].unique())


@register("grid")
class GridConnection(Exchange):
    """The point of common coupling with the public grid."""

    carrier = Carrier.ELECTRICITY
    tags = ("grid",)

    @dataclass
    class Params:
        import_limit_mw: float = param(unit="MW", ge=0, doc="largest import")
        export_limit_mw: float = param(0.0, unit="MW", ge=0, doc="largest export")
        bus: Optional[str] = param(None, doc="network bus of the point of common coupling")
        priority: int = param(90, doc="merit order among suppliers (lower first)")

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        self.import_limit_mw = params.import_limit_mw
        self.export_limit_mw = params.export_limit_mw
        self.priority = params.priority
        self.import_price = ctx.prices["electricity_import_cny_per_mwh"]
        self.export_price = ctx.prices["electricity_export_cny_per_mwh"]

    def describe(self):
        return {**super().describe(), "import_limit_mw": self.import_limit_mw, "export_limit_mw": self.export_limit_mw}


@register("pv")
class PhotovoltaicPlant(Source):
    """A PV array with its inverters (rooftop or ground-mounted)."""

    carrier = Carrier.ELECTRICITY
    tags = ("renewable", "solar", "onsite")

    @dataclass
    class Params:
        capacity_mw: float = param(unit="MWp", ge=0, doc="DC nameplate at STC")
        dc_ac_ratio: float = param(1.2, gt=0, doc="DC nameplate / inverter AC limit")
        tilt_deg: float = param(25.0, unit="deg", ge=0, le=90, doc="array tilt")
        azimuth_deg: float = param(180.0, unit="deg", ge=0, le=360, doc="array azimuth, 180 = south")
        mounting: str = param("ground", choices=("ground", "rooftop"), doc="sets the cell-temperature model")
        gamma_pdc_per_k: float = param(-0.0035, unit="1/K", doc="power temperature coefficient")
        dc_loss_fraction: float = param(0.10, ge=0, lt=1, doc="soiling, mismatch and wiring losses")
        inverter_efficiency: float = param(0.96, gt=0, le=1, doc="nominal inverter efficiency")
        albedo: float = param(0.2, ge=0, le=1, doc="ground reflectance")
        bus: Optional[str] = param(None, doc="network bus")

    #: Faiman (u0, u1) by mounting: open-rack and close-roof values.
    FAIMAN = {"ground": (25.0, 6.84), "rooftop": (20.0, 3.0)}

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        w, sun = ctx.weather, ctx.sun
        u0, u1 = self.FAIMAN[params.mounting]
        self.available_mwh[:] = models.pv_ac_power_mw(
            w["ghi"], w["dni"], w["dhi"], w["temp_air"], w["wind_speed"],
            sun["apparent_zenith"], sun["zenith"], sun["azimuth"], sun["dni_extra"],
            capacity_dc_mw=params.capacity_mw, inverter_ac_mw=params.capacity_mw / params.dc_ac_ratio,
            tilt_deg=params.tilt_deg, surface_azimuth_deg=params.azimuth_deg,
            gamma_pdc_per_k=params.gamma_pdc_per_k, albedo=params.albedo,
            dc_loss_fraction=params.dc_loss_fraction, inverter_efficiency=params.inverter_efficiency,
            u0=u0, u1=u1)

    def describe(self):
        return {**super().describe(), "capacity_mw": self.params.capacity_mw, "mounting": self.params.mounting}


@register("wind")
class WindFarm(Source):
    """Wind turbines read off a normalised power curve at hub height."""

    carrier = Carrier.ELECTRICITY
    tags = ("renewable", "wind", "onsite")

    @dataclass
    class Params:
        capacity_mw: float = param(unit="MW", ge=0, doc="rated power of the farm")
        hub_height_m: float = param(100.0, unit="m", gt=0, doc="hub height")
        shear_exponent: float = param(0.14, ge=0, le=0.6, doc="power-law wind shear exponent")
        curve: str = param("generic_iec_class_iii", doc="power curve name in electric/data/power_curves.csv")
        hub_mean_wind_m_per_s: Optional[float] = param(
            None, unit="m/s", gt=0, doc="annual mean hub-height speed from the site's wind assessment; "
            "scales the hourly series (null: shear up from the weather's 10 m speed)")
        availability: float = param(0.95, gt=0, le=1, doc="availability and wake losses as one factor")
        bus: Optional[str] = param(None, doc="network bus")

        def problems(self):
            if self.curve not in power_curve_names():
                return [("curve", f"unknown power curve {self.curve!r}; known: {power_curve_names()}")]
            return []

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        curve = _power_curves().query("curve == @params.curve").sort_values("wind_speed_m_per_s")
        v_hub = models.wind_speed_at_height(ctx.weather["wind_speed"].to_numpy(), params.hub_height_m,
                                            shear_exponent=params.shear_exponent)
        if params.hub_mean_wind_m_per_s is not None and v_hub.mean() > 0:
            # The weather station is rarely at the farm: keep its hour-to-hour
            # shape, take the level from the site assessment.
            v_hub = v_hub * (params.hub_mean_wind_m_per_s / v_hub.mean())
        rho = models.air_density_kg_per_m3(ctx.weather["temp_air"].to_numpy(), ctx.altitude_m)
        self.available_mwh[:] = params.availability * models.wind_power_mw(
            v_hub, rho, curve["wind_speed_m_per_s"].to_numpy(), curve["power_pu"].to_numpy(), params.capacity_mw)

    def describe(self):
        return {**super().describe(), "capacity_mw": self.params.capacity_mw}


@register("battery")
class Battery(Storage):
    """A stationary battery (LFP by default numbers)."""

    carrier = Carrier.ELECTRICITY
    tags = ("storage",)

    @dataclass
    class Params:
        e_mwh: float = param(unit="MWh", ge=0, doc="usable energy capacity")
        p_mw: float = param(unit="MW", ge=0, doc="charge and discharge power")
        round_trip_efficiency: float = param(0.88, gt=0, le=1, doc="AC round trip")
        soc_min: float = param(0.05, ge=0, le=1, doc="lowest state of charge")
        soc_max: float = param(0.95, ge=0, le=1, doc="highest state of charge")
        soc_init: float = param(0.5, ge=0, le=1, doc="state of charge at the start")
        self_discharge_per_day: float = param(0.001, ge=0, lt=1, unit="1/day", doc="standing loss")
        strategy: str = param("self_consumption", choices=("self_consumption", "time_of_use"),
                              doc="self_consumption: store on-site surplus only; time_of_use: also charge "
                                  "from the grid in valley hours and hold the charge for peak hours")
        priority: int = param(30, doc="merit order among suppliers (lower first)")
        bus: Optional[str] = param(None, doc="network bus")

        def problems(self):
            out = []
            if self.soc_min >= self.soc_max:
                out.append(("soc_min", f"must be below soc_max ({self.soc_max}) (got {self.soc_min})"))
            elif not self.soc_min <= self.soc_init <= self.soc_max:
                out.append(("soc_init", f"must be within [soc_min, soc_max] = [{self.soc_min}, {self.soc_max}] (got {self.soc_init})"))
            return out

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        self.e_max_mwh = params.e_mwh * params.soc_max
        self.e_min_mwh = params.e_mwh * params.soc_min
        self.e_init_mwh = params.e_mwh * params.soc_init
        self.p_charge_mw = self.p_discharge_mw = params.p_mw
        self.eta_charge = self.eta_discharge = models.storage_one_way_efficiency(params.round_trip_efficiency)
        self.standing_loss_per_h = models.standing_loss_per_hour(params.self_discharge_per_day)
        self.priority = params.priority
        if params.strategy == "time_of_use":
            price = ctx.prices["electricity_import_cny_per_mwh"]
            if price.max() - price.min() > 1e-9:
                # Charge from the grid in the cheapest hours; discharge only
                # when the price is above the median (the peak periods).
                self.grid_charge = price <= price.min() + 1e-9
                self.hold = price <= np.median(price)

    def describe(self):
        return {**super().describe(), "e_mwh": self.params.e_mwh, "p_mw": self.params.p_mw}


@dataclass
class ProfileParams:
    """Keys shared by loads given as a calendar shape or a measured CSV."""

    annual_mwh: Optional[float] = param(None, unit="MWh/a", ge=0, doc="annual energy (or give peak_mw)")
    peak_mw: Optional[float] = param(None, unit="MW", ge=0, doc="peak power (or give annual_mwh)")
    profile: str = param("flat", doc="a calendar shape name, or a CSV file with one value per hour")
    column: Optional[str] = param(None, doc="column of the CSV profile")
    working_days: str = param("mon-fri", choices=("mon-fri", "mon-sat", "all"), doc="days the shape treats as working days")
    noise_fraction: float = param(0.0, ge=0, le=0.5, doc="seeded hourly noise, std as a fraction of the value")
    bus: Optional[str] = param(None, doc="network bus")

    def problems(self):
        out = []
        if (self.annual_mwh is None) == (self.peak_mw is None):
            out.append(("annual_mwh", "give exactly one of annual_mwh and peak_mw"))
        if not self.profile.endswith(".csv") and self.profile not in shape_names():
            out.append(("profile", f"unknown shape {self.profile!r}; expected a CSV path or one of {shape_names()}"))
        elif self.profile.endswith(".csv"):
            import os

            if not os.path.isfile(self.profile):
                out.append(("profile", f"no such file: {os.path.abspath(self.profile)}"))
        return out


def profile_mwh(params: ProfileParams, ctx, rng: np.random.Generator) -> np.ndarray:
    """Hourly energy [MWh] of a load described by :class:`ProfileParams`."""
    if params.profile.endswith(".csv"):
        table = pd.read_csv(params.profile)
        values = table[params.column or table.columns[-1]].to_numpy(float)
        factors = np.resize(values, ctx.clock.hours)
        factors = factors / factors.max() if factors.max() > 0 else factors
    else:
        factors = calendar_profile(ctx.clock, params.profile, params.working_days)
    e = scale_profile(factors, params.annual_mwh, params.peak_mw)
    if params.noise_fraction > 0:
        e = e * np.clip(1.0 + params.noise_fraction * rng.standard_normal(len(e)), 0.0, None)
    return e


@register("electric_load")
class ElectricLoad(Demand):
    """An electric load from a calendar shape or a measured profile."""

    tags = ("load",)

    @dataclass
    class Params(ProfileParams):
        pass

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        self.demand_mwh[Carrier.ELECTRICITY] = profile_mwh(params, ctx, ctx.rng(name))


class DirectLineMixin:
    """An off-site plant that delivers over its own dedicated line (green-power
    direct supply), distinct from electricity bought from the grid.

    Its flow is what arrives at the park; ``available_mwh`` is the plant's
    output less the line's losses. In copperplate mode the line loses
    ``line_loss_fraction`` of what the plant sends; with ``run.networks=true``
    and its ``line`` in the layout, the power flow computes those losses and
    the component's ``bus`` is the plant's end of that line. Curtailment is
    counted at the park's end.
    """

    line_loss_fraction: float
    #: True once a network solver books the line's losses from the power flow.
    losses_from_network: bool = False

    def _apply_line_losses(self, params) -> None:
        self.line_loss_fraction = params.line_loss_fraction
        self.generated_mwh = self.available_mwh.copy()
        self.available_mwh *= 1.0 - params.line_loss_fraction

    def extra_columns(self):
        return ("curtailed_mwh", "line_losses_mwh")

    def after_settle(self, hour: int) -> None:
        """Copperplate: the line lost ``f / (1 - f)`` of what arrived."""
        if not self.losses_from_network:
            f = self.line_loss_fraction
            self.extras["line_losses_mwh"][hour] = self.flows[Carrier.ELECTRICITY].item(hour) * f / (1.0 - f)

    def describe(self):
        return {**super().describe(), "line_loss_fraction": self.params.line_loss_fraction,
                "line": self.params.line, "generated_mwh": float(self.generated_mwh.sum())}


@dataclass
class DirectLineParams:
    """Keys of the dedicated line, shared by the direct-supply plants."""

    line_loss_fraction: float = param(0.02, ge=0, lt=1, doc="share of what the plant sends that the dedicated "
                                      "line loses (copperplate; the power flow computes it when `line` is set)")
    line: Optional[str] = param(None, doc="the dedicated line in park.networks.electric.lines; `bus` is then "
                                "the plant's end of it")


@register("direct_wind")
class DirectWindFarm(DirectLineMixin, WindFarm):
    """An off-site wind farm supplying the park over a dedicated line."""

    tags = ("renewable", "wind", "direct_line")

    @dataclass
    class Params(DirectLineParams, WindFarm.Params):
        pass

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        self._apply_line_losses(params)


@register("direct_pv")
class DirectPhotovoltaicPlant(DirectLineMixin, PhotovoltaicPlant):
    """An off-site PV plant supplying the park over a dedicated line."""

    tags = ("renewable", "solar", "direct_line")

    @dataclass
    class Params(DirectLineParams, PhotovoltaicPlant.Params):
        pass

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        self._apply_line_losses(params)
