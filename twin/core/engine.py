"""The SimPy engine: agents as processes, one settlement per hour after them.

Hour ``h`` is the SimPy interval [h, h+1). Agents act whenever their story
says (a batch may end at 14:20) and post energy into hourly slots. At time
``h + 1`` two things happen, in this order around that instant's ordinary
events:

1. the hour's end, before every other event of the instant: components with
   ``end_hour(hour)`` close hour ``h`` (a factory posts its energy up to the
   boundary, a stockpile burns or records its level), in component order,
   those with ``end_hour_stage = 1`` (they read what others closed) last;
   one engine event serves them all, so an hourly meter costs a method call,
   not a SimPy process step;
2. the settlement, after every other event of the instant, so all agents
   have posted: dispatch -> networks (heat, gas, hydrogen, power) -> ledger
   audit (of the day's hours, at the day's last hour) -> observers
   (components with ``after_settle(hour)`` learn what happened, e.g. a
   refuelling station refills its buffer with the hydrogen it was
   delivered).
"""

from __future__ import annotations

import sys
import time
from typing import Iterable, Protocol

import simpy
from simpy.events import NORMAL, URGENT, Event

from twin.core.clock import HourClock
from twin.core.dispatch import DispatchStrategy
from twin.core.ledger import Ledger

#: SimPy priority of the settlement: after URGENT (0) and NORMAL (1) events.
SETTLEMENT_PRIORITY = NORMAL + 1
#: The ledger audits every hour's balances, a day of hours at a time: a
#: failure stops the run at that day's end, naming its hour.
AUDIT_HOURS = 24


class NetworkSolver(Protocol):
    """A physical network solved after dispatch, e.g. the AC power flow.

    A solver may also have ``prepare(hour)``, called before the dispatch of
    the hour: it posts what the network itself will need (its losses, its
    pumps' power) as demands, so the dispatch supplies them and every MWh
    is counted once.
    """

    name: str

    def solve(self, hour: int) -> None:
        """Solve ``hour``; write losses/slack into the ledger; never raise on
        non-convergence (record it and return)."""

    def summary(self) -> dict:
        """JSON-ready facts for ``summary.json["networks"][name]``."""


class _At(Event):
    """An event ``delay`` hours from now at SimPy ``priority`` among the events of that instant."""

    def __init__(self, env: simpy.Environment, delay: float, priority: int):
        super().__init__(env)
        self._ok = True
        self._value = None
        env.schedule(self, priority, delay)


class Engine:
    """Runs agents and settlements over the clock's horizon.

    Parameters
    ----------
    clock : HourClock
    agents : iterable
        The park's components; those with a ``process(env)`` generator
        method run it as a SimPy process, those with ``end_hour(hour)``
        are called at each hour's end (see the module docstring).
    dispatch : DispatchStrategy
    ledger : Ledger
    networks : list of NetworkSolver
        Solved in the given order after dispatch each hour.
    progress : bool
        Draw a progress bar on stderr (only if stderr is a terminal).
    observers : iterable
        Objects with ``after_settle(hour)``, called after each audit.
    """

    def __init__(self, clock: HourClock, agents: Iterable, dispatch: DispatchStrategy, ledger: Ledger,
                 networks: list[NetworkSolver] | None = None, progress: bool = False,
                 observers: Iterable = ()):
        self.clock = clock
        self.agents = list(agents)
        self.dispatch = dispatch
        self.ledger = ledger
        self.networks = list(networks or [])
        self.observers = list(observers)
        self.progress = progress and sys.stderr.isatty()
        self.env = simpy.Environment()
        self.settled_hours = 0

    def run(self) -> float:
        """Simulate the horizon; return the wall time [s]."""
        t0 = time.perf_counter()
        members = list({id(o): o for o in self.agents + self.observers}.values())
        # Agents and observers may set up SimPy resources first (once each).
        for obj in members:
            if hasattr(obj, "start"):
                obj.start(self.env)
        for agent in self.agents:
            if hasattr(agent, "process"):
                self.env.process(agent.process(self.env))
        enders = sorted((o for o in members if hasattr(o, "end_hour")), key=lambda o: getattr(o, "end_hour_stage", 0))
        self._end_hours = [o.end_hour for o in enders]
        done = self.env.process(self._settlement())
        self.env.run(until=done)
        if self.progress:
            sys.stderr.write("\n")
        return time.perf_counter() - t0

    def _settlement(self):
        settle = self.dispatch.settle
        networks = self.networks
        prepares = [net.prepare for net in networks if hasattr(net, "prepare")]
        audit = self.ledger.audit
        label = self.clock.label
        hours = self.clock.hours
        step = max(1, hours // 100)
        end_hours = self._end_hours
        env = self.env
        for h in range(hours):
            if end_hours:
                yield _At(env, 1.0, URGENT)
                for end_hour in end_hours:
                    end_hour(h)
                yield _At(env, 0.0, SETTLEMENT_PRIORITY)
            else:
                yield _At(env, 1.0, SETTLEMENT_PRIORITY)
            for prepare in prepares:
                prepare(h)
            settle(h)
            for net in networks:
                net.solve(h)
            if h % AUDIT_HOURS == AUDIT_HOURS - 1 or h == hours - 1:
                audit(h - h % AUDIT_HOURS, h, label=label)
            for obs in self.observers:
                obs.after_settle(h)
            self.settled_hours = h + 1
            if self.progress and (h % step == 0 or h == hours - 1):
                self._draw(h + 1, hours)

    def _draw(self, done: int, total: int) -> None:
        width = 40
        filled = int(width * done / total)
        sys.stderr.write(f"\r  simulating [{'#' * filled}{'.' * (width - filled)}] "
                         f"{100 * done // total:3d}%  {self.clock.label(done - 1)}")
        sys.stderr.flush()
