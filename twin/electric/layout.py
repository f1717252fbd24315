"""The park's electric layout in config, read and checked without pandapower.

``park.networks.electric`` describes the grid a park designer edits:

.. code-block:: yaml

    networks:
      electric:
        voltage_band_pu: [0.95, 1.05]
        load_power_factor: 0.95
        ext_grid: {vm_pu: 1.02}           # at the bus of the `grid` component
        buses:
          pcc:  {vn_kv: 110, x_km: 0.0, y_km: 0.0}
          mv_a: {vn_kv: 10,  x_km: 0.1, y_km: 0.0}
          f1:   {vn_kv: 10,  x_km: 1.5, y_km: 0.8}
        transformers:
          t_a1: {hv_bus: pcc, lv_bus: mv_a, std_type: "63 MVA 110/10 kV"}
        lines:
          f1: {from_bus: mv_a, to_bus: f1, std_type: "NA2XS2Y 1x240 RM/25 6/10 kV", parallel: 2}

Every electricity component sits on a bus through its own ``bus`` key; the
``grid`` component's bus is the slack (pandapower's ext_grid), the point of
common coupling. Line lengths come from the bus coordinates (``x_km`` /
``y_km`` on a plane, or ``lat_deg`` / ``lon_deg`` on the sphere) times
``route_factor`` unless ``length_km`` is given.

:func:`check_layout` is a domain check of the validation pass: it names the
full config key of every problem (an unknown bus, an island without the
slack, a transformer whose rated voltage is not its bus's).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Optional

from twin.core.carriers import Carrier
from twin.core.params import param

Problems = list[tuple[str, str]]

#: Config key of the layout.
LAYOUT_KEY = "park.networks.electric"
#: Mean Earth radius for great-circle lengths [km] (IUGG).
EARTH_RADIUS_KM = 6371.0088
#: Largest relative difference between a transformer's rated voltage and its
#: bus's nominal voltage. lightsim2grid builds transformer impedances from
#: the bus voltages and ignores an off-nominal rated ratio (a 10.5 kV
#: winding on a 10 kV bus moved voltages by 0.03 pu against pandapower), so
#: the layout asks for equal voltages and a ``tap_pos`` for the ratio.
RATED_VOLTAGE_TOLERANCE = 1e-9


@dataclass
class BusSpec:
    vn_kv: float = param(unit="kV", gt=0, doc="nominal voltage (line to line)")
    x_km: Optional[float] = param(None, unit="km", doc="east coordinate on the site plan")
    y_km: Optional[float] = param(None, unit="km", doc="north coordinate on the site plan")
    lat_deg: Optional[float] = param(None, unit="deg", ge=-90, le=90, doc="latitude (instead of x_km/y_km)")
    lon_deg: Optional[float] = param(None, unit="deg", ge=-180, le=180, doc="longitude (instead of x_km/y_km)")
    description: str = param("", doc="free text shown on the network map")

    def problems(self):
        out = []
        for a, b in (("x_km", "y_km"), ("lat_deg", "lon_deg")):
            if (getattr(self, a) is None) != (getattr(self, b) is None):
                missing = b if getattr(self, b) is None else a
                out.append((missing, f"missing; give both {a} and {b} or neither"))
        if self.x_km is not None and self.lat_deg is not None:
            out.append(("lat_deg", "give either x_km/y_km or lat_deg/lon_deg, not both"))
        return out

    def point(self) -> tuple[str, float, float] | None:
        """(kind, first, second) coordinates, or None."""
        if self.x_km is not None and self.y_km is not None:
            return ("xy", self.x_km, self.y_km)
        if self.lat_deg is not None and self.lon_deg is not None:
            return ("latlon", self.lat_deg, self.lon_deg)
        return None


@dataclass
class LineSpec:
    from_bus: str = param(doc="bus at the feeding end")
    to_bus: str = param(doc="bus at the far end")
    std_type: Optional[str] = param(None, doc="pandapower standard line type (or give the parameters below)")
    length_km: Optional[float] = param(None, unit="km", gt=0, doc="route length (default: from the bus coordinates)")
    parallel: int = param(1, ge=1, le=20, doc="identical circuits side by side")
    r_ohm_per_km: Optional[float] = param(None, unit="ohm/km", ge=0, doc="series resistance per phase")
    x_ohm_per_km: Optional[float] = param(None, unit="ohm/km", ge=0, doc="series reactance per phase")
    c_nf_per_km: Optional[float] = param(None, unit="nF/km", ge=0, doc="capacitance per phase")
    max_i_ka: Optional[float] = param(None, unit="kA", gt=0, doc="thermal current limit of one circuit")
    description: str = param("", doc="free text shown on the network map")

    PARAMETERS = ("r_ohm_per_km", "x_ohm_per_km", "c_nf_per_km", "max_i_ka")

    def problems(self):
        given = [k for k in self.PARAMETERS if getattr(self, k) is not None]
        if self.std_type is not None and given:
            return [(given[0], "give either std_type or the line parameters, not both")]
        if self.std_type is None and len(given) < len(self.PARAMETERS):
            missing = [k for k in self.PARAMETERS if k not in given]
            return [(missing[0], f"missing; without std_type a line needs {', '.join(self.PARAMETERS)}")]
        return []


@dataclass
class TransformerSpec:
    hv_bus: str = param(doc="high-voltage bus")
    lv_bus: str = param(doc="low-voltage bus")
    std_type: Optional[str] = param(None, doc="pandapower standard transformer type (or give the parameters below)")
    sn_mva: Optional[float] = param(None, unit="MVA", gt=0, doc="rated apparent power")
    vn_hv_kv: Optional[float] = param(None, unit="kV", gt=0, doc="rated voltage of the HV winding")
    vn_lv_kv: Optional[float] = param(None, unit="kV", gt=0, doc="rated voltage of the LV winding")
    vk_percent: Optional[float] = param(None, unit="%", gt=0, doc="short-circuit voltage")
    vkr_percent: Optional[float] = param(None, unit="%", ge=0, doc="real part of the short-circuit voltage")
    pfe_kw: float = param(0.0, unit="kW", ge=0, doc="iron losses")
    i0_percent: float = param(0.0, unit="%", ge=0, doc="open-circuit current")
    shift_degree: float = param(0.0, unit="deg", doc="phase shift of the vector group (parameter transformers)")
    tap_pos: Optional[int] = param(None, doc="fixed tap position (standard types have taps of 1.5 % on the HV side)")
    description: str = param("", doc="free text shown on the network map")

    PARAMETERS = ("sn_mva", "vn_hv_kv", "vn_lv_kv", "vk_percent", "vkr_percent")

    def problems(self):
        given = [k for k in self.PARAMETERS if getattr(self, k) is not None]
        if self.std_type is not None and given:
            return [(given[0], "give either std_type or the transformer parameters, not both")]
        if self.std_type is None and len(given) < len(self.PARAMETERS):
            missing = [k for k in self.PARAMETERS if k not in given]
            return [(missing[0], f"missing; without std_type a transformer needs {', '.join(self.PARAMETERS)}")]
        if self.vk_percent is not None and self.vkr_percent is not None and self.vkr_percent >= self.vk_percent:
            return [("vkr_percent", f"must be below vk_percent ({self.vk_percent}) (got {self.vkr_percent})")]
        return []


@dataclass
class ExtGridSpec:
    vm_pu: float = param(1.0, unit="pu", gt=0.5, lt=1.5, doc="voltage set point at the point of common coupling")
    va_degree: float = param(0.0, unit="deg", doc="voltage angle at the point of common coupling")


@dataclass
class LayoutSpec:
    """Top-level keys of ``park.networks.electric``."""

    buses: dict = param(default_factory=dict, doc="name -> bus")
    lines: dict = param(default_factory=dict, doc="name -> line or cable")
    transformers: dict = param(default_factory=dict, doc="name -> two-winding transformer")
    ext_grid: dict = param(default_factory=dict, doc="the slack at the grid component's bus")
    voltage_band_pu: list = param(default_factory=lambda: [0.95, 1.05], unit="pu",
                                  doc="[lowest, highest] bus voltage that is not a violation")
    max_loading_percent: float = param(100.0, unit="%", gt=0, doc="branch loading above which an hour is a violation")
    load_power_factor: float = param(0.95, gt=0, le=1, doc="cos phi of every electricity draw (inductive)")
    route_factor: float = param(1.0, ge=1, doc="route length / straight-line distance for lengths from coordinates")
    tolerance_mva: float = param(1e-8, unit="MVA", gt=0, doc="power-flow mismatch tolerance (pandapower's default)")
    max_iterations: int = param(10, ge=1, doc="Newton-Raphson iterations before an hour counts as not converged")

    def problems(self):
        band = self.voltage_band_pu
        ok = len(band) == 2 and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in band)
        if not ok or not 0 < band[0] < band[1]:
            return [("voltage_band_pu", f"must be [lowest, highest] pu with 0 < lowest < highest (got {band!r})")]
        return []


@dataclass
class ElectricLayout:
    """A checked layout: specs by name, the slack bus and every line's length."""

    spec: LayoutSpec
    buses: dict[str, BusSpec]
    lines: dict[str, LineSpec]
    transformers: dict[str, TransformerSpec]
    ext_grid: ExtGridSpec
    slack_bus: str | None
    grid_component: str | None
    length_km: dict[str, float] = field(default_factory=dict)


