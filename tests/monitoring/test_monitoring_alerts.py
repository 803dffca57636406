"""Alerts: signed webhooks (captured with respx), signature checks, callbacks."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest
import respx

from socialkit.errors import ConfigError, TransportError
from socialkit.monitoring import SIGNATURE_HEADER, Alert, WebhookSender, sign, verify_signature
from socialkit.monitoring.alerts import adispatch, dispatch

URL = "https://hooks.example.com/social"
SECRET = "s3cret-webhook-key"
NOW = 1_736_154_000
ALERT = Alert(
    query="@brand",
    kind="negative_share",
    severity="crisis",
    value=0.6,
    baseline=0.08,
    score=9.5,
    volume=40,
    negative=24,
    at=datetime(2025, 1, 6, 9, 0, tzinfo=UTC),
    samples=(("https://x/1", "terrible"),),
)


def _capture() -> httpx.Request:
    sender = WebhookSender(URL, SECRET, clock=lambda: NOW)
    with respx.mock(assert_all_called=True) as mock:
        route = mock.post(URL).respond(204)
        sender.send(ALERT)
    return route.calls.last.request


def test_the_webhook_posts_the_alert_as_json() -> None:
    request = _capture()

    body = json.loads(request.content)
    assert request.headers["content-type"] == "application/json"
    assert body["type"] == "socialkit.alert"
    assert (body["query"], body["kind"], body["severity"]) == ("@brand", "negative_share", "crisis")
    assert body["samples"] == [{"ref": "https://x/1", "text": "terrible"}]


def test_the_captured_signature_verifies() -> None:
    request = _capture()

    header = request.headers[SIGNATURE_HEADER]
    assert header.startswith(f"t={NOW},sha256=")
    assert verify_signature(request.content, header, SECRET, now=NOW + 10)


def test_a_tampered_body_is_rejected() -> None:
    request = _capture()
    tampered = request.content.replace(b'"crisis"', b'"warning"')

    assert not verify_signature(tampered, request.headers[SIGNATURE_HEADER], SECRET, now=NOW)


def test_an_old_timestamp_is_rejected() -> None:
    request = _capture()
    header = request.headers[SIGNATURE_HEADER]

    assert not verify_signature(request.content, header, SECRET, tolerance=300, now=NOW + 301)
    assert verify_signature(request.content, header, SECRET, tolerance=300, now=NOW + 299)


def test_a_replayed_signature_with_a_new_timestamp_is_rejected() -> None:
    request = _capture()
    digest = request.headers[SIGNATURE_HEADER].split("sha256=")[1]

    forged = f"t={NOW + 1000},sha256={digest}"
    assert not verify_signature(request.content, forged, SECRET, now=NOW + 1000)


@pytest.mark.parametrize(
    "header", [None, "", "sha256=abc", "t=abc,sha256=abc", f"t={NOW}", "garbage"]
)
def test_malformed_headers_are_rejected(header: str | None) -> None:
    assert not verify_signature(b"{}", header, SECRET, now=NOW)


def test_a_wrong_secret_is_rejected() -> None:
    body = b'{"a": 1}'

    assert not verify_signature(body, sign(body, SECRET, NOW), "other-secret", now=NOW)


def test_a_5xx_is_retried_and_each_attempt_is_signed() -> None:
    sender = WebhookSender(URL, SECRET, backoff=0.001, clock=lambda: NOW)
    with respx.mock() as mock:
        route = mock.post(URL).mock(side_effect=[httpx.Response(503), httpx.Response(200)])
        sender.send(ALERT)

    assert route.call_count == 2
    assert all(SIGNATURE_HEADER in call.request.headers for call in route.calls)


def test_a_persistent_failure_raises_transport_error() -> None:
    sender = WebhookSender(URL, SECRET, attempts=2, backoff=0.001)
    with respx.mock() as mock:
        mock.post(URL).respond(500)
        with pytest.raises(TransportError, match="webhook POST failed"):
            sender.send(ALERT)


@pytest.mark.anyio
async def test_asend_posts_a_verifiable_request() -> None:
    sender = WebhookSender(URL, SECRET, clock=lambda: NOW)
    with respx.mock() as mock:
        route = mock.post(URL).respond(200)
        await adispatch(ALERT, [sender])

    request = route.calls.last.request
    assert verify_signature(request.content, request.headers[SIGNATURE_HEADER], SECRET, now=NOW)


def test_plain_http_is_refused_except_on_loopback() -> None:
    with pytest.raises(ConfigError, match="https"):
        WebhookSender("http://hooks.example.com/x", SECRET)
    assert WebhookSender("http://127.0.0.1:8080/x", SECRET).url.startswith("http://")


def test_the_secret_is_not_in_the_repr() -> None:
    assert SECRET not in repr(WebhookSender(URL, SECRET))


def test_a_failing_handler_does_not_stop_the_others(caplog: pytest.LogCaptureFixture) -> None:
    seen: list[Alert] = []

    def broken(alert: Alert) -> None:
        raise RuntimeError("boom")

    dispatch(ALERT, [broken, seen.append])

    assert seen == [ALERT]
    assert "boom" in caplog.text


def test_the_summary_reads_well() -> None:
    assert ALERT.summary == "'@brand' negative share 60% vs ~8% of 40 (z=9.5)"
