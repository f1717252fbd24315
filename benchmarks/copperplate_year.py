"""Time the full-year copperplate run of the reference park.

Usage: python benchmarks/copperplate_year.py [--repeat N]

Prints the build time (weather, sun, components), the simulation itself
(SimPy engine, dispatch, audit: the figure the target is about) and the
whole call, best of N; the last line is ``copperplate_year_s=<seconds>``
(the simulation itself).
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core, as measured in docs/performance.md


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from twin.simulation import compose, run_from_config

    cfg = compose(["run.progress=false"])
    best = None
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        res = run_from_config(cfg)
        wall = time.perf_counter() - t0
        r = res.summary["runtime_s"]
        row = (r["simulate"], r["build"], wall)
        best = row if best is None or row[0] < best[0] else best
        print(f"build_s={r['build']:.3f} simulate_s={r['simulate']:.3f} total_s={wall:.3f}")
    print(f"hours={len(res.timeseries)} components={len(res.summary['components'])}")
    print(f"copperplate_year_s={best[0]:.3f}")


if __name__ == "__main__":
    main()
