"""What the Bluesky tests share: addresses, fixtures, fake JWTs, and a sync/async driver."""

from __future__ import annotations

import base64
import copy
import inspect
import json
import struct
import time
import zlib
from functools import cache
from pathlib import Path
from typing import Any

import anyio
import httpx

import socialkit as sk
from socialkit.http import RetryPolicy
from socialkit.providers.bluesky import Bluesky, BlueskySettings

SERVICE = "https://bsky.social"
PDS = "https://morel.us-east.host.bsky.network"
VIDEO = "https://video.bsky.app"
HANDLE = "brand.bsky.social"
DID = "did:plc:brandz7hq4kxw2u3r6mvy5dj"
PASSWORD = "abcd-efgh-ijkl-mnop"
FAST = RetryPolicy(backoff=0.0, max_backoff=0.0)
FIXTURES = Path(__file__).parent / "fixtures"


@cache
def _fixture(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def load(name: str) -> Any:
    """A fresh copy of ``fixtures/<name>.json``."""
    return copy.deepcopy(_fixture(name))


def xrpc(nsid: str, host: str = PDS) -> str:
    """The URL of an XRPC method on a host."""
    return f"{host}/xrpc/{nsid}"


def jwt(name: str, *, expires_in: float = 7200, subject: str = DID) -> str:
    """An unsigned JWT shaped like a PDS access or refresh token (the ``jti`` names it)."""

    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    now = int(time.time())
    claims = {"scope": "com.atproto.appPass", "sub": subject, "iat": now,
              "exp": int(now + expires_in), "jti": name}
    return f"{part({'typ': 'at+jwt', 'alg': 'ES256K'})}.{part(claims)}.c2lnbmF0dXJl"


def jti(token: str) -> str:
    """The ``jti`` of one of the test's JWTs: its name."""
    payload = token.split(".")[1]
    return str(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["jti"])


def token_name(request: httpx.Request) -> str | None:
    """The name of the bearer JWT a request carries (which of the test's tokens it is)."""
    header = request.headers.get("Authorization", "")
    return jti(header.removeprefix("Bearer ")) if header.startswith("Bearer ") else None


def session(access: str, refresh: str, *, did_doc: bool = True) -> dict[str, Any]:
    """A createSession/refreshSession answer carrying the given tokens."""
    payload = load("createSession")
    payload["accessJwt"], payload["refreshJwt"] = access, refresh
    if not did_doc:
        del payload["didDoc"]
    return payload


def created(request: httpx.Request) -> httpx.Response:
    """A createRecord answer for the record the request asked for (its own rkey echoed)."""
    body = json.loads(request.content)
    answer = load("createRecord")
    answer["uri"] = f"at://{body['repo']}/{body['collection']}/{body['rkey']}"
    return httpx.Response(200, json=answer)


def body(request: httpx.Request) -> Any:
    """The JSON body of a captured request."""
    return json.loads(request.content)


def platform(**settings: Any) -> Bluesky:
    """A Bluesky platform for the test account."""
    values = {"handle": HANDLE, "app_password": PASSWORD} | settings
    return Bluesky(BlueskySettings(**values))


class Driver:
    """One of the two clients behind one calling convention, so a test runs on both.

    Operations return their result; listings return all their items (``pages`` gives the
    pages). Async operations run with ``anyio.run``.
    """

    def __init__(self, kind: str, bluesky: Bluesky | None = None, **options: Any) -> None:
        self.kind = kind
        self.platform = bluesky or platform()
        options.setdefault("retry", FAST)
        self.client: sk.Client | sk.AsyncClient = (
            sk.Client(self.platform, **options) if kind == "sync"
            else sk.AsyncClient(self.platform, **options)
        )

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.client, name)

        def run(*args: Any, **kwargs: Any) -> Any:
            return self._finish(method(*args, **kwargs))

        return run

    def _finish(self, result: Any) -> Any:
        if isinstance(result, sk.Paginator):
            return list(result)
        if isinstance(result, sk.AsyncPaginator):
            async def gather() -> list[Any]:
                return [item async for item in result]

            return anyio.run(gather)
        if inspect.isawaitable(result):
            async def wait() -> Any:
                return await result

            return anyio.run(wait)
        return result

    def pages(self, name: str, *args: Any, **kwargs: Any) -> list[sk.ResultPage[Any]]:
        """Every page of a listing."""
        paginator = getattr(self.client, name)(*args, **kwargs)
        if isinstance(paginator, sk.AsyncPaginator):
            async def gather() -> list[sk.ResultPage[Any]]:
                return [page async for page in paginator.pages()]

            return anyio.run(gather)
        return list(paginator.pages())


# -- media files, built by hand ----------------------------------------------------------------


def png(width: int, height: int) -> bytes:
    """A real (tiny-pixelled, grey) PNG of the given size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def jpeg(width: int, height: int, orientation: int | None = None) -> bytes:
    """A JPEG's headers (SOI, optional EXIF orientation, DQT, SOF0, SOS): enough to measure."""

    def segment(marker: int, data: bytes) -> bytes:
        return bytes([0xFF, marker]) + struct.pack(">H", len(data) + 2) + data

    out = b"\xff\xd8" + segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
    if orientation is not None:
        ifd = struct.pack(">H", 1) + struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0)
        tiff = b"MM\x00\x2a" + struct.pack(">I", 8) + ifd + b"\x00\x00\x00\x00"
        out += segment(0xE1, b"Exif\x00\x00" + tiff)
    out += segment(0xDB, b"\x00" + bytes(64))
    out += segment(0xC0, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00")
    return out + segment(0xDA, b"\x01\x01\x00\x00\x3f\x00") + b"\x00" * 16 + b"\xff\xd9"


def mp4(width: int, height: int, *, rotated: bool = False) -> bytes:
    """An MP4's box structure (ftyp, moov/trak/tkhd, mdat) with one track of the given size."""

    def box(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data) + 8) + kind + data

    one, zero = 0x00010000, 0
    matrix = ([zero, one, 0, -one, zero, 0, 0, 0, 0x40000000] if rotated
              else [one, 0, 0, 0, one, 0, 0, 0, 0x40000000])
    tkhd = (b"\x00\x00\x00\x03" + struct.pack(">IIIII", 0, 0, 1, 0, 1000) + bytes(8)
            + struct.pack(">hhhH", 0, 0, 0, 0) + struct.pack(">9i", *matrix)
            + struct.pack(">II", width << 16, height << 16))
    audio = box(b"trak", box(b"tkhd", tkhd[:-8] + struct.pack(">II", 0, 0)))
    video = box(b"trak", box(b"tkhd", tkhd))
    return (box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41") + box(b"moov", audio + video)
            + box(b"mdat", bytes(64)))
