"""The monitor against the sandbox: queries, de-duplication, series, alerts (sync and async)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from socialkit.client import AsyncClient, Client
from socialkit.errors import ConfigError
from socialkit.http import RetryPolicy
from socialkit.models import Post, ResultPage
from socialkit.monitoring import Alert, CrisisPolicy, Monitor, Query, SpikeDetector
from socialkit.platform import PageFlow
from socialkit.providers.mastodon import Mastodon
from socialkit.testing import Sandbox

FAST = RetryPolicy(attempts=3, backoff=0.001, max_backoff=0.005)


class Fedi(Mastodon):
    """The Mastodon provider under another platform name: a second network.

    (Mastodon's parsers label every record ``mastodon``, so search results are relabelled.)
    """

    name = "fedi"

    def search(
        self, query: str, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Post]:
        page = yield from super().search(query, cursor)
        items = [post.model_copy(update={"platform": self.name}) for post in page.items]
        return ResultPage(items=items, next_cursor=page.next_cursor)


def small_detector() -> SpikeDetector:
    return SpikeDetector(window=12, warmup=6)


def test_queries_find_their_posts(client: Client) -> None:
    monitor = Monitor([client], ["#unboxing", "@brand", "Canada", Query.mentions()])

    found = monitor.poll().by_query()

    assert [h.text for h in found["#unboxing"]] == [
        "Just got my order from @brand and the packaging is lovely. #unboxing"
    ]
    assert len(found["@brand"]) == 6
    assert [h.author.handle for h in found["Canada"] if h.author] == ["bob"]
    assert len(found["mentions"]) == 6
    assert found["Canada"][0].polarity == "negative"


def test_the_brands_own_posts_are_not_hits(client: Client) -> None:
    report = Monitor([client], ["#socialkit", "spring*"]).poll()

    assert all(h.author is None or h.author.handle != "brand" for h in report.hits)


def test_a_second_poll_returns_only_new_hits(client: Client, sandbox: Sandbox) -> None:
    monitor = Monitor([client], ["@brand", Query.mentions()])
    monitor.poll()
    sandbox.simulate_mention("new here, hello!", author="dora")

    report = monitor.poll()

    assert sorted((h.query, h.text) for h in report.hits) == [
        ("@brand", "@brand new here, hello!"),
        ("mentions", "@brand new here, hello!"),
    ]
    assert sandbox.requests[-1].param("since_id") is not None


def test_the_same_post_found_twice_counts_once(client: Client, sandbox: Sandbox) -> None:
    monitor = Monitor([client, client], ["@brand"])

    report = monitor.poll()

    assert len(report.hits) == 6


def test_a_cross_post_on_another_platform_counts_once(sandbox: Sandbox) -> None:
    other = Sandbox()
    mastodon = sandbox.client(retry=FAST)
    fedi = Fedi(instance=other.base_url, access_token="brand")

    with Client(fedi, transport=other.transport(), retry=FAST) as second:
        monitor = Monitor([mastodon, second], ["#SpringLaunch"])
        monitor.poll()
        sandbox.simulate_mention(
            "Loving the #SpringLaunch colours! https://a.example/1", author="zoe"
        )
        other.simulate_mention(
            "Loving the #SpringLaunch colours!! https://b.example/2", author="zoe"
        )
        other.simulate_mention("Totally different take on #SpringLaunch", author="zoe")

        report = monitor.poll()

    assert report.duplicates == 1
    texts = sorted(h.text for h in report.hits)
    assert len(texts) == 2
    folded = next(h for h in report.hits if "Loving" in h.text)
    assert len(folded.duplicates) == 1
    assert folded.duplicates[0].split(":")[0] != folded.platform


def test_volume_series_buckets_hits_by_time(client: Client, sandbox: Sandbox) -> None:
    monitor = Monitor([client], [Query.mentions()], bucket=timedelta(days=1))

    monitor.poll()
    series = monitor.series("mentions")

    assert [b.start.date().isoformat() for b in series] == [
        "2025-01-07",
        "2025-01-08",
        "2025-01-09",
        "2025-01-10",
    ]
    assert [(b.volume, b.negative) for b in series] == [(3, 0), (1, 1), (0, 0), (2, 0)]
    assert len(monitor.series("mentions", fill=False)) == 3


def _burst(sandbox: Sandbox, poll: object, polls: int = 8) -> None:
    poll()  # type: ignore[operator]
    for n in range(polls):
        for k in range(2):
            sandbox.simulate_mention("love the new colours", author=f"fan{n}x{k}")
        poll()  # type: ignore[operator]
    for n in range(20):
        sandbox.simulate_mention("terrible service, I want a refund 😡", author=f"angry{n}")


def test_a_burst_of_negative_mentions_alerts_and_pauses_the_calendar(
    client: Client, sandbox: Sandbox
) -> None:
    paused: list[str] = []

    class Calendar:
        def pause(self, reason: str, until: datetime | None = None) -> None:
            paused.append(reason)

        def resume(self) -> None:
            paused.append("resumed")

    monitor = Monitor([client], [Query.mentions()], detector=small_detector)
    alerts: list[Alert] = []
    monitor.on_alert(alerts.append)
    policy = CrisisPolicy(calendar=Calendar())
    monitor.on_alert(policy)
    _burst(sandbox, monitor.poll)

    report = monitor.poll()

    assert report.alerts == alerts
    assert [(a.kind, a.severity) for a in alerts] == [("volume", "crisis")]
    assert alerts[0].negative == 20
    assert len(alerts[0].samples) == 5
    assert paused == [f"crisis: {alerts[0].summary}"]
    assert policy.active is not None


def test_steady_polls_raise_nothing(client: Client, sandbox: Sandbox) -> None:
    monitor = Monitor([client], [Query.mentions()], detector=small_detector)
    monitor.poll()

    for n in range(15):
        sandbox.simulate_mention("nice", author=f"fan{n}")
        assert monitor.poll().alerts == []


def test_the_first_poll_is_a_baseline_not_a_burst(client: Client) -> None:
    monitor = Monitor([client], [Query.mentions()], detector=lambda: SpikeDetector(warmup=3))

    assert monitor.poll().alerts == []


def test_query_names_must_be_unique(client: Client) -> None:
    with pytest.raises(ConfigError, match="unique"):
        Monitor([client], ["#a", Query.keyword("x", name="#a")])


def test_queries_parse_from_strings() -> None:
    assert Query.parse("#Tag").kind == "hashtag"
    assert Query.parse("@brand").search_text == "@brand"
    assert Query.parse("refund*").search_text == "refund"
    assert Query.parse("refund*").matches("Refunds please")
    assert not Query.parse("#tag").matches("no tag here: tag")
    assert not Query.parse("@bran").matches("@brand hi")


def test_platforms_narrow_a_query(client: Client, sandbox: Sandbox) -> None:
    monitor = Monitor([client], [Query.keyword("Canada", platforms=["bluesky"])])

    assert monitor.poll().hits == []
    assert all(r.path != "/api/v2/search" for r in sandbox.requests)


@pytest.mark.anyio
async def test_apoll_alerts_and_awaits_coroutine_handlers(
    async_client: AsyncClient, sandbox: Sandbox
) -> None:
    seen: list[Alert] = []

    async def handler(alert: Alert) -> None:
        seen.append(alert)

    monitor = Monitor(
        [async_client],
        [Query.mentions()],
        detector=small_detector,
        clock=lambda: datetime(2025, 1, 6, tzinfo=UTC),
    )
    monitor.on_alert(handler)
    await monitor.apoll()
    for n in range(8):
        for k in range(2):
            sandbox.simulate_mention("love it", author=f"fan{n}x{k}")
        await monitor.apoll()
    for n in range(20):
        sandbox.simulate_mention("worst support ever 😡", author=f"angry{n}")

    report = await monitor.apoll()

    assert [a.severity for a in report.alerts] == ["crisis"]
    assert seen == report.alerts
    await async_client.aclose()


def test_poll_refuses_async_clients(async_client: AsyncClient) -> None:
    with pytest.raises(TypeError, match="apoll"):
        Monitor([async_client], ["x"]).poll()


def test_a_failing_query_is_reported_and_the_others_still_count(
    client: Client, sandbox: Sandbox
) -> None:
    monitor = Monitor([client], ["Canada", Query.mentions()])
    sandbox.fail_next(500, times=20, path="/api/v2/search")

    report = monitor.poll()

    assert [(where, error.status) for where, error in report.errors] == [("mastodon: Canada", 500)]
    assert len(report.by_query()["mentions"]) == 6
