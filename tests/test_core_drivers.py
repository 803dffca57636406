"""The drivers run flows: responses in, errors thrown in, retries, rate limits, pagination."""

from __future__ import annotations

import gzip
import logging
from collections.abc import Awaitable, Callable, Iterator
from datetime import datetime
from typing import Any

import anyio
import httpx
import pytest
import respx

import socialkit as sk
from socialkit.http import RATE_LIMITS, Limits, RetryPolicy
from socialkit.models import Post, ResultPage
from socialkit.platform import Call, Capability, Flow, Platform, PlatformSettings, Sleep

FAST = RetryPolicy(backoff=0.0, max_backoff=0.0)

BASE = "https://toy.example"


class Toy(Platform):
    """A minimal platform for exercising the drivers."""

    name = "toy"
    default_base_url = BASE
    capabilities = frozenset({Capability.PUBLISH_TEXT, Capability.READ_POSTS})

    def get_post(self, post_id: str) -> Flow[Post]:
        response = yield self.call("GET", f"/posts/{post_id}")
        data = self.json(response)
        return Post(platform=self.name, id=str(data["id"]), text=data["text"])

    def publish(self, draft: sk.Draft) -> Flow[Post]:
        response = yield self.call("POST", "/posts", json={"text": draft.text})
        data = self.json(response)
        return Post(platform=self.name, id=str(data["id"]), text=data["text"])

    def posts(
        self, account: str | None, cursor: str | None, limit: int | None = None
    ) -> Flow[ResultPage[Post]]:
        response = yield self.call("GET", "/posts", params={"cursor": cursor or "0"})
        data = self.json(response)
        items = [Post(platform=self.name, id=str(p["id"])) for p in data["items"]]
        return ResultPage(items=items, next_cursor=data.get("next"))


class BrandedToy(Toy):
    """A platform that names the app itself, as Reddit requires."""

    def get_post(self, post_id: str) -> Flow[Post]:
        response = yield self.call(
            "GET", f"/posts/{post_id}", headers={"user-agent": "web:app:1.0 (by /u/brand)"}
        )
        data = self.json(response)
        return Post(platform=self.name, id=str(data["id"]), text=data["text"])


class KeyedToy(Toy):
    honours_idempotency_key = True


class OnAiohttp:
    """The async driver on the aiohttp transport, talking TLS to a loopback server that
    answers from the respx routes; one event loop (a portal) for the whole test."""

    def __init__(self, portal: Any) -> None:
        from socialkit._aiohttp import Transport

        from .aiohttp_loopback import RespxServer

        self.portal = portal
        self.server = RespxServer()
        portal.call(self.server.start)
        self.transport = lambda: Transport(client=self.server.session_factory())
        self.clients: list[sk.AsyncClient] = []

    def close(self) -> None:
        for client in self.clients:
            self.portal.call(client.aclose)
        self.portal.call(self.server.stop)


AIOHTTP: OnAiohttp | None = None


def make(kind: str, platform: Platform | None = None, **kw: Any) -> Any:
    platform = platform or Toy(PlatformSettings(access_token="tok"))
    kw.setdefault("retry", FAST)
    if kind == "sync":
        return sk.Client(platform, **kw)
    if kind == "async-aiohttp":
        assert AIOHTTP is not None
        client = sk.AsyncClient(platform, transport=AIOHTTP.transport(), **kw)
        AIOHTTP.clients.append(client)
        return client
    return sk.AsyncClient(platform, **kw)


def run_async(fn: Callable[[], Awaitable[Any]]) -> Any:
    """Run on the aiohttp kind's event loop when there is one, else on a fresh one."""
    return AIOHTTP.portal.call(fn) if AIOHTTP is not None else anyio.run(fn)


def call(client: Any, method: str, *args: Any, **kwargs: Any) -> Any:
    """Call a client operation the same way whichever driver it is."""
    result = getattr(client, method)(*args, **kwargs)
    if isinstance(client, sk.AsyncClient):

        async def wait() -> Any:
            return await result

        return run_async(wait)
    return result


def collect(paginator: Any) -> list[Any]:
    if isinstance(paginator, sk.AsyncPaginator):

        async def gather() -> list[Any]:
            return [item async for item in paginator]

        return run_async(gather)
    return list(paginator)


