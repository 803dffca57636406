"""An in-process fake of the Microblog API, served through an httpx transport.

It keeps posts in memory and answers as the real service does (see the
package README): any bearer token is a user, errors carry ``{"error": {...}}``,
every answer has ``RateLimit-*`` headers, ``Idempotency-Key`` de-duplicates
publishes, and an expired token is reported with HTTP 200 (the quirk).

```python
fake = FakeMicroblog()
client = sk.Client(Microblog(Microblog.Settings(access_token="brand")),
                   transport=fake.transport())
```
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

WEB = "https://microblog.example"
START = datetime(2025, 1, 6, 9, tzinfo=UTC)

Handler = Callable[..., httpx.Response]


def _error(status: int, code: str, message: str) -> httpx.Response:
    return httpx.Response(status, json={"error": {"code": code, "message": message}})


class FakeMicroblog:
    """The Microblog API in memory.

    Args:
        limit: Calls per token per window; beyond it, 429 with ``Retry-After``.
        window: The window's length in seconds (it never actually resets here).
    """

    def __init__(self, *, limit: int = 1000, window: int = 300) -> None:
        self.posts: dict[str, dict[str, Any]] = {}
        self.requests: list[httpx.Request] = []
        self.limit = limit
        self.window = window
        self._used: dict[str, int] = {}
        self._expired: set[str] = set()
        self._keys: dict[tuple[str, str], str] = {}
        self._failures: list[int] = []
        self._ids = itertools.count(1)
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = [
            ("GET", re.compile(r"/v1/me"), self._me),
            ("POST", re.compile(r"/v1/posts"), self._create),
            ("GET", re.compile(r"/v1/posts"), self._list),
            ("GET", re.compile(r"/v1/posts/(?P<id>[^/]+)"), self._get),
            ("DELETE", re.compile(r"/v1/posts/(?P<id>[^/]+)"), self._delete),
            ("POST", re.compile(r"/v1/posts/(?P<id>[^/]+)/replies"), self._reply),
            ("GET", re.compile(r"/v1/posts/(?P<id>[^/]+)/replies"), self._replies),
        ]

    # -- for tests ----------------------------------------------------------------------

    def transport(self) -> httpx.MockTransport:
        """A transport for `httpx.Client` and `httpx.AsyncClient` alike."""
        return httpx.MockTransport(self.handle)

    def fail_next(self, status: int) -> None:
        """Answer the next request with ``status`` and a generic error body."""
        self._failures.append(status)

    def expire(self, token: str) -> None:
        """From now on, answer ``token``'s calls with the 200 ``token_expired`` quirk."""
        self._expired.add(token)

    def add_post(self, handle: str, text: str, reply_to: str | None = None) -> dict[str, Any]:
        """A post by ``handle``, as if written elsewhere (an audience member, ...)."""
        return self._store(handle, text, reply_to)

    # -- serving ------------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme != "Bearer" or not token:
            return _error(401, "unauthorized", "Missing bearer token")
        if self._failures:
            status = self._failures.pop(0)
            return _error(status, "server_error", "Something went wrong")
        if token in self._expired:
            return _error(200, "token_expired", "The access token expired")
        self._used[token] = self._used.get(token, 0) + 1
        remaining = max(0, self.limit - self._used[token])
        limits = {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(remaining),
            "RateLimit-Reset": str(self.window),
        }
        if self._used[token] > self.limit:
            response = _error(429, "rate_limited", "Slow down")
            response.headers["Retry-After"] = str(self.window)
        else:
            response = self._route(request, token)
        response.headers.update(limits)
        return response

    def _route(self, request: httpx.Request, token: str) -> httpx.Response:
        path = request.url.path
        for method, pattern, handler in self._routes:
            found = pattern.fullmatch(path)
            if found and method == request.method:
                return handler(request, token, **found.groupdict())
        return _error(404, "not_found", f"No route for {request.method} {path}")

    # -- the API ------------------------------------------------------------------------

    def _me(self, request: httpx.Request, token: str) -> httpx.Response:
        return httpx.Response(200, json=self._account(token))

    def _create(self, request: httpx.Request, token: str) -> httpx.Response:
        body = json.loads(request.content)
        reply_to = body.get("reply_to")
        if reply_to is not None and reply_to not in self.posts:
            return _error(404, "not_found", "The post replied to does not exist")
        return self._publish(request, token, body.get("text", ""), reply_to)

    def _reply(self, request: httpx.Request, token: str, id: str) -> httpx.Response:
        if id not in self.posts:
            return _error(404, "not_found", "No such post")
        return self._publish(request, token, json.loads(request.content).get("text", ""), id)

    def _publish(
        self, request: httpx.Request, token: str, text: str, reply_to: str | None
    ) -> httpx.Response:
        if not text.strip():
            return _error(422, "invalid", "A post needs text")
        if len(text) > 280:
            return _error(422, "too_long", f"Text is {len(text)} characters; the limit is 280")
        key = request.headers.get("idempotency-key")
        if key and (token, key) in self._keys:
            return httpx.Response(201, json=self.posts[self._keys[(token, key)]])
        post = self._store(token, text, reply_to)
        if key:
            self._keys[(token, key)] = post["id"]
        return httpx.Response(201, json=post)

    def _get(self, request: httpx.Request, token: str, id: str) -> httpx.Response:
        if id not in self.posts:
            return _error(404, "not_found", "No such post")
        return httpx.Response(200, json=self.posts[id])

    def _delete(self, request: httpx.Request, token: str, id: str) -> httpx.Response:
        post = self.posts.get(id)
        if post is None:
            return _error(404, "not_found", "No such post")
        if post["author"]["handle"] != token:
            return _error(403, "forbidden", "You can only delete your own posts")
        del self.posts[id]
        return httpx.Response(204)

    def _list(self, request: httpx.Request, token: str) -> httpx.Response:
        author = request.url.params.get("author", token)
        mine = [p for p in self.posts.values() if p["author"]["handle"] == author]
        return self._page(request, sorted(mine, key=lambda p: -int(p["id"])))

    def _replies(self, request: httpx.Request, token: str, id: str) -> httpx.Response:
        if id not in self.posts:
            return _error(404, "not_found", "No such post")
        under = [p for p in self.posts.values() if p["id"] != id and self._descends(p, id)]
        return self._page(request, sorted(under, key=lambda p: int(p["id"])))

    # -- helpers ------------------------------------------------------------------------

    def _page(self, request: httpx.Request, items: list[dict[str, Any]]) -> httpx.Response:
        limit = min(int(request.url.params.get("limit", 20)), 50)
        start = int(request.url.params.get("cursor", 0))
        page = items[start : start + limit]
        more = start + limit < len(items)
        return httpx.Response(
            200, json={"data": page, "next_cursor": str(start + limit) if more else None}
        )

    def _descends(self, post: dict[str, Any], ancestor: str) -> bool:
        parent = post.get("reply_to")
        while parent is not None:
            if parent == ancestor:
                return True
            parent = self.posts[parent].get("reply_to") if parent in self.posts else None
        return False

    def _account(self, handle: str) -> dict[str, Any]:
        return {
            "id": f"u_{handle}",
            "handle": handle,
            "name": handle.title(),
            "url": f"{WEB}/@{handle}",
            "followers": 100,
        }

    def _store(self, handle: str, text: str, reply_to: str | None) -> dict[str, Any]:
        number = next(self._ids)
        post_id = str(number)
        root = self.posts[reply_to]["root"] if reply_to in self.posts else post_id
        post = {
            "id": post_id,
            "author": self._account(handle),
            "text": text,
            "created_at": (START + timedelta(minutes=number)).isoformat().replace("+00:00", "Z"),
            "url": f"{WEB}/@{handle}/{post_id}",
            "reply_to": reply_to,
            "root": root,
            "likes": 0,
            "reposts": 0,
            "replies": 0,
        }
        self.posts[post_id] = post
        if reply_to in self.posts:
            self.posts[reply_to]["replies"] += 1
        return post
