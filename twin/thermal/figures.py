"""Report figures of heat and gas: the heat-network map with temperatures,
the heat-source stack over the year, losses and the share of clean heat,
and gas-network pressures.

Reads only a run's results (summary and timeseries), never the simulation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

#: Tags that make a component's heat "clean" (non-fossil: heat pumps,
#: power-to-heat, solar, geothermal, biomass, recovered waste heat).
CLEAN_HEAT_TAGS = ("clean_heat", "waste_heat", "recovered")


def clean_heat_share(summary: dict) -> dict:
    """Annual heat by source [MWh] split into clean and other, and the clean share [-].

    Storage is neither: it moves heat in time. Returns ``{"clean_mwh",
    "other_mwh", "share", "by_source": {name: (mwh, clean)}}``.
    """
    heat = summary.get("energy", {}).get("heat", {})
    comps = summary.get("components", {})
    by_source = {}
    for name, mwh in heat.get("supplied_mwh", {}).items():
        info = comps.get(name, {})
        tags = info.get("tags", [])
        if "storage" in tags or name.startswith("park."):
            continue
        by_source[name] = (mwh, any(t in CLEAN_HEAT_TAGS for t in tags))
    clean = sum(m for m, c in by_source.values() if c)
    other = sum(m for m, c in by_source.values() if not c)
    total = clean + other
    return {"clean_mwh": clean, "other_mwh": other, "share": clean / total if total > 0 else None,
            "by_source": by_source}


def heat_network_map(summary: dict, timeseries: pd.DataFrame) -> go.Figure | None:
    """The heat network on the site plan: pipes drawn by diameter, junctions
    coloured by their supply temperature in the hour of peak plant heat."""
    net = summary.get("networks", {}).get("heat")
    if not net:
        return None
    from twin.report.style import apply_layout

    junctions = net["junctions"]
    peak = timeseries["heat_network.plant_heat_mwh"].idxmax() if "heat_network.plant_heat_mwh" in timeseries else None
    fig = go.Figure()
    d_max = max(p["diameter_mm"] for p in net["pipes"])
    for p in net["pipes"]:
        (x0, y0), (x1, y1) = junctions[p["from"]], junctions[p["to"]]
        fig.add_scatter(x=[x0 / 1e3, x1 / 1e3], y=[y0 / 1e3, y1 / 1e3], mode="lines", showlegend=False,
                        line={"width": 1.5 + 8.0 * p["diameter_mm"] / d_max, "color": "#b0b0b0"},
                        hovertemplate=f"{p['name']}: DN {p['diameter_mm']:.0f} mm, {p['length_m']:.0f} m<extra></extra>")
    names = list(junctions)
    temps, annual_min, texts = [], [], []
    for j in names:
        col = f"heat_network.{j}.t_supply_c"
        series = timeseries[col] if col in timeseries else pd.Series(np.nan, index=timeseries.index)
        temps.append(float(series.loc[peak]) if peak is not None else np.nan)
        annual_min.append(float(series.min()))
        role = ("plant" if j == net["plant"] else "producer" if j in net.get("producers", [])
                else "consumer" if j in net.get("consumers", []) else "junction")
        texts.append(role)
    symbols = {"plant": "star", "producer": "diamond", "consumer": "circle", "junction": "circle-open"}
    fig.add_scatter(
        x=[junctions[j][0] / 1e3 for j in names], y=[junctions[j][1] / 1e3 for j in names], mode="markers+text",
        text=names, textposition="top center", textfont={"size": 10}, showlegend=False,
        marker={"size": [18 if r == "plant" else 13 for r in texts], "symbol": [symbols[r] for r in texts],
                "color": temps, "colorscale": "RdYlBu_r", "showscale": True,
                "colorbar": {"title": "supply [°C]"}, "line": {"width": 1, "color": "#333"}},
        customdata=np.c_[annual_min, texts],
        hovertemplate="%{text} (%{customdata[1]}): %{marker.color:.1f} °C at peak, "
                      "%{customdata[0]:.1f} °C lowest in the run<extra></extra>")
    when = f" at peak plant heat, {peak:%Y-%m-%d %H:%M}" if peak is not None else ""
    fig.update_layout(title=f"District-heating network: supply temperatures{when} "
                            f"(star: plant, diamonds: producers; line width: diameter)")
    fig.update_xaxes(title="x [km]", scaleanchor="y", scaleratio=1)
    fig.update_yaxes(title="y [km]")
    return apply_layout(fig)


def heat_source_stack(summary: dict, timeseries: pd.DataFrame) -> go.Figure | None:
    """Daily heat supplied by each source over the run, stacked [MW daily mean];
    the network's losses and the heat demand as lines."""
    share = clean_heat_share(summary)
    if not share["by_source"]:
        return None
    from twin.report.style import apply_layout

    order = sorted(share["by_source"], key=lambda n: (not share["by_source"][n][1], -share["by_source"][n][0]))
    daily = timeseries.index.normalize()
    fig = go.Figure()
    for name in order:
        s = timeseries[f"{name}.heat_mwh"].clip(lower=0.0).groupby(daily).mean()
        clean = share["by_source"][name][1]
        fig.add_scatter(x=s.index, y=s.to_numpy(), name=f"{name}{' (clean)' if clean else ''}", stackgroup="supply",
                        mode="lines", line={"width": 0.5},
                        hovertemplate=f"{name}: %{{y:,.1f}} MW<extra></extra>")
    if "heat_network.heat_loss_mwh" in timeseries:
        loss = timeseries["heat_network.heat_loss_mwh"].groupby(daily).mean()
        fig.add_scatter(x=loss.index, y=loss.to_numpy(), name="network heat losses", mode="lines",
                        line={"width": 2, "color": "black", "dash": "dot"})
    pct = f"{100 * share['share']:.0f} %" if share["share"] is not None else "n/a"
    fig.update_layout(title=f"Heat supply by source (daily mean); clean heat {pct} of the heat made")
    fig.update_xaxes(title="day")
    fig.update_yaxes(title="heat [MW, daily mean]")
    return apply_layout(fig)


