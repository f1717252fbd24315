"""Energy figures of one run: Sankey, week selector, heatmaps, storage levels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from twin.report.style import CARRIER_COLOURS, apply_layout

CARRIER_LABEL = {"electricity": "Electricity", "heat": "Heat", "gas": "Natural gas", "hydrogen": "Hydrogen",
                 "cooling": "Cooling"}


def sankey_figure(summary: dict) -> go.Figure:
    """Annual flows across carriers and conversions [GWh].

    Components that supply a carrier flow into its node, components that
    draw from it flow out; a converter sits between its input and output
    carriers. Storage shows only its net draw (its losses); an exchange's
    import and export are separate nodes so the diagram has no loops.
    """
    info = summary.get("components", {})
    nodes: list[str] = []
    colours: list[str] = []

    def node(label: str, colour: str = "#bbbbbb") -> int:
        if label not in nodes:
            nodes.append(label)
            colours.append(colour)
        return nodes.index(label)

    src, dst, val, col = [], [], [], []
    energy = summary.get("energy", {})
    drawers = {n for e in energy.values() for n, v in e.get("drawn_mwh", {}).items() if v > 0}
    converters = {n for n in drawers if "storage" not in info.get(n, {}).get("tags", [])}
    importers = {n for n, i in info.items() if "import_limit_mw" in i or i.get("type") in ("grid", "gas_supply")}
    for carrier, entry in energy.items():
        c = node(CARRIER_LABEL.get(carrier, carrier), CARRIER_COLOURS.get(carrier, "#888888"))
        supplied, drawn = dict(entry.get("supplied_mwh", {})), dict(entry.get("drawn_mwh", {}))
        for name in set(supplied) | set(drawn):
            tags = info.get(name, {}).get("tags", [])
            if "storage" in tags:
                net = drawn.get(name, 0.0) - supplied.get(name, 0.0)
                supplied[name], drawn[name] = (0.0, net) if net > 0 else (-net, 0.0)
        for name, mwh in supplied.items():
            if mwh <= 0:
                continue
            label = name
            if name in importers:
                label = f"{name} (import)"
            elif carrier == "electricity" and name in converters:
                # Power made from another carrier (fuel cell, CHP) gets its own
                # node: electricity -> electrolyser -> hydrogen -> fuel cell ->
                # electricity would be a loop, which a Sankey cannot draw.
                label = f"{name} (power)"
            src.append(node(label)), dst.append(c), val.append(mwh / 1e3), col.append(_alpha(carrier))
        for name, mwh in drawn.items():
            if mwh <= 0:
                continue
            label = f"{name} (export)" if name in importers else name
            if name.endswith("_network"):
                label = f"{name} losses"
            src.append(c), dst.append(node(label)), val.append(mwh / 1e3), col.append(_alpha(carrier))
    fig = go.Figure(go.Sankey(
        valueformat=",.1f", valuesuffix=" GWh",
        node={"label": nodes, "color": colours, "pad": 12, "thickness": 14},
        link={"source": src, "target": dst, "value": val, "color": col}))
    fig.update_layout(title="Annual energy flows across carriers and conversions [GWh]")
    return apply_layout(fig)


def _alpha(carrier: str) -> str:
    hex_colour = CARRIER_COLOURS.get(carrier, "#888888").lstrip("#")
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},0.35)"


#: Traces per side (supply, draw) of a dispatch chart; smaller flows are
#: summed into one "other" trace so a year's chart stays readable and small.
MAX_TRACES_PER_SIDE = 9


def _sides(timeseries: pd.DataFrame, suffix: str) -> dict[str, dict[str, pd.Series]]:
    """Supply and draw series per component, the smallest folded into 'other'."""
    out = {}
    for part, clip in (("supply", {"lower": 0}), ("draw", {"upper": 0})):
        series = {c[: -len(suffix)]: timeseries[c].clip(**clip) for c in timeseries.columns
                  if c.endswith(suffix)}
        series = {n: v for n, v in series.items() if v.any()}
        ranked = sorted(series, key=lambda n: -float(series[n].abs().sum()))
        keep = {n: series[n] for n in ranked[:MAX_TRACES_PER_SIDE]}
        rest = ranked[MAX_TRACES_PER_SIDE:]
        if rest:
            keep[f"other ({len(rest)})"] = sum(series[n] for n in rest)
        out[part] = keep
    return out


def dispatch_figure(timeseries: pd.DataFrame, carrier: str = "electricity") -> go.Figure:
    """Hourly flows of one carrier with a week selector [MW] (supply up, draw down)."""
    suffix = f".{carrier}_mwh"
    fig = go.Figure()
    colours: dict[str, str] = {}
    for part, series in _sides(timeseries, suffix).items():
        for name, values in series.items():
            colour = colours.setdefault(name, _PALETTE[len(colours) % len(_PALETTE)])
            # x0/dx instead of a timestamp per point keeps a year's figure small.
            fig.add_scatter(x0=values.index[0], dx=3_600_000, y=values.to_numpy(dtype="float32"), name=name,
                            legendgroup=name, showlegend=name not in fig_names(fig),
                            mode="lines", stackgroup=part, line={"width": 0.5, "color": colour},
                            hovertemplate=f"{name}: %{{y:,.1f}} MW<extra>{part}</extra>")
    idx = timeseries.index
    weeks = pd.date_range(idx[0].normalize(), idx[-1], freq="7D")
    buttons = [{"label": f"week {i + 1} ({w:%d %b})", "method": "relayout",
                "args": [{"xaxis.range": [w.isoformat(), (w + pd.Timedelta(days=7)).isoformat()]}]}
               for i, w in enumerate(weeks)]
    buttons.append({"label": "whole run", "method": "relayout", "args": [{"xaxis.autorange": True}]})
    fig.update_layout(title=f"Hourly {CARRIER_LABEL.get(carrier, carrier).lower()} dispatch — pick a week",
                      updatemenus=[{"buttons": buttons, "direction": "down", "x": 1.0, "y": 1.13,
                                    "xanchor": "right", "yanchor": "bottom", "showactive": True}])
    if len(weeks):
        fig.update_xaxes(range=[weeks[0], min(idx[-1], weeks[0] + pd.Timedelta(days=7))])
    fig.update_xaxes(title="time (local)")
    fig.update_yaxes(title=f"{carrier} [MW]; supply +, draw −")
    return apply_layout(fig)


def fig_names(fig: go.Figure) -> set[str]:
    return {t.name for t in fig.data}


def hour_by_day_figure(series: pd.Series, title: str, unit: str, colorscale: str = "RdBu_r",
                       symmetric: bool = True) -> go.Figure:
    """Heatmap of an hourly series: day of the run across, hour of day up."""
    frame = pd.DataFrame({"v": series.to_numpy(), "day": series.index.normalize(), "hour": series.index.hour})
    grid = frame.pivot_table(index="hour", columns="day", values="v", aggfunc="sum").reindex(range(24))
    z = grid.to_numpy(dtype="float32")
    zmax = float(np.nanmax(np.abs(z))) if np.isfinite(z).any() else 1.0
    fig = go.Figure(go.Heatmap(x=grid.columns, y=grid.index, z=z, colorscale=colorscale,
                               zmid=0 if symmetric else None, zmin=-zmax if symmetric else None,
                               zmax=zmax if symmetric else None, colorbar={"title": unit},
                               hovertemplate="%{x|%d %b} %{y}:00 — %{z:,.2f} " + unit + "<extra></extra>"))
    fig.update_layout(title=title)
    fig.update_xaxes(title="day")
    fig.update_yaxes(title="hour of day", dtick=3)
    return apply_layout(fig)


def grid_exchange_heatmap(timeseries: pd.DataFrame, info: dict) -> go.Figure | None:
    grids = [n for n, i in info.items() if i.get("type") == "grid"]
    if not grids:
        return None
    net = sum(timeseries[f"{n}.import_mwh"] - timeseries[f"{n}.export_mwh"] for n in grids)
    return hour_by_day_figure(net, "Grid exchange by hour and day (import +, export −)", "MW")


def storage_figure(timeseries: pd.DataFrame) -> go.Figure | None:
    """Daily range (min to max) and daily mean of every storage's content [MWh]."""
    cols = [c for c in timeseries.columns if c.endswith(".soc_mwh")]
    if not cols:
        return None
    fig = go.Figure()
    for i, col in enumerate(cols):
        daily = timeseries[col].groupby(timeseries.index.normalize()).agg(["min", "max", "mean"])
        name = col.split(".")[0]
        colour = _PALETTE[i % len(_PALETTE)]
        fig.add_scatter(x=daily.index, y=daily["max"], mode="lines", line={"width": 0, "color": colour},
                        legendgroup=name, showlegend=False, hoverinfo="skip")
        fig.add_scatter(x=daily.index, y=daily["min"], mode="lines", line={"width": 0, "color": colour},
                        fill="tonexty", legendgroup=name, name=f"{name} daily range", hoverinfo="skip")
        fig.add_scatter(x=daily.index, y=daily["mean"], mode="lines", line={"width": 1.5, "color": colour},
                        legendgroup=name, name=f"{name} daily mean",
                        hovertemplate="%{x|%d %b}: %{y:,.1f} MWh<extra>" + name + "</extra>")
    fig.update_layout(title="Storage levels: daily range and mean")
    fig.update_xaxes(title="day")
    fig.update_yaxes(title="stored energy [MWh]")
    return apply_layout(fig)


#: Enough distinct colours for a park's components (plotly's D3 and Set2).
_PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
            "#bcbd22", "#17becf", "#66c2a5", "#fc8d62", "#8da0cb", "#e78ac3", "#a6d854", "#ffd92f",
            "#e5c494", "#b3b3b3")


def energy_section(results) -> list[go.Figure]:
    """Report section: Sankey, dispatch per carrier, grid heatmap, storage."""
    ts, summary = results.timeseries, results.summary
    figures = [sankey_figure(summary)]
    for carrier in ("electricity", "heat", "cooling", "gas", "hydrogen"):
        if any(c.endswith(f".{carrier}_mwh") and ts[c].abs().sum() > 0 for c in ts.columns):
            figures.append(dispatch_figure(ts, carrier))
    figures += [f for f in (grid_exchange_heatmap(ts, summary.get("components", {})), storage_figure(ts)) if f]
    return figures
