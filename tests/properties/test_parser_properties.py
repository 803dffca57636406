"""Property: whatever a server answers, a read ends in a valid model or a socialkit error.

Every shipped provider runs behind its stateful test fake (``tests/providers/*``), through
the real drivers; once a post exists, each JSON answer is replaced by a hypothesis mutation
of itself (nulls, wrong types, absurd numbers, odd unicode, 10,000-deep nesting, dropped
keys, another fixture of the platform), sometimes with an unexpected status or absurd
rate-limit headers, and a route the fake lacks may answer one of the platform's fixtures.
Never a raw Python exception, never a model holding half a character or an infinite
metric, never a hang: each example has a hard time bound. The mutations are in
`hostile_json`, the providers' fakes in `targets`.
"""

from __future__ import annotations

import math
import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from typing import Any

import anyio
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

import socialkit as sk
from socialkit.errors import SocialkitError
from socialkit.platform import Capability

from .targets import TARGETS, MutatingServer, Target, fixtures

# per provider (and per driver); `nox -s hunt` runs many more
EXAMPLES = int(os.environ.get("SOCIALKIT_PROPERTY_EXAMPLES", "25"))
HARD_LIMIT = 10.0  # seconds one example may take before it counts as a hang
FAST = sk.RetryPolicy(attempts=2, backoff=0.0, max_backoff=0.0, max_retry_after=0.0)
LIMITS = sk.Limits(deadline=5.0, max_body=4 * 1024 * 1024, max_empty_pages=5)

