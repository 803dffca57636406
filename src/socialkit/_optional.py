"""Optional dependencies, imported when first needed, with an error that names the extra."""

from __future__ import annotations

import importlib
from types import ModuleType

from .errors import ConfigError

__all__ = ["MissingDependency", "require"]


class MissingDependency(ConfigError, ImportError):
    """An optional package is not installed; the message names the extra that brings it."""


def require(module: str, extra: str, feature: str) -> ModuleType:
    """Import ``module`` or raise `MissingDependency` naming ``pip install 'socialkit[extra]'``."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependency(
            f"{feature} needs {module.split('.')[0]}: pip install 'socialkit[{extra}]'",
            field=extra,
        ) from None