def distance_km(a: BusSpec, b: BusSpec) -> float | None:
    """Straight-line distance between two buses [km]: Euclidean on the site
    plan, great-circle (haversine) between latitude/longitude; None when the
    two buses have no common kind of coordinates."""
    pa, pb = a.point(), b.point()
    if pa is None or pb is None or pa[0] != pb[0]:
        return None
    if pa[0] == "xy":
        return math.hypot(pb[1] - pa[1], pb[2] - pa[2])
    lat1, lon1, lat2, lon2 = map(math.radians, (pa[1], pa[2], pb[1], pb[2]))
    s = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2.0 * EARTH_RADIUS_KM * math.asin(math.sqrt(s))


def _build(cls, mapping, key: str) -> tuple[Any, Problems]:
    from twin.config.validate import build_params

    if not isinstance(mapping, dict):
        return None, [(key, f"must be a mapping of keys to values (got {mapping!r})")]
    return build_params(cls, mapping, key)


def electric_exchanges(components) -> list:
    """Component specs of electricity exchanges (the ``grid`` connection)."""
    from twin.core.component import Exchange

    return [s for s in components if issubclass(s.cls, Exchange) and getattr(s.cls, "carrier", None) == Carrier.ELECTRICITY]


def _statically_electric(cls) -> bool:
    """True for classes whose electricity port is fixed by the class itself
    (sources, storage and exchanges of electricity, converters making it).
    Demands and converters drawing electricity are known only once built;
    the network builder checks those."""
    return Carrier.ELECTRICITY in (getattr(cls, "carrier", None), getattr(cls, "output", None))


