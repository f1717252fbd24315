"""Report figures of waste, waste streams and water (read from Results only)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

_KINDS = ("heat", "cold", "pressure", "gas")


def _by_suffix(ts: pd.DataFrame, suffix: str) -> dict[str, float]:
    return {c[: -len(suffix) - 1]: float(ts[c].sum()) for c in ts.columns if c.endswith("." + suffix)}


def waste_section(results) -> list[go.Figure]:
    """Where the solid waste went, waste streams available and used, water fresh and reused."""
    from twin.report.style import apply_layout

    ts = results.timeseries
    figures = []
    generated = _by_suffix(ts, "solid_waste_generated_t")
    if generated and sum(generated.values()) > 0:
        fig = go.Figure()
        for n, t in generated.items():
            fig.add_bar(x=["generated"], y=[t], name=n, hovertemplate=f"{n}: %{{y:,.0f}} t<extra></extra>")
        for label, suffix in (("utilised", "solid_waste_utilised_t"), ("landfilled", "solid_waste_landfilled_t")):
            for n, t in _by_suffix(ts, suffix).items():
                fig.add_bar(x=[label], y=[t], name=n, hovertemplate=f"{n}: %{{y:,.0f}} t<extra></extra>")
        stock = {c[:-len(".stock_t")]: float(ts[c].iloc[-1]) for c in ts.columns if c.endswith(".stock_t")}
        for n, t in stock.items():
            fig.add_bar(x=["in stock at the end"], y=[t], name=n, hovertemplate=f"{n}: %{{y:,.0f}} t<extra></extra>")
        fig.update_layout(title="Industrial solid waste: generated, utilised, landfilled, still stored", barmode="stack")
        fig.update_yaxes(title="waste [t]")
        figures.append(apply_layout(fig))
    fig = go.Figure()
    for kind in _KINDS:
        avail = _by_suffix(ts, f"waste_{kind}_available_mwh")
        used = _by_suffix(ts, f"waste_{kind}_used_mwh")
        for n, a in avail.items():
            if a <= 0:
                continue
            fig.add_bar(x=[f"{n} {kind}"], y=[used.get(n, 0.0) / 1e3], name="used", legendgroup="used",
                        showlegend=False, marker_color="#2a9d8f", hovertemplate="used %{y:,.2f} GWh<extra></extra>")
            fig.add_bar(x=[f"{n} {kind}"], y=[(a - used.get(n, 0.0)) / 1e3], name="not used", legendgroup="unused",
                        showlegend=False, marker_color="#cccccc", hovertemplate="not used %{y:,.2f} GWh<extra></extra>")
    if fig.data:
        fig.update_layout(title="Recoverable waste heat, cold, pressure and gas: used (green) and not used (grey)",
                          barmode="stack")
        fig.update_yaxes(title="energy [GWh]")
        figures.append(apply_layout(fig))
    fresh, reused = _by_suffix(ts, "water_fresh_m3"), _by_suffix(ts, "water_reused_m3")
    if fresh:
        fig = go.Figure()
        names = list(fresh)
        fig.add_bar(x=names, y=[reused.get(n, 0.0) / 1e3 for n in names], name="reused (in-plant and reclaimed)")
        fig.add_bar(x=names, y=[fresh[n] / 1e3 for n in names], name="fresh intake")
        fig.update_layout(title="Industrial water: reused and fresh", barmode="stack")
        fig.update_yaxes(title="water [thousand m3]")
        figures.append(apply_layout(fig))
    return figures
