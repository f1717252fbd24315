"""The ledger: preallocated hourly arrays, one per column, and the audit.

Columns are ``<component>.<quantity>_<unit>``. Flow columns are signed
energies of one carrier (supply to the park's bus positive, draw negative);
each hour the sum of a carrier's flow columns must vanish:

    supply = demand + storage change + losses + curtailment + unserved

where every term is written by the component that caused it (sources write
what they delivered after curtailment, loads what was served, storage its
charge and discharge, exchanges their import and export, networks their
losses). The audit compares the residual with the hour's gross throughput.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from twin.core.carriers import Carrier
from twin.core.errors import BalanceError

#: Largest relative residual of an hourly carrier balance that passes.
BALANCE_TOLERANCE = 1e-9
#: Throughput [MWh] below which a carrier's hour counts as empty.
_EMPTY_MWH = 1e-12
#: Flow columns of a carrier are rows of blocks of this many rows, so the
#: audit reads a carrier's hours as a few 2-D views, not column by column.
_BLOCK_ROWS = 32


class Ledger:
    """Hourly arrays of a run and the hourly balance audit.

    Parameters
    ----------
    hours : int
        Horizon.
    """

    def __init__(self, hours: int):
        self.hours = hours
        self.columns: dict[str, np.ndarray] = {}
        self.kind: dict[str, str] = {}
        self.carrier_of: dict[str, Carrier] = {}
        self._flows_by_carrier: dict[Carrier, list[np.ndarray]] = {}
        self._flow_blocks: dict[Carrier, list[np.ndarray]] = {}   # their rows are the flow columns
        self.max_relative_residual: dict[Carrier, float] = {}

    def add(self, name: str, carrier: Carrier | None = None, kind: str = "state") -> np.ndarray:
        """Create column ``name`` and return its array (write ``array[h]``).

        ``kind="flow"`` columns need a carrier and enter its balance.
        """
        if name in self.columns:
            raise ValueError(f"ledger column {name!r} exists already")
        if kind == "flow" and carrier is None:
            raise ValueError(f"flow column {name!r} needs a carrier")
        if kind == "flow":
            flows = self._flows_by_carrier.setdefault(carrier, [])
            blocks = self._flow_blocks.setdefault(carrier, [])
            if len(flows) == len(blocks) * _BLOCK_ROWS:
                blocks.append(np.zeros((_BLOCK_ROWS, self.hours)))
            array = blocks[-1][len(flows) % _BLOCK_ROWS]   # a row: contiguous like any column
            flows.append(array)
            self.max_relative_residual.setdefault(carrier, 0.0)
        else:
            array = np.zeros(self.hours)
        self.columns[name] = array
        self.kind[name] = kind
        if carrier is not None:
            self.carrier_of[name] = carrier
        return array

    def carriers(self) -> list[Carrier]:
        return list(self._flows_by_carrier)

    def flow_columns(self, carrier: Carrier) -> list[str]:
        return [n for n, k in self.kind.items() if k == "flow" and self.carrier_of[n] == carrier]

    def audit(self, first: int, last: int | None = None, *, label=str) -> None:
        """Check every carrier's balance in hours ``first`` .. ``last``
        (default: ``first`` alone); raise BalanceError for the earliest open
        hour (the first carrier open in it).

        The hours are checked at once with numpy (the engine audits a day
        at a time: per hour, reading each column's slot costs more than the
        check). ``label(hour)`` names the hour in the message (called only
        on failure).
        """
        last = first if last is None else last
        worst = self.max_relative_residual
        failed = None   # (hour, carrier) of the earliest open hour
        for carrier, blocks in self._flow_blocks.items():
            residual = gross = 0.0
            for block in blocks:   # unused rows are 0
                hours = block[:, first:last + 1]
                residual = residual + hours.sum(axis=0)
                gross = gross + np.abs(hours).sum(axis=0)
            residual = np.abs(residual)
            empty = gross < _EMPTY_MWH
            relative = np.where(empty, np.where(residual < _EMPTY_MWH, 0.0, np.inf),
                                residual / np.where(empty, 1.0, gross))
            open_hours = np.flatnonzero(relative > BALANCE_TOLERANCE)
            if open_hours.size and (failed is None or first + open_hours[0] < failed[0]):
                failed = (first + int(open_hours[0]), carrier)
            worst[carrier] = max(worst[carrier], float(relative[np.isfinite(relative)].max(initial=0.0)))
        if failed is not None:
            hour, carrier = failed
            values = [float(a[hour]) for a in self._flows_by_carrier[carrier]]
            residual = math.fsum(values)
            gross = math.fsum(map(abs, values))
            relative = abs(residual) / gross if gross >= _EMPTY_MWH else math.inf
            raise BalanceError(hour, label(hour), carrier.value, residual, relative)

    def frame(self, index: pd.DatetimeIndex, extra: dict | None = None) -> pd.DataFrame:
        """All columns (and ``extra`` hourly arrays) as one hourly frame."""
        return pd.DataFrame({**self.columns, **(extra or {})}, index=index, copy=False)