def parse_layout(raw: dict, components) -> tuple[ElectricLayout | None, Problems]:
    """Read ``park.networks.electric`` and check it against the components.

    Parameters
    ----------
    raw : dict
        The layout mapping from config.
    components : list of ComponentSpec
        The park's validated components (their ``bus`` keys).

    Returns
    -------
    (ElectricLayout or None, problems)
    """
    spec, problems = _build(LayoutSpec, raw, LAYOUT_KEY)
    if spec is None:
        return None, problems
    buses: dict[str, BusSpec] = {}
    for name, body in spec.buses.items():
        bus, found = _build(BusSpec, body, f"{LAYOUT_KEY}.buses.{name}")
        problems += found
        if bus is not None:
            buses[name] = bus
    if not spec.buses:
        problems.append((f"{LAYOUT_KEY}.buses", "the layout has no buses; expected at least the grid connection's bus"))
    known = ", ".join(sorted(spec.buses)) or "(none)"

    def bus_ref(key: str, name) -> BusSpec | None:
        if name not in spec.buses:
            problems.append((key, f"unknown bus {name!r}; known: {known}"))
            return None
        return buses.get(name)

    lines: dict[str, LineSpec] = {}
    length_km: dict[str, float] = {}
    for name, body in spec.lines.items():
        key = f"{LAYOUT_KEY}.lines.{name}"
        line, found = _build(LineSpec, body, key)
        problems += found
        if line is None:
            continue
        a, b = bus_ref(f"{key}.from_bus", line.from_bus), bus_ref(f"{key}.to_bus", line.to_bus)
        if line.from_bus == line.to_bus:
            problems.append((f"{key}.to_bus", f"must differ from from_bus (both {line.from_bus!r})"))
            continue
        if a is None or b is None:
            continue
        if abs(a.vn_kv - b.vn_kv) > RATED_VOLTAGE_TOLERANCE * a.vn_kv:
            problems.append((key, f"joins buses of different voltage ({line.from_bus} {a.vn_kv} kV, {line.to_bus} "
                                  f"{b.vn_kv} kV); a line needs equal voltages, use a transformer"))
            continue
        if line.length_km is not None:
            length_km[name] = line.length_km
        else:
            d = distance_km(a, b)
            if d is None:
                problems.append((f"{key}.length_km", f"missing; buses {line.from_bus!r} and {line.to_bus!r} have no "
                                                     "common coordinates (x_km/y_km or lat_deg/lon_deg) to derive it from"))
            elif d <= 0.0:
                problems.append((f"{key}.length_km", f"missing; buses {line.from_bus!r} and {line.to_bus!r} are at "
                                                     "the same place, so the length must be given"))
            else:
                length_km[name] = d * spec.route_factor
        lines[name] = line
    transformers: dict[str, TransformerSpec] = {}
    for name, body in spec.transformers.items():
        key = f"{LAYOUT_KEY}.transformers.{name}"
        trafo, found = _build(TransformerSpec, body, key)
        problems += found
        if trafo is None:
            continue
        hv, lv = bus_ref(f"{key}.hv_bus", trafo.hv_bus), bus_ref(f"{key}.lv_bus", trafo.lv_bus)
        if hv is not None and lv is not None:
            if hv.vn_kv <= lv.vn_kv:
                problems.append((key, f"hv_bus {trafo.hv_bus!r} ({hv.vn_kv} kV) must have a higher voltage than "
                                      f"lv_bus {trafo.lv_bus!r} ({lv.vn_kv} kV)"))
            elif trafo.std_type is None:
                problems += rated_voltage_problems(key, trafo.vn_hv_kv, trafo.vn_lv_kv, trafo, hv, lv)
        transformers[name] = trafo
    ext_grid, found = _build(ExtGridSpec, spec.ext_grid, f"{LAYOUT_KEY}.ext_grid")
    problems += found

    slack_bus, grid_name = _slack(components, spec, known, problems)
    problems += _placement_problems(components, spec, known)
    if slack_bus is not None and not problems:
        problems += _island_problems(spec, lines, transformers, slack_bus, grid_name)
    layout = ElectricLayout(spec=spec, buses=buses, lines=lines, transformers=transformers, ext_grid=ext_grid,
                            slack_bus=slack_bus, grid_component=grid_name, length_km=length_km)
    return layout, problems


