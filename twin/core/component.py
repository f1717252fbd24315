"""Components and the roles the dispatch understands.

A component is built once from its validated parameters (a dataclass named
``Params`` on the class) and a :class:`BuildContext`. It then exposes hourly
arrays for the whole horizon (availability, demand, efficiency) and writes
what it did in each hour into its ledger columns. The dispatch only knows the
five roles below, never a technology:

========== ============================================================
Source      must-take supply of one carrier, curtailable (PV, wind)
Demand      a demand of one carrier that may go unserved (loads)
Converter   makes one carrier from others (heat pump, boiler, CHP)
Storage     stores one carrier (battery, heat tank, hydrogen tank)
Exchange    imports/exports one carrier over the park boundary (grid)
========== ============================================================

A component that also has a ``process(env)`` generator is an agent: the
engine starts it as a SimPy process and it may post energy for any interval
(:func:`twin.core.clock.add_interval_energy`) before the hour is settled.
Optional hooks the engine calls (see :mod:`twin.core.engine`):
``start(env)`` once before the run, ``end_hour(h)`` at the end of each
hour before that instant's events (close an hourly meter without a SimPy
process of its own), ``after_settle(h)`` once the hour is settled.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from twin.core.carriers import Carrier
from twin.core.clock import HourClock
from twin.core.ports import Port


@dataclass
class BuildContext:
    """What a component may use when it is built.

    Parameters
    ----------
    clock : HourClock
    weather : pandas.DataFrame
        Hourly weather on ``clock.index`` with pvlib's column names
        (``ghi``, ``dni``, ``dhi`` [W/m2], ``temp_air`` [degC],
        ``wind_speed`` [m/s at 10 m]).
    latitude_deg, longitude_deg, altitude_m : float
        Site.
    seed : int
        The run's one seed.
    prices : dict
        Hourly price arrays by name, e.g. ``electricity_import_cny_per_mwh``.
    sun : pandas.DataFrame
        Sun position at mid-hour (``apparent_zenith``, ``zenith``,
        ``azimuth`` [deg], ``dni_extra`` [W/m2]) on ``clock.index``.
    """

    clock: HourClock
    weather: pd.DataFrame
    latitude_deg: float
    longitude_deg: float
    altitude_m: float
    seed: int
    prices: dict[str, np.ndarray] = field(default_factory=dict)
    sun: pd.DataFrame | None = None

    def rng(self, name: str) -> np.random.Generator:
        """Generator of component ``name``: spawned from the run's seed by the
        name's CRC32, so adding or removing another component never changes
        this one's draws."""
        seq = np.random.SeedSequence(entropy=self.seed, spawn_key=(zlib.crc32(name.encode()),))
        return np.random.default_rng(seq)


class Component:
    """Base of every component. Subclasses set ``Params`` and a role base."""

    type_name: ClassVar[str] = ""
    Params: ClassVar[type]
    #: Carrier categories for accounting (e.g. "renewable", "fossil_fuel",
    #: "grid"); read by ``twin.carbon`` from the component list.
    tags: ClassVar[tuple[str, ...]] = ()

    def __init__(self, name: str, params: Any, ctx: BuildContext):
        self.name = name
        self.params = params
        self.hours = ctx.clock.hours
        self.flows: dict[Carrier, np.ndarray] = {}
        self.extras: dict[str, np.ndarray] = {}

    # -- what the component exposes ------------------------------------
    def ports(self) -> list[Port]:
        raise NotImplementedError

    def bind(self, ledger) -> None:
        """Take ledger columns: one signed flow per port, plus extras."""
        for port in self.ports():
            self.flows[port.carrier] = ledger.add(port.column(self.name), carrier=port.carrier, kind="flow")
        for quantity in self.extra_columns():
            self.extras[quantity] = ledger.add(f"{self.name}.{quantity}", kind="state")

    def extra_columns(self) -> tuple[str, ...]:
        """Names (with units) of non-flow hourly quantities, e.g. ``soc_mwh``."""
        return ()

    def connect(self, components: list["Component"]) -> None:
        """Called once after every component is built: a controller may keep
        references to the components it watches (an electrolyser its tank)."""

    def describe(self) -> dict:
        """Static facts for the summary and for accounting."""
        return {"type": self.type_name, "tags": list(self.tags)}


class Source(Component):
    """Must-take supply of ``carrier`` with curtailment.

    Subclasses fill ``available_mwh`` (hourly, >= 0) when built.
    """

    carrier: ClassVar[Carrier]

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        self.available_mwh = np.zeros(self.hours)

    def ports(self):
        return [Port(self.carrier, "out", None)]

    def extra_columns(self):
        return ("curtailed_mwh",)


