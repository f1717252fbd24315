"""Report figures of the hydrogen chain."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go


def hydrogen_section(results) -> list[go.Figure]:
    """Tank levels [kg], electrolyser operation by month, and the balance."""
    ts, summary = results.timeseries, results.summary
    h2 = summary.get("hydrogen")
    if not h2:
        return []
    from twin.report.style import apply_layout

    figures = []
    levels = [c for c in ts.columns if c.endswith(".level_kg")]
    if levels:
        fig = go.Figure()
        for col in levels:
            daily = ts[col].groupby(ts.index.normalize()).agg(["min", "max"])
            name = col.split(".")[0]
            fig.add_scatter(x=daily.index, y=daily["max"], mode="lines", name=f"{name} daily max", line={"width": 1})
            fig.add_scatter(x=daily.index, y=daily["min"], mode="lines", name=f"{name} daily min", line={"width": 1},
                            fill="tonexty")
        fig.update_layout(title="Hydrogen storage level (daily range)")
        fig.update_xaxes(title="day")
        fig.update_yaxes(title="hydrogen stored [kg]")
        figures.append(apply_layout(fig))
    electrolysers = list(h2.get("electrolysers", {}))
    if electrolysers:
        fig = go.Figure()
        for name in electrolysers:
            running = (ts[f"{name}.h2_kg"] > 0).groupby(ts.index.month).sum()
            fig.add_bar(x=[pd.Timestamp(2000, m, 1).strftime("%b") for m in running.index], y=running.to_numpy(),
                        name=name, hovertemplate="%{x}: %{y} h<extra>" + name + "</extra>")
        fig.update_layout(title="Electrolyser operating hours per month", barmode="group")
        fig.update_xaxes(title="month")
        fig.update_yaxes(title="operating hours [h]")
        figures.append(apply_layout(fig))
    used = h2.get("used_kg", {})
    labels = ["produced", "imported"] + [f"used: {k}" for k in used] + ["vented", "to storage", "unserved"]
    values = [h2["produced_kg"], h2["imported_kg"]] + [-v for v in used.values()] + [
        -h2["vented_kg"], -h2["stored_change_kg"], h2["unserved_kg"]]
    fig = go.Figure(go.Bar(x=labels, y=[v / 1e3 for v in values], marker_color=[
        "#2ca02c" if v >= 0 else "#d62728" for v in values],
        hovertemplate="%{x}: %{y:,.1f} t<extra></extra>"))
    fig.update_layout(title="Hydrogen balance of the run (in +, out −; unserved shown apart)")
    fig.update_yaxes(title="hydrogen [t]")
    figures.append(apply_layout(fig))
    return figures
