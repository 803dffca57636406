"""Digests: what people talked about this period, what is new, and what still needs an answer.

`digest(items, period="week")` takes mentions, comments or inbox items (anything
with ``text`` and ``created_at``), clusters this period and the one before it
into topics (`TopicModel`), and returns a `Digest`:

- **topics**, largest first: label (top keywords), volume, the previous period's
  volume and the growth, the sentiment mix (with ``unknown`` for languages the
  scorer does not know), a few examples and the volume per hour or day;
- **new**: emerging topics, absent before or at least ``1 + emerging_growth``
  times as big as in the previous period;
- **needs an answer**: unanswered questions first (a ``?``/``？``, an English
  question word first, or a Chinese question word or particle), then unanswered
  negative items, the longest waiting first. Inbox items answered or ignored
  never show; a mention or comment has no answer state and counts as unanswered.

A `Digest` prints as text, shows as HTML in a notebook, draws its topic volume
over time with `Digest.plot` (the ``plots`` extra), and round-trips through JSON
(`Digest.to_json` / `Digest.from_json`, pydantic's field names and ISO 8601 times).

```python
report = digest(inbox_store.items(), period="week")
print(report)                        # the top topics, what is new, what needs an answer
report.plot()                        # topic volume over time (matplotlib)
```
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import regex
from pydantic import BaseModel, ConfigDict

from .._optional import require
from .sentiment import LexiconScorer, SentimentScorer, label
from .topics import TopicModel

__all__ = [
    "Digest",
    "DigestItem",
    "SentimentMix",
    "Topic",
    "digest",
    "is_question",
]

PeriodName = Literal["day", "week", "month"]
_PERIODS: dict[str, timedelta] = {
    "day": timedelta(days=1),
    "week": timedelta(days=7),
    "month": timedelta(days=30),
}
_EN_QUESTION = regex.compile(
    r"^\s*(?:@\S+\s+)*(?:what|when|where|why|how|who|whom|which|whose|can|could|is|are|am|"
    r"do|does|did|will|would|should|shall|may|any|anyone|has|have|was|were)\b",
    regex.IGNORECASE,
)
_ZH_QUESTION = regex.compile(
    r"什么|怎么|为什么|为啥|哪|几时|多少|多久|能不能|可不可以|是不是|有没有|会不会|请问|[吗呢么][\s。!！]*$"
)


def is_question(text: str) -> bool:
    """Whether ``text`` asks something: ``?``/``？``, an English question word first
    ("when do you open"), or a Chinese question word or final particle ("发货了吗")."""
    return (
        "?" in text
        or "？" in text
        or bool(_EN_QUESTION.search(text))
        or bool(_ZH_QUESTION.search(text))
    )


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DigestItem(_Record):
    """One mention, comment or inbox item as a digest shows it.

    Attributes:
        id: The record's id (an inbox item's key). ``platform``, ``text``, ``url``: its own.
        author: The author's handle, when known. ``created_at``: when it was written.
        kind: ``"comment"``, or the mention's kind.
        sentiment: -1..1, or ``None`` in a language the scorer does not know.
        question: Whether it asks something (`is_question`).
        answered: ``True``/``False`` for inbox items, ``None`` when unknown.
        topic: The topic id it fell in, or ``None``.
    """

    id: str
    platform: str
    text: str
    created_at: datetime
    author: str | None = None
    url: str | None = None
    kind: str | None = None
    sentiment: float | None = None
    question: bool = False
    answered: bool | None = None
    topic: int | None = None


class SentimentMix(_Record):
    """How many items of a topic were positive, neutral, negative, or in an unknown language."""

    positive: int = 0
    neutral: int = 0
    negative: int = 0
    unknown: int = 0

    @property
    def negative_share(self) -> float | None:
        """Negative items over scored items (``None`` when none was scored)."""
        scored = self.positive + self.neutral + self.negative
        return self.negative / scored if scored else None


class Topic(_Record):
    """A group of items on one subject in a digest.

    Attributes:
        id: The topic's number in this digest (0 is the largest this period).
        label: Its top keywords joined by ``" / "``. ``keywords``: the same, as a list.
        volume: Items this period. ``previous_volume``: in the period before.
        growth: ``volume / previous_volume - 1`` (``None`` when it was absent before).
        emerging: New, or grown by at least the digest's ``emerging_growth``.
        sentiment: The sentiment mix of this period's items.
        examples: A few of this period's items, negative and questions first.
        volumes: Items per bucket over both periods (see `Digest.buckets`).
        negatives: Negative items per bucket.
    """

    id: int
    label: str
    keywords: list[str]
    volume: int
    previous_volume: int
    growth: float | None
    emerging: bool
    sentiment: SentimentMix
    examples: list[DigestItem]
    volumes: list[int]
    negatives: list[int]


class Digest(_Record):
    """A period of mentions and comments, summarised: topics, what is new, what needs an answer.

    Attributes:
        start, end: The period (``start <= created_at < end``, UTC).
        previous_start: The start of the period compared with (it ends at ``start``).
        bucket: The width of one step of `Topic.volumes` (an hour, or a day).
        buckets: The start of each step, from ``previous_start`` to ``end``.
        total, previous_total: Items in this period and the one before.
        unassigned: This period's items in no topic (chatter, one-offs).
        topics: The largest topics of this period, largest first.
        needs_answer: Unanswered questions first, then unanswered negative items.
    """

    start: datetime
    end: datetime
    previous_start: datetime
    bucket: timedelta
    buckets: list[datetime]
    total: int
    previous_total: int
    unassigned: int
    topics: list[Topic]
    needs_answer: list[DigestItem]

    @property
    def new(self) -> list[Topic]:
        """The emerging topics: new, or growing fast."""
        return [topic for topic in self.topics if topic.emerging]

    def to_json(self) -> str:
        """The digest as JSON (`from_json` reads it back)."""
        return self.model_dump_json()

    @classmethod
    def from_json(cls, text: str | bytes) -> Digest:
        """A digest from `to_json`'s output."""
        return cls.model_validate_json(text)

    def __str__(self) -> str:
        lines = [
            f"Digest {self.start:%Y-%m-%d %H:%M} - {self.end:%Y-%m-%d %H:%M} UTC: "
            f"{self.total} items ({_change(self.total, self.previous_total)}), "
            f"{len(self.topics)} topics, {self.unassigned} in none",
            "",
            "Top topics:",
        ]
        for topic in self.topics:
            mix = topic.sentiment
            flag = "  NEW" if topic.emerging else ""
            lines.append(
                f"  {topic.volume:>5}  {topic.label}  "
                f"({_change(topic.volume, topic.previous_volume)}; "
                f"+{mix.positive} ={mix.neutral} -{mix.negative} ?{mix.unknown}){flag}"
            )
        lines += ["", "New:"]
        lines += [f"  {t.label} ({t.volume}, was {t.previous_volume})" for t in self.new] or [
            "  nothing"
        ]
        lines += ["", "Needs an answer:"]
        lines += [
            f"  {'?' if item.question else '!'} {item.created_at:%m-%d %H:%M} "
            f"{item.platform} {'@' + item.author if item.author else ''}: {_short(item.text)}"
            for item in self.needs_answer
        ] or ["  nothing"]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        cell = "border:1px solid #d0d7de;padding:2px 8px"
        rows = "".join(
            f"<tr><td style='{cell}'>{html.escape(t.label)}"
            f"{' <b>new</b>' if t.emerging else ''}</td>"
            f"<td style='{cell};text-align:right'>{t.volume}</td>"
            f"<td style='{cell}'>{html.escape(_change(t.volume, t.previous_volume))}</td>"
            f"<td style='{cell}'>+{t.sentiment.positive} ={t.sentiment.neutral} "
            f"-{t.sentiment.negative} ?{t.sentiment.unknown}</td>"
            f"<td style='{cell}'>{html.escape(_short(t.examples[0].text)) if t.examples else ''}"
            "</td></tr>"
            for t in self.topics
        )
        answers = "".join(
            f"<li>{'❓' if item.question else '⚠️'} {html.escape(item.platform)} "
            f"{html.escape('@' + item.author) if item.author else ''}: "
            f"{html.escape(_short(item.text))}</li>"
            for item in self.needs_answer
        )
        return (
            f"<div><b>Digest {self.start:%Y-%m-%d %H:%M} – {self.end:%Y-%m-%d %H:%M} UTC</b>: "
            f"{self.total} items ({html.escape(_change(self.total, self.previous_total))}), "
            f"{self.unassigned} in no topic"
            f"<table style='border-collapse:collapse'><tr><th style='{cell}'>topic</th>"
            f"<th style='{cell}'>volume</th><th style='{cell}'>vs before</th>"
            f"<th style='{cell}'>sentiment</th><th style='{cell}'>example</th></tr>{rows}</table>"
            f"<p><b>Needs an answer</b></p><ul>{answers or '<li>nothing</li>'}</ul></div>"
        )

    def plot(self, topics: int = 8) -> Any:
        """Topic volume per bucket over both periods, one line per topic (the ``plots`` extra).

        Returns a ``matplotlib.figure.Figure`` built without pyplot; notebooks show it.
        """
        require("matplotlib", "plots", "Digest.plot()")
        from .._figures import ShownFigure

        figure = ShownFigure(figsize=(9, 4), layout="constrained")
        ax: Any = figure.add_subplot()
        for topic in self.topics[:topics]:
            ax.plot(self.buckets, topic.volumes, marker=".", label=_short(topic.label, 40))
        ax.axvline(self.start, color="#888", linestyle="--", linewidth=1)
        ax.set_ylabel(f"items per {'hour' if self.bucket <= timedelta(hours=1) else 'day'}")
        ax.set_title("Topic volume (dashed: start of this period)")
        if ax.lines:
            ax.legend(fontsize="small", loc="upper left", prop={"family": _families()})
        figure.autofmt_xdate()
        return figure


