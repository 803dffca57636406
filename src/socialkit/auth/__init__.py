"""Credentials: what a driver attaches to an authenticated request."""

from __future__ import annotations

from .credentials import BearerToken, Credential

__all__ = ["BearerToken", "Credential"]
