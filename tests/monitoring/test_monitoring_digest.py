"""Digests: topics vs the last period, what is new, what needs an answer; text, HTML, JSON, plot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

pytest.importorskip("sklearn")
pytest.importorskip("jieba")

from topic_data import labelled

from socialkit.client import Client
from socialkit.models import Account, Comment, Mention
from socialkit.monitoring import Digest, ScriptDetector, digest, is_question
from socialkit.monitoring.sentiment import LexiconScorer
from socialkit.replies.items import InboxItem, Stage
from socialkit.testing import Sandbox

END = datetime(2026, 3, 15, tzinfo=UTC)
OLD = {"refund", "delivery", "battery", "login"}


def _mention(n: int, text: str, at: datetime) -> Mention:
    return Mention(
        platform="mastodon",
        id=str(n),
        kind="mention",
        author=Account(platform="mastodon", id=f"a{n}", handle=f"user{n}"),
        text=text,
        created_at=at,
        url=f"https://social.example/@user{n}/{n}",
    )


def _items() -> list[Mention]:
    """Last week: four topics. This week: the same four, and camera and support appear."""
    texts, truth = labelled()
    items = []
    for n, (text, topic) in enumerate(zip(texts, truth, strict=True)):
        if topic in OLD:
            items.append(_mention(n, text, END - timedelta(days=10, hours=n % 90)))
            items.append(_mention(n + 1000, text, END - timedelta(days=2, hours=n % 90)))
        elif topic in ("camera", "support"):
            items.append(_mention(n, text, END - timedelta(days=1, hours=n % 100)))
    return items


@pytest.fixture(scope="module")
def report() -> Digest:
    return digest(_items(), "week", end=END, scorer=LexiconScorer(detector=ScriptDetector()))


def test_periods_and_totals(report: Digest) -> None:
    assert report.start == END - timedelta(days=7)
    assert report.previous_start == END - timedelta(days=14)
    assert report.previous_total == 120
    assert report.total == 180
    assert report.bucket == timedelta(days=1)
    assert len(report.buckets) == 14


def test_topics_new_this_week_are_flagged_as_emerging(report: Digest) -> None:
    new_words = {w for topic in report.new for w in topic.keywords}
    assert new_words & {"camera", "相机", "photos"}
    assert new_words & {"客服", "support", "customer"}
    assert any(topic.previous_volume == 0 for topic in report.new)
    assert all(topic.volume >= 2 * topic.previous_volume for topic in report.new)
    refund = next(t for t in report.topics if "refund" in t.keywords)
    assert not refund.emerging


def test_steady_topics_are_not_emerging_and_have_a_trend(report: Digest) -> None:
    steady = [t for t in report.topics if not t.emerging]
    assert steady
    for topic in steady:
        assert topic.previous_volume > 0
        assert topic.growth == pytest.approx(topic.volume / topic.previous_volume - 1)
        assert sum(topic.volumes) == topic.volume + topic.previous_volume


def test_topics_are_largest_first_with_sentiment_and_examples(report: Digest) -> None:
    volumes = [t.volume for t in report.topics]
    assert volumes == sorted(volumes, reverse=True)
    for topic in report.topics:
        mix = topic.sentiment
        assert mix.positive + mix.neutral + mix.negative + mix.unknown == topic.volume
        assert 1 <= len(topic.examples) <= 3
        assert all(e.topic == topic.id for e in topic.examples)


def test_questions_come_first_in_needs_an_answer(report: Digest) -> None:
    flags = [item.question for item in report.needs_answer]
    assert flags[0] is True
    assert flags == sorted(flags, reverse=True)
    assert all(item.created_at >= report.start for item in report.needs_answer)


def test_inbox_items_answered_or_ignored_do_not_need_an_answer() -> None:
    now = END - timedelta(hours=1)

    def item(key: str, text: str, stage: Stage) -> InboxItem:
        target = Comment(
            platform="mastodon", id=key, thread_root_id="p1", text=text, created_at=now
        )
        return InboxItem(
            key=f"mastodon:{key}", platform="mastodon", account="brand",
            sources=frozenset({"comment"}), kind="comment", target=target, text=text,
            author=None, created_at=now, url=None, thread_root_id="p1", language="en",
            sentiment=0.0,
            stage=stage, fetched_at=now, updated_at=now,
        )  # fmt: skip

    items = [
        item("1", "When do you open tomorrow?", Stage.NEW),
        item("2", "Where is my refund?", Stage.REPLIED),
        item("3", "Is the shop open on Sunday?", Stage.IGNORED),
        item("4", "The app is terrible and broken", Stage.TRIAGED),
    ]
    report = digest(items, "day", end=END, scorer=LexiconScorer(detector=ScriptDetector()))
    assert [i.id for i in report.needs_answer] == ["mastodon:1", "mastodon:4"]
    assert report.needs_answer[0].answered is False


def test_an_unknown_language_counts_as_unknown_sentiment_not_neutral() -> None:
    texts = ["Die Lieferung ist kaputt", "Wann kommt mein Geld zurück?",
             "Die Lieferung ist zu spät", "Mein Geld ist noch nicht zurück",
             "Die Lieferung ist eine Frechheit"]  # fmt: skip
    items = [_mention(n, text, END - timedelta(hours=n + 1)) for n, text in enumerate(texts)]
    report = digest(items, "day", end=END, scorer=LexiconScorer(detector=ScriptDetector()))
    assert report.topics
    assert all(t.sentiment.unknown == t.volume for t in report.topics)
    assert all(t.sentiment.neutral == 0 for t in report.topics)


def test_json_round_trip(report: Digest) -> None:
    assert Digest.from_json(report.to_json()) == report


def test_text_shows_topics_new_and_answers(report: Digest) -> None:
    text = str(report)
    assert "Top topics:" in text
    assert "New:" in text
    assert "Needs an answer:" in text
    assert report.topics[0].label in text
    assert "NEW" in text


def test_html_escapes_what_people_wrote() -> None:
    text = "<script>alert(1)</script> is the refund late?"
    items = [_mention(n, text, END - timedelta(hours=n)) for n in range(1, 6)]
    html = digest(items, "day", end=END)._repr_html_()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_plot_draws_one_line_per_topic(report: Digest) -> None:
    pytest.importorskip("matplotlib")
    figure = report.plot(topics=3)
    assert len(figure.axes[0].get_legend().get_texts()) == 3


def test_period_names_and_bad_periods() -> None:
    assert digest([], "day", end=END).bucket == timedelta(hours=1)
    with pytest.raises(ValueError, match="period"):
        digest([], "fortnight", end=END)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="positive"):
        digest([], timedelta(0), end=END)


def test_an_empty_store_gives_an_empty_digest() -> None:
    report = digest([], "week", end=END)
    assert (report.total, report.topics, report.needs_answer) == (0, [], [])
    assert "nothing" in str(report)


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("When do you open tomorrow", True),
        ("@acme can I pay by card", True),
        ("发货了吗", True),
        ("退款什么时候到账", True),
        ("怎么改地址", True),
        ("Love the new camera!", False),
        ("物流很快", False),
        ("Wann öffnet ihr morgen?", True),
    ],
)
def test_is_question(text: str, question: bool) -> None:
    assert is_question(text) is question


def test_without_the_insights_extra_the_error_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from socialkit.metrics import MissingDependency

    monkeypatch.setitem(sys.modules, "sklearn.feature_extraction.text", None)
    with pytest.raises(MissingDependency, match=r"pip install 'socialkit\[insights\]'"):
        digest(_items()[:10], "week", end=END)


def test_plot_without_matplotlib_names_the_plots_extra(
    report: Digest, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from socialkit.metrics import MissingDependency

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(MissingDependency, match=r"socialkit\[plots\]"):
        report.plot()


def test_digest_of_mentions_read_from_the_sandbox(client: Client, sandbox: Sandbox) -> None:
    texts, truth = labelled()
    wanted = [t for t, topic in zip(texts, truth, strict=True) if topic in ("refund", "battery")]
    for n, text in enumerate(wanted):
        sandbox.simulate_mention(text, author=f"fan{n % 7}")
    mentions = list(client.mentions())
    report = digest(mentions, "day", scorer=LexiconScorer(detector=ScriptDetector()))
    assert report.total >= len(wanted)
    words = {w for topic in report.topics for w in topic.keywords}
    assert {"refund", "退款", "battery", "电池"} <= words
    first = report.needs_answer[0]
    assert first.question
    assert first.author is not None
    assert first.url is not None
