"""LinkedIn URNs on the wire: encoded in paths and queries, Rest.li ``List(...)`` and records.

Rest.li 2.0.0 wants every URN in a path or a query value percent-encoded
(``urn:li:share:1`` → ``urn%3Ali%3Ashare%3A1``) while the structure around it stays
literal (``List(a,b)``, ``(share:a)``); query strings are therefore built here, by hand,
and never handed to an HTTP library's parameter encoding (which would encode twice).

Reference: "All URNs must be URL encoded in order to use Restli Protocol 2.0.0" —
https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/organization-social-action-notifications
and the request examples of .../shares/posts-api and .../organizations/share-statistics.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote

from ...errors import NotFound

__all__ = [
    "analytics_entity",
    "comment_parts",
    "encode",
    "is_comment",
    "post_url",
    "require_post",
    "require_target",
    "restli_list",
    "with_query",
]

_POST = re.compile(r"urn:li:(share|ugcPost):[0-9]{1,20}")
_TARGET = re.compile(r"urn:li:(share|ugcPost|activity):[0-9]{1,20}")
_COMMENT = re.compile(
    r"urn:li:comment:\((urn:li:(?:activity|share|ugcPost):[0-9]{1,20}),([0-9]{1,20})\)"
)


def encode(urn: str) -> str:
    """``urn`` percent-encoded for a path segment or a query value (``:`` ``(`` ``,`` too)."""
    return quote(urn, safe="")


def restli_list(values: Iterable[str]) -> str:
    """A Rest.li 2.0.0 list of URNs: ``List(urn%3A...,urn%3A...)``."""
    return "List(" + ",".join(encode(v) for v in values) + ")"


def with_query(path: str, *pairs: tuple[str, str | int]) -> str:
    """``path?k=v&...`` with values used as given: encode URNs with `encode` first."""
    if not pairs:
        return path
    return path + "?" + "&".join(f"{key}={value}" for key, value in pairs)


def require_post(value: str) -> str:
    """``value`` when it is a post URN (``urn:li:share:`` or ``urn:li:ugcPost:``)."""
    if not _POST.fullmatch(value):
        raise NotFound(
            f"{value!r} is not a LinkedIn post URN (urn:li:share:... or urn:li:ugcPost:...)",
            platform="linkedin",
        )
    return value


def require_target(value: str) -> str:
    """``value`` when comments and reactions can hang on it: a post, activity or comment."""
    if not (_TARGET.fullmatch(value) or _COMMENT.fullmatch(value)):
        raise NotFound(f"{value!r} is not a LinkedIn post or comment URN", platform="linkedin")
    return value


def is_comment(value: str) -> bool:
    """Whether ``value`` is a comment URN ``urn:li:comment:(<target>,<id>)``."""
    return _COMMENT.fullmatch(value) is not None


def comment_parts(value: str) -> tuple[str, str]:
    """(the post or activity URN, the comment id) of a comment URN."""
    found = _COMMENT.fullmatch(value)
    if found is None:
        raise NotFound(f"{value!r} is not a LinkedIn comment URN", platform="linkedin")
    return found.group(1), found.group(2)


def analytics_entity(post_urn: str) -> str:
    """The ``entity`` of memberCreatorPostAnalytics: ``(share:…)`` or ``(ugc:…)``."""
    key = "ugc" if post_urn.startswith("urn:li:ugcPost:") else "share"
    return f"({key}:{encode(post_urn)})"


def post_url(urn: str) -> str:
    """The public permalink of a post."""
    return f"https://www.linkedin.com/feed/update/{urn}/"
