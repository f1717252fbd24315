"""Electric-network figures of one run: the network map, the grid-exchange
duration curve, voltages and losses over the year.

Reads only a :class:`~twin.core.results.Results`: the map from
``summary["networks"]["electric"]["map"]`` (written by the power-flow
solver), the curves from the timeseries.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from twin.report.style import apply_layout

#: Loading colour scale: green while comfortable, red beyond the limit.
LOADING_SCALE = [[0.0, "#1a9850"], [0.5, "#fee08b"], [0.8333, "#f46d43"], [1.0, "#a50026"]]
#: Highest loading on the colour scale [%] (100 % sits at 5/6 of it).
LOADING_TOP_PERCENT = 120.0
#: Voltage colour scale centred on 1 pu: blue low, red high.
VOLTAGE_SCALE = "RdBu_r"


def _loading_colour(percent: float) -> str:
    return sample_colorscale(LOADING_SCALE, [min(max(percent, 0.0), LOADING_TOP_PERCENT) / LOADING_TOP_PERCENT])[0]


def network_map_figure(electric: dict) -> go.Figure | None:
    """Buses coloured by their voltage in the run's worst hour, branches by
    their highest loading of the run; hover for each element's extremes.

    Parameters
    ----------
    electric : dict
        ``summary["networks"]["electric"]``.
    """
    m = electric.get("map") or {}
    buses = [b for b in m.get("buses", []) if b.get("x") is not None]
    if not buses:
        return None
    at = {b["name"]: b for b in buses}
    on_bus: dict[str, list[str]] = {}
    for e in m.get("elements", []):
        on_bus.setdefault(e["bus"], []).append(e["name"])
    fig = go.Figure()
    for br in m.get("branches", []):
        a, b = at.get(br["from"]), at.get(br["to"])
        if a is None or b is None:
            continue
        load = br["max_loading_percent"]
        is_line = br["kind"] == "line"
        detail = (f"{br.get('length_km', 0):.2f} km, {br.get('parallel', 1)} circuit(s)" if is_line else "transformer")
        fig.add_scatter(x=[a["x"], b["x"]], y=[a["y"], b["y"]], mode="lines", showlegend=False,
                        line={"color": _loading_colour(load), "width": 4 if is_line else 7,
                              "dash": "solid" if is_line else "dot"},
                        hovertemplate=(f"<b>{br['kind']} {br['name']}</b><br>{br['from']} → {br['to']}<br>"
                                       f"{br['type']}<br>{detail}<br>highest loading {load:.1f} %<extra></extra>"))
    # A colour bar for the branches: an invisible marker trace carries it.
    fig.add_scatter(x=[buses[0]["x"]], y=[buses[0]["y"]], mode="markers", showlegend=False, hoverinfo="skip",
                    marker={"size": 0.1, "color": [0.0], "cmin": 0.0, "cmax": LOADING_TOP_PERCENT,
                            "colorscale": LOADING_SCALE, "opacity": 0,
                            "colorbar": {"title": "highest<br>loading [%]", "x": 1.02, "len": 0.45, "y": 0.25}})
    band = electric.get("voltage_band_pu", [0.95, 1.05])
    worst = m.get("worst_hour") or {}
    vm = [b["vm_worst_hour_pu"] if b["vm_worst_hour_pu"] is not None else np.nan for b in buses]
    half = max(0.06, max((abs(v - 1.0) for v in vm if np.isfinite(v)), default=0.0))
    text = []
    for b in buses:
        elems = ", ".join(on_bus.get(b["name"], [])) or "—"
        text.append(f"<b>bus {b['name']}</b> ({b['vn_kv']:g} kV)<br>{b.get('description') or ''}<br>"
                    f"worst hour: {b['vm_worst_hour_pu']:.4f} pu<br>year: {b['vm_min_pu']:.4f} – {b['vm_max_pu']:.4f} pu"
                    f"<br>elements: {elems}" if b["vm_min_pu"] is not None else f"<b>bus {b['name']}</b>")
    fig.add_scatter(x=[b["x"] for b in buses], y=[b["y"] for b in buses], mode="markers+text", showlegend=False,
                    text=[b["name"] for b in buses], textposition="top center", textfont={"size": 10},
                    hovertext=text, hovertemplate="%{hovertext}<extra></extra>",
                    marker={"size": [16 if b["vn_kv"] >= 100 else 11 if b["vn_kv"] >= 1 else 8 for b in buses],
                            "color": vm, "cmin": 1.0 - half, "cmax": 1.0 + half, "colorscale": VOLTAGE_SCALE,
                            "line": {"color": "#333", "width": 1},
                            "colorbar": {"title": "voltage in the<br>worst hour [pu]", "x": 1.02, "len": 0.45, "y": 0.75}})
    title = "Electric network: bus voltage in the worst hour"
    if worst.get("time"):
        title += f" ({worst['time']})"
    title += f", branch loading at its highest; band {band[0]:g}–{band[1]:g} pu"
    fig.update_layout(title=title, hovermode="closest")
    unit = "km" if buses[0].get("coords") == "xy" else "deg"
    fig.update_xaxes(title=f"east [{unit}]", zeroline=False)
    fig.update_yaxes(title=f"north [{unit}]", zeroline=False, scaleanchor="x", scaleratio=1)
    return apply_layout(fig)


def grid_duration_figure(timeseries: pd.DataFrame, info: dict) -> go.Figure | None:
    """Duration curve of the net grid exchange (import +, export −) [MW],
    with the connection's limits."""
    grids = [n for n, i in info.items() if i.get("type") == "grid" and f"{n}.import_mwh" in timeseries]
    if not grids:
        return None
    net = sum(timeseries[f"{n}.import_mwh"] - timeseries[f"{n}.export_mwh"] for n in grids)
    values = np.sort(net.to_numpy(dtype=float))[::-1]
    hours = np.arange(1, len(values) + 1)
    fig = go.Figure()
    fig.add_scatter(x=hours, y=values.astype("float32"), mode="lines", name="net import", fill="tozeroy",
                    line={"color": "#1f77b4"}, hovertemplate="%{y:,.1f} MW or more in %{x} h<extra></extra>")
    if all("import_limit_mw" in info[n] for n in grids):
        imp = sum(info[n]["import_limit_mw"] for n in grids)
        exp = sum(info[n].get("export_limit_mw", 0.0) for n in grids)
        fig.add_hline(y=imp, line={"dash": "dash", "color": "#a50026"}, annotation_text="import limit")
        fig.add_hline(y=-exp, line={"dash": "dash", "color": "#313695"}, annotation_text="export limit")
    fig.update_layout(title="Grid exchange duration curve (losses included when the network is solved)")
    fig.update_xaxes(title="hours of the run at or above the value")
    fig.update_yaxes(title="net import [MW] (export negative)")
    return apply_layout(fig)


