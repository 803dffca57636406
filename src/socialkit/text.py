"""Text length rules: how each platform counts, and splitting long text into a thread.

Every counter normalises to NFC first, as the platforms do, so a composed and a
decomposed ``é`` count the same. Entity finders (`find_urls`, `find_mentions`,
`find_hashtags`) return code-point spans ``(start, end)`` into the text as given.
"""

from __future__ import annotations

import bisect
import functools
import unicodedata
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import attrs

from .errors import InvalidContent
from .models import Draft

if TYPE_CHECKING:
    import regex

__all__ = [
    "Span",
    "TextRules",
    "count_chars",
    "count_graphemes",
    "count_mastodon",
    "count_utf8",
    "count_utf16",
    "count_x",
    "find_hashtags",
    "find_mentions",
    "find_urls",
    "split_thread",
]

Span = tuple[int, int]
"""A ``(start, end)`` slice of a text, in code points."""


@functools.cache
def _re(pattern: str) -> regex.Pattern[str]:
    """``pattern`` compiled on first use (compiling them all would cost every import)."""
    import regex

    return regex.compile(pattern)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def count_chars(text: str) -> int:
    """Unicode code points after NFC normalisation."""
    return len(_nfc(text))


_GRAPHEME = r"\X"


def count_graphemes(text: str) -> int:
    """User-perceived characters (extended grapheme clusters, UAX #29)."""
    return len(_re(_GRAPHEME).findall(_nfc(text)))


def count_utf16(text: str) -> int:
    """UTF-16 code units (what JavaScript's ``length`` counts)."""
    return len(text.encode("utf-16-le")) // 2


def count_utf8(text: str) -> int:
    """UTF-8 bytes."""
    return len(text.encode("utf-8"))


# --- Entities: URLs, mentions, hashtags -------------------------------------------------------

# Letters a host name or a URL path may hold: ASCII, Latin accents, Greek, Cyrillic. CJK is left
# out on purpose, so that a URL written flush against Chinese or Japanese text ends where X and
# most clients end it.
_WIDE_LETTERS = r"\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF"
_HOST_CHARS = rf"A-Za-z0-9{_WIDE_LETTERS}"
_HOST_LABEL = rf"[{_HOST_CHARS}](?:[{_HOST_CHARS}_-]*[{_HOST_CHARS}])?"
_HOST = (
    rf"(?:(?:{_HOST_LABEL}\.)+(?:[A-Za-z{_WIDE_LETTERS}]{{2,63}}|xn--[A-Za-z0-9-]+)"
    r"|\d{1,3}(?:\.\d{1,3}){3})"
)
_USERINFO = r"(?:[A-Za-z0-9._~%!$&'()*+,;=:-]+@)?"
_PORT = r"(?::\d{1,5})?"
_PATH = rf"(?:[/?#][A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%|{_WIDE_LETTERS}]*)?"

_PROTOCOL_URL = r"(?i)(?<![A-Za-z0-9@\uFF20#\uFF03$])https?://" + _USERINFO + _HOST + _PORT + _PATH

# Bare domains (no scheme) are recognised only under these lowercase TLDs. The list leaves out
# TLDs that read like file extensions or code (.py, .md, .rs, .sh, .pl, .so, .id, .name, ...), so
# ``setup.py``, ``user.name``, ``e.g.`` and ``v1.2.3`` are never taken for links.
_BARE_TLDS = (
    "website|digital|studio|social|online|agency|design|today|cloud|mobi|info|tech|shop|blog|news"
    "|live|club|life|site|com|net|org|edu|gov|mil|int|biz|pro|app|dev|xyz|art|io|ai|co|me|tv|ly"
    "|gg|fm|uk|us|ca|au|nz|ie|de|fr|es|it|nl|be|ch|at|se|no|dk|fi|pt|cz|gr|hu|ro|ru|ua|jp|cn|hk"
    "|tw|kr|sg|th|vn|ph|br|mx|ar|cl|za|eu"
)
_BARE_DOMAIN = (
    r"(?<![\w@\uFF20#\uFF03$./-])"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    rf"(?:{_BARE_TLDS})(?![A-Za-z0-9_-]|\.[A-Za-z0-9])" + _PORT + _PATH
)

