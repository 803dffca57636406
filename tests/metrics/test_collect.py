"""Collection from clients into a table: sync and async, per-post errors recorded, stores."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path

import anyio
import pytest

from socialkit.errors import NotFound, RateLimited, Unsupported
from socialkit.metrics import Collection, MetricTable, acollect, collect
from socialkit.models import Metric, Post

from .conftest import T0, a_post, at


class FakeClient:
    """Implements what collect needs: post_metrics, account_metrics, posts(limit=)."""

    def __init__(self, name: str = "mastodon", *, account_metrics: bool = True) -> None:
        self.name = name
        self.calls: list[str] = []
        self.published = [a_post(name, str(i), at(0, i), text=f"post {i}") for i in range(5)]
        self._account = account_metrics

    def _post(self, post_id: str) -> list[Metric]:
        self.calls.append(post_id)
        if post_id == "gone":
            raise NotFound("no such post", platform=self.name)
        if post_id == "busy":
            raise RateLimited("slow down", platform=self.name, retry_after=30)
        return [
            Metric(
                platform=self.name,
                subject="post",
                subject_id=post_id,
                name="likes",
                value=len(post_id),
                collected_at=T0,
            ),
            Metric(
                platform=self.name,
                subject="post",
                subject_id=post_id,
                name="shares",
                value=1,
                collected_at=T0,
            ),
        ]

    def _followers(self) -> list[Metric]:
        if not self._account:
            raise Unsupported(f"{self.name} does not support account_metrics", platform=self.name)
        return [
            Metric(
                platform=self.name,
                subject="account",
                subject_id="me",
                name="followers",
                value=100,
                collected_at=T0,
            )
        ]

    def post_metrics(self, post_id: str) -> list[Metric]:
        return self._post(post_id)

    def account_metrics(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> list[Metric]:
        return self._followers()

    def posts(self, account: str | None = None, *, limit: int | None = None) -> Iterator[Post]:
        return itertools.islice(iter(self.published), limit)


class FakeAsyncClient(FakeClient):
    """The async variant; tracks how many calls run at once."""

    def __init__(self, name: str = "bluesky", **kw: bool) -> None:
        super().__init__(name, **kw)
        self.running = 0
        self.peak = 0

    async def post_metrics(self, post_id: str) -> list[Metric]:  # type: ignore[override]
        self.running += 1
        self.peak = max(self.peak, self.running)
        try:
            await anyio.sleep(0.01)
            return self._post(post_id)
        finally:
            self.running -= 1

    async def account_metrics(  # type: ignore[override]
        self, since: datetime | None = None, until: datetime | None = None
    ) -> list[Metric]:
        await anyio.sleep(0)
        return self._followers()

    def posts(  # type: ignore[override]
        self, account: str | None = None, *, limit: int | None = None
    ) -> AsyncIterator[Post]:
        async def listing() -> AsyncIterator[Post]:
            for post in self.published[:limit]:
                yield post

        return listing()


# -- sync ---------------------------------------------------------------------------------------


def test_collects_post_and_account_metrics() -> None:
    run = collect(FakeClient(), ["1", "22"])
    assert isinstance(run, Collection)
    assert (run.added, run.posts, run.accounts) == (5, 2, 1)
    assert run.table.summary()["likes"] == (3,)
    assert run.ok


def test_a_single_id_is_one_post_not_its_characters() -> None:
    client = FakeClient()
    collect(client, "123", accounts=False)
    assert client.calls == ["123"]


def test_accounts_false_skips_account_metrics() -> None:
    run = collect(FakeClient(), ["1"], accounts=False)
    assert run.table.names == ("likes", "shares")


def test_error_on_one_post_is_recorded_and_the_rest_collected() -> None:
    client = FakeClient()
    run = collect(client, ["1", "gone", "3"])
    assert client.calls == ["1", "gone", "3"]
    assert run.posts == 2
    (failure,) = run.errors
    assert (failure.platform, failure.operation, failure.subject_id) == (
        "mastodon",
        "post_metrics",
        "gone",
    )
    assert isinstance(failure.error, NotFound)
    assert not run.ok


def test_unsupported_account_metrics_are_recorded() -> None:
    run = collect(FakeClient(account_metrics=False), ["1"])
    (failure,) = run.errors
    assert failure.operation == "account_metrics"
    assert isinstance(failure.error, Unsupported)
    assert (
        str(failure)
        == "account_metrics on mastodon: [mastodon] mastodon does not support account_metrics"
    )


def test_a_bug_is_not_swallowed() -> None:
    client = FakeClient()
    client.post_metrics = lambda post_id: 1 / 0  # type: ignore[assignment,method-assign]
    with pytest.raises(ZeroDivisionError):
        collect(client, ["1"])


def test_posts_as_a_number_collects_the_latest_posts() -> None:
    run = collect(FakeClient(), 3)
    assert run.posts == 3
    assert run.table.post_info("mastodon", "2") is not None


def test_posts_given_as_posts_are_remembered_with_publish_time() -> None:
    run = collect(FakeClient(), [a_post("mastodon", "7", at(2), text="hello")])
    info = run.table.post_info("mastodon", "7")
    assert info is not None
    assert info.text == "hello"
    assert run.table.summary(by="day")["posts"] == (1,)


def test_posts_are_routed_to_the_client_of_their_platform() -> None:
    mastodon, x = FakeClient("mastodon"), FakeClient("x")
    collect([mastodon, x], [a_post("x", "1"), a_post("mastodon", "2")], accounts=False)
    assert (mastodon.calls, x.calls) == (["2"], ["1"])


def test_a_post_with_no_client_for_its_platform_is_refused_before_any_call() -> None:
    client = FakeClient("mastodon")
    with pytest.raises(ValueError, match="no client for post 1 on x"):
        collect(client, [a_post("mastodon", "2"), a_post("x", "1")])
    assert client.calls == []


def test_bare_ids_with_several_clients_are_ambiguous() -> None:
    with pytest.raises(ValueError, match="several clients"):
        collect([FakeClient("mastodon"), FakeClient("x")], ["1"])


def test_posts_per_client_as_a_mapping() -> None:
    first, second = FakeClient("mastodon"), FakeClient("mastodon")
    collect([first, second], {first: ["1"], second: 2}, accounts=False)
    assert (first.calls, second.calls) == (["1"], ["0", "1"])


def test_by_default_each_clients_latest_posts_are_collected() -> None:
    client = FakeClient()
    run = collect(client)
    assert run.posts == len(client.published)  # all five: fewer than DEFAULT_POSTS
    assert run.accounts == 1


def test_posts_per_client_as_the_first_argument() -> None:
    first, second = FakeClient("mastodon"), FakeClient("bluesky")
    run = collect({first: ["1"], second: 2}, accounts=False)
    assert (first.calls, second.calls) == (["1"], ["0", "1"])
    assert run.posts == 3


def test_posts_both_in_a_mapping_and_as_posts_is_refused() -> None:
    client = FakeClient()
    with pytest.raises(ValueError, match="not both"):
        collect({client: 1}, 2)
    assert client.calls == []


def test_something_that_is_not_a_client_is_refused_clearly() -> None:
    with pytest.raises(TypeError, match="not str"):
        collect(["mastodon"])  # type: ignore[list-item]


def test_async_collect_takes_posts_per_client_as_the_first_argument() -> None:
    client = FakeAsyncClient()
    run = anyio.run(lambda: acollect({client: ["1", "22"]}, accounts=False))
    assert run.posts == 2


def test_store_path_is_opened_appended_and_saved(tmp_path: Path) -> None:
    path = tmp_path / "metrics.db"
    collect(FakeClient(), ["1"], store=path)
    collect(FakeClient(), ["1"], store=path)
    assert len(MetricTable.open(path)) == 6


def test_store_table_is_appended_to() -> None:
    table = MetricTable()
    run = collect(FakeClient(), ["1"], store=table)
    assert run.table is table
    assert len(table) == 3


def test_collected_at_stamps_every_row() -> None:
    run = collect(FakeClient(), ["1"], collected_at=at(9))
    assert {m.collected_at for m in run.table} == {at(9)}


def test_sync_collect_runs_async_clients() -> None:
    run = collect(FakeAsyncClient(), ["1", "gone"])
    assert run.posts == 1
    assert run.errors[0].operation == "post_metrics"


# -- async --------------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_acollect_fetches_concurrently_within_the_limit() -> None:
    client = FakeAsyncClient()
    run = await acollect(client, [str(i) for i in range(12)], concurrency=4)
    assert run.posts == 12
    assert client.peak == 4


@pytest.mark.anyio
async def test_acollect_records_errors_and_continues() -> None:
    run = await acollect(FakeAsyncClient(), ["1", "gone", "busy", "4"])
    assert run.posts == 2
    assert {f.subject_id for f in run.errors} == {"gone", "busy"}
    assert {type(f.error) for f in run.errors} == {NotFound, RateLimited}


@pytest.mark.anyio
async def test_acollect_lists_the_latest_posts_of_an_async_client() -> None:
    run = await acollect(FakeAsyncClient(), 2)
    assert run.posts == 2
    assert run.table.post_info("bluesky", "1") is not None


@pytest.mark.anyio
async def test_acollect_runs_sync_clients_in_threads() -> None:
    run = await acollect([FakeClient("mastodon"), FakeAsyncClient("bluesky")], 2)
    assert run.posts == 4
    assert run.accounts == 2


@pytest.mark.anyio
async def test_sync_collect_with_async_client_inside_an_event_loop_is_refused() -> None:
    with pytest.raises(RuntimeError, match="await acollect"):
        collect(FakeAsyncClient(), ["1"])


@pytest.mark.anyio
async def test_acollect_refuses_a_concurrency_below_one() -> None:
    with pytest.raises(ValueError, match="concurrency"):
        await acollect(FakeAsyncClient(), ["1"], concurrency=0)


def test_a_naive_time_is_refused_before_any_request() -> None:
    client = FakeClient()
    with pytest.raises(ValueError, match="naive"):
        collect(client, since=datetime(2025, 3, 10))
    with pytest.raises(ValueError, match="collected_at"):
        collect(client, collected_at=datetime(2025, 3, 10))
    assert client.calls == []
