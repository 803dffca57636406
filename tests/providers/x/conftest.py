"""Fixtures for the X provider: fixture bodies, respx routes, a sync/async driver switch,
recorded Calls (for the spec check), instant sleeps and a small in-memory X API."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

import socialkit as sk
from socialkit.platform import Call
from socialkit.providers.x import UploadPolicy, X, XSettings
from socialkit.testing.driver import Driver as SharedDriver

FIXTURES = Path(__file__).parent / "fixtures"
API = "https://api.x.com"
FAST = sk.RetryPolicy(backoff=0.0, max_backoff=0.0)
ME_ID = "2244994945"
TWEET_ID = "1346889436626259968"

_RECORDED: list[Call] = []


def load(name: str) -> Any:
    """A fixture body by name (``fixtures/<name>.json``)."""
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def make_platform(**settings: Any) -> X:
    """An X platform; OAuth 2.0 user context with a plain access token by default."""
    platform = X(XSettings(**(settings or {"access_token": "user-token"})))
    platform.upload_policy = UploadPolicy(chunk_size=4, resumes=2, resume_delay=0.0)
    return platform


async def _wait(awaitable: Any) -> Any:
    return await awaitable


Driver = SharedDriver


@pytest.fixture
def default_platform() -> Callable[[], sk.Platform]:
    """The platform `connect` uses when a test names none."""
    return make_platform


@pytest.fixture
def x(connect: Callable[..., Driver]) -> Driver:
    """The default platform (OAuth 2.0 user context) behind the parametrised driver."""
    return connect()


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    """respx routes on api.x.com; ``/2/users/me`` answers with the spec's TwitterDev."""
    with respx.mock(base_url=API, assert_all_called=False) as mock:
        me = httpx.Response(200, json=load("users_me"))
        mock.get("/2/users/me", name="me").mock(return_value=me)
        yield mock


@pytest.fixture(autouse=True)
def _instant_sleeps(sleeps: list[float]) -> None:
    """Every test runs with instant sleeps."""


