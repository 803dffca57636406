"""LinkedIn's "little" text format for post commentary, and mention attributes for comments.

In ``commentary`` the characters ``\\ | { } @ [ ] ( ) < > # * _ ~`` are reserved: an
unescaped one makes LinkedIn drop the rest of the post, silently. A draft's text is plain
text, so every reserved character is escaped with a backslash, except in what the draft
asks to keep as syntax:

- mentions: ``Draft.options["mentions"] = {"Acme Corp": "urn:li:organization:1234"}``
  turns each ``@Acme Corp`` of the text into ``@[Acme Corp](urn:li:organization:1234)``;
- hashtags: ``#word`` becomes the hashtag template ``{hashtag|\\#|word}`` (the form
  LinkedIn itself returns), unless ``Draft.options["hashtags"]`` is false.

Comments are not little text: their ``message`` is plain text with ``attributes``
(start and length in UTF-16 code units) for mentions.

Reference: https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/little-text-format
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ...errors import InvalidContent
from ...models import Draft

__all__ = [
    "RESERVED",
    "comment_message",
    "escape",
    "from_little",
    "mentions_of",
    "to_little",
]

RESERVED = "\\|{}@[]()<>#*_~"
"""Characters little reserves; each is escaped with a backslash to stay plain text."""

_ESCAPES = str.maketrans({char: "\\" + char for char in RESERVED})
_HASHTAG = re.compile(r"(?<![\w#&])#(\w+)")
_MENTION_URN = re.compile(r"urn:li:(person|organization):[A-Za-z0-9_-]+")
_READ = re.compile(
    r"\\(.)"
    r"|@\[((?:\\.|[^\]\\])*)\]\((urn:li:[^)\s]+)\)"
    r"|\{hashtag\|\\?[#\uFF03]\|((?:\\.|[^}\\])*)\}",
    re.DOTALL,
)
_UNESCAPE = re.compile(r"\\(.)", re.DOTALL)

Span = tuple[int, int, str]


def escape(text: str) -> str:
    """``text`` with every reserved character escaped, so LinkedIn shows it as written."""
    return text.translate(_ESCAPES)


def mentions_of(draft: Draft) -> dict[str, str]:
    """The draft's ``mentions`` option ({name: person or organization URN}), checked."""
    raw: Any = draft.options.get("mentions") or {}
    if not isinstance(raw, Mapping):
        raise InvalidContent(
            'linkedin: options["mentions"] maps names to URNs', rule="mention", platform="linkedin"
        )
    mentions = {str(name): str(urn) for name, urn in raw.items()}
    for name, urn in mentions.items():
        if not name.strip() or not _MENTION_URN.fullmatch(urn):
            raise InvalidContent(
                f"linkedin: mention {name!r} needs a urn:li:person or urn:li:organization URN, "
                f"not {urn!r}",
                rule="mention",
                platform="linkedin",
            )
        if _mention_pattern(name).search(draft.text) is None:
            raise InvalidContent(
                f"linkedin: mention {name!r} has no '@{name}' in the text",
                rule="mention",
                platform="linkedin",
            )
    return mentions


def _mention_pattern(name: str) -> re.Pattern[str]:
    return re.compile("@" + re.escape(name) + r"(?!\w)")


def _spans(text: str, mentions: Mapping[str, str], hashtags: bool) -> list[Span]:
    """Non-overlapping (start, end, syntax) spans to keep as little elements."""
    found: list[Span] = []
    for name in sorted(mentions, key=len, reverse=True):  # "@Acme Corp" before "@Acme"
        for match in _mention_pattern(name).finditer(text):
            syntax = f"@[{escape(name)}]({mentions[name]})"
            found.append((match.start(), match.end(), syntax))
    if hashtags:
        for match in _HASHTAG.finditer(text):
            found.append((match.start(), match.end(), f"{{hashtag|\\#|{escape(match[1])}}}"))
    kept: list[Span] = []
    for span in sorted(found, key=lambda s: (s[0], -s[1])):
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def to_little(draft: Draft) -> str:
    """The ``commentary`` for a draft: escaped text with its mentions and hashtags kept."""
    text = draft.text
    hashtags = draft.options.get("hashtags", True) is not False
    parts: list[str] = []
    position = 0
    for start, end, syntax in _spans(text, mentions_of(draft), hashtags):
        parts.append(escape(text[position:start]))
        parts.append(syntax)
        position = end
    parts.append(escape(text[position:]))
    return "".join(parts)


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def comment_message(draft: Draft) -> dict[str, Any]:
    """A comment's ``message``: the text with each ``@Name`` mention shown as ``Name`` and
    linked by an attribute (member or company), positions in UTF-16 code units."""
    mentions = mentions_of(draft)
    text = draft.text
    out: list[str] = []
    attributes: list[dict[str, Any]] = []
    position = 0
    for start, end, _ in _spans(text, mentions, hashtags=False):
        out.append(text[position:start])
        name = text[start + 1 : end]
        urn = mentions[name]
        entity = (
            {"com.linkedin.common.CompanyAttributedEntity": {"company": urn}}
            if urn.startswith("urn:li:organization:")
            else {"com.linkedin.common.MemberAttributedEntity": {"member": urn}}
        )
        attributes.append({"start": _utf16("".join(out)), "length": _utf16(name), "value": entity})
        out.append(name)
        position = end
    out.append(text[position:])
    message: dict[str, Any] = {"text": "".join(out)}
    if attributes:
        message["attributes"] = attributes
    return message


def _read(match: re.Match[str]) -> str:
    if match[1] is not None:
        return match[1]
    if match[2] is not None:
        return "@" + _UNESCAPE.sub(r"\1", match[2])
    return "#" + _UNESCAPE.sub(r"\1", match[4])


def from_little(commentary: str) -> str:
    """Plain text from little: escapes undone, ``@[Name](urn)`` as ``@Name``, hashtag
    templates as ``#tag``."""
    return _READ.sub(_read, commentary)
