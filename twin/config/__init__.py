"""Structured configs and the one validation pass that names every bad key."""

from twin.config.schema import TwinConfig, register_configs
from twin.config.validate import ValidConfig, validate

__all__ = ["TwinConfig", "ValidConfig", "register_configs", "validate"]
