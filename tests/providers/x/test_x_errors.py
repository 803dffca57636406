"""Faults: X's problem details mapped to our errors, rate limits, retries, uncertain
publishes and unreadable answers."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import respx

import socialkit as sk

TWEET = "1346889436626259968"


def problem(body: Callable[[str], Any], name: str, status: int, **headers: str) -> httpx.Response:
    return httpx.Response(status, json=body(name), headers=headers)


def test_429_with_a_distant_reset_is_rate_limited_with_reset_at(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    reset = int(time.time()) + 900
    route = router.get(f"/2/tweets/{TWEET}").mock(return_value=problem(
        body, "problem_too_many_requests", 429, **{
            "x-rate-limit-limit": "900", "x-rate-limit-remaining": "0",
            "x-rate-limit-reset": str(reset)}))
    with pytest.raises(sk.RateLimited) as raised:
        x.get_post(TWEET)
    assert raised.value.reset_at == datetime.fromtimestamp(reset, UTC)
    assert 890 < (raised.value.retry_after or 0) <= 900
    assert route.call_count == 1


def test_429_with_a_near_reset_waits_for_it_and_retries(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any], sleeps: list[float]
) -> None:
    reset = str(int(time.time()) + 3)
    route = router.get(f"/2/tweets/{TWEET}").mock(side_effect=[
        problem(body, "problem_too_many_requests", 429, **{
            "x-rate-limit-remaining": "0", "x-rate-limit-reset": reset}),
        httpx.Response(200, json=body("tweet")),
    ])
    assert x.get_post(TWEET).id == TWEET
    assert route.call_count == 2
    assert any(1 < s <= 3 for s in sleeps)


def test_an_exhausted_daily_post_cap_reports_its_own_reset(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    window, day = int(time.time()) + 600, int(time.time()) + 50_000
    router.post("/2/tweets").mock(return_value=problem(
        body, "problem_too_many_requests", 429, **{
            "x-rate-limit-remaining": "99", "x-rate-limit-reset": str(window),
            "x-user-limit-24hour-limit": "100", "x-user-limit-24hour-remaining": "0",
            "x-user-limit-24hour-reset": str(day)}))
    with pytest.raises(sk.RateLimited) as raised:
        x.publish("Hello")
    assert raised.value.reset_at == datetime.fromtimestamp(day, UTC)


def test_usage_cap_exceeded_is_rate_limited(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get("/2/tweets/search/recent").mock(
        return_value=problem(body, "problem_usage_capped", 429))
    with pytest.raises(sk.RateLimited, match="Monthly product cap") as raised:
        x.items(x.search("socialkit"))
    assert raised.value.code == "usage-capped"


def test_503_on_a_get_is_retried(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.get(f"/2/tweets/{TWEET}").mock(side_effect=[
        problem(body, "problem_service_unavailable", 503),
        httpx.Response(200, json=body("tweet")),
    ])
    assert x.get_post(TWEET).id == TWEET
    assert route.call_count == 2


def test_a_post_timeout_is_publish_uncertain_and_not_retried(
    x: Any, router: respx.MockRouter
) -> None:
    route = router.post("/2/tweets").mock(side_effect=httpx.ReadTimeout("timed out"))
    draft = sk.Draft(text="Hello")
    with pytest.raises(sk.PublishUncertain) as raised:
        x.publish(draft)
    assert raised.value.idempotency_key == draft.idempotency_key
    assert route.call_count == 1


def test_a_503_on_post_is_publish_uncertain_and_not_retried(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.post("/2/tweets").mock(
        return_value=problem(body, "problem_service_unavailable", 503))
    with pytest.raises(sk.PublishUncertain):
        x.publish("Hello")
    assert route.call_count == 1


def test_malformed_json_is_a_parse_error(x: Any, router: respx.MockRouter) -> None:
    router.get(f"/2/tweets/{TWEET}").mock(return_value=httpx.Response(
        200, content=b'{"data": {"id": ', headers={"Content-Type": "application/json"}))
    with pytest.raises(sk.ParseError):
        x.get_post(TWEET)


def test_a_payload_missing_required_fields_is_a_parse_error(
    x: Any, router: respx.MockRouter
) -> None:
    router.get(f"/2/tweets/{TWEET}").mock(
        return_value=httpx.Response(200, json={"data": {"text": "no id"}}))
    with pytest.raises(sk.ParseError):
        x.get_post(TWEET)


def test_401_is_an_auth_error(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(f"/2/tweets/{TWEET}").mock(return_value=problem(body, "problem_unauthorized", 401))
    with pytest.raises(sk.AuthError) as raised:
        x.get_post(TWEET)
    assert raised.value.status == 401


def test_duplicate_content_is_invalid_content_duplicate(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.post("/2/tweets").mock(return_value=problem(body, "problem_duplicate", 403))
    with pytest.raises(sk.InvalidContent) as raised:
        x.publish("Hello again")
    assert raised.value.rule == "duplicate"
    assert raised.value.status == 403


def test_403_forbidden_is_permission_denied(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.put(f"/2/tweets/{TWEET}/hidden").mock(
        return_value=problem(body, "problem_forbidden", 403))
    with pytest.raises(sk.PermissionDenied, match="not permitted"):
        x.hide_comment(TWEET)


def test_unsupported_authentication_is_permission_denied_with_xs_words(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get("/2/users/me").mock(
        return_value=problem(body, "problem_unsupported_authentication", 403))
    with pytest.raises(sk.PermissionDenied, match="Application-Only is forbidden") as raised:
        x.me()
    assert raised.value.code == "unsupported-authentication"


def test_404_resource_not_found_is_not_found(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.delete(f"/2/tweets/{TWEET}").mock(return_value=problem(body, "problem_not_found", 404))
    with pytest.raises(sk.NotFound) as raised:
        x.delete_post(TWEET)
    assert raised.value.code == "resource-not-found"


def test_an_invalid_request_names_the_parameter_at_fault(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get("/2/tweets/search/recent").mock(
        return_value=problem(body, "problem_invalid_request", 400))
    with pytest.raises(sk.PlatformError, match="max_results") as raised:
        x.items(x.search("socialkit"))
    assert raised.value.code == "invalid-request"


def test_the_transaction_id_becomes_the_request_id(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(f"/2/tweets/{TWEET}").mock(return_value=problem(
        body, "problem_not_found", 404, **{"x-transaction-id": "a1b2c3d4e5f6"}))
    with pytest.raises(sk.NotFound) as raised:
        x.get_post(TWEET)
    assert raised.value.request_id == "a1b2c3d4e5f6"


def test_errors_never_show_the_token(
    connect: Any, platform_factory: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(f"/2/tweets/{TWEET}").mock(return_value=problem(body, "problem_unauthorized", 401))
    client = connect(platform_factory(access_token="very-secret-token"))
    with pytest.raises(sk.AuthError) as raised:
        client.get_post(TWEET)
    assert "very-secret-token" not in f"{raised.value} {raised.value!r}"