EXAMPLES_ASYNC = max(6, EXAMPLES // 4)  # the async driver shares the flows and the exchange
Operation = Callable[[sk.Client, str], Any]
OPERATIONS: list[tuple[Capability, str, Operation]] = [
    (Capability.READ_POSTS, "get_post", lambda c, i: c.get_post(i)),
    (Capability.READ_POSTS, "posts", lambda c, i: c.posts().first(3)),
    (Capability.READ_COMMENTS, "comments", lambda c, i: c.comments(i).first(3)),
    (Capability.MENTIONS, "mentions", lambda c, i: c.mentions().first(3)),
    (Capability.POST_METRICS, "post_metrics", lambda c, i: c.post_metrics(i)),
]


class Hang(Exception):
    """An example ran past `HARD_LIMIT`."""


@contextmanager
def hard_limit(seconds: float) -> Iterator[None]:
    """Raise `Hang` in the main thread once ``seconds`` have passed."""

    if not hasattr(signal, "setitimer"):  # pragma: no cover - Windows
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise Hang(f"no outcome after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def assert_valid(value: Any, where: str = "result") -> None:
    """A model (or list of them) that can be stored, logged and computed with."""
    if isinstance(value, BaseModel):
        assert_valid(
            {k: getattr(value, k) for k in type(value).model_fields if k != "raw"},
            f"{where}<{type(value).__name__}>",
        )
        if isinstance(value, sk.Metric) and isinstance(value.value, float):
            assert math.isfinite(value.value), f"{where}: metric {value.name} = {value.value}"
    elif isinstance(value, dict):
        for key, item in value.items():
            assert_valid(item, f"{where}.{key}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            assert_valid(item, f"{where}[{index}]")
    elif isinstance(value, str):
        value.encode("utf-8")  # a lone surrogate raises here
    elif isinstance(value, datetime):
        assert value.tzinfo is not None, f"{where}: naive datetime"


def seed_post_id(client: sk.Client) -> str:
    """The id of a post on the fake (listed, else published), read with no mutation."""
    if Capability.READ_POSTS in client.capabilities:
        try:
            for post in client.posts().first(1):
                return post.id
        except SocialkitError:
            pass
    try:
        return client.publish("seed post for the property suite").id
    except SocialkitError:
        return "1"


def forget_process_state() -> None:
    """Clear what the process remembers across clients: rate limits, quotas, tokens."""
    from socialkit.http import RATE_LIMITS
    from socialkit.providers.wechat.token import clear_tokens
    from socialkit.providers.weibo.limits import BUDGETS
    from socialkit.providers.youtube import QUOTAS

    for state in (RATE_LIMITS, BUDGETS, QUOTAS):
        state.clear()
    clear_tokens()


def run_hostile(target: Target, data: st.DataObject) -> None:
    """Read every way the provider supports while its fake's answers are mutated."""
    forget_process_state()
    handler, platform = target.make()
    server = MutatingServer(handler, data, fixtures(target.fixtures))
    with (
        hard_limit(HARD_LIMIT),
        sk.Client(
            platform, transport=httpx.MockTransport(server), retry=FAST, limits=LIMITS
        ) as client,
    ):
        client._sleep = lambda seconds: None  # type: ignore[method-assign]
        post_id = seed_post_id(client)
        server.mutating = True
        for capability, name, operation in OPERATIONS:
            if capability not in client.capabilities:
                continue
            try:
                result = operation(client, post_id)
            except SocialkitError:
                continue
            assert_valid(result, name)


ASYNC_OPERATIONS: list[tuple[Capability, str, Callable[[sk.AsyncClient, str], Any]]] = [
    (Capability.READ_POSTS, "get_post", lambda c, i: c.get_post(i)),
    (Capability.READ_POSTS, "posts", lambda c, i: c.posts().first(3)),
    (Capability.READ_COMMENTS, "comments", lambda c, i: c.comments(i).first(3)),
    (Capability.MENTIONS, "mentions", lambda c, i: c.mentions().first(3)),
    (Capability.POST_METRICS, "post_metrics", lambda c, i: c.post_metrics(i)),
]


async def run_hostile_async(target: Target, data: st.DataObject) -> None:
    """`run_hostile` through the async driver (the post id is read unmutated first)."""
    forget_process_state()
    handler, platform = target.make()
    server = MutatingServer(handler, data, fixtures(target.fixtures))
    async with sk.AsyncClient(
        platform, transport=httpx.MockTransport(server), retry=FAST, limits=LIMITS
    ) as client:

        async def no_sleep(seconds: float) -> None:
            return None

        client._sleep = no_sleep  # type: ignore[method-assign]
        post_id = "1"
        if Capability.READ_POSTS in client.capabilities:
            with suppress(SocialkitError, StopIteration):
                post_id = next(iter(await client.posts().first(1))).id
        server.mutating = True
        for capability, name, operation in ASYNC_OPERATIONS:
            if capability not in client.capabilities:
                continue
            try:
                result = await operation(client, post_id)
            except SocialkitError:
                continue
            assert_valid(result, name)


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
@settings(
    max_examples=EXAMPLES_ASYNC,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_the_async_driver_too_ends_in_a_model_or_a_socialkit_error(
    target: Target, data: st.DataObject
) -> None:
    with hard_limit(HARD_LIMIT):
        anyio.run(run_hostile_async, target, data)


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_a_mutated_answer_ends_in_a_model_or_a_socialkit_error(
    target: Target, data: st.DataObject
) -> None:
    run_hostile(target, data)


# -- what the suite found ------------------------------------------------------------------


def _cursor_server(platform: str) -> Callable[[httpx.Request], httpx.Response]:
    """A server whose listings are empty, with a next cursor holding half a character."""
    from ..providers.bluesky.bsky_support import DID, HANDLE, jwt, session

    def answer(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.endswith("createSession"):
            return httpx.Response(200, json=session(jwt("access"), jwt("refresh")))
        if path.endswith("getSession"):
            return httpx.Response(200, json={"did": DID, "handle": HANDLE})
        if path == "/2/users/me":
            return httpx.Response(200, json={"data": {"id": "1", "username": "brand"}})
        if platform == "x":
            body = b'{"data": [], "meta": {"result_count": 0, "next_token": "\\udc00"}}'
        else:
            body = b'{"feed": [], "notifications": [], "cursor": "\\udc00"}'
        return httpx.Response(200, headers={"Content-Type": "application/json"}, content=body)

    return answer


@pytest.mark.parametrize("operation", ["posts", "mentions"])
@pytest.mark.parametrize("platform", ["bluesky", "x"])
def test_a_next_cursor_holding_half_a_character_is_a_parse_error(
    platform: str, operation: str
) -> None:
    # found by test_spec_properties (Bluesky, a mutated getAuthorFeed "cursor": "\udc00"):
    # the next page's request could not be encoded, a raw UnicodeEncodeError in the driver
    from ..providers.bluesky.bsky_support import platform as bluesky
    from ..providers.x.conftest import make_platform as x

    made = bluesky() if platform == "bluesky" else x(access_token="t")
    transport = httpx.MockTransport(_cursor_server(platform))
    with (
        sk.Client(made, transport=transport, retry=FAST) as client,
        pytest.raises(sk.ParseError, match="half a character"),
    ):
        getattr(client, operation)().first(3)

    async def main() -> None:
        async with sk.AsyncClient(made, transport=transport, retry=FAST) as client:
            with pytest.raises(sk.ParseError, match="half a character"):
                await getattr(client, operation)().first(3)

    anyio.run(main)


@pytest.mark.parametrize("word", ["Infinity", "-Infinity", "NaN"])
def test_a_count_that_is_no_finite_number_is_no_metric_value(word: str) -> None:
    # found by this suite (X, a mutated "retweet_count": Infinity): a Metric of inf, which
    # turns every rate computed from it into inf or NaN
    from ..providers.x.conftest import make_platform as x

    counts = f'"retweet_count": {word}, "like_count": 2, "reply_count": 0, "quote_count": 0'
    body = '{"data": {"id": "7", "text": "hi", "public_metrics": {' + counts + "}}}"

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Type": "application/json"}, content=body)

    with sk.Client(x(access_token="t"), transport=httpx.MockTransport(answer)) as client:
        metrics = {m.native_name: m.value for m in client.post_metrics("7")}
    assert metrics["public_metrics.retweet_count"] is None
    assert metrics["public_metrics.like_count"] == 2
    assert sk.Metric(platform="p", subject="post", subject_id="1", name="n", value=1.5).value == 1.5


def test_an_id_that_makes_no_url_is_a_parse_error() -> None:
    # found by test_spec_properties (X, a generated /2/users/me "id" holding "\x1f"): the
    # next request's URL was refused by httpx, a raw httpx.InvalidURL in the driver
    from ..providers.x.conftest import make_platform as x

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"data": {"id": "1\x1f2", "username": "brand"}})

    with (
        sk.Client(x(access_token="t"), transport=httpx.MockTransport(answer)) as client,
        pytest.raises(sk.ParseError, match="no valid URL"),
    ):
        client.posts().first(1)
