"""Time the reference park's heat and gas networks over a year: the twin's
fast path against pandapipes' pipeflow from scratch every hour.

Usage: python benchmarks/thermal_year.py [--every N] [--hours H]

The year is simulated once with both networks (the twin's way: nets built
once, a warm-started Newton solve per hour); every solve's inputs and
results are kept. Every N-th hour is then solved again the plain way
(``pandapipes.pipeflow`` from scratch, mode "bidirectional" for heat,
"hydraulics" for gas, pandapipes' default tolerances) to time it and to
compare the results. The plain figure for the year is the mean time of a
plain heat and a plain gas pipeflow times the hours. The last line is
``plain_s=<s> twin_s=<s> ratio=<plain/twin>``.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=24, help="re-solve every N-th hour the plain way")
    parser.add_argument("--hours", type=int, default=8760)
    args = parser.parse_args()

    from twin.config import validate
    from twin.core.dispatch import MeritOrderDispatch
    from twin.core.engine import Engine
    from twin.simulation import DOMAIN_CHECKS, _load, build, compose
    from twin.thermal.network import (build_gas_network, build_heat_network, compare_gas_with_pipeflow,
                                      compare_heat_with_pipeflow)

    cfg = compose(["run.progress=false", "run.networks=true", f"run.hours={args.hours}"])
    valid = validate(cfg, extra_checks=[_load(r) for r in DOMAIN_CHECKS])
    clock, ctx, comps, ledger, unserved, dumped = build(valid)
    t0 = time.perf_counter()
    heat = build_heat_network(valid, ctx, comps, ledger, record=True)
    gas = build_gas_network(valid, ctx, comps, ledger, record=True)
    build_s = time.perf_counter() - t0
    dispatch = MeritOrderDispatch(comps, unserved, dumped)
    engine = Engine(clock, [c for c in comps if hasattr(c, "process")], dispatch, ledger, networks=[heat, gas])
    sim_s = engine.run()
    twin_s = heat.time_s + gas.time_s
    hours = clock.hours
    print(f"hours={hours} heat: junctions={len(heat.layout.junctions)} pipes={2 * len(heat.layout.pipes)} "
          f"consumers={len(heat.sink_junctions)} producers={len(heat.feed_junctions)} "
          f"bypasses={len(heat.bypasses)}; gas: junctions={len(gas.layout.junctions)} pipes={len(gas.layout.pipes)}")
    print(f"build (pandapipes nets + first pipeflow) {build_s:.2f} s; whole simulation {sim_s:.1f} s")
    print(f"twin heat: {heat.solves} solves ({heat.resolves} after the dispatch), {heat.time_s:.2f} s, "
          f"{1e3 * heat.time_s / hours:.2f} ms/h; fallbacks to pipeflow {heat.fallbacks}; "
          f"not converged {len(heat.failures)}")
    print(f"twin gas:  {gas.solves} solves, {gas.time_s:.2f} s, {1e3 * gas.time_s / hours:.2f} ms/h; "
          f"fallbacks {gas.fallbacks}; not converged {len(gas.failures)}")

    finals = {}
    for entry in heat.log:               # the hour's last solve is the one recorded
        finals[entry["hour"]] = entry
    sample = [finals[h] for h in sorted(finals)][::args.every]
    cmp_heat = compare_heat_with_pipeflow(heat, sample)
    cmp_gas = compare_gas_with_pipeflow(gas, gas.log[::args.every])
    print(f"plain heat pipeflow: {1e3 * cmp_heat['pipeflow_s']:.1f} ms over {cmp_heat['hours']} sampled hours "
          f"({cmp_heat['failed']} did not converge)")
    print(f"plain gas pipeflow:  {1e3 * cmp_gas['pipeflow_s']:.1f} ms over {cmp_gas['hours']} sampled hours "
          f"({cmp_gas['failed']} did not converge)")
    print(f"agreement on sampled hours: heat max |dT| {cmp_heat['t_k']:.2e} K, max |dp| {cmp_heat['p_bar']:.2e} bar, "
          f"losses/pump/plant energy {cmp_heat['energy_rel']:.2e} rel; gas max |dp| {cmp_gas['p_bar']:.2e} bar, "
          f"flows {cmp_gas['mdot_rel']:.2e} rel")
    plain_s = hours * (cmp_heat["pipeflow_s"] + cmp_gas["pipeflow_s"])
    print(f"plain_s={plain_s:.1f} twin_s={twin_s:.2f} ratio={plain_s / twin_s:.1f}")


if __name__ == "__main__":
    main()