@pytest.fixture(params=["sync", "async", "async-aiohttp"])
def kind(request: pytest.FixtureRequest) -> Iterator[str]:
    """Each test runs on the sync driver, the async one on httpx's transport, and the async
    one on aiohttp's (when the aiohttp extra is installed)."""
    global AIOHTTP
    if request.param != "async-aiohttp":
        yield str(request.param)
        return
    pytest.importorskip("httpx_aiohttp")
    with anyio.from_thread.start_blocking_portal("asyncio") as portal:
        AIOHTTP = OnAiohttp(portal)
        try:
            yield "async-aiohttp"
        finally:
            AIOHTTP.close()
            AIOHTTP = None


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        yield router


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    recorded: list[float] = []

    async def fake_async_sleep(seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr(sk.Client, "_sleep", lambda self, s: recorded.append(s))
    monkeypatch.setattr(sk.AsyncClient, "_sleep", lambda self, s: fake_async_sleep(s))
    return recorded


def test_flow_result_is_returned(kind: str, api: respx.MockRouter) -> None:
    api.get("/posts/7").respond(json={"id": 7, "text": "hi"})
    post = call(make(kind), "get_post", "7")
    assert (post.id, post.text) == ("7", "hi")


def test_socialkit_says_who_it_is_unless_the_call_does(kind: str, api: respx.MockRouter) -> None:
    route = api.get("/posts/7").respond(json={"id": 7, "text": "hi"})
    call(make(kind), "get_post", "7")
    assert route.calls.last.request.headers["User-Agent"].startswith("socialkit/")

    call(make(kind, BrandedToy(PlatformSettings(access_token="tok"))), "get_post", "7")
    assert route.calls.last.request.headers.get_list("User-Agent") == ["web:app:1.0 (by /u/brand)"]


def test_without_a_deadline_each_read_keeps_the_clients_timeouts(
    kind: str, api: respx.MockRouter
) -> None:
    if kind == "async-aiohttp":
        pytest.skip("the TLS loopback server rebuilds the request: its extensions are not seen")
    route = api.get("/posts/7").respond(json={"id": 7, "text": "hi"})
    call(make(kind, limits=Limits(deadline=None), timeout=2.5), "get_post", "7")
    assert route.calls.last.request.extensions["timeout"] == {
        "connect": 2.5, "read": 2.5, "write": 2.5, "pool": 2.5
    }


def test_bearer_token_is_attached(kind: str, api: respx.MockRouter) -> None:
    route = api.get("/posts/7").respond(json={"id": 7, "text": "hi"})
    call(make(kind), "get_post", "7")
    assert route.calls.last.request.headers["Authorization"] == "Bearer tok"


def test_sleep_step_is_performed_by_the_driver(kind: str, sleeps: list[float]) -> None:
    def flow() -> Flow[str]:
        yield Sleep(2.5)
        return "done"

    client = make(kind)
    result = client.run(flow())
    if isinstance(client, sk.AsyncClient):

        async def wait() -> Any:
            return await result

        result = run_async(wait)
    assert (result, sleeps) == ("done", [2.5])


def test_error_is_thrown_into_the_flow(kind: str, api: respx.MockRouter) -> None:
    api.get("/posts/1").respond(404, json={"error": "Record not found"})

    def flow() -> Flow[str]:
        try:
            yield Call("GET", "/posts/1")
        except sk.NotFound as error:
            return f"caught {error.message}"
        return "no error"

    client = make(kind)
    result = client.run(flow())
    if isinstance(client, sk.AsyncClient):

        async def wait() -> Any:
            return await result

        result = run_async(wait)
    assert result == "caught Record not found"


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (401, sk.AuthError),
        (403, sk.PermissionDenied),
        (404, sk.NotFound),
        (422, sk.InvalidContent),
        (400, sk.PlatformError),
    ],
)
def test_status_maps_to_error(kind: str, api: respx.MockRouter, status: int, error: type) -> None:
    api.get("/posts/1").respond(status, json={"error": "nope"})
    with pytest.raises(error) as raised:
        call(make(kind), "get_post", "1")
    assert raised.value.status == status
    assert raised.value.platform == "toy"


