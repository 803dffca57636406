"""Every Threads request matches a request of Meta's official Postman collection (method,
path, parameter names), the fields and metrics asked for are the collection's, and the
fixtures have the shape of its example responses. Skipped when ``../shared/specs`` is absent.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import respx

from socialkit.client import Client
from socialkit.models import Comment, Draft, MediaUpload
from socialkit.providers.meta.fields import roots
from socialkit.providers.threads import fields

from ..meta.meta_support import FAST, form, postman_requests, postman_variable
from .threads_support import POST, USER, fixture, make

DOCUMENTED_EXTRAS = {("GET", "/me/threads_insights"): {"since", "until"}}
"""Parameters the Threads API reference documents that the collection's examples leave out."""

_ID = re.compile(r"^(\d+|c\d+|\{\{\w+\}\})$")


def shape(method: str, path: str) -> tuple[str, str]:
    """``(method, path)`` with the version dropped and every id written ``{id}``."""
    parts = [p for p in path.split("/") if p and p != "v1.0"]
    named = ["me" if p in (USER, "me") else "{id}" if _ID.match(p) else p for p in parts]
    return method, "/" + "/".join(named)


def official() -> dict[tuple[str, str], set[str]]:
    """The collection's requests by shape, with every parameter name they use."""
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for item in postman_requests():
        request = item["request"]
        url = request["url"]
        path = "/".join(url["path"])
        found[shape(request["method"], path)] |= {q["key"] for q in url.get("query", [])}
    return found


def stub(request: httpx.Request) -> httpx.Response:
    """Enough of an answer for any Threads call."""
    path, params = request.url.path, request.url.params
    if path.endswith("threads_publishing_limit"):
        return httpx.Response(200, json=fixture("quota"))
    if params.get("fields") == "status,error_message":
        return httpx.Response(200, json={"id": "c1", "status": "FINISHED"})
    if request.method != "GET":
        return httpx.Response(200, json={"id": "c1", "success": True})
    if path.rsplit("/", 1)[-1] in {"threads", "conversation", "mentions", "keyword_search"}:
        return httpx.Response(200, json={"data": []})
    if path.endswith("insights"):
        return httpx.Response(200, json={"data": []})
    return httpx.Response(200, json=fixture("post") | {"id": POST})


@pytest.fixture(scope="module")
def sent() -> list[httpx.Request]:
    """Every request the provider makes, one operation of each kind."""
    router = respx.MockRouter(assert_all_called=False)
    router.route().mock(side_effect=stub)
    client = Client(make(), transport=httpx.MockTransport(router.handler), retry=FAST)
    photo, clip = (MediaUpload(url=f"https://cdn.example.com/{n}") for n in ("a.jpg", "b.mp4"))
    client.me()
    client.publish(Draft(text="text", options={"reply_control": "everyone", "topic_tag": "t"}))
    client.publish(Draft(text="image", media=(photo,)))
    client.publish(Draft(text="video", media=(clip,)))
    client.publish(Draft(text="carousel", media=(photo, clip)))
    client.publish(Draft(text="quote", options={"quote_post_id": POST}))
    client.reply(Comment(platform="threads", id="18060000000000001", thread_root_id=POST), "reply")
    client.get_post(POST)
    list(client.posts())
    list(client.comments(POST))
    list(client.mentions())
    list(client.search("coffee"))
    client.hide_comment("18060000000000001")
    client.repost(POST)
    client.delete_post(POST)
    client.post_metrics(POST)
    client.account_metrics(datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 2, tzinfo=UTC))
    return [call.request for call in router.calls]


def parameters(request: httpx.Request) -> set[str]:
    sent_form = form(request) if request.method == "POST" else {}
    return (set(request.url.params) | set(sent_form)) - {"access_token", "after"}


def test_every_request_is_one_of_the_collection(sent: list[httpx.Request]) -> None:
    known = official()
    for request in sent:
        key = shape(request.method, request.url.path)
        assert key in known, f"{key} is not in the Postman collection"


def test_every_parameter_is_one_the_collection_uses(sent: list[httpx.Request]) -> None:
    known = official()
    for request in sent:
        key = shape(request.method, request.url.path)
        allowed = known[key] | DOCUMENTED_EXTRAS.get(key, set())
        assert parameters(request) <= allowed, f"{key}: {parameters(request) - allowed}"


def test_the_host_and_version_are_the_threads_api() -> None:
    assert make().base_url == "https://graph.threads.net/v1.0"
    assert postman_variable("api_host") == "https://graph.threads.net"


@pytest.mark.parametrize(
    ("selection", "variable"),
    [
        (fields.POST, "fields_threads"),
        (fields.REPLY, "fields_replies"),
        (fields.PROFILE, "fields_profile"),
        ("status,error_message", "fields_container"),
        ("quota_usage,config,reply_quota_usage,reply_config", "fields_quota"),
    ],
)
def test_fields_are_the_collections(selection: str, variable: str) -> None:
    assert set(roots(selection)) <= set(roots(postman_variable(variable)))


def test_post_metrics_are_the_collections() -> None:
    assert ",".join(fields.POST_METRICS) == postman_variable("metrics_post")


def test_account_metrics_are_the_collections() -> None:
    assert set(fields.ACCOUNT_METRICS) <= set(postman_variable("metrics_account").split(","))


def examples() -> Iterator[tuple[str, Any]]:
    """The example responses of the collection that are strict JSON."""
    for item in postman_requests():
        for response in item.get("response", []):
            try:
                yield item["name"], json.loads(response.get("body") or "")
            except ValueError:
                continue


def keys(payload: Any) -> set[str]:
    """The keys of an object, or of the items of a listing."""
    items = payload.get("data", [payload]) if isinstance(payload, dict) else []
    return {key for item in items if isinstance(item, dict) for key in item}


@pytest.mark.parametrize(
    ("name", "example"),
    [
        ("post", "Get Threads Post Details"),
        ("threads", "Get a List of All a User's Threads"),
        ("conversation", "Get Threads Conversations"),
        ("post_insights", "Get Post Insights"),
        ("account_insights", "Get Account Insights"),
        ("quota", "Retrieve Publishing Quota Limit"),
        ("profile", "Get App-Scoped User's Profile Information"),
    ],
)
def test_fixtures_have_the_shape_of_the_examples(name: str, example: str) -> None:
    official_keys = set().union(*(keys(body) for n, body in examples() if n == example))
    requested = set(roots(fields.POST)) | set(roots(fields.REPLY))
    ours = keys(fixture(name))
    assert ours <= official_keys | requested
    assert ours & official_keys
