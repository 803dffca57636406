"""Every Call the X flows build, checked against X's OpenAPI specification.

The specs live outside the project (``<repo>/../shared/specs/x``); without them these
tests skip. The Calls checked are all those recorded in this session plus a tour of
every operation against an in-memory X, so the check does not depend on test order.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

import socialkit as sk
from socialkit.platform import Call
from socialkit.providers.x import X

SPECS = Path(__file__).resolve().parents[3].parent / "shared" / "specs" / "x"
CURRENT = SPECS / "openapi.json"  # v2.167, "Posts" naming: the reference
TWEET_NAMING = SPECS / "openapi-v2.159-tweet-naming.json"  # v2.159: names X's docs use
# v2.167 renamed the post fields parameter; X's API reference and v2.159 call it tweet.fields.
ALIASES = {"tweet.fields": "post.fields"}


@cache
def _load(path: Path) -> dict[str, Any]:
    return dict(json.loads(path.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    if not CURRENT.exists():
        pytest.skip(f"X OpenAPI spec not found at {CURRENT}")
    return _load(CURRENT)


@pytest.fixture(scope="module")
def tweet_spec() -> dict[str, Any]:
    if not TWEET_NAMING.exists():
        pytest.skip(f"X OpenAPI spec v2.159 not found at {TWEET_NAMING}")
    return _load(TWEET_NAMING)


def _template(spec: Mapping[str, Any], path: str) -> str | None:
    for template in spec["paths"]:
        pattern = re.sub(r"\{[^}]+\}", "[^/]+", template)
        if re.fullmatch(pattern, path):
            return str(template)
    return None


def _resolve(spec: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def _operation(spec: Mapping[str, Any], call: Call) -> Mapping[str, Any] | None:
    template = _template(spec, urlsplit(call.url).path)
    if template is None:
        return None
    found = spec["paths"][template].get(call.method.lower())
    return found if isinstance(found, Mapping) else None


def _query(spec: Mapping[str, Any], operation: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    params = (_resolve(spec, p) for p in operation.get("parameters", ()))
    return {str(p["name"]): p for p in params if p.get("in") == "query"}


def _enum(spec: Mapping[str, Any], parameter: Mapping[str, Any]) -> set[str] | None:
    schema = _resolve(spec, parameter.get("schema", {}))
    items = _resolve(spec, schema.get("items", {})) if schema.get("type") == "array" else schema
    values = items.get("enum")
    return set(values) if values else None


def _declared(
    spec: Mapping[str, Any], tweet_spec: Mapping[str, Any], call: Call, name: str
) -> tuple[Mapping[str, Any], Mapping[str, Any]] | None:
    """(the spec, the parameter) declaring query parameter ``name`` for ``call``."""
    operation = _operation(spec, call)
    assert operation is not None
    query = _query(spec, operation)
    if name in query:
        return spec, query[name]
    if ALIASES.get(name) in query:
        older = _operation(tweet_spec, call)
        if older is not None and name in _query(tweet_spec, older):
            return tweet_spec, _query(tweet_spec, older)[name]
    return None


# -- the tour ------------------------------------------------------------------------------------


def _tour(fake_x: Any, platform_factory: Callable[..., X]) -> None:
    client = sk.Client(platform_factory(), transport=fake_x.transport(),
                       retry=sk.RetryPolicy(backoff=0.0, max_backoff=0.0))
    client.me()
    first = client.publish("Spec tour: first post mentioning @TwitterDev")
    chart = sk.MediaUpload(data=b"0123456789", filename="chart.png", alt_text="A chart")
    client.publish(sk.Draft(text="With media", media=(chart,)))
    client.publish(sk.Draft(text="Poll", options={
        "poll": {"options": ["a", "b"], "duration_minutes": 60}, "reply_settings": "following"}))
    reply = client.reply(first, "Spec tour: a reply")
    client.publish_thread(["Spec tour: one", "Spec tour: two"])
    client.edit_post(first.id, "Spec tour: edited")
    client.get_post(first.id)
    list(client.posts())
    list(client.posts("@TwitterDev"))
    list(client.search("Spec tour"))
    list(client.comments(first.id))
    list(client.mentions(since_id="1"))
    client.hide_comment(reply.id)
    client.react(first.id)
    client.repost(first.id)
    client.post_metrics(first.id)
    client.account_metrics()
    client.delete_post(first.id)
    app_only = sk.Client(platform_factory(bearer_token="app", user_id="2244994945"),
                         transport=fake_x.transport())
    app_only.account_metrics()


@pytest.fixture
def calls(
    spec: dict[str, Any], fake_x: Any, platform_factory: Callable[..., X],
    recorded_calls: list[Call],
) -> list[Call]:
    """Every distinct Call recorded in this session, the tour's included."""
    _tour(fake_x, platform_factory)
    unique: dict[str, Call] = {}
    for call in recorded_calls:
        key = json.dumps([call.method, call.url, dict(call.params or {}), call.json,
                          sorted(call.data or {}), sorted(call.files or {})],
                         sort_keys=True, default=str)
        unique[key] = call
    return list(unique.values())


