"""The run's hydrogen balance from the ledger frame."""

from __future__ import annotations

import numpy as np
import pandas as pd

from twin.hydrogen import models

_SUFFIX = ".hydrogen_mwh"


def hydrogen_summary(timeseries: pd.DataFrame, components: dict[str, dict]) -> dict | None:
    """Produced, stored, used by purpose, blended, vented, unserved [kg], and
    the electrolysers' specific electricity, full-load hours and the share of
    their electricity matched hour by hour by on-site renewables.

    The balance closes: produced + imported = used + blended + vented +
    stored change (+ unserved on the demand side). Returns None when the run
    has no hydrogen.
    """
    cols = [c for c in timeseries.columns if c.endswith(_SUFFIX)]
    if not cols:
        return None
    kg = {c[: -len(_SUFFIX)]: models.mwh_to_kg(timeseries[c].to_numpy()) for c in cols}
    types = {n: components.get(n, {}).get("type", n) for n in kg}
    produced = sum(float(v.sum()) for n, v in kg.items() if types[n] == "electrolyser")
    stored_change = -sum(float(v.sum()) for n, v in kg.items() if types[n] == "h2_storage")
    imported = sum(float(np.clip(v, 0, None).sum()) for n, v in kg.items() if "supply" in types[n])
    used: dict[str, float] = {}
    for n, v in kg.items():
        t = types[n]
        if t in ("hydrogen_demand", "refuelling_station"):
            purpose = components.get(n, {}).get("purpose", "feedstock")
        elif t == "fuel_cell":
            purpose = "power (fuel cell)"
        elif t == "hydrogen_boiler":
            purpose = "heat (boiler)"
        elif t == "hydrogen_blending":
            purpose = "blended into gas"
        elif n.startswith("park.") or t in ("electrolyser", "h2_storage") or "supply" in t:
            continue
        else:  # any other user, e.g. an industrial line's feedstock
            tags = components.get(n, {}).get("tags", [])
            purpose = components.get(n, {}).get("purpose") or ("feedstock" if "industry" in tags else t)
        used[purpose] = used.get(purpose, 0.0) - float(v.sum())
    vented = -float(kg.get("park.dumped", np.zeros(1)).sum())
    unserved = float(sum(models.mwh_to_kg(timeseries[c]).sum() for c in timeseries.columns
                         if c.endswith(".unserved_hydrogen_mwh"))) + float(kg.get("park.unserved", np.zeros(1)).sum())
    out = {"produced_kg": produced, "imported_kg": imported, "stored_change_kg": stored_change,
           "used_kg": used, "vented_kg": vented, "unserved_kg": unserved}
    supply = produced + imported + float(kg.get("park.unserved", np.zeros(1)).sum())
    demand = sum(used.values()) + vented + stored_change
    out["balance_residual_kg"] = supply - demand
    out["blending"] = _blending(timeseries, components)
    out["electrolysers"] = {n: _electrolyser(timeseries, n, components, kg[n])
                            for n in kg if types[n] == "electrolyser"}
    return out


def _electrolyser(ts: pd.DataFrame, name: str, components: dict, kg: np.ndarray) -> dict:
    info = components.get(name, {})
    el = -ts[f"{name}.electricity_mwh"].to_numpy()
    produced = float(kg.sum())
    renewable = sum(ts[f"{n}.electricity_mwh"].clip(lower=0).to_numpy() for n, i in components.items()
                    if "renewable" in i.get("tags", []) and f"{n}.electricity_mwh" in ts)
    supply = sum(ts[c].clip(lower=0).to_numpy() for c in ts.columns if c.endswith(".electricity_mwh"))
    share_h = np.divide(renewable, supply, out=np.zeros(len(ts)), where=np.asarray(supply) > 0) if np.ndim(renewable) else np.zeros(len(ts))
    matched = float((el * np.clip(share_h, 0.0, 1.0)).sum())
    rated = info.get("capacity_mw", 0.0)
    return {
        "produced_kg": produced,
        "electricity_mwh": float(el.sum()),
        "specific_kwh_per_kg": float(el.sum() * 1000.0 / produced) if produced > 0 else None,
        "full_load_hours": float(el.sum() / rated) if rated else None,
        "operating_hours": int((kg > 0).sum()),
        "renewable_matched_share": matched / float(el.sum()) if el.sum() > 0 else None,
        "water_m3": float(ts[f"{name}.water_m3"].sum()) if f"{name}.water_m3" in ts else None,
    }


def _blending(ts: pd.DataFrame, components: dict) -> dict | None:
    """Hydrogen blended into the gas supply and its effect on delivered gas:
    energy and volume shares, and the blend's heating value per m3."""
    names = [n for n, i in components.items() if i.get("type") == "hydrogen_blending"]
    if not names:
        return None
    blend_mwh = sum(ts[f"{n}.gas_mwh"].to_numpy() for n in names)
    gas_made = sum(ts[c].clip(lower=0).to_numpy() for c in ts.columns if c.endswith(".gas_mwh"))
    share = np.divide(blend_mwh, gas_made, out=np.zeros(len(ts)), where=np.asarray(gas_made) > 0)
    vol = models.blend_volume_share(share)
    lhv_blend = vol * models.H2_LHV_MJ_PER_NM3 + (1 - vol) * models.NG_LHV_MJ_PER_NM3
    blending = share > 0
    return {
        "blended_kg": float(models.mwh_to_kg(blend_mwh).sum()),
        "blended_mwh": float(blend_mwh.sum()),
        "hours_blending": int(blending.sum()),
        "energy_share_max": float(share.max()),
        "volume_share_max": float(vol.max()),
        "annual_energy_share": float(blend_mwh.sum() / gas_made.sum()) if gas_made.sum() > 0 else 0.0,
        "blend_lhv_min_mj_per_m3": float(lhv_blend[blending].min()) if blending.any() else models.NG_LHV_MJ_PER_NM3,
        "natural_gas_lhv_mj_per_m3": models.NG_LHV_MJ_PER_NM3,
        "note": "delivered gas carries less energy per m3 while blending: burners draw more volume for the same heat",
    }
