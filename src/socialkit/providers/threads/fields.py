"""What the Threads provider asks for: field selections and insights metrics, as named by
the official Threads API Postman collection (``fields_threads``, ``fields_replies``,
``fields_profile``, ``metrics_post``, ``metrics_account``)."""

from __future__ import annotations

from datetime import UTC, datetime

from ..meta.fields import select

__all__ = ["ACCOUNT_METRICS", "INSIGHTS_SINCE", "POST", "POST_METRICS", "PROFILE", "REPLY"]

PROFILE = select("id", "username", "name", "threads_profile_picture_url", "threads_biography")
POST = select(
    "id",
    "media_product_type",
    "media_type",
    "media_url",
    "permalink",
    "owner",
    "username",
    "text",
    "timestamp",
    "shortcode",
    "thumbnail_url",
    "children{id,media_type,media_url,thumbnail_url}",
    "is_quote_post",
    "has_replies",
    "alt_text",
)
REPLY = select(
    "id",
    "text",
    "timestamp",
    "media_type",
    "media_url",
    "permalink",
    "username",
    "has_replies",
    "is_reply",
    "root_post",
    "replied_to",
    "hide_status",
)

POST_METRICS = {
    "views": "views",
    "likes": "likes",
    "replies": "comments",
    "reposts": "shares",
    "quotes": "quotes",
    "shares": "sends",
}
"""Threads' ``reposts`` are socialkit's ``shares``; Threads' own ``shares`` (a post sent on,
e.g. by message or link) become ``sends``."""

ACCOUNT_METRICS = {
    "views": "profile_views",
    "likes": "likes",
    "replies": "comments",
    "reposts": "shares",
    "quotes": "quotes",
    "clicks": "clicks",
    "followers_count": "followers",
}
"""Threads' account ``views`` count views of the profile."""

INSIGHTS_SINCE = datetime.fromtimestamp(1712991600, UTC)
"""The earliest ``since`` of user insights: "do not work for dates before April 13, 2024
(Unix timestamp 1712991600)"."""
