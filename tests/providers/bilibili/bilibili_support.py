"""Helpers for the Bilibili tests: a platform, the signature check, a stateful Bilibili."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
from typing import Any
from urllib.parse import parse_qs

import httpx

from socialkit.providers.bilibili import Bilibili, BilibiliSettings

API = "https://member.bilibili.com"
UPLOAD = "https://openupos.bilivideo.com"
TOKEN = "user-secret-token"
CLIENT_ID = "34c0f583f0414123"
SECRET = "abc7736bb78947d5a4a90690c861c456"
REQUEST_ID = "5f6b2b1c9e0a4d2b"


def make_platform(**settings: Any) -> Bilibili:
    return Bilibili(BilibiliSettings(**{"access_token": TOKEN, "client_id": CLIENT_ID,
                                        "app_secret": SECRET, "tid": 230, **settings}))


def ok(data: Any = None) -> dict[str, Any]:
    return {"code": 0, "message": "0", "ttl": 1, "request_id": REQUEST_ID,
            **({"data": data} if data is not None else {})}


def failed(code: int, message: str) -> dict[str, Any]:
    return {"code": code, "message": message, "request_id": REQUEST_ID}


def signature_ok(request: httpx.Request) -> bool:
    """Recompute the signature as the open platform does."""
    headers = request.headers
    if headers.get("x-bili-content-md5") != hashlib.md5(request.content).hexdigest():
        return False
    names = sorted(k for k in headers if k.startswith("x-bili-"))
    text = "\n".join(f"{k}:{headers[k]}" for k in names)
    wanted = hmac.new(SECRET.encode(), text.encode(), hashlib.sha256).hexdigest()
    return headers.get("authorization") == wanted


class FakeBilibili:
    """The account's archives behind the open platform; it checks every signature."""

    def __init__(self, count: int = 45) -> None:
        self._ids = itertools.count(1)
        self.archives: dict[str, dict[str, Any]] = {}
        for n in range(count):
            self._archive({"title": f"video {n}", "desc": "", "tid": 230, "tag": "a",
                           "cover": "https://i0.hdslb.com/c.jpg", "copyright": 1,
                           "no_reprint": 0}, state=0, ctime=1600000000 + n)
        self.parts: dict[str, dict[int, bytes]] = {}
        self.videos: dict[str, bytes] = {}
        self.requests: list[httpx.Request] = []

    def _archive(self, fields: dict[str, Any], *, state: int, ctime: int) -> str:
        resource_id = f"BV1{next(self._ids):09d}"
        self.archives[resource_id] = {"resource_id": resource_id, **fields, "ctime": ctime,
                                      "addit_info": {"state": state, "state_desc": "",
                                                     "reject_reason": ""}}
        return resource_id

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        query = {k: v[0] for k, v in parse_qs(request.url.query.decode()).items()}
        if request.url.host == "openupos.bilivideo.com":
            self.parts[query["upload_token"]][int(query["part_number"])] = request.content
            return httpx.Response(200, json={"code": 0, "message": "0"})
        if not signature_ok(request):
            return httpx.Response(200, json=failed(127012, "鉴权错误"))
        if request.headers.get("access-token") != TOKEN:
            return httpx.Response(200, json=failed(127001, "access_token验证错误"))
        name = request.url.path.removeprefix("/arcopen/fn/").replace("/", "_").replace("-", "_")
        return getattr(self, f"_{name}")(request, query)  # type: ignore[no-any-return]

    def _archive_video_init(self, request: httpx.Request, q: dict[str, str]) -> httpx.Response:
        token = f"utoken-{next(self._ids)}"
        self.parts[token] = {}
        return httpx.Response(200, json=ok({"upload_token": token}))

    def _archive_video_complete(self, request: httpx.Request, q: dict[str, str]
                                ) -> httpx.Response:
        parts = self.parts[q["upload_token"]]
        self.videos[q["upload_token"]] = b"".join(parts[n] for n in sorted(parts))
        return httpx.Response(200, json=ok())

    def _archive_cover_upload(self, request: httpx.Request, q: dict[str, str]
                              ) -> httpx.Response:
        return httpx.Response(200, json=ok({"url": "https://i0.hdslb.com/bfs/archive/c1.jpg"}))

    def _archive_add_by_utoken(self, request: httpx.Request, q: dict[str, str]
                               ) -> httpx.Response:
        if q["upload_token"] not in self.videos:
            return httpx.Response(200, json=failed(127022, "upload_token验证错误"))
        resource_id = self._archive(json.loads(request.content), state=-1, ctime=1700000000)
        return httpx.Response(200, json=ok({"resource_id": resource_id}))

    def _archive_view(self, request: httpx.Request, q: dict[str, str]) -> httpx.Response:
        found = self.archives.get(q["resource_id"])
        if found is None:
            return httpx.Response(200, json=failed(127124, "不存在该稿件"))
        return httpx.Response(200, json=ok(found))

    def _archive_viewlist(self, request: httpx.Request, q: dict[str, str]) -> httpx.Response:
        ordered = sorted(self.archives.values(), key=lambda a: -a["ctime"])
        pn, ps = int(q["pn"]), int(q["ps"])
        page = ordered[(pn - 1) * ps : pn * ps]
        return httpx.Response(200, json=ok({"page": {"pn": pn, "ps": ps, "total": len(ordered)},
                                            "list": page}))

    def _archive_edit(self, request: httpx.Request, q: dict[str, str]) -> httpx.Response:
        body = json.loads(request.content)
        archive = self.archives[body["resource_id"]]
        archive.update(body)
        archive["addit_info"] = {"state": -1, "state_desc": "", "reject_reason": ""}
        return httpx.Response(200, json=ok())

    def _archive_delete(self, request: httpx.Request, q: dict[str, str]) -> httpx.Response:
        self.archives.pop(json.loads(request.content)["resource_id"], None)
        return httpx.Response(200, json=ok())
