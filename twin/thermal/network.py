"""District heating and natural gas on pandapipes: the only module that imports it.

With ``run.networks=true`` the park's layouts (``layout.py``) become
pandapipes nets, built once. Each hour:

* ``HeatNetwork.prepare(h)`` (before the dispatch) solves the heat network
  with the hour's heat demands and the satellite sources' expected output,
  and posts what the network itself needs as demands of two
  pseudo-components: ``heat_network`` (heat losses of the pipes) and
  ``heat_network_pump`` (electricity of the circulation pump, on
  ``pump_bus``). The dispatch then supplies them like any demand, so every
  MWh is counted once and the hourly audit closes.
* ``HeatNetwork.solve(h)`` (after the dispatch) takes the dispatched heat
  flows per junction; if they differ from what ``prepare`` assumed (a
  satellite source ran differently) the network is solved again and the
  difference in losses is recorded (``heat_network.loss_mismatch_mwh``).
* ``GasNetwork.solve(h)`` solves pressures and flows for the dispatched gas
  draws; the city gate (pandapipes ext_grid) is the slack, so its mass flow
  is the park's gas import, converted from MWh (LHV) at this adapter.

The heat network's model: each layout pipe is a buried supply and return
pipe; the circulation pump at the plant holds the flow-side pressure, the
lift and the supply temperature (weather-compensated, ``t_supply_c`` to
``t_supply_min_c``). Consumers are pandapipes heat consumers that hold
their return temperature (mode QE_TR: colder supply, more water), producers
away from the plant are heat consumers with negative heat flow that heat
the return water by ``delta_t_k`` (QE_DT) with at least the minimum flow;
end-of-line bypasses and one at the plant keep water moving in hours
without load. Everything at the plant junction is inside the plant.

The fast path (``solver: fast``, the default) keeps the pandapipes net only
for set-up and as a fallback: a warm-started Newton solve over arrays
copied from pandapipes' internal tables (``newton.py``). ``solver: plain``
calls ``pandapipes.pipeflow`` from scratch every hour. Units are converted
here: pandapipes works in W, K, bar and kg/s; the twin in MWh, degC, bar.
"""

from __future__ import annotations

import logging
import time
import warnings
from types import SimpleNamespace

import numpy as np

from twin.core.carriers import Carrier
from twin.core.component import Converter, Demand, Source
from twin.thermal import models
from twin.thermal import newton as nw
from twin.thermal.layout import (GasLayout, HeatLayout, check_layouts, city_gate_of, parse_gas_layout,
                                 parse_heat_layout)

__all__ = ["build_heat_network", "build_gas_network", "check_layouts", "HeatNetwork", "GasNetwork"]

#: W per MW (pandapipes heat flows are in W).
W_PER_MW = 1e6
#: J per kWh (pandapipes heating values are in kWh/kg).
J_PER_KWH = 3.6e6
#: Dispatched flows within this of the assumed ones need no second solve [MW].
SAME_FLOW_MW = 1e-6
#: Non-converged hours listed in the summary (all are in the timeseries).
_MAX_LISTED_FAILURES = 50


def _pandapipes():
    """Import pandapipes lazily (about 2 s) and keep its logging quiet."""
    import pandapipes

    for name in ("pandapipes", "pandapower"):
        logging.getLogger(name).setLevel(logging.ERROR)
    return pandapipes


def _pipeflow(net, **kwargs):
    pp = _pandapipes()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pp.pipeflow(net, **kwargs)


class NetworkLosses(Demand):
    """Pseudo-component booking a network's losses as a demand of its carrier."""

    type_name = "network_losses"
    tags = ("network_losses",)

    def __init__(self, name, carrier, ctx):
        super().__init__(name, None, ctx)
        self.demand_mwh[carrier] = np.zeros(self.hours)


class NetworkPump(Demand):
    """Pseudo-component: the electricity of a network's pumps, on ``params.bus``."""

    type_name = "network_pump"
    tags = ("load", "auxiliary")

    def __init__(self, name, bus, ctx):
        super().__init__(name, SimpleNamespace(bus=bus), ctx)
        self.demand_mwh[Carrier.ELECTRICITY] = np.zeros(self.hours)


def _add_component(comp, components, ledger):
    comp.bind(ledger)
    components.append(comp)
    return comp


def _property(fluid, name):
    getter = fluid.all_properties[name].prop_getter
    return nw.Property(getter.x, getter.y)


def _placed(components, carrier: Carrier, connections: dict, key: str, default: str):
    """(component, junction) of every component with a flow of ``carrier``."""
    out = []
    for comp in components:
        if carrier not in comp.flows:
            continue
        j = connections.get(comp.name) or getattr(comp.params, key, None) or default
        out.append((comp, j))
    return out


def _predicted_mwh(components, carrier: Carrier, h: int, extra_need_mwh: float = 0.0) -> dict:
    """What each component is expected to put into (+) or take from (-) the
    carrier's balance in hour ``h``, before the dispatch has run.

    Demands and must-take sources are known; converters of the carrier run
    in merit order up to what the hour needs (their availability this hour,
    their minimum load); storage and surplus-only converters are assumed to
    do what they did the hour before. The dispatch may still differ: the
    network is then solved again after it.
    """
    from twin.core.component import Converter

    out, need = {}, extra_need_mwh
    suppliers = []
    for comp in components:
        if isinstance(comp, Demand):
            out[comp] = -float(comp.demand_mwh[carrier][h])
        elif isinstance(comp, Source):
            out[comp] = float(comp.available_mwh[h])
        elif isinstance(comp, Converter) and comp.output == carrier and comp.surplus_only is None:
            suppliers.append(comp)
            continue
        else:
            out[comp] = float(comp.flows[carrier][h - 1]) if h > 0 else 0.0
        need -= out[comp]
    for comp in sorted(suppliers, key=lambda c: c.priority):
        run = min(float(comp.max_output_mwh[h]), max(need, 0.0))
        if run < comp.min_output_mwh:
            run = 0.0
        out[comp] = run
        need -= run
    return out


