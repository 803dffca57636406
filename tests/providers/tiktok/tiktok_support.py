"""Helpers for the TikTok tests: fixture bodies, a sync/async driver, an MP4 maker and a
small stateful TikTok (the creator's videos) answering through respx side effects."""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

import httpx

import socialkit as sk
from socialkit.providers.tiktok import TikTok, TikTokSettings
from socialkit.testing.driver import Driver as SharedDriver

FIXTURES = Path(__file__).parent / "fixtures"
API = "https://open.tiktokapis.com"
UPLOAD_URL = "https://open-upload.tiktokapis.com/video/?upload_id=67890&upload_token=Xza123"
FAST = sk.RetryPolicy(backoff=0.0, max_backoff=0.0)
TOKEN = "act.secret-user-token"
OK = {"code": "ok", "message": "", "log_id": "202211111111111111111111111111"}


def load(name: str) -> Any:
    """A fixture body by name (``fixtures/<name>.json``)."""
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def make_platform(**settings: Any) -> TikTok:
    """A TikTok platform with a plain user token unless told otherwise."""
    return TikTok(TikTokSettings(**{"access_token": TOKEN, **settings}))


def mp4(seconds: float, *, size: int = 64, version: int = 0) -> bytes:
    """A minimal MP4: ``ftyp``, then ``moov/mvhd`` saying ``seconds`` at 1000 Hz, padded."""
    timescale = 1000
    if version == 1:
        mvhd = struct.pack(">B3xQQIQ", 1, 0, 0, timescale, int(seconds * timescale))
    else:
        mvhd = struct.pack(">B3xIIII", 0, 0, 0, timescale, int(seconds * timescale))
    mvhd_box = struct.pack(">I4s", 8 + len(mvhd), b"mvhd") + mvhd
    moov = struct.pack(">I4s", 8 + len(mvhd_box), b"moov") + mvhd_box
    ftyp = struct.pack(">I4s4sI", 16, b"ftyp", b"isom", 512)
    data = ftyp + moov
    return data + b"\0" * max(0, size - len(data))


async def _wait(awaitable: Any) -> Any:
    return await awaitable


Driver = SharedDriver


def sent_json(request: httpx.Request) -> Any:
    """The JSON body of a request."""
    return json.loads(request.content)


class FakeTikTok:
    """The creator's videos behind ``/v2/video/list/``, ``/v2/video/query/`` and
    ``/v2/user/info/``, in TikTok's envelope; it insists on the bearer token."""

    def __init__(self, count: int = 45) -> None:
        self.videos = [
            {
                "id": str(7080000000000000000 + n),
                "video_description": f"video {n}",
                "create_time": 1648000000 + n * 60,
                "share_url": f"https://www.tiktok.com/@tiktok/video/{7080000000000000000 + n}",
                "like_count": n,
                "comment_count": 0,
                "share_count": 0,
                "view_count": 10 * n,
            }
            for n in range(count)
        ]

    @staticmethod
    def _answer(data: Any, status: int = 200) -> httpx.Response:
        return httpx.Response(status, json={"data": data, "error": OK})

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return httpx.Response(401, json={"data": {}, "error": {
                "code": "access_token_invalid", "message": "no token", "log_id": "x"}})
        path = request.url.path
        if path == "/v2/video/list/" and request.method == "POST":
            return self._list(json.loads(request.content))
        if path == "/v2/video/query/" and request.method == "POST":
            wanted = set(json.loads(request.content)["filters"]["video_ids"])
            return self._answer({"videos": [v for v in self.videos if v["id"] in wanted]})
        if path == "/v2/user/info/":
            return self._answer({"user": load("user_stats")["data"]["user"]})
        return httpx.Response(404, json={"data": {}, "error": {
            "code": "not_found", "message": path, "log_id": "x"}})

    def _list(self, body: dict[str, Any]) -> httpx.Response:
        newest_first = sorted(self.videos, key=lambda v: v["create_time"], reverse=True)
        cursor = body.get("cursor")
        if cursor is not None:
            newest_first = [v for v in newest_first if v["create_time"] * 1000 < cursor]
        chunk = newest_first[: body.get("max_count", 10)]
        more = len(newest_first) > len(chunk)
        last = chunk[-1]["create_time"] * 1000 if chunk else cursor or 0
        return self._answer({"videos": chunk, "cursor": last, "has_more": more})
