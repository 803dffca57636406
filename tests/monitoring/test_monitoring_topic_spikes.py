"""Spikes per topic: a burst inside one topic that the total volume does not flag."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from socialkit.monitoring import CrisisPolicy, SpikeDetector, TopicSpikes

START = datetime(2026, 3, 1, tzinfo=UTC)
TOPICS = ["refund", "delivery", "battery", "login", "price", "support", "camera", "other"]


def _hours() -> list[dict[str, tuple[int, int]]]:
    """36 calm hours (each topic 7-13 items, a few negative), then battery bursts to 35."""
    rng = random.Random(7)
    hours = []
    for hour in range(40):
        counts = {}
        for topic in TOPICS:
            volume = rng.randint(7, 13)
            counts[topic] = (volume, rng.randint(0, 3))
        if hour == 36:
            counts["battery"] = (35, 28)
        hours.append(counts)
    return hours


def test_a_burst_in_one_topic_fires_where_the_total_does_not() -> None:
    total, per_topic = SpikeDetector(), TopicSpikes()
    total_alarms, topic_alerts = [], []
    for hour, counts in enumerate(_hours()):
        at = START + timedelta(hours=hour)
        volume = sum(v for v, _ in counts.values())
        negative = sum(n for _, n in counts.values())
        total_alarms += total.update(volume, negative, at)
        topic_alerts += per_topic.update(counts, at)
    assert total_alarms == []
    assert [(a.query, a.at) for a in topic_alerts if a.kind == "volume"] == [
        ("topic: battery", START + timedelta(hours=36))
    ]
    assert all(a.query == "topic: battery" for a in topic_alerts)
    assert {a.severity for a in topic_alerts} == {"crisis"}  # 28 of 35 negative


def test_calm_topics_raise_nothing() -> None:
    spikes = TopicSpikes()
    hours = enumerate(_hours()[:36])
    alerts = [a for h, c in hours for a in spikes.update(c, START + timedelta(hours=h))]
    assert alerts == []
    assert set(spikes.detectors) == set(TOPICS)


def test_a_topic_missing_from_a_poll_counts_as_zero() -> None:
    spikes = TopicSpikes(lambda: SpikeDetector(warmup=3, window=5))
    spikes.update({"refund": (10, 0)}, START)
    spikes.update({}, START + timedelta(hours=1))
    assert list(spikes.detectors["refund"]._volumes) == [10.0, 0.0]


def test_topic_alerts_pause_the_calendar_through_crisis_policy() -> None:
    class Calendar:
        def __init__(self) -> None:
            self.paused: list[str] = []

        def pause(self, reason: str, until: datetime | None = None) -> None:
            self.paused.append(reason)

        def resume(self) -> None:
            pass

    calendar = Calendar()
    policy = CrisisPolicy(calendar=calendar)
    spikes = TopicSpikes()
    for hour, counts in enumerate(_hours()):
        for alert in spikes.update(counts, START + timedelta(hours=hour)):
            policy(alert)
    assert len(calendar.paused) == 1
    assert "battery" in calendar.paused[0]


def test_scan_runs_on_a_digest() -> None:
    pytest.importorskip("sklearn")
    pytest.importorskip("jieba")
    from socialkit.models import Mention
    from socialkit.monitoring import ScriptDetector, digest
    from socialkit.monitoring.sentiment import LexiconScorer

    calm = {
        "refund": ["Still waiting for my refund", "refund request not answered", "退款还没到账"],
        "delivery": ["parcel tracking not updated", "delivery late again", "快递还没到"],
        "camera": ["night photos look great", "camera app is slow", "相机拍照很清楚"],
    }
    from topic_data import labelled

    texts, truth = labelled()
    burst = [t for t, topic in zip(texts, truth, strict=True) if topic == "battery"]
    items, n = [], 0
    end = START + timedelta(days=2)
    for hour in range(48):
        at = START + timedelta(hours=hour, minutes=1)
        now = [t for group in calm.values() for t in group]
        now += ["battery ok today"] if hour % 6 == 0 else []
        now += burst * 3 if hour == 46 else []
        for text in now:
            n += 1
            mention = Mention(platform="x", id=str(n), kind="mention", text=text, created_at=at)
            items.append(mention)
    scorer = LexiconScorer(detector=ScriptDetector())
    report = digest(items, "day", end=end, scorer=scorer, top=20)
    alerts = TopicSpikes(lambda: SpikeDetector(warmup=12, min_volume=5)).scan(report)
    assert alerts
    assert {a.at for a in alerts} == {START + timedelta(hours=46)}
    assert all(a.samples for a in alerts)
    sampled = {text for alert in alerts for _, text in alert.samples}
    assert sampled <= {*burst, "battery ok today"}  # the topics that fired are the burst's
