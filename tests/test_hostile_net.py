"""Hostile answers on the HTTP side (issue 16): deep nesting, absurd rate-limit figures,
broken clocks, slow and huge bodies, cycling cursors, unreadable publish answers, echoed
secrets. Each ends in a socialkit error (or is handled), never a raw exception, a hang or
a second post."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio
import httpx
import pytest
import respx

import socialkit as sk
from socialkit.clock import MAX_DELAY, delay_from, reset_from
from socialkit.http import RATE_LIMITS, Limits, RetryPolicy
from socialkit.models import Post, ResultPage
from socialkit.platform import Flow, Platform, PlatformSettings, parse_retry_after
from socialkit.providers.bluesky import xrpc
from socialkit.providers.facebook import Facebook
from socialkit.providers.mastodon import Mastodon
from socialkit.providers.meta.usage import read_usage, usage_limit
from socialkit.providers.x import X, XSettings
from socialkit.testing import FakeClock

FAST = RetryPolicy(backoff=0.0, max_backoff=0.0)
TOKEN = "canary-TOKEN-5f1e"
DEEP = b"[" * 100_000 + b"]" * 100_000
M = "https://m.example"
XAPI = "https://api.x.com"
GRAPH = "https://graph.facebook.com/v25.0"


@pytest.fixture(autouse=True)
def _fresh_limits() -> Iterator[None]:
    RATE_LIMITS.clear()
    yield
    RATE_LIMITS.clear()


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def client(kind: str, platform: Platform, **kw: Any) -> Any:
    kw.setdefault("retry", FAST)
    return sk.Client(platform, **kw) if kind == "sync" else sk.AsyncClient(platform, **kw)


def call(target: Any, method: str, *args: Any, **kwargs: Any) -> Any:
    result = getattr(target, method)(*args, **kwargs)
    if isinstance(target, sk.AsyncClient):

        async def wait() -> Any:
            return await result

        return anyio.run(wait)
    return result


def collect(paginator: Any) -> list[Any]:
    if isinstance(paginator, sk.AsyncPaginator):

        async def gather() -> list[Any]:
            return [item async for item in paginator]

        return anyio.run(gather)
    return list(paginator)


def mastodon(kind: str, **kw: Any) -> Any:
    return client(kind, Mastodon(instance=M, access_token=TOKEN), **kw)


def x(kind: str, **kw: Any) -> Any:
    return client(kind, X(XSettings(access_token=TOKEN, user_id="2244994945")), **kw)


def facebook(kind: str, **kw: Any) -> Any:
    return client(kind, Facebook(page_id="1234567890", access_token=TOKEN), **kw)


class Toy(Platform):
    """A minimal platform: one read, one publish, one listing."""

    name = "toy"
    default_base_url = "https://toy.example"
    capabilities = frozenset({sk.Capability.PUBLISH_TEXT, sk.Capability.READ_POSTS})

    def get_post(self, post_id: str) -> Flow[Post]:
        response = yield self.call("GET", f"/posts/{post_id}")
        data = self.json(response)
        return Post(platform=self.name, id=str(data["id"]), text=data["text"])

    def publish(self, draft: sk.Draft) -> Flow[Post]:
        response = yield self.call(
            "POST", "/posts", json={"text": draft.text}, idempotency_key=draft.idempotency_key
        )
        data = self.json(response)
        return Post(platform=self.name, id=str(data["id"]), text=data["text"])

    def posts(
        self, account: str | None, cursor: str | None, limit: int | None = None
    ) -> Flow[ResultPage[Post]]:
        response = yield self.call("GET", "/posts", params={"cursor": cursor or "0"})
        data = self.json(response)
        items = [Post(platform=self.name, id=str(p)) for p in data["items"]]
        return ResultPage(items=items, next_cursor=data.get("next"))


def toy(kind: str, **kw: Any) -> Any:
    return client(kind, Toy(PlatformSettings(access_token=TOKEN)), **kw)


# -- 1. deep nesting ------------------------------------------------------------------------


@respx.mock
def test_a_deeply_nested_body_is_a_parse_error_on_mastodon(kind: str) -> None:
    respx.get(f"{M}/api/v1/statuses/1").respond(200, content=DEEP)
    with pytest.raises(sk.ParseError):
        call(mastodon(kind), "get_post", "1")


@respx.mock
def test_a_deeply_nested_body_is_a_parse_error_on_x(kind: str) -> None:
    respx.get(f"{XAPI}/2/tweets/1").respond(200, content=DEEP)
    with pytest.raises(sk.ParseError):
        call(x(kind), "get_post", "1")


@respx.mock
def test_a_deeply_nested_field_is_a_parse_error_on_facebook(kind: str) -> None:
    body = b'{"id": "1_2", "message": ' + DEEP + b"}"
    respx.get(f"{GRAPH}/1_2").respond(200, content=body)
    with pytest.raises(sk.ParseError):
        call(facebook(kind), "get_post", "1_2")


@respx.mock
@pytest.mark.parametrize("make", [mastodon, x, facebook])
def test_a_deeply_nested_error_body_still_maps_the_status(kind: str, make: Any) -> None:
    respx.route().respond(404, content=DEEP)
    with pytest.raises(sk.NotFound):
        call(make(kind), "get_post", "1_2")


# -- 2. rate-limit arithmetic ------------------------------------------------------------------


@pytest.mark.parametrize(
    "header", ["1000000000000", "1e400", "Fri, 31 Dec 9999 23:59:59 GMT", "inf"]
)
def test_an_absurd_retry_after_is_clamped_not_an_overflow(header: str) -> None:
    assert parse_retry_after(header) == MAX_DELAY


@pytest.mark.parametrize("header", ["nan", "-5", "Mon, 01 Jan 1990 00:00:00 GMT", "soon"])
def test_a_past_or_meaningless_retry_after_is_zero_or_nothing(header: str) -> None:
    assert parse_retry_after(header) in (0.0, None)


@respx.mock
@pytest.mark.parametrize("header", ["1000000000000", "1e400"])
def test_a_429_with_an_absurd_retry_after_is_rate_limited(kind: str, header: str) -> None:
    respx.get("https://toy.example/posts/1").respond(429, headers={"Retry-After": header})
    with pytest.raises(sk.RateLimited) as caught:
        call(toy(kind), "get_post", "1")
    assert caught.value.retry_after is not None
    assert caught.value.retry_after <= MAX_DELAY


def _bluesky_response(reset: str, status: int = 200) -> httpx.Response:
    request = httpx.Request("GET", "https://bsky.social/xrpc/app.bsky.feed.getTimeline")
    headers = {"RateLimit-Limit": "3000", "RateLimit-Remaining": "0", "RateLimit-Reset": reset}
    return httpx.Response(status, headers=headers, json={}, request=request)


@pytest.mark.parametrize("reset", ["nan", "1e20", "inf", "-inf", "1e400"])
def test_bluesky_ratelimit_reset_garbage_on_a_200_is_bounded(reset: str) -> None:
    info = xrpc.rate_limit(_bluesky_response(reset))
    assert info is not None
    if info.reset_at is not None:
        assert info.reset_at <= datetime.now(UTC) + timedelta(seconds=MAX_DELAY + 5)


@pytest.mark.parametrize("reset", ["nan", "1e20"])
def test_bluesky_ratelimit_reset_garbage_on_a_429_is_rate_limited(reset: str) -> None:
    error = xrpc.map_error("bluesky", _bluesky_response(reset, 429))
    assert isinstance(error, sk.RateLimited)


@pytest.mark.parametrize("regain", ["1e12", '"nan"', "1e400"])
def test_meta_regain_estimates_are_bounded(regain: str) -> None:
    header = (
        '{"1": [{"type": "pages", "call_count": 100, "total_cputime": 1, "total_time": 1, '
        f'"estimated_time_to_regain_access": {regain}}}]}}'
    )
    usage = read_usage({"x-business-use-case-usage": header})
    assert usage is not None
    assert usage.regain is None or usage.regain <= MAX_DELAY
    info = usage_limit(usage, threshold=90, cooldown=60)
    assert info.reset_at is not None


def test_x_rate_limit_reset_far_away_is_bounded() -> None:
    from socialkit.providers.x.errors import rate_limit_info

    request = httpx.Request("GET", f"{XAPI}/2/tweets/1")
    headers = {"x-rate-limit-remaining": "0", "x-rate-limit-reset": "99999999999999999999"}
    info = rate_limit_info(httpx.Response(200, headers=headers, request=request))
    assert info is not None
    assert info.reset_at is not None
    assert info.reset_at <= datetime.now(UTC) + timedelta(seconds=MAX_DELAY + 5)


def test_delay_from_reads_every_kind_and_clamps() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert delay_from("30", now=now) == 30.0
    assert delay_from(now.timestamp() + 10, "epoch", now=now) == 10.0
    assert delay_from((now.timestamp() + 10) * 1000, "epoch_ms", now=now) == 10.0
    assert delay_from("2026-01-01T00:00:20+00:00", "iso", now=now) == 20.0
    assert delay_from("Thu, 01 Jan 2026 00:01:00 GMT", "retry_after", now=now) == 60.0
    assert delay_from("1e9", cap=5) == 5
    assert reset_from("garbage") is None


# -- 9. broken clocks ---------------------------------------------------------------------------


@respx.mock
def test_a_reset_in_the_past_still_backs_off(kind: str, sleeps: list[float]) -> None:
    past = "Mon, 01 Jan 1990 00:00:00 GMT"
    respx.get("https://toy.example/posts/1").respond(429, headers={"Retry-After": past})
    policy = RetryPolicy(attempts=3, backoff=0.5, max_backoff=8.0)
    with pytest.raises(sk.RateLimited):
        call(toy(kind, retry=policy), "get_post", "1")
    assert len(sleeps) == 2
    assert all(s >= 0.5 for s in sleeps)


@respx.mock
def test_a_reset_in_year_9999_is_not_believed_past_an_hour(kind: str) -> None:
    far = "Fri, 31 Dec 9999 23:59:59 GMT"
    respx.get("https://toy.example/posts/1").respond(429, headers={"Retry-After": far})
    toy_client = toy(kind)
    with pytest.raises(sk.RateLimited):
        call(toy_client, "get_post", "1")
    stored = RATE_LIMITS.get(("toy", "https://toy.example", "default"))
    assert stored is not None
    assert stored.reset_at is not None
    latest = datetime.now(UTC) + timedelta(seconds=Platform.longest_believed_reset + 5)
    assert stored.reset_at <= latest


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    asked: list[float] = []

    def record(self: Any, seconds: float) -> None:
        asked.append(seconds)

    async def arecord(self: Any, seconds: float) -> None:
        asked.append(seconds)

    monkeypatch.setattr(sk.Client, "_sleep", record)
    monkeypatch.setattr(sk.AsyncClient, "_sleep", arecord)
    return asked


# -- 3. deadlines and max_elapsed -----------------------------------------------------------


@respx.mock
def test_max_elapsed_is_checked_before_sleeping(kind: str) -> None:
    route = respx.get("https://toy.example/posts/1").respond(429, headers={"Retry-After": "60"})
    clock = FakeClock()
    policy = RetryPolicy(attempts=10, max_elapsed=90.0, max_retry_after=120.0)
    with pytest.raises(sk.RateLimited):
        call(toy(kind, retry=policy, clock=clock), "get_post", "1")
    assert route.call_count == 2  # at 0 s and 60 s; a sleep ending at 120 s never starts
    assert clock.slept == [60.0]


def _drip(chunks: int, every: float) -> Iterator[bytes]:
    yield b'{"id": "1", "text": "'
    for _ in range(chunks):
        time.sleep(every)
        yield b"a"


async def _adrip(chunks: int, every: float) -> AsyncIterator[bytes]:
    yield b'{"id": "1", "text": "'
    for _ in range(chunks):
        await anyio.sleep(every)
        yield b"a"


def _dripping(kind: str) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        body = _drip(1000, 0.05) if kind == "sync" else _adrip(1000, 0.05)
        return httpx.Response(200, content=body)

    return httpx.MockTransport(handler)


def test_a_slow_drip_body_ends_at_the_deadline(kind: str) -> None:
    slow = toy(kind, transport=_dripping(kind), limits=Limits(deadline=0.5))
    started = time.monotonic()
    with pytest.raises(sk.TransportError, match="deadline"):
        call(slow, "get_post", "1")
    assert time.monotonic() - started < 5.0  # 1000 drips would take 50 s


def test_a_slow_drip_answer_to_a_publish_is_uncertain(kind: str) -> None:
    slow = toy(kind, transport=_dripping(kind), limits=Limits(deadline=0.5))
    with pytest.raises(sk.PublishUncertain):
        call(slow, "publish", "hello")


def test_a_body_over_max_body_is_refused_while_streaming(kind: str) -> None:
    pulled: list[int] = []

    def chunks() -> Iterator[bytes]:
        for i in range(100):
            pulled.append(i)
            yield b"x" * 1000

    async def achunks() -> AsyncIterator[bytes]:
        for chunk in chunks():
            yield chunk

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=chunks() if kind == "sync" else achunks())

    big = toy(kind, transport=httpx.MockTransport(handler), limits=Limits(max_body=5000))
    with pytest.raises(sk.ParseError, match="max_body"):
        call(big, "get_post", "1")
    assert len(pulled) <= 7  # refused after ~5 of the 100 chunks


@respx.mock
def test_a_declared_content_length_over_max_body_is_refused_at_once(kind: str) -> None:
    respx.get("https://toy.example/posts/1").respond(200, content=b"x" * 10_000)
    with pytest.raises(sk.ParseError, match="max_body"):
        call(toy(kind, limits=Limits(max_body=100)), "get_post", "1")


# -- 4. endless pagination --------------------------------------------------------------------


def _guard(route: respx.Route) -> None:
    if route.call_count > 200:  # without the fix the listing never ends
        raise AssertionError("endless pagination")


@respx.mock
def test_mastodon_link_cycling_between_two_cursors_ends(kind: str) -> None:
    respx.get(f"{M}/api/v1/accounts/verify_credentials").respond(
        200, json={"id": "1", "username": "brand", "acct": "brand", "url": f"{M}/@brand"}
    )

    def page(request: httpx.Request) -> httpx.Response:
        _guard(route)
        nxt = "2" if request.url.params.get("max_id") != "2" else "3"
        link = f'<{M}/api/v1/notifications?max_id={nxt}>; rel="next"'
        return httpx.Response(200, json=[], headers={"Link": link})

    route = respx.get(f"{M}/api/v1/notifications").mock(side_effect=page)
    assert collect(mastodon(kind).mentions()) == []
    assert route.call_count <= 3


@respx.mock
def test_x_next_token_cycling_ends(kind: str) -> None:
    def page(request: httpx.Request) -> httpx.Response:
        _guard(route)
        nxt = "B" if request.url.params.get("next_token") != "B" else "A"
        return httpx.Response(200, json={"meta": {"result_count": 0, "next_token": nxt}})

    route = respx.get(f"{XAPI}/2/tweets/search/recent").mock(side_effect=page)
    assert collect(x(kind).search("coffee")) == []
    assert route.call_count <= 3


@respx.mock
def test_facebook_paging_cycling_ends(kind: str) -> None:
    def page(request: httpx.Request) -> httpx.Response:
        _guard(route)
        nxt = "B" if request.url.params.get("after") != "B" else "A"
        paging = {"next": f"{GRAPH}/1234567890/posts?after={nxt}", "cursors": {"after": nxt}}
        return httpx.Response(200, json={"data": [], "paging": paging})

    route = respx.get(f"{GRAPH}/1234567890/posts").mock(side_effect=page)
    assert collect(facebook(kind).posts()) == []
    assert route.call_count <= 3


@respx.mock
def test_empty_pages_in_a_row_are_capped(kind: str) -> None:
    def page(request: httpx.Request) -> httpx.Response:
        _guard(route)
        return httpx.Response(200, json={"items": [], "next": str(route.call_count)})

    route = respx.get("https://toy.example/posts").mock(side_effect=page)
    assert collect(toy(kind, limits=Limits(max_empty_pages=5)).posts()) == []
    assert route.call_count == 5


@respx.mock
def test_pages_with_items_reset_the_empty_count(kind: str) -> None:
    def page(request: httpx.Request) -> httpx.Response:
        n = route.call_count
        items = [n] if n % 2 == 0 and n < 10 else []
        return httpx.Response(200, json={"items": items, "next": str(n) if n < 12 else None})

    route = respx.get("https://toy.example/posts").mock(side_effect=page)
    found = collect(toy(kind, limits=Limits(max_empty_pages=2)).posts())
    assert [p.id for p in found] == ["0", "2", "4", "6", "8"]


# -- 5. an unreadable answer to a publish ------------------------------------------------------


@respx.mock
def test_x_reply_answered_200_with_garbage_is_uncertain(kind: str) -> None:
    respx.post(f"{XAPI}/2/tweets").respond(200, content=b"<html>oops")
    draft = sk.Draft(text="thanks!")
    with pytest.raises(sk.PublishUncertain) as caught:
        call(x(kind), "reply", "1346889436626259968", draft)
    assert caught.value.idempotency_key == draft.idempotency_key


@respx.mock
def test_a_garbage_answer_to_a_read_stays_a_parse_error(kind: str) -> None:
    respx.get(f"{XAPI}/2/tweets/1").respond(200, content=b"<html>oops")
    with pytest.raises(sk.ParseError):
        call(x(kind), "get_post", "1")


# -- 13. secrets echoed by servers -------------------------------------------------------------


@respx.mock
def test_a_token_echoed_in_an_error_body_is_scrubbed(kind: str) -> None:
    echoed = {"error": {"message": f"bad request to /me?access_token={TOKEN}", "code": 100}}
    respx.get(f"{GRAPH}/1_2").respond(400, json=echoed)
    with pytest.raises(sk.SocialkitError) as caught:
        call(facebook(kind), "get_post", "1_2")
    shown = " ".join(
        [str(caught.value), repr(caught.value), *map(str, vars(caught.value).values())]
    )
    assert TOKEN not in shown
    assert TOKEN not in str(caught.value.args)


@respx.mock
def test_a_token_echoed_by_a_flow_error_is_scrubbed(kind: str) -> None:
    respx.get(f"{M}/api/v1/statuses/1").respond(
        422, json={"error": f"Validation failed: token {TOKEN} is odd"}
    )
    with pytest.raises(sk.InvalidContent) as caught:
        call(mastodon(kind), "get_post", "1")
    assert TOKEN not in str(caught.value)
    assert "***" in caught.value.message


# -- 14. smaller ------------------------------------------------------------------------------


def test_a_target_with_an_out_of_range_port_is_a_config_error() -> None:
    with pytest.raises(sk.ConfigError, match="port"):
        sk.connect("mastodon://T@m.example:99999")
