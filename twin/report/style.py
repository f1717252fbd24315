"""One look for every figure: fonts, margins, carrier colours."""

from __future__ import annotations

CARRIER_COLOURS = {"electricity": "#1f77b4", "heat": "#d62728", "gas": "#7f7f7f", "hydrogen": "#17becf",
                   "cooling": "#9467bd"}


def apply_layout(fig):
    fig.update_layout(template="plotly_white", font={"size": 13}, margin={"l": 70, "r": 30, "t": 60, "b": 50},
                      legend={"orientation": "v"})
    return fig
