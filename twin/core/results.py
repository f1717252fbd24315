"""Results of one run: hourly frames, a summary dict, and the run-folder files.

A run folder holds ``summary.json``, ``timeseries.parquet``, ``carbon.csv``,
``indicators.csv`` and ``report.html``. Files are written to a temporary
folder first and moved in at the end, ``summary.json`` last, so a folder
with a ``summary.json`` is complete.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

CONTRACT_FILES = ("summary.json", "timeseries.parquet", "carbon.csv", "indicators.csv", "report.html")


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (np.floating, float)):
        v = float(value)
        return v if np.isfinite(v) else None
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


@dataclass
class Results:
    """What one run produced.

    Attributes
    ----------
    timeseries : pandas.DataFrame
        Hourly ledger, columns ``<component>.<quantity>_<unit>``, index the
        hour-start timestamps (tz-aware).
    summary : dict
        JSON-ready: ``energy``, ``carbon``, ``indicators``, ``balance``,
        ``networks``, ``runtime_s`` and more.
    carbon : pandas.DataFrame
        Hourly emissions by source and category [tCO2].
    indicators : pandas.DataFrame
        One row per indicator: ``name, value, unit, threshold, pass`` and inputs.
    """

    timeseries: pd.DataFrame
    summary: dict
    carbon: pd.DataFrame
    indicators: pd.DataFrame
    writers: list[Callable[["Results", Path], None]] = field(default_factory=list, repr=False)

    def save(self, directory: str | os.PathLike) -> Path:
        """Write the run-folder files into ``directory`` (created if needed)."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".twin-", dir=directory))
        try:
            self.timeseries.to_parquet(staging / "timeseries.parquet")
            self.carbon.to_csv(staging / "carbon.csv")
            self.indicators.to_csv(staging / "indicators.csv", index=False)
            for write in self.writers:
                write(self, staging)
            (staging / "summary.json").write_text(json.dumps(_jsonable(self.summary), indent=2, ensure_ascii=False))
            for name in sorted(os.listdir(staging), key=lambda n: n == "summary.json"):
                os.replace(staging / name, directory / name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return directory


def load_results(directory: str | os.PathLike) -> Results:
    """Read a run folder written by :meth:`Results.save`."""
    directory = Path(directory)
    summary_path = directory / "summary.json"
    if not summary_path.is_file():
        raise FileNotFoundError(f"{directory} is not a complete run folder: no summary.json")
    summary = json.loads(summary_path.read_text())
    timeseries = pd.read_parquet(directory / "timeseries.parquet")
    carbon = pd.read_csv(directory / "carbon.csv", index_col=0)
    carbon.index = pd.to_datetime(carbon.index, utc=True).tz_convert(timeseries.index.tz)
    carbon.index.name = timeseries.index.name
    indicators = pd.read_csv(directory / "indicators.csv")
    return Results(timeseries=timeseries, summary=summary, carbon=carbon, indicators=indicators)