def heat_losses_and_clean_share(summary: dict, timeseries: pd.DataFrame) -> go.Figure | None:
    """Monthly network heat losses [MWh] and their share of the heat delivered,
    with the monthly share of clean heat."""
    if "heat_network.heat_loss_mwh" not in timeseries:
        return None
    from plotly.subplots import make_subplots

    from twin.report.style import apply_layout

    share = clean_heat_share(summary)
    month = timeseries.index.month
    loss = timeseries["heat_network.heat_loss_mwh"].groupby(month).sum()
    made = pd.Series(0.0, index=loss.index)
    clean = pd.Series(0.0, index=loss.index)
    for name, (_, is_clean) in share["by_source"].items():
        s = timeseries[f"{name}.heat_mwh"].clip(lower=0.0).groupby(month).sum()
        made = made.add(s, fill_value=0.0)
        if is_clean:
            clean = clean.add(s, fill_value=0.0)
    labels = [pd.Timestamp(2000, m, 1).strftime("%b") for m in loss.index]
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_bar(x=labels, y=loss.to_numpy(), name="network heat losses [MWh]", marker_color="#d62728")
    fig.add_scatter(x=labels, y=(100 * loss / made.replace(0.0, np.nan)).to_numpy(), name="losses / heat made [%]",
                    mode="lines+markers", secondary_y=True)
    fig.add_scatter(x=labels, y=(100 * clean / made.replace(0.0, np.nan)).to_numpy(), name="clean heat [%]",
                    mode="lines+markers", secondary_y=True)
    total = float(loss.sum())
    fig.update_layout(title=f"Heat-network losses ({total / 1e3:,.1f} GWh in the run) and the share of clean heat")
    fig.update_yaxes(title_text="losses [MWh per month]", secondary_y=False)
    fig.update_yaxes(title_text="share [%]", secondary_y=True, range=[0, 100])
    return apply_layout(fig)


def gas_network_pressures(summary: dict, timeseries: pd.DataFrame) -> go.Figure | None:
    """Lowest, mean and highest pressure at each gas junction over the run [bar(g)]."""
    gas = summary.get("networks", {}).get("gas")
    if not gas:
        return None
    from twin.report.style import apply_layout

    names = list(gas["junctions"])
    cols = [f"gas_network.{j}.p_bar" for j in names]
    p = timeseries[cols]
    fig = go.Figure()
    fig.add_bar(x=names, y=(p.max() - p.min()).to_numpy(), base=p.min().to_numpy(), name="range over the run",
                marker_color="#7f7f7f", hovertemplate="%{x}: %{base:.3f} - %{y:.3f} bar<extra></extra>")
    fig.add_scatter(x=names, y=p.mean().to_numpy(), mode="markers", name="mean", marker={"color": "black"})
    fig.update_layout(title=f"Gas network: pressure at each junction (city gate {gas['city_gate']}); "
                            f"{gas['import_m3'] / 1e6:,.2f} million Nm3 imported")
    fig.update_yaxes(title="pressure [bar(g)]")
    return apply_layout(fig)


def heat_section(results) -> list[go.Figure]:
    """Figures of report.html's heat-and-gas section (empty without heat)."""
    ts, summary = results.timeseries, results.summary
    figures = [heat_network_map(summary, ts), heat_source_stack(summary, ts),
               heat_losses_and_clean_share(summary, ts), gas_network_pressures(summary, ts)]
    return [f for f in figures if f is not None]
