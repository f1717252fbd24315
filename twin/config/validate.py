"""One validation pass over a composed config: every problem, with its key.

Hydra checks the types of the fixed keys; this pass checks what Hydra
cannot see: component types and their parameters (units, bounds, unknown
keys), the site, the weather file, the calendar. It gathers all problems
and raises one :class:`twin.core.errors.ConfigError` listing them.
"""

from __future__ import annotations

import dataclasses
import os
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Callable

import pandas as pd

from twin.config.schema import AccountingConfig, RunConfig, TariffConfig, WeatherConfig
from twin.core.errors import ConfigError
from twin.core.registry import component_class, known_types

Problems = list[tuple[str, str]]


@dataclass
class ComponentSpec:
    """A validated component: its name, class and parameters."""

    name: str
    cls: type
    params: Any


@dataclass
class Site:
    city: str
    latitude_deg: float
    longitude_deg: float
    altitude_m: float
    climate: dict = field(default_factory=dict)


@dataclass
class ValidConfig:
    """Everything a run needs, checked; built by :func:`validate` only."""

    run: RunConfig
    park_name: str
    park_description: str
    site: Site
    components: list[ComponentSpec]
    networks: dict
    weather: WeatherConfig
    tariff: TariffConfig
    accounting: AccountingConfig
    raw: dict


def _plain(cfg) -> dict:
    """A composed Hydra config (or a dict) as plain Python containers."""
    try:
        from omegaconf import DictConfig, OmegaConf
    except ImportError:  # pragma: no cover - hydra is a dependency
        return dict(cfg)
    if isinstance(cfg, DictConfig):
        return OmegaConf.to_container(cfg, resolve=True)
    return cfg


