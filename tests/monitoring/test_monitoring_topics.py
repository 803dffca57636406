"""Topics on the labelled EN/ZH set: purity, noise left out, labels, a pluggable embedder."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

pytest.importorskip("sklearn")
pytest.importorskip("jieba")

from topic_data import confusion, labelled, purity

from socialkit.monitoring import Clustering, Embedder, TopicModel

Found = tuple[Clustering, list[str]]


@pytest.fixture(scope="module")
def found() -> Found:
    texts, truth = labelled()
    return TopicModel().cluster(texts), truth


def test_labelled_set_has_seven_topics_in_two_languages_and_noise() -> None:
    texts, truth = labelled()
    assert len(texts) >= 200
    assert len(set(truth) - {"noise"}) == 7
    assert any("\u4e00" <= ch <= "\u9fff" for ch in texts[20])


def test_topic_purity_on_the_labelled_set_is_at_least_080(found: Found) -> None:
    clustering, truth = found
    assert purity(clustering.labels, truth) >= 0.80


def test_most_texts_get_a_topic_and_most_chatter_does_not(found: Found) -> None:
    clustering, truth = found
    table = confusion(clustering.labels, truth)
    assert sum(table.get(-1, {}).values()) <= 0.15 * len(truth)
    assert table[-1]["noise"] >= 8  # of 16 pieces of chatter


def test_every_true_topic_dominates_some_found_topic(found: Found) -> None:
    clustering, truth = found
    table = confusion(clustering.labels, truth)
    majorities = {c.most_common(1)[0][0] for t, c in table.items() if t >= 0}
    assert majorities >= {"refund", "delivery", "battery", "login", "price", "support", "camera"}


def test_labels_are_readable_keywords(found: Found) -> None:
    clustering, _ = found
    flat = {word for words in clustering.keywords for word in words}
    assert {"refund", "退款", "battery", "客服"} <= flat
    assert "charg" not in flat  # stems are spelled as the texts spell them


def test_topics_are_numbered_by_size(found: Found) -> None:
    clustering, _ = found
    sizes = [len(clustering.members(t)) for t in range(clustering.k)]
    assert sizes == sorted(sizes, reverse=True)
    assert min(sizes) >= 3


def test_same_input_same_topics() -> None:
    texts, _ = labelled()
    assert TopicModel().cluster(texts[:120]) == TopicModel().cluster(texts[:120])


def test_a_fixed_number_of_topics_is_honoured() -> None:
    texts, _ = labelled()
    clustering = TopicModel(topics=4, min_similarity=-1.0, min_size=1).cluster(texts)
    assert clustering.k == 4
    assert clustering.silhouette is None


class _KeywordEmbedder:
    """A stand-in for a sentence-embedding model: one dimension per known subject."""

    subjects: Sequence[tuple[str, ...]] = (("refund", "退款"), ("battery", "电池", "充电"))

    def embed(self, texts: Sequence[str]) -> Any:
        import numpy

        return numpy.array(
            [[float(any(w in t.lower() for w in words)) for words in self.subjects] for t in texts]
        )


def test_a_plugged_in_embedder_decides_the_grouping_across_languages() -> None:
    texts = ["refund late", "退款太慢", "refund again", "退款没到", "battery dies", "电池不行"] * 2
    embedder = _KeywordEmbedder()
    assert isinstance(embedder, Embedder)
    clustering = TopicModel(embedder, topics=2, min_size=1).cluster(texts)
    assert clustering.labels[0] == clustering.labels[1] == clustering.labels[3]
    assert clustering.labels[4] == clustering.labels[5]
    assert clustering.labels[0] != clustering.labels[4]


def test_an_embedder_with_the_wrong_row_count_is_refused() -> None:
    class Broken:
        def embed(self, texts: Sequence[str]) -> Any:
            import numpy

            return numpy.zeros((1, 3))

    with pytest.raises(ValueError, match="1 rows for 3 texts"):
        TopicModel(Broken()).cluster(["a b", "c d", "e f"])


def test_texts_without_words_give_no_topics() -> None:
    assert TopicModel().cluster(["!!", "😀", "the a"]).labels == (-1, -1, -1)
    assert TopicModel().cluster([]).k == 0