def test_malformed_json_is_parse_error(kind: str, api: respx.MockRouter) -> None:
    api.get("/posts/1").respond(200, content=b"{not json")
    with pytest.raises(sk.ParseError):
        call(make(kind), "get_post", "1")


def test_missing_field_is_parse_error(kind: str, api: respx.MockRouter) -> None:
    api.get("/posts/1").respond(200, json={"unexpected": True})
    with pytest.raises(sk.ParseError):
        call(make(kind), "get_post", "1")


def test_get_is_retried_after_503(kind: str, api: respx.MockRouter) -> None:
    route = api.get("/posts/1")
    route.side_effect = [httpx.Response(503), httpx.Response(200, json={"id": 1, "text": "ok"})]
    assert call(make(kind), "get_post", "1").text == "ok"
    assert route.call_count == 2


def test_retries_stop_at_the_attempt_bound(kind: str, api: respx.MockRouter) -> None:
    route = api.get("/posts/1").respond(503)
    with pytest.raises(sk.PlatformError) as raised:
        call(make(kind, retry=RetryPolicy(attempts=3, backoff=0)), "get_post", "1")
    assert (raised.value.status, route.call_count) == (503, 3)


def test_connect_error_is_retried_then_transport_error(kind: str, api: respx.MockRouter) -> None:
    route = api.get("/posts/1").mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(sk.TransportError):
        call(make(kind), "get_post", "1")
    assert route.call_count == 4


def test_429_with_retry_after_waits_then_succeeds(
    kind: str, api: respx.MockRouter, sleeps: list[float]
) -> None:
    route = api.get("/posts/1")
    route.side_effect = [
        httpx.Response(429, headers={"Retry-After": "7"}),
        httpx.Response(200, json={"id": 1, "text": "ok"}),
    ]
    assert call(make(kind), "get_post", "1").text == "ok"
    assert 7.0 in sleeps


def test_429_beyond_the_cap_raises_with_reset(kind: str, api: respx.MockRouter) -> None:
    route = api.get("/posts/1").respond(429, headers={"Retry-After": "3600"})
    with pytest.raises(sk.RateLimited) as raised:
        call(make(kind), "get_post", "1")
    assert route.call_count == 1
    assert raised.value.retry_after == pytest.approx(3600)
    assert raised.value.reset_at is not None


def test_429_without_retry_after_backs_off(
    kind: str, api: respx.MockRouter, sleeps: list[float]
) -> None:
    route = api.get("/posts/1")
    route.side_effect = [httpx.Response(429), httpx.Response(200, json={"id": 1, "text": "ok"})]
    client = make(kind, retry=RetryPolicy(backoff=0.25, max_backoff=1))
    assert call(client, "get_post", "1").text == "ok"
    assert len(sleeps) == 1
    assert 0 <= sleeps[0] <= 1


def test_raise_mode_does_not_retry_429(kind: str, api: respx.MockRouter) -> None:
    route = api.get("/posts/1").respond(429, headers={"Retry-After": "1"})
    with pytest.raises(sk.RateLimited):
        call(make(kind, rate_limit="raise"), "get_post", "1")
    assert route.call_count == 1


def test_post_without_key_after_timeout_is_uncertain(kind: str, api: respx.MockRouter) -> None:
    route = api.post("/posts").mock(side_effect=httpx.ReadTimeout("slow"))
    draft = sk.Draft(text="hello")
    with pytest.raises(sk.PublishUncertain) as raised:
        call(make(kind), "publish", draft)
    assert route.call_count == 1
    assert raised.value.idempotency_key is None


def test_post_without_key_after_503_is_uncertain(kind: str, api: respx.MockRouter) -> None:
    route = api.post("/posts").respond(503)
    with pytest.raises(sk.PublishUncertain):
        call(make(kind), "publish", "hello")
    assert route.call_count == 1


def test_post_after_connect_error_is_retried(kind: str, api: respx.MockRouter) -> None:
    if kind == "async-aiohttp":
        pytest.skip("a server cannot refuse a made connection: test_aiohttp_transport.py does")
    route = api.post("/posts")
    route.side_effect = [
        httpx.ConnectError("refused"),
        httpx.Response(200, json={"id": 2, "text": "x"}),
    ]
    assert call(make(kind), "publish", "x").id == "2"


