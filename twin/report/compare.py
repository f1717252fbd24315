"""``twin-compare DIR...``: gather runs into comparison.csv and comparison.html.

A DIR is a run folder (it holds ``summary.json``) or any folder above run
folders, such as a Hydra multirun folder: every run folder below it is taken,
in path order. Each run becomes one row: its Hydra overrides as columns
(``override.<key>``), its key figures, and every indicator's value and pass.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from twin.report.style import apply_layout


def find_runs(paths: list[str | Path]) -> list[Path]:
    """Run folders (holding summary.json) at or below ``paths``, in path order."""
    runs: list[Path] = []
    for p in map(Path, paths):
        if (p / "summary.json").is_file():
            runs.append(p)
        elif p.is_dir():
            runs += sorted((s.parent for s in p.rglob("summary.json")), key=_natural_key)
        else:
            raise FileNotFoundError(f"{p}: no such run folder")
    seen, unique = set(), []
    for r in runs:
        if r.resolve() not in seen:
            seen.add(r.resolve())
            unique.append(r)
    return unique


def _natural_key(path: Path):
    """Sort multirun job folders 0, 1, 2, ..., 10 rather than 0, 1, 10, 2."""
    return [int(part) if part.isdigit() else part for part in path.parts]


def _overrides(run: Path) -> dict[str, str]:
    """Hydra overrides of a run (``.hydra/overrides.yaml``), minus run-only switches."""
    file = run / ".hydra" / "overrides.yaml"
    if not file.is_file():
        return {}
    import yaml

    out = {}
    for item in yaml.safe_load(file.read_text()) or []:
        key, _, value = str(item).partition("=")
        key = key.lstrip("+~")
        if key in ("run.progress",) or key.startswith("hydra."):
            continue
        out[key] = value
    return out


def _flatten(prefix: str, value, out: dict) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}", v, out)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        out[prefix] = float(value)


def run_row(run: Path) -> dict:
    """One comparison row: overrides, key figures and indicators of a run."""
    summary = json.loads((run / "summary.json").read_text())
    row: dict = {"run": str(run)}
    row.update({f"override.{k}": v for k, v in _overrides(run).items()})
    for carrier, entry in summary.get("energy", {}).items():
        for key, value in entry.items():
            if not isinstance(value, dict):
                row[f"energy.{carrier}.{key}"] = value
        for kind in ("supplied_mwh", "drawn_mwh"):
            for name, value in entry.get(kind, {}).items():
                row[f"{kind[:-4]}.{carrier}.{name}_mwh"] = value
    _flatten("carbon", summary.get("carbon", {}), row)
    row["cost_cny"] = summary.get("cost_cny")
    for ind in summary.get("indicators", []):
        name = ind["name"]
        row[f"indicator.{name}.value"] = ind.get("value")
        row[f"indicator.{name}.threshold"] = ind.get("threshold")
        row[f"indicator.{name}.pass"] = ind.get("pass")
        row[f"indicator.{name}.unit"] = ind.get("unit")
    row["runtime_s"] = (summary.get("runtime_s") or {}).get("total")
    return row


def comparison_table(runs: list[Path]) -> pd.DataFrame:
    """All runs as one frame, one row each, overrides first."""
    table = pd.DataFrame([run_row(r) for r in runs])
    first = ["run"] + sorted(c for c in table.columns if c.startswith("override."))
    return table[first + [c for c in table.columns if c not in first]]


def _label(table: pd.DataFrame) -> list[str]:
    over = [c for c in table.columns if c.startswith("override.")]
    if not over:
        return [Path(r).name for r in table["run"]]
    return [", ".join(f"{c.split('.')[-1]}={row[c]}" for c in over if pd.notna(row[c])) or Path(row["run"]).name
            for _, row in table.iterrows()]


def indicators_figure(table: pd.DataFrame, labels: list[str]) -> go.Figure:
    """Every indicator per run, as a fraction of its threshold."""
    names = sorted({c.split(".", 1)[1].rsplit(".", 1)[0] for c in table.columns
                    if c.startswith("indicator.") and c.endswith(".value")})
    fig = go.Figure()
    for name in names:
        value = pd.to_numeric(table[f"indicator.{name}.value"], errors="coerce")
        thr = pd.to_numeric(table[f"indicator.{name}.threshold"], errors="coerce")
        unit = table[f"indicator.{name}.unit"].dropna().iloc[0] if table[f"indicator.{name}.unit"].notna().any() else ""
        fig.add_bar(x=labels, y=value / thr, name=name,
                    customdata=np.stack([value, thr], axis=-1),
                    hovertemplate=f"{name}: %{{customdata[0]:.4g}} {unit} (threshold %{{customdata[1]:.4g}})<extra></extra>")
    fig.add_hline(y=1.0, line_dash="dash", annotation_text="threshold")
    fig.update_layout(barmode="group", title="Indicators against their thresholds (value / threshold; core: lower is better)")
    fig.update_yaxes(title="value / threshold [-]")
    fig.update_xaxes(title="run")
    return apply_layout(fig)


def emissions_cost_figure(table: pd.DataFrame, labels: list[str]) -> go.Figure:
    """Net emissions versus the cost of energy bought, one point per run."""
    co2 = _co2_column(table)
    fig = go.Figure(go.Scatter(x=table["cost_cny"] / 1e6, y=table[co2] / 1e3, mode="markers+text", text=labels,
                               textposition="top center", marker={"size": 11},
                               hovertemplate="%{text}<br>%{x:,.1f} M CNY, %{y:,.1f} kt CO2<extra></extra>"))
    fig.update_layout(title="Emissions versus cost of energy bought")
    fig.update_xaxes(title="energy bought [M CNY/a]")
    fig.update_yaxes(title=f"{co2} [kt CO2]")
    return apply_layout(fig)


def _co2_column(table: pd.DataFrame) -> str:
    for name in ("carbon.net_co2_t", "carbon.co2_t", "carbon.total_co2_t"):
        if name in table.columns:
            return name
    candidates = [c for c in table.columns if c.startswith("carbon.") and c.endswith("co2_t")]
    return candidates[0] if candidates else "cost_cny"


def difference_figure(table: pd.DataFrame, labels: list[str], baseline: int) -> go.Figure:
    """Each run minus the baseline: energy supplied by carrier and source [GWh]."""
    cols = [c for c in table.columns if c.startswith("supplied.")]
    diff = table[cols].fillna(0.0) - table[cols].fillna(0.0).iloc[baseline]
    diff = diff.loc[:, (diff.abs() > 1e-6).any()]
    fig = go.Figure()
    for col in diff.columns:
        fig.add_bar(x=labels, y=diff[col] / 1e3, name=col[len("supplied."):-4].replace(".", ": "),
                    hovertemplate="%{x}: %{y:+,.2f} GWh<extra>%{fullData.name}</extra>")
    fig.update_layout(barmode="relative", title=f"Energy supplied by carrier and source, difference to baseline ({labels[baseline]})")
    fig.update_yaxes(title="difference [GWh/a]")
    fig.update_xaxes(title="run")
    return apply_layout(fig)


def duration_figure(runs: list[Path], labels: list[str]) -> go.Figure:
    """Grid exchange duration curves of every run (import positive)."""
    fig = go.Figure()
    for run, label in zip(runs, labels):
        ts = pd.read_parquet(run / "timeseries.parquet")
        cols = [c for c in ts.columns if c.endswith(".import_mwh") and c.replace(".import_mwh", ".electricity_mwh") in ts.columns]
        if not cols:
            continue
        net = sum(ts[c] - ts[c.replace(".import_mwh", ".export_mwh")] for c in cols)
        curve = np.sort(net.to_numpy())[::-1]
        fig.add_scatter(x=np.arange(1, len(curve) + 1), y=curve.astype("float32"), mode="lines", name=label)
    fig.update_layout(title="Grid exchange duration curves (import +, export −)")
    fig.update_xaxes(title="hours at or above [h]")
    fig.update_yaxes(title="grid exchange [MW]")
    return apply_layout(fig)


def write_comparison(runs: list[Path], out_dir: Path, baseline: int = 0) -> tuple[Path, Path]:
    """Write comparison.csv and comparison.html for ``runs`` into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    table = comparison_table(runs)
    csv_path = out_dir / "comparison.csv"
    table.to_csv(csv_path, index=False)
    labels = _label(table)
    figures = [indicators_figure(table, labels), emissions_cost_figure(table, labels),
               difference_figure(table, labels, baseline), duration_figure(runs, labels)]
    parts = [f.to_html(full_html=False, include_plotlyjs=(i == 0), default_height="520px") for i, f in enumerate(figures)]
    over = [c for c in table.columns if c.startswith("override.")]
    shown = table[["run"] + over + [c for c in table.columns if c.endswith(".value") or c == "cost_cny"]]
    page = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Park twin — comparison of {len(runs)} runs</title>