def rated_voltage_problems(key: str, vn_hv_kv: float, vn_lv_kv: float, trafo: TransformerSpec,
                           hv: BusSpec, lv: BusSpec) -> Problems:
    """A transformer's rated voltages must be its buses' nominal voltages
    (see :data:`RATED_VOLTAGE_TOLERANCE`)."""
    out = []
    for side, rated, bus_name, bus in (("hv", vn_hv_kv, trafo.hv_bus, hv), ("lv", vn_lv_kv, trafo.lv_bus, lv)):
        if abs(rated - bus.vn_kv) > RATED_VOLTAGE_TOLERANCE * bus.vn_kv:
            what = "std_type" if trafo.std_type is not None else f"vn_{side}_kv"
            out.append((f"{key}.{what}", f"rated {side.upper()} voltage {rated} kV must equal the nominal voltage of "
                                         f"bus {bus_name!r} ({bus.vn_kv} kV); set an off-nominal ratio with tap_pos"))
    return out


def _slack(components, spec: LayoutSpec, known: str, problems: Problems) -> tuple[str | None, str | None]:
    grids = electric_exchanges(components)
    if not grids:
        problems.append((LAYOUT_KEY, "has no slack: the park needs a grid connection (type grid) whose bus "
                                     "is the point of common coupling"))
        return None, None
    if len(grids) > 1:
        names = ", ".join(g.name for g in grids)
        problems.append((f"park.components.{grids[1].name}", f"the electric network takes one grid connection as "
                                                             f"its slack; found {len(grids)} ({names})"))
        return None, None
    grid = grids[0]
    bus = getattr(grid.params, "bus", None)
    if bus is None:
        problems.append((f"park.components.{grid.name}.bus", f"missing; the grid connection's bus is the slack "
                                                             f"(point of common coupling); known buses: {known}"))
        return None, None
    return (bus, grid.name) if bus in spec.buses else (None, grid.name)