# ======================================================================
# District heating
# ======================================================================

class _HeatResult(SimpleNamespace):
    """One solved hour: losses_w, pump_w, plant_w, state arrays, converged, reason, method, iterations."""


class HeatNetwork:
    """The district-heating network of a park (a :class:`twin.core.engine.NetworkSolver`).

    Parameters
    ----------
    layout : HeatLayout
    ctx : BuildContext
    components : list of Component
        Bound to ``ledger``; the two pseudo-components are appended.
    ledger : Ledger
    record : bool
        Keep every solve's inputs and results in ``self.log`` (benchmarks, tests).
    """

    name = "heat"

    def __init__(self, layout: HeatLayout, ctx, components, ledger, record: bool = False):
        self.layout = layout
        self.hours = ctx.clock.hours
        self.index = ctx.clock.index
        self.method = layout.solver
        self.record = record
        self.log: list[dict] = []
        self.t_ground_k = layout.t_ground_c + models.T_ZERO_C_K
        t_daily = models.daily_mean(ctx.weather["temp_air"].to_numpy(), ctx.clock.day_index)
        self.t_flow_c = models.heating_curve_supply_c(t_daily, layout.t_supply_c, layout.t_supply_min_c,
                                                      layout.t_design_c, layout.t_limit_c)
        placed = _placed(components, Carrier.HEAT, layout.connections, "heat_junction", layout.plant)
        self._members = [c for c, _ in placed]
        self._drawers = [(c, [o for o in components if c.output in o.flows]) for c in self._members
                         if isinstance(c, Converter) and Carrier.HEAT in c.inputs and c.output != Carrier.HEAT]
        self.placed_at_plant = sorted(c.name for c, j in placed
                                      if j == layout.plant and c.name not in layout.connections
                                      and getattr(c.params, "heat_junction", None) is None)
        # A consumer element per junction where heat can be drawn, a producer
        # element per junction where heat can be put in. What sits at the plant
        # junction (boilers, heat pumps, the tank, a load next door) is inside
        # the plant: the circulation pump's flow carries the network's balance.
        # One exception: heat the satellites deliver beyond the network's own
        # draws flows back to the plant (into its tank, its loads); a consumer
        # element at the plant takes that surplus, so the circulation pump
        # never runs backwards.
        self.sink_junctions = sorted({j for c, j in placed if self._can_draw(c) and j != layout.plant})
        self.sink_junctions.append(layout.plant)
        self.feed_junctions = sorted({j for c, j in placed if self._can_feed(c) and j != layout.plant})
        self._sink_members = {j: [c for c, jj in placed if jj == j and self._can_draw(c)] for j in self.sink_junctions
                              if j != layout.plant}
        self._feed_members = {j: [c for c, jj in placed if jj == j and self._can_feed(c)] for j in self.feed_junctions}
        self._build_net(components)
        self.losses = _add_component(NetworkLosses("heat_network", Carrier.HEAT, ctx), components, ledger)
        self.pump = _add_component(NetworkPump("heat_network_pump", layout.pump_bus, ctx), components, ledger)
        self._columns(ledger)
        self.failures: list[dict] = []
        self.fallback_hours: list[dict] = []
        self.solves = self.resolves = self.fallbacks = 0
        self.time_s = 0.0
        self._last_good = None
        self._booked = None

    # -- placement ------------------------------------------------------------
    @staticmethod
    def _can_draw(comp) -> bool:
        from twin.core.component import Converter, Exchange, Storage

        if isinstance(comp, (Demand, Storage, Exchange)):
            return True
        return isinstance(comp, Converter) and Carrier.HEAT in comp.inputs

    @staticmethod
    def _can_feed(comp) -> bool:
        from twin.core.component import Converter, Exchange, Storage

        if isinstance(comp, (Source, Storage, Exchange)):
            return True
        return isinstance(comp, Converter) and (comp.output == Carrier.HEAT or Carrier.HEAT in comp.by_products)

    # -- the pandapipes net ---------------------------------------------------
    def _build_net(self, components) -> None:
        pp = _pandapipes()
        L = self.layout
        net = pp.create_empty_network(fluid="water")
        t_s = L.t_supply_c + models.T_ZERO_C_K
        t_r = L.t_supply_c - L.delta_t_k + models.T_ZERO_C_K
        self.j_supply, self.j_return = {}, {}
        for name in L.junctions:
            self.j_supply[name] = pp.create_junction(net, pn_bar=L.p_supply_bar, tfluid_k=t_s, name=f"{name}:supply")
            self.j_return[name] = pp.create_junction(net, pn_bar=L.p_supply_bar - L.plift_bar, tfluid_k=t_r,
                                                     name=f"{name}:return")
        for p in L.pipes:
            kwargs = dict(length_km=p.length_m / 1000.0, inner_diameter_mm=p.diameter_mm,
                          outer_diameter_mm=p.outer_diameter_mm, k_mm=p.k_mm, u_w_per_m2k=p.u_w_per_m2k,
                          text_k=self.t_ground_k)
            pp.create_pipe_from_parameters(net, from_junction=self.j_supply[p.from_junction],
                                           to_junction=self.j_supply[p.to_junction], name=f"{p.name}:supply", **kwargs)
            pp.create_pipe_from_parameters(net, from_junction=self.j_return[p.to_junction],
                                           to_junction=self.j_return[p.from_junction], name=f"{p.name}:return", **kwargs)
        pp.create_circ_pump_const_pressure(net, return_junction=self.j_return[L.plant], flow_junction=self.j_supply[L.plant],
                                           p_flow_bar=L.p_supply_bar, plift_bar=L.plift_bar, t_flow_k=t_s, name="plant")
        # Initial heat flows: a tenth of each junction's peak demand, so that the
        # first (plain) pipeflow starts from a realistic state.
        for j in self.sink_junctions:
            peak = sum(float(np.max(c.demand_mwh[Carrier.HEAT])) if isinstance(c, Demand) else 0.0
                       for c in self._sink_members.get(j, ()))
            pp.create_heat_consumer(net, from_junction=self.j_supply[j], to_junction=self.j_return[j],
                                    qext_w=max(0.1 * peak, 0.1) * W_PER_MW, treturn_k=t_r, name=f"{j}:consumer")
        for j in self.feed_junctions:
            pp.create_heat_consumer(net, from_junction=self.j_supply[j], to_junction=self.j_return[j],
                                    qext_w=-0.01 * W_PER_MW, deltat_k=L.delta_t_k, name=f"{j}:producer")
        # Bypasses keep water moving where it would stand still: at the end of
        # each line (a thermostatic valve; its flow tops up what the junction's
        # consumers and producers already pass to min_flow_kg_per_s) and at the
        # plant (the temperature reference always has flow: pandapipes issues
        # 253 and 679 are about references without flow and hours without load).
        self.leaves = L.leaves()
        self.bypasses = self.leaves + [L.plant]
        for j in self.bypasses:
            pp.create_flow_control(net, from_junction=self.j_supply[j], to_junction=self.j_return[j],
                                   controlled_mdot_kg_per_s=max(L.min_flow_kg_per_s, 1e-6), name=f"{j}:bypass")
        self._both = np.array([(self.sink_junctions.index(j), self.feed_junctions.index(j)) for j in self.feed_junctions
                               if j in self.sink_junctions], int).reshape(-1, 2)
        self._leaf_sink = np.array([self.sink_junctions.index(j) if j in self.sink_junctions else -1 for j in self.leaves], int)
        self._leaf_feed = np.array([self.feed_junctions.index(j) if j in self.feed_junctions else -1 for j in self.leaves], int)
        self.net = net
        self.n_sinks = len(self.sink_junctions)
        self._min_feed_mw = 0.5 * L.min_flow_kg_per_s * models.CP_WATER_J_PER_KGK * L.delta_t_k / W_PER_MW
        _pipeflow(net, **self._pf_options())
        if not net.converged:  # pragma: no cover - a layout problem the checks did not catch
            raise RuntimeError("the heat network's first pipeflow did not converge")
        self._read_structure()

    def _pf_options(self):
        return dict(mode="bidirectional", max_iter_bidirect=60, ambient_temperature=self.t_ground_k)

    def _read_structure(self) -> None:
        """Copy the fixed arrays of the net's internal tables into a newton.Topology."""
        from pandapipes.idx_branch import IdxBranch as B
        from pandapipes.idx_node import IdxNode as N
        from pandapipes.pf.pipeflow_setup import get_lookup

        net = self.net
        pit_b, pit_n = net["_pit"]["branch"], net["_pit"]["node"]
        ft = get_lookup(net, "branch", "from_to")
        kind = np.full(len(pit_b), -1)
        self.rows = {}
        self._table_of_pit = {}  # table row of each pit row, per table
        for table, k in (("pipe", nw.PIPE), ("heat_consumer", nw.CONSUMER), ("flow_control", nw.FLOW_CONTROL),
                         ("circ_pump_pressure", nw.PUMP)):
            if table in ft:
                f, t = ft[table]
                kind[f:t] = k
                # pit row of each table row, in table order
                elem = pit_b[f:t, B.ELEMENT_IDX].astype(int)
                self.rows[table] = f + np.argsort(elem)
                self._table_of_pit[table] = elem
        if np.any(kind < 0):
            raise RuntimeError("unexpected element in the heat network")
        node_of = get_lookup(net, "node", "index")["junction"]
        self.node_supply = {j: int(node_of[i]) for j, i in self.j_supply.items()}
        self.node_return = {j: int(node_of[i]) for j, i in self.j_return.items()}
        slack = np.flatnonzero(pit_n[:, N.NODE_TYPE] == N.P)
        self.topo = nw.Topology(
            n_nodes=len(pit_n), from_node=pit_b[:, B.FROM_NODE].astype(int), to_node=pit_b[:, B.TO_NODE].astype(int),
            kind=kind, length_m=pit_b[:, B.LENGTH].copy(), d_m=pit_b[:, B.D].copy(), k_m=pit_b[:, B.K].copy(),
            loss_coefficient=pit_b[:, B.LOSS_COEFFICIENT].copy(),
            alpha_w_per_mk=pit_b[:, B.ALPHA] * np.pi * pit_b[:, B.DO], t_ext_k=pit_b[:, B.TEXT].copy(),
            p_amb_bar=pit_n[:, N.PAMB].copy(), slack_node=int(slack[0]))
        fluid = net["fluid"]
        self.water = nw.WaterNetwork(self.topo, _property(fluid, "density"), _property(fluid, "viscosity"),
                                     _property(fluid, "heat_capacity"), ambient_temperature_k=self.t_ground_k)
        self.state = self._state_from_pit()
        self.cons_rows = self.rows["heat_consumer"]
        self.pump_row = int(self.rows["circ_pump_pressure"][0])
        self.consumers = self.sink_junctions[:-1]   # without the plant's surplus element
        self.supply_nodes = np.array([self.node_supply[j] for j in self.consumers], int)
        self.return_nodes = np.array([self.node_return[j] for j in self.consumers], int)
        self.all_supply_nodes = np.array([self.node_supply[j] for j in self.layout.junctions], int)
        self.feed_return_nodes = np.array([self.node_return[j] for j in self.feed_junctions], int)

    def _state_from_pit(self) -> nw.WaterState:
        from pandapipes.idx_branch import IdxBranch as B
        from pandapipes.idx_node import IdxNode as N

        pit_b, pit_n = self.net["_pit"]["branch"], self.net["_pit"]["node"]
        return nw.WaterState(p_bar=pit_n[:, N.PINIT].copy(), mdot_kg_per_s=pit_b[:, B.MDOTINIT].copy(),
                             t_k=pit_n[:, N.TINIT].copy(), t_out_k=pit_b[:, B.TOUTINIT].copy())

    # -- ledger columns ---------------------------------------------------------
    def _columns(self, ledger) -> None:
        col = lambda q: ledger.add(f"heat_network.{q}", kind="state")  # noqa: E731
        # not "losses_mwh": that name is a storage's loss in the energy summary
        self.c_losses = col("heat_loss_mwh")
        self.c_mismatch = col("loss_mismatch_mwh")
        self.c_plant = col("plant_heat_mwh")
        self.c_t_flow = col("t_supply_plant_c")
        self.c_t_return = col("t_return_plant_c")
        self.c_t_min = col("t_supply_min_c")
        self.c_dp_min = col("dp_min_bar")
        self.c_p_min = col("p_min_bar")
        self.c_mdot = col("pump_mdot_kg_per_s")
        self.c_converged = col("converged")
        self.c_iter = col("iterations")
        self.c_fallback = col("fallback")
        # supply temperature at every junction (the map); at each consumer its
        # return temperature and the pressure difference across it
        self.c_ts = {j: col(f"{j}.t_supply_c") for j in self.layout.junctions}
        self.c_j = {j: (col(f"{j}.t_return_c"), col(f"{j}.dp_bar")) for j in self.consumers}

    # -- one hour -----------------------------------------------------------------
    def _inputs(self, h: int, sink_mw: np.ndarray, feed_mw: np.ndarray) -> dict:
        L = self.layout
        qext = np.concatenate([sink_mw, -feed_mw]) * W_PER_MW
        # End-of-line bypass (a thermostatic valve): it tops up the flow the
        # junction's consumer passes to min_flow_kg_per_s, and stays shut while
        # a producer there keeps the end of the line hot (nominal water
        # properties are enough for a valve's control rule).
        per_mw = W_PER_MW / (models.CP_WATER_J_PER_KGK * L.delta_t_k)
        passed = np.zeros(len(self.leaves))
        has = self._leaf_sink >= 0
        passed[has] += sink_mw[self._leaf_sink[has]] * per_mw
        bypass = np.maximum(L.min_flow_kg_per_s - passed, 0.0)
        has = self._leaf_feed >= 0
        bypass[has] = np.where(feed_mw[self._leaf_feed[has]] > 0.0, 0.0, bypass[has])
        bypass = np.append(bypass, L.min_flow_kg_per_s)
        # A producer's pump circulates at least min_flow_kg_per_s while it feeds
        # in (it then heats the water by less than delta_t_k): a satellite at
        # dawn pushes a trickle of heat, not a trickle of water, down its line.
        m_feed = np.maximum(feed_mw * per_mw, L.min_flow_kg_per_s)
        lift = np.where(feed_mw > 0.0, feed_mw * W_PER_MW / (models.CP_WATER_J_PER_KGK * m_feed), L.delta_t_k)
        t_flow_k = self.t_flow_c[h] + models.T_ZERO_C_K
        # Consumers are temperature-controlled (their valves hold the return at
        # the supply set point less delta_t_k: pandapipes' mode QE_TR), which
        # keeps the temperature level of a part of the network fed by a
        # producer alone; producers heat the water they take by delta_t_k (QE_DT).
        n_sink, n_feed = len(sink_mw), len(feed_mw)
        deltat = np.concatenate([np.full(n_sink, np.nan), np.maximum(lift, 1e-6)])
        treturn = np.concatenate([np.full(n_sink, t_flow_k - L.delta_t_k), np.full(n_feed, np.nan)])
        return {"qext_w": qext, "deltat_k": deltat, "treturn_k": treturn, "mdot_set_kg_per_s": bypass,
                "plift_bar": L.plift_bar, "t_flow_k": t_flow_k, "p_slack_bar": L.p_supply_bar}

    def _flows(self, h: int, predicted: bool) -> tuple[np.ndarray, np.ndarray]:
        """Heat drawn per sink junction and fed per feed junction [MW]."""
        if predicted:
            last = self._last_good.losses_w / W_PER_MW if self._last_good is not None else 0.0
            guess = _predicted_mwh(self._members, Carrier.HEAT, h, extra_need_mwh=last)
            # converters that draw heat for another carrier (absorption chillers):
            # their output predicted in that carrier's merit order
            for comp, group in self._drawers:
                out = _predicted_mwh(group, comp.output, h)[comp]
                guess[comp] = -out * float(comp.inputs[Carrier.HEAT][h])
            value = guess.__getitem__
        else:
            value = lambda c: float(c.flows[Carrier.HEAT][h])  # noqa: E731
        sink = np.array([sum(max(-value(c), 0.0) for c in self._sink_members[j]) for j in self.sink_junctions[:-1]])
        feed = np.array([sum(max(value(c), 0.0) for c in self._feed_members[j]) for j in self.feed_junctions])
        # A producer serves the consumers at its own junction first: only the
        # net flow enters the network (a consumer and a producer side by side
        # would otherwise circulate water between themselves).
        if len(self._both):
            both = np.minimum(sink[self._both[:, 0]], feed[self._both[:, 1]])
            sink[self._both[:, 0]] -= both
            feed[self._both[:, 1]] -= both
        # A trickle of heat cannot drive a satellite's pump: below half of what
        # its minimum flow carries at the design difference it stays off and
        # its heat is booked (by the dispatch) without moving water.
        feed[feed < self._min_feed_mw] = 0.0
        return np.append(sink, max(float(feed.sum() - sink.sum()), 0.0)), feed

    def _solve_inputs(self, h: int, inputs: dict) -> _HeatResult:
        t0 = time.perf_counter()
        self.solves += 1
        method, reason, converged = self.method, "", True
        backup = nw.WaterState(self.state.p_bar.copy(), self.state.mdot_kg_per_s.copy(), self.state.t_k.copy(),
                               self.state.t_out_k.copy())
        if method == "fast":
            try:
                perm = self._table_of_pit["heat_consumer"]
                fast = dict(inputs, qext_w=inputs["qext_w"][perm], deltat_k=inputs["deltat_k"][perm],
                            treturn_k=inputs["treturn_k"][perm])
                fast["mdot_set_kg_per_s"] = inputs["mdot_set_kg_per_s"][self._table_of_pit["flow_control"]]
                self.water.solve(self.state, fast)
            except (nw.NotConverged, np.linalg.LinAlgError, RuntimeError, ValueError) as err:
                reason = f"fast path: {err}"
                self.state = backup
                method = "plain"
                self.fallbacks += 1
                if len(self.fallback_hours) < _MAX_LISTED_FAILURES:
                    self.fallback_hours.append({"hour": h, "time": str(self.index[h]), "reason": reason})
        if method == "plain":
            converged, why = self._plain(inputs)
            if converged:
                self.state = self._state_from_pit()
            else:
                reason = f"{reason}; pipeflow: {why}" if reason else f"pipeflow: {why}"
                self.state = backup
        result = self._result(self.state, inputs, converged, reason, method)
        self.time_s += time.perf_counter() - t0
        if self.record:
            self.log.append({"hour": h, "inputs": {k: np.copy(v) for k, v in inputs.items()},
                             "t_k": self.state.t_k.copy(), "p_bar": self.state.p_bar.copy(),
                             "losses_w": result.losses_w, "pump_w": result.pump_w, "converged": converged})
        return result

    def _plain(self, inputs: dict) -> tuple[bool, str]:
        """pandapipes' pipeflow from scratch with this hour's inputs."""
        net = self.net
        net.heat_consumer["qext_w"] = inputs["qext_w"]
        net.heat_consumer["deltat_k"] = inputs["deltat_k"]
        net.heat_consumer["treturn_k"] = inputs["treturn_k"]
        net.flow_control["controlled_mdot_kg_per_s"] = inputs["mdot_set_kg_per_s"]
        net.circ_pump_pressure["t_flow_k"] = inputs["t_flow_k"]
        net.circ_pump_pressure["plift_bar"] = inputs["plift_bar"]
        net.circ_pump_pressure["p_flow_bar"] = inputs["p_slack_bar"]
        try:
            _pipeflow(net, **self._pf_options())
        except Exception as err:  # pandapipes raises several kinds here
            return False, f"{type(err).__name__}: {err}"
        return bool(net.converged), "" if net.converged else "did not converge"

    def _result(self, s: nw.WaterState, inputs, converged: bool, reason: str, method: str) -> _HeatResult:
        water = self.water
        losses_w = float(water.pipe_heat_loss_w(s).sum())
        m_pump = float(s.mdot_kg_per_s[self.pump_row])
        t_ret = float(s.t_k[self.topo.from_node[self.pump_row]])
        t_flow = float(inputs["t_flow_k"])
        rho = float(water.rho(np.array([t_ret]))[0])
        cp = float(0.5 * (water.cp(np.array([t_ret])) + water.cp(np.array([t_flow])))[0])
        pump_w = float(models.pump_electric_power_mw(m_pump / rho, inputs["plift_bar"], self.layout.pump_efficiency)) * W_PER_MW
        return _HeatResult(losses_w=losses_w, pump_w=pump_w, plant_w=cp * m_pump * (t_flow - t_ret),
                           m_pump=m_pump, t_flow_k=t_flow, t_return_k=t_ret, converged=converged, reason=reason,
                           method=method, iterations=s.iterations if method == "fast" else 0)

    def prepare(self, h: int) -> None:
        """Before the dispatch: book the hour's losses and pump power as demands."""
        sink, feed = self._flows(h, predicted=True)
        result = self._solve_inputs(h, self._inputs(h, sink, feed))
        if result.converged:
            self._last_good = result
        booked = result if result.converged or self._last_good is None else self._last_good
        self.losses.demand_mwh[Carrier.HEAT][h] = booked.losses_w / W_PER_MW
        self.pump.demand_mwh[Carrier.ELECTRICITY][h] = booked.pump_w / W_PER_MW
        self._booked = (sink, feed, result, booked)

    def solve(self, h: int) -> None:
        """After the dispatch: solve again if the dispatched flows differ; record the hour."""
        t0 = time.perf_counter()
        sink_p, feed_p, result, booked = self._booked
        sink, feed = self._flows(h, predicted=False)
        if (len(sink) and np.max(np.abs(sink - sink_p)) > SAME_FLOW_MW) or \
                (len(feed) and np.max(np.abs(feed - feed_p)) > SAME_FLOW_MW):
            self.resolves += 1
            result = self._solve_inputs(h, self._inputs(h, sink, feed))
            if result.converged:
                self._last_good = result
        self._record(h, result, booked)
        self.time_s += time.perf_counter() - t0

    def _record(self, h: int, r: _HeatResult, booked: _HeatResult) -> None:
        s = self.state
        c_k = models.T_ZERO_C_K
        self.c_losses[h] = booked.losses_w / W_PER_MW
        self.c_mismatch[h] = (r.losses_w - booked.losses_w) / W_PER_MW if r.converged else np.nan
        self.c_converged[h] = 1.0 if r.converged else 0.0
        self.c_fallback[h] = 1.0 if r.method == "plain" and self.method == "fast" else 0.0
        self.c_iter[h] = r.iterations
        if not r.converged:
            self.failures.append({"hour": h, "time": str(self.index[h]), "reason": r.reason})
            for c in (self.c_plant, self.c_t_flow, self.c_t_return, self.c_t_min, self.c_dp_min, self.c_p_min, self.c_mdot):
                c[h] = np.nan
            for cols in [*self.c_j.values(), *[(c,) for c in self.c_ts.values()]]:
                for c in cols:
                    c[h] = np.nan
            return
        self.c_plant[h] = r.plant_w / W_PER_MW
        self.c_t_flow[h] = r.t_flow_k - c_k
        self.c_t_return[h] = r.t_return_k - c_k
        self.c_mdot[h] = r.m_pump
        self.c_p_min[h] = float(np.min(s.p_bar))
        for j, t_j in zip(self.layout.junctions, s.t_k[self.all_supply_nodes] - c_k):
            self.c_ts[j][h] = t_j
        k_cons = len(self.consumers)
        if k_cons:
            rows = self.cons_rows[:k_cons]
            q = s.mdot_kg_per_s[rows]
            t_sup = s.t_k[self.supply_nodes] - c_k
            t_ret = np.where(np.abs(q) > nw.ZERO_FLOW_KG_PER_S, s.t_out_k[rows] - c_k, np.nan)
            dp = s.p_bar[self.supply_nodes] - s.p_bar[self.return_nodes]
            for k, j in enumerate(self.consumers):
                a, b = self.c_j[j]
                a[h], b[h] = t_ret[k], dp[k]
            self.c_t_min[h] = float(np.min(t_sup))
            self.c_dp_min[h] = float(np.min(dp))
        else:
            self.c_t_min[h] = self.c_dp_min[h] = np.nan

    # -- summary ------------------------------------------------------------------
    def summary(self) -> dict:
        L = self.layout
        losses = float(np.nansum(self.c_losses))
        plant = float(np.nansum(self.c_plant))
        return {
            "solver": self.method,
            "plant": L.plant,
            "junctions": {j: [x, y] for j, (x, y) in L.junctions.items()},
            "pipes": [{"name": p.name, "from": p.from_junction, "to": p.to_junction, "length_m": p.length_m,
                       "diameter_mm": p.diameter_mm} for p in L.pipes],
            "consumers": self.consumers,
            "producers": self.feed_junctions,
            "bypasses": self.bypasses,
            "placed_at_plant_by_default": self.placed_at_plant,
            "trench_length_km": sum(p.length_m for p in L.pipes) / 1000.0,
            "losses_mwh": losses,
            "loss_mismatch_mwh": float(np.nansum(self.c_mismatch)),
            "pump_mwh": float(self.pump.flows[Carrier.ELECTRICITY].sum() * -1.0),
            "plant_heat_mwh": plant,
            "t_supply_min_c": float(np.nanmin(self.c_t_min)) if np.isfinite(self.c_t_min).any() else None,
            "dp_min_bar": float(np.nanmin(self.c_dp_min)) if np.isfinite(self.c_dp_min).any() else None,
            "hours_not_converged": int((self.c_converged == 0).sum()),
            "not_converged": self.failures[:_MAX_LISTED_FAILURES],
            "solves": self.solves,
            "resolves_after_dispatch": self.resolves,
            "fallbacks_to_pipeflow": self.fallbacks,
            "fallbacks": self.fallback_hours,
            "solve_time_s": self.time_s,
        }


