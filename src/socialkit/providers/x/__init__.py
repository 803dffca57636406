"""X (formerly Twitter) through the X API v2: OAuth 2.0 or 1.0a user context, or app-only."""

from __future__ import annotations

from .media import UploadPolicy
from .platform import X
from .settings import AuthMode, XSettings

__all__ = ["AuthMode", "UploadPolicy", "X", "XSettings"]
