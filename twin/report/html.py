"""report.html of one run: key figures and plotly figures, self-contained.

Reads only a :class:`~twin.core.results.Results` (never the simulation).
"""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from twin.report.energy import CARRIER_LABEL as _CARRIER_LABEL




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


def _run_line(summary: dict) -> str:
    run, site = summary.get("run", {}), summary.get("site", {})
    mode = "networks solved" if run.get("networks") else "copperplate balance"
    return (f"{site.get('city', '')} · {run.get('hours', '?')} hours from {run.get('start', '?')} · {mode} · "
            f"seed {run.get('seed', '?')}")


def _indicator_table(indicators: pd.DataFrame) -> str:
    """The scorecard as a table: verdict, value against threshold, numerator and
    denominator with units, and how it was worked out (the full rows, with
    their inputs and sources, are in indicators.csv)."""

    def num(v) -> str:
        return "—" if v is None or (isinstance(v, float) and np.isnan(v)) else f"{v:,.4g}"

    def verdict(row) -> str:
        evaluated = row.get("evaluated", True)
        if evaluated is False or (isinstance(evaluated, str) and evaluated.lower() == "false"):
            return "<span class='ne'>not evaluated</span>"
        p = row.get("pass")
        if p is True or p == "True":
            return "<span class='ok'>pass</span>"
        if p is False or p == "False":
            return "<span class='no'>fail</span>"
        return "<span class='ne'>no threshold</span>"

    rows = []
    for _, r in indicators.iterrows():
        r = r.to_dict()
        unit = html.escape(str(r.get("unit", "") or ""))
        thr = f"{html.escape(str(r.get('comparison', '') or ''))} {num(r.get('threshold'))}"
        frac = (f"{num(r.get('numerator'))} {html.escape(str(r.get('numerator_unit', '') or ''))} / "
                f"{num(r.get('denominator'))} {html.escape(str(r.get('denominator_unit', '') or ''))}")
        note = html.escape(str(r.get("reason", "") or ""))
        rows.append(f"<tr><td>{html.escape(str(r.get('name', '')))}</td><td>{verdict(r)}</td>"
                    f"<td class='n'>{num(r.get('value'))} {unit}</td><td class='n'>{thr}</td>"
                    f"<td class='n'>{frac}</td><td class='note'>{note}</td></tr>")
    head = ("<tr><th>indicator</th><th>verdict</th><th>value</th><th>threshold</th>"
            "<th>numerator / denominator</th><th>how</th></tr>")
    return f"<table class='ind'>{head}{''.join(rows)}</table>"


#: Sections of report.html in page order: (heading, "module:function").
#: Each function takes a Results and returns a list of plotly figures (an
#: empty list when the run has nothing to show). A capability adds its
#: figures by adding its section here, in its own module.
SECTIONS: list[tuple[str, str]] = [
    ("Energy flows", "twin.report.energy:energy_section"),
    ("Hydrogen", "twin.hydrogen.figures:hydrogen_section"),
    ("Electric network", "twin.report.network_map:electric_network_section"),
    ("Heat and gas", "twin.thermal.figures:heat_section"),
    ("Industry", "twin.industry.report:industry_section"),
    ("Waste, waste streams and water", "twin.waste.report:waste_section"),
    ("Carbon and indicators", "twin.report.carbon:carbon_section"),
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
table.ind td,table.ind th{{border:1px solid #ddd;padding:4px 8px;vertical-align:top}}
td.n{{text-align:right;white-space:nowrap}} td.note{{font-size:12px;color:#555;max-width:520px}}
.ok{{color:#1a7f37;font-weight:600}} .no{{color:#c0392b;font-weight:600}} .ne{{color:#888}}</style></head><body>
<h1>{title}</h1><p>{html.escape(_run_line(summary))}</p>
<div class="kfs">{_key_figures(summary)}</div>
<h2>Indicators</h2>{_indicator_table(results.indicators)}
{''.join(body)}
</body></html>"""
    path = Path(directory) / "report.html"
    path.write_text(page, encoding="utf-8")
    return path