_URL_TRAILING_PUNCTUATION = ".,;:!?'*"
_CLOSING_BRACKETS = {")": "(", "]": "["}

_MENTION = (
    r"(?<![\w@/=])@[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?"
    rf"(?:@{_HOST_LABEL}(?:\.{_HOST_LABEL})*)?"
)
_HASHTAG = r"(?<![\w/#\uFF03&])[#\uFF03](?=\w*[^\W\d_])\w+"


def _trim_url(text: str, start: int, end: int) -> int:
    """Where a URL matched at ``text[start:end]`` really ends, trailing punctuation left out."""
    while end > start:
        last = text[end - 1]
        opener = _CLOSING_BRACKETS.get(last)
        url = text[start:end]
        unbalanced = opener is not None and url.count(last) > url.count(opener)
        if last not in _URL_TRAILING_PUNCTUATION and not unbalanced:
            break
        end -= 1
    return end


def _url_spans(pattern: regex.Pattern[str], text: str) -> list[Span]:
    return [(m.start(), _trim_url(text, m.start(), m.end())) for m in pattern.finditer(text)]


def _drop_overlaps(spans: Iterable[Span]) -> list[Span]:
    """Keep spans in order; of two that overlap, the one starting first (then the longer) wins."""
    kept: list[Span] = []
    for start, end in sorted(spans, key=lambda span: (span[0], -span[1])):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    return kept


def _outside(spans: Iterable[Span], taken: list[Span]) -> list[Span]:
    """The spans that overlap none of ``taken``."""
    return [
        (start, end)
        for start, end in spans
        if not any(start < t_end and t_start < end for t_start, t_end in taken)
    ]


def _protocol_urls(text: str) -> list[Span]:
    return _url_spans(_re(_PROTOCOL_URL), text)


def find_urls(text: str) -> list[Span]:
    """Spans of the links in ``text``: ``http(s)://`` URLs and bare domains like ``example.com/a``.

    Trailing punctuation (``.,;:!?``) is left out, and so is a closing parenthesis or bracket
    that has no opening one inside the URL. Bare domains are only recognised under common TLDs.
    """
    return _drop_overlaps(_protocol_urls(text) + _url_spans(_re(_BARE_DOMAIN), text))


def find_mentions(text: str) -> list[Span]:
    """Spans of mentions: ``@user``, ``@user@instance.social``, ``@handle.bsky.social``."""
    spans = [m.span() for m in _re(_MENTION).finditer(text)]
    return _outside(spans, find_urls(text))


def find_hashtags(text: str) -> list[Span]:
    """Spans of hashtags: ``#`` then letters, digits or ``_`` of any script, with one letter."""
    spans = [m.span() for m in _re(_HASHTAG).finditer(text)]
    return _outside(spans, find_urls(text))


def _entity_spans(text: str) -> list[Span]:
    """URLs, mentions and hashtags, which a split must never cut."""
    urls = find_urls(text)
    mentions = [m.span() for m in _re(_MENTION).finditer(text)]
    hashtags = [m.span() for m in _re(_HASHTAG).finditer(text)]
    return _drop_overlaps([*urls, *mentions, *hashtags])


# --- Platform counters --------------------------------------------------------------------------

# twitter-text v3: code points in these ranges weigh 1, every other one 2.
_X_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
_EMOJI_ELEMENT = (
    r"(?:\p{Regional_Indicator}{2}"
    r"|[0-9#*]\uFE0F?\u20E3"
    r"|\p{Extended_Pictographic}\uFE0F?\p{Emoji_Modifier}?[\U000E0020-\U000E007E]*\U000E007F?)"
)
_EMOJI_SEQUENCE = rf"{_EMOJI_ELEMENT}(?:\u200D{_EMOJI_ELEMENT})*"


