"""Every request the YouTube flows send, checked against Google's discovery documents.

The documents live outside the project (``<repo>/../shared/specs/youtube``); without them
these tests skip. A tour runs every operation against the fake YouTube; each request it
sends (but the chunks to an upload session, which no discovery method describes) must
name a method of the document: its HTTP method and path, query parameters it declares
(required ones present, enum values allowed, ``part`` names of the resource), and a JSON
body whose fields are properties of the request schema, recursively.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest

import socialkit as sk

from .youtube_support import FakeYouTube, load, make_platform

SPECS = Path(__file__).resolve().parents[3].parent / "shared" / "specs" / "youtube"
DATA = SPECS / "youtube__v3.json"
ANALYTICS = SPECS / "youtubeAnalytics__v2.json"


@cache
def _load(path: Path) -> dict[str, Any]:
    return dict(json.loads(path.read_text(encoding="utf-8")))


def _methods(doc: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    def walk(resources: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
        for resource in resources.values():
            yield from resource.get("methods", {}).values()
            yield from walk(resource.get("resources", {}))

    yield from walk(doc["resources"])


@pytest.fixture(scope="module")
def docs() -> dict[str, dict[str, Any]]:
    if not DATA.exists() or not ANALYTICS.exists():
        pytest.skip(f"YouTube discovery documents not found in {SPECS}")
    return {"www.googleapis.com": _load(DATA),
            "youtubeanalytics.googleapis.com": _load(ANALYTICS)}


def _describe(request: httpx.Request) -> str:
    return f"{request.method} {request.url.path}"


def _method(doc: Mapping[str, Any], request: httpx.Request) -> Mapping[str, Any] | None:
    path = request.url.path
    for method in _methods(doc):
        if method["httpMethod"] != request.method:
            continue
        if path == "/" + doc["servicePath"] + method["path"]:
            return method
        uploads = method.get("mediaUpload", {}).get("protocols", {})
        if path in {p["path"] for p in uploads.values()}:
            return method
    return None


def _schema(doc: Mapping[str, Any], ref: str) -> Mapping[str, Any]:
    return dict(doc["schemas"][ref])


def _resource(doc: Mapping[str, Any], method: Mapping[str, Any]) -> Mapping[str, Any]:
    """The schema of the resource a method's ``part`` names parts of."""
    if "request" in method:
        return _schema(doc, method["request"]["$ref"])
    listing = _schema(doc, method["response"]["$ref"])
    return _schema(doc, listing["properties"]["items"]["items"]["$ref"])


def _stray_fields(doc: Mapping[str, Any], body: Any, schema: Mapping[str, Any], at: str
                  ) -> list[str]:
    if not isinstance(body, Mapping):
        return []
    properties = schema.get("properties", {})
    stray = [f"{at}.{key}" for key in body if key not in properties]
    for key, value in body.items():
        declared = properties.get(key, {})
        if "$ref" in declared:
            stray += _stray_fields(doc, value, _schema(doc, declared["$ref"]), f"{at}.{key}")
    return stray


@pytest.fixture(scope="module")
def requests(docs: dict[str, dict[str, Any]]) -> list[httpx.Request]:
    """Every request of a tour of the provider's operations (the session chunks left out)."""
    import respx

    from socialkit.providers.youtube import QUOTAS

    QUOTAS.clear()
    fake = FakeYouTube()
    fake.add_thread(load("comment_thread"))
    with respx.mock(assert_all_called=False) as mock:
        mock.route(host="www.googleapis.com").mock(side_effect=fake.handle)
        mock.route(host="youtubeanalytics.googleapis.com").mock(side_effect=fake.handle)
        tour(sk.Client(make_platform(processing_timeout=1, poll_interval=1),
                       retry=sk.RetryPolicy(backoff=0.0, max_backoff=0.0)))
    QUOTAS.clear()
    return [r for r in fake.requests if "upload_id" not in r.url.params]


def tour(client: sk.Client) -> None:
    client._sleep = lambda seconds: None  # type: ignore[method-assign]
    video = sk.MediaUpload(data=b"v" * 1000, filename="clip.mp4")
    thumb = sk.MediaUpload(data=b"\xff\xd8", filename="t.jpg")
    post = client.publish(sk.Draft(text="Tour\nAll the calls", media=(video, thumb),
                                   options={"tags": ["a"], "made_for_kids": False,
                                            "notify_subscribers": False}))
    client.me()
    client.get_post(post.id)
    list(client.posts())
    list(client.posts("@googledevelopers"))
    list(client.search("tour", limit=5))
    client.edit_post(post.id, sk.Draft(text="Tour edited", visibility="unlisted"))
    thread = load("comment_thread")
    top = next(c for c in client.comments(thread["snippet"]["videoId"]))
    client.reply(top, "An answer")
    own = client.reply(post.id, "A comment")
    client.hide_comment(top.id)
    client.run(client.platform.moderate_comment(top.id, "rejected", ban_author=True))  # type: ignore[attr-defined]
    client.delete_comment(own.id)
    client.react(post.id, "like")
    client.post_metrics(post.id)
    client.account_metrics()
    client.delete_post(post.id)