_CJK_FONTS = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", "SimHei", "Heiti SC",
)  # fmt: skip


def _families() -> list[str]:
    """The default sans-serif font, then the first installed Chinese font for labels in Chinese."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return ["sans-serif", *(name for name in _CJK_FONTS if name in installed)][:2]


def _change(now: int, before: int) -> str:
    if before == 0:
        return "new" if now else "none before"
    return f"{(now / before - 1) * 100:+.0f}%"


def _short(text: str, width: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _period(period: timedelta | PeriodName) -> timedelta:
    if isinstance(period, timedelta):
        if period <= timedelta(0):
            raise ValueError("period must be positive")
        return period
    if period not in _PERIODS:
        raise ValueError(f"period must be a timedelta or one of {sorted(_PERIODS)}")
    return _PERIODS[period]


def _when(item: Any) -> datetime | None:
    moment: datetime | None = getattr(item, "created_at", None) or getattr(
        item, "fetched_at", None
    )
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _answered(item: Any) -> bool | None:
    stage = getattr(item, "stage", None)
    if stage is None:
        return None
    return str(stage) in ("replied", "ignored")


def _author(item: Any) -> str | None:
    author = getattr(item, "author", None)
    handle = getattr(author, "handle", None)
    return handle.lstrip("@") if isinstance(handle, str) else None


def _score(scorer: SentimentScorer, text: str) -> float | None:
    known = getattr(scorer, "sentiment", None)
    return known(text) if callable(known) else scorer.score(text)


def digest(
    items: Iterable[Any],
    period: timedelta | PeriodName = "week",
    *,
    end: datetime | None = None,
    model: TopicModel | None = None,
    scorer: SentimentScorer | None = None,
    top: int = 10,
    examples: int = 3,
    answers: int = 10,
    emerging_growth: float = 1.0,
    emerging_min: int = 3,
) -> Digest:
    """Summarise ``items`` over ``period``: topics, what is new, what needs an answer.

    Args:
        items: `Mention`, `Comment`, inbox items, monitor `Hit`s, or any object with ``text``,
            ``created_at`` (or ``fetched_at``), ``platform`` and ``id`` (or ``key``).
        period: ``"day"``, ``"week"``, ``"month"`` (30 days) or a ``timedelta``.
        end: The end of the period (default: just after the newest item).
        model: The `TopicModel` (default ``TopicModel()``; the ``insights`` extra).
        scorer: Sentiment scorer (default `LexiconScorer`; a scorer with a
            ``sentiment(text) -> float | None`` method can say "unknown language").
        top: How many topics to keep. ``examples``: examples per topic.
        answers: How many items to list as needing an answer.
        emerging_growth: A topic is emerging when it grew by at least this much
            (1.0: doubled), or is new; and has at least ``emerging_min`` items.
    """
    width = _period(period)
    dated = [(moment, item) for item in items if (moment := _when(item)) is not None]
    if end is None:
        newest = max((moment for moment, _ in dated), default=datetime.now(UTC))
        end = newest + timedelta(microseconds=1)
    start, previous_start = end - width, end - 2 * width
    window = [(m, item) for m, item in dated if previous_start <= m < end]
    scorer = scorer or LexiconScorer()
    rows = [_row(item, moment, scorer) for moment, item in window]
    found = (model or TopicModel()).cluster([row.text for row in rows])
    labels = list(found.labels)
    step = timedelta(hours=1) if width <= timedelta(days=2) else timedelta(days=1)
    count = math.ceil((end - previous_start) / step)
    buckets = [previous_start + i * step for i in range(count)]
    current = [i for i, row in enumerate(rows) if row.created_at >= start]
    topics = []
    for topic in range(found.k):
        members = [i for i, t in enumerate(labels) if t == topic]
        now = [i for i in members if rows[i].created_at >= start]
        if not now:
            continue
        before = len(members) - len(now)
        volumes, negatives = [0] * count, [0] * count
        for i in members:
            index = min(int((rows[i].created_at - previous_start) / step), count - 1)
            volumes[index] += 1
            negatives[index] += _negative(rows[i].sentiment)
        keywords = list(found.keywords[topic])
        topics.append(
            Topic(
                id=topic,
                label=" / ".join(keywords),
                keywords=keywords,
                volume=len(now),
                previous_volume=before,
                growth=len(now) / before - 1 if before else None,
                emerging=len(now) >= emerging_min
                and (before == 0 or len(now) >= (1 + emerging_growth) * before),
                sentiment=_mix(rows[i].sentiment for i in now),
                examples=_examples([rows[i] for i in now], topic, examples),
                volumes=volumes,
                negatives=negatives,
            )
        )
    topics.sort(key=lambda t: (-t.volume, t.id))
    waiting = [
        rows[i].model_copy(update={"topic": labels[i] if labels[i] >= 0 else None})
        for i in current
        if rows[i].answered is not True
        and (rows[i].question or _negative(rows[i].sentiment))
    ]
    waiting.sort(key=lambda r: (not r.question, r.answered is None, r.created_at))
    return Digest(
        start=start,
        end=end,
        previous_start=previous_start,
        bucket=step,
        buckets=buckets,
        total=len(current),
        previous_total=len(rows) - len(current),
        unassigned=sum(1 for i in current if labels[i] < 0),
        topics=topics[:top],
        needs_answer=waiting[:answers],
    )


def _row(item: Any, moment: datetime, scorer: SentimentScorer) -> DigestItem:
    text = str(getattr(item, "text", "") or "")
    ident = getattr(item, "key", None) or getattr(item, "id", None) or ""
    return DigestItem(
        id=str(ident),
        platform=str(getattr(item, "platform", "") or ""),
        text=text,
        created_at=moment,
        author=_author(item),
        url=getattr(item, "url", None),
        kind=kind if isinstance(kind := getattr(item, "kind", None), str) else None,
        sentiment=_score(scorer, text),
        question=is_question(text),
        answered=_answered(item),
    )


def _negative(score: float | None) -> bool:
    return score is not None and label(score) == "negative"


def _mix(scores: Iterable[float | None]) -> SentimentMix:
    counts = {"positive": 0, "neutral": 0, "negative": 0, "unknown": 0}
    for score in scores:
        counts["unknown" if score is None else label(score)] += 1
    return SentimentMix(**counts)


def _examples(rows: Sequence[DigestItem], topic: int, limit: int) -> list[DigestItem]:
    def rank(row: DigestItem) -> tuple[bool, bool, float]:
        return (not row.question, row.sentiment is None, row.sentiment or 0.0)

    return [row.model_copy(update={"topic": topic}) for row in sorted(rows, key=rank)[:limit]]
