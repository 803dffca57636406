"""Threads settings: which profile, with which Threads user access token."""

from __future__ import annotations

from ..meta.settings import GraphSettings

__all__ = ["THREADS_API_VERSION", "ThreadsSettings"]

THREADS_API_VERSION = "v1.0"


class ThreadsSettings(GraphSettings):
    """How to reach one Threads profile.

    Attributes:
        user_id: The Threads user id (``GET /me`` answers it; ``"me"`` works too).
        access_token: A Threads user access token (OAuth at threads.net, long-lived for 60
            days, refreshed with ``th_refresh_token``).
        api_version: ``"v1.0"``, the Threads API's only version.
    """

    user_id: str
    api_version: str = THREADS_API_VERSION