def test_keyed_post_is_retried_with_the_same_key(kind: str, api: respx.MockRouter) -> None:
    platform = KeyedToy(PlatformSettings(access_token="tok"))

    def publish(self: KeyedToy, draft: sk.Draft) -> Flow[Post]:
        response = yield Call(
            "POST", "/posts", json={"text": draft.text}, idempotency_key=draft.idempotency_key
        )
        return Post(platform="toy", id=str(self.json(response)["id"]))

    KeyedToy.publish = publish  # type: ignore[method-assign]
    route = api.post("/posts")
    route.side_effect = [httpx.ReadTimeout("lost"), httpx.Response(200, json={"id": 3})]
    draft = sk.Draft(text="once")
    assert call(make(kind, platform), "publish", draft).id == "3"
    keys = {c.request.headers["Idempotency-Key"] for c in route.calls}
    assert keys == {draft.idempotency_key}


def test_exhausted_bucket_waits_for_reset(
    kind: str, api: respx.MockRouter, sleeps: list[float]
) -> None:
    from datetime import UTC, datetime, timedelta

    from socialkit.platform import RateLimitInfo

    platform = Toy(PlatformSettings(access_token="tok"))
    key = (platform.name, platform.account_key, "default")
    RATE_LIMITS.update(
        key, RateLimitInfo(limit=10, remaining=0, reset_at=datetime.now(UTC) + timedelta(seconds=5))
    )
    api.get("/posts/1").respond(json={"id": 1, "text": "ok"})
    call(make(kind, platform), "get_post", "1")
    assert len(sleeps) == 1
    assert 4 < sleeps[0] <= 5


def test_exhausted_bucket_in_raise_mode_sends_nothing(kind: str, api: respx.MockRouter) -> None:
    from datetime import UTC, datetime, timedelta

    from socialkit.platform import RateLimitInfo

    platform = Toy(PlatformSettings(access_token="tok"))
    key = (platform.name, platform.account_key, "default")
    RATE_LIMITS.update(
        key, RateLimitInfo(remaining=0, reset_at=datetime.now(UTC) + timedelta(seconds=5))
    )
    route = api.get("/posts/1").respond(json={"id": 1, "text": "ok"})
    with pytest.raises(sk.RateLimited) as raised:
        call(make(kind, platform, rate_limit="raise"), "get_post", "1")
    assert route.call_count == 0
    assert raised.value.reset_at is not None


def test_unsupported_raises_before_any_request(kind: str, api: respx.MockRouter) -> None:
    client = make(kind)
    with pytest.raises(sk.Unsupported) as raised:
        client.comments("1")
    assert raised.value.capability == "read_comments"
    with pytest.raises(sk.Unsupported):
        call(client, "delete_post", "1")
    assert not api.calls


def test_paginator_walks_every_page(kind: str, api: respx.MockRouter) -> None:
    def page(request: httpx.Request) -> httpx.Response:
        n = int(request.url.params["cursor"])
        nxt = str(n + 1) if n < 2 else None
        return httpx.Response(
            200, json={"items": [{"id": n * 10 + i} for i in range(3)], "next": nxt}
        )

    api.get("/posts").mock(side_effect=page)
    ids = [p.id for p in collect(make(kind).posts())]
    assert ids == ["0", "1", "2", "10", "11", "12", "20", "21", "22"]


def test_paginator_limit_fetches_only_needed_pages(kind: str, api: respx.MockRouter) -> None:
    route = api.get("/posts").mock(
        side_effect=lambda r: httpx.Response(
            200, json={"items": [{"id": 1}, {"id": 2}], "next": "1"}
        )
    )
    assert len(collect(make(kind).posts(limit=3))) == 3
    assert route.call_count == 2


def test_plain_http_to_a_remote_host_is_refused(kind: str) -> None:
    platform = Toy(PlatformSettings(access_token="tok", base_url="http://insecure.example"))
    with pytest.raises(sk.ConfigError):
        call(make(kind, platform), "get_post", "1")


