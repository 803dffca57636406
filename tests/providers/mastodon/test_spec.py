"""Every request the provider sends exists in the Mastodon OpenAPI description.

Runs the whole unified surface once against a permissive mock server, then
checks each recorded request's method and path against the spec's ``paths``,
its query parameters against the operation's parameters, and its JSON or
multipart fields against the request body schema. Skipped when the spec
folder (``<repo>/../shared/specs``) is not there.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx

from socialkit.models import Draft, MediaUpload

from .mastodon_support import BASE, SPECS, Driver, load

SPEC_FILE = SPECS / "mastodon" / "openapi.json"


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    if not SPEC_FILE.is_file():
        pytest.skip(f"the Mastodon OpenAPI spec is not at {SPEC_FILE}")
    loaded: dict[str, Any] = json.loads(SPEC_FILE.read_text(encoding="utf-8"))
    return loaded


def _resolve(spec: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def _properties(spec: dict[str, Any], schema: Any) -> set[str]:
    schema = _resolve(spec, schema)
    if not isinstance(schema, dict):
        return set()
    found = set(schema.get("properties", {}))
    for key in ("allOf", "oneOf", "anyOf"):
        for part in schema.get(key, []):
            found |= _properties(spec, part)
    return found


def _operation(spec: dict[str, Any], method: str, path: str) -> tuple[str, dict[str, Any]]:
    # Literal segments win over placeholders: /accounts/lookup is not /accounts/{id}.
    for template, item in sorted(spec["paths"].items(), key=lambda kv: kv[0].count("{")):
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path) and method.lower() in item:
            return template, item[method.lower()]
    raise AssertionError(f"{method} {path} is not in the Mastodon API description")


def _tour(kind: str) -> Iterator[httpx.Request]:
    """Run every operation once; yield the requests sent."""
    status, created = load("status"), load("status_created")
    with respx.mock(base_url=BASE, assert_all_called=False) as api:
        api.get("/api/v2/instance").respond(200, json=load("instance"))
        api.get("/api/v1/accounts/verify_credentials").respond(200, json=load("account"))
        api.get("/api/v1/accounts/lookup").respond(200, json={"id": "14715"})
        api.get(path__regex=r"^/api/v1/accounts/\d+/statuses$").respond(
            200,
            json=load("account_statuses"),
            headers={"Link": f'<{BASE}/api/v1/accounts/14715/statuses?max_id=1>; rel="next"'},
        )
        api.post("/api/v2/media").respond(202, json=load("media_processing"))
        media = api.get("/api/v1/media/22348641")
        media.side_effect = [httpx.Response(206), httpx.Response(200, json=load("media"))] * 2
        api.post("/api/v1/statuses").respond(200, json=created)
        api.route(
            method__in=["GET", "PUT", "DELETE"], path__regex=r"^/api/v1/statuses/\d+$"
        ).respond(200, json=status)
        api.get(path__regex=r"^/api/v1/statuses/\d+/context$").respond(200, json=load("context"))
        api.post(path__regex=r"^/api/v1/statuses/\d+/(favourite|reblog)$").respond(200, json=status)
        api.get("/api/v1/notifications").respond(200, json=load("notifications"))
        api.get("/api/v2/search").respond(200, json=load("search"))

        driver = Driver(kind)
        poll = {"options": ["a", "b"], "expires_in": 600, "multiple": True, "hide_totals": False}
        upload = MediaUpload(data=b"x", filename="a.png", alt_text="alt")
        driver("me")
        driver(
            "publish",
            Draft(
                text="hi",
                visibility="unlisted",
                language="en",
                reply_to_id="1",
                options={
                    "spoiler_text": "cw",
                    "sensitive": True,
                    "quoted_status_id": "5",
                    "quote_approval_policy": "followers",
                },
            ).with_media(upload),
        )
        driver("publish", Draft(text="poll", options={"poll": poll}))
        driver("publish_thread", ["one", "two"])
        driver("get_post", "1")
        driver("edit_post", "1", Draft(text="e", language="en", options={"poll": poll}))
        edit = {
            "media_ids": ["9"],
            "spoiler_text": "s",
            "sensitive": False,
            "quote_approval_policy": "nobody",
        }
        driver("edit_post", "1", Draft(text="e", options=edit).with_media(upload))
        driver("delete_post", "1")
        driver.client.posts("@alice").first(4)  # two pages: the second from the Link URL
        driver.items("comments", "1")
        driver("reply", "1", "thanks")
        driver("delete_comment", "1")
        driver.items("mentions", since_id="1")
        driver.items("search", "cats")
        driver("post_metrics", "1")
        driver("account_metrics")
        driver("react", "1", "like")
        driver("repost", "1")
        driver.platform._me = None
        driver.client.posts().first(1)
        yield from (call.request for call in api.calls)


@pytest.fixture(scope="module")
def sent(spec: dict[str, Any]) -> list[httpx.Request]:
    return list(_tour("sync"))


def test_the_tour_covers_every_endpoint_the_provider_uses(sent: list[httpx.Request]) -> None:
    assert {(r.method, re.sub(r"/\d+", "/:id", r.url.path)) for r in sent} >= {
        ("GET", "/api/v2/instance"),
        ("GET", "/api/v1/accounts/verify_credentials"),
        ("GET", "/api/v1/accounts/lookup"),
        ("GET", "/api/v1/accounts/:id/statuses"),
        ("POST", "/api/v2/media"),
        ("GET", "/api/v1/media/:id"),
        ("POST", "/api/v1/statuses"),
        ("GET", "/api/v1/statuses/:id"),
        ("PUT", "/api/v1/statuses/:id"),
        ("DELETE", "/api/v1/statuses/:id"),
        ("GET", "/api/v1/statuses/:id/context"),
        ("GET", "/api/v1/notifications"),
        ("GET", "/api/v2/search"),
        ("POST", "/api/v1/statuses/:id/favourite"),
        ("POST", "/api/v1/statuses/:id/reblog"),
    }


def test_every_request_is_a_documented_operation(
    spec: dict[str, Any], sent: list[httpx.Request]
) -> None:
    for request in sent:
        _operation(spec, request.method, request.url.path)


def test_every_query_parameter_is_documented(
    spec: dict[str, Any], sent: list[httpx.Request]
) -> None:
    for request in sent:
        template, operation = _operation(spec, request.method, request.url.path)
        documented = {
            parameter["name"]
            for parameter in (_resolve(spec, p) for p in operation.get("parameters", []))
            if parameter.get("in") == "query"
        }
        used = {name.removesuffix("[]") for name in request.url.params}
        assert used <= documented, f"{request.method} {template}: {used - documented}"


def test_every_body_field_is_documented(spec: dict[str, Any], sent: list[httpx.Request]) -> None:
    for request in sent:
        if not request.content:
            continue
        template, operation = _operation(spec, request.method, request.url.path)
        content = _resolve(spec, operation["requestBody"])["content"]
        media_type = request.headers["Content-Type"].split(";")[0]
        assert media_type in content, f"{request.method} {template} does not take {media_type}"
        fields = _properties(spec, content[media_type]["schema"])
        if media_type == "application/json":
            used = set(json.loads(request.content))
        else:
            used = set(re.findall(rb'form-data; name="([^"]+)"', request.content))
            used = {name.decode() for name in used}
        assert used <= fields, f"{request.method} {template}: {used - fields}"


def test_every_poll_field_is_documented(spec: dict[str, Any], sent: list[httpx.Request]) -> None:
    polls = [
        json.loads(r.content)["poll"]
        for r in sent
        if r.content
        and r.headers["Content-Type"] == "application/json"
        and "poll" in json.loads(r.content)
    ]
    assert polls
    schema = _resolve(spec, {"$ref": "#/components/schemas/PollStatus"})
    documented = set(schema["allOf"][1]["properties"]["poll"]["properties"])
    for poll in polls:
        assert set(poll) <= documented


def test_the_idempotency_key_header_is_documented_on_post_statuses(
    spec: dict[str, Any], sent: list[httpx.Request]
) -> None:
    headers = {
        p["name"].lower()
        for p in spec["paths"]["/api/v1/statuses"]["post"]["parameters"]
        if p["in"] == "header"
    }
    assert "idempotency-key" in headers
    posted = [r for r in sent if r.method == "POST" and r.url.path == "/api/v1/statuses"]
    assert posted
    assert all("Idempotency-Key" in r.headers for r in posted)
