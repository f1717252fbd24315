"""Network layouts from ``park.networks.heat`` and ``park.networks.gas``.

A layout is data: junctions with map coordinates, pipes between them, and
which component sits at which junction. This module reads and checks it
(every problem with its full config key); ``network.py`` turns it into
pandapipes nets. It imports neither pandapipes nor any solver.

District heating (``park.networks.heat``)::

    plant: plant                 # junction of the circulation pump: pressure and temperature reference
    t_supply_c: 90               # supply temperature at the design outdoor temperature
    t_supply_min_c: 75           # ... at and above the heating limit (hot water, process heat)
    delta_t_k: 30                # supply - return at the consumers
    p_supply_bar: 8              # flow-side pressure at the plant (gauge)
    plift_bar: 3                 # lift of the circulation pump
    junctions: {plant: {x_m: 0, y_m: 0}, j1: {x_m: 400, y_m: 0}}
    pipes: {p1: {from: plant, to: j1, length_m: 420, diameter_mm: 500}}
    connections: {chemicals: j1} # components placed without a heat_junction key

Each pipe is a buried twin: a supply and a return pipe with the same
parameters. Gas (``park.networks.gas``) has the same ``junctions``, ``pipes``
and ``connections`` and a city-gate pressure; the city gate is the
``gas_junction`` of the park's ``gas_supply`` component.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Problems = list[tuple[str, str]]


@dataclass
class Pipe:
    """One pipe (heat: one supply-and-return twin) of a layout."""

    name: str
    from_junction: str
    to_junction: str
    length_m: float
    diameter_mm: float
    outer_diameter_mm: float
    k_mm: float
    u_w_per_m2k: float


@dataclass
class Layout:
    """Fields shared by heat and gas layouts."""

    junctions: dict[str, tuple[float, float]] = field(default_factory=dict)
    pipes: list[Pipe] = field(default_factory=list)
    connections: dict[str, str] = field(default_factory=dict)
    solver: str = "fast"

    def neighbours(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {j: [] for j in self.junctions}
        for p in self.pipes:
            out[p.from_junction].append(p.to_junction)
            out[p.to_junction].append(p.from_junction)
        return out

    def reachable_from(self, root: str) -> set[str]:
        nb, seen, todo = self.neighbours(), {root}, [root]
        while todo:
            for other in nb[todo.pop()]:
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        return seen


@dataclass
class HeatLayout(Layout):
    plant: str = ""
    t_supply_c: float = 90.0
    t_supply_min_c: float = 75.0
    t_design_c: float = -7.0
    t_limit_c: float = 15.0
    delta_t_k: float = 30.0
    p_supply_bar: float = 8.0
    plift_bar: float = 3.0
    pump_efficiency: float = 0.75
    pump_bus: str | None = None
    t_ground_c: float = 10.0
    u_w_per_m2k: float = 0.35
    k_mm: float = 0.05
    min_flow_kg_per_s: float = 2.0

    def leaves(self) -> list[str]:
        """Ends of lines (one pipe, not the plant): where bypasses keep the water warm."""
        return [j for j, nb in self.neighbours().items() if len(nb) == 1 and j != self.plant]


@dataclass
class GasLayout(Layout):
    fluid: str = "hgas"
    p_city_gate_bar: float = 4.0
    t_gas_c: float = 10.0
    k_mm: float = 0.05
    p_min_bar: float = 1.0


#: key -> (default, lower bound or None, strictly greater?, unit, doc)
_HEAT_SCALARS = {
    "t_supply_c": (90.0, 40.0, False, "degC", "supply temperature at the design outdoor temperature"),
    "t_supply_min_c": (75.0, 40.0, False, "degC", "supply temperature at and above the heating limit"),
    "t_design_c": (-7.0, None, False, "degC", "design outdoor temperature of the heating curve"),
    "t_limit_c": (15.0, None, False, "degC", "outdoor temperature from which the minimum supply temperature holds"),
    "delta_t_k": (30.0, 0.0, True, "K", "supply - return temperature difference at the consumers"),
    "p_supply_bar": (8.0, 0.0, True, "bar", "flow-side pressure at the plant (gauge)"),
    "plift_bar": (3.0, 0.0, True, "bar", "lift of the circulation pump"),
    "pump_efficiency": (0.75, 0.0, True, "", "wire-to-water efficiency of the circulation pump"),
    "t_ground_c": (10.0, None, False, "degC", "ground temperature around the pipes"),
    "u_w_per_m2k": (0.35, 0.0, False, "W/(m2 K)", "default heat-transfer coefficient of the pipes (outer surface)"),
    "k_mm": (0.05, 0.0, True, "mm", "default pipe roughness"),
    "min_flow_kg_per_s": (2.0, 0.0, False, "kg/s", "bypass flow at each end of a line"),
}
_GAS_SCALARS = {
    "p_city_gate_bar": (4.0, 0.0, True, "bar", "pressure behind the city-gate regulator (gauge)"),
    "t_gas_c": (10.0, None, False, "degC", "gas temperature"),
    "k_mm": (0.05, 0.0, True, "mm", "default pipe roughness"),
    "p_min_bar": (1.0, 0.0, False, "bar", "lowest acceptable pressure at a junction (gauge)"),
}
_GAS_FLUIDS = ("hgas", "lgas", "methane")


def _number(raw: dict, key: str, spec, prefix: str, problems: Problems) -> float:
    default, lower, strict, unit, doc = spec
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        problems.append((f"{prefix}.{key}", f"must be a number [{unit}] ({doc}) (got {value!r})"))
        return default
    if lower is not None and (value <= lower if strict else value < lower):
        problems.append((f"{prefix}.{key}", f"must be {'>' if strict else '>='} {lower} {unit} (got {value})"))
    return float(value)


def _junctions(raw, prefix: str, problems: Problems) -> dict[str, tuple[float, float]]:
    out = {}
    if not isinstance(raw, dict) or not raw:
        problems.append((f"{prefix}.junctions", "missing; expected a mapping name -> {x_m, y_m}"))
        return out
    for name, body in raw.items():
        key = f"{prefix}.junctions.{name}"
        body = body or {}
        if not isinstance(body, dict):
            problems.append((key, f"must be a mapping with x_m and y_m (got {body!r})"))
            continue
        unknown = sorted(set(body) - {"x_m", "y_m"})
        for u in unknown:
            problems.append((f"{key}.{u}", "unknown key; expected x_m, y_m"))
        xy = []
        for c in ("x_m", "y_m"):
            v = body.get(c, 0.0)
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                problems.append((f"{key}.{c}", f"must be a number [m] (got {v!r})"))
                v = 0.0
            xy.append(float(v))
        out[str(name)] = (xy[0], xy[1])
    return out


_PIPE_KEYS = ("from", "to", "length_m", "diameter_mm", "outer_diameter_mm", "k_mm", "u_w_per_m2k")


def _pipes(raw, junctions, prefix: str, default_k_mm: float, default_u: float, heat: bool,
           problems: Problems) -> list[Pipe]:
    out = []
    if not isinstance(raw, dict) or not raw:
        problems.append((f"{prefix}.pipes", "missing; expected a mapping name -> {from, to, length_m, diameter_mm}"))
        return out
    allowed = _PIPE_KEYS if heat else ("from", "to", "length_m", "diameter_mm", "k_mm")
    for name, body in raw.items():
        key = f"{prefix}.pipes.{name}"
        if not isinstance(body, dict):
            problems.append((key, f"must be a mapping with from, to, length_m, diameter_mm (got {body!r})"))
            continue
        for u in sorted(set(body) - set(allowed)):
            problems.append((f"{key}.{u}", f"unknown key; expected one of: {', '.join(allowed)}"))
        ends = []
        for end in ("from", "to"):
            j = body.get(end)
            if j is None:
                problems.append((f"{key}.{end}", "missing; expected a junction name"))
            elif str(j) not in junctions:
                problems.append((f"{key}.{end}", f"unknown junction {j!r}; expected one of: {', '.join(junctions)}"))
            ends.append(str(j))
        if len(ends) == 2 and ends[0] == ends[1]:
            problems.append((key, f"connects junction {ends[0]!r} to itself"))
        values = {}
        for k, lower, unit, default in (("length_m", 0.0, "m", None), ("diameter_mm", 0.0, "mm", None),
                                        ("k_mm", 0.0, "mm", default_k_mm), ("outer_diameter_mm", 0.0, "mm", None),
                                        ("u_w_per_m2k", None, "W/(m2 K)", default_u)):
            v = body.get(k, default)
            if v is None:
                if k in ("length_m", "diameter_mm"):
                    problems.append((f"{key}.{k}", f"missing; expected a number > 0 [{unit}]"))
                values[k] = None
                continue
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                problems.append((f"{key}.{k}", f"must be a number [{unit}] (got {v!r})"))
                values[k] = None
                continue
            if lower is not None and v <= lower and not (k == "u_w_per_m2k"):
                problems.append((f"{key}.{k}", f"must be > {lower} {unit} (got {v})"))
            if k == "u_w_per_m2k" and v < 0:
                problems.append((f"{key}.{k}", f"must be >= 0 {unit} (got {v})"))
            values[k] = float(v)
        d, do = values.get("diameter_mm"), values.get("outer_diameter_mm")
        if d is not None and do is not None and do < d:
            problems.append((f"{key}.outer_diameter_mm", f"must be >= diameter_mm ({d} mm) (got {do})"))
        if d is not None and values.get("k_mm") is not None and values["k_mm"] >= d / 10:
            problems.append((f"{key}.k_mm", f"roughness must be far below the diameter ({d} mm) (got {values['k_mm']})"))
        if len(ends) == 2 and all(values.get(k) is not None for k in ("length_m", "diameter_mm")):
            out.append(Pipe(name=str(name), from_junction=ends[0], to_junction=ends[1], length_m=values["length_m"],
                            diameter_mm=d, outer_diameter_mm=do if do is not None else d,
                            k_mm=values["k_mm"] if values["k_mm"] is not None else default_k_mm,
                            u_w_per_m2k=values["u_w_per_m2k"] if values.get("u_w_per_m2k") is not None else default_u))
    return out


def _connections(raw, junctions, component_names, prefix: str, problems: Problems) -> dict[str, str]:
    out = {}
    if raw is None:
        return out
    if not isinstance(raw, dict):
        problems.append((f"{prefix}.connections", f"must be a mapping component -> junction (got {raw!r})"))
        return out
    for comp, j in raw.items():
        key = f"{prefix}.connections.{comp}"
        if comp not in component_names:
            problems.append((key, f"unknown component {comp!r}; expected one of park.components"))
        if str(j) not in junctions:
            problems.append((key, f"unknown junction {j!r}; expected one of: {', '.join(junctions)}"))
        out[str(comp)] = str(j)
    return out


def _solver(raw, prefix, problems) -> str:
    solver = raw.get("solver", "fast")
    if solver not in ("fast", "plain"):
        problems.append((f"{prefix}.solver", f"must be 'fast' (warm-started Newton) or 'plain' "
                                             f"(pandapipes pipeflow from scratch) (got {solver!r})"))
        return "fast"
    return solver


def _junction_params(components, key_name: str, junctions, problems: Problems):
    """Check ``<key_name>`` parameters of the components against the junctions."""
    for spec in components:
        j = getattr(spec.params, key_name, None)
        if j is not None and j not in junctions:
            problems.append((f"park.components.{spec.name}.{key_name}",
                             f"unknown junction {j!r}; expected one of: {', '.join(junctions)}"))


def parse_heat_layout(raw: dict, components=(), prefix: str = "park.networks.heat") -> tuple[HeatLayout, Problems]:
    """Read and check a heat layout; ``components`` are the park's ComponentSpecs."""
    problems: Problems = []
    if not isinstance(raw, dict):
        return HeatLayout(), [(prefix, f"must be a mapping (got {raw!r})")]
    known = set(_HEAT_SCALARS) | {"plant", "junctions", "pipes", "connections", "pump_bus", "solver"}
    for u in sorted(set(raw) - known):
        problems.append((f"{prefix}.{u}", f"unknown key; expected one of: {', '.join(sorted(known))}"))
    values = {k: _number(raw, k, spec, prefix, problems) for k, spec in _HEAT_SCALARS.items()}
    junctions = _junctions(raw.get("junctions"), prefix, problems)
    pipes = _pipes(raw.get("pipes"), junctions, prefix, values["k_mm"], values["u_w_per_m2k"], True, problems)
    names = {spec.name for spec in components}
    connections = _connections(raw.get("connections"), junctions, names, prefix, problems)
    plant = raw.get("plant")
    if plant is None:
        problems.append((f"{prefix}.plant", "missing; expected the junction of the circulation pump"))
    elif str(plant) not in junctions:
        problems.append((f"{prefix}.plant", f"unknown junction {plant!r}; expected one of: {', '.join(junctions)}"))
    if values["t_supply_min_c"] > values["t_supply_c"]:
        problems.append((f"{prefix}.t_supply_min_c", f"must be <= t_supply_c ({values['t_supply_c']} degC)"))
    if values["t_limit_c"] <= values["t_design_c"]:
        problems.append((f"{prefix}.t_limit_c", f"must be above t_design_c ({values['t_design_c']} degC)"))
    if values["t_supply_min_c"] - values["delta_t_k"] <= values["t_ground_c"]:
        problems.append((f"{prefix}.delta_t_k", f"return temperature t_supply_min_c - delta_t_k must stay above "
                                                f"t_ground_c ({values['t_ground_c']} degC)"))
    if values["pump_efficiency"] > 1:
        problems.append((f"{prefix}.pump_efficiency", f"must be <= 1 (got {values['pump_efficiency']})"))
    layout = HeatLayout(junctions=junctions, pipes=pipes, connections=connections, solver=_solver(raw, prefix, problems),
                        plant=str(plant) if plant is not None else "", pump_bus=raw.get("pump_bus"), **values)
    if layout.plant in junctions and not problems:
        cut = sorted(set(junctions) - layout.reachable_from(layout.plant))
        if cut:
            problems.append((f"{prefix}.pipes", f"the network is disconnected: junctions {cut} are not "
                                                f"connected to the plant {layout.plant!r}"))
    _junction_params(components, "heat_junction", junctions, problems)
    return layout, problems


