"""Component registry: a type name in config -> the class that builds it.

A new technology is one class in its domain folder decorated with
``@register("type_name")``; nothing in ``core`` changes.
"""

from __future__ import annotations

_REGISTRY: dict[str, type] = {}


def register(type_name: str):
    """Class decorator registering a component class under ``type_name``."""

    def decorate(cls):
        if type_name in _REGISTRY and _REGISTRY[type_name] is not cls:
            raise ValueError(f"component type {type_name!r} is registered twice")
        cls.type_name = type_name
        _REGISTRY[type_name] = cls
        return cls

    return decorate


def component_class(type_name: str) -> type:
    """Class registered under ``type_name``; KeyError if unknown."""
    return _REGISTRY[type_name]


def known_types() -> list[str]:
    return sorted(_REGISTRY)
