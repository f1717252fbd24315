"""Annual energy flows per carrier and component, from the ledger frame."""

from __future__ import annotations

import pandas as pd

from twin.core.carriers import Carrier


def energy_summary(timeseries: pd.DataFrame, components: dict[str, dict]) -> dict:
    """Annual totals [MWh] per carrier: what each component supplied and drew,
    imports, exports, storage, curtailment, unserved and losses.

    Parameters
    ----------
    timeseries : pandas.DataFrame
        The ledger frame.
    components : dict
        ``name -> describe()`` of every component.
    """
    out: dict[str, dict] = {}
    totals = timeseries.sum()
    for carrier in Carrier:
        suffix = f".{carrier.value}_mwh"
        cols = [c for c in timeseries.columns if c.endswith(suffix)]
        if not cols:
            continue
        flows = timeseries[cols]
        supplied = flows.clip(lower=0).sum()
        drawn = (-flows.clip(upper=0)).sum()
        entry = {
            "supplied_mwh": {c[: -len(suffix)]: float(v) for c, v in supplied.items() if v > 0},
            "drawn_mwh": {c[: -len(suffix)]: float(v) for c, v in drawn.items() if v > 0},
        }
        curtailed = unserved = import_ = export = storage_losses = 0.0
        for name, info in components.items():
            if f"{name}{suffix}" not in flows.columns:
                continue
            # A source has one flow port, so its curtailment is of this carrier.
            curtailed += float(totals.get(f"{name}.curtailed_mwh", 0.0))
            unserved += float(totals.get(f"{name}.unserved_{carrier.value}_mwh", 0.0))
            if f"{name}.import_mwh" in totals.index:
                import_ += float(totals[f"{name}.import_mwh"])
                export += float(totals[f"{name}.export_mwh"])
            if f"{name}.losses_mwh" in totals.index:
                storage_losses += float(totals[f"{name}.losses_mwh"])
        unserved += float(totals.get(f"park.unserved{suffix}", 0.0))
        entry.update({
            "supply_mwh": float(supplied.sum()),
            "demand_mwh": float(drawn.sum()),
            "import_mwh": import_,
            "export_mwh": export,
            "curtailed_mwh": curtailed,
            "unserved_mwh": unserved,
            "storage_losses_mwh": storage_losses,
            # Network solvers book their losses as a negative flow of a
            # pseudo-component named "<something>_network".
            "network_losses_mwh": float(-flows[[c for c in cols if c.split(".", 1)[0].endswith("_network")]].sum().sum()),
        })
        out[carrier.value] = entry
    return out

