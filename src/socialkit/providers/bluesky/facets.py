"""Rich-text facets: the mentions, links and hashtags of a post, as UTF-8 byte ranges.

A Bluesky post's text is plain; what makes ``@alice.bsky.social`` a mention or
``https://...`` a link is an ``app.bsky.richtext.facet`` whose ``index`` gives the
entity's ``byteStart`` (inclusive) and ``byteEnd`` (exclusive) in the UTF-8 encoding of
the text. Entities are found with socialkit's shared finders (`socialkit.text`), then kept
only when Bluesky would accept them:

- a mention must be a full handle (``@alice.bsky.social``, not ``@alice`` nor a Mastodon
  ``@user@host``); it becomes a facet only once the handle resolves to a DID;
- a link's ``uri`` is complete: ``https://`` is added to a bare domain, and non-ASCII
  characters are encoded (IDNA host, percent-encoded path), while the text stays as written;
- a tag's value drops the ``#`` and may hold at most 64 graphemes (640 bytes).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any, Literal
from urllib.parse import quote, urlsplit, urlunsplit

import attrs

from ...text import count_graphemes, find_hashtags, find_mentions, find_urls
from .ids import is_handle

__all__ = ["Entity", "detect", "facet", "link_uri"]

FACET = "app.bsky.richtext.facet"
MAX_TAG_GRAPHEMES = 64
MAX_TAG_BYTES = 640

Kind = Literal["mention", "link", "tag"]

# What stays unescaped in a link's path, query and fragment: every printable ASCII character
# (``%`` included, so escapes already in the text are kept as they are).
_URI_SAFE = "".join(chr(c) for c in range(0x21, 0x7F))


@attrs.frozen
class Entity:
    """A mention, link or tag found in a text: its byte range and its value.

    ``value`` is the handle (mentions, without ``@``), the complete URI (links) or the tag
    (without ``#``).
    """

    kind: Kind
    byte_start: int
    byte_end: int
    value: str


def link_uri(text: str) -> str:
    """The complete URI a link's text stands for: scheme added, non-ASCII encoded."""
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    host = parts.hostname or ""
    if not host.isascii():
        netloc = parts.netloc.replace(host, host.encode("idna").decode("ascii"))
    else:
        netloc = parts.netloc
    path, query, fragment = (quote(p, safe=_URI_SAFE) for p in (parts.path, parts.query,
                                                                    parts.fragment))
    return urlunsplit((parts.scheme, netloc, path, query, fragment))


def detect(text: str) -> list[Entity]:
    """The facet candidates of ``text``, in text order (mentions still need their DID)."""
    found: list[tuple[int, int, Kind, str]] = []
    for start, end in find_urls(text):
        if "://" in text[start:end] or not _inside_word(text, start):
            found.append((start, end, "link", _safe_link(text[start:end])))
    for start, end in find_mentions(text):
        handle = text[start + 1 : end]
        if is_handle(handle):
            found.append((start, end, "mention", handle.lower()))
    for start, end in find_hashtags(text):
        tag = text[start + 1 : end]
        if count_graphemes(tag) <= MAX_TAG_GRAPHEMES and len(tag.encode()) <= MAX_TAG_BYTES:
            found.append((start, end, "tag", tag))
    return [
        Entity(kind, _byte_offset(text, start), _byte_offset(text, end), value)
        for start, end, kind, value in sorted(found)
        if value
    ]


def _inside_word(text: str, start: int) -> bool:
    """Whether a bare domain at ``start`` continues a word (``bücher.de`` is not ``cher.de``)."""
    if start == 0:
        return False
    before = text[start - 1]
    return before.isalnum() or unicodedata.category(before).startswith("M")


def _safe_link(text: str) -> str:
    try:
        return link_uri(text)
    except (UnicodeError, ValueError):  # a host IDNA cannot encode: leave the text unlinked
        return ""


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def facet(entity: Entity, did: str | None = None) -> dict[str, Any]:
    """The ``app.bsky.richtext.facet`` of an entity (a mention needs its ``did``)."""
    feature: dict[str, Any]
    if entity.kind == "mention":
        feature = {"$type": f"{FACET}#mention", "did": did}
    elif entity.kind == "link":
        feature = {"$type": f"{FACET}#link", "uri": entity.value}
    else:
        feature = {"$type": f"{FACET}#tag", "tag": entity.value}
    return {
        "index": {"byteStart": entity.byte_start, "byteEnd": entity.byte_end},
        "features": [feature],
    }


def facets(entities: Iterable[Entity], dids: Mapping[str, str]) -> list[dict[str, Any]]:
    """The facets of ``entities``; a mention whose handle is not in ``dids`` gets none."""
    return [
        facet(e, dids.get(e.value))
        for e in entities
        if e.kind != "mention" or e.value in dids
    ]