def _x_char_weight(char: str) -> int:
    code = ord(char)
    return 1 if any(low <= code <= high for low, high in _X_LIGHT_RANGES) else 2


def _x_cluster_weight(cluster: str) -> int:
    """An emoji sequence weighs 2 whatever its length; anything else weighs its code points."""
    if len(cluster) > 1 and _re(_EMOJI_SEQUENCE).fullmatch(cluster):
        return 2
    return sum(_x_char_weight(char) for char in cluster)


def _x_weight(text: str) -> int:
    return sum(_x_cluster_weight(cluster) for cluster in _re(_GRAPHEME).findall(text))


def count_x(text: str, *, url_length: int = 23) -> int:
    """X's weighted length (twitter-text v3): the number X compares with its 280 limit.

    After NFC, code points in U+0000..U+10FF, U+2000..U+200D, U+2010..U+201F and U+2032..U+2037
    count 1 and all others 2 (so CJK counts 2 per character); an emoji, however many code points
    its sequence has (ZWJ, skin tone, flag, keycap), counts 2; every URL counts ``url_length``.
    """
    text = _nfc(text)
    total = 0
    position = 0
    for start, end in find_urls(text):
        total += _x_weight(text[position:start]) + url_length
        position = end
    return total + _x_weight(text[position:])


def count_mastodon(text: str, *, url_length: int = 23) -> int:
    """Mastodon's length: code points after NFC, each ``http(s)`` URL counting ``url_length``
    and a remote mention ``@user@domain`` counting as ``@user``.

    Bare domains count as the characters they are, as on Mastodon.
    """
    text = _nfc(text)
    urls = _protocol_urls(text)
    remote_mentions = [m.span() for m in _re(_MENTION).finditer(text) if m.group().count("@") == 2]
    total = 0
    position = 0
    for start, end in _drop_overlaps([*urls, *remote_mentions]):
        entity = text[start:end]
        total += start - position
        if entity.startswith("@"):
            total += entity.rindex("@")  # "@user@domain" counts as "@user"
        else:
            total += url_length
        position = end
    return total + len(text) - position


# --- Rules ---------------------------------------------------------------------------------------


@attrs.frozen
class TextRules:
    """A platform's content limits, checked before any request is sent.

    Attributes:
        max_length: The most a text may count.
        count: How the platform counts a text.
        max_images: The most images one post may carry.
        max_videos: The most videos one post may carry.
        mixed_media: Whether images and videos may share a post.
        max_bytes: A limit on the UTF-8 size of the text, where the platform has one.
        unit: What ``count`` counts, for messages (``"characters"``, ``"graphemes"``).
    """

    max_length: int
    count: Callable[[str], int] = count_chars
    max_images: int = 4
    max_videos: int = 1
    mixed_media: bool = False
    max_bytes: int | None = None
    unit: str = "characters"

    def measure(self, text: str) -> int:
        """How much ``text`` counts under these rules."""
        return self.count(text)

    def fits(self, text: str) -> bool:
        """Whether ``text`` is within the length limits."""
        within_bytes = self.max_bytes is None or count_utf8(text) <= self.max_bytes
        return within_bytes and self.measure(text) <= self.max_length

    def check(self, draft: Draft, *, platform: str | None = None) -> None:
        """Raise [`InvalidContent`][socialkit.errors.InvalidContent] for the first rule broken."""
        count = self.measure(draft.text)
        if count > self.max_length:
            raise InvalidContent(
                f"text is {count} {self.unit} long; the limit is {self.max_length}",
                rule="max_length",
                count=count,
                limit=self.max_length,
                platform=platform,
            )
        size = count_utf8(draft.text)
        if self.max_bytes is not None and size > self.max_bytes:
            raise InvalidContent(
                f"text is {size} bytes of UTF-8; the limit is {self.max_bytes}",
                rule="max_bytes",
                count=size,
                limit=self.max_bytes,
                platform=platform,
            )
        images = sum(1 for m in draft.media if m.kind in ("image", "gif"))
        videos = sum(1 for m in draft.media if m.kind == "video")
        limits = (("images", images, self.max_images), ("videos", videos, self.max_videos))
        for kind, n, limit in limits:
            if n > limit:
                raise InvalidContent(
                    f"{n} {kind} attached; the limit is {limit}",
                    rule=f"max_{kind}",
                    count=n,
                    limit=limit,
                    platform=platform,
                )
        if images and videos and not self.mixed_media:
            raise InvalidContent(
                "images and videos cannot be mixed in one post",
                rule="mixed_media",
                platform=platform,
            )
        if not draft.text.strip() and not draft.media:
            raise InvalidContent(
                "the draft has no text and no media", rule="empty", platform=platform
            )


