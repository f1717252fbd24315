"""Dispatch: who supplies what in one hour.

:class:`DispatchStrategy` is the interface a settlement calls once per hour;
:class:`MeritOrderDispatch` is the deterministic rule-based strategy. An
optimising dispatch replaces it by implementing ``settle(hour)`` over the
same components.

Merit order, carrier by carrier in :data:`twin.core.carriers.DISPATCH_ORDER`:

1. must-take: sources' availability, by-products of converters already run;
2. need = demands + inputs drawn by converters already run - must-take;
3. a deficit is covered by suppliers in ascending ``priority``: converters
   of the carrier (a ``surplus_only`` converter only up to the must-take
   surplus of its input), storage discharge (unless told to ``hold``), then
   imports; what is left is unserved, shared pro rata among the carrier's
   demands;
4. converters that ``fill_storage`` (power-to-heat, electrolysers) also
   make what the carrier's storage can take, within the limits above;
5. a surplus goes to storage charge, then export; what is left is curtailed
   pro rata among the carrier's sources;
6. storage told to charge in this hour (``grid_charge``, e.g. valley-price
   hours) fills up from what import capacity is left;
7. a converter that draws a carrier already balanced (a fuel cell, met in
   the electricity step, draws hydrogen) may use only what that carrier's
   storage and imports can still give; after all carriers, such late draws
   are settled from storage, then imports, the rest unserved.
"""

from __future__ import annotations

from typing import Protocol

from twin.core.carriers import DISPATCH_ORDER, Carrier
from twin.core.component import Component, Converter, Demand, Exchange, Source, Storage

_TINY_MWH = 1e-12
#: Bisection steps when a part-load curve makes input energy non-linear.
_BISECTION_STEPS = 40


class DispatchStrategy(Protocol):
    """What a settlement needs from a dispatch strategy."""

    def settle(self, hour: int) -> None:
        """Decide and record every component's flows for ``hour``."""


class _CarrierGroup:
    """The components of one carrier, sorted for the merit order."""

    def __init__(self, carrier: Carrier, components: list[Component]):
        self.carrier = carrier
        self.sources = [c for c in components if isinstance(c, Source) and c.carrier == carrier]
        # (available, delivered flow, curtailed) arrays of every source of the carrier
        self.source_arrays = [(c.available_mwh, c.flows[carrier], c.extras["curtailed_mwh"]) for c in self.sources]
        self.available_arrays = [c.available_mwh for c in self.sources]
        # (demand, served flow, unserved) arrays of every demand of the carrier
        self.demands = [(c.demand_mwh[carrier], c.flows[carrier], c.extras[f"unserved_{carrier.value}_mwh"])
                        for c in components if isinstance(c, Demand) and carrier in c.demand_mwh]
        self.demand_arrays = [d for d, _, _ in self.demands]
        self.converters = [c for c in components if isinstance(c, Converter) and c.output == carrier]
        self.storages = [c for c in components if isinstance(c, Storage) and c.carrier == carrier]
        self.exchanges = [c for c in components if isinstance(c, Exchange) and c.carrier == carrier]
        suppliers = self.converters + self.storages + self.exchanges
        # Stable sort: equal priorities keep config order (deterministic).
        self.suppliers = sorted(suppliers, key=lambda c: c.priority)
        # (kind, supplier): 0 converter, 1 storage, 2 exchange
        self.supply_steps = [(0 if isinstance(c, Converter) else 1 if isinstance(c, Storage) else 2, c)
                             for c in self.suppliers]
        self.absorbers = sorted(self.storages + self.exchanges, key=lambda c: c.priority)
        self.grid_chargers = [s for s in self.storages if s.grid_charge is not None]
        self.aux_storages = [s for s in self.storages if s.charge_aux]
        self.fillers = sorted((c for c in self.converters if c.fill_storage and self.storages),
                              key=lambda c: c.priority)
        self.settled = False
        self.net_at_settle = 0.0
        # The hour's must-take availability and demand [MWh] (they do not
        # change while the hour is dispatched), summed once per hour.
        self.available = 0.0
        self.demand = 0.0

    def __bool__(self):
        return bool(self.sources or self.demands or self.converters or self.storages or self.exchanges)


class _ConverterPorts:
    """A converter's arrays and input groups, looked up once: the dispatch
    runs converters ~10 times an hour."""

    def __init__(self, conv: Converter, groups: list):
        self.out_flow = conv.flows[conv.output]
        # (carrier, input per unit output, flow column) of each input
        self.inputs = [(c, per_unit, conv.flows[c]) for c, per_unit in conv.inputs.items()]
        # inputs of a carrier balanced before the converter's own (a fuel cell's
        # hydrogen): (carrier, its group); the converter draws them late
        order = [g.carrier for g in groups]
        mine = order.index(conv.output)
        self.late_inputs = [(c, groups[order.index(c)]) for c in conv.inputs if c in order[:mine]]
        # whether an input can limit it at all (else its budget is always empty)
        self.budgeted = conv.surplus_only is not None or bool(self.late_inputs)
        self.by_products = [(c, per_unit, conv.flows[c]) for c, per_unit in conv.by_products.items()]


