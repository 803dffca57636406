"""Helpers of the Instagram tests: the account, the API roots, fixtures, a platform factory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from socialkit.providers.instagram import Instagram

from ..meta.meta_support import load, maker

USER = "17841400000000001"
MEDIA = "17895695668004550"
GRAPH = "https://graph.facebook.com/v25.0"
IG_GRAPH = "https://graph.instagram.com/v25.0"
HERE = Path(__file__).parent


def fixture(name: str) -> Any:
    """A JSON fixture shaped like the Instagram Platform reference's examples."""
    return load(HERE, name)


make = maker(Instagram, user_id=USER)
