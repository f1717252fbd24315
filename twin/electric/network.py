"""The park's AC power flow, every hour: pandapower net built once, solved by lightsim2grid.

The only module that talks to pandapower and lightsim2grid (both imported
lazily: they take seconds to import).

Each hour, after dispatch, every electricity component's signed flow
(supply positive, MWh in the hour = mean MW) becomes its element's power:
sources are static generators, storage is pandapower storage, everything
else is a load drawing reactive power at the layout's ``load_power_factor``.
The slack (ext_grid at the ``grid`` component's bus) takes what the park
does not balance, including the losses: the twin books the losses as a
negative flow of the pseudo-component ``power_network`` and adds them to the
grid exchange's import or export (and its cost), so every hourly balance
still closes. A green-power direct line whose dedicated line is in the
layout injects what its plant sends at the far end; what arrives is what the
component delivered, and the line's own losses are its ``line_losses_mwh``.

Speed: the pandapower net is converted once to a lightsim2grid grid model;
each hour only the injections change (``change_p_load`` etc., float64) and
its Newton-Raphson solver runs warm-started from the previous hour's
voltages. A flat start diverges with the 150-degree phase shift of the
standard 110/10 kV transformers, so the first start (and the retry after a
failed hour) comes from the DC power flow, as pandapower does. Results are
read straight from the grid model's arrays, never through pandas.
:meth:`PowerNetworkSolver.plain_power_flow` is the plain way, a pandapower
``runpp`` from scratch, kept for tests and the benchmark.

References
----------
Thurner, L. et al. (2018), pandapower - an open source Python tool for
convenient modeling, analysis and optimization of electric power systems,
IEEE Trans. Power Syst. 33(6). Donnot, B. (2020), LightSim2grid,
https://github.com/Grid2Op/lightsim2grid.
"""

from __future__ import annotations

import math
import time
import warnings
from contextlib import contextmanager
from importlib.util import find_spec

import numpy as np

from twin.core.carriers import Carrier
from twin.core.component import Exchange, Source, Storage
from twin.core.errors import ConfigError
from twin.electric.layout import LAYOUT_KEY, ElectricLayout, parse_layout, rated_voltage_problems

#: Ledger name of the network's pseudo-component (its flow is minus the losses).
NETWORK_NAME = "power_network"
#: How lightsim2grid converts pandapower transformers: "pandapower_v2"
#: matched pandapower 3.3.3 to 1e-13 pu, "pandapower_v3" was 1.8e-5 pu off.
PP_ORIG_FILE = "pandapower_v2"
#: Non-converged hours listed one by one in the summary (the rest counted).
MAX_LISTED_FAILURES = 50
SQRT3 = math.sqrt(3.0)


@contextmanager
def _quiet():
    """Silence warnings of pandapower and lightsim2grid (NaN fill-ins of
    columns the twin does not use) inside the block only."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _pandapower():
    with _quiet():
        import pandapower as pp
    return pp


def std_type_problems(layout: ElectricLayout) -> list[tuple[str, str]]:
    """Standard types that pandapower does not know, and standard
    transformers whose rated voltages are not their buses' (validation)."""
    pp = _pandapower()
    net = pp.create_empty_network()
    lines, trafos = pp.available_std_types(net, "line"), pp.available_std_types(net, "trafo")
    problems = []
    for name, line in layout.lines.items():
        if line.std_type is not None and line.std_type not in lines.index:
            bus = layout.buses.get(line.from_bus) or layout.buses.get(line.to_bus)
            vn = bus.vn_kv if bus is not None else None
            near = [t for t in lines.index if vn is not None and _std_line_fits(t, vn)] or list(lines.index)
            problems.append((f"{LAYOUT_KEY}.lines.{name}.std_type",
                             f"unknown standard line type {line.std_type!r}; known for {vn} kV: {', '.join(near)}"))
    for name, trafo in layout.transformers.items():
        if trafo.std_type is None:
            continue
        key = f"{LAYOUT_KEY}.transformers.{name}"
        if trafo.std_type not in trafos.index:
            problems.append((f"{key}.std_type", f"unknown standard transformer type {trafo.std_type!r}; "
                                                f"known: {', '.join(trafos.index)}"))
            continue
        row = trafos.loc[trafo.std_type]
        if trafo.hv_bus not in layout.buses or trafo.lv_bus not in layout.buses:
            continue
        problems += rated_voltage_problems(key, float(row["vn_hv_kv"]), float(row["vn_lv_kv"]), trafo,
                                           layout.buses[trafo.hv_bus], layout.buses[trafo.lv_bus])
    return problems


