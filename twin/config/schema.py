"""Structured configs registered with Hydra's ConfigStore.

The YAML under ``configs/`` is merged onto these dataclasses, so types of
the fixed keys are checked by Hydra; the open parts (a park's components,
whose keys depend on their ``type``) are checked by
:func:`twin.config.validate.validate`. Defaults live here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional


@dataclass
class RunConfig:
    hours: int = 8760
    start: str = "2025-01-01 00:00"
    timezone: str = "Asia/Shanghai"
    #: true: solve the physical networks every hour; false: copperplate.
    networks: bool = False
    seed: int = 20250101
    progress: bool = True


@dataclass
class SiteConfig:
    #: City in twin/weather/sites.csv (climate normals for synthetic weather).
    city: str = "Tianjin"
    #: Overrides of the city's coordinates; null keeps the city's.
    latitude_deg: Optional[float] = None
    longitude_deg: Optional[float] = None
    altitude_m: Optional[float] = None


@dataclass
class ParkConfig:
    name: str = "unnamed park"
    description: str = ""
    site: SiteConfig = field(default_factory=SiteConfig)
    #: name -> {type: <registered type>, <parameters of that type>}
    components: dict[str, Any] = field(default_factory=dict)
    #: Network layouts by carrier ("electric", "heat", "gas", "hydrogen"),
    #: used when run.networks=true; each domain's network.py checks its own.
    networks: dict[str, Any] = field(default_factory=dict)


@dataclass
class WeatherConfig:
    #: "synthetic" (pvlib clear sky + seeded clouds) or "epw" (a file).
    source: str = "synthetic"
    #: EPW file for source=epw (absolute, or relative to the working directory).
    path: Optional[str] = None


@dataclass
class TariffConfig:
    name: str = "flat"
    #: Flat-period electricity price [CNY/MWh]; periods scale it.
    electricity_flat_cny_per_mwh: float = 650.0
    #: Period -> price multiplier of the flat price.
    ratios: dict[str, float] = field(default_factory=lambda: {"flat": 1.0})
    #: Period -> hours of the day (0-23) it covers; hours not listed are flat.
    periods: dict[str, list[int]] = field(default_factory=dict)
    #: Months (1-12) with a critical peak, hours, and multiplier of the peak price.
    critical_peak_months: list[int] = field(default_factory=list)
    critical_peak_hours: list[int] = field(default_factory=list)
    critical_peak_ratio: float = 1.2
    #: Price paid for exported electricity [CNY/MWh].
    electricity_export_cny_per_mwh: float = 300.0
    #: Natural gas price on a lower-heating-value basis [CNY/MWh].
    gas_cny_per_mwh: float = 330.0
    source: str = ""


@dataclass
class AccountingConfig:
    """How carbon and energy are counted; every choice and its source is in
    docs/accounting.md. A factor set is a file in configs/accounting/ that
    sets these keys (``accounting=NAME``)."""

    #: Label of the factor set (the file name in configs/accounting/).
    name: str = "park_method_2022"
    #: Which grid factor applies to non-green grid electricity:
    #: "fossil" | "residual" | "average" (see docs/accounting.md).
    grid_factor: str = "fossil"
    #: Data year of the grid electricity factors.
    grid_factor_year: int = 2022
    #: Province or grid region (an ``area`` of grid_electricity.csv) for a
    #: provincial factor; null uses the national value.
    province: Optional[str] = None
    #: Electricity to standard coal: "equivalent" (0.1229 kgce/kWh) or "equal" (coal burnt per kWh).
    electricity_tce_basis: str = "equivalent"
    #: Include industrial process CO2 in the core indicator.
    include_process_emissions: bool = True
    #: Count the production CO2 of hydrogen bought (Annex 4 names only
    #: received electricity and heat; false reports it apart).
    include_purchased_hydrogen: bool = False
    #: Deduct green electricity exported from the park's emissions.
    credit_green_export: bool = False
    #: Green certificates (GECs) bought for the run's horizon [MWh].
    green_certificates_mwh: float = 0.0
    #: Green power bought through green-power trades for the run's horizon [MWh].
    green_power_trade_mwh: float = 0.0
    #: "annual" or "hourly" matching of certificates and trades to grid imports.
    certificate_matching: str = "annual"
    #: Row of fuels.csv that the park's natural gas is.
    gas_fuel: str = "natural_gas"
    #: Count natural gas as clean energy in the clean-energy share (G1).
    gas_is_clean: bool = False
    #: Factor tables replacing the packaged ones: table name -> CSV path
    #: (standard_coal, fuels, grid_electricity, emission_factors, thresholds).
    tables: dict[str, str] = field(default_factory=dict)
    #: Values replacing resolved factors, e.g. grid_co2_t_per_mwh: 0.6.
    factors: dict[str, float] = field(default_factory=dict)
    #: Indicator thresholds replacing thresholds.csv values, by key.
    thresholds: dict[str, float] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class TwinConfig:
    run: RunConfig = field(default_factory=RunConfig)
    park: ParkConfig = field(default_factory=ParkConfig)
    weather: WeatherConfig = field(default_factory=WeatherConfig)
    tariff: TariffConfig = field(default_factory=TariffConfig)
    accounting: AccountingConfig = field(default_factory=AccountingConfig)


def register_configs() -> None:
    """Register the schema as ``twin_schema`` for ``configs/config.yaml``."""
    from hydra.core.config_store import ConfigStore

    ConfigStore.instance().store(name="twin_schema", node=TwinConfig)
