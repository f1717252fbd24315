"""Shared fixtures: small parks written as plain dicts (no Hydra needed)."""

from __future__ import annotations

import copy

import pytest

#: A park small enough to reason about by hand.
SMALL_PARK = {
    "run": {"hours": 48, "start": "2025-06-02 00:00", "timezone": "Asia/Shanghai", "networks": False,
            "seed": 7, "progress": False},
    "park": {
        "name": "small park",
        "site": {"city": "Tianjin"},
        "components": {
            "grid": {"type": "grid", "import_limit_mw": 50.0, "export_limit_mw": 5.0},
            "pv": {"type": "pv", "capacity_mw": 10.0},
            "battery": {"type": "battery", "e_mwh": 8.0, "p_mw": 4.0},
            "load": {"type": "electric_load", "peak_mw": 6.0, "profile": "flat"},
        },
    },
    "weather": {"source": "synthetic"},
    "tariff": {"name": "flat", "electricity_flat_cny_per_mwh": 600.0},
    "accounting": {},
}


@pytest.fixture
def small_park() -> dict:
    """A fresh copy of :data:`SMALL_PARK` to modify."""
    return copy.deepcopy(SMALL_PARK)
