"""Solid waste, waste-stream recovery and water reuse as SimPy agents."""

from __future__ import annotations

from twin.waste import components, recovery, water  # noqa: F401  (registers the component types)


def check_links(valid) -> list[tuple[str, str]]:
    """Every name a waste or water agent refers to must be a component of
    the right kind, and a line's stream may feed one recovery unit per kind."""
    specs = {s.name: s for s in valid.components}
    industrial = {n for n, s in specs.items() if hasattr(s.cls, "stream_kinds")}
    problems: list[tuple[str, str]] = []
    taken: dict[tuple[str, str], str] = {}
    for s in valid.components:
        key = f"park.components.{s.name}"
        if s.cls is components.WasteYard:
            for i, n in enumerate(s.params.sources or []):
                if n not in industrial:
                    problems.append((f"{key}.sources[{i}]", f"{n!r} is not an industrial agent; known: {', '.join(sorted(industrial)) or '(none)'}"))
            for n in s.params.routes:
                if n not in specs or not getattr(specs[n].cls, "accepts_waste", False):
                    ok = [m for m, t in specs.items() if getattr(t.cls, "accepts_waste", False)]
                    problems.append((f"{key}.routes.{n}", f"not a waste route or waste-to-energy plant; known: {', '.join(ok) or '(none)'}"))
        elif s.cls is water.WaterTreatmentPlant:
            for i, n in enumerate(s.params.sources or []):
                if n not in industrial:
                    problems.append((f"{key}.sources[{i}]", f"{n!r} is not an industrial agent; known: {', '.join(sorted(industrial)) or '(none)'}"))
        elif issubclass(s.cls, recovery._StreamRecovery):
            n, kind = s.params.stream_of, s.cls.stream_kind
            if n not in specs:
                problems.append((f"{key}.stream_of", f"unknown component {n!r}"))
            elif n not in industrial or kind not in specs[n].cls.stream_kinds(specs[n].params):
                problems.append((f"{key}.stream_of", f"{n!r} has no waste {kind} stream (its archetype lists none)"))
            elif (n, kind) in taken:
                problems.append((f"{key}.stream_of", f"the waste {kind} stream of {n!r} already feeds {taken[(n, kind)]}"))
            else:
                taken[(n, kind)] = s.name
    return problems
