"""A small stateful Weibo for the contract tests: statuses and comments behind respx routes."""

from __future__ import annotations

import itertools
from typing import Any
from urllib.parse import parse_qs

import httpx
import respx

from .weibo_support import BASE, TOKEN, load

USER = load("users_show")


def _time(n: int) -> str:
    return f"Thu Oct 25 {10 + n // 3600 % 10:02d}:{n // 60 % 60:02d}:{n % 60:02d} +0800 2012"


class FakeWeibo:
    """Statuses and comments of one user; answers as the Weibo wiki documents."""

    def __init__(self, seed: int = 60) -> None:
        self._ids = itertools.count(4_000_000_000_000_001)
        self.statuses: dict[str, dict[str, Any]] = {}
        self.comments: dict[str, dict[str, Any]] = {}
        for n in range(seed):
            self._status(f"种子微博 {n} https://brand.example.com/{n}")

    def _next(self) -> str:
        return str(next(self._ids))

    def _status(self, text: str) -> dict[str, Any]:
        status_id = self._next()
        status = {
            "created_at": _time(len(self.statuses)),
            "id": int(status_id),
            "idstr": status_id,
            "mid": status_id,
            "text": text,
            "user": USER,
            "reposts_count": 0,
            "comments_count": 0,
            "attitudes_count": 0,
        }
        self.statuses[status_id] = status
        return status

    def mount(self, router: respx.MockRouter) -> None:
        """Route the endpoints the contract uses to this fake."""
        router.get(f"{BASE}/2/account/rate_limit_status.json").respond(
            200, json=load("rate_limit_status")
        )
        router.post(f"{BASE}/2/statuses/share.json").mock(side_effect=self.share)
        router.get(f"{BASE}/2/statuses/show.json").mock(side_effect=self.show)
        router.get(f"{BASE}/2/statuses/user_timeline.json").mock(side_effect=self.timeline)
        router.post(f"{BASE}/2/comments/create.json").mock(side_effect=self.create_comment)
        router.get(f"{BASE}/2/comments/show.json").mock(side_effect=self.show_comments)

    # -- handlers ----------------------------------------------------------------------------

    @staticmethod
    def _form(request: httpx.Request) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(request.content.decode()).items()}

    @staticmethod
    def _error(code: int, message: str, request: httpx.Request) -> httpx.Response:
        body = {"request": request.url.path, "error_code": code, "error": message}
        return httpx.Response(400, json=body)

    def _authorised(self, request: httpx.Request) -> bool:
        return bool(request.url.params.get("access_token") == TOKEN)

    def share(self, request: httpx.Request) -> httpx.Response:
        if not self._authorised(request):
            return self._error(21332, "invalid_access_token", request)
        form = self._form(request)
        if "rip" not in form or "brand.example.com" not in form.get("status", ""):
            return self._error(10008, "Param error, see doc for more info", request)
        return httpx.Response(200, json=self._status(form["status"]))

    def show(self, request: httpx.Request) -> httpx.Response:
        status = self.statuses.get(request.url.params.get("id", ""))
        if status is None:
            return self._error(20101, "Target weibo does not exist!", request)
        return httpx.Response(200, json=status)

    def timeline(self, request: httpx.Request) -> httpx.Response:
        newest_first = sorted(self.statuses.values(), key=lambda s: -s["id"])
        max_id = int(request.url.params.get("max_id") or 2**63)
        count = int(request.url.params.get("count") or 20)
        page = [s for s in newest_first if s["id"] <= max_id][:count]
        rest = [s for s in newest_first if s["id"] < (page[-1]["id"] if page else 0)]
        next_cursor = rest[0]["id"] if rest else 0
        body = {"statuses": page, "next_cursor": next_cursor, "total_number": len(newest_first)}
        return httpx.Response(200, json=body)

    def create_comment(self, request: httpx.Request) -> httpx.Response:
        form = self._form(request)
        status = self.statuses.get(form.get("id", ""))
        if status is None:
            return self._error(20101, "Target weibo does not exist!", request)
        comment_id = self._next()
        comment = {
            "created_at": _time(len(self.comments)),
            "id": int(comment_id),
            "idstr": comment_id,
            "text": form["comment"],
            "user": USER,
            "status": status,
        }
        self.comments[comment_id] = comment
        return httpx.Response(200, json=comment)

    def show_comments(self, request: httpx.Request) -> httpx.Response:
        status_id = request.url.params.get("id")
        found = [c for c in self.comments.values() if c["status"]["idstr"] == status_id]
        body = {"comments": found[::-1], "next_cursor": 0, "total_number": len(found)}
        return httpx.Response(200, json=body)
