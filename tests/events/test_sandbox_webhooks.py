"""The sandbox delivers signed webhooks (Meta, X, TikTok shapes) over real HTTP to
`webhook_app` under uvicorn: handshake made, valid deliveries handled, bad signatures
refused, replays not handled twice."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn

from socialkit.events import CommentEvent, MentionEvent, PostEvent
from socialkit.testing import Sandbox
from socialkit.testing.sandbox import SandboxError
from socialkit.webhooks import MetaReceiver, TikTokReceiver, XReceiver, webhook_app

SECRET = "app-secret-for-tests"
VERIFY = "verify-me"


class Receivers:
    def __init__(self, url: str) -> None:
        self.url = url
        self.handled: list[Any] = []


@pytest.fixture(scope="module")
def receivers() -> Iterator[Receivers]:
    holder: list[Receivers] = []
    app = webhook_app(
        [MetaReceiver(SECRET, VERIFY), XReceiver(SECRET), TikTokReceiver(SECRET)],
        lambda event: holder[0].handled.append(event),
    )
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    holder.append(Receivers(f"http://127.0.0.1:{port}"))
    yield holder[0]
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def live(receivers: Receivers) -> Receivers:
    receivers.handled.clear()
    return receivers


@pytest.fixture
def served() -> Iterator[tuple[Sandbox, str]]:
    sandbox = Sandbox()
    with sandbox.serve() as url:  # the sandbox itself on uvicorn, as a platform would be
        yield sandbox, url


@pytest.fixture
def sandbox(served: tuple[Sandbox, str]) -> Sandbox:
    return served[0]


@pytest.fixture
def fan(served: tuple[Sandbox, str]) -> Iterator[httpx.Client]:
    """A user of the served sandbox (not the brand)."""
    auth = {"Authorization": "Bearer dana"}
    with httpx.Client(base_url=served[1], headers=auth, trust_env=False) as http:
        yield http


def test_meta_comments_and_mentions_are_delivered_signed_and_handled_once(
    live: Receivers, sandbox: Sandbox, fan: httpx.Client
) -> None:
    sandbox.add_webhook("meta", f"{live.url}/meta", SECRET, verify_token=VERIFY)
    post = sandbox.statuses(account="brand")[0]
    reply = fan.post("/api/v1/statuses",
                     json={"status": "nice one", "in_reply_to_id": post["id"]}).json()
    mention = fan.post("/api/v1/statuses", json={"status": "@brand hello"}).json()
    assert sandbox.wait_webhooks()
    assert [d.status for d in sandbox.webhook_deliveries] == [200, 200]
    comment, mentioned = live.handled
    assert isinstance(comment, CommentEvent)
    assert (comment.comment.id, comment.comment.thread_root_id) == (reply["id"], post["id"])
    assert comment.comment.text == "nice one"
    assert isinstance(mentioned, MentionEvent)
    assert mentioned.mention.id == mention["id"]

    sandbox.redeliver_webhook(sandbox.webhook_deliveries[0])  # a replay, signature and all
    assert sandbox.wait_webhooks()
    assert sandbox.webhook_deliveries[-1].status == 200
    assert len(live.handled) == 2  # not handled twice


def test_x_deliveries_pass_the_crc_check_and_carry_replies_and_mentions(
    live: Receivers, sandbox: Sandbox, fan: httpx.Client
) -> None:
    sandbox.add_webhook("x", f"{live.url}/x", SECRET)
    post = sandbox.statuses(account="brand")[0]
    reply = fan.post("/api/v1/statuses",
                     json={"status": "@brand thanks", "in_reply_to_id": post["id"]}).json()
    mention = fan.post("/api/v1/statuses", json={"status": "@brand is great"}).json()
    assert sandbox.wait_webhooks()
    assert [d.status for d in sandbox.webhook_deliveries] == [200, 200]
    kinds = [(e.mention.id, e.mention.kind) for e in live.handled]
    assert kinds == [(reply["id"], "reply"), (mention["id"], "mention")]
    assert live.handled[0].mention.author.handle == "dana"

    sandbox.redeliver_webhook(sandbox.webhook_deliveries[1])
    assert sandbox.wait_webhooks()
    assert len(live.handled) == 2


def test_tiktok_publish_status_is_delivered_when_the_brand_posts(
    live: Receivers, served: tuple[Sandbox, str]
) -> None:
    sandbox, url = served
    sandbox.add_webhook("tiktok", f"{live.url}/tiktok", SECRET)
    auth = {"Authorization": "Bearer brand"}
    with httpx.Client(base_url=url, headers=auth, trust_env=False) as brand:
        post = brand.post("/api/v1/statuses", json={"status": "new video"}).json()
    assert sandbox.wait_webhooks()
    (event,) = live.handled
    assert isinstance(event, PostEvent)
    assert (event.status, event.post_id) == ("publicly_available", post["id"])


def test_a_delivery_signed_with_the_wrong_secret_is_refused_and_not_handled(
    live: Receivers, sandbox: Sandbox
) -> None:
    sandbox.add_webhook("tiktok", f"{live.url}/tiktok", "not-the-secret")
    sandbox.simulate_mention("ignored")  # not a TikTok event: nothing is sent for it
    brand = sandbox.client()
    brand.publish("signed wrongly")
    assert sandbox.wait_webhooks()
    assert [d.status for d in sandbox.webhook_deliveries] == [403]
    assert live.handled == []


def test_a_refused_handshake_is_an_error_and_nothing_is_delivered(
    live: Receivers, sandbox: Sandbox
) -> None:
    with pytest.raises(SandboxError, match="meta handshake"):
        sandbox.add_webhook("meta", f"{live.url}/meta", SECRET, verify_token="wrong")
    with pytest.raises(SandboxError, match="CRC"):
        sandbox.add_webhook("x", f"{live.url}/x", "another-secret")
    sandbox.simulate_mention("nobody is told")
    assert sandbox.wait_webhooks()
    assert sandbox.webhook_deliveries == []
