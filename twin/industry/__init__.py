"""Industrial processes as SimPy agents."""

from twin.industry import components  # noqa: F401  (registers the component types)
