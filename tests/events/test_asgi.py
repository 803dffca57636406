"""End to end over real HTTP: webhook_app served by uvicorn on a loopback port, each
platform's delivery signed as the platform signs it."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from socialkit.events import CommentEvent, MentionEvent
from socialkit.providers.wechat import WeChatWebhook, sign
from socialkit.webhooks import MemorySeenStore, WeChatReceiver, XReceiver, webhook_app

from .support import CASES, SECRET, Case, fixture, x_sign

uvicorn = pytest.importorskip("uvicorn")

WECHAT_TOKEN = "wechat-push-token"
WECHAT_NOW = 1_714_550_400
WECHAT_TEXT = (
    "<xml><ToUserName><![CDATA[gh_4d00ed8d6399]]></ToUserName>"
    "<FromUserName><![CDATA[oV5CrjpxgaGXNHIQigzNlgLTnwic]]></FromUserName>"
    f"<CreateTime>{WECHAT_NOW}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
    "<Content><![CDATA[hello]]></Content><MsgId>24505917862345678</MsgId></xml>"
).encode()


class Served:
    """A running server and the events its handler received."""

    def __init__(self, url: str, receivers: dict[str, Any]) -> None:
        self.url = url
        self.receivers = receivers
        self.handled: list[Any] = []
        self.client = httpx.Client(base_url=url, timeout=5)


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    receivers = [case.make() for case in CASES]
    receivers.append(WeChatReceiver(WeChatWebhook(WECHAT_TOKEN, clock=lambda: WECHAT_NOW)))
    holder: list[Served] = []
    app = webhook_app(receivers, lambda event: holder[0].handled.append(event))
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
    holder.append(Served(f"http://127.0.0.1:{port}", {r.platform: r for r in receivers}))
    yield holder[0]
    holder[0].client.close()
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def live(served: Served) -> Served:
    served.handled.clear()
    return served


ids = [case.name for case in CASES]


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_a_valid_delivery_is_accepted_and_handled(live: Served, case: Case) -> None:
    headers, query, body = case.signed()
    response = live.client.post(f"/{case.name}", params=query, headers=headers, content=body)
    assert response.status_code == 200
    assert len(live.handled) == case.events


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_a_bad_signature_is_refused_with_an_empty_body(live: Served, case: Case) -> None:
    headers, query, body = case.signed()
    if case.name == "weibo":
        query = {**query, "signature": "0" * 40}
    else:
        body = body.replace(b"}", b" }", 1)
    response = live.client.post(f"/{case.name}", params=query, headers=headers, content=body)
    assert (response.status_code, response.content) == (403, b"")
    assert live.handled == []


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_the_handshake_is_answered(live: Served, case: Case) -> None:
    response = live.client.get(f"/{case.name}", params=case.handshake)
    assert response.status_code == case.handshake_status
    assert case.handshake_check(response.content)


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_a_replayed_delivery_is_not_handled_twice(live: Served, case: Case) -> None:
    live.receivers[case.name].seen = MemorySeenStore()  # forget the other tests' deliveries
    headers, query, body = case.signed()
    first = live.client.post(f"/{case.name}", params=query, headers=headers, content=body)
    second = live.client.post(f"/{case.name}", params=query, headers=headers, content=body)
    assert (first.status_code, second.status_code) == (200, 200)
    assert len(live.handled) == case.events


def test_an_oversized_body_is_400_without_reading_it_all(live: Served) -> None:
    big = b"{" + b" " * (1024 * 1024) + b"}"
    headers, _ = x_sign(big)
    assert live.client.post("/x", headers=headers, content=big).status_code == 400

    def chunks() -> Iterator[bytes]:  # no Content-Length: the stream is cut at the limit
        for _ in range(40):
            yield b" " * 65536

    assert live.client.post("/x", headers=headers, content=chunks()).status_code == 400
    assert live.handled == []


def test_a_malformed_signed_body_is_400(live: Served) -> None:
    headers, _ = x_sign(b"{oops")
    assert live.client.post("/x", headers=headers, content=b"{oops").status_code == 400


def test_wechat_is_mounted_on_the_same_app(live: Served) -> None:
    query = {"signature": sign(WECHAT_TOKEN, str(WECHAT_NOW), "1"), "timestamp": str(WECHAT_NOW),
             "nonce": "1"}
    response = live.client.post("/wechat", params=query, content=WECHAT_TEXT)
    assert (response.status_code, response.content) == (200, b"success")
    (event,) = live.handled
    assert isinstance(event, MentionEvent)
    check = live.client.get("/wechat", params={**query, "echostr": "42"})
    assert (check.status_code, check.content) == (200, b"42")


def test_an_unknown_path_is_404(live: Served) -> None:
    assert live.client.post("/nowhere", content=b"{}").status_code == 404


@pytest.mark.anyio
async def test_an_async_handler_is_awaited_and_a_failure_lets_the_retry_through() -> None:
    seen: list[Any] = []
    failures = [1]

    async def handler(event: Any) -> None:
        if failures:
            failures.pop()
            raise RuntimeError("database down")
        seen.append(event)

    app = webhook_app({"hooks/x": XReceiver(SECRET)}, handler)
    body = fixture("x_activity.json")
    headers, _ = x_sign(body)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        failed = await client.post("/hooks/x", headers=headers, content=body)
        retried = await client.post("/hooks/x", headers=headers, content=body)
        replayed = await client.post("/hooks/x", headers=headers, content=body)
    assert (failed.status_code, retried.status_code, replayed.status_code) == (500, 200, 200)
    assert len(seen) == 5


def test_two_receivers_on_one_path_is_a_config_error() -> None:
    from socialkit.errors import ConfigError

    with pytest.raises(ConfigError):
        webhook_app([XReceiver(SECRET), XReceiver(SECRET)])


def test_events_from_the_live_server_are_typed(live: Served) -> None:
    case = CASES[0]  # meta
    body = case.body.replace(b"1122334455667788", b"1122334455667799")
    headers, query, body = case.signed(body)
    live.client.post("/meta", params=query, headers=headers, content=body)
    assert any(isinstance(event, CommentEvent) for event in live.handled)


@pytest.mark.anyio
async def test_a_refusal_is_logged_without_the_signature_or_the_secret(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = webhook_app([XReceiver(SECRET)])
    body = fixture("x_activity.json")
    forged = "sha256=Zm9yZ2VkLXNpZ25hdHVyZS12YWx1ZQ=="
    transport = httpx.ASGITransport(app=app)
    with caplog.at_level("INFO", logger="socialkit.events"):
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            response = await client.post(
                "/x", headers={"x-twitter-webhooks-signature": forged}, content=body
            )
    assert (response.status_code, response.content) == (403, b"")
    assert "refused with 403" in caplog.text
    assert forged not in caplog.text
    assert SECRET not in caplog.text
