"""The command line: overrides work; bad input gives one clear message, exit 2, no traceback, no run folder."""

import json
import subprocess
import sys
from pathlib import Path

import pytest


def _twin(tmp_path: Path, *overrides: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "twin", "run.progress=false", *overrides], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)


def _run_dirs(tmp_path: Path) -> list[Path]:
    return [p for p in (tmp_path / "outputs").glob("*/*") if p.is_dir()] if (tmp_path / "outputs").exists() else []


def test_short_run_with_a_capacity_override_writes_every_contract_file(tmp_path):
    proc = _twin(tmp_path, "run.hours=48", "park.components.pv_ground.capacity_mw=300")
    assert proc.returncode == 0, proc.stderr
    (run_dir,) = _run_dirs(tmp_path)
    for name in ("summary.json", "timeseries.parquet", "carbon.csv", "indicators.csv", "report.html", ".hydra"):
        assert (run_dir / name).exists(), name
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["run"]["hours"] == 48
    assert summary["components"]["pv_ground"]["capacity_mw"] == 300
    for key in ("energy", "carbon", "indicators", "balance", "networks", "runtime_s"):
        assert key in summary


@pytest.mark.parametrize(
    "overrides, key, expected",
    [
        (["park.components.pv_roof.capacity_mw=-5"], "park.components.pv_roof.capacity_mw", "must be >= 0"),
        (["park.components.pv_roof.type=solar_panel"], "park.components.pv_roof.type", "unknown component type 'solar_panel'"),
        (["weather=epw", "weather.path=/no/such/site.epw"], "weather.path", "no such file"),
    ],
)
def test_bad_input_gives_one_message_naming_the_key_and_exit_2(tmp_path, overrides, key, expected):
    proc = _twin(tmp_path, "run.hours=24", *overrides)
    assert proc.returncode == 2
    assert key in proc.stderr and expected in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert not any((d / "summary.json").exists() for d in _run_dirs(tmp_path))
    assert _run_dirs(tmp_path) == []


def test_all_problems_are_listed_together(tmp_path):
    proc = _twin(tmp_path, "run.hours=24", "park.components.pv_roof.capacity_mw=-5",
                 "+park.components.battery.soc_min=0.99", "park.components.wind.type=turbine")
    assert proc.returncode == 2
    assert "3 problems" in proc.stderr
    for key in ("pv_roof.capacity_mw", "battery.soc_min", "wind.type"):
        assert key in proc.stderr
