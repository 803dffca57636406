"""AT Protocol identifiers: handles, DIDs, NSIDs, record keys, TIDs, AT-URIs and permalinks.

The syntax rules follow the atproto specs (https://atproto.com/specs/handle, .../did,
.../nsid, .../record-key, .../tid, .../at-uri-scheme) and are checked against the
shared interop vectors (``atproto-interop-tests/syntax``).
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from urllib.parse import unquote, urlsplit

import attrs

__all__ = [
    "POST_COLLECTION",
    "AtUri",
    "is_did",
    "is_handle",
    "is_language",
    "is_nsid",
    "is_record_key",
    "is_tid",
    "new_tid",
    "parse_at_uri",
    "permalink",
    "post_uri",
]

POST_COLLECTION = "app.bsky.feed.post"
APP_HOST = "bsky.app"

_HANDLE = re.compile(
    r"([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
)
_DID = re.compile(r"did:[a-z]+:[a-zA-Z0-9._:%-]*[a-zA-Z0-9._-]")
_NSID = re.compile(
    r"[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+"
    r"\.[a-zA-Z][a-zA-Z0-9]{0,62}"
)
_RECORD_KEY = re.compile(r"[a-zA-Z0-9._:~-]{1,512}")
_TID = re.compile(r"[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}")
_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
# RFC 5646 §2.1: language-script-region-variants-extensions-privateuse, or a grandfathered tag.
_ALNUM = "[a-z0-9]"
_LANGTAG = (
    r"(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})"  # language (with extlangs)
    r"(?:-[a-z]{4})?"  # script
    r"(?:-(?:[a-z]{2}|[0-9]{3}))?"  # region
    rf"(?:-(?:{_ALNUM}{{5,8}}|[0-9]{_ALNUM}{{3}}))*"  # variants
    rf"(?:-[0-9a-wyz](?:-{_ALNUM}{{2,8}})+)*"  # extensions
    rf"(?:-x(?:-{_ALNUM}{{1,8}})+)?"  # private use
)
_GRANDFATHERED = (
    "en-gb-oed|i-ami|i-bnn|i-default|i-enochian|i-hak|i-klingon|i-lux|i-mingo|i-navajo|i-pwn"
    "|i-tao|i-tay|i-tsu|sgn-be-fr|sgn-be-nl|sgn-ch-de|art-lojban|cel-gaulish|no-bok|no-nyn"
    "|zh-guoyu|zh-hakka|zh-min|zh-min-nan|zh-xiang"
)
_LANGUAGE = re.compile(
    rf"{_LANGTAG}|x(?:-{_ALNUM}{{1,8}})+|{_GRANDFATHERED}", re.IGNORECASE
)


def is_handle(value: str) -> bool:
    """Whether ``value`` is a syntactically valid handle (``alice.bsky.social``)."""
    return len(value) <= 253 and _HANDLE.fullmatch(value) is not None


def is_did(value: str) -> bool:
    """Whether ``value`` is a syntactically valid DID (``did:plc:...``)."""
    return len(value) <= 2048 and _DID.fullmatch(value) is not None


def is_nsid(value: str) -> bool:
    """Whether ``value`` is a syntactically valid NSID (``app.bsky.feed.post``)."""
    return len(value) <= 317 and _NSID.fullmatch(value) is not None


def is_record_key(value: str) -> bool:
    """Whether ``value`` is a valid record key."""
    return value not in (".", "..") and _RECORD_KEY.fullmatch(value) is not None


def is_language(value: str) -> bool:
    """Whether ``value`` is a well-formed BCP 47 language tag (``en``, ``pt-BR``, ``zh-Hant``)."""
    return _LANGUAGE.fullmatch(value) is not None


def is_tid(value: str) -> bool:
    """Whether ``value`` is a valid TID (timestamp identifier)."""
    return _TID.fullmatch(value) is not None


class _TidClock:
    """Monotonic TIDs: microseconds since the epoch and a random clock id, never repeated."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = 0
        self._clock_id = secrets.randbelow(1024)

    def next(self) -> str:
        with self._lock:
            micros = max(time.time_ns() // 1000, self._last + 1)
            self._last = micros
        value = (micros << 10) | self._clock_id
        return "".join(_TID_ALPHABET[(value >> shift) & 31] for shift in range(60, -1, -5))


_CLOCK = _TidClock()


def new_tid() -> str:
    """A fresh TID, usable as a record key: sortable by time, unique within the process."""
    return _CLOCK.next()


@attrs.frozen
class AtUri:
    """An ``at://authority/collection/rkey`` URI (the collection and key are optional)."""

    authority: str
    collection: str | None = None
    rkey: str | None = None

    def __str__(self) -> str:
        parts = [self.authority, self.collection, self.rkey]
        return "at://" + "/".join(p for p in parts if p is not None)


def parse_at_uri(value: str) -> AtUri | None:
    """The parts of a strictly valid AT-URI (as Lexicon ``at-uri`` fields use), else ``None``."""
    if len(value) > 8192 or not value.startswith("at://"):
        return None
    parts = value[len("at://") :].split("/")
    if len(parts) > 3:
        return None
    authority = parts[0]
    if not (is_did(authority) or is_handle(authority)):
        return None
    collection = parts[1] if len(parts) > 1 else None
    rkey = parts[2] if len(parts) > 2 else None
    if collection is not None and not is_nsid(collection):
        return None
    if rkey is not None and not is_record_key(rkey):
        return None
    return AtUri(authority, collection, rkey)


def post_uri(value: str) -> AtUri | None:
    """A post's AT-URI from its id: an ``at://`` URI or a ``https://bsky.app`` permalink."""
    if value.startswith("https://"):
        parts = urlsplit(value)
        segments = [unquote(s) for s in parts.path.strip("/").split("/")]
        if parts.hostname != APP_HOST or len(segments) != 4:
            return None
        if segments[0] != "profile" or segments[2] != "post":
            return None
        value = f"at://{segments[1]}/{POST_COLLECTION}/{segments[3]}"
    uri = parse_at_uri(value)
    if uri is None or uri.collection != POST_COLLECTION or uri.rkey is None:
        return None
    return uri


def permalink(actor: str, rkey: str) -> str:
    """The public ``https://bsky.app/profile/<handle or DID>/post/<rkey>`` link of a post."""
    return f"https://{APP_HOST}/profile/{actor}/post/{rkey}"


def profile_url(actor: str) -> str:
    """The public ``https://bsky.app/profile/<handle or DID>`` link of an account."""
    return f"https://{APP_HOST}/profile/{actor}"