class Demand(Component):
    """Demands of one or more carriers; what cannot be supplied is unserved.

    Subclasses create ``demand_mwh[carrier]`` arrays when built (agents may
    keep filling them during the run, before each hour is settled).
    """

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        self.demand_mwh: dict[Carrier, np.ndarray] = {}

    def ports(self):
        return [Port(c, "in", None) for c in self.demand_mwh]

    def extra_columns(self):
        return tuple(f"unserved_{c.value}_mwh" for c in self.demand_mwh)

class Converter(Component):
    """Makes ``output`` from inputs, sized on its primary output.

    Attributes set by subclasses
    ----------------------------
    output : Carrier
        Primary output; ``capacity_mw`` limits it.
    capacity_mw : float
    inputs : dict[Carrier, numpy.ndarray]
        Input energy per unit of primary output, hourly [MWh/MWh]
        (a heat pump: electricity 1/COP).
    by_products : dict[Carrier, numpy.ndarray]
        Other outputs per unit of primary output [MWh/MWh] (CHP power).
    priority : int
        Merit order: lower runs first.
    surplus_only : Carrier or None
        Run only on the must-take surplus of this input carrier
        (power-to-heat on renewable surplus).
    free_hours : numpy.ndarray of bool or None
        Hours in which ``surplus_only`` is lifted (e.g. cheap-price hours).
    fill_storage : bool
        After the carrier's need is met, keep running (within the limits
        above) to fill the carrier's storage.
    min_output_mwh : float
        Minimum load: below it the converter does not run [MWh/h].
    linear : bool
        True when input energy is proportional to output; a part-load
        curve sets it False and overrides :meth:`input_energy` (and, if it
        can, gives its inverse as ``output_for_input(carrier, h, e_mwh)``,
        so the dispatch fits an input budget exactly instead of bisecting).
    max_share_of_need : float or None
        Output at most this share of what the carrier still needs when the
        converter runs (hydrogen blended into gas within a volume limit).
    """

    output: Carrier
    capacity_mw: float = 0.0
    priority: int = 50
    surplus_only: Carrier | None = None
    free_hours = None
    fill_storage: bool = False
    min_output_mwh: float = 0.0
    linear: bool = True
    max_share_of_need: float | None = None

    def __init__(self, name, params, ctx):
        super().__init__(name, params, ctx)
        self.inputs: dict[Carrier, np.ndarray] = {}
        self.by_products: dict[Carrier, np.ndarray] = {}

    def input_energy(self, carrier: Carrier, h: int, out_mwh: float) -> float:
        """Energy of ``carrier`` drawn to make ``out_mwh`` in hour ``h`` [MWh]."""
        return out_mwh * self.inputs[carrier][h]

    def ports(self):
        ports = [Port(self.output, "out", self.capacity_mw)]
        ports += [Port(c, "in", None) for c in self.inputs]
        ports += [Port(c, "out", None) for c in self.by_products]
        return ports

    def extra_columns(self):
        return ()


class Storage(Component):
    """Stores ``carrier``: energy ``e_mwh``, powers, efficiencies, standing loss.

    Attributes set by subclasses
    ----------------------------
    carrier : Carrier
    e_max_mwh, e_min_mwh, e_init_mwh : float
        Usable window and initial content [MWh].
    p_charge_mw, p_discharge_mw : float
    eta_charge, eta_discharge : float
        One-way efficiencies [-].
    standing_loss_per_h : float
        Fraction of content lost each hour [1/h].
    priority : int
        Merit order among suppliers/absorbers of the carrier.
    grid_charge : numpy.ndarray of bool or None
        Hours in which the storage charges as far as it can, whatever the
        balance (e.g. valley-price hours); the energy is bought like a demand.
    hold : numpy.ndarray of bool or None
        Hours in which the storage must not discharge.
    charge_aux : dict[Carrier, float]
        Other carriers drawn per MWh charged (a hydrogen tank's compressor:
        electricity per MWh of hydrogen) [MWh/MWh].
    """

    carrier: ClassVar[Carrier]
    priority: int = 30
    grid_charge = None
    hold = None
    charge_aux: dict = {}

    def ports(self):
        ports = [Port(self.carrier, "both", max(self.p_charge_mw, self.p_discharge_mw))]
        return ports + [Port(c, "in", None) for c in self.charge_aux]

    def extra_columns(self):
        return ("soc_mwh", "losses_mwh")


class Exchange(Component):
    """Imports and exports ``carrier`` over the park boundary.

    Attributes set by subclasses
    ----------------------------
    carrier : Carrier
    import_limit_mw, export_limit_mw : float
    import_price, export_price : numpy.ndarray
        Hourly prices [CNY/MWh].
    priority : int
    """

    carrier: ClassVar[Carrier]
    priority: int = 90

    def ports(self):
        return [Port(self.carrier, "both", max(self.import_limit_mw, self.export_limit_mw))]

    def extra_columns(self):
        return ("import_mwh", "export_mwh", "cost_cny")
