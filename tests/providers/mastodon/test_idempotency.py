"""Idempotency-Key is trusted only on Mastodon itself, known from the instance's version."""

from __future__ import annotations

import httpx
import pytest
import respx

import socialkit as sk
from socialkit.errors import PublishUncertain, Unsupported
from socialkit.models import Draft
from socialkit.providers.mastodon import software
from socialkit.testing import Sandbox

from .mastodon_support import Driver, load, make_platform

SNAC = "4.0.0 (not true; really snac/2.75)"


@pytest.mark.parametrize(
    ("version", "trusted"),
    [
        ("4.3.2", True),
        ("4.3.0+glitch", True),
        ("4.0.2+hometown-1.1.1", True),
        ("4.4.0-beta.1", True),
        (SNAC, False),
        ("2.7.2 (compatible; Pleroma 2.6.0)", False),
        ("2.7.2 (compatible; Akkoma 3.13.2)", False),
        ("0.17.3+git-deadbee", False),  # GoToSocial
        ("GoToSocial 0.17.3", False),
        ("", False),
        (None, False),
    ],
)
def test_only_mastodon_versions_are_trusted(version: str | None, trusted: bool) -> None:
    assert software.honours_idempotency_key(version) is trusted


def _server(api: respx.MockRouter, version: str, *, v2: bool = True) -> respx.Route:
    if v2:  # snac has no /api/v2/instance
        api.get("/api/v2/instance").respond(404, json={"error": "Not found"})
    return api.get("/api/v1/instance").respond(200, json={"uri": "x", "version": version})


def test_a_publish_lost_on_a_compatible_server_is_uncertain_and_not_retried(
    kind: str, api: respx.MockRouter
) -> None:
    _server(api, SNAC)
    route = api.post("/api/v1/statuses").respond(503)
    driver = Driver(kind, make_platform(software=None))
    with pytest.raises(PublishUncertain) as raised:
        driver("publish", Draft(text="hello", idempotency_key="k-1"))
    assert route.call_count == 1
    assert raised.value.idempotency_key == "k-1"
    assert "Idempotency-Key" not in route.calls[0].request.headers
    assert driver.platform.honours_idempotency_key is False


def test_a_publish_lost_on_mastodon_is_retried_with_the_same_key(
    kind: str, api: respx.MockRouter, instance: respx.Route
) -> None:
    route = api.post("/api/v1/statuses")
    route.side_effect = [httpx.Response(503), httpx.Response(200, json=load("status_created"))]
    driver = Driver(kind, make_platform(software=None))
    driver("publish", Draft(text="hello", idempotency_key="k-1"))
    assert [c.request.headers["Idempotency-Key"] for c in route.calls] == ["k-1", "k-1"]
    assert driver.platform.honours_idempotency_key is True


def test_the_version_is_read_once_and_only_before_the_first_post(
    kind: str, api: respx.MockRouter
) -> None:
    lookup = _server(api, SNAC, v2=False)
    api.post("/api/v1/statuses").respond(200, json=load("status_created"))
    api.get("/api/v1/statuses/1").respond(200, json=load("status"))
    driver = Driver(kind, make_platform(software=None, max_characters=500))
    driver("get_post", "1")
    assert lookup.call_count == 0
    driver("publish", "one")
    driver("publish", "two")
    assert lookup.call_count == 1


def test_an_unreadable_version_is_not_trusted(kind: str, api: respx.MockRouter) -> None:
    api.get("/api/v1/instance").respond(404, json={"error": "Not found"})
    route = api.post("/api/v1/statuses").respond(503)
    driver = Driver(kind, make_platform(software=None, max_characters=500))
    with pytest.raises(PublishUncertain):
        driver("publish", "hello")
    assert route.call_count == 1


def test_deleting_on_snac_is_unsupported_before_any_delete(
    kind: str, api: respx.MockRouter
) -> None:
    _server(api, SNAC, v2=False)
    driver = Driver(kind, make_platform(software=None, max_characters=500))
    with pytest.raises(Unsupported, match="DELETE"):
        driver("delete_post", "1")
    assert all(c.request.method == "GET" for c in api.calls)


def test_the_sandbox_reports_a_mastodon_version_and_keeps_retrying_safely() -> None:
    sandbox = Sandbox()
    sandbox.fail_next(503, path="/api/v1/statuses")
    with sandbox.client("brand", retry=sk.RetryPolicy(backoff=0, max_backoff=0)) as client:
        post = client.publish(Draft(text="once only", idempotency_key="k-9"))
        assert client.platform.honours_idempotency_key is True
    assert [s["id"] for s in sandbox.statuses(account="brand") if "once only" in s["content"]] == [
        post.id
    ]


def test_on_snac_every_call_closes_its_connection(kind: str, api: respx.MockRouter) -> None:
    # snac closes each connection after answering without saying so: a POST sent on a
    # pooled connection would race that close and be lost.
    lookup = _server(api, SNAC, v2=False)
    route = api.post("/api/v1/statuses").respond(200, json=load("status_created"))
    driver = Driver(kind, make_platform(software=None, max_characters=500))
    driver("publish", "one")
    driver("publish", "two")
    assert lookup.calls[0].request.headers["Connection"] == "close"
    assert [c.request.headers["Connection"] for c in route.calls] == ["close", "close"]


def test_on_mastodon_connections_are_kept_alive(
    kind: str, api: respx.MockRouter, instance: respx.Route
) -> None:
    route = api.post("/api/v1/statuses").respond(200, json=load("status_created"))
    Driver(kind, make_platform(software=None))("publish", "one")
    assert route.calls[0].request.headers.get("Connection") != "close"
