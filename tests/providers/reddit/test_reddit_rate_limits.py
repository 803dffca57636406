"""Rate limits: X-Ratelimit-* headers into the shared state (clamped), a 429 waited out by
the window's reset, and the per-account action limit from the body."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import respx

import socialkit as sk
from socialkit.http import RATE_LIMITS
from socialkit.providers.reddit.errors import rate_limit_info, retry_after

from .reddit_support import API, make_platform


def headers(**values: str) -> httpx.Response:
    names = {k: f"X-Ratelimit-{k.title()}" for k in ("used", "remaining", "reset")}
    return httpx.Response(200, headers={names[k]: v for k, v in values.items()},
                          request=httpx.Request("GET", f"{API}/api/v1/me"))


def test_the_headers_give_limit_remaining_and_reset() -> None:
    before = datetime.now(UTC)
    info = rate_limit_info(headers(used="4", remaining="596.0", reset="120"))
    assert info is not None
    assert (info.limit, info.remaining) == (600, 596)
    assert info.reset_at is not None
    assert 119 <= (info.reset_at - before).total_seconds() <= 121


@pytest.mark.parametrize(
    ("remaining", "reset", "expected_remaining", "expected_reset"),
    [
        ("-5", "120", 0, 120),
        ("1e30", "120", 100_000, 120),
        ("10", "9999999", 10, 600),
        ("10", "-3", 10, 0),
    ],
)
def test_absurd_values_are_clamped(
    remaining: str, reset: str, expected_remaining: int, expected_reset: int
) -> None:
    before = datetime.now(UTC)
    info = rate_limit_info(headers(remaining=remaining, reset=reset))
    assert info is not None
    assert info.reset_at is not None
    assert info.remaining == expected_remaining
    assert abs((info.reset_at - before).total_seconds() - expected_reset) < 2


@pytest.mark.parametrize("bad", [{"remaining": "nan", "reset": "10"},
                                 {"remaining": "lots", "reset": "10"},
                                 {"remaining": "5"}, {}])
def test_missing_or_malformed_headers_say_nothing(bad: dict[str, str]) -> None:
    assert rate_limit_info(headers(**bad)) is None


def test_the_state_is_shared_and_an_empty_window_is_waited_for(
    connect: Callable[..., Any], router: respx.MockRouter, body: Callable[[str], Any],
    sleeps: list[float],
) -> None:
    router.get(f"{API}/api/v1/me").respond(
        200, json=body("me"),
        headers={"X-Ratelimit-Used": "600", "X-Ratelimit-Remaining": "0",
                 "X-Ratelimit-Reset": "30"})
    platform = make_platform()
    connect(platform)("me")
    key = ("reddit", platform.account_key, "default")
    info = RATE_LIMITS.get(key)
    assert info is not None
    assert (info.limit, info.remaining) == (600, 0)
    connect(make_platform())("me")  # another client of the same account waits
    assert any(25 <= s <= 31 for s in sleeps)


def test_an_empty_window_far_off_raises_in_raise_mode(
    connect: Callable[..., Any], router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.get(f"{API}/api/v1/me").respond(
        200, json=body("me"),
        headers={"X-Ratelimit-Used": "600", "X-Ratelimit-Remaining": "0",
                 "X-Ratelimit-Reset": "400"})
    connect(make_platform())("me")
    with pytest.raises(sk.RateLimited) as raised:
        connect(make_platform(), rate_limit="raise")("me")
    assert raised.value.retry_after is not None
    assert raised.value.retry_after > 390
    assert route.call_count == 1


def test_a_429_is_rate_limited_until_the_windows_reset(
    connect: Callable[..., Any], router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(f"{API}/api/v1/me").respond(
        429, json=body("error_429"),
        headers={"X-Ratelimit-Used": "601", "X-Ratelimit-Remaining": "0",
                 "X-Ratelimit-Reset": "300"})
    with pytest.raises(sk.RateLimited) as raised:
        connect(make_platform())("me")
    assert raised.value.retry_after is not None
    assert 290 < raised.value.retry_after <= 300


def test_the_state_is_kept_per_app_then_per_account() -> None:
    assert make_platform().account_key != make_platform(username="other").account_key
    assert (make_platform(client_id="app").account_key
            == make_platform(client_id="app", username="other").account_key)
    assert make_platform(client_id="app").account_key != make_platform().account_key
    assert "reddit-secret-token" not in make_platform(username=None,
                                                      user_agent="a:b:1").account_key


@pytest.mark.parametrize(
    ("message", "seconds", "expected"),
    [
        ("you are doing that too much. try again in 9 minutes.", None, 540),
        ("you are doing that too much. try again in 1 minute.", None, 60),
        ("you are doing that too much. try again in 41 seconds.", None, 41),
        ("Take a break for 5 minutes before trying again.", None, 300),
        ("try again in 9 minutes.", 412.3, 413),
        ("try again later", None, None),
        ("try again in 99999 hours", None, 86_400),
    ],
)
def test_the_wait_of_a_ratelimit_error(message: str, seconds: float | None,
                                       expected: float | None) -> None:
    assert retry_after(message, seconds) == expected


def test_the_action_limit_holds_back_submissions_only(
    connect: Callable[..., Any], router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    submit = router.post(f"{API}/api/submit").respond(200, json=body("submit_ratelimit"))
    info = router.get(f"{API}/api/info").respond(200, json=body("info_self"))
    driver = connect(make_platform())
    with pytest.raises(sk.RateLimited):
        driver("publish", "Launch day")
    assert driver("get_post", "t3_1abc23").id == "t3_1abc23"  # reads go on
    with pytest.raises(sk.RateLimited) as raised:
        driver("publish", "Launch day, again")  # refused before any request
    assert raised.value.retry_after is not None
    assert raised.value.retry_after > 500
    assert (submit.call_count, info.call_count) == (1, 1)
