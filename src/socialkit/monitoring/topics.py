"""Topics: group short texts (mentions, comments, inbox items) by what they talk about.

`TopicModel.cluster` turns texts into vectors with an `Embedder` (TF-IDF over
English words and jieba-segmented Chinese words by default), then:

1. **LSA**: sparse TF-IDF rows are reduced to ``dimensions`` latent dimensions
   (truncated SVD) and re-normalised, so two texts that share no word but share
   context ("refund" and "money back") come closer, and Euclidean distance
   ranks like cosine similarity. Dense embeddings (your own model) are only
   normalised.
2. **k-means, k chosen by silhouette**: the number of topics is not known in
   advance, so every k from 2 to ``max_topics`` is tried on a sample of at most
   ``sample`` texts and the k with the best silhouette (how much closer each text
   is to its own topic than to the next) wins; the chosen k is then fitted on
   all texts (mini-batch k-means above 20,000 texts).
3. **Outliers out**: a text with no known word, a text whose similarity to its
   topic's centre is below ``min_similarity``, and topics smaller than
   ``min_size`` get no topic (``-1``), so chatter does not dilute the topics.

Why this and not the others: agglomerative clustering needs the full distance
matrix (40 GB at 100,000 texts); HDBSCAN leaves most short texts as noise; NMF
needs k as well and does no better on short texts. k-means on LSA is linear in
the number of texts and gives each text one topic. Each topic's label is its
heaviest TF-IDF words, whatever the embedder.

TF-IDF does not bridge languages: English and Chinese texts on the same subject
form two topics. A multilingual sentence-embedding model, plugged in as the
`Embedder`, merges them.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import attrs

from .._optional import require
from .._records import Record
from .vectors import Embedder, TextVectorizer, TfidfEmbedder, surface_forms

__all__ = ["Clustering", "TopicModel"]

_MINI_BATCH_ABOVE = 20_000


def _sk(module: str) -> Any:
    return require(f"sklearn.{module}", "insights", "TopicModel")


@attrs.frozen
class Clustering(Record):
    """Which topic each text fell in.

    Attributes:
        labels: One topic number per text, ``-1`` for none (no known word, an outlier,
            or a topic under ``min_size``). Topics are numbered ``0..k-1`` by size.
        keywords: The heaviest words of each topic, topic by topic (English stems
            spelled as the texts most often spell them).
        silhouette: The silhouette of the chosen k on the sample (``None`` when k was given).
    """

    labels: tuple[int, ...]
    keywords: tuple[tuple[str, ...], ...]
    silhouette: float | None = None

    @property
    def k(self) -> int:
        """How many topics were found."""
        return len(self.keywords)

    def members(self, topic: int) -> list[int]:
        """The indices of the texts in ``topic``."""
        return [i for i, label in enumerate(self.labels) if label == topic]


@attrs.define
class TopicModel:
    """Clusters short texts into topics (the ``insights`` extra: scikit-learn and jieba).

    Attributes:
        embedder: Texts to vectors; default `TfidfEmbedder`. Any `Embedder` works
            (a sentence-embedding model); labels still come from TF-IDF words.
        topics: A fixed number of topics, or ``None`` to choose it by silhouette.
        max_topics: The largest k tried when choosing.
        min_size: Topics with fewer texts are dissolved (their texts get ``-1``).
        min_similarity: A text less similar than this to its topic's centre gets ``-1``.
        dimensions: LSA dimensions for sparse vectors.
        sample: At most this many texts are used to choose k.
        keywords: How many words label a topic.
        random_state: Seed for the sampling, SVD and k-means (same input, same topics).

    ```python
    model = TopicModel()
    found = model.cluster(texts)
    for topic in range(found.k):
        print(found.keywords[topic], len(found.members(topic)))
    ```
    """

    embedder: Embedder | None = None
    topics: int | None = None
    max_topics: int = attrs.field(default=20, validator=attrs.validators.ge(2))
    min_size: int = 3
    min_similarity: float = 0.4
    dimensions: int = 30
    sample: int = 3000
    keywords: int = 5
    random_state: int = 0

    def cluster(self, texts: Sequence[str]) -> Clustering:
        """Group ``texts`` into topics; see the module notes for how."""
        numpy = require("numpy", "insights", "TopicModel")
        normalize = _sk("preprocessing").normalize

        texts = list(texts)
        large = len(texts) >= 50  # small sets: keep every word, rare or everywhere
        vectorizer = TextVectorizer(max_df=0.5 if large else 1.0, min_df=2 if large else 1)
        if self.embedder is None or isinstance(self.embedder, TfidfEmbedder):
            if isinstance(self.embedder, TfidfEmbedder):
                vectorizer = self.embedder.vectorizer
            tfidf = vectorizer.fit_transform(texts)
            vectors: Any = tfidf
        else:
            tfidf = vectorizer.fit_transform(texts)
            vectors = self.embedder.embed(texts)
        if vectors.shape[0] != len(texts):
            raise ValueError(f"the embedder gave {vectors.shape[0]} rows for {len(texts)} texts")
        points = self._reduce(vectors)
        norms = numpy.linalg.norm(points, axis=1) if len(texts) else numpy.zeros(0)
        usable = numpy.flatnonzero(norms > 0)
        labels = numpy.full(len(texts), -1)
        if len(usable) < max(2, self.min_size):
            return Clustering(tuple(int(x) for x in labels), ())
        points = normalize(points[usable])
        threadpoolctl = require("threadpoolctl", "insights", "TopicModel")
        with threadpoolctl.threadpool_limits(1):  # small fits: threads cost more than they give
            k, silhouette = self._choose_k(points)
        assigned, centres = self._fit(points, k)
        similarity = (points * centres[assigned]).sum(axis=1)
        assigned[similarity < self.min_similarity] = -1
        labels[usable] = assigned
        return self._finish(texts, labels, tfidf, vectorizer, silhouette)

    def _reduce(self, vectors: Any) -> Any:
        numpy = require("numpy", "insights", "TopicModel")
        if not hasattr(vectors, "toarray"):
            return numpy.asarray(vectors, dtype=numpy.float64)
        TruncatedSVD = _sk("decomposition").TruncatedSVD

        rows, columns = vectors.shape
        dimensions = min(self.dimensions, columns - 1, rows - 1)
        if dimensions < 2:
            return vectors.toarray().astype(numpy.float64)
        svd = TruncatedSVD(dimensions, random_state=self.random_state)
        with warnings.catch_warnings():  # identical texts: no variance to explain
            warnings.simplefilter("ignore", RuntimeWarning)
            reduced = svd.fit_transform(vectors)
        reduced[numpy.asarray(vectors.getnnz(axis=1)) == 0] = 0.0  # no word: no position
        return reduced

    def _choose_k(self, points: Any) -> tuple[int, float | None]:
        if self.topics is not None:
            return min(self.topics, len(points)), None
        numpy = require("numpy", "insights", "TopicModel")
        KMeans = _sk("cluster").KMeans
        silhouette_score = _sk("metrics").silhouette_score

        rng = numpy.random.default_rng(self.random_state)
        sample = points
        if len(points) > self.sample:
            sample = points[rng.choice(len(points), self.sample, replace=False)]
        distinct = len(numpy.unique(sample.round(6), axis=0))
        if distinct < 3:
            return distinct, None  # one or two kinds of text: nothing to choose
        best_k, best_score = 2, -1.0
        for k in range(2, min(self.max_topics, distinct - 1) + 1):
            labels = KMeans(k, n_init=3, random_state=self.random_state).fit_predict(sample)
            if len(set(labels.tolist())) < 2:
                continue
            score = float(silhouette_score(sample, labels))
            if score > best_score:
                best_k, best_score = k, score
        return best_k, best_score

    def _fit(self, points: Any, k: int) -> tuple[Any, Any]:
        cluster = _sk("cluster")
        normalize = _sk("preprocessing").normalize

        model: Any
        if len(points) > _MINI_BATCH_ABOVE:
            model = cluster.MiniBatchKMeans(
                k, n_init=3, batch_size=4096, random_state=self.random_state
            )
        else:
            model = cluster.KMeans(k, n_init=5, random_state=self.random_state)
        assigned = model.fit_predict(points)
        return assigned, normalize(model.cluster_centers_)

    def _finish(
        self,
        texts: list[str],
        labels: Any,
        tfidf: Any,
        vectorizer: TextVectorizer,
        silhouette: float | None,
    ) -> Clustering:
        numpy = require("numpy", "insights", "TopicModel")
        sizes = numpy.bincount(labels[labels >= 0]) if (labels >= 0).any() else numpy.zeros(0)
        kept = [t for t in numpy.argsort(-sizes, kind="stable") if sizes[t] >= self.min_size]
        renumber = numpy.full(len(sizes) + 1, -1)
        for new, old in enumerate(kept):
            renumber[old] = new
        final = numpy.where(labels >= 0, renumber[labels], -1)
        keywords = []
        for topic in range(len(kept)):
            members = numpy.flatnonzero(final == topic)
            rows = tfidf[members]
            weights = numpy.asarray(rows.mean(axis=0)) if rows.shape[1] else numpy.zeros(0)
            spelled = surface_forms([texts[i] for i in members[:500]])
            top = vectorizer.top_terms(weights, self.keywords)
            keywords.append(tuple(spelled.get(word, word) for word in top))
        return Clustering(tuple(int(x) for x in final), tuple(keywords), silhouette)