def _type_ok(value, annotation) -> tuple[bool, Any, str]:
    """Check ``value`` against a field annotation; return (ok, coerced, expected)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(annotation)
        if value is None and type(None) in args:
            return True, None, ""
        inner = [a for a in args if a is not type(None)]
        return _type_ok(value, inner[0])
    if annotation in (float, "float"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False, value, "a number"
        return True, float(value), ""
    if annotation in (int, "int"):
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                return True, int(value), ""
            return False, value, "a whole number"
        return True, value, ""
    if annotation in (bool, "bool"):
        return (isinstance(value, bool), value, "true or false")
    if annotation in (str, "str"):
        return (isinstance(value, str), value, "a string")
    if origin is list or annotation is list:
        return (isinstance(value, (list, tuple)), list(value) if isinstance(value, (list, tuple)) else value, "a list")
    if origin is dict or annotation is dict:
        return (isinstance(value, dict), value, "a mapping")
    return True, value, ""


def _bounds(value, meta) -> str | None:
    unit = f" {meta['unit']}" if meta.get("unit") else ""
    if meta.get("choices") is not None and value not in meta["choices"]:
        return f"must be one of {list(meta['choices'])} (got {value!r})"
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    for name, op, text in (("ge", float.__ge__, ">="), ("gt", float.__gt__, ">"),
                           ("le", float.__le__, "<="), ("lt", float.__lt__, "<")):
        bound = meta.get(name)
        if bound is not None and not op(float(value), float(bound)):
            return f"must be {text} {bound}{unit} (got {value})"
    return None


def build_params(cls: type, mapping: dict, key: str) -> tuple[Any, Problems]:
    """Turn a config mapping into ``cls`` (a Params dataclass), collecting problems.

    Problems name the full key, e.g. ``park.components.pv_roof.capacity_mw``.
    """
    problems: Problems = []
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    for unknown in sorted(set(mapping) - set(fields)):
        problems.append((f"{key}.{unknown}", f"unknown key; expected one of: {', '.join(fields)}"))
    values = {}
    for name, f in fields.items():
        meta = f.metadata or {}
        unit = f" [{meta['unit']}]" if meta.get("unit") else ""
        if name not in mapping:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                problems.append((f"{key}.{name}", f"missing; expected {meta.get('doc') or name}{unit}"))
            continue
        ok, coerced, expected = _type_ok(mapping[name], hints[name])
        if not ok:
            problems.append((f"{key}.{name}", f"must be {expected}{unit} (got {mapping[name]!r})"))
            continue
        bad = _bounds(coerced, meta) if coerced is not None else None
        if bad:
            problems.append((f"{key}.{name}", bad))
            continue
        values[name] = coerced
    if problems:
        return None, problems
    params = cls(**values)
    check = getattr(params, "problems", None)
    if check is not None:
        problems += [(f"{key}.{name}", msg) for name, msg in check()]
    return params, problems


def _check_components(components: dict) -> tuple[list[ComponentSpec], Problems]:
    specs, problems = [], []
    if not components:
        problems.append(("park.components", "the park has no components; expected at least a grid connection and a load"))
    for name, body in (components or {}).items():
        key = f"park.components.{name}"
        if not isinstance(body, dict):
            problems.append((key, f"must be a mapping with a 'type' key (got {body!r})"))
            continue
        type_name = body.get("type")
        if type_name is None:
            problems.append((f"{key}.type", f"missing; expected one of: {', '.join(known_types())}"))
            continue
        try:
            cls = component_class(type_name)
        except KeyError:
            problems.append((f"{key}.type", f"unknown component type {type_name!r}; expected one of: {', '.join(known_types())}"))
            continue
        mapping = {k: v for k, v in body.items() if k != "type"}
        params, found = build_params(cls.Params, mapping, key)
        problems += found
        if params is not None and not found:
            specs.append(ComponentSpec(name=name, cls=cls, params=params))
    return specs, problems


def _check_run(run: dict) -> tuple[RunConfig | None, Problems]:
    cfg, problems = build_params(RunConfig, run, "run")
    if cfg is None:
        return None, problems
    if not isinstance(cfg.hours, int) or cfg.hours < 1:
        problems.append(("run.hours", f"must be a whole number >= 1 (got {cfg.hours!r})"))
    try:
        ts = pd.Timestamp(cfg.start)
        if pd.isna(ts):
            raise ValueError
    except (ValueError, TypeError):
        problems.append(("run.start", f"must be a date and time like '2025-01-01 00:00' (got {cfg.start!r})"))
    try:
        pd.Timestamp("2025-01-01").tz_localize(cfg.timezone)
    except Exception:
        problems.append(("run.timezone", f"must be an IANA time zone like 'Asia/Shanghai' (got {cfg.timezone!r})"))
    return cfg, problems


def _check_site(site: dict) -> tuple[Site | None, Problems]:
    from twin.weather import load_site

    problems: Problems = []
    city = site.get("city")
    try:
        climate = load_site(city)
    except ValueError as err:
        return None, [("park.site.city", str(err))]
    lat = site.get("latitude_deg") if site.get("latitude_deg") is not None else climate["latitude_deg"]
    lon = site.get("longitude_deg") if site.get("longitude_deg") is not None else climate["longitude_deg"]
    alt = site.get("altitude_m") if site.get("altitude_m") is not None else climate["altitude_m"]
    if not -90 <= lat <= 90:
        problems.append(("park.site.latitude_deg", f"must be within [-90, 90] deg (got {lat})"))
    if not -180 <= lon <= 180:
        problems.append(("park.site.longitude_deg", f"must be within [-180, 180] deg (got {lon})"))
    return Site(city=climate["city"], latitude_deg=float(lat), longitude_deg=float(lon), altitude_m=float(alt),
                climate=climate), problems


def _check_weather(weather: dict) -> tuple[WeatherConfig, Problems]:
    cfg, problems = build_params(WeatherConfig, weather, "weather")
    if cfg is None:
        return None, problems
    if cfg.source not in ("synthetic", "epw"):
        problems.append(("weather.source", f"must be 'synthetic' or 'epw' (got {cfg.source!r})"))
    elif cfg.source == "epw":
        if not cfg.path:
            problems.append(("weather.path", "missing; expected the path of an EPW file for weather.source=epw"))
        elif not os.path.isfile(cfg.path):
            problems.append(("weather.path", f"no such file: {os.path.abspath(cfg.path)} (expected an EPW weather file)"))
    return cfg, problems


def _check_tariff(tariff: dict) -> tuple[TariffConfig, Problems]:
    cfg, problems = build_params(TariffConfig, tariff, "tariff")
    if cfg is None:
        return None, problems
    for period, hours in cfg.periods.items():
        if period not in cfg.ratios:
            problems.append((f"tariff.periods.{period}", f"has no price ratio; expected a key tariff.ratios.{period}"))
        bad = [h for h in hours if not (isinstance(h, int) and 0 <= h <= 23)]
        if bad:
            problems.append((f"tariff.periods.{period}", f"hours must be whole numbers 0-23 (got {bad})"))
    if cfg.electricity_flat_cny_per_mwh < 0:
        problems.append(("tariff.electricity_flat_cny_per_mwh", f"must be >= 0 CNY/MWh (got {cfg.electricity_flat_cny_per_mwh})"))
    return cfg, problems


def validate(cfg, extra_checks: list[Callable[["ValidConfig"], Problems]] = ()) -> ValidConfig:
    """Check a composed config; return a :class:`ValidConfig` or raise one
    :class:`ConfigError` that lists every problem with its full key.

    ``extra_checks`` are domain checks (e.g. the accounting factor set) run
    on the assembled config; their problems join the same message.
    """
    raw = _plain(cfg)
    problems: Problems = []
    run, found = _check_run(raw.get("run", {}))
    problems += found
    park = raw.get("park", {}) or {}
    site, found = _check_site(park.get("site", {}) or {})
    problems += found
    specs, found = _check_components(park.get("components", {}))
    problems += found
    weather, found = _check_weather(raw.get("weather", {}) or {})
    problems += found
    tariff, found = _check_tariff(raw.get("tariff", {}) or {})
    problems += found
    accounting, found = build_params(AccountingConfig, raw.get("accounting", {}) or {}, "accounting")
    problems += found
    valid = ValidConfig(run=run, park_name=park.get("name", ""), park_description=park.get("description", ""),
                        site=site, components=specs, networks=park.get("networks", {}) or {}, weather=weather, tariff=tariff,
                        accounting=accounting, raw=raw)
    if not problems:
        for check in extra_checks:
            problems += check(valid)
    if problems:
        raise ConfigError(problems)
    return valid