def voltage_losses_figure(timeseries: pd.DataFrame, electric: dict) -> go.Figure | None:
    """Daily band of the lowest and highest bus voltage, and daily network losses."""
    if "power_network.v_min_pu" not in timeseries:
        return None
    ts = timeseries[["power_network.v_min_pu", "power_network.v_max_pu", "power_network.losses_mwh"]]
    day = ts.index.normalize()
    daily = ts.groupby(day).agg({"power_network.v_min_pu": "min", "power_network.v_max_pu": "max",
                                 "power_network.losses_mwh": "sum"})
    from plotly.subplots import make_subplots

    x = daily.index
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.6, 0.4], vertical_spacing=0.06)
    fig.add_scatter(x=x, y=daily["power_network.v_max_pu"], name="highest bus voltage", mode="lines",
                    line={"color": "#d73027"}, hovertemplate="%{y:.4f} pu<extra>highest</extra>", row=1, col=1)
    fig.add_scatter(x=x, y=daily["power_network.v_min_pu"], name="lowest bus voltage", mode="lines",
                    line={"color": "#4575b4"}, fill="tonexty", fillcolor="rgba(69,117,180,0.15)",
                    hovertemplate="%{y:.4f} pu<extra>lowest</extra>", row=1, col=1)
    fig.add_bar(x=x, y=daily["power_network.losses_mwh"], name="network losses", marker_color="#888888",
                hovertemplate="%{y:,.1f} MWh<extra>losses</extra>", row=2, col=1)
    lo, hi = electric.get("voltage_band_pu", [0.95, 1.05])
    for v in (lo, hi):
        fig.add_hline(y=v, line={"dash": "dash", "color": "#666"}, row=1, col=1)
    fig.update_layout(title="Bus voltages (daily extremes over all buses) and network losses (daily)")
    fig.update_yaxes(title="voltage [pu]", row=1, col=1)
    fig.update_yaxes(title="losses [MWh/day]", row=2, col=1)
    return apply_layout(fig)


def electric_network_section(results) -> list[go.Figure]:
    """Report section: network map, grid-exchange duration curve, voltages and losses."""
    summary, ts = results.summary, results.timeseries
    electric = (summary.get("networks") or {}).get("electric")
    figures = []
    if electric:
        figures.append(network_map_figure(electric))
    figures.append(grid_duration_figure(ts, summary.get("components", {})))
    if electric:
        figures.append(voltage_losses_figure(ts, electric))
    return [f for f in figures if f is not None]
