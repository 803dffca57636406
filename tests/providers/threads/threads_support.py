"""Helpers of the Threads tests: the profile, the API root, fixtures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from socialkit.providers.threads import Threads

from ..meta.meta_support import load, maker

USER = "1234567890"
POST = "18050206876707110"
API = "https://graph.threads.net/v1.0"
HERE = Path(__file__).parent


def fixture(name: str) -> Any:
    """A JSON fixture shaped like the Threads Postman collection's example responses."""
    return load(HERE, name)


make = maker(Threads, user_id=USER)
