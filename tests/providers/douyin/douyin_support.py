"""Helpers for the Douyin tests: a platform, an envelope, and a small stateful Douyin."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx

from socialkit.providers.douyin import Douyin, DouyinSettings

FIXTURES = Path(__file__).parent / "fixtures"
API = "https://open.douyin.com"
TOKEN = "act.secret-user-token"
OPEN_ID = "ba253642-0590-40bc-9bdf-9a1334b94059"
LOGID = "202008121419360101980821035705926A"


def load(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def make_platform(**settings: Any) -> Douyin:
    return Douyin(DouyinSettings(**{"access_token": TOKEN, "open_id": OPEN_ID, **settings}))


def ok(data: dict[str, Any] | None = None) -> dict[str, Any]:
    """Douyin's envelope around a successful ``data``."""
    return {
        "data": {"error_code": 0, "description": "", **(data or {})},
        "extra": {"error_code": 0, "description": "", "sub_error_code": 0,
                  "sub_description": "", "logid": LOGID, "now": 1597213176393},
    }


def failed(code: int, description: str, sub: int = 0) -> dict[str, Any]:
    """Douyin's envelope around an error (HTTP 200)."""
    return {
        "data": {"error_code": code, "description": description},
        "extra": {"error_code": code, "description": description, "sub_error_code": sub,
                  "sub_description": "", "logid": LOGID, "now": 1597213176393},
    }


def multipart_fields(request: httpx.Request) -> dict[str, tuple[str, bytes]]:
    """The file fields of a multipart body: name -> (filename, bytes)."""
    boundary = request.headers["content-type"].split("boundary=")[1].encode()
    found = {}
    for part in request.content.split(b"--" + boundary):
        head, _, body = part.partition(b"\r\n\r\n")
        named = re.search(rb'name="([^"]+)"; filename="([^"]*)"', head)
        if named:
            found[named.group(1).decode()] = (named.group(2).decode(), body[:-2])
    return found


class FakeDouyin:
    """The account's videos and their comments behind Douyin's OpenAPI; it insists on the
    ``access-token`` header and the ``open_id`` query. New videos start under review."""

    def __init__(self, count: int = 25) -> None:
        self._ids = itertools.count(1)
        self.videos: dict[str, dict[str, Any]] = {}
        for n in range(count):
            self._video(f"video {n}", status=5, created=1600000000 + n)
        self.comments: dict[str, list[dict[str, Any]]] = {}
        self.uploads: dict[str, bytes] = {}
        self.parts: dict[str, dict[int, bytes]] = {}
        self.requests: list[httpx.Request] = []
        self.answers: dict[int, bytes] = {}

    def _video(self, title: str, *, status: int, created: int, reviewed: bool = True) -> str:
        item_id = f"@9VwKzuuES8gmaXS6ZohvQ{next(self._ids):06d}+Yy7pbfOFMb46qAuhLVYT=="
        self.videos[item_id] = {
            "item_id": item_id, "title": title, "create_time": created,
            "cover": "https://p3.douyinpic.com/cover.jpeg", "is_top": False,
            "is_reviewed": reviewed, "video_status": status, "media_type": 4,
            "share_url": f"https://www.iesdouyin.com/share/video/{len(self.videos)}/",
            "statistics": {"digg_count": 3, "comment_count": 1, "share_count": 2,
                           "play_count": 40, "forward_count": 0, "download_count": 0},
        }
        return item_id

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.headers.get("access-token") != TOKEN:
            return httpx.Response(200, json=failed(2190008, "access_token expired"))
        query = {k: v[0] for k, v in parse_qs(request.url.query.decode()).items()}
        if query.get("open_id") != OPEN_ID:
            return httpx.Response(200, json=failed(2100005, "Parameter error"))
        name = request.url.path.strip("/").replace("/", "_")
        response: httpx.Response = getattr(self, f"_{name}")(request, query)
        self.answers[id(request)] = response.content
        return response

    def _api_douyin_v1_video_upload_video(self, request: httpx.Request, q: dict[str, str]
                                          ) -> httpx.Response:
        video_id = f"v0200f{next(self._ids):08d}"
        self.uploads[video_id] = multipart_fields(request)["video"][1]
        return httpx.Response(200, json=ok({"video": {"video_id": video_id}}))

    def _api_douyin_v1_video_init_video_part_upload(self, request: httpx.Request,
                                                    q: dict[str, str]) -> httpx.Response:
        upload_id = f"upload-{next(self._ids)}"
        self.parts[upload_id] = {}
        return httpx.Response(200, json=ok({"upload_id": upload_id}))

    def _api_douyin_v1_video_upload_video_part(self, request: httpx.Request,
                                               q: dict[str, str]) -> httpx.Response:
        self.parts[q["upload_id"]][int(q["part_number"])] = multipart_fields(request)["video"][1]
        return httpx.Response(200, json=ok())

    def _api_douyin_v1_video_complete_video_part_upload(self, request: httpx.Request,
                                                        q: dict[str, str]) -> httpx.Response:
        parts = self.parts.pop(q["upload_id"])
        video_id = f"v0200f{next(self._ids):08d}"
        self.uploads[video_id] = b"".join(parts[n] for n in sorted(parts))
        return httpx.Response(200, json=ok({"video": {"video_id": video_id}}))

    def _api_douyin_v1_video_create_video(self, request: httpx.Request, q: dict[str, str]
                                          ) -> httpx.Response:
        body = json.loads(request.content)
        if body["video_id"] not in self.uploads:
            return httpx.Response(200, json=failed(2100005, "Parameter error"))
        item_id = self._video(body["text"], status=4, created=1700000000, reviewed=False)
        return httpx.Response(200, json=ok({"item_id": item_id}))

    def _api_douyin_v1_video_video_data(self, request: httpx.Request, q: dict[str, str]
                                        ) -> httpx.Response:
        wanted = json.loads(request.content)["item_ids"]
        found = [self.videos[i] for i in wanted if i in self.videos]
        return httpx.Response(200, json=ok({"list": found}))

    def _api_douyin_v1_video_video_list(self, request: httpx.Request, q: dict[str, str]
                                        ) -> httpx.Response:
        ordered = sorted(self.videos.values(), key=lambda v: -v["create_time"])
        start, count = int(q["cursor"]), int(q["count"])
        page = ordered[start : start + count]
        more = start + count < len(ordered)
        return httpx.Response(200, json=ok({"list": page, "cursor": start + len(page),
                                            "has_more": more}))

    def _item_comment_list(self, request: httpx.Request, q: dict[str, str]) -> httpx.Response:
        found = self.comments.get(q["item_id"], [])
        return httpx.Response(200, json=ok({"list": found, "cursor": 0, "has_more": False}))

    def _item_comment_reply(self, request: httpx.Request, q: dict[str, str]) -> httpx.Response:
        body = json.loads(request.content)
        comment_id = f"@9VwKzuuES8gmaXS6ZohvQ{next(self._ids):06d}comment"
        self.comments.setdefault(body["item_id"], []).append({
            "comment_id": comment_id, "comment_user_id": OPEN_ID, "content": body["content"],
            "create_time": 1700000100, "digg_count": 0, "reply_comment_total": 0,
            "top": False,
        })
        return httpx.Response(200, json=ok({"comment_id": comment_id}))
