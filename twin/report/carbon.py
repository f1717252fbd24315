"""Carbon figures of report.html: gross to net, the indicator scorecard, when the park emits.

Each function reads only a run's results (summary, carbon ledger,
indicators) and returns a plotly figure; :func:`carbon_section` is the
report section listed in ``twin.report.html.SECTIONS``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from twin.report.style import apply_layout

_LABEL = {
    "fossil_fuel_combustion": "Fossil fuel combustion",
    "industrial_process": "Industrial process",
    "purchased_electricity": "Purchased electricity",
    "purchased_heat": "Purchased heat",
    "purchased_hydrogen": "Purchased hydrogen",
    "green_power_trade": "Green-power trades",
    "green_certificates": "Green certificates",
    "ccus": "CCUS",
    "green_export_credit": "Green export credit",
}
_PASS, _FAIL, _NONE = "#2ca02c", "#d62728", "#9e9e9e"
#: Categories of the ledger that are reported apart and never counted.
_MEMO = ("biogenic_not_counted", "purchased_hydrogen_not_counted")


def waterfall_figure(carbon_summary: dict) -> go.Figure:
    """Emissions by category, the deductions, and the net that the core indicator uses [kt CO2]."""
    x, y, measure = [], [], []
    for cat, t in carbon_summary["by_category_t"].items():
        x.append(_LABEL.get(cat, cat))
        y.append(t / 1e3)
        measure.append("relative")
    x.append("Gross emissions")
    y.append(0.0)
    measure.append("total")
    for cat, t in carbon_summary.get("deductions_t", {}).items():
        x.append(_LABEL.get(cat, cat))
        y.append(t / 1e3)
        measure.append("relative")
    x.append("Net emissions")
    y.append(0.0)
    measure.append("total")
    diff = carbon_summary["core_numerator_co2_t"] - carbon_summary["co2_t"]
    if abs(diff) > 1e-9:
        x += ["Process CO2 left out of the core indicator", "Core indicator numerator"]
        y += [diff / 1e3, 0.0]
        measure += ["relative", "total"]
    fig = go.Figure(go.Waterfall(x=x, y=y, measure=measure, textposition="outside",
                                 text=[f"{v:,.1f}" if m == "relative" else "" for v, m in zip(y, measure)],
                                 hovertemplate="%{x}: %{y:,.2f} kt CO2<extra></extra>",
                                 decreasing={"marker": {"color": _PASS}}, increasing={"marker": {"color": _FAIL}},
                                 totals={"marker": {"color": "#555555"}}))
    biogenic = carbon_summary.get("biogenic_co2_t", 0.0)
    note = f" — biogenic CO2 reported apart: {biogenic / 1e3:,.1f} kt" if biogenic else ""
    fig.update_layout(title=f"Emissions from gross to net [kt CO2]{note}", showlegend=False)
    fig.update_yaxes(title="CO2 [kt]")
    fig.update_xaxes(title="category")
    return apply_layout(fig)


def scorecard_figure(indicators: pd.DataFrame) -> go.Figure:
    """The six headline indicators against their thresholds, one panel each."""
    head = indicators[~indicators["key"].astype(str).str.contains(":")].head(6)
    titles = []
    for _, r in head.iterrows():
        verdict = "not evaluated" if not _true(r["evaluated"]) else ("PASS" if _true(r["pass"]) else "FAIL")
        titles.append(f"{str(r['name']).split(':')[0]}: {verdict}")
    fig = make_subplots(rows=1, cols=len(head), subplot_titles=titles, horizontal_spacing=0.06)
    for i, (_, r) in enumerate(head.iterrows(), start=1):
        evaluated = _true(r["evaluated"])
        value = float(r["value"]) if evaluated else 0.0
        threshold = float(r["threshold"]) if pd.notna(r["threshold"]) else math.nan
        colour = _NONE if not evaluated else (_PASS if _true(r["pass"]) else _FAIL)
        hover = (f"{r['name']}<br>{value:.4g} {r['unit']} ({r['comparison']} {threshold:.4g})<br>"
                 f"{_num(r['numerator'])} {r['numerator_unit']} / {_num(r['denominator'])} {r['denominator_unit']}"
                 if evaluated else f"{r['name']}<br>not evaluated: {r['reason']}")
        fig.add_bar(x=["value"], y=[value], marker_color=colour, row=1, col=i, showlegend=False,
                    text=[f"{value:.3g}" if evaluated else "n/e"], textposition="outside",
                    hovertext=[hover], hoverinfo="text")
        if math.isfinite(threshold):
            fig.add_scatter(x=["threshold"], y=[threshold], mode="markers", row=1, col=i, showlegend=(i == 1),
                            name="threshold", legendgroup="threshold",
                            marker={"symbol": "line-ew-open", "size": 28, "color": "#222", "line": {"width": 3}},
                            hovertemplate=f"threshold {r['comparison']} {threshold:.4g} {r['unit']}<extra></extra>")
        fig.update_yaxes(title_text=f"[{r['unit']}]", rangemode="tozero", row=1, col=i)
    fig.update_layout(title="Indicator scorecard: value against threshold (grey: not evaluated, see the table)")
    return apply_layout(fig)


def heatmap_figure(carbon: pd.DataFrame) -> go.Figure:
    """Net counted CO2 of every hour, hour of day against day [tCO2/h]."""
    counted = [c for c in carbon.columns if c.rpartition("|")[2] not in _MEMO]
    net = carbon[counted].sum(axis=1) if counted else pd.Series(0.0, index=carbon.index)
    frame = pd.DataFrame({"day": net.index.strftime("%Y-%m-%d"), "hour": net.index.hour, "co2": net.to_numpy()})
    grid = frame.pivot_table(index="hour", columns="day", values="co2", aggfunc="sum").reindex(range(24))
    fig = go.Figure(go.Heatmap(z=grid.to_numpy(dtype="float32"), x=list(grid.columns), y=list(grid.index),
                               colorscale="YlOrRd", colorbar={"title": "tCO2/h"},
                               hovertemplate="%{x} %{y}:00 — %{z:,.2f} tCO2<extra></extra>"))
    fig.update_layout(title="Net CO2 emissions by hour of day and day [tCO2 per hour]")
    fig.update_xaxes(title="day (Asia/Shanghai)")
    fig.update_yaxes(title="hour of day [h]", dtick=3)
    return apply_layout(fig)


def alternatives_figure(carbon_summary: dict) -> go.Figure:
    """The core indicator under each alternative reading of the method [tCO2/tce]."""
    alts = carbon_summary.get("alternatives", {})
    labels = list(alts)
    values = [alts[k]["core_tco2_per_tce"] for k in labels]
    colours = ["#1f77b4" if alts[k]["configured"] else "#aec7e8" for k in labels]
    fig = go.Figure(go.Bar(x=labels, y=values, marker_color=colours, name="core indicator",
                           customdata=[alts[k].get("note", "") for k in labels],
                           hovertemplate="%{x}: %{y:.4g} tCO2/tce<br>%{customdata}<extra></extra>"))
    threshold = carbon_summary.get("core_threshold")
    if threshold is not None and math.isfinite(threshold):
        fig.add_hline(y=threshold, line_dash="dash", annotation_text=f"threshold {threshold}")
    fig.update_layout(title="Core indicator under each alternative reading (dark: as configured) [tCO2/tce]")
    fig.update_yaxes(title="core indicator [tCO2/tce]", rangemode="tozero")
    fig.update_xaxes(title="option = value (one changed at a time)")
    return apply_layout(fig)


def matching_figure(carbon_summary: dict) -> go.Figure:
    """Electricity consumption matched hour by hour by clean supply, per month, and the annual share [%]."""
    view = carbon_summary["twenty_four_seven"]["electricity"]
    monthly = view.get("monthly_share_pct", {})
    fig = go.Figure(go.Bar(x=list(monthly), y=list(monthly.values()), name="matched hour by hour (24/7)",
                           hovertemplate="%{x}: %{y:.1f} %<extra>24/7</extra>"))
    netted = view.get("annual_netted_share_pct")
    if netted is not None and math.isfinite(netted):
        fig.add_hline(y=netted, line_dash="dash", annotation_text=f"matched annually (exports count) {netted:.1f} %")
    fig.update_layout(title=(f"Electricity matched by clean supply hour by hour: {view['share_pct']:.1f} % "
                             f"({view['hours_failed']} of {view['hours']} hours fall short)"))
    fig.update_yaxes(title="share of consumption [%]", range=[0, 105])
    fig.update_xaxes(title="month")
    return apply_layout(fig)


def carbon_section(results) -> list[go.Figure]:
    """Report section: waterfall, scorecard, heatmap, alternatives, 24/7."""
    s = results.summary.get("carbon", {})
    if "by_category_t" not in s:
        return []
    return [waterfall_figure(s), scorecard_figure(results.indicators), heatmap_figure(results.carbon),
            alternatives_figure(s), matching_figure(s)]


def _true(value) -> bool:
    """A pass/evaluated cell as a bool (None, NaN and "" are False; CSVs read back strings)."""
    if isinstance(value, str):
        return value.strip().lower() == "true"
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    return bool(value)


def _num(value) -> str:
    try:
        return f"{float(value):,.6g}"
    except (TypeError, ValueError):
        return str(value)