def test_the_tour_reaches_every_method_the_provider_uses(
    docs: dict[str, dict[str, Any]], requests: list[httpx.Request]
) -> None:
    used = set()
    for request in requests:
        method = _method(docs[request.url.host], request)
        if method is not None:
            used.add(method["id"])
    assert used == {
        "youtube.videos.insert", "youtube.thumbnails.set", "youtube.videos.list",
        "youtube.channels.list", "youtube.playlistItems.list", "youtube.search.list",
        "youtube.videos.update", "youtube.videos.delete", "youtube.videos.rate",
        "youtube.commentThreads.list", "youtube.commentThreads.insert",
        "youtube.comments.insert", "youtube.comments.setModerationStatus",
        "youtube.comments.delete", "youtubeAnalytics.reports.query",
    }


def test_every_request_is_a_documented_method(
    docs: dict[str, dict[str, Any]], requests: list[httpx.Request]
) -> None:
    assert not [_describe(r) for r in requests if _method(docs[r.url.host], r) is None]


def test_every_query_parameter_is_declared_and_required_ones_are_sent(
    docs: dict[str, dict[str, Any]], requests: list[httpx.Request]
) -> None:
    problems = []
    for request in requests:
        doc = docs[request.url.host]
        method = _method(doc, request)
        assert method is not None
        declared = {**doc["parameters"], **method.get("parameters", {})}
        sent = dict(request.url.params)
        problems += [f"{_describe(request)} ?{n}" for n in sent if n not in declared]
        problems += [f"{_describe(request)} missing {n}" for n in method.get("parameterOrder", ())
                     if method["parameters"][n].get("required") and n not in sent]
        for name, value in sent.items():
            allowed = declared.get(name, {}).get("enum")
            if allowed and value not in allowed:
                problems.append(f"{_describe(request)} {name}={value}")
    assert not problems


def test_every_part_names_a_part_of_the_resource(
    docs: dict[str, dict[str, Any]], requests: list[httpx.Request]
) -> None:
    unknown = []
    for request in requests:
        doc = docs[request.url.host]
        method = _method(doc, request)
        assert method is not None
        if "part" not in request.url.params:
            continue
        parts = _resource(doc, method)["properties"]
        unknown += [f"{_describe(request)} part={p}"
                    for p in request.url.params["part"].split(",") if p not in parts]
    assert not unknown


def test_json_bodies_use_the_request_schema(
    docs: dict[str, dict[str, Any]], requests: list[httpx.Request]
) -> None:
    stray = []
    for request in requests:
        if not request.headers.get("content-type", "").startswith("application/json"):
            continue
        doc = docs[request.url.host]
        method = _method(doc, request)
        assert method is not None
        assert "request" in method, f"{_describe(request)} sends JSON to a method without body"
        stray += _stray_fields(doc, json.loads(request.content),
                               _schema(doc, method["request"]["$ref"]), _describe(request))
    assert not stray


def test_the_fixtures_use_the_documented_resource_fields(docs: dict[str, dict[str, Any]]
                                                        ) -> None:
    doc = docs["www.googleapis.com"]
    for name, schema in (("video", "Video"), ("channel", "Channel"),
                         ("comment_thread", "CommentThread")):
        assert not _stray_fields(doc, load(name), _schema(doc, schema), name)


def test_uploads_use_the_documented_media_path(
    docs: dict[str, dict[str, Any]], requests: list[httpx.Request]
) -> None:
    insert = next(r for r in requests if r.url.path == "/upload/youtube/v3/videos")
    methods = docs["www.googleapis.com"]["resources"]["videos"]["methods"]
    assert insert.url.path == methods["insert"]["mediaUpload"]["protocols"]["simple"]["path"]
    assert insert.url.params["uploadType"] == "resumable"
    thumb = next(r for r in requests if r.url.path.endswith("/thumbnails/set"))
    protocols = docs["www.googleapis.com"]["resources"]["thumbnails"]["methods"]["set"][
        "mediaUpload"]["protocols"]
    assert thumb.url.path == protocols["simple"]["path"]
