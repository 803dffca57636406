"""What the Facebook provider asks the Graph API for: field selections and insights metrics.

Field names follow the Page, PagePost and Comment node references (checked against the
v25.0 node specs); the metrics are the Page Insights metrics current after the 2025
deprecations (``*_impressions*`` gave way to ``*_media_view``, ``page_fans`` to
``page_follows``).
"""

from __future__ import annotations

from datetime import timedelta

from ..meta.fields import select

__all__ = [
    "COMMENT",
    "PAGE",
    "PAGE_INSIGHTS_HISTORY",
    "PAGE_INSIGHTS_RANGE",
    "PAGE_METRICS",
    "POST",
    "POST_METRICS",
    "TAGGED",
]

PAGE = select("id", "name", "username", "link", "followers_count", "picture{url}")
POST = select(
    "id",
    "message",
    "created_time",
    "from",
    "permalink_url",
    "full_picture",
    "shares",
    "reactions.summary(total_count).limit(0)",
    "comments.summary(total_count).limit(0)",
)
COMMENT = select(
    "id", "message", "from", "created_time", "parent{id}", "is_hidden", "permalink_url"
)
TAGGED = select("id", "message", "from", "created_time", "permalink_url")

POST_METRICS = {
    "post_media_view": "views",
    "post_total_media_view_unique": "reach",
    "post_reactions_by_type_total": "likes",
    "post_clicks": "clicks",
}
"""Native post metric → normalised name. ``likes`` counts every reaction, as on the post."""

PAGE_METRICS = {
    "page_media_view": "views",
    "page_total_media_view_unique": "reach",
    "page_post_engagements": "engagements",
    "page_follows": "followers",
}
"""Native Page metric → normalised name, read per day."""

PAGE_INSIGHTS_RANGE = timedelta(days=90)
"""The longest ``since``/``until`` span of one Page insights request ("only 90 days of
insights can be viewed at one time")."""
PAGE_INSIGHTS_HISTORY = timedelta(days=730)
"""How far back Page insights go ("only the last two years of insights data")."""
