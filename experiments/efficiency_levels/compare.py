"""Measured against predicted energy saving of the efficiency-level sweep.

    python experiments/efficiency_levels/compare.py multirun/efficiency_levels/<date>

Reads the two runs of the sweep (their summary.json and timeseries.parquet)
and prints, per factory and carrier, the energy the advanced run saved and
what the archetype data predicts for the same production:
``(e_standard - e_advanced) x R x (b x H + (1 - b) x T)`` with ``T`` the
hours of production at full rate of the standard run (twin.industry.models.
predicted_energy_mwh). Both runs use the same seed, so breakdowns, and hence
production, are the same; what demand response has not yet made up at the
end of the year (``shift_backlog_mwh``) is shown apart.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

from twin.industry.archetypes import load_archetypes
from twin.industry.models import predicted_energy_mwh


def _runs(folder: Path) -> dict[str, tuple[dict, pd.DataFrame]]:
    out = {}
    for summary in sorted(folder.glob("*/summary.json")):
        s = json.loads(summary.read_text())
        level = {i.get("efficiency_level") for i in s["components"].values() if "efficiency_level" in i}
        if len(level) != 1:
            raise SystemExit(f"{summary.parent}: factories at mixed levels {level}")
        out[level.pop()] = (s, pd.read_parquet(summary.parent / "timeseries.parquet"))
    if set(out) != {"standard", "advanced"}:
        raise SystemExit(f"{folder}: expected one standard and one advanced run, found {sorted(out)}")
    return out


def compare(folder: Path) -> pd.DataFrame:
    runs = _runs(folder)
    (s_std, ts_std), (_, ts_adv) = runs["standard"], runs["advanced"]
    lib = load_archetypes()
    rows = []
    for name, info in s_std["components"].items():
        if "archetype" not in info:
            continue
        arch = lib.archetypes[info["archetype"]]
        r = info["rated_output_per_h"]
        t_full = (ts_std[f"{name}.running_h"].sum() if arch.mode == "batch"
                  else ts_std[f"{name}.product_output"].sum() / r)
        for key, std in arch.levels["standard"].energy_mwh_per_unit.items():
            if key in info.get("omitted_carriers", []) or key == "coal":
                continue
            col = f"{name}.{key}_mwh" if f"{name}.{key}_mwh" in ts_std else f"{name}.hydrogen_bought_mwh"
            if col not in ts_std:
                continue
            sign = -1.0 if col.endswith(f".{key}_mwh") else 1.0
            measured = sign * (ts_std[col].sum() - ts_adv[col].sum())
            adv = arch.levels["advanced"].energy_mwh_per_unit[key]
            predicted = predicted_energy_mwh(std - adv, arch.base_share.get(key, 0.0), r, len(ts_std), t_full)
            backlog = 0.0
            if key == "electricity":
                backlog = ts_adv[f"{name}.shift_backlog_mwh"].iloc[-1] - ts_std[f"{name}.shift_backlog_mwh"].iloc[-1]
            rows.append({"factory": name, "carrier": key, "saved_mwh": measured, "predicted_mwh": predicted,
                         "dr_backlog_difference_mwh": backlog,
                         "relative_gap": (measured - predicted - backlog) / predicted if predicted else 0.0})
    return pd.DataFrame(rows)


if __name__ == "__main__":
    table = compare(Path(sys.argv[1]))
    pd.set_option("display.width", 140)
    print(table.to_string(index=False, float_format=lambda v: f"{v:,.4g}"))
    print(f"\ntotal saved {table.saved_mwh.sum():,.0f} MWh, predicted {table.predicted_mwh.sum():,.0f} MWh")