# ======================================================================
# Natural gas
# ======================================================================

class GasNetwork:
    """The park's natural-gas network (a :class:`twin.core.engine.NetworkSolver`).

    Consumers draw at their junctions (pandapipes sinks), biomethane is
    injected (sources), the city gate fixes the pressure (ext_grid). Energy
    on a lower-heating-value basis is converted to mass with the fluid's LHV.
    """

    name = "gas"
    #: What the class solves; the hydrogen network reuses it with its own.
    carrier = Carrier.GAS
    gate_type = "gas_supply"
    junction_key = "gas_junction"
    prefix = "gas_network"

    def __init__(self, layout: GasLayout, ctx, components, ledger, record: bool = False):
        pp = _pandapipes()
        self.layout = layout
        self.hours = ctx.clock.hours
        self.index = ctx.clock.index
        self.method = layout.solver
        self.record = record
        self.log: list[dict] = []
        gate_comp = next(c for c in components if c.type_name == self.gate_type)
        self.city_gate = city_gate_of(layout, gate_comp.name, gate_comp.params, self.junction_key)
        placed = [(c, j) for c, j in _placed(components, self.carrier, layout.connections, self.junction_key,
                                             self.city_gate)
                  if c is not gate_comp]
        self._members = placed
        t_k = layout.t_gas_c + models.T_ZERO_C_K
        net = pp.create_empty_network(fluid=layout.fluid)
        self.junction = {j: pp.create_junction(net, pn_bar=layout.p_city_gate_bar, tfluid_k=t_k, name=j)
                         for j in layout.junctions}
        for p in layout.pipes:
            pp.create_pipe_from_parameters(net, from_junction=self.junction[p.from_junction],
                                           to_junction=self.junction[p.to_junction], length_km=p.length_m / 1000.0,
                                           inner_diameter_mm=p.diameter_mm, k_mm=p.k_mm, name=p.name)
        pp.create_ext_grid(net, junction=self.junction[self.city_gate], p_bar=layout.p_city_gate_bar, t_k=t_k,
                           name="city gate")
        self.names = list(layout.junctions)
        for j in self.names:
            pp.create_sink(net, junction=self.junction[j], mdot_kg_per_s=0.0, name=j)
        fluid = net["fluid"]
        self.lhv_j_per_kg = float(np.ravel(fluid.get_property("lhv"))[0]) * J_PER_KWH
        self.rho_n = float(fluid.get_density(nw.NORMAL_TEMPERATURE_K))
        self.net = net
        self._pf = dict(mode="hydraulics", max_iter_hyd=60)
        _pipeflow(net, **self._pf)
        self._read_structure(fluid, t_k)
        self._columns(ledger)
        self.failures: list[dict] = []
        self.solves = self.fallbacks = 0
        self.time_s = 0.0

    def _read_structure(self, fluid, t_k) -> None:
        from pandapipes.idx_branch import IdxBranch as B
        from pandapipes.idx_node import IdxNode as N
        from pandapipes.pf.pipeflow_setup import get_lookup

        pit_b, pit_n = self.net["_pit"]["branch"], self.net["_pit"]["node"]
        node_of = get_lookup(self.net, "node", "index")["junction"]
        self.node = np.array([int(node_of[self.junction[j]]) for j in self.names], int)
        slack = np.flatnonzero(pit_n[:, N.NODE_TYPE] == N.P)
        self.topo = nw.Topology(
            n_nodes=len(pit_n), from_node=pit_b[:, B.FROM_NODE].astype(int), to_node=pit_b[:, B.TO_NODE].astype(int),
            kind=np.zeros(len(pit_b), int), length_m=pit_b[:, B.LENGTH].copy(), d_m=pit_b[:, B.D].copy(),
            k_m=pit_b[:, B.K].copy(), loss_coefficient=pit_b[:, B.LOSS_COEFFICIENT].copy(),
            alpha_w_per_mk=np.zeros(len(pit_b)), t_ext_k=np.full(len(pit_b), t_k), p_amb_bar=pit_n[:, N.PAMB].copy(),
            slack_node=int(slack[0]))
        comp = fluid.all_properties["compressibility"]
        t_m = 0.5 * (pit_n[pit_b[:, B.FROM_NODE].astype(int), N.TINIT] + pit_b[:, B.TOUTINIT])
        self.gas = nw.GasNetwork(self.topo, _property(fluid, "viscosity"), self.rho_n, float(comp.offset),
                                 float(comp.slope), t_m)
        self.state = nw.GasState(p_bar=pit_n[:, N.PINIT].copy(), mdot_kg_per_s=pit_b[:, B.MDOTINIT].copy())

    def _columns(self, ledger) -> None:
        col = lambda q: ledger.add(f"{self.prefix}.{q}", kind="state")  # noqa: E731
        self.c_p_min = col("p_min_bar")
        self.c_import_kg = col("import_kg")
        self.c_import_m3 = col("import_m3")
        self.c_low = col("low_pressure")
        self.c_converged = col("converged")
        self.c_p = {j: col(f"{j}.p_bar") for j in self.names}

    def draws_kg_per_s(self, h: int) -> np.ndarray:
        """Net gas drawn per junction in hour ``h`` (injections negative) [kg/s]."""
        mw = np.zeros(len(self.names))
        pos = {j: k for k, j in enumerate(self.names)}
        for comp, j in self._members:
            mw[pos[j]] -= comp.flows[self.carrier][h]
        return mw * W_PER_MW / self.lhv_j_per_kg

    def solve(self, h: int) -> None:
        t0 = time.perf_counter()
        self.solves += 1
        draws = self.draws_kg_per_s(h)
        converged, reason = True, ""
        backup = nw.GasState(self.state.p_bar.copy(), self.state.mdot_kg_per_s.copy())
        method = self.method
        if method == "fast":
            load = np.zeros(self.topo.n_nodes)
            np.add.at(load, self.node, draws)
            try:
                self.gas.solve(self.state, load, self.layout.p_city_gate_bar)
            except (nw.NotConverged, np.linalg.LinAlgError, RuntimeError, ValueError) as err:
                reason, method = f"fast path: {err}", "plain"
                self.state = backup
                self.fallbacks += 1
        if method == "plain":
            self.net.sink["mdot_kg_per_s"] = draws
            try:
                _pipeflow(self.net, **self._pf)
                converged = bool(self.net.converged)
            except Exception as err:
                converged, reason = False, f"{reason}; pipeflow: {type(err).__name__}: {err}"
            if converged:
                from pandapipes.idx_branch import IdxBranch as B
                from pandapipes.idx_node import IdxNode as N

                self.state = nw.GasState(self.net["_pit"]["node"][:, N.PINIT].copy(),
                                         self.net["_pit"]["branch"][:, B.MDOTINIT].copy())
            else:
                self.state = backup
        total_kg = float(draws.sum()) * 3600.0
        self.c_import_kg[h] = total_kg
        self.c_import_m3[h] = total_kg / self.rho_n
        self.c_converged[h] = 1.0 if converged else 0.0
        if converged:
            p = self.state.p_bar[self.node]
            self.c_p_min[h] = float(p.min())
            self.c_low[h] = 1.0 if p.min() < self.layout.p_min_bar else 0.0
            for k, j in enumerate(self.names):
                self.c_p[j][h] = p[k]
        else:
            self.failures.append({"hour": h, "time": str(self.index[h]), "reason": reason})
            self.c_p_min[h] = np.nan
            for j in self.names:
                self.c_p[j][h] = np.nan
        if self.record:
            self.log.append({"hour": h, "draws_kg_per_s": draws.copy(), "p_bar": self.state.p_bar.copy(),
                             "mdot_kg_per_s": self.state.mdot_kg_per_s.copy(), "converged": converged})
        self.time_s += time.perf_counter() - t0

    def summary(self) -> dict:
        L = self.layout
        return {
            "solver": self.method,
            "fluid": L.fluid,
            "city_gate": self.city_gate,
            "junctions": {j: [x, y] for j, (x, y) in L.junctions.items()},
            "pipes": [{"name": p.name, "from": p.from_junction, "to": p.to_junction, "length_m": p.length_m,
                       "diameter_mm": p.diameter_mm} for p in L.pipes],
            "lhv_mj_per_kg": self.lhv_j_per_kg / 1e6,
            "rho_normal_kg_per_m3": self.rho_n,
            "import_kg": float(self.c_import_kg.sum()),
            "import_m3": float(self.c_import_m3.sum()),
            "p_min_bar": float(np.nanmin(self.c_p_min)) if np.isfinite(self.c_p_min).any() else None,
            "hours_low_pressure": int(self.c_low.sum()),
            "hours_not_converged": int((self.c_converged == 0).sum()),
            "not_converged": self.failures[:_MAX_LISTED_FAILURES],
            "solves": self.solves,
            "fallbacks_to_pipeflow": self.fallbacks,
            "solve_time_s": self.time_s,
        }


