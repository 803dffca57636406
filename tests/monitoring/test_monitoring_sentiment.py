"""The default sentiment scorer: negation, intensifiers, emoji, and accuracy on a labelled set."""

from __future__ import annotations

import pytest
from sentiment_cases import CASES

from socialkit.monitoring import LexiconScorer, SentimentScorer, label

SCORER = LexiconScorer()


def accuracy(scorer: SentimentScorer, cases: list[tuple[str, str]]) -> float:
    """The share of ``cases`` whose label the scorer gets right (printed per language)."""
    hits = {"en": [0, 0], "zh": [0, 0]}
    for text, expected in cases:
        language = "zh" if any("\u4e00" <= c <= "\u9fff" for c in text) else "en"
        hits[language][0] += label(scorer.score(text)) == expected
        hits[language][1] += 1
    right = sum(h for h, _ in hits.values())
    total = sum(n for _, n in hits.values())
    parts = ", ".join(f"{lang} {h}/{n}" for lang, (h, n) in hits.items())
    print(f"\nlexicon sentiment accuracy: {right}/{total} = {right / total:.1%} ({parts})")
    return right / total


def test_accuracy_on_the_labelled_set_is_at_least_85_percent() -> None:
    assert len(CASES) >= 100
    assert {label for _, label in CASES} == {"positive", "negative", "neutral"}

    assert accuracy(SCORER, CASES) >= 0.85


@pytest.mark.parametrize(
    ("plain", "negated"),
    [
        ("good", "not good"),
        ("happy with it", "not happy with it"),
        ("满意", "不满意"),
        ("满意", "一点也不满意"),
        ("好", "不好"),
        ("推荐", "不推荐"),
    ],
)
def test_negation_flips_the_sign(plain: str, negated: str) -> None:
    assert SCORER.score(plain) > 0 > SCORER.score(negated)


def test_negating_a_negative_word_is_mildly_positive() -> None:
    assert 0 < SCORER.score("not bad") < -SCORER.score("bad")
    assert SCORER.score("没问题") > 0


@pytest.mark.parametrize(
    ("plain", "stronger"),
    [("good", "very good"), ("好", "非常好"), ("贵", "太贵"), ("bad", "extremely bad")],
)
def test_intensifiers_strengthen(plain: str, stronger: str) -> None:
    assert abs(SCORER.score(stronger)) > abs(SCORER.score(plain))


def test_diminishers_soften() -> None:
    assert 0 > SCORER.score("有点贵") > SCORER.score("贵")


def test_a_negated_intensifier_is_milder_than_plain_negation_of_strength() -> None:
    assert SCORER.score("not very good") > SCORER.score("very bad")


def test_contrast_weighs_what_follows() -> None:
    assert SCORER.score("Nice design but terrible battery") < 0
    assert SCORER.score("好看是好看，但是质量太差") < 0


@pytest.mark.parametrize(("text", "sign"), [("😍", 1), ("🎉🎉", 1), ("😡", -1), ("👎", -1)])
def test_emoji_carry_sentiment(text: str, sign: int) -> None:
    assert SCORER.score(text) * sign > 0


def test_chinese_neutral_terms_are_not_split_into_sentiment() -> None:
    assert SCORER.score("快递到了吗") == 0  # 快递 (courier), not 快 (fast)
    assert SCORER.score("好像下雨了") == 0  # 好像 (seems), not 好 (good)


def test_scores_stay_within_minus_one_and_one() -> None:
    text = "amazing " * 50
    assert 0 < SCORER.score(text) < 1
    assert -1 < SCORER.score("terrible awful 😡 " * 50) < 0


def test_extra_words_override_the_lexicon() -> None:
    scorer = LexiconScorer({"killer": 2.0, "翻车": -2.0})

    assert scorer.score("a killer feature") > 0
    assert scorer.score("又翻车了") < 0


def test_any_object_with_score_is_a_scorer() -> None:
    class Constant:
        def score(self, text: str) -> float:
            return -1.0

    assert isinstance(Constant(), SentimentScorer)
    assert isinstance(SCORER, SentimentScorer)


def test_explain_lists_the_contributions() -> None:
    assert SCORER.explain("not good") == [("good", -0.75)]
