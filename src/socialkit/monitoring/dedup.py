"""De-duplication of monitoring hits: the same post twice, or one message cross-posted.

Two rules, in order:

1. **Same record**: the same platform and id is one hit, whichever query or
   poll found it again.
2. **Cross-post**: near-identical text by the same author on *another*
   platform within ``window`` is one hit too. Texts are compared after
   normalisation (case, width, links, ``@``/``#`` signs and punctuation
   dropped) by the Jaccard similarity of their character trigrams. "The same
   author" across platforms is guessed from the handle's local part
   (``alice@social.example`` and ``alice.bsky.social`` are both ``alice``);
   pass ``author_key`` to decide otherwise.
"""

from __future__ import annotations

import unicodedata
from collections import OrderedDict, deque
from collections.abc import Callable
from datetime import datetime, timedelta

import attrs
import regex

from ..models import Account

__all__ = ["Deduplicator", "default_author_key", "normalise", "similarity"]

_URL = regex.compile(r"https?://\S+")
_NON_WORD = regex.compile(r"[^\p{L}\p{N}]+")


def normalise(text: str) -> str:
    """``text`` reduced to what makes two cross-posts the same message."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _URL.sub(" ", text)
    return " ".join(_NON_WORD.sub(" ", text).split())


def _trigrams(text: str) -> frozenset[str]:
    padded = f"  {text} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def similarity(a: str, b: str) -> float:
    """Jaccard similarity (0-1) of the character trigrams of two normalised texts."""
    if a == b:
        return 1.0
    x, y = _trigrams(a), _trigrams(b)
    return len(x & y) / len(x | y) if x or y else 1.0


def default_author_key(author: Account | None) -> str | None:
    """The handle's local part, lower case: ``@Alice@host`` and ``alice.bsky.social`` → alice."""
    if author is None or not author.handle:
        return None
    return author.handle.lstrip("@").split("@")[0].split(".")[0].lower() or None


@attrs.define
class _Recent:
    platform: str
    key: str
    author: str
    text: str
    at: datetime


@attrs.define
class Deduplicator:
    """Remembers recent hits and tells which new ones are duplicates.

    Attributes:
        window: How far apart two cross-posts may be.
        threshold: The least similarity for two texts to be the same message.
        author_key: Who an account is across platforms (``None``: unknown, never merged).
        remember: How many record keys are kept for rule 1 (oldest forgotten first).
    """

    window: timedelta = timedelta(minutes=10)
    threshold: float = 0.9
    author_key: Callable[[Account | None], str | None] = default_author_key
    remember: int = 100_000
    _seen: OrderedDict[str, None] = attrs.field(init=False, factory=OrderedDict)
    _recent: deque[_Recent] = attrs.field(init=False, factory=deque)

    def seen(self, key: str) -> bool:
        """Whether the record ``key`` (``platform:id``) was already taken."""
        return key in self._seen

    def check(
        self, platform: str, key: str, author: Account | None, text: str, at: datetime
    ) -> str | None:
        """Take a new record; return the key of the hit it duplicates, or ``None``."""
        if key in self._seen:
            return key
        self._seen[key] = None
        while len(self._seen) > self.remember:
            self._seen.popitem(last=False)
        while self._recent and at - self._recent[0].at > self.window:
            self._recent.popleft()
        who = self.author_key(author)
        if who is None:
            return None
        clean = normalise(text)
        for other in self._recent:
            if (
                other.author == who
                and other.platform != platform
                and abs(at - other.at) <= self.window
                and similarity(clean, other.text) >= self.threshold
            ):
                return other.key
        self._recent.append(_Recent(platform, key, who, clean, at))
        return None
