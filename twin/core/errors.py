"""Errors a user can act on, kept apart from programming errors."""

from __future__ import annotations


class TwinError(Exception):
    """Base of errors that are reported to the user without a traceback."""


class ConfigError(TwinError):
    """A park that cannot be built: every problem found, each with its key.

    Parameters
    ----------
    problems : list of (key, message)
        ``key`` is the full dotted config key, e.g.
        ``park.components.pv_roof.capacity_mw``; ``message`` says what was
        expected and what was found.
    """

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = list(problems)
        lines = [f"  {key}: {message}" for key, message in self.problems]
        noun = "problem" if len(lines) == 1 else "problems"
        super().__init__(f"the configuration has {len(lines)} {noun}:\n" + "\n".join(lines))


class BalanceError(TwinError):
    """An hourly carrier balance that does not close: a bug, never a user error."""

    def __init__(self, hour: int, timestamp: str, carrier: str, residual_mwh: float, relative: float):
        self.hour = hour
        self.carrier = carrier
        self.residual_mwh = residual_mwh
        self.relative = relative
        super().__init__(
            f"energy balance of {carrier} fails in hour {hour} ({timestamp}): "
            f"residual {residual_mwh:.6g} MWh ({relative:.3g} relative)"
        )
