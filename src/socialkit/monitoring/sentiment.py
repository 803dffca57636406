"""Sentiment scoring: a pluggable protocol and a lexicon scorer for English and Chinese.

A scorer maps a text to a score in ``[-1, 1]``; `label` turns a score into
``"negative"``, ``"neutral"`` or ``"positive"``. Any object with a
``score(text) -> float`` method is a scorer (a model behind an API, a
fine-tuned classifier), so the monitor and the reply rules take whichever you give.

The default, `LexiconScorer`, sums word valences the way VADER does:

- **negation** flips and softens the word it governs, up to three tokens back
  (``not good``, ``never again``, ``不好``, ``一点也不满意``, ``没有问题``);
- **intensifiers** and **diminishers** scale it (``very``, ``非常``, ``太``,
  ``有点``); under negation an intensifier is dropped (``not very good`` is
  mildly negative, not strongly);
- **contrast** (``but``, ``但是``) weighs what follows more than what precedes;
- **emoji** and emoticons carry valence; ``!`` adds emphasis;
- Chinese runs are segmented by longest match against the lexicon.

The sum ``s`` is normalised to ``s / sqrt(s² + 15)``.

The lexicons are English and Chinese: `LexiconScorer.score` reads any other
language as neutral (``0.0``), kept for callers that need a number, while
`LexiconScorer.sentiment` answers ``None`` for a text in a language it does not
know (a German complaint), and `LexiconScorer.knows` says which case a text is.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from types import ModuleType
from typing import Final, Literal, Protocol, runtime_checkable

import attrs
import regex

from . import lexicon_en, lexicon_zh
from .language import LanguageDetector, _script, default_detector

__all__ = [
    "EMOJI",
    "LexiconScorer",
    "Polarity",
    "SentimentScorer",
    "Token",
    "label",
]

Polarity = Literal["negative", "neutral", "positive"]
"""The direction of a sentiment score."""

EMOJI: Final[dict[str, float]] = {
    **dict.fromkeys("😀😃😄😁😆😊☺🙂😇🥰😍🤩😘😋😎🤗👍👏🙌💪🎉🥳✨💯", 2.0),
    **dict.fromkeys("❤💖💕💗💙💚💛💜🧡🌟⭐🔥🏆", 2.0),
    **dict.fromkeys("😂🤣😉😌👌🙏💐🌈☀🍀", 1.0),
    **dict.fromkeys("😕😟😔😒🙄😐😑😬🤔😓😥", -1.0),
    **dict.fromkeys("😞😢😭😩😫😤😖😣☹🙁💔👎😱😨😰🤢🤮", -2.0),
    **dict.fromkeys("😠😡🤬💩🖕", -3.0),
    ":)": 1.5,
    ":-)": 1.5,
    ":D": 2.0,
    ":-D": 2.0,
    ":(": -1.5,
    ":-(": -1.5,
    ":'(": -2.0,
}
"""Emoji and emoticons with their valence (variation selectors are ignored)."""

_TOKENS = regex.compile(
    r"(?P<emoticon>:'\(|:-?[()D])"
    r"|(?P<han>\p{Han}+)"
    r"|(?P<word>[A-Za-z]+(?:['-][A-Za-z]+)*)"
    r"|(?P<emoji>\p{Extended_Pictographic})"
    r"|(?P<bang>[!！]+)"
    r"|(?P<stop>[.。?？;；,，:：、\n]+)"
)
_WINDOW = 3  # how many tokens back a negator or an intensifier reaches
_ALPHA = 15.0  # the normalisation constant of VADER
_BANG = 0.1  # emphasis added per exclamation mark (up to three)
_BEFORE_CONTRAST, _AFTER_CONTRAST = 0.5, 1.5

TokenKind = Literal["word", "negator", "booster", "contrast", "bang", "stop", "other"]


@attrs.frozen
class Token:
    """A piece of text as the scorer read it: its kind and its weight."""

    text: str
    kind: TokenKind
    weight: float = 0.0


@runtime_checkable
class SentimentScorer(Protocol):
    """Anything that scores a text in ``[-1, 1]`` (negative to positive)."""

    def score(self, text: str) -> float:
        """The sentiment of ``text``, from -1 (negative) to 1 (positive)."""
        ...


def label(score: float, *, threshold: float = 0.05) -> Polarity:
    """``"positive"`` above ``threshold``, ``"negative"`` below ``-threshold``, else neutral."""
    if score > threshold:
        return "positive"
    if score < -threshold:
        return "negative"
    return "neutral"


class LexiconScorer:
    """The default scorer: English and Chinese lexicons, negation, intensifiers, emoji.

    Args:
        words: Extra or overriding valences, one English word (two joined by a hyphen
            for a phrase: ``"sold-out"`` matches "sold out") or one Chinese term per
            key; e.g. words that mean something else in your domain (``{"killer": 0}``).
        threshold: The magnitude below which `polarity` says neutral.
        detector: Tells which texts are in a language the lexicons do not cover
            (default `default_detector()`: lingua when installed).

    ```python
    scorer = LexiconScorer()
    scorer.score("not good at all")      # -0.19
    scorer.polarity("一点也不满意")        # 'negative'
    scorer.sentiment("Das ist eine Frechheit!")   # None: not a language it knows
    ```
    """

    languages: tuple[str, ...] = ("en", "zh")
    """The languages the lexicons cover."""

    def __init__(
        self,
        words: Mapping[str, float] | None = None,
        threshold: float = 0.05,
        *,
        detector: LanguageDetector | None = None,
    ) -> None:
        self.threshold = threshold
        self._detector = detector
        self._en: dict[str, Token] = {}
        self._zh: dict[str, Token] = {}
        _load(self._en, lexicon_en)
        _load(self._zh, lexicon_zh)
        for word, weight in (words or {}).items():
            table = self._zh if regex.search(r"\p{Han}", word) else self._en
            table[word.lower()] = Token(word.lower(), "word", float(weight))
        self._longest = max(len(w) for w in self._zh)

    def __repr__(self) -> str:
        return f"LexiconScorer(en={len(self._en)}, zh={len(self._zh)})"

    def score(self, text: str) -> float:
        """The sentiment of ``text`` in ``[-1, 1]``."""
        total = sum(weight for _, weight in self.explain(text))
        bangs = sum(len(t.text) for t in self.tokens(text) if t.kind == "bang")
        total *= 1 + _BANG * min(bangs, 3)
        return total / math.sqrt(total * total + _ALPHA)

    def knows(self, text: str) -> bool:
        """Whether ``text`` is in a language the lexicons cover (or has no language to tell).

        A text the detector cannot place ("ok", emoji only) counts as known.
        """
        found = _script(text)
        if found is None:
            found = (self._detector or default_detector()).detect(text)
        return found is None or found in self.languages

    def sentiment(self, text: str) -> float | None:
        """The sentiment of ``text`` in ``[-1, 1]``, or ``None`` in a language it does not know."""
        return self.score(text) if self.knows(text) else None

    def polarity(self, text: str) -> Polarity:
        """``"negative"``, ``"neutral"`` or ``"positive"``."""
        return label(self.score(text), threshold=self.threshold)

    def explain(self, text: str) -> list[tuple[str, float]]:
        """Each sentiment-bearing token with what it contributed, before normalisation."""
        tokens = self.tokens(text)
        contrast = max((i for i, t in enumerate(tokens) if t.kind == "contrast"), default=-1)
        found: list[tuple[str, float]] = []
        for index, token in enumerate(tokens):
            if token.kind != "word":
                continue
            value = token.weight * _modifier(tokens, index)
            if contrast >= 0:
                value *= _AFTER_CONTRAST if index > contrast else _BEFORE_CONTRAST
            found.append((token.text, value))
        return found

    def tokens(self, text: str) -> list[Token]:
        """``text`` as the scorer reads it."""
        text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\ufe0f", "")
        tokens: list[Token] = []
        for match in _TOKENS.finditer(text):
            kind, piece = match.lastgroup, match.group()
            if kind == "han":
                tokens.extend(self._segment(piece))
            elif kind == "word":
                tokens.append(self._english(piece.lower()))
            elif kind in ("emoji", "emoticon"):
                weight = EMOJI.get(piece)
                tokens.append(Token(piece, "word" if weight else "other", weight or 0.0))
            elif kind == "bang":
                tokens.append(Token(piece, "bang"))
            else:
                tokens.append(Token(piece, "stop"))
        return _join_bigrams(tokens, self._en)

    def _english(self, word: str) -> Token:
        found = self._en.get(word)
        if found is None and word.endswith("n't"):
            found = self._en.get("not")
        return found or Token(word, "other")

    def _segment(self, run: str) -> list[Token]:
        tokens: list[Token] = []
        start = 0
        while start < len(run):
            for size in range(min(self._longest, len(run) - start), 0, -1):
                piece = run[start : start + size]
                found = self._zh.get(piece)
                if found is not None or size == 1:
                    tokens.append(found or Token(piece, "other"))
                    start += size
                    break
        for index, token in enumerate(tokens[:-1]):  # 好贵: 好 intensifies what follows
            if token.text in lexicon_zh.DUAL and tokens[index + 1].kind == "word":
                tokens[index] = Token(token.text, "booster", 1.5)
        return tokens


def _load(table: dict[str, Token], lexicon: ModuleType) -> None:
    kinds: tuple[tuple[str, TokenKind], ...] = (
        ("WORDS", "word"),
        ("BOOSTERS", "booster"),
        ("DAMPENERS", "booster"),
        ("NEGATORS", "negator"),
    )
    for name, kind in kinds:
        for word, weight in getattr(lexicon, name).items():
            table[word] = Token(word, kind, weight)
    for word in lexicon.CONTRAST:
        table[word] = Token(word, "contrast")
    for word in getattr(lexicon, "NEUTRAL", ()):
        table[word] = Token(word, "other")


def _join_bigrams(tokens: list[Token], table: Mapping[str, Token]) -> list[Token]:
    """``rip off``, ``a bit``, ``kind of``: two English words listed as one."""
    joined: list[Token] = []
    index = 0
    while index < len(tokens):
        if index + 1 < len(tokens):
            pair = table.get(f"{tokens[index].text}-{tokens[index + 1].text}")
            if pair is not None:
                joined.append(pair)
                index += 2
                continue
        joined.append(tokens[index])
        index += 1
    return joined


def _modifier(tokens: list[Token], index: int) -> float:
    """The product of the negators and intensifiers governing ``tokens[index]``."""
    boost, flip = 1.0, 1.0
    for back in range(index - 1, max(-1, index - 1 - _WINDOW), -1):
        token = tokens[back]
        if token.kind in ("stop", "contrast", "bang", "word"):
            break
        if token.kind == "negator":
            flip *= token.weight
        elif token.kind == "booster":
            boost *= token.weight
    if flip < 0 and boost > 1:
        boost = 1.0  # "not very good" is mildly negative, not strongly
    return boost * flip
