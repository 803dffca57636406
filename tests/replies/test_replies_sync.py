"""Inbox sync against the sandbox: incremental, de-duplicated, never the brand's own posts."""

from __future__ import annotations

from pathlib import Path

import pytest
from replies_support import FAST, calls

from socialkit.client import AsyncClient, Client
from socialkit.models import Comment, Mention
from socialkit.replies import Inbox, InboxStore, Stage
from socialkit.testing import Sandbox


def test_first_sync_reads_comments_and_mentions_as_new_items(inbox: Inbox) -> None:
    report = inbox.refresh()

    texts = {item.text for item in report.new}
    assert "@brand Do you ship to Canada? My last order took three weeks 😕" in texts
    assert "Just got my order from @brand and the packaging is lovely. #unboxing" in texts
    assert all(item.stage is Stage.NEW for item in report.new)


def test_a_reply_seen_as_comment_and_as_mention_is_one_item(inbox: Inbox) -> None:
    report = inbox.refresh()

    canada = [i for i in inbox.items() if "Canada" in i.text]
    assert len(canada) == 1
    assert canada[0].sources == {"comment", "mention"}
    assert report.duplicates == 6  # every seeded reply to a brand post arrives both ways


def test_items_keep_their_original_model_as_reply_target(inbox: Inbox) -> None:
    inbox.refresh()

    item = next(i for i in inbox.items() if "packaging" in i.text)
    assert isinstance(item.target, Mention)
    assert item.target.raw is not None  # the payload survives the store (visibility, ...)
    reply = next(i for i in inbox.items() if "Canada" in i.text)
    assert isinstance(reply.target, Comment)


def test_the_brands_own_posts_and_replies_are_never_items(inbox: Inbox) -> None:
    inbox.refresh()

    assert all(item.handle != "brand" for item in inbox.items())


def test_second_sync_with_nothing_new_makes_two_calls(inbox: Inbox, sandbox: Sandbox) -> None:
    inbox.refresh()
    before = len(sandbox.requests)

    report = inbox.refresh()

    assert len(report) == 0
    assert calls(sandbox, before) == [
        "GET /api/v1/accounts/1/statuses",
        "GET /api/v1/notifications",
    ]


def test_second_sync_reads_only_the_post_that_got_a_new_comment(
    inbox: Inbox, sandbox: Sandbox, client: Client
) -> None:
    inbox.refresh()
    post = client.posts().first(1)[0]
    sandbox.simulate_reply(post.id, "Is this available in blue?", author="bob")
    before = len(sandbox.requests)

    report = inbox.refresh()

    assert [i.text for i in report.new] == ["Is this available in blue?"]
    assert report.new[0].sources == {"comment", "mention"}
    assert calls(sandbox, before) == [
        "GET /api/v1/accounts/1/statuses",
        f"GET /api/v1/statuses/{post.id}/context",
        "GET /api/v1/notifications",
    ]
    assert sandbox.requests[-1].param("since_id") is not None


def test_second_sync_asks_for_mentions_after_the_newest_seen(
    inbox: Inbox, sandbox: Sandbox
) -> None:
    inbox.refresh()
    newest = inbox.store.cursor(inbox.items()[0].account, "mentions")
    sandbox.simulate_mention("hello from a new fan", author="dora")
    before = len(sandbox.requests)

    report = inbox.refresh()

    assert [i.handle for i in report.new] == ["dora"]
    assert calls(sandbox, before) == [
        "GET /api/v1/accounts/1/statuses",
        "GET /api/v1/notifications",
    ]
    assert sandbox.requests[-1].param("since_id") == newest


def test_cursors_survive_a_restart(client: Client, sandbox: Sandbox, db: Path) -> None:
    with InboxStore(db) as store:
        Inbox([client], store, backfill=100).refresh()
    sandbox.simulate_mention("still there?", author="dora")
    before = len(sandbox.requests)

    with InboxStore(db) as store:
        report = Inbox([client], store, backfill=100).refresh()

    assert [i.handle for i in report.new] == ["dora"]
    assert calls(sandbox, before) == [
        "GET /api/v1/accounts/verify_credentials",
        "GET /api/v1/accounts/1/statuses",
        "GET /api/v1/notifications",
    ]


def test_catch_up_starts_from_now(inbox: Inbox, sandbox: Sandbox) -> None:
    inbox.catch_up()
    sandbox.simulate_mention("first one after catching up", author="dora")

    report = inbox.refresh()

    assert [i.handle for i in report.new] == ["dora"]
    assert len(inbox.items()) == 1


def test_language_and_sentiment_are_read_at_sync(inbox: Inbox) -> None:
    inbox.refresh()

    chinese = next(i for i in inbox.items() if "发货" in i.text)
    assert chinese.language == "zh"
    canada = next(i for i in inbox.items() if "Canada" in i.text)
    assert canada.sentiment < 0


def test_named_accounts_label_their_items(client: Client, store: InboxStore) -> None:
    Inbox({"main": client}, store, backfill=100).refresh()

    assert {i.account for i in store.items()} == {"main"}


@pytest.mark.anyio
async def test_async_sync_is_incremental_too(async_client: AsyncClient, sandbox: Sandbox) -> None:
    inbox = Inbox([async_client], backfill=100)
    first = await inbox.arefresh()
    sandbox.simulate_mention("async hello", author="dora")
    before = len(sandbox.requests)

    second = await inbox.arefresh()

    assert len(first) == 6
    assert [i.handle for i in second.new] == ["dora"]
    assert calls(sandbox, before) == [
        "GET /api/v1/accounts/1/statuses",
        "GET /api/v1/notifications",
    ]
    await async_client.aclose()


def test_sync_refuses_async_clients(async_client: AsyncClient) -> None:
    with pytest.raises(TypeError, match="async"):
        Inbox([async_client], backfill=100).refresh()


def test_a_failing_account_does_not_stop_the_others(client: Client) -> None:
    broken = Sandbox()
    broken.fail_next(503, times=20, path="/api/v1/notifications")
    with broken.client(retry=FAST) as other:
        inbox = Inbox({"ok": client, "down": other}, backfill=100)

        report = inbox.refresh()

    assert list(report.errors) == ["down"]
    assert report.errors["down"].status == 503
    assert {i.account for i in report.new} == {"ok"}
    assert inbox.store.cursor("down", "mentions") is None  # retried from the same point
