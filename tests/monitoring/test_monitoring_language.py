"""Language detection on short, mixed texts, and a scorer that says when it does not know."""

from __future__ import annotations

import sys

import pytest

from socialkit.metrics import MissingDependency
from socialkit.monitoring import (
    LanguageDetector,
    LexiconScorer,
    ScriptDetector,
    detect_language,
)
from socialkit.replies.items import detect_language as inbox_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Wann öffnet ihr morgen?", "de"),
        ("Where is my order?", "en"),
        ("Pourquoi ma commande n'est pas arrivée ?", "fr"),
        ("¿Dónde está mi pedido?", "es"),
        ("这个app太好用了 love it", "zh"),
        ("今日は届きますか", "ja"),
        ("배송 언제 와요?", "ko"),
    ],
)
def test_script_detector_without_lingua(text: str, language: str) -> None:
    assert ScriptDetector().detect(text) == language


def test_script_detector_says_none_when_nothing_gives_it_away() -> None:
    assert ScriptDetector().detect("lol 😂") is None


def test_detect_language_falls_back_to_the_platform_tag_then_english() -> None:
    detector = ScriptDetector()
    assert detect_language("lol", "pt-BR", detector=detector) == "pt"
    assert detect_language("lol", detector=detector) == "en"
    assert detect_language("Wann öffnet ihr morgen?", "en", detector=detector) == "de"


def test_a_detector_of_your_own_is_a_language_detector() -> None:
    class Always:
        def detect(self, text: str) -> str | None:
            return "nl"

    assert isinstance(Always(), LanguageDetector)
    assert detect_language("hello", detector=Always()) == "nl"
    assert detect_language("你好", detector=Always()) == "zh"  # the CJK script rule comes first


def test_scorer_answers_none_for_a_german_complaint_instead_of_zero() -> None:
    scorer = LexiconScorer(detector=ScriptDetector())
    complaint = "Die Lieferung ist eine Frechheit, wann bekomme ich mein Geld zurück?"
    assert scorer.score(complaint) == 0.0  # the number callers always got
    assert scorer.knows(complaint) is False
    assert scorer.sentiment(complaint) is None


def test_scorer_still_scores_english_chinese_and_emoji() -> None:
    scorer = LexiconScorer(detector=ScriptDetector())
    assert scorer.sentiment("not good at all") == pytest.approx(scorer.score("not good at all"))
    assert scorer.sentiment("一点也不满意") is not None
    assert scorer.sentiment("😡") is not None
    assert scorer.sentiment("ok") is not None


def test_inbox_language_uses_the_detector() -> None:
    assert inbox_language("Wann öffnet ihr morgen?", "en") == "de"
    assert inbox_language("这个app太好用了 love it", "en") == "zh"


@pytest.fixture(scope="module")
def lingua() -> LanguageDetector:
    pytest.importorskip("lingua")
    from socialkit.monitoring import LinguaDetector

    return LinguaDetector()


class TestLingua:
    def test_german_question_is_german(self, lingua: LanguageDetector) -> None:
        assert lingua.detect("Wann öffnet ihr morgen?") == "de"

    def test_short_english_is_english(self, lingua: LanguageDetector) -> None:
        assert lingua.detect("Battery drains overnight") == "en"

    def test_unsure_gives_none(self, lingua: LanguageDetector) -> None:
        assert lingua.detect("ok") is None

    def test_mixed_text_is_chinese_through_detect_language(self, lingua: LanguageDetector) -> None:
        assert detect_language("这个app太好用了 love it", detector=lingua) == "zh"

    def test_scorer_with_lingua_knows_german_is_not_its_language(
        self, lingua: LanguageDetector
    ) -> None:
        scorer = LexiconScorer(detector=lingua)
        assert scorer.sentiment("Das ist eine Frechheit, die Lieferung ist kaputt!") is None
        assert scorer.sentiment("This is outrageous, the delivery is broken!") is not None


def test_lingua_missing_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from socialkit.monitoring import LinguaDetector

    monkeypatch.setitem(sys.modules, "lingua", None)
    with pytest.raises(MissingDependency, match=r"socialkit\[lingua\]"):
        LinguaDetector()