def test_canary_token_never_leaks(
    kind: str, api: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    canary = "CANARY-SECRET-8f3e"
    platform = Toy(PlatformSettings(access_token=canary))
    client = make(kind, platform)
    api.get("/posts/1").respond(401, json={"error": "invalid token"})
    api.get("/posts/2").respond(500, json={"error": "boom"})
    caplog.set_level(logging.DEBUG, logger="socialkit")
    errors: list[Exception] = []
    for post_id in ("1", "2"):
        try:
            call(client, "get_post", post_id)
        except sk.SocialkitError as error:
            errors.append(error)
    text = " ".join(
        [
            repr(client),
            repr(platform),
            repr(platform.settings),
            str(platform.settings),
            repr(platform.credential),
        ]
        + [f"{e!s} {e!r}" for e in errors]
        + caplog.messages
    )
    assert len(errors) == 2
    assert canary not in text


def test_redact_url_hides_query_secrets() -> None:
    from socialkit.http import redact_url

    url = "https://x.example/a?access_token=SECRET&q=ok&client_secret=S2"
    assert redact_url(url) == "https://x.example/a?access_token=***&q=ok&client_secret=***"


def test_credential_is_not_sent_to_another_host(kind: str) -> None:
    with respx.mock(assert_all_called=True) as router:
        route = router.get("https://cdn.elsewhere.example/file").respond(200)
        call(make(kind), "request", "GET", "https://cdn.elsewhere.example/file")
    assert "Authorization" not in route.calls.last.request.headers


def test_repeated_cursor_ends_pagination(kind: str, api: respx.MockRouter) -> None:
    route = api.get("/posts").mock(
        side_effect=lambda r: httpx.Response(200, json={"items": [{"id": 1}], "next": "same"})
    )
    assert len(collect(make(kind).posts())) == 2
    assert route.call_count == 2


def test_empty_page_with_a_cursor_does_not_end_pagination(kind: str, api: respx.MockRouter) -> None:
    pages = {"0": ([], "1"), "1": ([{"id": 5}], None)}

    def answer(request: httpx.Request) -> httpx.Response:
        items, nxt = pages[request.url.params["cursor"]]
        return httpx.Response(200, json={"items": items, "next": nxt})

    api.get("/posts").mock(side_effect=answer)
    assert [p.id for p in collect(make(kind).posts())] == ["5"]


class ErrcodeToy(Toy):
    """A platform that reports errors inside HTTP 200 answers, as WeChat does."""

    def error_in_body(self, response: httpx.Response) -> sk.SocialkitError | None:
        code = response.json().get("errcode", 0)
        return sk.PermissionDenied("not allowed", platform=self.name, code=code) if code else None


def test_error_inside_a_200_answer_is_raised(kind: str, api: respx.MockRouter) -> None:
    api.get("/posts/1").respond(200, json={"errcode": 48001, "errmsg": "api unauthorized"})
    with pytest.raises(sk.PermissionDenied) as raised:
        call(make(kind, ErrcodeToy(PlatformSettings(access_token="t"))), "get_post", "1")
    assert raised.value.code == 48001


def test_a_mapped_error_names_the_method_and_the_path_never_the_query(
    kind: str, api: respx.MockRouter
) -> None:
    api.get("/posts").respond(404, json={"error": "Record not found"})

    def flow() -> Flow[None]:
        yield Call("GET", "/posts", params={"access_token": "s3cret", "cursor": "9"})

    with pytest.raises(sk.NotFound) as raised:
        call(make(kind), "run", flow())
    error = raised.value
    assert (error.method, error.path) == ("GET", "/posts")
    assert str(error) == "[toy] GET /posts: Record not found (status=404)"
    assert "s3cret" not in str(error)
    assert "cursor" not in str(error)


def test_an_uncertain_publish_names_the_method_and_the_path(
    kind: str, api: respx.MockRouter
) -> None:
    api.post("/posts").respond(503)
    with pytest.raises(sk.PublishUncertain) as raised:
        call(make(kind), "publish", "hello")
    assert (raised.value.method, raised.value.path) == ("POST", "/posts")
    assert "POST /posts" in str(raised.value)


def test_a_transport_error_names_the_method_and_the_path(
    kind: str, api: respx.MockRouter
) -> None:
    api.get("/posts/1").mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(sk.TransportError) as raised:
        call(make(kind, retry=RetryPolicy(attempts=1)), "get_post", "1")
    assert (raised.value.method, raised.value.path) == ("GET", "/posts/1")


@pytest.mark.parametrize(
    ("challenge", "expired"),
    [
        ('Bearer error="invalid_token", error_description="The access token is invalid"', False),
        ('Bearer error="invalid_token", error_description="The access token expired"', True),
        ('Bearer error="invalid_token", error_description="The access token was revoked"', True),
        ('Bearer error="invalid_token"', True),
        ('Bearer realm="api"', False),
    ],
)
def test_only_an_expired_or_revoked_token_is_token_expired(
    kind: str, api: respx.MockRouter, challenge: str, expired: bool
) -> None:
    api.get("/posts/1").respond(401, headers={"WWW-Authenticate": challenge})
    with pytest.raises(sk.AuthError) as raised:
        call(make(kind), "get_post", "1")
    assert isinstance(raised.value, sk.TokenExpired) is expired


def test_a_paginator_says_what_it_lists_and_how_far_it_got() -> None:
    import socialkit as sk

    with sk.connect("sandbox://") as client:
        listing = client.comments("1", limit=2)
        assert repr(listing) == "<Paginator mastodon comments('1') limit=2: 0 pages, 0 items read>"
        posts = client.posts(limit=3)
        assert len(list(posts)) == 3
        assert repr(posts) == "<Paginator mastodon posts() limit=3: 1 page, 3 items read>"


@pytest.mark.anyio
async def test_an_async_paginator_says_what_it_lists_and_how_far_it_got() -> None:
    import socialkit as sk

    async with sk.aconnect("sandbox://") as client:
        posts = client.posts(limit=3)
        assert len([post async for post in posts]) == 3
        assert repr(posts) == "<AsyncPaginator mastodon posts() limit=3: 1 page, 3 items read>"


def test_unsupported_names_the_method_called_not_the_capability() -> None:
    import socialkit as sk

    with sk.connect("facebook", page_id="1", access_token="t") as client:
        with pytest.raises(sk.Unsupported) as raised:
            client.react("1_2")
        assert raised.value.operation == "react"
        assert str(raised.value).startswith("[facebook] react is not supported: ")
        with pytest.raises(sk.Unsupported) as raised:
            client.search("launch").first(1)
        assert str(raised.value).startswith("[facebook] search is not supported: ")


def test_unsupported_inside_a_flow_is_named_by_the_flow() -> None:
    import socialkit as sk

    with sk.connect("youtube", access_token="t") as client:
        with pytest.raises(sk.Unsupported) as raised:
            client.publish("a text post")
        assert raised.value.operation == "publish"
        assert str(raised.value).startswith("[youtube] publish is not supported: ")


def test_a_sync_pool_of_its_own_is_sent_to_without_httpx_client_send(
    api: respx.MockRouter, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> httpx.Response:
        raise AssertionError("httpx.Client.send's per-request machinery is not needed")

    api.get("/posts/1").respond(200, json={"id": 1, "text": "ok"})
    monkeypatch.setattr(httpx.Client, "send", refuse)
    caplog.set_level(logging.INFO, logger="httpx")
    response = make("sync").request("GET", "/posts/1", params={"access_token": "SECRET-9"})
    assert response.json()["text"] == "ok"
    assert response.request.url.path == "/posts/1"
    assert response.elapsed.total_seconds() >= 0
    (line,) = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert line.startswith(f"HTTP Request: GET {BASE}/posts/1?access_token=***")


def test_a_sync_client_given_an_http_client_sends_through_it(api: respx.MockRouter) -> None:
    hooked: list[str] = []
    api.get("/posts/1").respond(200, json={"id": 1, "text": "ok"})
    given = httpx.Client(event_hooks={"request": [lambda r: hooked.append(r.url.path)]})
    make("sync", http_client=given).get_post("1")
    assert hooked == ["/posts/1"]


def test_a_compressed_body_is_decoded(kind: str, api: respx.MockRouter) -> None:
    body = gzip.compress(b'{"id": 1, "text": "zipped"}')
    api.get("/posts/1").respond(200, content=body, headers={"content-encoding": "gzip"})
    assert call(make(kind), "get_post", "1").text == "zipped"


def test_a_naive_period_is_refused_before_any_request(kind: str, api: respx.MockRouter) -> None:
    with pytest.raises(ValueError, match="naive"):
        call(make(kind), "account_metrics", datetime(2025, 3, 10))
    assert not api.calls