@pytest.fixture(autouse=True)
def _record_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every Call the X flows build, for the check against the OpenAPI spec."""
    original = X.call

    def recording(self: X, method: str, url: str, **kwargs: Any) -> Call:
        call = original(self, method, url, **kwargs)
        _RECORDED.append(call)
        return call

    monkeypatch.setattr(X, "call", recording)


@pytest.fixture
def recorded_calls() -> list[Call]:
    """The Calls X flows built so far in this test session."""
    return _RECORDED


def form_fields(request: httpx.Request) -> dict[str, bytes]:
    """The parts of a multipart/form-data request, by name."""
    boundary = request.headers["Content-Type"].split("boundary=", 1)[1].encode()
    fields: dict[str, bytes] = {}
    for part in request.content.split(b"--" + boundary):
        head, _, body = part.partition(b"\r\n\r\n")
        found = re.search(rb'name="([^"]+)"', head)
        if found:
            fields[found.group(1).decode()] = body.removesuffix(b"\r\n")
    return fields


@pytest.fixture
def multipart() -> Callable[[httpx.Request], dict[str, bytes]]:
    return form_fields


# -- a small in-memory X API -------------------------------------------------------------------


def _problem_not_found(post_id: str) -> dict[str, Any]:
    return {"errors": [{
        "value": post_id, "detail": f"Could not find tweet with id: [{post_id}].",
        "title": "Not Found Error", "resource_type": "tweet", "parameter": "id",
        "resource_id": post_id, "type": "https://api.twitter.com/2/problems/resource-not-found",
    }]}


class FakeX:
    """Enough of the X API v2 to publish, read, reply, page, search, moderate and upload."""

    page_size = 2

    def __init__(self) -> None:
        self.me = load("users_me")["data"]
        self.posts: dict[str, dict[str, Any]] = {}
        self.hidden: set[str] = set()
        self.uploads: dict[str, dict[str, Any]] = {}
        self.requests: list[httpx.Request] = []
        self._ids = itertools.count(1460323737035677698)
        self._routes: list[tuple[str, re.Pattern[str], Callable[..., httpx.Response]]] = [
            ("GET", re.compile(r"/2/users/me"), self._users_me),
            ("GET", re.compile(r"/2/users/by/username/(\w+)"), self._user_by_name),
            ("GET", re.compile(r"/2/users/(\d+)"), self._user),
            ("GET", re.compile(r"/2/users/(\d+)/tweets"), self._timeline),
            ("GET", re.compile(r"/2/users/(\d+)/mentions"), self._mentions),
            ("POST", re.compile(r"/2/users/(\d+)/likes"), lambda r, _: self._ok({"liked": True})),
            ("POST", re.compile(r"/2/users/(\d+)/retweets"),
             lambda r, _: self._ok({"id": json.loads(r.content)["tweet_id"], "retweeted": True})),
            ("GET", re.compile(r"/2/tweets/search/recent"), self._search),
            ("POST", re.compile(r"/2/tweets"), self._create),
            ("GET", re.compile(r"/2/tweets/(\d+)"), self._get),
            ("DELETE", re.compile(r"/2/tweets/(\d+)"), self._delete),
            ("PUT", re.compile(r"/2/tweets/(\d+)/hidden"), self._hide),
            ("POST", re.compile(r"/2/media/upload/initialize"), self._media_init),
            ("POST", re.compile(r"/2/media/upload/(\d+)/append"), self._media_append),
            ("POST", re.compile(r"/2/media/upload/(\d+)/finalize"), self._media_finalize),
            ("GET", re.compile(r"/2/media/upload"), self._media_status),
            ("POST", re.compile(r"/2/media/metadata"),
             lambda r, _: self._ok({"id": json.loads(r.content)["id"]})),
        ]

    def transport(self) -> httpx.MockTransport:
        """An httpx transport (sync and async) answering as this fake."""
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        for method, pattern, answer in self._routes:
            found = pattern.fullmatch(request.url.path)
            if request.method == method and found:
                return answer(request, found.group(1) if found.groups() else None)
        return httpx.Response(404, json={"title": "Not Found", "type": "about:blank",
                                         "status": 404, "detail": "no such route"})

    # -- helpers ----------------------------------------------------------------------------

    @staticmethod
    def _ok(data: Any, status: int = 200, **extra: Any) -> httpx.Response:
        headers = {"x-rate-limit-limit": "900", "x-rate-limit-remaining": "899",
                   "x-rate-limit-reset": "4102444800"}
        return httpx.Response(status, json={"data": data, **extra}, headers=headers)

    def _listing(self, request: httpx.Request, posts: list[dict[str, Any]]) -> httpx.Response:
        posts = sorted(posts, key=lambda p: int(p["id"]), reverse=True)
        start = int(request.url.params.get("pagination_token")
                    or request.url.params.get("next_token") or 0)
        chunk = posts[start : start + self.page_size]
        meta: dict[str, Any] = {"result_count": len(chunk)}
        if start + self.page_size < len(posts):
            meta["next_token"] = str(start + self.page_size)
        if not chunk:
            return httpx.Response(200, json={"meta": meta})
        users = {"users": [self.me]}
        return httpx.Response(200, json={"data": chunk, "includes": users, "meta": meta})

    # -- users ------------------------------------------------------------------------------

    def _users_me(self, request: httpx.Request, _: None) -> httpx.Response:
        return self._ok(self.me)

    def _user(self, request: httpx.Request, user_id: str) -> httpx.Response:
        return self._ok(self.me) if user_id == self.me["id"] else httpx.Response(
            200, json=_problem_not_found(user_id))

    def _user_by_name(self, request: httpx.Request, name: str) -> httpx.Response:
        return self._ok(self.me) if name.lower() == self.me["username"].lower() else (
            httpx.Response(200, json=_problem_not_found(name)))

    def _timeline(self, request: httpx.Request, user_id: str) -> httpx.Response:
        mine = [p for p in self.posts.values() if p["author_id"] == user_id]
        return self._listing(request, mine)

    def _mentions(self, request: httpx.Request, user_id: str) -> httpx.Response:
        handle = "@" + self.me["username"].lower()
        found = [p for p in self.posts.values() if handle in p["text"].lower()]
        return self._listing(request, found)

    # -- posts ------------------------------------------------------------------------------

    def _create(self, request: httpx.Request, _: None) -> httpx.Response:
        body = json.loads(request.content)
        post_id = str(next(self._ids))
        post: dict[str, Any] = {
            "id": post_id, "text": body.get("text", ""), "author_id": self.me["id"],
            "created_at": "2021-01-06T18:40:40.000Z", "conversation_id": post_id,
            "edit_history_tweet_ids": [post_id],
            "public_metrics": {"retweet_count": 0, "reply_count": 0, "like_count": 0,
                               "quote_count": 0, "bookmark_count": 0, "impression_count": 0},
        }
        parent_id = body.get("reply", {}).get("in_reply_to_tweet_id")
        if parent_id:
            parent = self.posts.get(parent_id)
            if parent is None:
                return httpx.Response(400, json={
                    "title": "Invalid Request", "type": "about:blank", "status": 400,
                    "detail": "The Tweet you are replying to does not exist"})
            post["conversation_id"] = parent["conversation_id"]
            post["in_reply_to_user_id"] = parent["author_id"]
            post["referenced_tweets"] = [{"type": "replied_to", "id": parent_id}]
        if "media" in body:
            post["attachments"] = {"media_keys": [f"3_{m}" for m in body["media"]["media_ids"]]}
        self.posts[post_id] = post
        return self._ok({"id": post_id, "text": post["text"],
                         "edit_history_tweet_ids": [post_id]}, status=201)

    def _get(self, request: httpx.Request, post_id: str) -> httpx.Response:
        post = self.posts.get(post_id)
        if post is None:
            return httpx.Response(200, json=_problem_not_found(post_id))
        return self._ok(post, includes={"users": [self.me]})

    def _delete(self, request: httpx.Request, post_id: str) -> httpx.Response:
        return self._ok({"deleted": self.posts.pop(post_id, None) is not None})

    def _hide(self, request: httpx.Request, post_id: str) -> httpx.Response:
        hidden = bool(json.loads(request.content)["hidden"])
        (self.hidden.add if hidden else self.hidden.discard)(post_id)
        return self._ok({"hidden": hidden})

    def _search(self, request: httpx.Request, _: None) -> httpx.Response:
        query = request.url.params["query"]
        if query.startswith("conversation_id:"):
            root = query.split(":", 1)[1]
            found = [p for p in self.posts.values()
                     if p["conversation_id"] == root and p["id"] != root]
        else:
            found = [p for p in self.posts.values() if query.lower() in p["text"].lower()]
        return self._listing(request, found)

    # -- media ------------------------------------------------------------------------------

    def _media_init(self, request: httpx.Request, _: None) -> httpx.Response:
        body = json.loads(request.content)
        media_id = str(next(self._ids))
        self.uploads[media_id] = {"size": body["total_bytes"], "segments": {}}
        return self._ok({"id": media_id, "media_key": f"3_{media_id}",
                         "expires_after_secs": 86399})

    def _media_append(self, request: httpx.Request, media_id: str) -> httpx.Response:
        fields = form_fields(request)
        self.uploads[media_id]["segments"][int(fields["segment_index"])] = fields["media"]
        return self._ok({"expires_at": 1737161524})

    def _media_finalize(self, request: httpx.Request, media_id: str) -> httpx.Response:
        upload = self.uploads[media_id]
        received = b"".join(upload["segments"][i] for i in sorted(upload["segments"]))
        if len(received) != upload["size"]:
            return httpx.Response(400, json={"title": "Invalid Request", "type": "about:blank",
                                             "status": 400, "detail": "size mismatch"})
        return self._ok({"id": media_id, "media_key": f"3_{media_id}", "size": upload["size"],
                         "processing_info": {"state": "pending", "check_after_secs": 1}})

    def _media_status(self, request: httpx.Request, _: None) -> httpx.Response:
        media_id = request.url.params["media_id"]
        return self._ok({"id": media_id, "media_key": f"3_{media_id}",
                         "processing_info": {"state": "succeeded", "progress_percent": 100}})


@pytest.fixture
def fake_x() -> FakeX:
    return FakeX()


@pytest.fixture
def body() -> Callable[[str], Any]:
    """Load a fixture body by name."""
    return load


@pytest.fixture
def platform_factory() -> Callable[..., X]:
    """Make an X platform from settings (fast resumes, 4-byte upload segments)."""
    return make_platform
