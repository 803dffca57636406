"""Crosspost: one draft adapted per platform, a dry-run plan, partial failures reported."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from socialkit import Draft, InvalidContent, MediaUpload, PlatformError
from socialkit.client import AsyncClient, Client
from socialkit.crosspost import acrosspost, crosspost, shorten
from socialkit.http import RetryPolicy
from socialkit.platform import Capability
from socialkit.providers.mastodon import Mastodon
from socialkit.testing import Sandbox
from socialkit.text import TextRules, count_mastodon

FAST = RetryPolicy(attempts=2, backoff=0.001, max_backoff=0.002)
LONG = (
    "We are opening our new repair café on Saturday! Bring anything broken: lamps, bikes, "
    "jackets, toasters. Our volunteers fix it with you, for free, and show you how. "
    "Doors open at 10:00 at the old library. Details: https://example.com/repair-cafe"
)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


class NoThreads(Mastodon):
    """A Mastodon-like platform without threads (so long texts are shortened)."""

    capabilities = frozenset(Capability) - {Capability.PUBLISH_THREAD, Capability.MODERATE}


def short(sandbox: Sandbox, limit: int, platform: type[Mastodon] = Mastodon) -> Client:
    """A client on ``sandbox`` whose instance allows ``limit`` characters."""
    settings = {"instance": sandbox.base_url, "access_token": "brand", "max_characters": limit}
    return Client(platform(**settings), transport=sandbox.transport(), retry=FAST)


def ashort(sandbox: Sandbox, limit: int) -> AsyncClient:
    settings = {"instance": sandbox.base_url, "access_token": "brand", "max_characters": limit}
    return AsyncClient(Mastodon(**settings), transport=sandbox.transport(), retry=FAST)


def sent_statuses(sandbox: Sandbox) -> list[str]:
    return [
        r.json["status"]
        for r in sandbox.requests
        if r.method == "POST" and r.path == "/api/v1/statuses"
    ]


@pytest.fixture
def sandboxes() -> tuple[Sandbox, Sandbox]:
    return Sandbox(), Sandbox()


@pytest.fixture
def clients(sandboxes: tuple[Sandbox, Sandbox]) -> Iterator[dict[str, Client]]:
    a, b = sandboxes
    pair = {"threads-ok": short(a, 100), "roomy": b.client(retry=FAST)}
    yield pair
    for client in pair.values():
        client.close()


def test_dry_run_sends_no_request(
    clients: dict[str, Client], sandboxes: tuple[Sandbox, Sandbox]
) -> None:
    plan = crosspost(LONG, clients, dry_run=True)
    assert [t.action for t in plan] == ["thread", "post"]
    assert all(s.requests == [] for s in sandboxes)


def test_plan_gives_texts_counts_and_calls(clients: dict[str, Client]) -> None:
    plan = crosspost(
        Draft(text=LONG).with_media(MediaUpload(data=PNG, filename="p.png")), clients, dry_run=True
    )
    thread = plan["threads-ok"]
    assert len(thread.parts) > 1
    assert all(part.count <= 100 for part in thread.parts)
    assert [part.count for part in thread.parts] == [count_mastodon(t) for t in thread.texts]
    assert thread.texts[0].endswith(f"(1/{len(thread.parts)})")
    assert thread.media_steps == ["upload p.png (image, image/png) → post 1"]
    assert thread.calls == len(thread.parts) + 1
    assert plan["roomy"].texts == [LONG]
    assert plan.calls == thread.calls + 2


def test_dry_run_plan_equals_what_a_real_run_sends(
    clients: dict[str, Client], sandboxes: tuple[Sandbox, Sandbox]
) -> None:
    plan = crosspost(LONG, clients, dry_run=True)
    result = crosspost(LONG, clients)
    assert result.ok
    for sandbox, target in zip(sandboxes, plan, strict=True):
        assert sent_statuses(sandbox) == target.texts
        posts = [r for r in sandbox.requests if r.method == "POST"]
        assert len(posts) == target.calls


@pytest.mark.anyio
async def test_async_dry_run_plan_equals_what_a_real_run_sends(
    sandboxes: tuple[Sandbox, Sandbox],
) -> None:
    a, b = sandboxes
    async with ashort(a, 100) as first, b.async_client(retry=FAST) as second:
        targets = {"a": first, "b": second}
        plan = await acrosspost(LONG, targets, dry_run=True)
        assert a.requests == []
        assert b.requests == []
        result = await acrosspost(LONG, targets)
    assert result.ok
    assert [sent_statuses(a), sent_statuses(b)] == [plan["a"].texts, plan["b"].texts]


def test_thread_parts_reply_to_each_other(
    clients: dict[str, Client], sandboxes: tuple[Sandbox, Sandbox]
) -> None:
    result = crosspost(LONG, clients)
    posts = result["threads-ok"].posts
    replies = [r.json.get("in_reply_to_id") for r in sandboxes[0].requests if r.method == "POST"]
    assert replies == [None, *(p.id for p in posts[:-1])]


def test_every_post_gets_its_own_stable_idempotency_key(
    clients: dict[str, Client], sandboxes: tuple[Sandbox, Sandbox]
) -> None:
    draft = Draft(text=LONG)
    crosspost(draft, clients)
    crosspost(draft, clients)  # the same draft again: every post is de-duplicated
    keys = [
        r.headers["idempotency-key"] for s in sandboxes for r in s.requests if r.method == "POST"
    ]
    assert len(set(keys)) == len(keys) // 2
    assert len(sandboxes[1].statuses(account="brand")) == 6 + 1  # seeded + one


def test_partial_failure_is_reported_and_does_not_stop_the_others(
    clients: dict[str, Client], sandboxes: tuple[Sandbox, Sandbox]
) -> None:
    sandboxes[1].fail_next(500, path="/api/v1/statuses")
    result = crosspost("Short and sweet", clients)
    assert not result.ok
    assert [r.target for r in result.succeeded] == ["threads-ok"]
    (failed,) = result.failed
    assert failed.target == "roomy"
    assert isinstance(failed.error, PlatformError)
    assert failed.error.status == 500
    assert sent_statuses(sandboxes[0]) == ["Short and sweet"]
    text = str(result)
    assert "1 of 2 target(s) published, 1 failed" in text
    assert "✗ roomy (mastodon): PlatformError" in text


@pytest.mark.anyio
async def test_async_partial_failure_is_reported(sandboxes: tuple[Sandbox, Sandbox]) -> None:
    a, b = sandboxes
    a.fail_next(500, path="/api/v1/statuses")
    async with a.async_client(retry=FAST) as first, b.async_client(retry=FAST) as second:
        result = await acrosspost("Hello both", {"a": first, "b": second})
    assert [(r.target, r.ok) for r in result] == [("a", False), ("b", True)]
    assert result["b"].post is not None
    assert sent_statuses(b) == ["Hello both"]


def test_failure_midway_through_a_thread_reports_what_was_published(
    sandboxes: tuple[Sandbox, Sandbox],
) -> None:
    sandbox = sandboxes[0]

    class FailsSecond(Client):
        def publish(self, draft):  # type: ignore[no-untyped-def]
            post = super().publish(draft)
            sandbox.fail_next(422, path="/api/v1/statuses")  # the next part is refused
            return post

    platform = Mastodon(instance=sandbox.base_url, access_token="brand", max_characters=100)
    with FailsSecond(platform, transport=sandbox.transport(), retry=FAST) as client:
        result = crosspost(LONG, {"a": client})
    target = result["a"]
    assert len(target.posts) == 1
    assert isinstance(target.error, InvalidContent)
    assert "after 1 of" in target.describe()


def test_platform_without_threads_gets_a_shortened_post_with_the_link(
    sandboxes: tuple[Sandbox, Sandbox],
) -> None:
    with short(sandboxes[0], 100, NoThreads) as client:
        plan = crosspost(LONG, {"nothreads": client}, dry_run=True)
        target = plan["nothreads"]
        assert target.action == "shortened"
        (text,) = target.texts
        assert text.endswith("… https://example.com/repair-cafe")
        assert target.parts[0].count <= 100
        result = crosspost(LONG, {"nothreads": client})
    assert result.ok
    assert sent_statuses(sandboxes[0]) == [text]


def test_overflow_shorten_shortens_even_where_threads_exist(
    clients: dict[str, Client],
) -> None:
    plan = crosspost(LONG, clients, overflow="shorten", dry_run=True)
    assert plan["threads-ok"].action == "shortened"


def test_overflow_fail_reports_that_target_and_publishes_the_rest(
    clients: dict[str, Client], sandboxes: tuple[Sandbox, Sandbox]
) -> None:
    result = crosspost(LONG, clients, overflow="fail")
    error = result["threads-ok"].error
    assert isinstance(error, InvalidContent)
    assert (error.rule, error.limit) == ("max_length", 100)
    assert result["roomy"].ok
    assert sent_statuses(sandboxes[0]) == []


def test_clients_given_as_a_list_are_labelled_by_platform(
    sandboxes: tuple[Sandbox, Sandbox],
) -> None:
    a, b = sandboxes
    with a.client() as first, b.client() as second:
        plan = crosspost("Hi", [first, second], dry_run=True)
    assert [t.target for t in plan] == ["mastodon", "mastodon#2"]


def test_plan_and_result_render_as_text_and_escaped_html(clients: dict[str, Client]) -> None:
    plan = crosspost("<b>bold</b> move", clients, dry_run=True)
    assert str(plan).splitlines()[0] == "crosspost plan: 2 target(s), 2 call(s)"
    assert "&lt;b&gt;bold&lt;/b&gt;" in plan._repr_html_()
    result = crosspost("<b>bold</b> move", clients)
    assert "<b>bold" not in result._repr_html_()
    assert str(result).startswith("crosspost: 2 of 2 target(s) published")


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("one two three four five six", 15, "one two three…"),
        (
            "Read this first, then more: https://example.com/x and so on",
            40,
            "Read this first… https://example.com/x",
        ),  # the link counts 23
        ("fits", 10, "fits"),
    ],
)
def test_shorten_cuts_at_a_word_and_keeps_the_link(text: str, limit: int, expected: str) -> None:
    rules = TextRules(max_length=limit, count=count_mastodon)
    assert shorten(text, rules) == expected
    assert rules.fits(shorten(text, rules))


def test_shorten_refuses_when_the_link_alone_does_not_fit() -> None:
    with pytest.raises(InvalidContent):
        shorten("see https://example.com/x", TextRules(max_length=10))
