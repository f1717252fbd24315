"""twin-compare on a real 2 x 2 multirun: one row per run, the right overrides, figures equal to summary.json."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from twin.report.compare import main as compare_main


@pytest.fixture(scope="module")
def sweep(tmp_path_factory) -> Path:
    cwd = tmp_path_factory.mktemp("sweep")
    proc = subprocess.run(
        [sys.executable, "-m", "twin", "-m", "run.hours=24", "run.progress=false", "hydra.sweep.dir=sweep",
         "park.components.pv_ground.capacity_mw=100,300", "park.components.battery.e_mwh=50,400"],
        cwd=cwd, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return cwd / "sweep"


def test_sweep_ends_with_its_comparison_one_row_per_run(sweep):
    table = pd.read_csv(sweep / "comparison.csv")
    assert len(table) == 4
    pairs = set(zip(table["override.park.components.pv_ground.capacity_mw"],
                    table["override.park.components.battery.e_mwh"]))
    assert pairs == {(100, 50), (100, 400), (300, 50), (300, 400)}
    assert (sweep / "comparison.html").stat().st_size > 100_000


def test_compare_figures_equal_each_runs_summary(sweep, tmp_path):
    assert compare_main([str(sweep), "--out", str(tmp_path)]) == 0
    table = pd.read_csv(tmp_path / "comparison.csv")
    for _, row in table.iterrows():
        summary = json.loads((Path(row["run"]) / "summary.json").read_text())
        assert summary["components"]["pv_ground"]["capacity_mw"] == row["override.park.components.pv_ground.capacity_mw"]
        e = summary["energy"]["electricity"]
        assert row["energy.electricity.import_mwh"] == pytest.approx(e["import_mwh"], rel=1e-12)
        assert row["supplied.electricity.pv_ground_mwh"] == pytest.approx(e["supplied_mwh"]["pv_ground"], rel=1e-12)
        assert row["cost_cny"] == pytest.approx(summary["cost_cny"], rel=1e-12)
        for ind in summary["indicators"]:
            value = row[f"indicator.{ind['name']}.value"]
            if ind["value"] is None:
                assert pd.isna(value)
            else:
                assert value == pytest.approx(ind["value"], rel=1e-12)


def test_compare_refuses_a_folder_without_runs(tmp_path, capsys):
    assert compare_main([str(tmp_path)]) == 2
    assert "no run folders" in capsys.readouterr().err