def _label(call: Call) -> str:
    return f"{call.method} {call.url}"


# -- the checks ----------------------------------------------------------------------------------


def test_the_tour_reaches_every_endpoint_the_provider_uses(
    spec: dict[str, Any], calls: list[Call]
) -> None:
    used = {(c.method, _template(spec, urlsplit(c.url).path)) for c in calls}
    assert used >= {
        ("GET", "/2/users/me"), ("GET", "/2/users/{id}"),
        ("GET", "/2/users/by/username/{username}"), ("POST", "/2/tweets"),
        ("GET", "/2/tweets/{id}"), ("DELETE", "/2/tweets/{id}"),
        ("GET", "/2/users/{id}/tweets"), ("GET", "/2/users/{id}/mentions"),
        ("GET", "/2/tweets/search/recent"), ("PUT", "/2/tweets/{tweet_id}/hidden"),
        ("POST", "/2/users/{id}/likes"), ("POST", "/2/users/{id}/retweets"),
        ("POST", "/2/media/upload/initialize"), ("POST", "/2/media/upload/{id}/append"),
        ("POST", "/2/media/upload/{id}/finalize"), ("GET", "/2/media/upload"),
        ("POST", "/2/media/metadata"),
    }


def test_every_call_path_exists_with_its_method(
    spec: dict[str, Any], calls: list[Call]
) -> None:
    missing = [_label(c) for c in calls if _operation(spec, c) is None]
    assert not missing


def test_every_query_parameter_is_declared(
    spec: dict[str, Any], tweet_spec: dict[str, Any], calls: list[Call]
) -> None:
    undeclared = [
        f"{_label(c)} ?{name}"
        for c in calls
        for name in dict(c.params or {})
        if _declared(spec, tweet_spec, c, name) is None
    ]
    assert not undeclared


def test_every_fields_and_expansions_value_is_in_the_declared_enum(
    spec: dict[str, Any], tweet_spec: dict[str, Any], calls: list[Call]
) -> None:
    unknown = []
    for call in calls:
        for name, value in dict(call.params or {}).items():
            declared = _declared(spec, tweet_spec, call, name)
            assert declared is not None
            allowed = _enum(*declared)
            if allowed is not None:
                unknown += [f"{_label(call)} {name}={v}" for v in str(value).split(",")
                            if v not in allowed]
    assert not unknown


def test_required_query_parameters_are_sent(spec: dict[str, Any], calls: list[Call]) -> None:
    forgotten = []
    for call in calls:
        operation = _operation(spec, call)
        assert operation is not None
        required = {n for n, p in _query(spec, operation).items() if p.get("required")}
        forgotten += [f"{_label(call)} ?{n}" for n in required - set(dict(call.params or {}))]
    assert not forgotten


def test_request_bodies_use_declared_properties(spec: dict[str, Any], calls: list[Call]) -> None:
    stray = []
    for call in calls:
        operation = _operation(spec, call)
        assert operation is not None
        sent = set(call.json or {}) | set(call.data or {}) | set(call.files or {})
        if not sent:
            continue
        content = operation.get("requestBody", {}).get("content", {})
        kind = "application/json" if call.json is not None else "multipart/form-data"
        assert kind in content, f"{_label(call)} sends {kind}"
        schema = _resolve(spec, content[kind]["schema"])
        stray += [f"{_label(call)} {key}" for key in sent - set(schema.get("properties", {}))]
    assert not stray
