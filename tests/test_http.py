"""What the shared HTTP layer does that a platform and a caller can see.

Retries (which statuses, how often), the publish-uncertain rule, rate-limit state
carried between calls, and what goes on the wire for each kind of body.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio
import httpx
import pytest
import respx
from hypothesis import example, given
from hypothesis import strategies as st

import socialkit as sk
from socialkit.http import RATE_LIMITS, RateLimits, RetryPolicy, redact_url
from socialkit.platform import Call, Flow, Platform, PlatformSettings, RateLimitInfo

BASE = "https://limits.example"
NO_WAIT = RetryPolicy(backoff=0.0, max_backoff=0.0)


class Limited(Platform):
    """A platform that reports its rate limit in ``X-RateLimit-*`` headers."""

    name = "limited"
    default_base_url = BASE

    def rate_limit(self, response: httpx.Response) -> RateLimitInfo | None:
        headers = response.headers
        if "x-ratelimit-reset" not in headers:
            return None
        return RateLimitInfo(
            limit=int(headers["x-ratelimit-limit"]),
            remaining=int(headers["x-ratelimit-remaining"]),
            reset_at=datetime.fromtimestamp(float(headers["x-ratelimit-reset"]), UTC),
        )


class Keyed(Limited):
    honours_idempotency_key = True


def sync_client(platform: type[Platform] = Limited, **kw: Any) -> sk.Client:
    kw.setdefault("retry", NO_WAIT)
    return sk.Client(platform(PlatformSettings(access_token="tok")), **kw)


def send(client: sk.Client, call: Call) -> httpx.Response:
    def flow() -> Flow[httpx.Response]:
        response = yield call
        return response

    return client.run(flow())


def key_of(platform: type[Platform] = Limited) -> tuple[str, str, str]:
    return (platform.name, BASE, "default")


def limit_headers(remaining: int, reset_in: float, limit: int = 100) -> dict[str, str]:
    reset = datetime.now(UTC).timestamp() + reset_in
    return {
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(remaining),
        "X-RateLimit-Reset": str(reset),
    }


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


# --- publish uncertain ---------------------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_5xx_after_an_unkeyed_publish_is_uncertain_and_carries_the_key(
    api: respx.MockRouter, status: int
) -> None:
    route = api.post("/posts").respond(status)
    with pytest.raises(sk.PublishUncertain) as raised:
        send(sync_client(), Call("POST", "/posts", json={"t": "x"}, idempotency_key="k-1"))
    assert route.call_count == 1
    assert raised.value.idempotency_key == "k-1"
    assert raised.value.platform == "limited"


def test_a_500_after_an_unkeyed_publish_is_uncertain_in_the_async_driver(
    api: respx.MockRouter,
) -> None:
    route = api.post("/posts").respond(500)

    async def main() -> None:
        def flow() -> Flow[httpx.Response]:
            return (yield Call("POST", "/posts", idempotency_key="k-2"))

        async with sk.AsyncClient(Limited(PlatformSettings(access_token="t")), retry=NO_WAIT) as c:
            await c.run(flow())

    with pytest.raises(sk.PublishUncertain) as raised:
        anyio.run(main)
    assert (route.call_count, raised.value.idempotency_key) == (1, "k-2")


def test_a_4xx_after_a_publish_is_the_platform_error_not_uncertain(api: respx.MockRouter) -> None:
    api.post("/posts").respond(400, json={"error": "bad"})
    with pytest.raises(sk.PlatformError) as raised:
        send(sync_client(), Call("POST", "/posts"))
    assert not isinstance(raised.value, sk.PublishUncertain)
    assert raised.value.status == 400


def test_a_500_after_a_keyed_publish_on_a_key_honouring_platform_is_not_uncertain(
    api: respx.MockRouter,
) -> None:
    route = api.post("/posts").respond(500)
    with pytest.raises(sk.PlatformError) as raised:
        send(sync_client(Keyed), Call("POST", "/posts", idempotency_key="k-3"))
    assert not isinstance(raised.value, sk.PublishUncertain)
    assert route.call_count == 1  # a plain 500 is not retried
    assert route.calls.last.request.headers["Idempotency-Key"] == "k-3"


def test_a_read_timeout_after_an_unkeyed_publish_is_uncertain_with_its_key(
    api: respx.MockRouter,
) -> None:
    api.post("/posts").mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(sk.PublishUncertain) as raised:
        send(sync_client(), Call("POST", "/posts", idempotency_key="k-4"))
    assert raised.value.idempotency_key == "k-4"
    assert str(raised.value).startswith("[limited] POST /posts: ReadTimeout")


@pytest.mark.parametrize(
    "error", [httpx.ConnectError("no"), httpx.ConnectTimeout("no"), httpx.PoolTimeout("no")]
)
def test_a_publish_that_never_left_is_retried(api: respx.MockRouter, error: Exception) -> None:
    route = api.post("/posts")
    route.side_effect = [error, httpx.Response(201, json={})]
    assert send(sync_client(), Call("POST", "/posts")).status_code == 201
    assert route.call_count == 2


def test_the_idempotency_key_header_is_sent_only_where_it_is_honoured(
    api: respx.MockRouter,
) -> None:
    route = api.post("/posts").respond(201)
    send(sync_client(Limited), Call("POST", "/posts", idempotency_key="k-5"))
    assert "Idempotency-Key" not in route.calls.last.request.headers
    send(sync_client(Keyed), Call("POST", "/posts", idempotency_key="k-5"))
    assert route.calls.last.request.headers["Idempotency-Key"] == "k-5"


# --- which failures are retried ------------------------------------------------------------------


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 410, 422, 500])
def test_a_client_error_or_a_plain_500_is_not_retried(api: respx.MockRouter, status: int) -> None:
    route = api.get("/thing").respond(status)
    with pytest.raises(sk.SocialkitError) as raised:
        send(sync_client(retry=RetryPolicy(attempts=4, backoff=0)), Call("GET", "/thing"))
    assert route.call_count == 1
    assert getattr(raised.value, "status", None) == status


@pytest.mark.parametrize("status", [502, 503, 504])
def test_a_gateway_error_is_retried_up_to_the_attempt_bound(
    api: respx.MockRouter, status: int
) -> None:
    route = api.get("/thing").respond(status)
    with pytest.raises(sk.PlatformError):
        send(sync_client(retry=RetryPolicy(attempts=3, backoff=0)), Call("GET", "/thing"))
    assert route.call_count == 3


def test_retries_stop_at_the_time_bound(api: respx.MockRouter) -> None:
    route = api.get("/thing").respond(503)
    with pytest.raises(sk.PlatformError):
        send(sync_client(retry=RetryPolicy(attempts=10, max_elapsed=0.0)), Call("GET", "/thing"))
    assert route.call_count == 1


def test_backoff_grows_but_stays_under_its_cap(api: respx.MockRouter, sleeps: list[float]) -> None:
    api.get("/thing").respond(503)
    policy = RetryPolicy(attempts=4, backoff=0.5, max_backoff=1.0)
    with pytest.raises(sk.PlatformError):
        send(sync_client(retry=policy), Call("GET", "/thing"))
    assert len(sleeps) == 3
    assert all(0 <= s <= 1.0 for s in sleeps)


def test_a_retry_after_at_the_cap_is_waited_for(api: respx.MockRouter, sleeps: list[float]) -> None:
    route = api.get("/thing")
    route.side_effect = [httpx.Response(429, headers={"Retry-After": "7"}), httpx.Response(200)]
    client = sync_client(retry=RetryPolicy(backoff=0, max_retry_after=7))
    assert send(client, Call("GET", "/thing")).status_code == 200
    assert sleeps[0] == 7.0


def test_a_retry_after_past_the_cap_is_raised_at_once(api: respx.MockRouter) -> None:
    route = api.get("/thing").respond(429, headers={"Retry-After": "8"})
    with pytest.raises(sk.RateLimited) as raised:
        send(sync_client(retry=RetryPolicy(backoff=0, max_retry_after=7)), Call("GET", "/thing"))
    assert route.call_count == 1
    assert raised.value.retry_after == 8.0


# --- rate-limit state ----------------------------------------------------------------------------


def test_a_429_marks_the_bucket_exhausted_until_retry_after(api: respx.MockRouter) -> None:
    RATE_LIMITS.update(key_of(), RateLimitInfo(limit=100, remaining=40))
    route = api.get("/thing").respond(429, headers={"Retry-After": "30"})
    client = sync_client(rate_limit="raise")
    before = datetime.now(UTC)
    with pytest.raises(sk.RateLimited) as first:
        send(client, Call("GET", "/thing"))
    assert first.value.reset_at is not None
    assert before + timedelta(seconds=29) < first.value.reset_at
    assert first.value.reset_at < datetime.now(UTC) + timedelta(seconds=31)

    state = RATE_LIMITS.get(key_of())
    assert state is not None
    assert (state.limit, state.remaining) == (100, 0)  # what was known is kept
    assert state.reset_at is not None
    assert abs((state.reset_at - first.value.reset_at).total_seconds()) < 1

    with pytest.raises(sk.RateLimited) as second:  # nothing is sent until the reset
        send(client, Call("GET", "/thing"))
    assert route.call_count == 1
    assert second.value.retry_after is not None
    assert 28 < second.value.retry_after <= 30


def test_a_429_without_retry_after_takes_the_reset_of_earlier_headers(
    api: respx.MockRouter,
) -> None:
    route = api.get("/thing")
    route.side_effect = [
        httpx.Response(200, headers=limit_headers(remaining=5, reset_in=20)),
        httpx.Response(429),
    ]
    client = sync_client(rate_limit="raise")
    send(client, Call("GET", "/thing"))
    known = RATE_LIMITS.get(key_of())
    assert known is not None
    with pytest.raises(sk.RateLimited) as raised:
        send(client, Call("GET", "/thing"))
    assert raised.value.reset_at == known.reset_at
    assert raised.value.retry_after is not None
    assert 18 < raised.value.retry_after <= 20


def test_a_429_without_retry_after_after_a_past_reset_waits_nothing(
    api: respx.MockRouter,
) -> None:
    past = datetime.now(UTC) - timedelta(seconds=5)
    RATE_LIMITS.update(key_of(), RateLimitInfo(limit=100, remaining=3, reset_at=past))
    api.get("/thing").respond(429)
    with pytest.raises(sk.RateLimited) as raised:
        send(sync_client(rate_limit="raise"), Call("GET", "/thing"))
    assert raised.value.retry_after == 0.0
    assert raised.value.reset_at == past


def test_a_429_with_nothing_known_backs_off_without_a_reset(api: respx.MockRouter) -> None:
    api.get("/thing").respond(429)
    with pytest.raises(sk.RateLimited) as raised:
        send(sync_client(rate_limit="raise"), Call("GET", "/thing"))
    assert (raised.value.retry_after, raised.value.reset_at) == (None, None)
    assert RATE_LIMITS.get(key_of()) is None


def test_buckets_are_separate(api: respx.MockRouter) -> None:
    api.get("/thing").respond(429, headers={"Retry-After": "30"})
    route = api.get("/other").respond(200)
    client = sync_client(rate_limit="raise")
    with pytest.raises(sk.RateLimited):
        send(client, Call("GET", "/thing", bucket="search"))
    send(client, Call("GET", "/other"))
    assert route.call_count == 1
    assert RATE_LIMITS.get((Limited.name, BASE, "search")) is not None
    assert RATE_LIMITS.get(key_of()) is None


def test_pace_mode_spreads_the_remaining_calls_until_the_reset(
    api: respx.MockRouter, sleeps: list[float]
) -> None:
    route = api.get("/thing")
    route.side_effect = [
        httpx.Response(200, headers=limit_headers(remaining=4, reset_in=10)),
        httpx.Response(200),
    ]
    client = sync_client(rate_limit="pace")
    send(client, Call("GET", "/thing"))
    assert sleeps == []
    send(client, Call("GET", "/thing"))
    assert len(sleeps) == 1
    assert 1.9 < sleeps[0] <= 2.0  # 10 s for 4 calls and the reset: one every 2 s


@pytest.mark.parametrize("mode", ["wait", "raise"])
def test_other_modes_do_not_pace_while_calls_remain(
    api: respx.MockRouter, sleeps: list[float], mode: str
) -> None:
    route = api.get("/thing")
    route.side_effect = [
        httpx.Response(200, headers=limit_headers(remaining=1, reset_in=10)),
        httpx.Response(200),
    ]
    client = sync_client(rate_limit=mode)
    send(client, Call("GET", "/thing"))
    send(client, Call("GET", "/thing"))
    assert (sleeps, route.call_count) == ([], 2)


def test_an_exhausted_bucket_past_its_reset_is_used_at_once(
    api: respx.MockRouter, sleeps: list[float]
) -> None:
    past = datetime.now(UTC) - timedelta(seconds=1)
    RATE_LIMITS.update(key_of(), RateLimitInfo(remaining=0, reset_at=past))
    route = api.get("/thing").respond(200)
    send(sync_client(rate_limit="raise"), Call("GET", "/thing"))
    assert (sleeps, route.call_count) == ([], 1)


def test_an_exhausted_bucket_resetting_past_the_cap_raises_even_in_wait_mode(
    api: respx.MockRouter, sleeps: list[float]
) -> None:
    reset = datetime.now(UTC) + timedelta(seconds=120)
    RATE_LIMITS.update(key_of(), RateLimitInfo(remaining=0, reset_at=reset))
    route = api.get("/thing").respond(200)
    with pytest.raises(sk.RateLimited) as raised:
        send(sync_client(retry=RetryPolicy(max_retry_after=60)), Call("GET", "/thing"))
    assert (sleeps, route.call_count) == ([], 0)
    assert raised.value.reset_at == reset
    assert raised.value.platform == "limited"
    assert raised.value.retry_after is not None
    assert 118 < raised.value.retry_after <= 120
    assert "'default'" in str(raised.value)


def test_rate_limit_state_without_a_reset_never_waits() -> None:
    limits = RateLimits()
    key = ("p", "a", "b")
    assert limits.delay(key, "raise", 60) == 0.0
    limits.update(key, RateLimitInfo(remaining=0))
    assert limits.delay(key, "raise", 60) == 0.0
    limits.update(key, RateLimitInfo(reset_at=datetime.now(UTC) + timedelta(seconds=9)))
    assert limits.delay(key, "raise", 60) == 0.0
    limits.clear()
    assert limits.get(key) is None


# --- what goes on the wire -----------------------------------------------------------------------


def test_a_per_call_timeout_reaches_the_request(api: respx.MockRouter) -> None:
    route = api.get("/thing").respond(200)
    send(sync_client(), Call("GET", "/thing", timeout=2.5))
    assert route.calls.last.request.extensions["timeout"] == httpx.Timeout(2.5).as_dict()


def test_form_data_is_sent_form_encoded(api: respx.MockRouter) -> None:
    route = api.post("/form").respond(200)
    send(sync_client(), Call("POST", "/form", data={"a": "1", "b": "two"}))
    request = route.calls.last.request
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.content == b"a=1&b=two"


def test_files_are_sent_as_multipart(api: respx.MockRouter) -> None:
    route = api.post("/upload").respond(200)
    send(sync_client(), Call("POST", "/upload", files={"file": ("a.png", b"PNGDATA")}))
    request = route.calls.last.request
    assert request.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert b'filename="a.png"' in request.content
    assert b"PNGDATA" in request.content


def test_raw_content_and_headers_are_sent_as_given(api: respx.MockRouter) -> None:
    route = api.put("/blob").respond(200)
    call = Call("PUT", "/blob", content=b"\x00raw", headers={"Content-Type": "video/mp4"})
    send(sync_client(), call)
    request = route.calls.last.request
    assert (request.content, request.headers["Content-Type"]) == (b"\x00raw", "video/mp4")


def test_query_parameters_and_paths_join_the_base_url(api: respx.MockRouter) -> None:
    route = api.get("/v1/items").respond(200)
    send(sync_client(), Call("GET", "v1/items", params={"q": "a b"}))
    assert str(route.calls.last.request.url) == f"{BASE}/v1/items?q=a+b"


def test_an_unauthenticated_call_carries_no_credential(api: respx.MockRouter) -> None:
    route = api.get("/public").respond(200)
    send(sync_client(), Call("GET", "/public", authenticated=False))
    assert "Authorization" not in route.calls.last.request.headers


def test_a_platform_without_a_base_url_refuses_a_relative_path() -> None:
    class Bare(Platform):
        name = "bare"

    client = sk.Client(Bare(PlatformSettings()), retry=NO_WAIT)
    with pytest.raises(sk.ConfigError, match="no base_url"):
        send(client, Call("GET", "/x"))


def test_plain_http_is_allowed_on_loopback_only() -> None:
    with respx.mock(assert_all_called=False) as router:
        route = router.get("http://127.0.0.1:8080/x").respond(200)
        send(sync_client(), Call("GET", "http://127.0.0.1:8080/x", authenticated=False))
        assert route.call_count == 1
        with pytest.raises(sk.ConfigError, match="HTTPS is required"):
            send(sync_client(), Call("GET", "http://example.org/x"))


def test_an_unknown_rate_limit_mode_is_refused() -> None:
    with pytest.raises(sk.ConfigError) as raised:
        sync_client(rate_limit="sometimes")
    assert raised.value.field == "rate_limit"


# --- what callers read: messages, logs, fields ---------------------------------------------------


def test_the_uncertain_message_says_what_to_do(api: respx.MockRouter) -> None:
    api.post("/posts").respond(500)
    with pytest.raises(sk.PublishUncertain) as raised:
        send(sync_client(), Call("POST", "/posts"))
    assert str(raised.value) == (
        "[limited] POST /posts: HTTP 500: the request may have been applied; "
        "reconcile before publishing again"
    )


def test_a_transport_error_names_the_call_without_its_secrets(api: respx.MockRouter) -> None:
    api.get("/thing").mock(side_effect=httpx.ConnectError("refused"))
    call = Call("GET", "/thing", params={"access_token": "s3cret"})
    with pytest.raises(sk.TransportError) as raised:
        send(sync_client(retry=RetryPolicy(attempts=1)), call)
    assert str(raised.value) == f"[limited] GET /thing: ConnectError from {BASE}/"
    assert "s3cret" not in repr(raised.value)
    assert raised.value.platform == "limited"


def test_each_exchange_and_each_retry_is_logged_without_secrets(
    api: respx.MockRouter, caplog: pytest.LogCaptureFixture, sleeps: list[float]
) -> None:
    route = api.get("/thing")
    route.side_effect = [httpx.Response(503), httpx.Response(200)]
    with caplog.at_level(logging.DEBUG, logger="socialkit"):
        send(sync_client(), Call("GET", "/thing", params={"access_token": "s3cret"}))
    lines = [r.getMessage() for r in caplog.records]
    assert "retrying limited after PlatformError (attempt 1)" in lines
    exchanges = [line for line in lines if line.startswith("GET ")]
    assert len(exchanges) == 2
    pattern = rf"GET {BASE}/thing\?access_token=\*\*\* -> 503 in ([\d.]+) ms"
    first = re.fullmatch(pattern, exchanges[0])
    assert first is not None
    assert 0 <= float(first[1]) < 60_000
    assert "s3cret" not in caplog.text


def test_redact_url_hides_user_info() -> None:
    assert redact_url("https://user:pw@example.com/x?key=k") == "https://***@example.com/x?key=***"


def test_redaction_in_a_log_line_keeps_what_follows_the_url() -> None:
    line = 'HTTP Request: GET https://api.weibo.com/x?access_token=abc "HTTP/1.1 200 OK"'
    assert redact_url(line) == (
        'HTTP Request: GET https://api.weibo.com/x?access_token=*** "HTTP/1.1 200 OK"'
    )


def test_a_json_body_is_sent_as_json(api: respx.MockRouter) -> None:
    route = api.post("/posts").respond(201)
    send(sync_client(), Call("POST", "/posts", json={"text": "hi"}))
    request = route.calls.last.request
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content) == {"text": "hi"}


def test_a_call_without_its_own_timeout_keeps_the_client_timeout(api: respx.MockRouter) -> None:
    route = api.get("/thing").respond(200)
    send(sync_client(timeout=7.0), Call("GET", "/thing"))
    assert route.calls.last.request.extensions["timeout"]["read"] == 7.0


def test_a_path_is_joined_as_written(api: respx.MockRouter) -> None:
    route = api.get("/Xavier").respond(200)
    send(sync_client(), Call("GET", "/Xavier"))
    assert route.call_count == 1


def test_config_errors_name_the_field_and_platform() -> None:
    class Bare(Platform):
        name = "bare"

    with pytest.raises(sk.ConfigError) as no_base:
        send(sk.Client(Bare(PlatformSettings()), retry=NO_WAIT), Call("GET", "/x"))
    assert (no_base.value.field, no_base.value.platform) == ("base_url", "bare")
    with pytest.raises(sk.ConfigError) as plain:
        send(sync_client(), Call("GET", "http://example.org/x"))
    assert (plain.value.field, plain.value.platform) == ("base_url", "limited")


def test_a_bucket_resetting_within_a_second_is_still_exhausted(api: respx.MockRouter) -> None:
    soon = datetime.now(UTC) + timedelta(seconds=0.8)
    RATE_LIMITS.update(key_of(), RateLimitInfo(remaining=0, reset_at=soon))
    route = api.get("/thing").respond(200)
    with pytest.raises(sk.RateLimited):
        send(sync_client(rate_limit="raise"), Call("GET", "/thing"))
    assert route.call_count == 0


def test_a_zero_backoff_never_sleeps(api: respx.MockRouter, sleeps: list[float]) -> None:
    api.get("/thing").respond(503)
    with pytest.raises(sk.PlatformError):
        send(sync_client(retry=RetryPolicy(backoff=0.0, max_backoff=8.0)), Call("GET", "/thing"))
    assert sleeps == [0.0, 0.0, 0.0]


def test_the_backoff_cap_bounds_every_sleep(api: respx.MockRouter, sleeps: list[float]) -> None:
    api.get("/thing").respond(503)
    policy = RetryPolicy(attempts=6, backoff=1.0, max_backoff=0.001)
    with pytest.raises(sk.PlatformError):
        send(sync_client(retry=policy), Call("GET", "/thing"))
    assert len(sleeps) == 5
    assert all(s <= 0.001 for s in sleeps)


# --- refreshing credentials ----------------------------------------------------------------------


class Rotating:
    """A credential that renews itself: ``old`` then ``new1``, ``new2``..."""

    def __init__(self, *, expires_soon: bool = False) -> None:
        self.generation = 0
        self.lock = threading.Lock()
        self.token = "old"
        self.soon = expires_soon

    def apply(self, request: httpx.Request) -> None:
        request.headers["Authorization"] = f"Bearer {self.token}"

    def expires_soon(self) -> bool:
        return self.soon

    def refresh(self) -> Flow[None]:
        yield from ()
        self.generation += 1
        self.token = f"new{self.generation}"
        self.soon = False


def rotating_client(credential: Rotating) -> sk.Client:
    platform = Limited(PlatformSettings())
    platform.__dict__["credential"] = credential  # Platform.credential is a cached property
    return sk.Client(platform, retry=NO_WAIT)


def test_an_expired_token_is_refreshed_once_and_the_call_replayed(api: respx.MockRouter) -> None:
    route = api.get("/thing")
    route.side_effect = [
        httpx.Response(401, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'}),
        httpx.Response(200),
    ]
    client = rotating_client(Rotating())
    assert send(client, Call("GET", "/thing")).status_code == 200
    sent = [c.request.headers["Authorization"] for c in route.calls]
    assert sent == ["Bearer old", "Bearer new1"]


def test_a_token_about_to_expire_is_refreshed_before_the_call(api: respx.MockRouter) -> None:
    route = api.get("/thing").respond(200)
    client = rotating_client(Rotating(expires_soon=True))
    send(client, Call("GET", "/thing"))
    send(client, Call("GET", "/thing"))
    assert [c.request.headers["Authorization"] for c in route.calls] == ["Bearer new1"] * 2


def test_an_unauthenticated_call_never_refreshes(api: respx.MockRouter) -> None:
    route = api.get("/public").respond(200)
    credential = Rotating(expires_soon=True)
    send(rotating_client(credential), Call("GET", "/public", authenticated=False))
    assert credential.generation == 0
    assert "Authorization" not in route.calls.last.request.headers


def test_rate_limits_read_the_wall_clock_when_no_time_is_given() -> None:
    from socialkit.http import RateLimits
    from socialkit.platform import RateLimitInfo

    limits = RateLimits()
    key = ("toy", "me", "GET")
    reset = datetime.now(UTC) + timedelta(seconds=30)
    limits.update(key, RateLimitInfo(remaining=0, reset_at=reset))
    wait = limits.delay(key, "wait", 60.0)
    assert wait is not None
    assert 20 < wait <= 30


# -- joining a path to the base URL without parsing it again -----------------------------------

_ROOTS = [
    "https://mastodon.example",
    "https://mastodon.example/",
    "http://127.0.0.1:8080",
    "https://API.Example.com/v2/",
    "https://xn--bcher-kva.example/api",
    "https://host.example/a%20b",
    "https://host.example:443/base",
]


def _exchange(root: str) -> Any:
    from socialkit.http import Exchange

    platform = Platform(PlatformSettings(base_url=root, access_token="t"))
    return Exchange(platform, retry=RetryPolicy(), rate_limit="wait")


@example(root="https://mastodon.example", path="api/./v1/../statuses/1")
@example(root="https://mastodon.example/v2/", path="..")
@example(root="https://mastodon.example", path="a/.well-known/x")
@example(root="https://mastodon.example", path="a%2Fb?q=1#f")
@example(root="https://mastodon.example", path="a\x7fb")
@given(
    root=st.sampled_from(_ROOTS),
    path=st.text(alphabet="aZ09-._~!$&'()*+,;=:@/%?#é \x7f.", max_size=30),
)
def test_a_joined_url_is_the_one_httpx_parses(root: str, path: str) -> None:
    exchange = _exchange(root)
    try:
        expected = httpx.URL(f"{root.rstrip('/')}/{path}")
    except httpx.InvalidURL:
        with pytest.raises(httpx.InvalidURL):
            exchange._join(path)
        return
    joined = exchange._join(path)
    assert str(joined) == str(expected)
    assert (joined.raw_path, joined.host, joined.port) == (
        expected.raw_path,
        expected.host,
        expected.port,
    )


def test_a_plain_path_is_not_parsed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    from httpx import _urls

    exchange = _exchange("https://mastodon.example")
    monkeypatch.setattr(_urls, "urlparse", None)  # any parse now fails
    url = exchange._join("api/v1/statuses/109")
    assert str(url) == "https://mastodon.example/api/v1/statuses/109"
    assert url.host == "mastodon.example"


_HEADER_NAMES = ["Accept", "X-Trace", "user-agent", "Host", "content-length", "Transfer-Encoding"]


@example(method="post", url="https://m.example/a?b=1", params=None, names=[], body=None)
@example(method="GET", url="https://m.example/a?b=1", params={}, names=[], body=None)
@example(method="PATCH", url="https://m.example/a", params=None, names=["Host"], body=None)
@given(
    method=st.sampled_from(["GET", "get", "POST", "PUT", "PATCH", "DELETE", "HEAD"]),
    url=st.sampled_from(["https://m.example/api/v1/x", "https://m.example:8443/a?b=1", "http://[::1]/"]),
    params=st.none() | st.dictionaries(st.sampled_from(["q", "limit", "é"]), st.text(max_size=5)),
    names=st.lists(st.sampled_from(_HEADER_NAMES), max_size=3, unique=True),
    body=st.none() | st.sampled_from([{"json": {"a": 1}}, {"data": {"a": "1"}}, {"content": b"x"}]),
)
def test_a_request_is_built_as_httpx_builds_it(
    method: str, url: str, params: dict[str, str] | None, names: list[str], body: Any
) -> None:
    """The fast path for a request without a body builds what ``httpx.Request`` builds."""
    exchange = _exchange("https://m.example")
    headers = dict.fromkeys(names, "1")
    call = Call(method, url, params=params, headers=headers, authenticated=False, **(body or {}))
    built = exchange.build(call)
    expected_headers = dict(headers)
    if "user-agent" not in {n.lower() for n in names}:
        expected_headers["User-Agent"] = built.headers["user-agent"]
    expected = httpx.Request(
        method, url, params=params, headers=expected_headers, **(body or {})
    )
    assert (built.method, str(built.url), built.url.raw_path) == (
        expected.method,
        str(expected.url),
        expected.url.raw_path,
    )
    assert built.headers.raw == expected.headers.raw
    assert built.content == expected.content
    assert type(built.stream) is type(expected.stream)
    assert list(built.stream) == list(expected.stream)  # type: ignore[arg-type]
    assert built.extensions == expected.extensions
