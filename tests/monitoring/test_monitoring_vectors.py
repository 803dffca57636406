"""Text vectors: English words and jieba-segmented Chinese words, TF-IDF rows."""

from __future__ import annotations

import sys

import pytest

pytest.importorskip("sklearn")
pytest.importorskip("jieba")

from socialkit.metrics import MissingDependency
from socialkit.monitoring import vectors
from socialkit.monitoring.vectors import (
    Embedder,
    TextVectorizer,
    TfidfEmbedder,
    tokenize,
)


def test_tokenize_drops_links_handles_numbers_and_stop_words() -> None:
    text = "My refunds STILL not here!! https://x.co/a @brand #SpringLaunch 2024 😡"
    assert tokenize(text) == ["refund", "springlaunch"]


def test_tokenize_segments_chinese_with_jieba_and_drops_function_words() -> None:
    assert tokenize("你们的外卖配送太慢了，等了一个小时") == ["外卖", "配送", "太慢", "等", "小时"]


def test_tokenize_mixed_text_keeps_both_languages() -> None:
    assert tokenize("这个app的battery续航太差") == ["app", "battery", "续航", "差"]


def test_rows_are_unit_length_so_dot_products_are_cosines() -> None:
    rows = TextVectorizer().fit_transform(["refund late", "退款 很慢", "refund 退款"])
    norms = rows.multiply(rows).sum(axis=1).A1
    assert [round(float(n), 6) for n in norms] == [1.0, 1.0, 1.0]
    similarity = (rows @ rows.T).toarray()
    assert similarity[0, 2] > 0
    assert similarity[1, 2] > 0
    assert similarity[0, 1] == 0


def test_max_df_drops_a_word_found_everywhere() -> None:
    vectorizer = TextVectorizer(max_df=0.5)
    vectorizer.fit(["acme refund", "acme shipping", "acme battery", "acme refund late"])
    assert "acme" not in vectorizer.terms
    assert "refund" in vectorizer.terms


def test_top_terms_orders_by_weight() -> None:
    vectorizer = TextVectorizer()
    rows = vectorizer.fit_transform(["refund refund late", "late shipping", "battery"])
    assert vectorizer.top_terms(rows[0], 2) == ["refund", "late"]


def test_texts_without_words_give_an_empty_matrix_not_an_error() -> None:
    rows = TextVectorizer().fit_transform(["the a", "!!", "😀"])
    assert rows.shape == (3, 0)


def test_transform_before_fit_says_so() -> None:
    with pytest.raises(ValueError, match="not fitted"):
        TextVectorizer().transform(["x"])


def test_tfidf_embedder_is_an_embedder() -> None:
    embedder = TfidfEmbedder()
    assert isinstance(embedder, Embedder)
    assert embedder.embed(["refund", "shipping", "battery"]).shape[0] == 3


def test_missing_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sklearn.feature_extraction.text", None)
    with pytest.raises(MissingDependency, match=r"socialkit\[insights\]"):
        TextVectorizer()


def test_missing_jieba_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vectors, "_JIEBA", None)
    monkeypatch.setitem(sys.modules, "jieba", None)
    assert tokenize("plain English works") == ["plain", "english", "work"]
    with pytest.raises(MissingDependency, match=r"socialkit\[insights\]"):
        tokenize("退款")