def _charge_room(st: Storage) -> float:
    """Energy the storage can still take this hour [MWh at its port]."""
    if st._discharge > 0.0:
        return 0.0
    return max(0.0, min(st.p_charge_mw, (st.e_max_mwh - st._start) / st.eta_charge) - st._charge)


def _discharge_room(st: Storage) -> float:
    """Energy the storage can still give this hour [MWh at its port]."""
    if st._charge > 0.0:
        return 0.0
    return max(0.0, min(st.p_discharge_mw, (st._start - st.e_min_mwh) * st.eta_discharge) - st._discharge)


class MeritOrderDispatch:
    """Rule-based, deterministic merit-order dispatch (see module docstring).

    Parameters
    ----------
    components : list of Component
        Bound to a ledger (their flow arrays exist).
    unserved, dumped : dict[Carrier, numpy.ndarray]
        Park-level flow columns for a deficit no demand can carry (inputs
        of converters) and a surplus no source can give back (by-products).
    """

    def __init__(self, components, unserved, dumped):
        self.groups = [g for c in DISPATCH_ORDER if (g := _CarrierGroup(c, components))]
        self.storages = [c for c in components if isinstance(c, Storage)]
        self.converters = [c for c in components if isinstance(c, Converter)]
        self.unserved = unserved
        self.dumped = dumped
        self._group_of = {g.carrier: g for g in self.groups}
        for s in self.storages:
            s.soc = s.e_init_mwh
        for c in self.converters:
            c._dispatch_ports = _ConverterPorts(c, self.groups)

    # ------------------------------------------------------------------
    def settle(self, hour: int) -> None:
        h = hour
        drawn: dict[Carrier, float] = {}
        made: dict[Carrier, float] = {}
        for s in self.storages:
            s._start = s.soc * (1.0 - s.standing_loss_per_h)
            s._charge = 0.0
            s._discharge = 0.0
        for conv in self.converters:
            conv._out = 0.0
        for group in self.groups:
            group.settled = False
            # .item(): Python floats, whose arithmetic is ~3x cheaper than numpy scalars'
            group.available = sum([a.item(h) for a in group.available_arrays])
            group.demand = sum([d.item(h) for d in group.demand_arrays])
        for group in self.groups:
            self._settle_group(group, h, drawn, made)
        for group in self.groups:
            c = group.carrier
            late = drawn.get(c, 0.0) - made.get(c, 0.0) - group.net_at_settle
            if abs(late) > _TINY_MWH:
                self._settle_late(group, h, late)
                if group.aux_storages:
                    self._charge_aux(group, h, drawn)
        self._close_storage(h)

    @staticmethod
    def _charge_aux(group: _CarrierGroup, h: int, drawn) -> None:
        """Book what charging draws from other carriers (compressors)."""
        for st in group.aux_storages:
            for carrier, per_mwh in st.charge_aux.items():
                e_new = st._charge * per_mwh
                e_old = -st.flows[carrier][h]
                st.flows[carrier][h] = -e_new
                drawn[carrier] = drawn.get(carrier, 0.0) + (e_new - e_old)

    def _settle_group(self, group: _CarrierGroup, h: int, drawn, made) -> None:
        c = group.carrier
        available, demand = group.available, group.demand
        need = demand + drawn.get(c, 0.0) - made.get(c, 0.0) - available
        for kind, sup in group.supply_steps:
            if need <= _TINY_MWH:
                break
            if kind == 0:   # a converter
                # A converter that fills storage may make more than the need
                # (the rest charges storage), which also lets it clear its
                # minimum load when the need alone would not.
                extra = sum(_charge_room(st) for st in group.storages) if sup.fill_storage else 0.0
                need -= self._run_converter(sup, h, need + extra, drawn, made)
            elif kind == 1:   # storage
                if sup.hold is not None and sup.hold[h]:
                    continue
                take = min(need, _discharge_room(sup))
                sup._discharge += take
                need -= take
            else:   # an exchange
                take = min(need, sup.import_limit_mw)
                self._exchange(sup, h, take, 0.0)
                need -= take
        if group.fillers:
            room = sum(_charge_room(st) for st in group.storages) - max(0.0, -need)
            for conv in group.fillers:
                if room <= _TINY_MWH:
                    break
                more = self._run_converter(conv, h, room, drawn, made)
                need -= more
                room -= more
        unserved = need > _TINY_MWH
        if unserved:
            self._unserve(group, h, need, demand)
            need = 0.0
        if need < -_TINY_MWH:
            surplus = -need
            for ab in group.absorbers:
                if surplus <= _TINY_MWH:
                    break
                if isinstance(ab, Storage):
                    put = min(surplus, _charge_room(ab))
                    ab._charge += put
                    surplus -= put
                else:
                    put = min(surplus, ab.export_limit_mw)
                    self._exchange(ab, h, 0.0, put)
                    surplus -= put
            self._curtail(group, h, surplus if surplus > _TINY_MWH else 0.0, available, unserved)
        else:
            self._curtail(group, h, 0.0, available, unserved)
        if group.grid_chargers:
            self._grid_charge(group, h)
        if group.aux_storages:
            self._charge_aux(group, h, drawn)
        group.settled = True
        group.net_at_settle = drawn.get(c, 0.0) - made.get(c, 0.0)

    def _grid_charge(self, group: _CarrierGroup, h: int) -> None:
        """Fill storages told to charge this hour from import headroom."""
        for st in group.grid_chargers:
            if not st.grid_charge[h]:
                continue
            room = _charge_room(st)
            for ex in group.exchanges:
                if room <= _TINY_MWH:
                    break
                take = self._adjust_exchange(ex, h, min(room, self._import_headroom(ex, h)))
                st._charge += take
                room -= take

    # ------------------------------------------------------------------
    def surplus(self, carrier: Carrier, h: int, drawn, made) -> float:
        """Must-take surplus of ``carrier`` in hour ``h`` given what
        converters have drawn and made so far [MWh]."""
        group = self._group_of.get(carrier)
        if group is None:
            return 0.0
        return group.available + made.get(carrier, 0.0) - group.demand - drawn.get(carrier, 0.0)

    def late_capacity(self, carrier: Carrier, h: int) -> float:
        """What an already balanced carrier can still give this hour: its
        storage discharge and import headroom [MWh]."""
        group = self._group_of[carrier]
        # A late draw first cancels charging planned this hour, then discharges.
        storage = sum(st._charge + max(0.0, min(st.p_discharge_mw, (st._start - st.e_min_mwh) * st.eta_discharge)
                                       - st._discharge) for st in group.storages)
        return storage + sum(self._import_headroom(ex, h) for ex in group.exchanges)

    def _input_budget(self, conv: Converter, h: int, drawn, made) -> dict[Carrier, float]:
        """Largest extra input energy per carrier the converter may draw."""
        budget = {}
        if conv.surplus_only is not None and not (conv.free_hours is not None and conv.free_hours[h]):
            budget[conv.surplus_only] = max(0.0, self.surplus(conv.surplus_only, h, drawn, made))
        for carrier, group in conv._dispatch_ports.late_inputs:
            if group.settled:
                cap = self.late_capacity(carrier, h)
                # drawn so far beyond what the group balanced is already a call on it
                cap -= max(0.0, drawn.get(carrier, 0.0) - made.get(carrier, 0.0) - group.net_at_settle)
                budget[carrier] = min(budget.get(carrier, cap), max(0.0, cap))
        return budget

    def _run_converter(self, conv: Converter, h: int, want: float, drawn, made) -> float:
        """Raise the converter's output by up to ``want``; return the increase."""
        before = conv._out
        top = before + want
        cap = conv.max_output_mwh[h]   # may be a live limit, not an array
        if cap < top:
            top = cap
        if conv.max_share_of_need is not None:
            top = min(top, before + conv.max_share_of_need * want)
        if top <= before:
            return 0.0
        budget = self._input_budget(conv, h, drawn, made) if conv._dispatch_ports.budgeted else None
        if budget and conv.linear:   # input = output x per-unit input: the budget's limit is exact
            per_unit = [(conv.inputs[c][h], b) for c, b in budget.items()]
            if not all(top * k - before * k <= b + 1e-12 for k, b in per_unit):
                top = before + min((b / k if k > 0 else float("inf")) for k, b in per_unit)
        elif budget and hasattr(conv, "output_for_input"):   # the converter inverts its own input curve
            for c, b in budget.items():
                limit = conv.output_for_input(c, h, conv.input_energy(c, h, before) + b)
                if limit < top:
                    top = limit
        elif budget:
            def fits(total: float) -> bool:
                return all(conv.input_energy(c, h, total) - conv.input_energy(c, h, before) <= b + 1e-12
                           for c, b in budget.items())

            if not fits(top):
                lo, hi = before, top
                for _ in range(_BISECTION_STEPS):
                    mid = 0.5 * (lo + hi)
                    lo, hi = (mid, hi) if fits(mid) else (lo, mid)
                top = lo
        if top < conv.min_output_mwh:
            top = before  # below minimum load: do not start for this
        if top <= before + _TINY_MWH:
            return 0.0
        self._set_output(conv, h, top, drawn, made)
        return top - before

    def _set_output(self, conv: Converter, h: int, total: float, drawn, made) -> None:
        before = conv._out
        ports = conv._dispatch_ports
        ports.out_flow[h] = total
        for carrier, per_unit, flow in ports.inputs:
            if conv.linear:   # Converter.input_energy, without the call
                k = per_unit[h]
                e_new, e_old = total * k, before * k
            else:
                e_new, e_old = conv.input_energy(carrier, h, total), conv.input_energy(carrier, h, before)
            flow[h] = -e_new
            drawn[carrier] = drawn.get(carrier, 0.0) + (e_new - e_old)
        for carrier, per_unit, flow in ports.by_products:
            k = per_unit[h]
            flow[h] = total * k
            made[carrier] = made.get(carrier, 0.0) + (total - before) * k
        conv._out = total

    def _settle_late(self, group: _CarrierGroup, h: int, late: float) -> None:
        """Settle a carrier's draw (late > 0) or supply (late < 0) that came
        after its balance: storage, then exchanges, then park-level."""
        if late > 0:
            for st in group.storages:
                cut = min(late, st._charge)
                st._charge -= cut
                late -= cut
                take = min(late, _discharge_room(st))
                st._discharge += take
                late -= take
            for ex in group.exchanges:
                if late <= _TINY_MWH:
                    break
                late -= self._adjust_exchange(ex, h, min(late, self._import_headroom(ex, h)))
            if late > _TINY_MWH:
                self.unserved[group.carrier][h] += late
        else:
            surplus = -late
            for st in group.storages:
                cut = min(surplus, st._discharge)
                st._discharge -= cut
                surplus -= cut
                put = min(surplus, _charge_room(st))
                st._charge += put
                surplus -= put
            for ex in group.exchanges:
                if surplus <= _TINY_MWH:
                    break
                room = ex.export_limit_mw - ex.extras["export_mwh"][h] + ex.extras["import_mwh"][h]
                surplus += self._adjust_exchange(ex, h, -min(surplus, room))
            if surplus > _TINY_MWH:
                self.dumped[group.carrier][h] -= surplus

    @staticmethod
    def _import_headroom(ex: Exchange, h: int) -> float:
        return max(0.0, ex.import_limit_mw - ex.extras["import_mwh"][h] + ex.extras["export_mwh"][h])

    def _adjust_exchange(self, ex: Exchange, h: int, delta: float) -> float:
        """Change an exchange's net import by ``delta`` [MWh]; return delta."""
        net = ex.extras["import_mwh"][h] - ex.extras["export_mwh"][h] + delta
        self._exchange(ex, h, max(net, 0.0), max(-net, 0.0))
        return delta

    @staticmethod
    def _exchange(ex: Exchange, h: int, imp: float, exp: float) -> None:
        ex.flows[ex.carrier][h] = imp - exp
        ex.extras["import_mwh"][h] = imp
        ex.extras["export_mwh"][h] = exp
        ex.extras["cost_cny"][h] = imp * ex.import_price[h] - exp * ex.export_price[h]

    def _unserve(self, group: _CarrierGroup, h: int, deficit: float, demand: float) -> None:
        """Share a deficit pro rata among demands; the rest is park-level."""
        share = min(deficit, demand)
        if demand > 0.0:
            frac = share / demand
            for d, flow, unserved in group.demands:
                unserved[h] = d[h] * frac
                flow[h] = -(d[h] - unserved[h])
        rest = deficit - share
        if rest > _TINY_MWH:
            self.unserved[group.carrier][h] += rest

    def _curtail(self, group: _CarrierGroup, h: int, surplus: float, available: float, unserved: bool) -> None:
        """Record sources' delivery after a pro-rata curtailment, and the
        demands' served flows unless a deficit already booked them."""
        cut = min(surplus, available)
        if cut > 0.0:
            frac = cut / available
            for a, flow, curtailed in group.source_arrays:
                e = a[h]
                curtailed[h] = e * frac
                flow[h] = e - e * frac
        else:  # nothing curtailed: the column stays 0
            for a, flow, _ in group.source_arrays:
                flow[h] = a[h]
        if not unserved:
            for d, flow, _ in group.demands:
                flow[h] = -d[h]
        rest = surplus - cut
        if rest > _TINY_MWH:
            self.dumped[group.carrier][h] -= rest

    def _close_storage(self, h: int) -> None:
        for s in self.storages:
            ch, dis = s._charge, s._discharge
            s.flows[s.carrier][h] = dis - ch
            end = s._start + ch * s.eta_charge - dis / s.eta_discharge
            s.extras["losses_mwh"][h] = (s.soc - s._start) + ch * (1.0 - s.eta_charge) + dis * (1.0 / s.eta_discharge - 1.0)
            s.soc = end
            s.extras["soc_mwh"][h] = end

