"""Hydra callback: every sweep ends with its comparison (comparison.csv/html
in the sweep folder), so an experiment needs no manual step."""

from __future__ import annotations

import sys
from pathlib import Path

from hydra.experimental.callback import Callback


class CompareOnMultirunEnd(Callback):
    """Run twin-compare over the sweep folder when a multirun ends."""

    def on_multirun_end(self, config, **kwargs) -> None:
        from twin.report.compare import find_runs, write_comparison

        sweep_dir = Path(config.hydra.sweep.dir)
        runs = find_runs([sweep_dir]) if sweep_dir.is_dir() else []
        if not runs:
            print(f"twin: no finished runs under {sweep_dir}; no comparison written", file=sys.stderr)
            return
        csv_path, html_path = write_comparison(runs, sweep_dir)
        print(f"twin: compared {len(runs)} runs -> {html_path}", file=sys.stderr)