# ======================================================================
# The plain way, for tests and benchmarks
# ======================================================================

def compare_heat_with_pipeflow(network: HeatNetwork, entries: list[dict], **options) -> dict:
    """Solve logged hours again with pandapipes' pipeflow from scratch.

    ``entries`` come from ``network.log`` (``record=True``); ``options``
    override pipeflow options (e.g. tighter tolerances). Returns the largest
    differences (node temperatures [K], node pressures [bar], losses, pump
    power and plant heat relative to the plain solve's plant heat [-]) and
    the mean wall time of one plain pipeflow [s].
    """
    pf = {**network._pf_options(), **options}
    worst = {"t_k": 0.0, "p_bar": 0.0, "energy_rel": 0.0, "losses_rel": 0.0}
    times, failed = [], 0
    for e in entries:
        inputs = e["inputs"]
        net = network.net
        net.heat_consumer["qext_w"] = inputs["qext_w"]
        net.heat_consumer["deltat_k"] = inputs["deltat_k"]
        net.heat_consumer["treturn_k"] = inputs["treturn_k"]
        net.flow_control["controlled_mdot_kg_per_s"] = inputs["mdot_set_kg_per_s"]
        net.circ_pump_pressure["t_flow_k"] = inputs["t_flow_k"]
        t0 = time.perf_counter()
        try:
            _pipeflow(net, **pf)
        except Exception:
            failed += 1
            continue
        times.append(time.perf_counter() - t0)
        if not net.converged:
            failed += 1
            continue
        plain = network._state_from_pit()
        r = network._result(plain, inputs, True, "", "plain")
        fast_losses = float(e["losses_w"])
        worst["t_k"] = max(worst["t_k"], float(np.max(np.abs(plain.t_k - e["t_k"]))))
        worst["p_bar"] = max(worst["p_bar"], float(np.max(np.abs(plain.p_bar - e["p_bar"]))))
        scale = max(abs(r.plant_w), 1.0)
        worst["energy_rel"] = max(worst["energy_rel"], abs(fast_losses - r.losses_w) / scale,
                                  abs(e["pump_w"] - r.pump_w) / max(r.pump_w, 1.0))
        worst["losses_rel"] = max(worst["losses_rel"], abs(fast_losses - r.losses_w) / max(r.losses_w, 1.0))
    return {**worst, "hours": len(times), "failed": failed, "pipeflow_s": float(np.mean(times)) if times else None}