def _placement_problems(components, spec: LayoutSpec, known: str) -> Problems:
    out = []
    for s in components:
        bus = getattr(s.params, "bus", None)
        if bus is not None and _statically_electric(s.cls) and bus not in spec.buses:
            out.append((f"park.components.{s.name}.bus", f"unknown bus {bus!r}; known: {known}"))
        line = getattr(s.params, "line", None) if "direct_line" in getattr(s.cls, "tags", ()) else None
        if line is None:
            continue
        body = spec.lines.get(line)
        if body is None:
            out.append((f"park.components.{s.name}.line", f"unknown line {line!r}; known: {', '.join(spec.lines) or '(none)'}"))
        elif isinstance(body, dict) and bus not in (body.get("from_bus"), body.get("to_bus")):
            out.append((f"park.components.{s.name}.bus", f"must be the plant's end of its line {line!r} "
                                                         f"({body.get('from_bus')!r} or {body.get('to_bus')!r}); got {bus!r}"))
    return out


def _island_problems(spec: LayoutSpec, lines, transformers, slack_bus: str, grid_name: str) -> Problems:
    """Every bus must reach the slack through lines and transformers."""
    parent = {b: b for b in spec.buses}

    def root(b):
        while parent[b] != b:
            parent[b] = parent[parent[b]]
            b = parent[b]
        return b

    for a, b in [(l.from_bus, l.to_bus) for l in lines.values()] + [(t.hv_bus, t.lv_bus) for t in transformers.values()]:
        parent[root(a)] = root(b)
    islands: dict[str, list[str]] = {}
    for b in spec.buses:
        islands.setdefault(root(b), []).append(b)
    out = []
    for members in islands.values():
        if root(slack_bus) == root(members[0]):
            continue
        listed = ", ".join(members)
        out.append((f"{LAYOUT_KEY}.buses.{members[0]}",
                    f"island without a slack: bus{'es' if len(members) > 1 else ''} {listed} "
                    f"{'are' if len(members) > 1 else 'is'} not connected to the slack bus {slack_bus!r} "
                    f"(park.components.{grid_name}.bus) by any line or transformer"))
    return out


def check_layout(valid) -> Problems:
    """Domain check of the validation pass (``DOMAIN_CHECKS``): the electric
    layout, if the park has one. With ``run.networks=true`` the standard
    types are looked up in pandapower too."""
    raw = (valid.networks or {}).get("electric")
    if raw is None:
        return []
    layout, problems = parse_layout(raw, valid.components)
    if layout is not None and valid.run.networks:
        from twin.electric.network import std_type_problems

        problems += std_type_problems(layout)
    return problems