def _std_line_fits(type_name: str, vn_kv: float) -> bool:
    """Whether a pandapower standard line type is meant for ``vn_kv``."""
    if vn_kv <= 1.0:
        return " 0.4" in type_name or "NAYY" in type_name
    if "ST1A" in type_name:
        return type_name.endswith(f" {vn_kv:.1f}")
    marks = {10.0: "6/10 kV", 20.0: "12/20 kV", 110.0: "64/110 kV"}
    return any(abs(vn_kv - v) < 1e-6 and m in type_name for v, m in marks.items())


def build_pandapower_net(layout: ElectricLayout, elements: list[tuple[str, str, str]]):
    """The pandapower net of a layout.

    Parameters
    ----------
    layout : ElectricLayout
    elements : list of (kind, name, bus)
        ``kind`` is "load", "sgen" or "storage"; one pandapower element per
        entry, in order (so element ``i`` of a kind is row ``i``).

    Returns
    -------
    (net, line_rows)
        ``line_rows[name]`` lists the pandapower rows of a config line (one
        per parallel circuit: lightsim2grid takes no ``parallel`` column).
    """
    pp = _pandapower()
    net = pp.create_empty_network(name="park electric network", sn_mva=1.0)
    bus_index = {}
    for name, bus in layout.buses.items():
        point = bus.point()
        geodata = None
        if point is not None:
            geodata = (point[1], point[2]) if point[0] == "xy" else (point[2], point[1])
        bus_index[name] = pp.create_bus(net, vn_kv=bus.vn_kv, name=name, geodata=geodata)
    line_rows: dict[str, list[int]] = {}
    for name, line in layout.lines.items():
        a, b, length = bus_index[line.from_bus], bus_index[line.to_bus], layout.length_km[name]
        rows = []
        for _ in range(line.parallel):
            if line.std_type is not None:
                rows.append(pp.create_line(net, a, b, length_km=length, std_type=line.std_type, name=name))
            else:
                rows.append(pp.create_line_from_parameters(
                    net, a, b, length_km=length, r_ohm_per_km=line.r_ohm_per_km, x_ohm_per_km=line.x_ohm_per_km,
                    c_nf_per_km=line.c_nf_per_km, max_i_ka=line.max_i_ka, name=name))
        line_rows[name] = rows
    for name, t in layout.transformers.items():
        hv, lv = bus_index[t.hv_bus], bus_index[t.lv_bus]
        tap = {} if t.tap_pos is None else {"tap_pos": t.tap_pos}
        if t.std_type is not None:
            pp.create_transformer(net, hv, lv, std_type=t.std_type, name=name, **tap)
        else:
            pp.create_transformer_from_parameters(
                net, hv, lv, sn_mva=t.sn_mva, vn_hv_kv=t.vn_hv_kv, vn_lv_kv=t.vn_lv_kv, vk_percent=t.vk_percent,
                vkr_percent=t.vkr_percent, pfe_kw=t.pfe_kw, i0_percent=t.i0_percent, shift_degree=t.shift_degree,
                name=name, tap_side="hv", tap_neutral=0, tap_min=-9, tap_max=9, tap_step_percent=1.5,
                tap_pos=t.tap_pos or 0)
    pp.create_ext_grid(net, bus_index[layout.slack_bus], vm_pu=layout.ext_grid.vm_pu,
                       va_degree=layout.ext_grid.va_degree, name="pcc")
    for kind, name, bus in elements:
        if kind == "load":
            pp.create_load(net, bus_index[bus], p_mw=0.0, q_mvar=0.0, name=name)
        elif kind == "sgen":
            pp.create_sgen(net, bus_index[bus], p_mw=0.0, q_mvar=0.0, name=name)
        else:
            pp.create_storage(net, bus_index[bus], p_mw=0.0, max_e_mwh=0.0, name=name)
    return net, line_rows


def _electric_components(components) -> list:
    return [c for c in components if any(p.carrier == Carrier.ELECTRICITY for p in c.ports())]


