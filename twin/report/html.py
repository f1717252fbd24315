"""report.html of one run: key figures and plotly figures, self-contained.

Reads only a :class:`~twin.core.results.Results` (never the simulation).
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from twin.report.style import CARRIER_COLOURS, apply_layout

_CARRIER_LABEL = {"electricity": "Electricity", "heat": "Heat", "gas": "Natural gas", "hydrogen": "Hydrogen",
                  "cooling": "Cooling"}


def energy_by_source_figure(summary: dict) -> go.Figure:
    """Annual energy supplied and drawn per carrier and component [GWh]."""
    fig = go.Figure()
    for carrier, entry in summary["energy"].items():
        for kind, sign in (("supplied_mwh", 1), ("drawn_mwh", -1)):
            for name, mwh in sorted(entry[kind].items()):
                fig.add_bar(x=[_CARRIER_LABEL.get(carrier, carrier)], y=[sign * mwh / 1e3], name=name,
                            legendgroup=name, showlegend=True,
                            hovertemplate=f"{name}: %{{y:,.1f}} GWh<extra>{kind[:-4]}</extra>")
    fig.update_layout(barmode="relative", title="Annual energy by carrier: supplied (+) and drawn (−)")
    fig.update_yaxes(title="energy [GWh/a]")
    return apply_layout(fig)


def week_dispatch_figure(timeseries: pd.DataFrame, carrier: str = "electricity") -> go.Figure:
    """Hourly flows of one carrier with a week selector [MW]."""
    suffix = f".{carrier}_mwh"
    cols = [c for c in timeseries.columns if c.endswith(suffix) and timeseries[c].abs().sum() > 0]
    fig = go.Figure()
    for col in cols:
        name = col[: -len(suffix)]
        s = timeseries[col]
        # x0/dx instead of a timestamp per point keeps a year's figure small.
        fig.add_scatter(x0=s.index[0], dx=3_600_000, y=s.to_numpy(dtype="float32"), name=name, mode="lines", stackgroup="supply" if s.mean() >= 0 else "demand",
                        line={"width": 0.5}, hovertemplate=f"{name}: %{{y:,.1f}} MW<extra></extra>")
    start = timeseries.index[0]
    end = min(timeseries.index[-1], start + pd.Timedelta(days=7))
    fig.update_layout(title=f"Hourly {carrier} dispatch (drag the slider to pick any week)")
    fig.update_xaxes(range=[start, end], rangeslider={"visible": True}, title="time (Asia/Shanghai)")
    fig.update_yaxes(title=f"{carrier} [MW], supply + / draw −")
    return apply_layout(fig)


def _key_figures(summary: dict) -> str:
    cells = []
    for carrier, entry in summary["energy"].items():
        cells.append((f"{_CARRIER_LABEL.get(carrier, carrier)} demand", f"{entry['demand_mwh'] / 1e3:,.0f} GWh"))
    carbon = summary.get("carbon", {})
    if "co2_t" in carbon:
        cells.append(("Net CO2", f"{carbon['co2_t'] / 1e3:,.1f} kt"))
    core = next((i for i in summary.get("indicators", []) if str(i.get("name", "")).startswith("core")), None)
    if core is not None and core.get("value") is not None:
        verdict = "PASS" if core.get("pass") else "FAIL"
        cells.append(("Core indicator", f"{core['value']:.3f} tCO2/tce ({verdict} ≤ {core['threshold']})"))
    cells.append(("Energy bought", f"{summary.get('cost_cny', 0.0) / 1e6:,.1f} M CNY"))
    return "".join(f"<div class='kf'><div class='kfl'>{html.escape(k)}</div><div class='kfv'>{html.escape(v)}</div></div>"
                   for k, v in cells)


def _indicator_table(indicators: pd.DataFrame) -> str:
    return indicators.to_html(index=False, float_format=lambda v: f"{v:,.4g}", na_rep="—", classes="ind")


def energy_section(results) -> list[go.Figure]:
    """Annual energy by carrier and component, and hourly dispatch per carrier."""
    figures = [energy_by_source_figure(results.summary), week_dispatch_figure(results.timeseries, "electricity")]
    for carrier in ("heat", "cooling", "gas", "hydrogen"):
        if any(c.endswith(f".{carrier}_mwh") for c in results.timeseries.columns):
            figures.append(week_dispatch_figure(results.timeseries, carrier))
    return figures


#: Sections of report.html in page order: (heading, "module:function").
#: Each function takes a Results and returns a list of plotly figures (an
#: empty list when the run has nothing to show). A capability adds its
#: figures by adding its section here, in its own module.
SECTIONS: list[tuple[str, str]] = [
    ("Energy flows", "twin.report.html:energy_section"),
]


def _section_figures(ref: str, results) -> list[go.Figure]:
    import importlib

    module, _, attr = ref.partition(":")
    return getattr(importlib.import_module(module), attr)(results)


def write_report(results, directory: Path) -> Path:
    """Write ``report.html`` for ``results`` into ``directory``."""
    summary = results.summary
    body, first = [], True
    for heading, ref in SECTIONS:
        figures = _section_figures(ref, results)
        if not figures:
            continue
        body.append(f"<h2>{html.escape(heading)}</h2>")
        for fig in figures:
            body.append(fig.to_html(full_html=False, include_plotlyjs=first, default_height="520px"))
            first = False
    title = html.escape(summary.get("park", "park"))
    page = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} — park twin report</title>
<style>body{{font-family:system-ui,sans-serif;margin:24px;color:#222}} .kfs{{display:flex;flex-wrap:wrap;gap:12px}}
.kf{{border:1px solid #ccc;border-radius:6px;padding:8px 12px;min-width:150px}} .kfl{{font-size:12px;color:#666}}
.kfv{{font-size:18px;font-weight:600}} table.ind{{border-collapse:collapse;font-size:13px}}
table.ind td,table.ind th{{border:1px solid #ddd;padding:4px 8px}}</style></head><body>
<h1>{title}</h1><p>{html.escape(str(summary.get('run', {})))}</p>
<div class="kfs">{_key_figures(summary)}</div>
<h2>Indicators</h2>{_indicator_table(results.indicators)}
{''.join(body)}
</body></html>"""
    path = Path(directory) / "report.html"
    path.write_text(page, encoding="utf-8")
    return path
