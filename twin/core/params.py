"""Declaring component parameters: defaults, units and bounds in one place.

Each component class has a ``Params`` dataclass whose fields are declared
with :func:`param`; ``twin.config`` reads the metadata to check user input
and to name the offending key. Cross-field rules go in an optional
``problems(self) -> list[tuple[field, message]]`` method.

>>> from dataclasses import dataclass
>>> @dataclass
... class Params:
...     capacity_mw: float = param(unit="MW", ge=0, doc="rated AC power")
"""

from __future__ import annotations

from dataclasses import MISSING, field


def param(default=MISSING, *, unit: str = "", ge=None, gt=None, le=None, lt=None, choices=None,
          doc: str = "", default_factory=MISSING):
    """A dataclass field with a unit, bounds and a one-line description."""
    metadata = {"unit": unit, "ge": ge, "gt": gt, "le": le, "lt": lt, "choices": choices, "doc": doc}
    if default_factory is not MISSING:
        return field(default_factory=default_factory, metadata=metadata)
    return field(default=default, metadata=metadata)
