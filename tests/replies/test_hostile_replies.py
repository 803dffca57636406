"""A reply whose 2xx answer cannot be read is uncertain, reconciled, never sent twice."""

from __future__ import annotations

import httpx
from replies_support import T0
from tests.providers.x.conftest import FakeX

import socialkit as sk
from socialkit.models import Account, Mention
from socialkit.providers.x import X, XSettings
from socialkit.replies import Inbox, InboxItem, Stage

FAST = sk.RetryPolicy(backoff=0.0, max_backoff=0.0)


class GarbledX(FakeX):
    """X that posts the reply but answers the POST with 200 and an unreadable body."""

    def _create(self, request: httpx.Request, _: None) -> httpx.Response:
        super()._create(request, _)
        return httpx.Response(200, content=b"<html><body>upstream said something</body>")


def _mention(fake: FakeX) -> InboxItem:
    """A fan's post mentioning the brand, stored as an approved inbox item."""
    fan = Account(platform="x", id="42", handle="fan")
    fake.posts["1500"] = {
        "id": "1500",
        "text": "@brand help?",
        "author_id": "42",
        "conversation_id": "1500",
        "created_at": "2021-01-06T18:40:40.000Z",
        "edit_history_tweet_ids": ["1500"],
    }
    target = Mention(platform="x", id="1500", kind="mention", author=fan, text="@brand help?")
    return InboxItem(
        key="x:1500",
        platform="x",
        account="brand",
        sources=frozenset({"mention"}),
        kind="mention",
        target=target,
        text=target.text,
        author=fan,
        created_at=T0,
        url=None,
        thread_root_id=None,
        language="en",
        sentiment=0.0,
        stage=Stage.NEW,
        fetched_at=T0,
        updated_at=T0,
    )


def _posts(fake: FakeX) -> int:
    return sum(1 for r in fake.requests if r.method == "POST" and r.url.path == "/2/tweets")


def test_an_unreadable_answer_to_a_reply_is_reconciled_and_never_resent() -> None:
    fake = GarbledX()
    platform = X(XSettings(access_token="user-token", user_id=fake.me["id"]))
    client = sk.Client(platform, transport=fake.transport(), retry=FAST)
    inbox = Inbox({"brand": client}, backfill=100)
    item = _mention(fake)
    inbox.store.add([item])
    inbox.draft_reply(item, "On it!", by="bot", approve_as="bot")

    first = inbox.send()
    again = inbox.send(retry_failed=True)

    assert first.failed == []
    assert [i.key for i in first.reconciled] == ["x:1500"]
    assert again.outcomes == []
    assert _posts(fake) == 1
    assert inbox.get(item).stage is Stage.REPLIED


def test_a_thread_read_that_broke_off_is_not_taken_as_no_reply() -> None:
    """A comments listing that stopped early (a cycling cursor) cannot prove the reply was
    not sent: the look-up says it could not look, so a platform without idempotency keys
    does not answer twice."""
    from socialkit.models import Comment
    from socialkit.monitoring import _ops as ops
    from socialkit.replies.approval import find_reply

    class BrokenOffComments(list[Comment]):
        stopped_early = "the next cursor repeats an earlier one"

    class Client:
        name = "x"

        def comments(self, post_id: str, *, limit: int | None = None) -> BrokenOffComments:
            return BrokenOffComments()

    me = Account(platform="x", id="1", handle="brand")
    item = _mention(FakeX())
    found, could_look = ops.run_sync(Client(), find_reply(item, me))  # type: ignore[arg-type]
    assert (found, could_look) == (None, False)