def placement_problems(layout: ElectricLayout, components) -> list[tuple[str, str]]:
    """Every built component with an electricity port must sit on a layout bus."""
    known = ", ".join(layout.buses)
    out = []
    for comp in _electric_components(components):
        bus = getattr(comp.params, "bus", None)
        key = f"park.components.{comp.name}.bus"
        if bus is None:
            out.append((key, f"missing; with run.networks=true every electricity component needs a bus of "
                             f"{LAYOUT_KEY}.buses (known: {known})"))
        elif bus not in layout.buses:
            out.append((key, f"unknown bus {bus!r}; known: {known}"))
    return out


class PowerNetworkSolver:
    """The park's AC power flow as a :class:`twin.core.engine.NetworkSolver`.

    Parameters
    ----------
    layout : ElectricLayout
        A checked layout (its slack bus set).
    components : list of Component
        Bound to ``ledger``.
    ledger : Ledger
    label : callable
        ``label(hour)`` -> readable timestamp (for the summary).
    """

    name = "electric"

    def __init__(self, layout: ElectricLayout, components, ledger, label=str):
        t0 = time.perf_counter()
        self.layout = layout
        self.label = label
        spec = layout.spec
        self.band = (float(spec.voltage_band_pu[0]), float(spec.voltage_band_pu[1]))
        self.loading_limit = spec.max_loading_percent
        self.tan_phi = math.tan(math.acos(spec.load_power_factor))
        self.tolerance = spec.tolerance_mva
        self.max_iterations = spec.max_iterations

        self.grid = next(c for c in components if c.name == layout.grid_component)
        elements, self._loads, self._sgens, self._storages, self._direct = [], [], [], [], []
        for comp in _electric_components(components):
            if comp is self.grid:
                continue
            flow = comp.flows[Carrier.ELECTRICITY]
            own = getattr(comp, "carrier", None) == Carrier.ELECTRICITY  # not a hydrogen tank's compressor
            if isinstance(comp, Source) and own:
                direct = getattr(comp, "line_loss_fraction", None) is not None
                line = getattr(comp.params, "line", None) if direct else None
                if direct:
                    comp.losses_from_network = line is not None
                # Through the dedicated line the plant sends what arrives plus the line's losses.
                scale = 1.0 / (1.0 - comp.line_loss_fraction) if line is not None else 1.0
                if line is not None:
                    self._direct.append((comp, line, scale))
                self._sgens.append((len(self._sgens), flow, scale, comp if line is not None else None))
                elements.append(("sgen", comp.name, comp.params.bus))
            elif isinstance(comp, Storage) and own:
                self._storages.append((len(self._storages), flow))
                elements.append(("storage", comp.name, comp.params.bus))
            else:
                self._loads.append((len(self._loads), flow))
                elements.append(("load", comp.name, comp.params.bus))
        self.elements = elements
        self.net, self.line_rows = build_pandapower_net(layout, elements)
        t1 = time.perf_counter()
        self._init_model()
        t2 = time.perf_counter()
        self._bind(ledger)
        self.timing_s = {"build_net": t1 - t0, "convert": t2 - t1, "solve": 0.0}

    # -- set-up ---------------------------------------------------------------
    def _init_model(self) -> None:
        with _quiet():
            from lightsim2grid.network import init_from_pandapower

            self.model = init_from_pandapower(self.net, pp_orig_file=PP_ORIG_FILE)
        net = self.net
        m = self.model
        self.n_bus = len(net.bus)
        if m.total_bus() != self.n_bus:  # pragma: no cover - a lightsim2grid change
            raise RuntimeError("lightsim2grid renumbered the buses; the twin reads results by pandapower order")
        self.bus_names = list(net.bus["name"])
        self._max_i_ka = net.line["max_i_ka"].to_numpy(float) * net.line["df"].to_numpy(float)
        trafo = net.trafo
        self._t_vn_hv = trafo["vn_hv_kv"].to_numpy(float)
        self._t_vn_lv = trafo["vn_lv_kv"].to_numpy(float)
        self._t_sn = trafo["sn_mva"].to_numpy(float) * trafo["df"].to_numpy(float)
        self.n_line, self.n_trafo = len(net.line), len(trafo)
        for i in range(len(net.load)):
            m.change_q_load(i, 0.0)
        self._v_dc = m.dc_pf(np.ones(self.n_bus, dtype=complex), self.max_iterations, self.tolerance)
        if self._v_dc.size == 0:  # pragma: no cover - DC needs only a connected grid with a slack
            self._v_dc = np.ones(self.n_bus, dtype=complex)
        self._v = self._v_dc.copy()
        self._direct_rows = [np.asarray(self.line_rows[line], dtype=int) for _, line, _ in self._direct]
        # Branch names for the summary: config name per pandapower row.
        self.line_names = list(net.line["name"])
        self.trafo_names = list(trafo["name"])

    def _bind(self, ledger) -> None:
        self.loss_flow = ledger.add(f"{NETWORK_NAME}.electricity_mwh", carrier=Carrier.ELECTRICITY, kind="flow")
        self.losses = ledger.add(f"{NETWORK_NAME}.losses_mwh")
        self.v_min = ledger.add(f"{NETWORK_NAME}.v_min_pu")
        self.v_max = ledger.add(f"{NETWORK_NAME}.v_max_pu")
        self.loading_max = ledger.add(f"{NETWORK_NAME}.max_loading_percent")
        self.converged = ledger.add(f"{NETWORK_NAME}.converged")
        self._virtual = [ledger.columns[n] for n in ("park.unserved.electricity_mwh", "park.dumped.electricity_mwh")
                         if n in ledger.columns]
        n, nb = self.n_bus, self.n_line + self.n_trafo
        self._bus_min = np.full(n, np.inf)
        self._bus_max = np.full(n, -np.inf)
        self._under_hours = np.zeros(n, dtype=np.int64)
        self._over_hours = np.zeros(n, dtype=np.int64)
        self._branch_max = np.zeros(nb)
        self._overload_hours = np.zeros(nb, dtype=np.int64)
        self._worst = {"dev": -1.0, "hour": None, "vm": None}
        self._extremes = {"v_min": (np.inf, None, None), "v_max": (-np.inf, None, None), "loading": (-1.0, None, None)}
        self._counts = {"voltage": 0, "loading": 0, "pcc": 0, "solved": 0}
        self._pcc_excess_mw = 0.0
        self._slack_mismatch_mw = 0.0
        self.failures: list[dict] = []
        self.n_failures = 0
        self.direct_losses_mwh = 0.0

    # -- each hour ------------------------------------------------------------
    def _set_injections(self, h: int) -> None:
        m, tan_phi = self.model, self.tan_phi
        for i, flow in self._loads:
            p = -flow[h]
            m.change_p_load(i, p)
            m.change_q_load(i, p * tan_phi if p > 0.0 else 0.0)
        for i, flow, scale, _ in self._sgens:
            m.change_p_sgen(i, flow[h] * scale)
        for i, flow in self._storages:
            m.change_p_storage(i, -flow[h])

    def _ac(self, start: np.ndarray):
        v = self.model.ac_pf(start.copy(), self.max_iterations, self.tolerance)
        if v.size == 0 or not np.all(np.isfinite(v)):
            return None
        return v

    def solve(self, hour: int) -> None:
        """Solve ``hour`` (after its dispatch); book losses and slack into the ledger."""
        t0 = time.perf_counter()
        h = hour
        self._set_injections(h)
        v = self._ac(self._v)
        if v is None:  # a big change from the last hour: start again from the DC solution
            v = self._ac(self._v_dc)
        if v is None:
            self._not_converged(h)
        else:
            self._v = v
            self._record(h, v)
        self.timing_s["solve"] += time.perf_counter() - t0

    def _not_converged(self, h: int) -> None:
        """Keep the copperplate result of the hour and flag it."""
        solver = self.model.get_solver()
        reason = (f"AC power flow did not converge ({solver.get_error()}, {self.max_iterations} Newton-Raphson "
                  f"iterations from the previous hour's and from the DC voltages); copperplate balance kept")
        self.n_failures += 1
        if len(self.failures) < MAX_LISTED_FAILURES:
            self.failures.append({"hour": h, "time": self.label(h), "reason": reason})
        self.converged[h] = 0.0
        for a in (self.v_min, self.v_max, self.loading_max):
            a[h] = np.nan
        for comp, _, scale in self._direct:
            comp.extras["line_losses_mwh"][h] = comp.flows[Carrier.ELECTRICITY][h] * (scale - 1.0)
        self._v = self._v_dc.copy()

    def _record(self, h: int, v: np.ndarray) -> None:
        m = self.model
        vm = np.abs(v)
        p1, _, _, a1 = m.get_line_res1()
        p2, _, _, a2 = m.get_line_res2()
        tp1, _, _, ta1 = m.get_trafo_res1()
        tp2, _, _, ta2 = m.get_trafo_res2()
        line_loss = p1 + p2
        total = float(line_loss.sum() + tp1.sum() + tp2.sum())
        # Dedicated direct lines: what arrives is what was sent minus their losses.
        delta_grid, direct = 0.0, 0.0
        for (comp, _, scale), rows in zip(self._direct, self._direct_rows):
            flow = comp.flows[Carrier.ELECTRICITY]
            loss = float(line_loss[rows].sum())
            sent = flow[h] * scale
            delta_grid += flow[h] - (sent - loss)
            flow[h] = sent - loss
            comp.extras["line_losses_mwh"][h] = loss
            direct += loss
        park = total - direct
        self.direct_losses_mwh += direct
        self.loss_flow[h] = -park
        self.losses[h] = park
        self._book_grid(h, delta_grid + park)
        # The ledger's park-level unserved/dumped flows are not physical injections: the slack carries them.
        virtual = sum(a[h] for a in self._virtual)
        mismatch = abs(float(m.get_gen_res()[0][0]) - self.grid.flows[Carrier.ELECTRICITY][h] - virtual)
        if mismatch > self._slack_mismatch_mw:
            self._slack_mismatch_mw = mismatch

        loading = np.empty(self.n_line + self.n_trafo)
        np.divide(np.maximum(a1, a2), self._max_i_ka, out=loading[: self.n_line])
        np.divide(np.maximum(ta1 * self._t_vn_hv, ta2 * self._t_vn_lv) * SQRT3, self._t_sn, out=loading[self.n_line :])
        loading *= 100.0
        self._statistics(h, vm, loading)

    def _book_grid(self, h: int, delta: float) -> None:
        """Add ``delta`` [MWh] to the grid exchange's net import of hour ``h``."""
        g = self.grid
        e = g.extras
        g.flows[Carrier.ELECTRICITY][h] += delta
        net = e["import_mwh"][h] - e["export_mwh"][h] + delta
        imp, exp = (net, 0.0) if net > 0.0 else (0.0, -net)
        e["import_mwh"][h], e["export_mwh"][h] = imp, exp
        e["cost_cny"][h] = imp * g.import_price[h] - exp * g.export_price[h]
        excess = max(imp - g.import_limit_mw, exp - g.export_limit_mw)
        if excess > 1e-9:
            self._counts["pcc"] += 1
            self._pcc_excess_mw = max(self._pcc_excess_mw, excess)

    def _statistics(self, h: int, vm: np.ndarray, loading: np.ndarray) -> None:
        lo, hi = self.band
        vmin, vmax, lmax = float(vm.min()), float(vm.max()), float(loading.max()) if loading.size else 0.0
        self.v_min[h], self.v_max[h], self.loading_max[h], self.converged[h] = vmin, vmax, lmax, 1.0
        self._counts["solved"] += 1
        np.minimum(self._bus_min, vm, out=self._bus_min)
        np.maximum(self._bus_max, vm, out=self._bus_max)
        np.maximum(self._branch_max, loading, out=self._branch_max)
        if vmin < lo or vmax > hi:
            self._counts["voltage"] += 1
            self._under_hours += vm < lo
            self._over_hours += vm > hi
        if lmax > self.loading_limit:
            self._counts["loading"] += 1
            self._overload_hours += loading > self.loading_limit
        ex = self._extremes
        if vmin < ex["v_min"][0]:
            ex["v_min"] = (vmin, h, int(vm.argmin()))
        if vmax > ex["v_max"][0]:
            ex["v_max"] = (vmax, h, int(vm.argmax()))
        if lmax > ex["loading"][0]:
            ex["loading"] = (lmax, h, int(loading.argmax()))
        centre = 0.5 * (lo + hi)
        dev = max(vmax - centre, centre - vmin)
        if dev > self._worst["dev"]:
            self._worst = {"dev": dev, "hour": h, "vm": vm.copy()}

    # -- the plain way --------------------------------------------------------
    def element_powers(self, h: int) -> dict[str, np.ndarray]:
        """p/q of every pandapower element in hour ``h`` as the twin solved it
        (call after :meth:`solve`): load p_mw, q_mvar; sgen p_mw; storage p_mw."""
        tan_phi = self.tan_phi
        p_load = np.array([-flow[h] for _, flow in self._loads])
        # After solve a direct line's flow is what arrived: sent = arrived + line losses.
        sgen = np.array([flow[h] + direct.extras["line_losses_mwh"][h] if direct is not None else flow[h]
                         for _, flow, _, direct in self._sgens])
        return {"load_p_mw": p_load, "load_q_mvar": np.where(p_load > 0, p_load * tan_phi, 0.0), "sgen_p_mw": sgen,
                "storage_p_mw": np.array([-flow[h] for _, flow in self._storages])}

    def fast_power_flow(self, h: int) -> dict:
        """Hour ``h`` re-solved the twin's way from the DC start (after the
        run, for comparisons); same keys as :meth:`plain_power_flow`."""
        m, powers = self.model, self.element_powers(h)
        for i, (p, q) in enumerate(zip(powers["load_p_mw"], powers["load_q_mvar"])):
            m.change_p_load(i, float(p))
            m.change_q_load(i, float(q))
        for i, p in enumerate(powers["sgen_p_mw"]):
            m.change_p_sgen(i, float(p))
        for i, p in enumerate(powers["storage_p_mw"]):
            m.change_p_storage(i, float(p))
        v = self._ac(self._v_dc)
        if v is None:
            return {}
        p1, _, _, a1 = m.get_line_res1()
        p2, _, _, a2 = m.get_line_res2()
        tp1, _, _, ta1 = m.get_trafo_res1()
        tp2, _, _, ta2 = m.get_trafo_res2()
        loading = np.concatenate([np.maximum(a1, a2) / self._max_i_ka,
                                  np.maximum(ta1 * self._t_vn_hv, ta2 * self._t_vn_lv) * SQRT3 / self._t_sn]) * 100.0
        return {"vm_pu": np.abs(v), "losses_mw": float((p1 + p2).sum() + tp1.sum() + tp2.sum()),
                "loading_percent": loading, "slack_p_mw": float(m.get_gen_res()[0][0])}

    def plain_power_flow(self, h: int, **runpp_kwargs) -> dict:
        """Hour ``h`` solved the plain way: the element powers written into
        the pandapower tables and ``pandapower.runpp`` from scratch (its own
        Newton-Raphson, not lightsim2grid; pandapower's defaults otherwise).

        Returns
        -------
        dict
            ``vm_pu`` per bus, ``losses_mw`` (lines + transformers),
            ``loading_percent`` per line row then transformer row,
            ``slack_p_mw``.
        """
        pp = _pandapower()
        net = self.net
        powers = self.element_powers(h)
        net.load["p_mw"] = powers["load_p_mw"]
        net.load["q_mvar"] = powers["load_q_mvar"]
        net.sgen["p_mw"] = powers["sgen_p_mw"]
        net.storage["p_mw"] = powers["storage_p_mw"]
        # numba=False only where numba is missing anyway: same path, no log line per call.
        kwargs = {"lightsim2grid": False, "tolerance_mva": self.tolerance, **runpp_kwargs}
        if find_spec("numba") is None:
            kwargs.setdefault("numba", False)
        with _quiet():
            pp.runpp(net, **kwargs)
        return {"vm_pu": net.res_bus["vm_pu"].to_numpy(copy=True),
                "losses_mw": float(net.res_line["pl_mw"].sum() + net.res_trafo["pl_mw"].sum()),
                "loading_percent": np.concatenate([net.res_line["loading_percent"].to_numpy(),
                                                   net.res_trafo["loading_percent"].to_numpy()]),
                "slack_p_mw": float(net.res_ext_grid["p_mw"].sum())}

    # -- results --------------------------------------------------------------
    def _branch_label(self, i: int) -> tuple[str, str]:
        return ("line", self.line_names[i]) if i < self.n_line else ("transformer", self.trafo_names[i - self.n_line])

    def summary(self) -> dict:
        ex = self._extremes
        lo, hi = self.band

        def at(kind: str, value_key: str):
            value, h, i = ex[kind]
            if h is None:
                return None
            where = self.bus_names[i] if kind != "loading" else " ".join(self._branch_label(i))
            return {value_key: value, "element": where, "hour": h, "time": self.label(h)}

        elements = []
        for i, name in enumerate(self.bus_names):
            for kind, hours, worst in (("undervoltage", self._under_hours[i], self._bus_min[i]),
                                       ("overvoltage", self._over_hours[i], self._bus_max[i])):
                if hours:
                    elements.append({"element": f"bus {name}", "kind": kind, "hours": int(hours), "worst_pu": float(worst)})
        seen = set()
        for i in range(self.n_line + self.n_trafo):
            kind, name = self._branch_label(i)
            if self._overload_hours[i] and (kind, name) not in seen:
                seen.add((kind, name))
                elements.append({"element": f"{kind} {name}", "kind": "overload", "hours": int(self._overload_hours[i]),
                                 "worst_percent": float(self._branch_max[i])})
        elements.sort(key=lambda e: -e["hours"])
        return {
            "solver": f"lightsim2grid {self.model.get_solver_type()} (pandapower net converted once, warm start)",
            "buses": self.n_bus, "lines": len(self.layout.lines), "transformers": self.n_trafo,
            "elements": len(self.elements),
            "hours_converged": self._counts["solved"],
            "hours_not_converged": self.n_failures,
            "not_converged": self.failures,
            "losses_mwh": float(self.losses.sum()),
            "direct_line_losses_mwh": self.direct_losses_mwh,
            "voltage_band_pu": [lo, hi],
            "max_loading_limit_percent": self.loading_limit,
            "v_min_pu": at("v_min", "value_pu"),
            "v_max_pu": at("v_max", "value_pu"),
            "max_loading_percent": at("loading", "value_percent"),
            "violations": {"voltage_hours": self._counts["voltage"], "loading_hours": self._counts["loading"],
                           "pcc_limit_hours": self._counts["pcc"], "pcc_max_excess_mw": self._pcc_excess_mw,
                           "elements": elements},
            "slack_mismatch_mw": self._slack_mismatch_mw,
            "timing_s": dict(self.timing_s),
            "map": self._map(),
        }

    def _map(self) -> dict:
        """What the report's network map needs: coordinates, worst-hour
        voltages, yearly extremes per bus and the highest loading per branch."""
        worst_vm = self._worst["vm"]
        buses = []
        for i, name in enumerate(self.bus_names):
            b = self.layout.buses[name]
            point = b.point()
            buses.append({"name": name, "vn_kv": b.vn_kv, "coords": point[0] if point else None,
                          "x": point[1] if point else None, "y": point[2] if point else None,
                          "description": b.description,
                          "vm_worst_hour_pu": float(worst_vm[i]) if worst_vm is not None else None,
                          "vm_min_pu": float(self._bus_min[i]) if np.isfinite(self._bus_min[i]) else None,
                          "vm_max_pu": float(self._bus_max[i]) if np.isfinite(self._bus_max[i]) else None})
        branches = []
        for name, line in self.layout.lines.items():
            rows = self.line_rows[name]
            branches.append({"name": name, "kind": "line", "from": line.from_bus, "to": line.to_bus,
                             "length_km": self.layout.length_km[name], "parallel": line.parallel,
                             "type": line.std_type or "parameters",
                             "max_loading_percent": float(self._branch_max[rows].max())})
        for j, (name, t) in enumerate(self.layout.transformers.items()):
            branches.append({"name": name, "kind": "transformer", "from": t.hv_bus, "to": t.lv_bus,
                             "type": t.std_type or f"{t.sn_mva} MVA",
                             "max_loading_percent": float(self._branch_max[self.n_line + j])})
        elements = [{"name": name, "kind": kind, "bus": bus} for kind, name, bus in self.elements]
        elements.append({"name": self.grid.name, "kind": "ext_grid", "bus": self.layout.slack_bus})
        worst_h = self._worst["hour"]
        return {"buses": buses, "branches": branches, "elements": elements,
                "worst_hour": None if worst_h is None else {"hour": worst_h, "time": self.label(worst_h)}}


def build_power_network(valid, ctx, components, ledger):
    """``NETWORK_BUILDERS`` entry: the AC power-flow solver of a park with a
    ``park.networks.electric`` layout, or None without one.

    Raises
    ------
    ConfigError
        An electricity component without a layout bus (known only once the
        components are built: a heat pump draws electricity, a heat load not).
    """
    raw = (valid.networks or {}).get("electric")
    if raw is None:
        return None
    layout, problems = parse_layout(raw, valid.components)
    if not problems:
        problems = placement_problems(layout, components)
    if problems:
        raise ConfigError(problems)
    return PowerNetworkSolver(layout, components, ledger, label=ctx.clock.label)
