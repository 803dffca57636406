"""Suggested answers: the best past answers for a new inbox item, as drafts to approve.

```python
from socialkit.replies import Inbox, Suggester

suggester = Suggester(inbox)                  # learns from every item already replied to
for s in suggester.suggest(item):             # a rule's template first, then past answers
    print(f"{s.score:.2f}", s.kind, s.text)
suggester.draft(item, by="sam")               # the best one, drafted: approve() and send() as usual
```

How it works: every answered item (stage ``replied``, with the reply that was
sent) is a question and its answer. They are indexed per language
(`InboxItem.language`); a new item is compared with each past question and its
answer in its language by the cosine similarity of their TF-IDF vectors, and the
answers of the nearest ones come back ranked, each answer once, with its best
score.

**Templates win.** When the inbox's rules match the item and name an
``auto_reply`` template, that template (rendered for the item) is the first
suggestion, with a score of 1.

**Nothing is sent by itself.** `Suggester.draft` puts the suggestion through
`Inbox.draft_reply`: the item is ``drafted`` and waits for `Inbox.approve`
like any other reply; only the rules' own ``auto_reply`` sends without a person.

**Vectors.** A `Vectorizer` turns texts into rows (``fit`` then ``transform``;
rows L2-normalised, so a dot product is a cosine). The default, `CharVectorizer`,
is TF-IDF over character n-grams (scikit-learn, the ``insights`` extra): it needs
no word segmentation, so it works for English and Chinese alike.

**Language models.** A `Drafter` rewrites a suggestion in the brand's tone
(any object with a ``rewrite(item, suggestion)`` method, e.g. one that calls a
language model of your own). socialkit ships none and calls none unless given one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

import attrs

from .._optional import require
from .._records import Record
from .items import InboxItem, Stage

if TYPE_CHECKING:
    from .inbox import Inbox
    from .rules import RuleSet
    from .store import InboxStore

__all__ = [
    "AnswerIndex",
    "CharVectorizer",
    "Drafter",
    "Suggester",
    "Suggestion",
    "Vectorizer",
]

SuggestionKind = Literal["template", "past_answer"]


@runtime_checkable
class Vectorizer(Protocol):
    """Texts in, one L2-normalised row per text out (a 2-D array, dense or sparse)."""

    def fit(self, texts: Sequence[str]) -> Any:
        """Learn from ``texts`` (a vocabulary, weights)."""
        ...

    def transform(self, texts: Sequence[str]) -> Any:
        """``texts`` as rows, one per text."""
        ...


class CharVectorizer:
    """TF-IDF over character n-grams inside words (scikit-learn's ``TfidfVectorizer``).

    Character n-grams need no tokenizer, so the same vectorizer serves English
    (misspellings included) and Chinese (no spaces between words).

    Args:
        ngram_range: The n-gram lengths.
    """

    def __init__(self, ngram_range: tuple[int, int] = (1, 4)) -> None:
        text = require("sklearn.feature_extraction.text", "insights", "Suggested answers")
        self._tfidf = text.TfidfVectorizer(
            analyzer="char_wb", ngram_range=ngram_range, sublinear_tf=True, lowercase=True
        )

    def __repr__(self) -> str:
        return f"CharVectorizer(ngram_range={self._tfidf.ngram_range})"

    def fit(self, texts: Sequence[str]) -> CharVectorizer:
        """Learn the n-grams of ``texts`` and their inverse document frequencies."""
        self._tfidf.fit(list(texts))
        return self

    def transform(self, texts: Sequence[str]) -> Any:
        """``texts`` as a sparse matrix of L2-normalised rows."""
        return self._tfidf.transform(list(texts))


@attrs.frozen
class Suggestion(Record):
    """One suggested answer.

    Attributes:
        text: The answer to draft.
        score: How close the item is to the question answered (cosine, 0..1); 1 for a
            template a rule chose.
        kind: ``"template"`` (a rule matched) or ``"past_answer"``.
        question: The past question it answered (``None`` for a template).
        key: The past item's key, or the template's name.
    """

    text: str
    score: float
    kind: SuggestionKind
    question: str | None = None
    key: str | None = None


@runtime_checkable
class Drafter(Protocol):
    """Rewrites a suggestion before it is drafted (in the brand's tone, for this item).

    ```python
    class MyModel:
        def rewrite(self, item, suggestion):
            return my_llm(f"Answer {item.text!r} like our brand, based on: {suggestion.text}")
    ```
    """

    def rewrite(self, item: InboxItem, suggestion: Suggestion) -> str:
        """The text to draft."""
        ...


@attrs.frozen
class _Entry:
    question: str
    answer: str
    key: str | None


class _Shelf:
    """The past answers of one language, with their vectors (fitted lazily)."""

    def __init__(self, make: Callable[[], Vectorizer], with_answers: bool) -> None:
        self.entries: list[_Entry] = []
        self._make = make
        self._with_answers = with_answers
        self._vectorizer: Vectorizer | None = None
        self._matrix: Any = None

    def add(self, entry: _Entry) -> None:
        self.entries.append(entry)
        self._vectorizer = None

    def scores(self, text: str) -> list[float]:
        if self._vectorizer is None:
            vectorizer = self._make()
            documents = [
                f"{e.question}\n{e.answer}" if self._with_answers else e.question
                for e in self.entries
            ]
            vectorizer.fit(documents)
            self._matrix = vectorizer.transform(documents)
            self._vectorizer = vectorizer
        query = self._vectorizer.transform([text])
        product = self._matrix @ query.T
        dense = product.toarray() if hasattr(product, "toarray") else product
        return [float(v) for v in require("numpy", "insights", "Suggested answers").ravel(dense)]


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


class AnswerIndex:
    """Past questions and their answers, searchable per language.

    Args:
        vectorizer: Makes a fresh `Vectorizer` per language (default: `CharVectorizer`).
        with_answers: Compare a new question with each past question *and its answer*
            (the answer carries the topic's words: "Visa, PayPal" for "which cards can I
            use?"); ``False`` compares with the past questions only.

    ```python
    index = AnswerIndex()
    index.add("When do you ship?", "Within 2 days!", language="en")
    index.search("how soon will my order ship", language="en")
    ```
    """

    def __init__(
        self, vectorizer: Callable[[], Vectorizer] | None = None, *, with_answers: bool = True
    ) -> None:
        self._make: Callable[[], Vectorizer] = vectorizer or CharVectorizer
        self._with_answers = with_answers
        self._shelves: dict[str, _Shelf] = {}

    def __repr__(self) -> str:
        sizes = {lang: len(shelf.entries) for lang, shelf in sorted(self._shelves.items())}
        return f"AnswerIndex({sizes})"

    def __len__(self) -> int:
        return sum(len(shelf.entries) for shelf in self._shelves.values())

    @property
    def languages(self) -> list[str]:
        """The languages that have past answers."""
        return sorted(self._shelves)

    def add(self, question: str, answer: str, *, language: str, key: str | None = None) -> None:
        """Add one answered question."""
        if not question.strip() or not answer.strip():
            return
        shelf = self._shelves.setdefault(language, _Shelf(self._make, self._with_answers))
        shelf.add(_Entry(question, answer, key))

    def add_items(self, items: Iterable[InboxItem]) -> int:
        """Add every item that was answered (stage ``replied`` with its reply); return
        how many were added."""
        added = 0
        for item in items:
            if item.stage is Stage.REPLIED and item.draft is not None and item.draft.text:
                self.add(item.text, item.draft.text, language=item.language, key=item.key)
                added += 1
        return added

    @classmethod
    def from_store(
        cls, store: InboxStore, vectorizer: Callable[[], Vectorizer] | None = None
    ) -> AnswerIndex:
        """An index of every answered item in an `InboxStore`."""
        index = cls(vectorizer)
        index.add_items(store.items(Stage.REPLIED))
        return index

    def search(
        self, text: str, *, language: str, limit: int = 3, min_score: float = 0.0
    ) -> list[Suggestion]:
        """The answers of the past questions nearest to ``text`` in ``language``, best
        first, each answer once (with its best score); none for a language without answers.
        """
        shelf = self._shelves.get(language)
        if shelf is None or not text.strip():
            return []
        scored = sorted(
            zip(shelf.scores(text), range(len(shelf.entries)), strict=True),
            key=lambda pair: (-pair[0], pair[1]),
        )
        found: list[Suggestion] = []
        seen: set[str] = set()
        for score, position in scored:
            if len(found) >= limit or score < min_score or score <= 0:
                break
            entry = shelf.entries[position]
            if _normal(entry.answer) in seen:
                continue
            seen.add(_normal(entry.answer))
            found.append(
                Suggestion(entry.answer, round(score, 6), "past_answer", entry.question, entry.key)
            )
        return found


class Suggester:
    """Suggests answers for an inbox's items and drafts the one chosen.

    Args:
        inbox: The `Inbox` (its rules, its store, its approval flow).
        index: The past answers; by default every answered item of the inbox's store,
            read when first needed (`refresh` reads them again).
        limit: How many suggestions at most.
        min_score: Past answers scoring below this are left out.
        drafter: A `Drafter` that rewrites the chosen suggestion (none by default).
    """

    def __init__(
        self,
        inbox: Inbox,
        *,
        index: AnswerIndex | None = None,
        limit: int = 3,
        min_score: float = 0.2,
        drafter: Drafter | None = None,
    ) -> None:
        self.inbox = inbox
        self.limit = limit
        self.min_score = min_score
        self.drafter = drafter
        self._index = index

    def __repr__(self) -> str:
        return f"Suggester(limit={self.limit}, min_score={self.min_score})"

    @property
    def index(self) -> AnswerIndex:
        """The past answers searched."""
        if self._index is None:
            self._index = AnswerIndex.from_store(self.inbox.store)
        return self._index

    def refresh(self) -> None:
        """Read the store's answered items again (after more replies were sent)."""
        self._index = AnswerIndex.from_store(self.inbox.store)

    def _template(self, item: InboxItem, rules: RuleSet | None) -> Suggestion | None:
        if rules is None:
            return None
        name = rules.evaluate(item).auto_reply
        if name is None:
            return None
        platform_rules = self.inbox._client_for(item).platform.rules
        text = rules.templates[name].render(item, rules=platform_rules)
        return Suggestion(text, 1.0, "template", key=name)

    def suggest(self, item: InboxItem | str) -> list[Suggestion]:
        """The suggestions for ``item``: the template a rule chose (if any), then the past
        answers nearest to it in its language, best first."""
        current = self.inbox.get(item)
        template = self._template(current, self.inbox.rules)
        found = [template] if template is not None else []
        past = self.index.search(
            current.text, language=current.language, limit=self.limit + 1, min_score=self.min_score
        )
        found += [
            s
            for s in past
            if s.key != current.key  # an answered item is not its own suggestion
            and (template is None or _normal(s.text) != _normal(template.text))
        ]
        return found[: self.limit]

    def draft(
        self,
        item: InboxItem | str,
        *,
        by: str | None = None,
        choice: int | Suggestion = 0,
    ) -> InboxItem | None:
        """Draft a suggestion as the item's reply (``drafted``: it still needs approval).

        Args:
            item: The item (or its key).
            by: Who drafts (recorded in the item's history).
            choice: The position of the suggestion in `suggest`'s list, or a `Suggestion`.

        Returns:
            The drafted item, or ``None`` when there is nothing to suggest.
        """
        current = self.inbox.get(item)
        if isinstance(choice, Suggestion):
            chosen = choice
        else:
            suggestions = self.suggest(current)
            if choice >= len(suggestions):
                return None
            chosen = suggestions[choice]
        text = chosen.text if self.drafter is None else self.drafter.rewrite(current, chosen)
        who = by or f"suggested:{chosen.kind}"
        return self.inbox.draft_reply(current, text, by=who)
