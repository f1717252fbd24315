"""Time a year of the reference park's hourly AC power flows: the plain way against the twin's.

Usage: python benchmarks/electric_year.py [--sample N]

Runs the reference park with ``run.networks=true`` (dispatch, the power flow
every hour, the balance audit). The twin's figure is what its power-flow
solver spent: converting the pandapower net to lightsim2grid once, then
every hour setting the injections, solving warm-started and booking the
results (``twin_s``). The plain way is ``pandapower.runpp`` from scratch
(``lightsim2grid=False``, pandapower's defaults otherwise) after writing the
hour's element powers into the net's tables, timed on N hours spread evenly
over the year and scaled to the year (``plain_s``). The same hours give the
agreement of the two ways (bus voltages, losses, loadings). The last line is
``plain_s=<s> twin_s=<s> ratio=<plain/twin>``.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core, as measured in docs/performance.md


def run_with_solvers(overrides: list[str]):
    """Simulate a composed config the way ``run_valid`` does, keeping the
    engine's network solvers at hand."""
    from twin.config import validate
    from twin.core.dispatch import MeritOrderDispatch
    from twin.core.engine import Engine
    from twin.simulation import DOMAIN_CHECKS, _load, build, build_networks, compose

    valid = validate(compose(overrides), extra_checks=[_load(ref) for ref in DOMAIN_CHECKS])
    clock, ctx, components, ledger, unserved, dumped = build(valid)
    networks = build_networks(valid, ctx, components, ledger)
    engine = Engine(clock, [c for c in components if hasattr(c, "process")],
                    MeritOrderDispatch(components, unserved, dumped), ledger, networks=networks,
                    observers=[c for c in components if hasattr(c, "after_settle")])
    wall = engine.run()
    return clock, components, ledger, networks, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=200, help="hours timed the plain way (spread over the year)")
    args = parser.parse_args()

    import numpy as np

    clock, _, _, networks, wall = run_with_solvers(["run.networks=true", "run.progress=false"])
    solver = next(n for n in networks if n.name == "electric")
    hours = clock.hours
    t = solver.timing_s
    twin_s = t["convert"] + t["solve"]
    print(f"grid: {solver.n_bus} buses, {solver.n_line} line circuits, {solver.n_trafo} transformers, "
          f"{len(solver.elements)} elements; {hours} hours")
    print(f"twin: build pandapower net {t['build_net']:.3f} s (both ways need it), convert to lightsim2grid "
          f"{t['convert']:.4f} s, {hours} hourly solves {t['solve']:.3f} s "
          f"({1e3 * t['solve'] / hours:.3f} ms/h); whole run with dispatch {wall:.2f} s")

    sample = np.unique(np.linspace(0, hours - 1, min(args.sample, hours)).astype(int))
    solver.plain_power_flow(int(sample[0]))  # first call pays pandapower's lazy imports
    plain = 0.0
    dv = dl = dload = 0.0
    for h in sample:
        h = int(h)
        t0 = time.perf_counter()
        ref = solver.plain_power_flow(h)
        plain += time.perf_counter() - t0
        fast = solver.fast_power_flow(h)
        dv = max(dv, float(np.abs(fast["vm_pu"] - ref["vm_pu"]).max()))
        dl = max(dl, abs(fast["losses_mw"] - ref["losses_mw"]))
        dload = max(dload, float(np.abs(fast["loading_percent"] - ref["loading_percent"]).max()))
    plain_s = plain / len(sample) * hours
    print(f"plain: pandapower.runpp from scratch {1e3 * plain / len(sample):.2f} ms/h on {len(sample)} hours, "
          f"scaled to {hours} h")
    print(f"agreement on those hours: max |dV| {dv:.2e} pu, max |d losses| {dl:.2e} MW, "
          f"max |d loading| {dload:.2e} %")
    print(f"plain_s={plain_s:.2f} twin_s={twin_s:.3f} ratio={plain_s / twin_s:.0f}")


if __name__ == "__main__":
    main()