# --- Thread splitting ----------------------------------------------------------------------------

_SPACE_RUN = r"[\s\x1c-\x1f]+"  # what str.isspace() calls whitespace
# A sentence ends at . ! ? or … (with closing quotes or brackets) before a space that is not
# followed by a lowercase letter ("e.g. this" goes on), or at an ideographic full stop or a
# fullwidth ! or ?, spaces or not.
_SENTENCE_END = (
    r"[.!?\u2026]+[\"'\u201D\u2019\u00BB)\]]*(?=\s+(?![\s\p{Ll}]))"
    r"|[\u3002\uFF01\uFF1F]+[\u300D\u300F\u201D\u2019\uFF09]*"
)
# CJK text has no spaces between words: its commas, semicolons and colons stand in for them.
_CJK_CLAUSE_END = r"[\u3001\uFF0C\uFF1B\uFF1A]+"
# A period after these (or after a lone capital, an initial) does not end the sentence:
# "We met Dr. Smith" is one sentence.
_ABBREVIATIONS = frozenset(
    {
        *("mr", "mrs", "ms", "mx", "dr", "prof", "st", "sr", "jr", "mt", "no", "nr", "vs"),
        *("approx", "dept", "est", "inc", "ltd", "co", "corp", "fig", "vol", "e.g", "i.e"),
        *("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"),
        *("a.m", "p.m", "u.s"),
    }
)
_WORD_BEFORE = r"(?:^|(?<=\s))([\p{L}.]+)\.$"
# A break that leaves a part shorter than this share of what fits is passed over for a
# finer one: no "Hi!" alone as the first post of a thread.
_MIN_FILL = 1 / 3


def split_thread(text: str, rules: TextRules, *, numbered: bool = False) -> list[str]:
    """Split ``text`` into parts that each satisfy ``rules.fits``, for posting as a thread.

    Parts end, by preference, at a paragraph break, a sentence end (``.!?`` and their CJK
    forms), a space, and only as a last resort at a grapheme boundary inside a word. URLs,
    mentions and hashtags are never cut. Parts are stripped of surrounding whitespace. With
    ``numbered``, each part ends with `` (i/n)``, counted within the limit. A text that fits
    is returned as ``[text]``.

    Raises:
        InvalidContent: ``rule="unsplittable"`` when a URL, mention or hashtag (or one
            character) is too long for a part on its own.
    """
    if rules.fits(text):
        return [text]
    splitter = _Splitter(text, rules)
    parts = splitter.split(total=None)
    if not numbered or len(parts) <= 1:
        return parts
    total = len(parts)
    while True:  # A longer suffix can push the text into more parts; stop once the count holds.
        parts = splitter.split(total=total)
        if len(parts) <= total:
            return [part + _number(index, len(parts)) for index, part in enumerate(parts, 1)]
        total = len(parts)


def _number(index: int, total: int | None) -> str:
    return "" if total is None else f" ({index}/{total})"


