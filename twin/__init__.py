"""Park twin: a discrete-time simulation and digital twin of a zero-carbon industrial park.

>>> from twin import simulate, load_results       # doctest: +SKIP
>>> res = simulate(overrides=["run.hours=168"])   # doctest: +SKIP
>>> res.save("out"); load_results("out")          # doctest: +SKIP
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["simulate", "load_results", "Results"]


def __getattr__(name):
    # Lazy: `import twin` stays light; the simulation pulls pvlib, simpy, ...
    if name == "simulate":
        from twin.simulation import simulate

        return simulate
    if name in ("load_results", "Results"):
        from twin.core import results

        return getattr(results, name)
    raise AttributeError(name)
