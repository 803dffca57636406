"""Monitoring queries (keywords, hashtags, handles, the account's mentions) and matching.

A query says what to look for and how to ask each platform: keyword, hashtag
and handle queries go to `search`; a ``mentions`` query reads the account's own
mentions. Search semantics differ between platforms (substring, full text,
stemming), so every result is checked again locally with `Query.matches`, and
a query means the same thing everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

import attrs
import regex

from .._records import Record
from ..errors import ConfigError
from ..text import find_hashtags, find_mentions

__all__ = ["Query", "QueryKind", "keyword_pattern", "matches_any"]

QueryKind = Literal["keyword", "hashtag", "handle", "mentions"]
"""What a query matches: a keyword, a hashtag, a handle, or the account's own mentions."""

_HAN = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")


def keyword_pattern(keyword: str) -> re.Pattern[str]:
    """A case-insensitive pattern for ``keyword`` as a whole word or phrase.

    A trailing ``*`` matches any word ending (``ship*``: ship, shipping, shipped).
    Keywords in Chinese, Japanese or Korean match anywhere (those scripts have no
    spaces between words).
    """
    word = keyword.strip()
    if not word or word == "*":
        raise ConfigError(f"empty keyword {keyword!r}", field="keyword")
    prefix = word.endswith("*")
    word = word.rstrip("*")
    body = r"\s+".join(re.escape(part) for part in word.split())
    if _HAN.search(word):
        return re.compile(body, re.IGNORECASE)
    tail = r"\w*" if prefix else ""
    return re.compile(rf"(?<!\w){body}{tail}(?!\w)", re.IGNORECASE)


def matches_any(text: str, patterns: Iterable[re.Pattern[str]]) -> bool:
    """Whether any of ``patterns`` is found in ``text``."""
    return any(p.search(text) for p in patterns)


def _local_part(handle: str) -> str:
    return handle.lstrip("@").split("@")[0].lower()


def _platforms(value: Iterable[str] | None) -> frozenset[str] | None:
    return None if value is None else frozenset(value)


@attrs.frozen
class Query(Record):
    """What to watch.

    Attributes:
        text: The keyword or phrase, the hashtag (without ``#``) or the handle
            (without ``@``); empty for a ``mentions`` query.
        kind: ``"keyword"``, ``"hashtag"``, ``"handle"`` or ``"mentions"``.
        name: How reports and alerts call it (the query as written, by default).
        platforms: Only these platforms (all when ``None``).

    ```python
    Query.parse("#SpringLaunch")          # a hashtag query
    Query.parse("@brand")                 # posts naming @brand
    Query.keyword("refund*", name="refunds")
    Query.mentions()                      # the account's own mentions
    ```
    """

    text: str
    kind: QueryKind = "keyword"
    name: str = ""
    platforms: frozenset[str] | None = attrs.field(default=None, converter=_platforms)

    def __attrs_post_init__(self) -> None:
        if self.kind != "mentions" and not self.text.strip().lstrip("#@").strip("*"):
            raise ConfigError(f"a {self.kind} query needs text", field="text")
        if not self.name:
            object.__setattr__(self, "name", self._default_name())
        if self.kind == "keyword":
            keyword_pattern(self.text)  # fails now, not at the first poll

    def _default_name(self) -> str:
        return {
            "keyword": self.text,
            "hashtag": f"#{self.text}",
            "handle": f"@{self.text}",
            "mentions": "mentions",
        }[self.kind]

    @classmethod
    def parse(cls, value: str | Query) -> Query:
        """``"#tag"`` → hashtag, ``"@handle"`` → handle, anything else → keyword."""
        if isinstance(value, Query):
            return value
        text = value.strip()
        if text.startswith(("#", "\uff03")) and len(text) > 1:
            return cls.hashtag(text)
        if text.startswith("@") and len(text) > 1:
            return cls.handle(text)
        return cls.keyword(text)

    @classmethod
    def keyword(cls, text: str, *, name: str = "", platforms: Iterable[str] | None = None) -> Query:
        """A word or phrase (``*`` at the end matches word endings)."""
        return cls(text.strip(), "keyword", name, platforms)

    @classmethod
    def hashtag(cls, tag: str, *, name: str = "", platforms: Iterable[str] | None = None) -> Query:
        """A hashtag, with or without ``#``."""
        return cls(tag.strip().lstrip("#\uff03"), "hashtag", name, platforms)

    @classmethod
    def handle(
        cls, handle: str, *, name: str = "", platforms: Iterable[str] | None = None
    ) -> Query:
        """Posts naming an account, with or without ``@``."""
        return cls(handle.strip().lstrip("@"), "handle", name, platforms)

    @classmethod
    def mentions(cls, *, name: str = "mentions", platforms: Iterable[str] | None = None) -> Query:
        """The account's own mentions, replies and quotes (read with ``mentions``)."""
        return cls("", "mentions", name, platforms)

    @property
    def search_text(self) -> str:
        """What is sent to ``search``."""
        prefix = {"hashtag": "#", "handle": "@"}.get(self.kind, "")
        return prefix + self.text.rstrip("*")

    def applies_to(self, platform: str) -> bool:
        """Whether the query runs on ``platform``."""
        return self.platforms is None or platform in self.platforms

    def matches(self, text: str) -> bool:
        """Whether ``text`` is a hit (a ``mentions`` query takes whatever arrives)."""
        if self.kind == "mentions":
            return True
        if self.kind == "hashtag":
            wanted = self.text.lower()
            return any(text[s + 1 : e].lower() == wanted for s, e in find_hashtags(text))
        if self.kind == "handle":
            wanted = _local_part(self.text)
            return any(_local_part(text[s:e]) == wanted for s, e in find_mentions(text))
        return keyword_pattern(self.text).search(text) is not None
