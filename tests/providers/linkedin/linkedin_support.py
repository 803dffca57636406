"""Helpers for the LinkedIn tests: fixture bodies, a sync/async driver, and a small
stateful LinkedIn (posts, comments, reactions) answering through respx side effects."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx

import socialkit as sk
from socialkit.providers.linkedin import LinkedIn, LinkedInSettings
from socialkit.testing.driver import Driver as SharedDriver

FIXTURES = Path(__file__).parent / "fixtures"
API = "https://api.linkedin.com"
ORG = "urn:li:organization:2414183"
PERSON = "urn:li:person:782bbtaQ"
SHARE = "urn:li:share:6844785523593134080"
VERSION = "202608"
FAST = sk.RetryPolicy(backoff=0.0, max_backoff=0.0)
TOKEN = "li-secret-token"


def load(name: str) -> Any:
    """A fixture body by name (``fixtures/<name>.json``)."""
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def make_platform(**settings: Any) -> LinkedIn:
    """A LinkedIn platform for the demo organization unless told otherwise."""
    values = {"access_token": TOKEN, "author": ORG, "api_version": VERSION, **settings}
    platform = LinkedIn(LinkedInSettings(**values))
    platform.page_size = 10
    return platform


async def _wait(awaitable: Any) -> Any:
    return await awaitable


Driver = SharedDriver


def sent_json(request: httpx.Request) -> Any:
    """The JSON body of a request."""
    return json.loads(request.content)


def raw_query(request: httpx.Request) -> str:
    """The query string exactly as sent (still percent-encoded)."""
    return request.url.query.decode()


# -- a small stateful LinkedIn ------------------------------------------------------------------

_POST_PATH = re.compile(r"/rest/posts/([^/]+)")
_COMMENTS_PATH = re.compile(r"/rest/socialActions/([^/]+)/comments(?:/([0-9]+))?")


def _error(status: int, code: str, message: str) -> httpx.Response:
    return httpx.Response(
        status, json={"status": status, "serviceErrorCode": 0, "code": code, "message": message}
    )


class FakeLinkedIn:
    """Enough of LinkedIn's REST API to publish, read, list, comment, react and delete.

    It insists on the headers every call needs and on URL-encoded URNs in paths.
    """

    def __init__(self, author: str = ORG) -> None:
        self.author = author
        self.posts: dict[str, dict[str, Any]] = {}
        self.comments: dict[str, dict[str, Any]] = {}
        self.reactions: list[dict[str, Any]] = []
        self.requests: list[httpx.Request] = []
        self._ids = itertools.count(7100000000000000001)
        self._clock = itertools.count(1700000000000, 1000)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.headers.get("LinkedIn-Version") is None:
            return _error(426, "VERSION_MISSING", "A version must be present")
        if request.headers.get("X-Restli-Protocol-Version") != "2.0.0":
            return _error(400, "INVALID_PROTOCOL", "Rest.li protocol 2.0.0 is required")
        raw = request.url.raw_path.decode().split("?", 1)[0]
        if ":" in raw:
            return _error(400, "INVALID_URN", "URNs in paths must be URL-encoded")
        method = request.method
        if raw == "/rest/posts" and method == "POST":
            return self._create(request)
        if raw == "/rest/posts" and method == "GET":
            return self._list(request)
        if raw == "/rest/reactions" and method == "POST":
            self.reactions.append(json.loads(request.content))
            return httpx.Response(201, json=json.loads(request.content))
        found = _POST_PATH.fullmatch(raw)
        if found:
            return self._post(method, unquote(found[1]))
        found = _COMMENTS_PATH.fullmatch(raw)
        if found:
            return self._comments(request, unquote(found[1]), found[2])
        return _error(404, "NOT_FOUND", f"no route for {method} {raw}")

    # -- posts --------------------------------------------------------------------------------

    def _create(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        urn = f"urn:li:share:{next(self._ids)}"
        now = next(self._clock)
        self.posts[urn] = {
            **body,
            "id": urn,
            "createdAt": now,
            "publishedAt": now,
            "lastModifiedAt": now,
            "lifecycleStateInfo": {"isEditedByAuthor": False},
        }
        return httpx.Response(201, headers={"x-restli-id": urn})

    def _post(self, method: str, urn: str) -> httpx.Response:
        post = self.posts.get(urn)
        if post is None:
            return _error(404, "NOT_FOUND", f"Post {urn} does not exist")
        if method == "GET":
            return httpx.Response(200, json=post)
        if method == "DELETE":
            del self.posts[urn]
            return httpx.Response(204)
        return _error(405, "METHOD_NOT_ALLOWED", method)

    def _page(self, request: httpx.Request, items: list[dict[str, Any]]) -> httpx.Response:
        start = int(request.url.params.get("start", 0))
        count = int(request.url.params.get("count", 10))
        chunk = items[start : start + count]
        paging = {"start": start, "count": count, "links": [], "total": len(items)}
        return httpx.Response(200, json={"paging": paging, "elements": chunk})

    def _list(self, request: httpx.Request) -> httpx.Response:
        if request.url.params.get("q") != "author":
            return _error(400, "INVALID_FINDER", "q must be author")
        author = request.url.params.get("author")
        mine = [p for p in self.posts.values() if p["author"] == author]
        return self._page(request, sorted(mine, key=lambda p: p["createdAt"], reverse=True))

    # -- comments -----------------------------------------------------------------------------

    @staticmethod
    def activity(urn: str) -> str:
        """LinkedIn files a post's comments under its activity URN."""
        return "urn:li:activity:" + urn.rsplit(":", 1)[1]

    def _comments(self, request: httpx.Request, target: str, ident: str | None) -> httpx.Response:
        if request.method == "POST":
            return self._comment(request, target)
        if request.method == "DELETE":
            urn = f"urn:li:comment:({self.activity(target)},{ident})"
            return httpx.Response(204) if self.comments.pop(urn, None) else _error(
                404, "NOT_FOUND", "no such comment"
            )
        if target.startswith("urn:li:comment:"):
            found = [c for c in self.comments.values() if c.get("parentComment") == target]
        else:
            found = [
                c for c in self.comments.values()
                if c["object"] == self.activity(target) and "parentComment" not in c
            ]
        listed = []
        for item in found:
            under = item["commentUrn"]
            replies = sum(1 for c in self.comments.values() if c.get("parentComment") == under)
            summary = {"totalFirstLevelComments": replies, "aggregatedTotalComments": replies}
            listed.append({**item, "commentsSummary": summary})
        return self._page(request, listed)

    def _comment(self, request: httpx.Request, target: str) -> httpx.Response:
        body = json.loads(request.content)
        if target.startswith("urn:li:comment:"):
            activity = target[len("urn:li:comment:(") :].split(",", 1)[0]
        else:
            if target not in self.posts:
                return _error(404, "NOT_FOUND", f"Post {target} does not exist")
            activity = self.activity(target)
        ident = str(next(self._ids))
        urn = f"urn:li:comment:({activity},{ident})"
        now = next(self._clock)
        comment = {
            **body,
            "id": ident,
            "commentUrn": urn,
            "object": activity,
            "created": {"actor": body["actor"], "time": now},
            "lastModified": {"actor": body["actor"], "time": now},
        }
        self.comments[urn] = comment
        return httpx.Response(201, json=comment, headers={"x-restli-id": ident})