def parse_gas_layout(raw: dict, components=(), prefix: str = "park.networks.gas", gate_type: str = "gas_supply",
                     junction_key: str = "gas_junction", fluids: tuple = None) -> tuple[GasLayout, Problems]:
    """Read and check a gas layout; the city gate is the ``gate_type``
    component's junction (the hydrogen network passes its tank)."""
    fluids = fluids or _GAS_FLUIDS
    problems: Problems = []
    if not isinstance(raw, dict):
        return GasLayout(), [(prefix, f"must be a mapping (got {raw!r})")]
    known = set(_GAS_SCALARS) | {"junctions", "pipes", "connections", "fluid", "solver"}
    for u in sorted(set(raw) - known):
        problems.append((f"{prefix}.{u}", f"unknown key; expected one of: {', '.join(sorted(known))}"))
    values = {k: _number(raw, k, spec, prefix, problems) for k, spec in _GAS_SCALARS.items()}
    fluid = raw.get("fluid", fluids[0])
    if fluid not in fluids:
        problems.append((f"{prefix}.fluid", f"must be one of {list(fluids)} (got {fluid!r})"))
    junctions = _junctions(raw.get("junctions"), prefix, problems)
    pipes = _pipes(raw.get("pipes"), junctions, prefix, values["k_mm"], 0.0, False, problems)
    names = {spec.name for spec in components}
    connections = _connections(raw.get("connections"), junctions, names, prefix, problems)
    layout = GasLayout(junctions=junctions, pipes=pipes, connections=connections, solver=_solver(raw, prefix, problems),
                       fluid=fluid, **values)
    _junction_params(components, junction_key, junctions, problems)
    gates = [spec for spec in components if spec.cls.type_name == gate_type]
    if len(gates) != 1:
        problems.append((prefix, f"needs exactly one {gate_type} component as its pressure reference (found {len(gates)})"))
    elif junctions:
        gate = city_gate_of(layout, gates[0].name, gates[0].params, junction_key)
        if gate is None:
            problems.append((f"{prefix}.connections.{gates[0].name}",
                             "missing; the network needs the junction of its pressure reference"))
        elif gate in junctions and not problems:
            cut = sorted(set(junctions) - layout.reachable_from(gate))
            if cut:
                problems.append((f"{prefix}.pipes", f"the network is disconnected: junctions {cut} are not "
                                                    f"connected to the city gate {gate!r}"))
    return layout, problems


def city_gate_of(layout: GasLayout, name: str, params: Any, junction_key: str = "gas_junction") -> str | None:
    return layout.connections.get(name) or getattr(params, junction_key, None)


def check_layouts(valid) -> Problems:
    """DOMAIN_CHECKS entry: heat and gas layouts (when the park has them) and
    references between components (waste-heat streams)."""
    problems: Problems = []
    networks = valid.networks or {}
    if "heat" in networks:
        problems += parse_heat_layout(networks["heat"], valid.components)[1]
    if "gas" in networks:
        problems += parse_gas_layout(networks["gas"], valid.components)[1]
    names = {spec.name for spec in valid.components}
    for spec in valid.components:
        ref = getattr(spec.params, "stream_of", None)
        if ref is not None and ref not in names:
            problems.append((f"park.components.{spec.name}.stream_of",
                             f"unknown component {ref!r}; expected one of park.components"))
    return problems
