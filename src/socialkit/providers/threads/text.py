"""Threads' text rules: 500 characters, where an emoji counts its UTF-8 bytes, and 5 links.

The Threads API "Posts" guide: "Text posts are limited to 500 characters. Emojis are counted
as the number of UTF-8 bytes." So ``"ok 👍"`` counts 3 + 4 = 7, ``"❤️"`` (U+2764 U+FE0F)
counts 6 and a family ZWJ sequence all its bytes. Every other character counts one, after
NFC. Posts with more than 5 distinct links are refused by Threads (since December 2025).
"""

from __future__ import annotations

import unicodedata

import regex

from ...models import Draft
from ...text import TextRules, find_urls
from ..meta.rules import check_counts

__all__ = ["MAX_ITEMS", "MAX_LINKS", "RULES", "check_links", "count_threads", "is_emoji"]

MAX_ITEMS = 20
MAX_LINKS = 5

_GRAPHEME = regex.compile(r"\X")
_EMOJI = regex.compile(
    r"\p{Emoji_Presentation}|\p{Regional_Indicator}|\uFE0F|\u20E3|\p{Emoji_Modifier}"
)


def is_emoji(cluster: str) -> bool:
    """Whether a grapheme cluster is shown as an emoji (emoji presentation, a flag, a keycap,
    or a character made an emoji by U+FE0F)."""
    return _EMOJI.search(cluster) is not None


def count_threads(text: str) -> int:
    """Threads' length: characters, each emoji counting its UTF-8 bytes."""
    return sum(
        len(cluster.encode()) if is_emoji(cluster) else len(cluster)
        for cluster in _GRAPHEME.findall(unicodedata.normalize("NFC", text))
    )


RULES = TextRules(
    max_length=500,
    count=count_threads,
    max_images=MAX_ITEMS,
    max_videos=MAX_ITEMS,
    mixed_media=True,
)
"""500 by `count_threads`; a carousel holds up to 20 images and videos, mixed."""


def check_links(draft: Draft, platform: str) -> None:
    """Refuse more than `MAX_LINKS` distinct links, or more than `MAX_ITEMS` media items."""
    links = {draft.text[start:end] for start, end in find_urls(draft.text)}
    counts = (
        ("max_links", len(links), MAX_LINKS, "distinct links"),
        ("max_media", len(draft.media), MAX_ITEMS, "media items"),
    )
    check_counts(counts, platform=platform, where="a Threads post")
