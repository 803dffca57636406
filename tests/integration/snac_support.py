"""Helpers of the snac2 integration tests: a driver for both clients, polling, a 503 proxy."""

from __future__ import annotations

import http.client
import http.server
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import httpx
from anyio.from_thread import BlockingPortal, start_blocking_portal

import socialkit as sk

T = TypeVar("T")
FAST = sk.RetryPolicy(attempts=3, backoff=0.05, max_backoff=0.2, max_elapsed=20)


def no_keepalive() -> httpx.HTTPTransport:
    """A sync transport that opens a connection per request, for raw httpx calls: snac2
    closes every connection after its answer without ``Connection: close``, so a request
    on a pooled connection races that close (socialkit's clients send
    ``Connection: close`` to snac2 for that reason)."""
    return httpx.HTTPTransport(limits=httpx.Limits(max_keepalive_connections=0))


class Driver:
    """A real `Client` or `AsyncClient`, called the same way: async calls run in one
    event loop (a blocking portal), so the client's connections stay in their loop."""

    def __init__(self, client: sk.Client | sk.AsyncClient, portal: BlockingPortal | None):
        self.client = client
        self.portal = portal

    @property
    def platform(self) -> Any:
        return self.client.platform

    def __getattr__(self, name: str) -> Callable[..., Any]:
        operation = getattr(self.client, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            if self.portal is None:
                return operation(*args, **kwargs)

            async def run() -> Any:
                result = operation(*args, **kwargs)
                if isinstance(result, sk.AsyncPaginator):
                    return [item async for item in result]
                return await result

            return self.portal.call(run)

        return call

    def items(self, name: str, *args: Any, **kwargs: Any) -> list[Any]:
        """Every item of a listing."""
        found = getattr(self, name)(*args, **kwargs)
        return list(found)


@contextmanager
def driver(kind: str, target: str, **settings: Any) -> Iterator[Driver]:
    """A driver of ``kind`` (``sync``/``async``) for ``sk.connect(target, ...)``."""
    settings.setdefault("retry", FAST)
    if kind == "sync":
        with sk.connect(target, **settings) as client:
            yield Driver(client, None)
        return
    with start_blocking_portal() as portal:
        client = sk.aconnect(target, **settings)
        try:
            yield Driver(client, portal)
        finally:
            portal.call(client.aclose)


def eventually(probe: Callable[[], T | None], *, timeout: float = 30.0, every: float = 0.2) -> T:
    """Poll ``probe`` until it returns something truthy (snac delivers asynchronously)."""
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"nothing after {timeout:g} s of polling")
        time.sleep(every)


class LosingProxy:
    """A loopback proxy in front of a server that forwards every request, but answers
    ``503`` instead of the real response to the next ``lose`` POSTs to ``path``: the
    server acted, the client never hears of it."""

    def __init__(self, upstream: str, path: str = "/api/v1/statuses") -> None:
        self.upstream = httpx.URL(upstream)
        self.path = path
        self.lose = 0
        self.forwarded: list[tuple[str, str]] = []
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                return

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                conn = http.client.HTTPConnection(
                    proxy.upstream.host, proxy.upstream.port, timeout=30
                )
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                conn.request(self.command, self.path, body=body, headers=headers)
                answer = conn.getresponse()
                payload = answer.read()
                conn.close()
                proxy.forwarded.append((self.command, self.path.split("?")[0]))
                if self.command == "POST" and self.path == proxy.path and proxy.lose > 0:
                    proxy.lose -= 1
                    self._send(503, b'{"error":"injected"}', "application/json")
                    return
                self._send(answer.status, payload, answer.getheader("Content-Type") or "")

            def _send(self, status: int, payload: bytes, kind: str) -> None:
                head = f"HTTP/1.1 {status} X\r\nContent-Length: {len(payload)}\r\n"
                head += f"Content-Type: {kind}\r\n\r\n" if kind else "\r\n"
                self.wfile.write(head.encode() + payload)  # one write: no delayed-ACK stall

            do_GET = do_POST = do_PUT = do_DELETE = _forward

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> LosingProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
