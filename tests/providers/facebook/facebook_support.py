"""Helpers of the Facebook tests: the Page, the API roots, fixtures, a platform factory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from socialkit.providers.facebook import Facebook

from ..meta.meta_support import load, maker

PAGE = "1234567890"
POST = "1234567890_111122223333"
GRAPH = "https://graph.facebook.com/v25.0"
VIDEO = "https://graph-video.facebook.com/v25.0"
HERE = Path(__file__).parent


def fixture(name: str) -> Any:
    """A JSON fixture shaped like the Graph API reference's examples."""
    return load(HERE, name)


make = maker(Facebook, page_id=PAGE)
