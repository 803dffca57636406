"""Short texts as vectors: English words and jieba-segmented Chinese words, weighted by TF-IDF.

The topic model (`socialkit.monitoring.topics`) and anything else that compares
mentions, comments or inbox items by their words share these pieces:

- `tokenize`: a text as the words that carry its meaning. English words are
  lower-cased, stripped of a plural ``s``, stop words dropped; runs of Chinese
  characters are segmented by jieba and their function words dropped; links,
  ``@handles``, numbers and emoji are dropped; a ``#hashtag`` counts as its word.
- `TextVectorizer`: TF-IDF over those words (scikit-learn's ``TfidfVectorizer``),
  rows L2-normalised, so the dot product of two rows is their cosine similarity.
- `Embedder`: the protocol for any text → vector model (texts in, one row per
  text out). `TfidfEmbedder` is the default; plug in a sentence-embedding model
  of your own by giving any object with an ``embed(texts)`` method.

They need the ``insights`` extra (``pip install 'socialkit[insights]'``: scikit-learn
and jieba); without it they raise `MissingDependency` naming the extra.

```python
vectorizer = TextVectorizer()
matrix = vectorizer.fit_transform(["Refund still not here", "退款什么时候到账？"])
tokenize("退款什么时候到账？")       # ['退款', '账']
```
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Sequence
from typing import Any, Final, Protocol, runtime_checkable

import regex

from .._optional import require

__all__ = [
    "EN_STOP_WORDS",
    "ZH_STOP_WORDS",
    "Embedder",
    "TextVectorizer",
    "TfidfEmbedder",
    "surface_forms",
    "tokenize",
]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


EN_STOP_WORDS: Final[frozenset[str]] = _words(
    """a about above after again all also am an and any are as at be because been before
    being below between both but by can could did do does doing done down during each
    few for from further get got had has have having he her here hers him his how i if
    in into is it its itself just let me more most my no nor not now of off on once only
    or other our ours out over own same she should so some such than that the their them
    then there these they this those through to too under until up very was we were what
    when where which while who whom why will with would you your yours yet im ive dont
    doesnt didnt cant wont isnt arent wasnt u ur pls plz please hi hey hello thanks thank
    thx lol ok okay oh yes yeah really still even already much many one two via amp rt
    s t d ll re ve m"""
)
"""English words too common to tell topics apart (lower case, apostrophes removed)."""

ZH_STOP_WORDS: Final[frozenset[str]] = _words(
    """的 了 吗 呢 啊 吧 呀 哦 嗯 哈 哈哈 是 我 你 他 她 它 我们 你们 他们 她们 这 那 这个 那个
    这些 那些 在 有 和 与 及 就 都 也 还 很 太 又 再 才 被 把 给 让 对 从 向 到 为 为了 以 于 之
    个 么 吗 么 啦 呗 嘛 着 过 得 地 一 一下 一个 没 不 没有 不是 就是 还是 而且 但是 可是 所以
    因为 如果 或者 什么 怎么 怎么办 请问 谢谢 您好 你好 大家 真的 已经 今天 现在 一直 非常 特别
    自己 还有 可以 能 会 要 想 说 看 去 来 上 下 里 中 后 前 时 时候 好 多 少 点 吧 啊 哎"""
)
"""Chinese function words and fillers dropped after segmentation."""

_PIECES = regex.compile(
    r"(?P<skip>https?://\S+|www\.\S+|@[\w.\-]+)"
    r"|(?P<han>\p{Han}+)"
    r"|(?P<word>[^\P{L}\p{Han}](?:[^\P{L}\p{Han}]|\p{M}|['’\-])*)"
)
_KEEP_S = ("ss", "us", "is")


def _english(word: str) -> str | None:
    word = word.replace("’", "").replace("'", "").strip("-")
    if len(word) < 2 or word in EN_STOP_WORDS:
        return None
    word = _stem(word)
    return None if word in EN_STOP_WORDS else word


def _stem(word: str) -> str:
    """A light suffix strip: plurals, ``-ing``, ``-ed``, ``-er`` (``charging``, ``charger``,
    ``charged``, ``charges`` all read ``charg``)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(_KEEP_S):
        word = word[:-1]
    for suffix in ("ing", "ed", "er"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


_JIEBA: Any = None


def _jieba() -> Any:
    global _JIEBA
    if _JIEBA is None:
        module = require("jieba", "insights", "Chinese word segmentation")
        module.setLogLevel(logging.WARNING)
        module.initialize()
        _JIEBA = module
    return _JIEBA


def tokenize(text: str) -> list[str]:
    """The words of ``text`` that carry its meaning, in order (see the module notes).

    Chinese runs need jieba (the ``insights`` extra); English-only text does not.
    """
    text = unicodedata.normalize("NFKC", text).lower()
    words: list[str] = []
    for match in _PIECES.finditer(text):
        kind, piece = match.lastgroup, match.group()
        if kind == "han":
            words.extend(w for w in _jieba().lcut(piece) if w not in ZH_STOP_WORDS)
        elif kind == "word":
            word = _english(piece)
            if word is not None:
                words.append(word)
    return words


def surface_forms(texts: Sequence[str]) -> dict[str, str]:
    """Each English stem `tokenize` makes from ``texts``, with its most common spelling.

    ``surface_forms(["charging", "Charging!", "charger"])["charg"] == "charging"``: words
    fit for a label, where `tokenize` gives the stems that match.
    """
    counts: dict[str, dict[str, int]] = {}
    for text in texts:
        lowered = unicodedata.normalize("NFKC", text).lower()
        for match in _PIECES.finditer(lowered):
            if match.lastgroup != "word":
                continue
            word = match.group().replace("’", "").replace("'", "").strip("-")
            stem = _english(word)
            if stem is not None:
                spellings = counts.setdefault(stem, {})
                spellings[word] = spellings.get(word, 0) + 1
    return {stem: max(spellings, key=spellings.__getitem__) for stem, spellings in counts.items()}


class TextVectorizer:
    """TF-IDF over `tokenize`'s words: one L2-normalised sparse row per text.

    Args:
        min_df: Drop words found in fewer texts than this (a count, or a share if a float).
        max_df: Drop words found in more than this share of texts (a brand's name, say).
        max_features: Keep only this many most frequent words (``None``: all).
        sublinear_tf: Weigh a repeated word by ``1 + log(count)`` rather than its count.

    ```python
    vectorizer = TextVectorizer(max_df=0.5)
    rows = vectorizer.fit_transform(texts)            # scipy.sparse CSR, len(texts) rows
    vectorizer.top_terms(rows[0], 3)                   # the three heaviest words of texts[0]
    ```
    """

    def __init__(
        self,
        *,
        min_df: int | float = 1,
        max_df: int | float = 1.0,
        max_features: int | None = None,
        sublinear_tf: bool = True,
    ) -> None:
        text = require("sklearn.feature_extraction.text", "insights", "TextVectorizer")
        self._tfidf = text.TfidfVectorizer(
            analyzer=tokenize,
            min_df=min_df,
            max_df=max_df,
            max_features=max_features,
            sublinear_tf=sublinear_tf,
            dtype=_numpy().float32,
        )
        self._terms: list[str] | None = None

    def __repr__(self) -> str:
        size = "unfitted" if self._terms is None else f"{len(self._terms)} terms"
        return f"TextVectorizer({size})"

    def fit(self, texts: Sequence[str]) -> TextVectorizer:
        """Learn the vocabulary and the inverse document frequencies of ``texts``."""
        self._tfidf.fit(texts)
        self._terms = [str(t) for t in self._tfidf.get_feature_names_out()]
        return self

    def transform(self, texts: Sequence[str]) -> Any:
        """``texts`` as a sparse CSR matrix (unknown words are ignored; an empty row is zeros)."""
        if self._terms is None:
            raise ValueError("TextVectorizer is not fitted: call fit() or fit_transform() first")
        return self._tfidf.transform(texts)

    def fit_transform(self, texts: Sequence[str]) -> Any:
        """`fit` then `transform` in one pass."""
        try:
            matrix = self._tfidf.fit_transform(texts)
        except ValueError:  # no text has any word left: an empty vocabulary
            self._terms = []
            sparse = require("scipy.sparse", "insights", "TextVectorizer")
            return sparse.csr_matrix((len(texts), 0), dtype=_numpy().float32)
        self._terms = [str(t) for t in self._tfidf.get_feature_names_out()]
        return matrix

    @property
    def terms(self) -> list[str]:
        """The vocabulary, in column order."""
        if self._terms is None:
            raise ValueError("TextVectorizer is not fitted: call fit() or fit_transform() first")
        return list(self._terms)

    def top_terms(self, weights: Any, n: int = 5) -> list[str]:
        """The ``n`` words with the largest weight in ``weights`` (a row, or a column mean)."""
        numpy = _numpy()
        terms = self.terms
        dense = numpy.asarray(weights.toarray() if hasattr(weights, "toarray") else weights)
        dense = dense.ravel()
        order = numpy.argsort(-dense, kind="stable")[:n]
        return [terms[i] for i in order if dense[i] > 0]


@runtime_checkable
class Embedder(Protocol):
    """Anything that turns texts into vectors: one row per text (a 2-D array, dense or sparse).

    Plug in a sentence-embedding model of your own:

    ```python
    class SentenceEmbedder:
        def __init__(self, model):            # e.g. a sentence-transformers model
            self.model = model
        def embed(self, texts):
            return self.model.encode(list(texts), normalize_embeddings=True)
    ```
    """

    def embed(self, texts: Sequence[str]) -> Any:
        """A 2-D array with one row per text."""
        ...


class TfidfEmbedder:
    """The default `Embedder`: a `TextVectorizer` fitted on the texts it is given.

    Args:
        vectorizer: The vectorizer to fit (default: ``TextVectorizer(max_df=0.5)``, so
            a word in more than half the texts, like a brand's name, does not count).
    """

    def __init__(self, vectorizer: TextVectorizer | None = None) -> None:
        self.vectorizer = vectorizer or TextVectorizer(max_df=0.5)

    def __repr__(self) -> str:
        return f"TfidfEmbedder({self.vectorizer!r})"

    def embed(self, texts: Sequence[str]) -> Any:
        """Fit the vectorizer on ``texts`` and return their sparse TF-IDF rows."""
        return self.vectorizer.fit_transform(texts)


def _numpy() -> Any:
    return require("numpy", "insights", "text vectors")
