"""What the Instagram provider asks for: field selections and insights metrics.

Field names follow the IG User, IG Media, IG Comment and IG Hashtag references (checked
against the v25.0 node specs, including the Instagram-Login variants); metrics are the
ones current after ``impressions`` gave way to ``views`` in 2025.
"""

from __future__ import annotations

from datetime import timedelta

from ..meta.fields import select

__all__ = [
    "ACCOUNT_RANGE",
    "ACCOUNT_SERIES",
    "ACCOUNT_SNAPSHOT",
    "ACCOUNT_TOTALS",
    "COMMENT",
    "COMMENTS",
    "HASHTAG_MEDIA",
    "MEDIA",
    "MEDIA_METRICS",
    "MENTIONED_COMMENT",
    "MENTIONED_MEDIA",
    "TAGGED",
    "USER",
]

USER = select("id", "username", "name", "profile_picture_url", "followers_count")
MEDIA = select(
    "id",
    "caption",
    "media_type",
    "media_product_type",
    "media_url",
    "thumbnail_url",
    "permalink",
    "timestamp",
    "username",
    "owner",
    "like_count",
    "comments_count",
    "children{id,media_type,media_url,thumbnail_url}",
)
TAGGED = select(
    "id",
    "caption",
    "media_type",
    "media_url",
    "permalink",
    "timestamp",
    "username",
    "children{id,media_type,media_url,thumbnail_url}",
)
HASHTAG_MEDIA = select(
    "id",
    "caption",
    "media_type",
    "media_url",
    "permalink",
    "timestamp",
    "like_count",
    "comments_count",
    "children{media_url,media_type}",
)
"""Hashtag results carry no author: Instagram hides who posted them. A carousel has no
``media_url`` of its own: its items come from ``children``."""
MENTIONED_MEDIA = select(
    "id", "caption", "media_type", "media_url", "timestamp", "username", "like_count",
    "comments_count",
)
"""Media whose caption @mentions the account (``mentioned_media.media_id(…)``)."""
MENTIONED_COMMENT = select("id", "text", "timestamp", "like_count", "media{id}")
"""A comment that @mentions the account (``mentioned_comment.comment_id(…)``); Instagram
does not say who wrote it."""
COMMENT = select("id", "text", "timestamp", "username", "from", "hidden", "like_count", "parent_id")
COMMENTS = select(COMMENT, f"replies{{{COMMENT}}}")

MEDIA_METRICS = {
    "reach": "reach",
    "likes": "likes",
    "comments": "comments",
    "shares": "shares",
    "saved": "saves",
    "views": "views",
    "total_interactions": "engagements",
}
ACCOUNT_SERIES = {"reach": "reach", "follower_count": "new_followers"}
"""Daily series (``period=day``); ``follower_count`` counts the accounts that followed each day."""
ACCOUNT_TOTALS = {
    "views": "views",
    "profile_views": "profile_views",
    "accounts_engaged": "engaged_accounts",
    "total_interactions": "engagements",
}
"""Totals over the range (``metric_type=total_value``)."""
ACCOUNT_SNAPSHOT = {
    "followers_count": "followers",
    "follows_count": "following",
    "media_count": "posts",
}
"""Fields of the IG user read as a snapshot."""

ACCOUNT_RANGE = timedelta(days=30)
"""The longest ``since``/``until`` span of one account insights request (30 days)."""
