"""Instagram's caption rules: 2,200 characters, 30 hashtags, 20 @-tags, 10 carousel items.

(Instagram Platform "Content Publishing" limitations and IG User Media reference.) The same
rules are applied to comments.
"""

from __future__ import annotations

from ...models import Draft
from ...text import TextRules, find_hashtags, find_mentions
from ..meta.rules import check_counts

__all__ = ["MAX_HASHTAGS", "MAX_ITEMS", "MAX_MENTIONS", "RULES", "check_caption"]

MAX_HASHTAGS = 30
MAX_MENTIONS = 20
MAX_ITEMS = 10
RULES = TextRules(max_length=2200, max_images=MAX_ITEMS, max_videos=MAX_ITEMS, mixed_media=True)


def check_caption(draft: Draft, platform: str) -> None:
    """Refuse a caption with too many hashtags or @-tags, or a carousel with too many items."""
    counts = (
        ("max_hashtags", len(find_hashtags(draft.text)), MAX_HASHTAGS, "hashtags in the text"),
        ("max_mentions", len(find_mentions(draft.text)), MAX_MENTIONS, "@-tags in the text"),
        ("max_media", len(draft.media), MAX_ITEMS, "media items"),
    )
    check_counts(counts, platform=platform, where="Instagram")
