"""Sandbox text handling: entity extraction, Mastodon's length rule and HTML formatting."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from urllib.parse import quote

import attrs
import regex

__all__ = [
    "MAX_CHARACTERS",
    "URL_RESERVED",
    "Entity",
    "countable_length",
    "entities",
    "escape",
    "to_html",
]

MAX_CHARACTERS = 500
URL_RESERVED = 23

_ENTITY = re.compile(
    r"(?P<url>https?://[^\s<>\"]*[^\s<>\".,;:!?'\")\]])"
    r"|(?<![/\w@])@(?P<user>\w+(?:[\w.-]+\w)?)(?:@(?P<domain>[\w-]+(?:\.[\w-]+)+))?"
    r"|(?<![/)\w&#])#(?P<tag>\w*[^\W\d_]\w*)"
)
_GRAPHEME = regex.compile(r"\X")
_URL_PREFIX = re.compile(r"^https?://(?:www\.)?")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})


@attrs.frozen
class Entity:
    """A URL, mention or hashtag found in status text (``kind`` is ``url|mention|tag``)."""

    kind: str
    start: int
    end: int
    value: str
    domain: str | None = None


def entities(text: str) -> Iterator[Entity]:
    """Yield the URLs, mentions (``@user`` / ``@user@domain``) and hashtags in ``text``."""
    for m in _ENTITY.finditer(text):
        if m["url"]:
            yield Entity("url", m.start(), m.end(), m["url"])
        elif m["user"]:
            yield Entity("mention", m.start(), m.end(), m["user"], m["domain"])
        else:
            yield Entity("tag", m.start(), m.end(), m["tag"])


def countable_length(text: str, spoiler_text: str = "") -> int:
    """Length as Mastodon's validator counts it.

    Spoiler and text together, in grapheme clusters; every URL counts as
    ``URL_RESERVED`` characters and a remote mention counts without its domain.
    """
    parts: list[str] = [spoiler_text]
    pos = 0
    for ent in entities(text):
        parts.append(text[pos : ent.start])
        if ent.kind == "url":
            parts.append("x" * URL_RESERVED)
        elif ent.kind == "mention":
            parts.append("@" + ent.value)
        else:
            parts.append(text[ent.start : ent.end])
        pos = ent.end
    parts.append(text[pos:])
    return len(_GRAPHEME.findall("".join(parts)))


def escape(text: str) -> str:
    """HTML-escape like Rails' ``h``."""
    return text.translate(_ESCAPES)


def _link(url: str) -> str:
    prefix = _URL_PREFIX.match(url)
    head = prefix.group() if prefix else ""
    rest = url[len(head) :]
    display, suffix = rest[:30], rest[30:]
    cls = "ellipsis" if len(rest) > 30 else ""
    return (
        f'<a href="{escape(url)}" target="_blank" rel="nofollow noopener" translate="no">'
        f'<span class="invisible">{escape(head)}</span>'
        f'<span class="{cls}">{escape(display)}</span>'
        f'<span class="invisible">{escape(suffix)}</span></a>'
    )


def to_html(text: str, origin: str, mention_url: Callable[[str, str | None], str | None]) -> str:
    """Format plain status text as Mastodon does.

    Paragraphs (blank-line separated) become ``<p>``, single newlines ``<br />``,
    URLs, known mentions and hashtags become links. ``mention_url(user, domain)``
    answers the profile URL of a mentioned account, or ``None`` when unknown.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ""
    out: list[str] = []
    pos = 0
    for ent in entities(text):
        out.append(escape(text[pos : ent.start]))
        raw = text[ent.start : ent.end]
        if ent.kind == "url":
            out.append(_link(ent.value))
        elif ent.kind == "mention":
            url = mention_url(ent.value, ent.domain)
            out.append(
                f'<span class="h-card" translate="no"><a href="{escape(url)}" '
                f'class="u-url mention">@<span>{escape(ent.value)}</span></a></span>'
                if url
                else escape(raw)
            )
        else:
            out.append(
                f'<a href="{origin}/tags/{quote(ent.value.lower())}" class="mention hashtag" '
                f'rel="tag">#<span>{escape(ent.value)}</span></a>'
            )
        pos = ent.end
    out.append(escape(text[pos:]))
    paragraphs = re.split(r"\n\s*\n", "".join(out))
    return "".join(f"<p>{p.strip(chr(10)).replace(chr(10), '<br />')}</p>" for p in paragraphs)
