"""The X API v2 vocabulary the provider speaks: paths, fields, expansions, buckets, permalinks.

Built against X's OpenAPI specification v2.167 (``openapi.json``, "Posts" naming, from
xdevplatform/xdk @ 84c26540) and v2.159 (the "Tweet" naming, with examples). Endpoints:

- ``POST /2/tweets`` (CreatePostsRequest: text, reply.in_reply_to_tweet_id, media.media_ids,
  poll, edit_options.previous_post_id), ``GET|DELETE /2/tweets/{id}``,
  ``PUT /2/tweets/{tweet_id}/hidden`` (``{"hidden": bool}``), ``GET /2/tweets/search/recent``
- ``GET /2/users/me``, ``GET /2/users/{id}``, ``GET /2/users/by/username/{username}``,
  ``GET /2/users/{id}/tweets``, ``GET /2/users/{id}/mentions``,
  ``POST /2/users/{id}/likes`` and ``POST /2/users/{id}/retweets`` (``{"tweet_id": ...}``)
- ``POST /2/media/upload/initialize``, ``POST /2/media/upload/{id}/append`` (multipart
  ``media`` + ``segment_index``), ``POST /2/media/upload/{id}/finalize``,
  ``GET /2/media/upload?command=STATUS&media_id=...``, ``POST /2/media/metadata``
- errors: RFC 7807 problems (``type``, ``title``, ``detail``, ``status``), also inside
  200 responses as an ``errors`` array next to partial ``data``.

v2.167 names the post fields parameter ``post.fields`` (without ``author_id``,
``in_reply_to_user_id`` or ``referenced_tweets``); X's API reference and the v2.159
spec name it ``tweet.fields`` with those fields. We send ``tweet.fields``, the documented
wire name, and read either dialect's payload keys (``referenced_tweets`` or
``referenced_posts``, ``retweet_count`` or ``repost_count``, ...).
"""

from __future__ import annotations

import re

__all__ = [
    "EXPANSIONS",
    "MEDIA_FIELDS",
    "METRIC_FIELDS",
    "PRIVATE_METRIC_FIELDS",
    "TWEET_FIELDS",
    "USER_FIELDS",
    "account_url",
    "bucket_for",
    "post_url",
    "tweet_params",
    "user_params",
]

TWEET_FIELDS = (
    "attachments",
    "author_id",
    "conversation_id",
    "created_at",
    "in_reply_to_user_id",
    "note_tweet",
    "public_metrics",
    "referenced_tweets",
)
EXPANSIONS = ("attachments.media_keys", "author_id")
USER_FIELDS = ("name", "profile_image_url", "public_metrics", "username")
MEDIA_FIELDS = ("alt_text", "preview_image_url", "type", "url")
METRIC_FIELDS = ("created_at", "public_metrics")
PRIVATE_METRIC_FIELDS = ("non_public_metrics", "organic_metrics")

_BUCKETS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("POST", re.compile(r"^/2/tweets$"), "tweets:write"),
    ("DELETE", re.compile(r"^/2/tweets/\d+$"), "tweets:write"),
    ("PUT", re.compile(r"^/2/tweets/\d+/hidden$"), "tweets:hide"),
    ("GET", re.compile(r"^/2/tweets/search/recent$"), "search"),
    ("GET", re.compile(r"^/2/tweets(/\d+)?$"), "tweets:read"),
    ("GET", re.compile(r"^/2/users/\d+/tweets$"), "tweets:timeline"),
    ("GET", re.compile(r"^/2/users/\d+/mentions$"), "tweets:mentions"),
    ("POST", re.compile(r"^/2/users/\d+/likes$"), "likes"),
    ("POST", re.compile(r"^/2/users/\d+/retweets$"), "retweets"),
    ("GET", re.compile(r"^/2/users(/.*)?$"), "users"),
    ("*", re.compile(r"^/2/media(/.*)?$"), "media"),
)


def bucket_for(method: str, path: str) -> str:
    """The rate-limit bucket of an endpoint family (X limits each endpoint separately)."""
    method = method.upper()
    for verb, pattern, bucket in _BUCKETS:
        if verb in ("*", method) and pattern.match(path):
            return bucket
    return "default"


def _joined(values: tuple[str, ...]) -> str:
    return ",".join(values)


def tweet_params(fields: tuple[str, ...] = TWEET_FIELDS) -> dict[str, str]:
    """Query parameters that ask for posts with their author and media expanded."""
    return {
        "tweet.fields": _joined(fields),
        "expansions": _joined(EXPANSIONS),
        "user.fields": _joined(USER_FIELDS),
        "media.fields": _joined(MEDIA_FIELDS),
    }


def user_params() -> dict[str, str]:
    """Query parameters that ask for a user's profile and public metrics."""
    return {"user.fields": _joined(USER_FIELDS)}


def account_url(username: str) -> str:
    """The public profile URL of ``@username``."""
    return f"https://x.com/{username}"


def post_url(post_id: str, username: str | None = None) -> str:
    """The public permalink of a post (X redirects the ``/i/web`` form to the author's)."""
    if username:
        return f"https://x.com/{username}/status/{post_id}"
    return f"https://x.com/i/web/status/{post_id}"