<style>body{{font-family:system-ui,sans-serif;margin:24px;color:#222}} table{{border-collapse:collapse;font-size:12px}}
td,th{{border:1px solid #ddd;padding:3px 6px}}</style></head><body>
<h1>Comparison of {len(runs)} runs</h1><p>Baseline: {html.escape(labels[baseline])}</p>
{shown.to_html(index=False, float_format=lambda v: f"{v:,.4g}", na_rep="—")}
{''.join(parts)}</body></html>"""
    html_path = out_dir / "comparison.html"
    html_path.write_text(page, encoding="utf-8")
    return csv_path, html_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="twin-compare", description="Compare park twin runs.")
    parser.add_argument("dirs", nargs="+", help="run folders or folders above them (e.g. a Hydra multirun folder)")
    parser.add_argument("-o", "--out", default=None, help="where to write comparison.csv/html "
                        "(default: the single DIR given, else the current folder)")
    parser.add_argument("--baseline", type=int, default=0, help="index of the baseline run (default 0: the first)")
    args = parser.parse_args(argv)
    try:
        runs = find_runs(args.dirs)
    except FileNotFoundError as err:
        print(f"twin-compare: {err}", file=sys.stderr)
        return 2
    if not runs:
        print(f"twin-compare: no run folders (with summary.json) under {' '.join(args.dirs)}", file=sys.stderr)
        return 2
    if not 0 <= args.baseline < len(runs):
        print(f"twin-compare: --baseline must be within 0..{len(runs) - 1} (got {args.baseline})", file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else (Path(args.dirs[0]) if len(args.dirs) == 1 and Path(args.dirs[0]).is_dir() else Path.cwd())
    csv_path, html_path = write_comparison(runs, out, args.baseline)
    print(f"twin-compare: {len(runs)} runs -> {csv_path} and {html_path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