def _abbreviated(text: str, period: int) -> bool:
    """Whether the period at ``period`` ends an abbreviation or an initial, not a sentence."""
    if text[period] != ".":
        return False
    found = _re(_WORD_BEFORE).search(text[max(0, period - 12) : period + 1])
    word = found.group(1) if found else ""
    return (len(word) == 1 and word.isupper()) or word.lower().rstrip(".") in _ABBREVIATIONS


class _Splitter:
    """The cut positions of one text, and the greedy walk that turns it into parts."""

    def __init__(self, text: str, rules: TextRules) -> None:
        self.text = text
        self.rules = rules
        self.entities = dict(_entity_spans(text))
        inside = {p for start, end in self.entities.items() for p in range(start + 1, end)}
        graphemes = (m.end() for m in _re(_GRAPHEME).finditer(text))
        self.cuts: list[int] = [p for p in graphemes if p not in inside]
        allowed = set(self.cuts)
        spaces = list(_re(_SPACE_RUN).finditer(text))
        paragraphs = [m.start() for m in spaces if m.group().count("\n") >= 2]
        sentences = [
            m.end() for m in _re(_SENTENCE_END).finditer(text) if not _abbreviated(text, m.start())
        ]
        clauses = [m.end() for m in _re(_CJK_CLAUSE_END).finditer(text)]
        words = sorted([m.start() for m in spaces] + clauses)
        levels = (paragraphs, sentences, words)
        self.breaks: list[list[int]] = [[p for p in level if p in allowed] for level in levels]

    def split(self, *, total: int | None) -> list[str]:
        """The parts, each leaving room for its `` (i/total)`` suffix when ``total`` is given."""
        parts: list[str] = []
        start = self._skip_space(0)
        while start < len(self.text):
            end = self._next_cut(start, _number(len(parts) + 1, total))
            parts.append(self.text[start:end].strip())
            start = self._skip_space(end)
        return parts

    def _skip_space(self, position: int) -> int:
        match = _re(_SPACE_RUN).match(self.text, position)
        return int(match.end()) if match else position

    def _fits(self, start: int, end: int, suffix: str) -> bool:
        return self.rules.fits(self.text[start:end].strip() + suffix)

    def _next_cut(self, start: int, suffix: str) -> int:
        """Where the part starting at ``start`` ends: the best break among those that fit."""
        if self._fits(start, len(self.text), suffix):
            return len(self.text)
        window = self._longest_fit(start, suffix)
        *coarse, words = self.breaks
        enough = start + (window - start) * _MIN_FILL
        for level in (*coarse, words):
            below = bisect.bisect_right(level, window)
            cut = level[below - 1] if below else start
            if cut > start and (level is words or cut >= enough) and self._fits(start, cut, suffix):
                return cut
        return window

    def _longest_fit(self, start: int, suffix: str) -> int:
        """The furthest cut after ``start`` whose part fits (galloping, then binary search)."""
        first = bisect.bisect_right(self.cuts, start)
        if not self._fits(start, self.cuts[first], suffix):
            raise self._unsplittable(start)
        low, high, step = first, len(self.cuts), 1
        while low + step < high and self._fits(start, self.cuts[low + step], suffix):
            low += step
            step *= 2
        high = min(high, low + step)
        while high - low > 1:
            middle = (low + high) // 2
            if self._fits(start, self.cuts[middle], suffix):
                low = middle
            else:
                high = middle
        return self.cuts[low]

    def _unsplittable(self, start: int) -> InvalidContent:
        end = self.entities.get(start)
        if end is None:
            return InvalidContent(
                f"a part cannot hold even the character at {start}",
                rule="unsplittable",
                limit=self.rules.max_length,
            )
        kind = {"@": "mention", "#": "hashtag", "\uff03": "hashtag"}.get(self.text[start], "URL")
        count = self.rules.measure(self.text[start:end])
        return InvalidContent(
            f"the {kind} at character {start} counts {count} {self.rules.unit}, "
            f"more than one part can hold ({self.rules.max_length})",
            rule="unsplittable",
            count=count,
            limit=self.rules.max_length,
        )
