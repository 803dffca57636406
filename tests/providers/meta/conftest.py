"""Fixtures of the shared Graph API tests."""

from __future__ import annotations

from .meta_support import kind

__all__ = ["kind"]
