"""Helpers for the Reddit tests: fixture bodies, the platform, and a small stateful Reddit
(posts, comments) answering oauth.reddit.com through a respx side effect."""

from __future__ import annotations

import itertools
import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx

import socialkit as sk
from socialkit.providers.reddit import Reddit, RedditSettings
from socialkit.testing.driver import Driver

__all__ = ["API", "Driver", "FakeReddit", "load", "make_platform"]

FIXTURES = Path(__file__).parent / "fixtures"
API = "https://oauth.reddit.com"
TOKEN_URL = "https://www.reddit.com/api/v1/access_token"
UPLOAD = "https://reddit-uploaded-media.s3-accelerate.amazonaws.com"
TOKEN = "reddit-secret-token"
AGENT = "python:com.example.brandbot:1.0 (by /u/brand)"
FAST = sk.RetryPolicy(backoff=0.0, max_backoff=0.0)


def load(name: str) -> Any:
    """A fixture body by name (``fixtures/<name>.json``)."""
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def make_platform(**settings: Any) -> Reddit:
    """A Reddit platform with a plain token, the User-Agent parts and r/brand by default."""
    values = {"access_token": TOKEN, "app_id": "com.example.brandbot", "username": "brand",
              "subreddit": "brand", **settings}
    return Reddit(RedditSettings(**values))


def form(request: httpx.Request) -> dict[str, str]:
    """A form-encoded body as a dict of single values."""
    return {k: v[0] for k, v in parse_qs(request.content.decode(), keep_blank_values=True).items()}


def submitted(**data: Any) -> dict[str, Any]:
    """An ``api_type=json`` answer carrying ``data``."""
    return {"json": {"errors": [], "data": data}}


class FakeReddit:
    """Posts and comments of one account, enough for the shared contract."""

    def __init__(self) -> None:
        self.things: dict[str, dict[str, Any]] = {}
        self._ids = itertools.count(1000)

    def _new(self, kind: str, **data: Any) -> dict[str, Any]:
        base36 = format(next(self._ids), "x")
        thing = {"id": base36, "name": f"{kind}_{base36}", "author": "brand",
                 "created_utc": time.time(), **data}
        self.things[thing["name"]] = thing
        return thing

    def _listing(self, things: list[dict[str, Any]], kind: str) -> dict[str, Any]:
        children = [{"kind": kind, "data": t} for t in things]
        return {"kind": "Listing", "data": {"after": None, "before": None, "children": children}}

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        params = request.url.params
        if request.method == "POST" and path == "/api/submit":
            body = form(request)
            thing = self._new("t3", title=body["title"], selftext=body.get("text", ""),
                              subreddit=body["sr"], is_self=body["kind"] == "self",
                              num_comments=0, score=1, permalink=f"/r/{body['sr']}/comments/x/")
            return httpx.Response(200, json=submitted(id=thing["id"], name=thing["name"],
                                                      url=f"https://www.reddit.com/r/x/{thing['id']}/"))
        if request.method == "POST" and path == "/api/del":
            self.things.pop(form(request)["id"], None)
            return httpx.Response(200, json={})
        if request.method == "POST" and path == "/api/comment":
            body = form(request)
            parent = body["thing_id"]
            link = parent if parent.startswith("t3_") else self.things[parent]["link_id"]
            thing = self._new("t1", body=body["text"], parent_id=parent, link_id=link)
            return httpx.Response(200, json=submitted(things=[{"kind": "t1", "data": thing}]))
        if path == "/api/info":
            found = [self.things[i] for i in params["id"].split(",") if i in self.things]
            return httpx.Response(200, json=self._listing(found, "t3"))
        if path == "/user/brand/submitted":
            posts = [t for n, t in self.things.items() if n.startswith("t3_")]
            return httpx.Response(200, json=self._listing(posts[::-1], "t3"))
        if path.startswith("/comments/"):
            link = "t3_" + path.split("/")[2]
            comments = [t for t in self.things.values() if t.get("link_id") == link]
            if link not in self.things:
                return httpx.Response(404, json={"message": "Not Found", "error": 404})
            return httpx.Response(200, json=[self._listing([self.things[link]], "t3"),
                                             self._listing(comments, "t1")])
        return httpx.Response(404, json={"message": "Not Found", "error": 404})
