"""The one place that wires a run.

validated config -> weather and prices -> components -> ledger -> engine
-> accounting -> :class:`twin.core.results.Results`.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd

# Domain packages register their component types on import.
import twin.electric  # noqa: F401
import twin.hydrogen  # noqa: F401
import twin.industry  # noqa: F401
import twin.thermal  # noqa: F401
import twin.waste  # noqa: F401
from twin import carbon
from twin.config import ValidConfig, validate
from twin.core.carriers import Carrier
from twin.core.clock import HourClock
from twin.core.component import BuildContext
from twin.core.dispatch import MeritOrderDispatch
from twin.core.engine import Engine
from twin.core.errors import ConfigError
from twin.core.ledger import Ledger
from twin.core.results import Results
from twin.core.summary import energy_summary
from twin.electric.models import time_of_use_prices
from twin.hydrogen.summary import hydrogen_summary


def _weather(valid: ValidConfig, clock: HourClock) -> pd.DataFrame:
    from twin.weather import read_epw_weather, synthetic_weather

    site = valid.site
    if valid.weather.source == "epw":
        return read_epw_weather(valid.weather.path, clock.index)
    c = site.climate
    monthly = [c[f"t_{m}_c"] for m in ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")]
    return synthetic_weather(clock.index, site.latitude_deg, site.longitude_deg, site.altitude_m,
                             monthly_temp_c=monthly, diurnal_range_k=c["diurnal_range_k"],
                             wind_mean_m_per_s=c["wind_mean_m_per_s"], kt_mean=c["kt_mean"],
                             seed=valid.run.seed)


def _prices(valid: ValidConfig, clock: HourClock) -> dict[str, np.ndarray]:
    t = valid.tariff
    return {
        "electricity_import_cny_per_mwh": time_of_use_prices(
            clock.hour_of_day, clock.month, t.electricity_flat_cny_per_mwh, t.ratios, t.periods,
            t.critical_peak_months, t.critical_peak_hours, t.critical_peak_ratio),
        "electricity_export_cny_per_mwh": np.full(clock.hours, t.electricity_export_cny_per_mwh),
        "gas_cny_per_mwh": np.full(clock.hours, t.gas_cny_per_mwh),
    }


#: Network builders in the order they are solved each hour (DESIGN: heat ->
#: gas -> hydrogen -> power). Each is "module:function"; the function takes
#: (valid, ctx, components, ledger) and returns a NetworkSolver, or None when
#: the park has no such network.
NETWORK_BUILDERS: tuple[str, ...] = (
    "twin.thermal.network:build_heat_network",
    "twin.thermal.network:build_gas_network",
    "twin.hydrogen.network:build_hydrogen_network",
    "twin.electric.network:build_power_network",
)

#: Domain checks run by the validation pass: "module:function" taking a
#: ValidConfig and returning [(key, message), ...].
DOMAIN_CHECKS: tuple[str, ...] = (
    "twin.carbon:check_accounting",
    "twin.electric.layout:check_layout",
    "twin.thermal.layout:check_layouts",
    "twin.hydrogen.network:check_layout",
    "twin.industry:check_industry",
    "twin.waste:check_links",
)


def _load(ref: str):
    import importlib

    module, _, attr = ref.partition(":")
    return getattr(importlib.import_module(module), attr)


def build_networks(valid: ValidConfig, ctx, components, ledger) -> list:
    """Build the physical network solvers (only with run.networks=true)."""
    if not valid.run.networks:
        return []
    solvers = [_load(ref)(valid, ctx, components, ledger) for ref in NETWORK_BUILDERS]
    return [s for s in solvers if s is not None]


def build(valid: ValidConfig):
    """Build the clock, context, components and ledger of a validated config."""
    from twin.weather.sun import sun_position

    run = valid.run
    clock = HourClock.from_strings(run.start, run.hours, run.timezone)
    try:
        weather = _weather(valid, clock)
    except FileNotFoundError as err:
        raise ConfigError([("weather.path", str(err))]) from None
    site = valid.site
    ctx = BuildContext(clock=clock, weather=weather, latitude_deg=site.latitude_deg,
                       longitude_deg=site.longitude_deg, altitude_m=site.altitude_m, seed=run.seed,
                       prices=_prices(valid, clock),
                       sun=sun_position(clock.index, site.latitude_deg, site.longitude_deg, site.altitude_m))
    components = [spec.cls(spec.name, spec.params, ctx) for spec in valid.components]
    for comp in components:
        comp.connect(components)
    ledger = Ledger(clock.hours)
    for comp in components:
        comp.bind(ledger)
    used = {port.carrier for comp in components for port in comp.ports()}
    carriers = [c for c in Carrier if c in used]   # not the set: its order changes with the hash seed
    unserved = {c: ledger.add(f"park.unserved.{c.value}_mwh", carrier=c, kind="flow") for c in carriers}
    dumped = {c: ledger.add(f"park.dumped.{c.value}_mwh", carrier=c, kind="flow") for c in carriers}
    return clock, ctx, components, ledger, unserved, dumped


def run_valid(valid: ValidConfig) -> Results:
    """Simulate a validated config."""
    t_start = time.perf_counter()
    clock, ctx, components, ledger, unserved, dumped = build(valid)
    t_built = time.perf_counter()
    networks = build_networks(valid, ctx, components, ledger)
    dispatch = MeritOrderDispatch(components, unserved, dumped)
    observers = [c for c in components if hasattr(c, "after_settle")]
    engine = Engine(clock, components, dispatch, ledger, networks=networks, progress=valid.run.progress,
                    observers=observers)
    sim_s = engine.run()
    timeseries = ledger.frame(clock.index, extra={f"price.{n}": p for n, p in ctx.prices.items()})
    info = {c.name: c.describe() for c in components}
    acc = carbon.account(timeseries, info, valid.accounting)
    balance = {c.value: r for c, r in ledger.max_relative_residual.items()}
    summary = {
        "park": valid.park_name,
        "site": {"city": valid.site.city, "latitude_deg": valid.site.latitude_deg,
                 "longitude_deg": valid.site.longitude_deg},
        "run": {"start": str(clock.start), "hours": clock.hours, "networks": valid.run.networks,
                "seed": valid.run.seed},
        "components": info,
        "energy": energy_summary(timeseries, info),
        "cost_cny": float(sum(timeseries[f"{n}.cost_cny"].sum() for n in info if f"{n}.cost_cny" in timeseries)),
        "carbon": acc.summary,
        "indicators": acc.indicators.to_dict(orient="records"),
        "balance": balance,
        "hydrogen": hydrogen_summary(timeseries, info),
        "networks": {"solved": bool(networks), **{n.name: n.summary() for n in networks}},
        "runtime_s": {"build": t_built - t_start, "simulate": sim_s, "total": time.perf_counter() - t_start},
    }
    from twin.report import write_report

    return Results(timeseries=timeseries, summary=summary, carbon=acc.hourly, indicators=acc.indicators,
                   writers=[write_report])


def run_from_config(config) -> Results:
    """Validate a composed config and simulate it."""
    valid = validate(config, extra_checks=[_load(ref) for ref in DOMAIN_CHECKS])
    return run_valid(valid)


def simulate(config=None, overrides: list[str] | None = None, **kwargs) -> Results:
    """Run one park and return its :class:`~twin.core.results.Results`.

    Parameters
    ----------
    config : dict or omegaconf.DictConfig, optional
        A composed config. Without it, ``configs/config.yaml`` is composed
        with ``overrides`` (Hydra override strings like ``"run.hours=48"``).
    overrides : list of str, optional

    Examples
    --------
    >>> from twin import simulate
    >>> res = simulate(overrides=["run.hours=48"])       # doctest: +SKIP
    >>> res.summary["indicators"][0]["value"]            # doctest: +SKIP
    """
    if config is None:
        config = compose(overrides or [])
    return run_from_config(config)


def compose(overrides: list[str]):
    """Compose ``configs/config.yaml`` with Hydra overrides (no run folder)."""
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir

    from twin.config import register_configs

    register_configs()
    with initialize_config_dir(config_dir=str(config_dir()), version_base=None):
        return hydra_compose(config_name="config", overrides=list(overrides))


def config_dir() -> Path:
    """The project's ``configs/`` folder."""
    return Path(__file__).resolve().parent.parent / "configs"
