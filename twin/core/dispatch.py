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
4. a surplus goes to storage charge, then export; what is left is curtailed
   pro rata among the carrier's sources;
5. storage told to charge in this hour (``grid_charge``, e.g. valley-price
   hours) fills up from what import capacity is left.
"""

from __future__ import annotations

from typing import Protocol

from twin.core.carriers import DISPATCH_ORDER, Carrier
from twin.core.component import Component, Converter, Demand, Exchange, Source, Storage

_TINY_MWH = 1e-12


class DispatchStrategy(Protocol):
    """What a settlement needs from a dispatch strategy."""

    def settle(self, hour: int) -> None:
        """Decide and record every component's flows for ``hour``."""


class _CarrierGroup:
    """The components of one carrier, sorted for the merit order."""

    def __init__(self, carrier: Carrier, components: list[Component]):
        self.carrier = carrier
        self.sources = [c for c in components if isinstance(c, Source) and c.carrier == carrier]
        # (demand, served flow, unserved) arrays of every demand of the carrier
        self.demands = [(c.demand_mwh[carrier], c.flows[carrier], c.extras[f"unserved_{carrier.value}_mwh"])
                        for c in components if isinstance(c, Demand) and carrier in c.demand_mwh]
        self.converters = [c for c in components if isinstance(c, Converter) and c.output == carrier]
        self.storages = [c for c in components if isinstance(c, Storage) and c.carrier == carrier]
        self.exchanges = [c for c in components if isinstance(c, Exchange) and c.carrier == carrier]
        suppliers = self.converters + self.storages + self.exchanges
        # Stable sort: equal priorities keep config order (deterministic).
        self.suppliers = sorted(suppliers, key=lambda c: c.priority)
        self.absorbers = sorted(self.storages + self.exchanges, key=lambda c: c.priority)
        self.grid_chargers = [s for s in self.storages if s.grid_charge is not None]

    def __bool__(self):
        return bool(self.sources or self.demands or self.converters or self.storages or self.exchanges)


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

    # ------------------------------------------------------------------
    def settle(self, hour: int) -> None:
        h = hour
        drawn: dict[Carrier, float] = {}
        made: dict[Carrier, float] = {}
        for s in self.storages:
            s._start = s.soc * (1.0 - s.standing_loss_per_h)
            s._charge = 0.0
            s._discharge = 0.0
        for group in self.groups:
            c = group.carrier
            available = sum(s.available_mwh[h] for s in group.sources)
            demand = sum(d[h] for d, _, _ in group.demands)
            need = demand + drawn.get(c, 0.0) - made.get(c, 0.0) - available
            for sup in group.suppliers:
                if need <= _TINY_MWH:
                    break
                if isinstance(sup, Converter):
                    need -= self._run_converter(sup, h, need, drawn, made)
                elif isinstance(sup, Storage):
                    if sup.hold is not None and sup.hold[h]:
                        continue
                    room = min(sup.p_discharge_mw, max(0.0, (sup._start - sup.e_min_mwh) * sup.eta_discharge))
                    take = min(need, room)
                    sup._discharge = take
                    need -= take
                else:
                    take = min(need, sup.import_limit_mw)
                    self._exchange(sup, h, take, 0.0)
                    need -= take
            if need > _TINY_MWH:
                self._unserve(group, h, need, demand)
                need = 0.0
            if need < -_TINY_MWH:
                surplus = -need
                for ab in group.absorbers:
                    if surplus <= _TINY_MWH:
                        break
                    if isinstance(ab, Storage):
                        if ab._discharge > 0.0:
                            continue
                        room = min(ab.p_charge_mw, max(0.0, (ab.e_max_mwh - ab._start) / ab.eta_charge)) - ab._charge
                        put = min(surplus, room)
                        ab._charge += put
                        surplus -= put
                    else:
                        put = min(surplus, ab.export_limit_mw)
                        self._exchange(ab, h, 0.0, put)
                        surplus -= put
                self._curtail(group, h, surplus if surplus > _TINY_MWH else 0.0, available)
            else:
                self._curtail(group, h, 0.0, available)
            if group.grid_chargers:
                self._grid_charge(group, h)
        self._close_storage(h)

    def _grid_charge(self, group: _CarrierGroup, h: int) -> None:
        """Fill storages told to charge this hour from import headroom."""
        for st in group.grid_chargers:
            if not st.grid_charge[h] or st._discharge > 0.0:
                continue
            room = min(st.p_charge_mw, max(0.0, (st.e_max_mwh - st._start) / st.eta_charge)) - st._charge
            for ex in group.exchanges:
                if room <= _TINY_MWH:
                    break
                imp, exp = ex.extras["import_mwh"][h], ex.extras["export_mwh"][h]
                take = min(room, ex.import_limit_mw - imp + exp)
                if take <= 0.0:
                    continue
                net = imp - exp + take
                self._exchange(ex, h, max(net, 0.0), max(-net, 0.0))
                st._charge += take
                room -= take

    # ------------------------------------------------------------------
    def surplus(self, carrier: Carrier, h: int, drawn, made) -> float:
        """Must-take surplus of ``carrier`` in hour ``h`` given what
        converters have drawn and made so far [MWh]."""
        group = self._group_of.get(carrier)
        if group is None:
            return 0.0
        available = sum(s.available_mwh[h] for s in group.sources)
        demand = sum(d[h] for d, _, _ in group.demands)
        return available + made.get(carrier, 0.0) - demand - drawn.get(carrier, 0.0)

    def _run_converter(self, conv: Converter, h: int, need: float, drawn, made) -> float:
        out = min(need, conv.max_output_mwh[h])
        if conv.surplus_only is not None:
            per_unit = conv.inputs[conv.surplus_only][h]
            spare = self.surplus(conv.surplus_only, h, drawn, made)
            out = min(out, max(0.0, spare) / per_unit) if per_unit > 0 else out
        if out <= 0.0:
            return 0.0
        conv.flows[conv.output][h] = out
        for carrier, per_unit in conv.inputs.items():
            e = out * per_unit[h]
            conv.flows[carrier][h] = -e
            drawn[carrier] = drawn.get(carrier, 0.0) + e
        for carrier, per_unit in conv.by_products.items():
            e = out * per_unit[h]
            conv.flows[carrier][h] = e
            made[carrier] = made.get(carrier, 0.0) + e
        return out

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
            self.unserved[group.carrier][h] = rest

    def _curtail(self, group: _CarrierGroup, h: int, surplus: float, available: float) -> None:
        """Record sources' delivery after a pro-rata curtailment, and the
        demands that were served in full."""
        cut = min(surplus, available)
        frac = cut / available if available > 0.0 else 0.0
        for s in group.sources:
            a = s.available_mwh[h]
            s.extras["curtailed_mwh"][h] = a * frac
            s.flows[s.carrier][h] = a - a * frac
        for d, flow, unserved in group.demands:
            if unserved[h] == 0.0:
                flow[h] = -d[h]
        rest = surplus - cut
        if rest > _TINY_MWH:
            self.dumped[group.carrier][h] = -rest

    def _close_storage(self, h: int) -> None:
        for s in self.storages:
            ch, dis = s._charge, s._discharge
            s.flows[s.carrier][h] = dis - ch
            end = s._start + ch * s.eta_charge - dis / s.eta_discharge
            s.extras["losses_mwh"][h] = (s.soc - s._start) + ch * (1.0 - s.eta_charge) + dis * (1.0 / s.eta_discharge - 1.0)
            s.soc = end
            s.extras["soc_mwh"][h] = end
