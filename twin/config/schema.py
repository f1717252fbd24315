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
    #: Name of the factor set (a folder of CSV tables or a file in configs/accounting/).
    name: str = "park_method_2022"
    #: Which grid factor applies to non-green grid electricity:
    #: "fossil" | "residual" | "average" (see docs/accounting.md).
    grid_factor: str = "fossil"
    #: Year of the grid electricity factors.
    grid_factor_year: int = 2022
    #: Province for a provincial factor; null uses the national value.
    province: Optional[str] = None
    #: Electricity to standard coal: "equivalent" (0.1229 kgce/kWh) or "equal" (coal burnt per kWh).
    electricity_tce_basis: str = "equivalent"
    #: Include industrial process CO2 in the core indicator.
    include_process_emissions: bool = True
    #: Deduct green electricity exported from the park's emissions.
    credit_green_export: bool = False
    #: Green certificates / green-power trades bought [MWh per year].
    green_certificates_mwh: float = 0.0
    #: "annual" or "hourly" matching of certificates to grid imports.
    certificate_matching: str = "annual"
    #: Guiding-indicator thresholds (secondary sources; configurable).
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
