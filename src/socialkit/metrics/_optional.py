"""Optional dependencies (the helpers share `socialkit._optional`): re-exported for metrics."""

from __future__ import annotations

from .._optional import MissingDependency, require

__all__ = ["MissingDependency", "require"]
