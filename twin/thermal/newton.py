"""The hourly fast path: a warm-started Newton solve over fixed arrays.

``network.py`` builds a pandapipes net once, runs pandapipes' own pipeflow
to initialise it, and copies out what does not change between hours
(topology, lengths, diameters, roughness, heat-transfer coefficients, the
fluid's property tables). Each hour this module solves the same equations
pandapipes solves, with the set-up and result extraction left out and the
previous hour's state as the starting point:

* liquid (district heating), the state of pandapipes' mode
  "bidirectional": hydraulics (pressure at nodes, mass flow in branches)
  and heat transfer (node temperatures, branch outlet temperatures) in one
  Newton system with their couplings, properties at the current
  temperatures;
* gas, mode "hydraulics": isothermal compressible flow.

The equations follow pandapipes 0.16 (``pf/derivative_toolbox.py``,
``component_models/*``): Darcy-Weisbach with lambda = 64/Re + Nikuradse,
exponential heat loss of pipes towards their ambient temperature, heat
consumers with a given heat flow and a temperature difference or return
temperature, flow controllers, a circulation pump with a given lift that fixes the flow-side
pressure and temperature, an external grid that fixes the pressure. The
sparsity pattern is fixed at build, so each Newton step is a handful of
vectorised numpy operations and one sparse LU solve. Tests compare it with
``pandapipes.pipeflow`` hour by hour (``tests/test_heat_network.py``).

Nothing here imports pandapipes: the arrays come from ``network.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import csc_matrix
from scipy.sparse.linalg import splu

#: Pa per bar.
P_CONVERSION = 1e5
#: Normal conditions of gas volumes [bar], [K] (pandapipes' constants).
NORMAL_PRESSURE_BAR = 1.01325
NORMAL_TEMPERATURE_K = 273.15
#: |mdot| below which a branch counts as stagnant [kg/s] (pandapipes: isclose(m, 0, atol=1e-10)).
ZERO_FLOW_KG_PER_S = 1e-10

PIPE, CONSUMER, FLOW_CONTROL, PUMP = 0, 1, 2, 3
#: Smallest temperature drop of a return-temperature-controlled consumer [K]
#: (pandapipes stops such a consumer instead; an open valve is closer to life).
MIN_CONSUMER_DT_K = 2.0
#: How much hotter than the plant's supply water may arrive at a consumer [K].
CONSUMER_DT_MARGIN_K = 15.0
#: Longest temperature step of one Newton iteration [K]; and how far above
#: the plant's supply temperature an iterate may go [K].
MAX_T_STEP_K = 25.0
T_HIGH_MARGIN_K = 60.0


class NotConverged(RuntimeError):
    """The Newton iteration did not converge within its iterations."""


@dataclass
class Property:
    """A fluid property linear in temperature between table points, linearly
    extrapolated beyond them (pandapipes' ``FluidPropertyInterExtra``)."""

    x: np.ndarray
    y: np.ndarray

    def __post_init__(self):
        self.x = np.asarray(self.x, float)
        self.y = np.asarray(self.y, float)
        self._lo_slope = (self.y[1] - self.y[0]) / (self.x[1] - self.x[0])
        self._hi_slope = (self.y[-1] - self.y[-2]) / (self.x[-1] - self.x[-2])

    def __call__(self, t):
        t = np.asarray(t, float)
        out = np.interp(t, self.x, self.y)
        lo, hi = t < self.x[0], t > self.x[-1]
        if lo.any():
            out[lo] = self.y[0] + (t[lo] - self.x[0]) * self._lo_slope
        if hi.any():
            out[hi] = self.y[-1] + (t[hi] - self.x[-1]) * self._hi_slope
        return out


@dataclass
class Topology:
    """Nodes and branches of a pandapipes net in its internal (pit) order.

    Attributes
    ----------
    n_nodes : int
    from_node, to_node : numpy.ndarray of int
    kind : numpy.ndarray of int
        PIPE, CONSUMER, FLOW_CONTROL or PUMP per branch.
    length_m, d_m, k_m, loss_coefficient : numpy.ndarray
    alpha_w_per_mk : numpy.ndarray
        Heat-transfer coefficient per metre, U * pi * D_outer [W/(m K)].
    t_ext_k : numpy.ndarray
        Ambient temperature of each branch [K].
    p_amb_bar : numpy.ndarray
        Ambient (atmospheric) pressure of each node [bar].
    slack_node : int
        Node whose pressure is fixed.
    """

    n_nodes: int
    from_node: np.ndarray
    to_node: np.ndarray
    kind: np.ndarray
    length_m: np.ndarray
    d_m: np.ndarray
    k_m: np.ndarray
    loss_coefficient: np.ndarray
    alpha_w_per_mk: np.ndarray
    t_ext_k: np.ndarray
    p_amb_bar: np.ndarray
    slack_node: int
    area_m2: np.ndarray = field(init=False)

    def __post_init__(self):
        self.area_m2 = np.pi * self.d_m ** 2 / 4.0
        self.n_branches = len(self.from_node)


class _Pattern:
    """A fixed sparsity pattern: COO entries listed once, turned into CSC
    by a precomputed permutation (no duplicate entries allowed)."""

    def __init__(self, rows, cols, size):
        rows, cols = np.asarray(rows, np.int64), np.asarray(cols, np.int64)
        order = np.lexsort((rows, cols))
        keys = cols[order] * size + rows[order]
        if np.any(np.diff(keys) == 0):
            raise ValueError("duplicate entries in a fixed sparsity pattern")
        self.order = order
        self.indices = rows[order].astype(np.int32)
        self.indptr = np.searchsorted(cols[order], np.arange(size + 1)).astype(np.int32)
        self.size = size

    def factor(self, data):
        """LU factors of the matrix with entries ``data`` (in pattern order)."""
        matrix = csc_matrix((data[self.order], self.indices, self.indptr), shape=(self.size, self.size))
        return splu(matrix, permc_spec="COLAMD")


class _ChordSolver:
    """Newton steps that reuse the last LU factors while they still converge fast.

    A fresh factorisation costs about as much as a residual evaluation; close
    to the solution the Jacobian barely changes, so each hour factors its
    first Jacobian and keeps those factors until a step shrinks by less than
    ``max_ratio`` relative to the one before (then the next step refactors).
    Converges to the same solution as full Newton: only the path differs.
    """

    def __init__(self, pattern: _Pattern, max_ratio: float = 0.2):
        self.pattern = pattern
        self.max_ratio = max_ratio
        self.lu = None
        self.refactor = True
        self.last_step = np.inf
        self.factorisations = 0

    def start(self, fresh: int = 1):
        """A new hour: factor the first ``fresh`` Jacobians afresh, then reuse them."""
        self.last_step = np.inf
        self.fresh = fresh

    def step(self, data, residual, force: bool = False):
        if self.lu is None or self.refactor or force or self.fresh > 0:
            self.lu = self.pattern.factor(data)
            self.factorisations += 1
            self.refactor = False
        self.fresh -= 1
        dx = self.lu.solve(residual)
        size = float(np.max(np.abs(dx))) if len(dx) else 0.0
        if not np.isfinite(size):
            self.lu = None
            self.refactor = True
        elif size > self.max_ratio * self.last_step:
            self.refactor = True
        self.last_step = size
        return dx


def _next_below(step, last, tols) -> bool:
    """Would the next Newton step be below the tolerances? Estimated from the
    last two steps' ratio (conservative once convergence is superlinear)."""
    for now, before, tol in zip(step, last, tols):
        if now > tol and (before <= 0.0 or now * (now / before) > tol or now > before):
            return False
    return True


def _lambda_incompressible(m, d, k, eta, area):
    """Darcy friction factor and its derivative by mdot (pandapipes "nikuradse")."""
    laminar, dlam = _laminar(m, d, eta, area)
    return laminar + 1.0 / (-2.0 * np.log10(k / (3.71 * d))) ** 2, dlam


def _laminar(m, d, eta, area):
    """64 / Re and its derivative by mdot; zero where Re ~ 0 (pandapipes: isclose(Re, 0))."""
    re = np.abs(m) * d / (eta * area)
    pos = re > 1e-8
    if pos.all():
        return 64.0 / re, -np.sign(m) * 64.0 * eta * area / (m ** 2 * d)
    laminar = np.zeros_like(m)
    dlam = np.zeros_like(m)
    laminar[pos] = 64.0 / re[pos]
    dlam[pos] = -np.sign(m[pos]) * 64.0 * eta[pos] * area[pos] / (m[pos] ** 2 * d[pos])
    return laminar, dlam


def _lambda_gas(m, d, k, eta, area):
    laminar, dlam = _laminar(m, d, eta, area)
    return laminar + 1.0 / (2.0 * np.log10(d / k) + 1.14) ** 2, dlam


class _Hydraulics:
    """Unknowns [p (nodes), mdot (branches)]; node mass balances except at
    the slack node, whose row fixes its pressure; one equation per branch."""

    def __init__(self, topo: Topology):
        self.topo = topo
        n, b = topo.n_nodes, topo.n_branches
        self.n, self.b = n, b
        br = np.arange(b)
        fn, tn = topo.from_node, topo.to_node
        keep_f = fn != topo.slack_node
        keep_t = tn != topo.slack_node
        # node rows: +1 at (to, m_b), -1 at (from, m_b); slack row: (slack, p_slack)
        rows = [tn[keep_t], fn[keep_f], [topo.slack_node]]
        cols = [n + br[keep_t], n + br[keep_f], [topo.slack_node]]
        # branch rows: (branch, m_b), (branch, p_from), (branch, p_to)
        rows += [n + br, n + br, n + br]
        cols += [n + br, fn, tn]
        self.keep_f, self.keep_t = keep_f, keep_t
        self.rows, self.cols = np.concatenate(rows), np.concatenate(cols)
        self.pattern = _Pattern(self.rows, self.cols, n + b)
        self.n_node_entries = int(keep_t.sum() + keep_f.sum() + 1)

    def node_residual(self, m, load_kg_per_s=None):
        """Mass balance per node [kg/s]: inflow - outflow - load."""
        topo = self.topo
        f = np.bincount(topo.to_node, m, self.n) - np.bincount(topo.from_node, m, self.n)
        if load_kg_per_s is not None:
            f -= load_kg_per_s
        return f

    def node_jacobian_data(self):
        return np.concatenate([np.ones(self.keep_t.sum()), -np.ones(self.keep_f.sum()), [1.0]])


@dataclass
class WaterState:
    """Solved state of a liquid network [bar gauge], [kg/s], [K]."""

    p_bar: np.ndarray
    mdot_kg_per_s: np.ndarray
    t_k: np.ndarray
    t_out_k: np.ndarray
    iterations: int = 0


class WaterNetwork:
    """District-heating hydraulics and heat transfer, solved together.

    One Newton step solves for pressures, mass flows, node temperatures and
    branch outlet temperatures at once, with the couplings between them in
    the Jacobian (a consumer that holds its return temperature takes more
    water when its supply is colder; a pipe loses more heat when its flow is
    smaller). pandapipes' "bidirectional" mode alternates the two parts
    instead; the converged state is the same.

    Parameters
    ----------
    topo : Topology
    density, viscosity, heat_capacity : Property
        Water properties [kg/m3], [Pa s], [J/(kg K)] against temperature [K].
    ambient_temperature_k : float
        Temperature given to stagnant nodes and branches [K]
        (pandapipes' ``ambient_temperature`` option).
    """

    def __init__(self, topo: Topology, density: Property, viscosity: Property, heat_capacity: Property,
                 ambient_temperature_k: float = 293.15):
        self.topo = topo
        self.rho, self.eta, self.cp = density, viscosity, heat_capacity
        self.amb = ambient_temperature_k
        self.hyd = _Hydraulics(topo)
        kind = topo.kind
        self.pipes = np.flatnonzero(kind == PIPE)
        self.consumers = np.flatnonzero(kind == CONSUMER)
        self.flow_controls = np.flatnonzero(kind == FLOW_CONTROL)
        self.pumps = np.flatnonzero(kind == PUMP)
        n, b = topo.n_nodes, topo.n_branches
        self.n, self.b = n, b
        br = np.arange(b)
        fn, tn = topo.from_node, topo.to_node
        h0 = n + b   # first heat unknown / equation
        c = self.consumers
        # Blocks of the joint pattern, in the order the data is assembled:
        #   hydraulics (as _Hydraulics lists it), heat (node diagonal, (from, Tout),
        #   (to, Tout), (branch, T_from), (branch, T_to), (branch, Tout)), then the
        #   couplings: consumer flow by its end temperatures, heat branch equation
        #   by its flow, heat node equations by the flows of their branches.
        rows = [self.hyd_rows, h0 + np.arange(n), h0 + fn, h0 + tn, h0 + n + br, h0 + n + br, h0 + n + br,
                n + c, n + c, h0 + n + br, h0 + fn, h0 + tn]
        cols = [self.hyd_cols, h0 + np.arange(n), h0 + n + br, h0 + n + br, h0 + fn, h0 + tn, h0 + n + br,
                h0 + fn[c], h0 + tn[c], n + br, n + br, n + br]
        self.pattern = _Pattern(np.concatenate(rows), np.concatenate(cols), 2 * (n + b))
        self.solver = _ChordSolver(self.pattern, max_ratio=0.2)
        self._signature = b""

    @property
    def hyd_rows(self):
        return self.hyd.rows

    @property
    def hyd_cols(self):
        return self.hyd.cols

    @staticmethod
    def _deltat(t_in_k, inputs) -> tuple[np.ndarray, np.ndarray]:
        """Temperature drop across each heat consumer [K]: ``deltat_k`` where
        given, else down to ``treturn_k`` (never less than MIN_CONSUMER_DT_K:
        a consumer fed near its return temperature opens fully); and whether
        it follows the inlet temperature."""
        t_ret = inputs.get("treturn_k")
        if t_ret is None:
            dt = inputs["deltat_k"]
            return dt, np.zeros(len(dt), bool)
        controlled = ~np.isnan(t_ret)
        free = np.where(controlled, t_in_k - np.nan_to_num(t_ret), 0.0)
        # Water cannot reach a consumer hotter than the plant sends it (plus what
        # a producer may add): the cap keeps the Newton iteration away from the
        # spurious branch "no flow at an infinite temperature".
        cap = inputs["t_flow_k"] - np.nan_to_num(t_ret) + CONSUMER_DT_MARGIN_K
        dt = np.where(controlled, np.clip(free, MIN_CONSUMER_DT_K, cap), inputs["deltat_k"])
        return dt, controlled & (free > MIN_CONSUMER_DT_K) & (free < cap)

    def _step(self, s: "WaterState", inputs) -> tuple[float, float, float, float]:
        """One Newton step of the joint system; returns the largest changes of
        mdot [kg/s], p [bar], T [K] and the largest hydraulic residual."""
        n, b = self.n, self.b
        data, residual, signature = self._assemble(s, inputs)
        # A flow that changed direction or stopped changes the Jacobian's shape: refactor.
        dx = self.solver.step(data, residual, force=signature != self._signature)
        self._signature = signature
        # Step limiting: far from the solution (a flow reverses, a branch starts
        # or stops) a full step can throw temperatures far outside what water in
        # the network can have; limit each temperature's step and keep it in
        # that range (flows and pressures take their full step).
        dx[n + b:] = np.clip(dx[n + b:], -MAX_T_STEP_K, MAX_T_STEP_K)
        t_low = min(float(np.min(self.topo.t_ext_k)), self.amb) - 1.0
        t_high = float(inputs["t_flow_k"]) + T_HIGH_MARGIN_K
        s.p_bar = s.p_bar - dx[:n]
        s.mdot_kg_per_s = s.mdot_kg_per_s - dx[n:n + b]
        s.t_k = np.clip(s.t_k - dx[n + b:2 * n + b], t_low, t_high)
        s.t_out_k = np.clip(s.t_out_k - dx[2 * n + b:], t_low, t_high)
        res_hyd = float(np.max(np.abs(residual[:n + b])))
        return (float(np.max(np.abs(dx[n:n + b]))), float(np.max(np.abs(dx[:n]))),
                float(np.max(np.abs(dx[n + b:]))), res_hyd)

    def _assemble(self, s: "WaterState", inputs):
        """Jacobian entries (pattern order), residual and flow-shape signature at ``s``."""
        topo = self.topo
        n, b = self.n, self.b
        m, p, t, t_out = s.mdot_kg_per_s, s.p_bar, s.t_k, s.t_out_k
        fn, tn = topo.from_node, topo.to_node
        switched = m < -2e-11
        inlet = np.where(switched, tn, fn)
        outlet = np.where(switched, fn, tn)
        m_abs = np.abs(m)
        fl = m_abs > ZERO_FLOW_KG_PER_S
        t_in = t[inlet]
        cp_in, cp_out, cp_t = self.cp(t_in), self.cp(t_out), self.cp(t)
        cp_b = 0.5 * (cp_in + cp_out)

        # ---- hydraulics: branch equations ------------------------------------
        res_b = np.empty(b)
        dm = np.ones(b)
        dpf = np.zeros(b)
        dpt = np.zeros(b)
        p_abs = p + topo.p_amb_bar
        i = self.pipes
        if len(i):
            rho = 0.5 * (self.rho(t_in[i]) + self.rho(t_out[i]))
            eta = self.eta(0.5 * (t_in[i] + t_out[i]))
            lam, dlam = _lambda_incompressible(m[i], topo.d_m[i], topo.k_m[i], eta, topo.area_m2[i])
            friction = topo.length_m[i] * lam / topo.d_m[i] + topo.loss_coefficient[i]
            const = 1.0 / (topo.area_m2[i] ** 2 * rho * P_CONVERSION * 2.0)
            res_b[i] = p_abs[fn[i]] - p_abs[tn[i]] - const * m_abs[i] * m[i] * friction
            dm[i] = -const * (2.0 * np.maximum(m_abs[i], 1e-8) * friction
                              + dlam * topo.length_m[i] / topo.d_m[i] * m_abs[i] * m[i])
            dpf[i], dpt[i] = 1.0, -1.0
        c = self.consumers
        d_cons_tf = np.zeros(len(c))
        d_cons_tt = np.zeros(len(c))
        if len(c):
            # heat consumers: m = Q / (cp dT), dT given (QE_DT) or down to a return temperature (QE_TR)
            dt, follows = self._deltat(t_in[c], inputs)
            q = inputs["qext_w"]
            res_b[c] = m[c] - q / (cp_b[c] * dt)
            d_in = np.where(follows, q / (cp_b[c] * dt ** 2), 0.0)
            d_cons_tf = np.where(switched[c], 0.0, d_in)
            d_cons_tt = np.where(switched[c], d_in, 0.0)
        i = self.flow_controls
        if len(i):
            res_b[i] = m[i] - inputs["mdot_set_kg_per_s"]
        i = self.pumps
        if len(i):  # circulation pump: p_to = p_from + lift
            res_b[i] = p_abs[fn[i]] - p_abs[tn[i]] + inputs["plift_bar"]
            dm[i], dpf[i], dpt[i] = 0.0, 1.0, -1.0
        res_n = self.hyd.node_residual(m)
        res_n[topo.slack_node] = p[topo.slack_node] - inputs["p_slack_bar"]

        # ---- heat: branch equations -----------------------------------------
        qext = np.zeros(b)
        qext[c] = inputs["qext_w"]
        alpha_l = topo.alpha_w_per_mk * topo.length_m
        hb = np.empty(b)
        h_in = np.zeros(b)
        h_out = -np.ones(b)
        h_m = np.zeros(b)
        decay = np.exp(-alpha_l[fl] / (cp_b[fl] * m_abs[fl]))
        t_ext = topo.t_ext_k[fl]
        hb[fl] = t_ext + (t_in[fl] - t_ext) * decay - t_out[fl] - qext[fl] / (cp_b[fl] * m_abs[fl])
        h_in[fl] = decay
        h_m[fl] = np.sign(m[fl]) * ((t_in[fl] - t_ext) * decay * alpha_l[fl] + qext[fl]) / (cp_b[fl] * m[fl] ** 2)
        hb[~fl] = self.amb - t_out[~fl]
        i = self.pumps
        if len(i):
            hb[i] = inputs["t_flow_k"] - t_out[i]
            h_in[i] = h_m[i] = 0.0
        t_ret = inputs.get("treturn_k")
        if t_ret is not None and len(c):
            # a served QE_TR consumer returns its water at the set temperature
            fixed = ~np.isnan(t_ret) & (inputs["qext_w"] != 0.0) & fl[c]
            j = c[fixed]
            hb[j] = t_ret[fixed] - t_out[j]
            h_in[j] = h_m[j] = 0.0
        # ---- heat: node equations, sum over incoming branches of cp_n |m| (Tout - T_node)
        cp_n = 0.5 * (cp_out + cp_t[outlet])
        w = np.where(fl, cp_n * m_abs, 0.0)
        gap = t_out - t[outlet]
        hn = np.bincount(outlet, w * gap, n)
        diag = -np.bincount(outlet, w, n)
        has_flow = np.zeros(n, bool)
        has_flow[fn[fl]] = True
        has_flow[tn[fl]] = True
        hn[~has_flow] = self.amb - t[~has_flow]
        diag[~has_flow] = -1.0
        w_from = np.where(switched, w, 0.0)
        w_to = np.where(switched, 0.0, w)
        node_m = np.where(fl, cp_n * np.sign(m) * gap, 0.0)
        m_from = np.where(switched, node_m, 0.0)
        m_to = np.where(switched, 0.0, node_m)
        h_tf = np.where(switched, 0.0, h_in)
        h_tt = np.where(switched, h_in, 0.0)

        data = np.concatenate([self.hyd.node_jacobian_data(), dm, dpf, dpt,
                               diag, w_from, w_to, h_tf, h_tt, h_out,
                               d_cons_tf, d_cons_tt, h_m, m_from, m_to])
        residual = np.concatenate([res_n, res_b, hn, hb])
        return data, residual, switched.tobytes() + fl.tobytes()

    def solve(self, state: "WaterState", inputs: dict, tol_p_bar=1e-6, tol_m_kg_per_s=1e-5, tol_t_k=1e-4,
              tol_res=1e-4, max_iter=30) -> "WaterState":
        """Solve one hour from ``state`` (modified in place and returned).

        ``inputs`` holds ``qext_w``, ``deltat_k`` and ``treturn_k`` of the
        consumers (NaN where not given: pandapipes' modes QE_DT and QE_TR; a
        producer is a consumer with negative heat flow and a ``deltat_k``: its
        water flows from the return to the supply side and is heated by it),
        ``mdot_set_kg_per_s`` of the flow controllers, ``plift_bar`` and
        ``t_flow_k`` of the circulation pump and ``p_slack_bar``. Converged
        when the last step moved no flow by more than ``tol_m_kg_per_s``, no
        pressure by more than ``tol_p_bar``, no temperature by more than
        ``tol_t_k`` and the mass and pressure balances were met to ``tol_res``.
        Raises :class:`NotConverged`.
        """
        # The first step jumps from the last hour's state to this hour's: factor
        # the Jacobian afresh for it, then keep the factors while the steps
        # shrink fast (refactor when they do not, or when a flow turns).
        self.solver.start(fresh=1)
        last = None
        for it in range(1, max_iter + 1):
            step = self._step(state, inputs)
            dm, dp, dt, res = step
            if not np.isfinite(dm + dp + dt):
                self.solver.lu = None
                raise NotConverged(f"non-finite step in iteration {it}")
            if dm <= tol_m_kg_per_s and dp <= tol_p_bar and dt <= tol_t_k and res <= tol_res:
                state.iterations = it
                return state
            if last is not None and res <= 1e3 * tol_res and _next_below(step, last, (tol_m_kg_per_s, tol_p_bar, tol_t_k)):
                state.iterations = it
                return state
            last = step
        raise NotConverged(f"no convergence in {max_iter} iterations "
                           f"(last steps: mdot {dm:.2e} kg/s, p {dp:.2e} bar, T {dt:.2e} K)")

    # -- results ----------------------------------------------------------
    def pipe_heat_loss_w(self, s: WaterState) -> np.ndarray:
        """Heat lost by each branch to its surroundings [W] (zero for non-pipes)."""
        topo = self.topo
        m = s.mdot_kg_per_s
        inlet = np.where(m < -2e-11, topo.to_node, topo.from_node)
        t_in = s.t_k[inlet]
        cp_b = 0.5 * (self.cp(t_in) + self.cp(s.t_out_k))
        loss = np.zeros(topo.n_branches)
        i = self.pipes
        flowing = ~np.isclose(m[i], 0.0, rtol=1e-10, atol=ZERO_FLOW_KG_PER_S)
        loss[i[flowing]] = cp_b[i[flowing]] * np.abs(m[i[flowing]]) * (t_in[i[flowing]] - s.t_out_k[i[flowing]])
        return loss


@dataclass
class GasState:
    p_bar: np.ndarray
    mdot_kg_per_s: np.ndarray
    iterations: int = 0


class GasNetwork:
    """Isothermal compressible network with one pressure slack (the city gate).

    Parameters
    ----------
    topo : Topology
    viscosity : Property
        Dynamic viscosity against temperature [Pa s].
    rho_normal_kg_per_m3 : float
        Density at 0 degC and 1.01325 bar.
    z_offset, z_slope_per_bar : float
        Compressibility Z = offset + slope * p_abs (pandapipes' linear property).
    t_gas_k : numpy.ndarray
        Gas temperature of each branch [K].
    """

    def __init__(self, topo: Topology, viscosity: Property, rho_normal_kg_per_m3: float, z_offset: float,
                 z_slope_per_bar: float, t_gas_k: np.ndarray):
        self.topo = topo
        self.hyd = _Hydraulics(topo)
        self.pipes = np.flatnonzero(topo.kind == PIPE)
        if len(self.pipes) != topo.n_branches:
            raise ValueError("the gas fast path handles pipes only")
        self.rho_n = rho_normal_kg_per_m3
        self.z0, self.z1 = z_offset, z_slope_per_bar
        self.t_m = np.asarray(t_gas_k, float)
        self.eta = viscosity(self.t_m)
        self.normal_term = NORMAL_PRESSURE_BAR / (NORMAL_TEMPERATURE_K * P_CONVERSION * rho_normal_kg_per_m3)
        self.solver = _ChordSolver(self.hyd.pattern)

    def _step(self, s: GasState, load_kg_per_s, p_slack_bar):
        topo, hyd = self.topo, self.hyd
        n = hyd.n
        m, p = s.mdot_kg_per_s, s.p_bar
        fn, tn = topo.from_node, topo.to_node
        p1 = p[fn] + topo.p_amb_bar[fn]
        p2 = p[tn] + topo.p_amb_bar[tn]
        # mean pressure 2/3 (p1^3 - p2^3) / (p1^2 - p2^2) and its derivatives
        pm = p1.copy()
        dpm1 = np.ones_like(p1)
        dpm2 = -np.ones_like(p1)
        diff = p1 != p2
        if diff.any():
            a, c = p1[diff], p2[diff]
            sq = a ** 2 - c ** 2
            cub = a ** 3 - c ** 3
            fac = (1.0 / sq) ** 2 * (2.0 / 3.0)
            pm[diff] = 2.0 / 3.0 * cub / sq
            dpm1[diff] = (3 * a ** 2 * sq - 2 * a * cub) * fac
            dpm2[diff] = (-3 * c ** 2 * sq + 2 * c * cub) * fac
        z = self.z0 + self.z1 * pm
        dz1, dz2 = self.z1 * dpm1, self.z1 * dpm2
        lam, dlam = _lambda_gas(m, topo.d_m, topo.k_m, self.eta, topo.area_m2)
        friction = lam * topo.length_m / topo.d_m + topo.loss_coefficient
        const = self.normal_term / topo.area_m2 ** 2
        m_abs = np.abs(m)
        m2 = m * m_abs
        s_inv = 1.0 / (p1 + p2)
        g = const * m2 * friction * self.t_m
        res_b = p1 - p2 - g * z * s_inv
        dpf = 1.0 - g * s_inv * (dz1 - z * s_inv)
        dpt = -1.0 - g * s_inv * (dz2 - z * s_inv)
        dm = -const * s_inv * self.t_m * z * (2.0 * np.maximum(m_abs, 1e-8) * friction
                                               + dlam * topo.length_m * m2 / topo.d_m)
        dm[np.isclose(m_abs, 0.0)] = 1.0  # as pandapipes: a stagnant pipe keeps a regular row
        res_n = hyd.node_residual(m, load_kg_per_s)
        res_n[topo.slack_node] = p[topo.slack_node] - p_slack_bar
        data = np.concatenate([hyd.node_jacobian_data(), dm, dpf, dpt])
        residual = np.concatenate([res_n, res_b])
        dx = self.solver.step(data, residual)
        s.p_bar = p - dx[:n]
        s.mdot_kg_per_s = m - dx[n:]
        return float(np.max(np.abs(dx[n:]))), float(np.max(np.abs(dx[:n]))), float(np.max(np.abs(residual)))

    def solve(self, state: GasState, load_kg_per_s, p_slack_bar: float, tol_p_bar=1e-7, tol_m_kg_per_s=1e-7,
              tol_res=1e-6, max_iter=30) -> GasState:
        """Solve one hour; ``load_kg_per_s`` per node, positive for a draw."""
        self.solver.start()
        for it in range(1, max_iter + 1):
            dm, dp, res = self._step(state, load_kg_per_s, p_slack_bar)
            if not np.isfinite(dm + dp):
                self.solver.lu = None
                raise NotConverged(f"non-finite step in iteration {it}")
            if dm <= tol_m_kg_per_s and dp <= tol_p_bar and res <= max(tol_res, 1e3 * tol_p_bar):
                state.iterations = it
                return state
        raise NotConverged(f"no convergence in {max_iter} iterations (last steps: mdot {dm:.2e} kg/s, p {dp:.2e} bar)")
