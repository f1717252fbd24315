"""Matching green-power volumes to consumption: annually, hourly, and the 24/7 view.

Pure functions of hourly arrays [MWh]. A green certificate (GEC) or a
green-power trade is a volume of MWh bought for the accounting period;
matched *annually* it covers any grid import of the period, matched
*hourly* it is delivered evenly over the hours and covers only the import
of the hour it lands in (what a surplus hour does not use is lost).
"""

from __future__ import annotations

import numpy as np

#: Shortfalls smaller than this [MWh] do not make an hour fail the 24/7 match.
MATCH_TOLERANCE_MWH = 1e-9


def match_volume(import_mwh: np.ndarray, volume_mwh: float, matching: str) -> np.ndarray:
    """Hourly grid import covered by a green volume bought for the period [MWh].

    Parameters
    ----------
    import_mwh : numpy.ndarray
        Hourly grid import not yet covered [MWh].
    volume_mwh : float
        Certificates or trades bought for the whole period [MWh].
    matching : {"annual", "hourly"}
        ``annual``: the volume covers the period's import in proportion,
        at most all of it. ``hourly``: the volume arrives evenly,
        ``volume / hours`` in each hour, and covers at most that hour's import.

    Returns
    -------
    numpy.ndarray
        Covered import per hour [MWh]; its sum is at most ``volume_mwh``.

    Examples
    --------
    >>> match_volume(np.array([10.0, 0.0, 30.0]), 20.0, "annual").tolist()
    [5.0, 0.0, 15.0]
    >>> match_volume(np.array([10.0, 0.0, 30.0]), 18.0, "hourly").tolist()
    [6.0, 0.0, 6.0]
    """
    import_mwh = np.asarray(import_mwh, dtype=float)
    if volume_mwh <= 0.0 or len(import_mwh) == 0:
        return np.zeros_like(import_mwh)
    if matching == "annual":
        total = import_mwh.sum()
        return import_mwh * min(1.0, volume_mwh / total) if total > 0.0 else np.zeros_like(import_mwh)
    if matching == "hourly":
        return np.minimum(import_mwh, volume_mwh / len(import_mwh))
    raise ValueError(f"matching must be 'annual' or 'hourly' (got {matching!r})")


def hourly_match(consumption: np.ndarray, clean_supply: np.ndarray) -> dict:
    """The 24/7 view: how much of each hour's consumption clean supply covers.

    Parameters
    ----------
    consumption : numpy.ndarray
        Hourly consumption [MWh or tce].
    clean_supply : numpy.ndarray
        Clean supply available in the same hour, in the same unit.

    Returns
    -------
    dict
        ``share_pct`` (sum of hourly matched / sum of consumption), ``hours``, ``hours_failed`` (hours with consumption that clean
        supply does not fully cover), ``hours_failed_pct``, ``matched``,
        ``unmatched``, ``consumption``.

    Examples
    --------
    >>> v = hourly_match(np.array([10.0, 10.0]), np.array([20.0, 0.0]))
    >>> v["share_pct"], v["hours_failed"]
    (50.0, 1)
    """
    consumption = np.clip(np.asarray(consumption, dtype=float), 0.0, None)
    clean_supply = np.clip(np.asarray(clean_supply, dtype=float), 0.0, None)
    matched = np.minimum(consumption, clean_supply)
    cons = float(consumption.sum())
    failed = int(((consumption - clean_supply) > MATCH_TOLERANCE_MWH).sum())
    return {
        "share_pct": 100.0 * float(matched.sum()) / cons if cons > 0 else float("nan"),
        "hours": int(len(consumption)),
        "hours_failed": failed,
        "hours_failed_pct": 100.0 * failed / len(consumption) if len(consumption) else float("nan"),
        "matched": float(matched.sum()),
        "unmatched": cons - float(matched.sum()),
        "consumption": cons,
    }