def compare_gas_with_pipeflow(network: GasNetwork, entries: list[dict], **options) -> dict:
    """As :func:`compare_heat_with_pipeflow` for the gas network: largest
    pressure difference [bar] and relative mass-flow difference [-]."""
    from pandapipes.idx_branch import IdxBranch as B
    from pandapipes.idx_node import IdxNode as N

    pf = {**network._pf, **options}
    worst_p, worst_m, times, failed = 0.0, 0.0, [], 0
    for e in entries:
        network.net.sink["mdot_kg_per_s"] = e["draws_kg_per_s"]
        t0 = time.perf_counter()
        try:
            _pipeflow(network.net, **pf)
        except Exception:
            failed += 1
            continue
        times.append(time.perf_counter() - t0)
        if not network.net.converged:
            failed += 1
            continue
        p = network.net["_pit"]["node"][:, N.PINIT]
        worst_p = max(worst_p, float(np.max(np.abs(p - e["p_bar"]))))
        m = network.net["_pit"]["branch"][:, B.MDOTINIT]
        scale = max(float(np.abs(e["draws_kg_per_s"]).sum()), 1e-9)
        worst_m = max(worst_m, float(np.max(np.abs(m - e["mdot_kg_per_s"]))) / scale)
    return {"p_bar": worst_p, "mdot_rel": worst_m, "hours": len(times), "failed": failed,
            "pipeflow_s": float(np.mean(times)) if times else None}


# ======================================================================
# Builders (twin.simulation.NETWORK_BUILDERS)
# ======================================================================

def build_heat_network(valid, ctx, components, ledger, record: bool = False):
    """The park's heat network, or None when it has no ``park.networks.heat``."""
    raw = (valid.networks or {}).get("heat")
    if raw is None:
        return None
    layout, problems = parse_heat_layout(raw, valid.components)
    if problems:  # validate() has run check_layouts; this is a safety net
        from twin.core.errors import ConfigError

        raise ConfigError(problems)
    return HeatNetwork(layout, ctx, components, ledger, record=record)


def build_gas_network(valid, ctx, components, ledger, record: bool = False):
    """The park's gas network, or None when it has no ``park.networks.gas``."""
    raw = (valid.networks or {}).get("gas")
    if raw is None:
        return None
    layout, problems = parse_gas_layout(raw, valid.components)
    if problems:
        from twin.core.errors import ConfigError

        raise ConfigError(problems)
    return GasNetwork(layout, ctx, components, ledger, record=record)
