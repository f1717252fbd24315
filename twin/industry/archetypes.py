"""Archetypes of industrial processes, read from ``data/archetypes.yaml``.

The YAML is data with a source and a status for every number (its header
documents the units). :func:`load_archetypes` reads and checks it once and
returns frozen :class:`Archetype` objects; a user may point an agent at
their own file of the same shape (``archetypes_file``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from twin.industry.models import comprehensive_energy_kgce

#: Status legend of shared/data/china_reference_data.md plus our "assumed".
STATUSES = ("primary", "press", "transcription", "secondary", "unconfirmed", "assumed")
#: Carrier keys of an efficiency level (coal is a fuel the engine does not carry).
ENERGY_KEYS = ("electricity", "gas", "hydrogen", "coal")
HEAT_LEVELS = ("hot_water", "steam", "high_temperature")
STREAM_KINDS = ("heat", "cold", "pressure", "gas")
LEVELS = ("standard", "advanced")
MODES = ("continuous", "batch")
LEVEL_QUANTITIES = ("process_co2_t_per_unit", "solid_waste_t_per_unit", "water_intake_m3_per_unit",
                    "water_internal_reuse_share")


class ArchetypeError(ValueError):
    """An archetype file that does not follow the documented shape."""

    def __init__(self, path: str, problems: list[str]):
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))


@dataclass(frozen=True)
class Level:
    """One efficiency level: specific energy and resource use per product unit."""

    energy_mwh_per_unit: dict[str, float]       # electricity, heat (sum of levels), gas, hydrogen, coal
    heat_by_level: dict[str, float]
    process_co2_t_per_unit: float
    solid_waste_t_per_unit: float
    water_intake_m3_per_unit: float
    water_internal_reuse_share: float

    @property
    def comprehensive_kgce_per_unit(self) -> float:
        """Comprehensive energy at continuous rated output [kgce/unit] (GB/T 2589)."""
        return comprehensive_energy_kgce(self.energy_mwh_per_unit)


@dataclass(frozen=True)
class Stream:
    """A waste heat, cold, pressure or gas stream of a process."""

    name: str
    kind: str
    t_c: float
    mwh_per_unit: float
    recoverable_share: float

    @property
    def recoverable_mwh_per_unit(self) -> float:
        return self.mwh_per_unit * self.recoverable_share


@dataclass(frozen=True)
class EnergyLimit:
    """National energy-consumption limit of a product, levels 1-3 [kgce/unit]."""

    standard: str
    quantity: str
    level1: float
    level2: float
    level3: float
    status: str


@dataclass(frozen=True)
class Archetype:
    name: str
    description: str
    product: str
    product_unit: str
    mode: str
    shifts: list
    working_days: str
    maintenance: list
    base_share: dict[str, float]
    levels: dict[str, Level]
    wastewater_share: float
    streams: tuple[Stream, ...]
    shiftable_share: float
    interruptible_share: float
    mtbf_h: float
    mttr_h: float
    energy_limit: EnergyLimit | None
    output_profile: str | None = None
    batch_size: float = 0.0
    batch_duration_h: float = 0.0
    batch_changeover_h: float = 0.0
    #: "dotted.path" -> (source id, status) of every number
    provenance: dict[str, tuple[str, str]] = field(default_factory=dict)

    def stream_kinds(self) -> set[str]:
        return {s.kind for s in self.streams}


@dataclass(frozen=True)
class Library:
    """Archetypes, defaults and sources of one file."""

    path: str
    archetypes: dict[str, Archetype]
    defaults: dict[str, float]
    sources: dict[str, dict]


class _Reader:
    """Reads numbers ``{value, source, status}`` and collects every problem."""

    def __init__(self, sources: dict):
        self.sources = sources
        self.problems: list[str] = []
        self.provenance: dict[str, tuple[str, str]] = {}

    def number(self, entry, key: str, lo: float | None = None, hi: float | None = None) -> float:
        if not isinstance(entry, dict) or "value" not in entry:
            self.problems.append(f"{key}: expected {{value, source, status}}, got {entry!r}")
            return 0.0
        value, source, status = entry.get("value"), entry.get("source"), entry.get("status")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.problems.append(f"{key}.value: must be a number (got {value!r})")
            return 0.0
        if source not in self.sources:
            self.problems.append(f"{key}.source: {source!r} is not in sources ({', '.join(self.sources)})")
        if status not in STATUSES:
            self.problems.append(f"{key}.status: must be one of {list(STATUSES)} (got {status!r})")
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            self.problems.append(f"{key}.value: must be within [{lo}, {hi}] (got {value})")
        self.provenance[key] = (source, status)
        return float(value)


def _level(r: _Reader, body, key: str) -> Level:
    if not isinstance(body, dict):
        r.problems.append(f"{key}: missing")
        body = {}
    energy = {}
    for k in ENERGY_KEYS:
        if k in body:
            energy[k] = r.number(body[k], f"{key}.{k}", lo=0.0)
    heat = {}
    for lvl, entry in (body.get("heat") or {}).items():
        if lvl not in HEAT_LEVELS:
            r.problems.append(f"{key}.heat.{lvl}: unknown temperature level; expected one of {list(HEAT_LEVELS)}")
            continue
        heat[lvl] = r.number(entry, f"{key}.heat.{lvl}", lo=0.0)
    if heat:
        energy["heat"] = sum(heat.values())
    known = set(ENERGY_KEYS) | {"heat"} | set(LEVEL_QUANTITIES)
    for unknown in sorted(set(body) - known):
        r.problems.append(f"{key}.{unknown}: unknown key; expected one of {sorted(known)}")
    q = {name: r.number(body.get(name), f"{key}.{name}", lo=0.0,
                        hi=1.0 if name.endswith("share") else None) for name in LEVEL_QUANTITIES}
    if q["water_internal_reuse_share"] >= 1.0:
        r.problems.append(f"{key}.water_internal_reuse_share: must be below 1")
    return Level(energy_mwh_per_unit=energy, heat_by_level=heat, **q)


def _archetype(r: _Reader, name: str, a: dict) -> Archetype:
    key = f"archetypes.{name}"
    mode = a.get("mode", "continuous")
    if mode not in MODES:
        r.problems.append(f"{key}.mode: must be one of {list(MODES)} (got {mode!r})")
    sched = a.get("schedule") or {}
    levels = {lvl: _level(r, (a.get("levels") or {}).get(lvl), f"{key}.levels.{lvl}") for lvl in LEVELS}
    carriers = set().union(*(lv.energy_mwh_per_unit for lv in levels.values()))
    base = {}
    for c, entry in (a.get("base_share") or {}).items():
        if c not in carriers:
            r.problems.append(f"{key}.base_share.{c}: the archetype uses no {c}")
        base[c] = r.number(entry, f"{key}.base_share.{c}", lo=0.0, hi=1.0)
    streams = []
    for sname, s in (a.get("streams") or {}).items():
        skey = f"{key}.streams.{sname}"
        if s.get("kind") not in STREAM_KINDS:
            r.problems.append(f"{skey}.kind: must be one of {list(STREAM_KINDS)} (got {s.get('kind')!r})")
        streams.append(Stream(name=sname, kind=s.get("kind"), t_c=float(s.get("t_c", 0.0)),
                              mwh_per_unit=r.number(s.get("mwh_per_unit"), f"{skey}.mwh_per_unit", lo=0.0),
                              recoverable_share=r.number(s.get("recoverable_share"), f"{skey}.recoverable_share",
                                                         lo=0.0, hi=1.0)))
    flex = a.get("flexibility") or {}
    rel = a.get("reliability") or {}
    limit = None
    lim = a.get("energy_limit")
    if lim:
        lkey = f"{key}.energy_limit"
        values = [r.number(lim.get(f"level{i}"), f"{lkey}.level{i}", lo=0.0) for i in (1, 2, 3)]
        if not values[0] <= values[1] <= values[2]:
            r.problems.append(f"{lkey}: levels must rise from level1 to level3 (got {values})")
        limit = EnergyLimit(standard=str(lim.get("standard", "")), quantity=str(lim.get("quantity", "")),
                            level1=values[0], level2=values[1], level3=values[2],
                            status=str(lim.get("level2", {}).get("status", "")))
    batch = a.get("batch") or {}
    if mode == "batch" and not (batch.get("size", 0) > 0 and batch.get("duration_h", 0) > 0):
        r.problems.append(f"{key}.batch: a batch archetype needs size > 0 and duration_h > 0")
    for k in ("description", "product", "product_unit"):
        if not a.get(k):
            r.problems.append(f"{key}.{k}: missing")
    return Archetype(
        name=name, description=a.get("description", ""), product=a.get("product", ""),
        product_unit=a.get("product_unit", ""), mode=mode, shifts=[list(s) for s in sched.get("shifts", [[0, 24]])],
        working_days=sched.get("working_days", "all"), maintenance=[list(m) for m in sched.get("maintenance", [])],
        base_share=base, levels=levels,
        wastewater_share=r.number(a.get("wastewater_share"), f"{key}.wastewater_share", lo=0.0, hi=1.0),
        streams=tuple(streams),
        shiftable_share=r.number(flex.get("shiftable_share"), f"{key}.flexibility.shiftable_share", lo=0.0, hi=1.0),
        interruptible_share=r.number(flex.get("interruptible_share"), f"{key}.flexibility.interruptible_share",
                                     lo=0.0, hi=1.0),
        mtbf_h=r.number(rel.get("mtbf_h"), f"{key}.reliability.mtbf_h", lo=0.0),
        mttr_h=r.number(rel.get("mttr_h"), f"{key}.reliability.mttr_h", lo=0.0),
        energy_limit=limit, output_profile=a.get("output_profile"),
        batch_size=float(batch.get("size", 0.0)), batch_duration_h=float(batch.get("duration_h", 0.0)),
        batch_changeover_h=float(batch.get("changeover_h", 0.0)),
        provenance={k: v for k, v in r.provenance.items() if k.startswith(key + ".")},
    )


def parse_library(raw: dict, path: str = "<archetypes>") -> Library:
    """Check a loaded archetype mapping; raise :class:`ArchetypeError` listing every problem."""
    if not isinstance(raw, dict):
        raise ArchetypeError(path, ["must be a mapping with 'sources', 'defaults' and 'archetypes'"])
    sources = raw.get("sources") or {}
    r = _Reader(sources)
    for sid, s in sources.items():
        if not isinstance(s, dict) or not s.get("citation") or s.get("status") not in STATUSES:
            r.problems.append(f"sources.{sid}: needs a citation and a status in {list(STATUSES)}")
    defaults = {k: r.number(v, f"defaults.{k}", lo=0.0) for k, v in (raw.get("defaults") or {}).items()}
    archetypes = {name: _archetype(r, name, body or {}) for name, body in (raw.get("archetypes") or {}).items()}
    if not archetypes:
        r.problems.append("archetypes: none defined")
    if r.problems:
        raise ArchetypeError(path, r.problems)
    return Library(path=path, archetypes=archetypes, defaults=defaults, sources=sources)


@lru_cache(maxsize=None)
def load_archetypes(path: str | None = None) -> Library:
    """The package's archetypes (``path=None``) or those of a user file."""
    if path is None:
        text = resources.files("twin.industry.data").joinpath("archetypes.yaml").read_text(encoding="utf-8")
        where = "twin/industry/data/archetypes.yaml"
    else:
        text = Path(path).read_text(encoding="utf-8")
        where = str(path)
    return parse_library(yaml.safe_load(text), where)


def archetype_names(path: str | None = None) -> list[str]:
    return sorted(load_archetypes(path).archetypes)
