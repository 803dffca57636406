"""Language detection for short, mixed texts: a protocol, lingua when installed, a script guess.

A `LanguageDetector` maps a text to an ISO 639-1 code (``"en"``, ``"zh"``, ``"de"``)
or ``None`` when it cannot tell. Two ship:

- `LinguaDetector` (the ``lingua`` extra, ``pip install 'socialkit[lingua]'``): the
  lingua library's statistical models, which are built for short texts; it answers
  only when the best language is clearly ahead (``min_confidence``, and twice the
  runner-up), so "ok" or "lol" give ``None`` rather than a guess.
- `ScriptDetector` (no dependency): Chinese, Japanese and Korean by their script,
  then the common function words of English, German, French, Spanish, Italian,
  Portuguese and Dutch ("Wann öffnet ihr morgen?" is German by ``wann``, ``ihr``
  and the umlaut).

`default_detector()` gives lingua when installed, else the script guess;
`detect_language` adds the CJK script rule (decisive for short mixed texts such as
"这个app太好用了 love it") and a platform's language tag as the last resort.

```python
detect_language("Wann öffnet ihr morgen?")          # 'de'
detect_language("这个app太好用了 love it")           # 'zh'
detect_language("ok", hint="pt-BR")                  # 'pt' (nothing to tell by: the tag)
```
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence
from typing import Any, Final, Protocol, runtime_checkable

import regex

from .._optional import require

__all__ = [
    "DEFAULT_LANGUAGES",
    "LanguageDetector",
    "LinguaDetector",
    "ScriptDetector",
    "default_detector",
    "detect_language",
]

DEFAULT_LANGUAGES: Final[tuple[str, ...]] = (
    "en", "zh", "ja", "ko", "de", "fr", "es", "it", "pt", "nl",
    "ru", "ar", "tr", "pl", "sv", "id", "vi", "th", "hi",
)  # fmt: skip
"""The languages `LinguaDetector` tells apart by default (fewer languages: surer answers)."""

_HAN = regex.compile(r"\p{Han}")
_KANA = regex.compile(r"[\p{Hiragana}\p{Katakana}]")
_HANGUL = regex.compile(r"\p{Hangul}")
_LETTER = regex.compile(r"\p{L}")
_WORD = regex.compile(r"\p{L}+")

_FUNCTION_WORDS: Final[dict[str, frozenset[str]]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "the and is are was to of in it you my your i we our this that what when where "
        "why how do does not with for have has can will at on be there here",
        "de": "der die das und ist sind nicht ich du ihr wir sie wann wo warum wie was mit "
        "ein eine für auf bei noch schon auch mein meine euer eure kein keine zu den dem",
        "fr": "le la les et est sont pas je tu vous nous ne quand où pourquoi comment avec "
        "une des pour sur mon ma mes votre vos ce cette qui que du au",
        "es": "el la los las y es son no yo tú usted nosotros cuándo dónde por qué cómo "
        "con una para mi mis su sus este esta que del al muy pero",
        "it": "il lo la gli le e è sono non io tu voi noi quando dove perché come con una "
        "per mio mia miei vostro questo questa che del della",
        "pt": "o a os as e é são não eu você vocês nós quando onde por que como com uma "
        "para meu minha seu sua este esta que do da muito",
        "nl": "de het en is zijn niet ik jij je wij jullie wanneer waar waarom hoe met een "
        "voor op mijn uw dit dat wat van nog geen",
    }.items()
}
_MARKS: Final[dict[str, str]] = {"de": "äöüß", "fr": "çèêëœ", "es": "ñ¿¡", "pt": "ãõ"}


@runtime_checkable
class LanguageDetector(Protocol):
    """Anything that tells the language of a text: an ISO 639-1 code, or ``None``."""

    def detect(self, text: str) -> str | None:
        """The language of ``text`` (``"en"``, ``"zh"``, ``"de"``...), or ``None`` if unsure."""
        ...


def _script(text: str) -> str | None:
    """``"ja"``, ``"ko"`` or ``"zh"`` when the script says so, else ``None``."""
    letters = len(_LETTER.findall(text)) or 1
    if _KANA.search(text):
        return "ja"
    if len(_HANGUL.findall(text)) / letters > 0.2:
        return "ko"
    if len(_HAN.findall(text)) / letters > 0.2:
        return "zh"
    return None


def _marked(text: str, lang: str) -> bool:
    return any(mark in text for mark in _MARKS.get(lang, ""))


class ScriptDetector:
    """The dependency-free guess: CJK by script, Latin-script languages by function words.

    It knows ``en``, ``de``, ``fr``, ``es``, ``it``, ``pt`` and ``nl`` (plus ``zh``,
    ``ja``, ``ko``); a text with none of their function words gives ``None``.
    """

    def __repr__(self) -> str:
        return "ScriptDetector()"

    def detect(self, text: str) -> str | None:
        """The language of ``text``, or ``None`` when nothing gives it away."""
        found = _script(text)
        if found is not None:
            return found
        lowered = unicodedata.normalize("NFC", text).lower()
        words = _WORD.findall(lowered)
        votes = {
            lang: sum(w in table for w in words) + 2 * _marked(lowered, lang)
            for lang, table in _FUNCTION_WORDS.items()
        }
        best = max(votes.values())
        if best == 0:
            return None
        leaders = [lang for lang, vote in votes.items() if vote == best]
        return "en" if "en" in leaders else leaders[0] if len(leaders) == 1 else None


class LinguaDetector:
    """lingua's detector behind the `LanguageDetector` protocol (the ``lingua`` extra).

    Args:
        languages: ISO 639-1 codes to tell apart (default `DEFAULT_LANGUAGES`; every
            language lingua knows is slower to load and less sure on short texts).
        min_confidence: The least confidence (0-1) for an answer; the best language
            must also be at least twice as likely as the runner-up.
    """

    def __init__(
        self, languages: Sequence[str] = DEFAULT_LANGUAGES, *, min_confidence: float = 0.3
    ) -> None:
        lingua = require("lingua", "lingua", "LinguaDetector")
        chosen = [lingua.IsoCode639_1.from_str(code) for code in languages]
        self.languages = tuple(languages)
        self.min_confidence = min_confidence
        self._detector: Any = lingua.LanguageDetectorBuilder.from_iso_codes_639_1(*chosen).build()

    def __repr__(self) -> str:
        return f"LinguaDetector({len(self.languages)} languages)"

    def detect(self, text: str) -> str | None:
        """The language of ``text``, or ``None`` when lingua is not clearly sure."""
        values = self._detector.compute_language_confidence_values(text)
        if not values:
            return None
        best = values[0]
        runner_up = values[1].value if len(values) > 1 else 0.0
        if best.value < self.min_confidence or best.value < 2 * runner_up:
            return None
        return str(best.language.iso_code_639_1.name).lower()


@functools.cache
def default_detector() -> LanguageDetector:
    """A shared `LinguaDetector` when lingua is installed, else a `ScriptDetector`."""
    try:
        return LinguaDetector()
    except ImportError:
        return ScriptDetector()


def detect_language(
    text: str, hint: str | None = None, *, detector: LanguageDetector | None = None
) -> str:
    """The language of ``text``: CJK script first, then ``detector``, then ``hint``, then ``"en"``.

    Args:
        text: A mention, a comment, a message: short and possibly mixed.
        hint: The platform's language tag (``"pt-BR"``), used when the text gives no answer.
        detector: Default `default_detector()`.
    """
    found = _script(text) or (detector or default_detector()).detect(text)
    return found or (hint or "en").split("-")[0].lower()
