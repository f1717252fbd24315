"""Report figures of the industrial agents (read from Results only)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from twin.industry.models import KGCE_PER_MWH

_CARRIERS = ("electricity", "heat", "gas", "hydrogen")


def _industrial(summary: dict) -> dict[str, dict]:
    return {n: i for n, i in summary.get("components", {}).items() if "product_unit" in i}


def energy_per_unit_kgce(ts: pd.DataFrame, name: str) -> float | None:
    """A line's comprehensive energy per product unit over the run [kgce/unit]
    (carriers drawn at the GB/T 2589 factors, plus its ``fuel_tce``)."""
    out = ts[f"{name}.product_output"].sum() if f"{name}.product_output" in ts else 0.0
    if out <= 0:
        return None
    kgce = sum(-ts[f"{name}.{c}_mwh"].sum() * KGCE_PER_MWH[c] for c in _CARRIERS if f"{name}.{c}_mwh" in ts)
    if f"{name}.fuel_tce" in ts:
        kgce += 1000.0 * ts[f"{name}.fuel_tce"].sum()
    return float(kgce / out)


def industry_section(results) -> list[go.Figure]:
    """Energy per unit against the national limits, weekly output, and flexibility used."""
    from twin.report.style import apply_layout

    ts, lines = results.timeseries, _industrial(results.summary)
    if not lines:
        return []
    figures = []
    limited = {n: i for n, i in lines.items() if i.get("energy_limit_level2_kgce_per_unit")}
    if limited:
        fig = go.Figure()
        names = list(limited)
        ratio = lambda n, v: v / limited[n]["energy_limit_level2_kgce_per_unit"]
        measured = [energy_per_unit_kgce(ts, n) or 0.0 for n in names]
        fig.add_bar(x=names, y=[ratio(n, v) for n, v in zip(names, measured)], name="this run",
                    customdata=measured, hovertemplate="%{x}: %{customdata:.4g} kgce/unit (%{y:.3f} x level 2)<extra></extra>")
        for lvl, dash in ((1, "dot"), (3, "dash")):
            fig.add_scatter(x=names, y=[limited[n][f"energy_limit_level{lvl}_kgce_per_unit"] /
                                        limited[n]["energy_limit_level2_kgce_per_unit"] for n in names],
                            mode="markers", name=f"level {lvl}", marker={"symbol": "line-ew-open", "size": 30})
        fig.add_hline(y=1.0, line_dash="dash", annotation_text="level 2 (guiding target)")
        fig.update_layout(title="Energy per unit of product against the national limit (1 = level 2)")
        fig.update_yaxes(title="energy per unit / level 2 [-]")
        figures.append(apply_layout(fig))
    fig = go.Figure()
    for n, info in lines.items():
        weekly = ts[f"{n}.product_output"].resample("W-SUN").sum()
        base = weekly.max() if weekly.max() > 0 else 1.0
        fig.add_scatter(x=weekly.index, y=weekly.to_numpy() / base, mode="lines+markers", name=n,
                        customdata=weekly.to_numpy(),
                        hovertemplate=f"{n}: %{{customdata:,.4g}} {info['product_unit']}<extra>%{{x}}</extra>")
    fig.update_layout(title="Weekly output (share of each line's best week): holidays, maintenance, breakdowns")
    fig.update_yaxes(title="output / best week [-]")
    figures.append(apply_layout(fig))
    flex = [n for n in lines if f"{n}.shifted_mwh" in ts and (ts[f"{n}.shifted_mwh"].sum() > 0 or ts[f"{n}.interrupted_mwh"].sum() > 0)]
    if flex:
        fig = go.Figure()
        for n in flex:
            fig.add_bar(x=[n], y=[ts[f"{n}.shifted_mwh"].sum() / 1e3], name=f"{n} shifted", legendgroup="shifted")
            fig.add_bar(x=[n], y=[ts[f"{n}.recovered_mwh"].sum() / 1e3], name=f"{n} recovered", legendgroup="recovered")
            fig.add_bar(x=[n], y=[ts[f"{n}.interrupted_mwh"].sum() / 1e3], name=f"{n} interrupted", legendgroup="interrupted")
        fig.update_layout(title="Demand response: electricity moved out of peak hours, made up later, or dropped",
                          barmode="group")
        fig.update_yaxes(title="electricity [GWh]")
        figures.append(apply_layout(fig))
    return figures
