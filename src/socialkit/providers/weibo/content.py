"""What Weibo checks in a text: its length rule and the rules of ``statuses/share``.

Sources: https://open.weibo.com/wiki/2/statuses/share (140 Chinese characters, no
``#话题#``, a link under the app's secure domain, the user's real IP as ``rip``,
JPEG/GIF/PNG under 5 MB).
"""

from __future__ import annotations

import ipaddress
import math
import unicodedata
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import regex

from ...errors import InvalidContent
from ...models import Draft, MediaUpload
from ...text import TextRules, find_urls

__all__ = [
    "MAX_LENGTH",
    "MAX_PICTURE_BYTES",
    "PICTURE_TYPES",
    "SHORT_URL_LENGTH",
    "WEIBO_RULES",
    "check_picture",
    "check_rip",
    "check_share",
    "count_weibo",
    "find_topics",
    "share_links",
]

MAX_LENGTH = 140
"""Weibo's limit, in Chinese characters (two half-width characters count as one)."""

SHORT_URL_LENGTH = 20
"""Half-width characters a link counts: Weibo shortens every link to a ~20-character t.cn URL."""

MAX_PICTURE_BYTES = 5 * 1024 * 1024
PICTURE_TYPES = frozenset({"image/jpeg", "image/gif", "image/png"})

_TOPIC = regex.compile(r"[#\uFF03][^#\uFF03\r\n]+[#\uFF03]")


def _units(char: str) -> int:
    """Half-width units of one code point, as weibo.com's counter measures JavaScript strings:
    U+0000..U+00FF count 1, other BMP characters 2, astral ones (two UTF-16 units) 4."""
    code = ord(char)
    if code <= 0xFF:
        return 1
    return 2 if code <= 0xFFFF else 4


def count_weibo(text: str, *, url_length: int = SHORT_URL_LENGTH) -> int:
    """Weibo's length of ``text`` in Chinese characters: the number compared with 140.

    A Chinese (full-width) character counts 1, a half-width one (Latin letters, digits,
    ASCII punctuation, U+0000..U+00FF) counts half, an emoji 2; every link counts as its
    t.cn short link, ``url_length`` half-width characters (10 by default). The half
    units are rounded up. The text is NFC-normalised first.
    """
    text = unicodedata.normalize("NFC", text)
    units = 0
    position = 0
    for start, end in find_urls(text):
        units += sum(_units(c) for c in text[position:start]) + url_length
        position = end
    units += sum(_units(c) for c in text[position:])
    return math.ceil(units / 2)


WEIBO_RULES = TextRules(
    max_length=MAX_LENGTH, count=count_weibo, max_images=1, max_videos=0, unit="Chinese characters"
)
"""Weibo's length rule and one picture per share."""


def _host(url: str) -> str:
    return (urlsplit(url if "://" in url else f"http://{url}").hostname or "").lower()


def share_links(text: str, domain: str) -> list[str]:
    """The links in ``text`` that point under ``domain`` (the domain or one of its subdomains)."""
    links = [text[start:end] for start, end in find_urls(text)]
    return [u for u in links if _host(u) == domain or _host(u).endswith("." + domain)]


def find_topics(text: str) -> list[str]:
    """The ``#话题#`` topics in ``text`` (outside links), which ``statuses/share`` refuses."""
    urls = find_urls(text)
    return [
        m.group() for m in _TOPIC.finditer(text) if not any(s <= m.start() < e for s, e in urls)
    ]


def check_rip(value: Any, platform: str) -> str:
    """``value`` as the ``rip`` Weibo requires: a valid, public (globally routable) IP address."""
    if not value:
        raise InvalidContent(
            "Weibo requires the acting user's real IP address (rip): set client_ip, or pass "
            'Draft(options={"rip": "<user IP>"})',
            rule="rip",
            platform=platform,
        )
    try:
        address = ipaddress.ip_address(str(value).strip())
    except ValueError:
        raise InvalidContent(
            f"rip {value!r} is not an IP address", rule="rip", platform=platform
        ) from None
    if not address.is_global:
        raise InvalidContent(
            f"rip {address} is not a public IP address; Weibo needs the user's real one",
            rule="rip",
            platform=platform,
        )
    return str(address)


def check_share(draft: Draft, domain: str | None, platform: str) -> None:
    """The rules of ``statuses/share``: a link under the secure domain, no ``#话题#``."""
    if domain is None:
        raise InvalidContent(
            "statuses/share needs a link under the app's secure domain (安全域名): set "
            "share_domain",
            rule="share_domain",
            platform=platform,
        )
    if not share_links(draft.text, domain):
        raise InvalidContent(
            f"a Weibo share must contain a link under the app's secure domain {domain} (安全域名)",
            rule="share_domain",
            platform=platform,
        )
    topics = find_topics(draft.text)
    if topics:
        raise InvalidContent(
            f"statuses/share refuses #话题# topics; remove {', '.join(topics)}",
            rule="topic",
            platform=platform,
        )


def check_picture(upload: MediaUpload, platform: str) -> None:
    """A share's picture: JPEG, GIF or PNG, under 5 MB (checked when the bytes are local)."""
    if upload.mime_type not in PICTURE_TYPES:
        raise InvalidContent(
            f"Weibo pictures must be JPEG, GIF or PNG, not {upload.mime_type}",
            rule="media_type",
            platform=platform,
        )
    size = _local_size(upload)
    if size is not None and size >= MAX_PICTURE_BYTES:
        raise InvalidContent(
            f"the picture is {size} bytes; Weibo takes less than 5 MB",
            rule="media_size",
            count=size,
            limit=MAX_PICTURE_BYTES,
            platform=platform,
        )


def _local_size(upload: MediaUpload) -> int | None:
    if upload.data is not None:
        return len(upload.data)
    if upload.path is not None and upload.path.is_file():
        return upload.path.stat().st_size
    return None


def known_options(options: Mapping[str, Any], allowed: frozenset[str], platform: str) -> None:
    """Refuse draft options this provider does not know (never drop them silently)."""
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise InvalidContent(
            f"unknown Weibo draft options: {', '.join(unknown)} "
            f"(known: {', '.join(sorted(allowed))})",
            rule="options",
            platform=platform,
        )
