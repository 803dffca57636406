"""An in-process, Mastodon-compatible sandbox server.

It speaks a faithful subset of the Mastodon client API (statuses, context, favourites,
reblogs, media, notifications, search, accounts, Link pagination, rate-limit headers,
``Idempotency-Key``) over seeded, deterministic demo data. Any bearer token is a user:
an unknown token creates an account named after it, so a brand (token ``"brand"``)
and its audience can all act through the real API.

Serve it in-process through an httpx transport::

    sandbox = Sandbox()
    with httpx.Client(transport=sandbox.transport(), base_url=sandbox.base_url,
                      headers={"Authorization": "Bearer brand"}) as http:
        http.post("/api/v1/statuses", json={"status": "Hello"})

or on a real loopback port (``with sandbox.serve() as url: ...``, or
``python -m socialkit.testing.sandbox --port 8080``). It also simulates an audience
(:meth:`Sandbox.simulate_reply`, :meth:`~Sandbox.simulate_mention`,
:meth:`~Sandbox.simulate_reactions`) and faults (:meth:`~Sandbox.fail_next`,
:meth:`~Sandbox.timeout_next`, :meth:`~Sandbox.answer_next`, :meth:`~Sandbox.drip_next`,
:meth:`~Sandbox.cycle_next`, rate limits, latency).
"""

from __future__ import annotations

import argparse
import contextlib
import fnmatch
import http
import math
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import anyio
import attrs
import httpx

from ._sandbox_api import App
from ._sandbox_http import Reply, Upload, parse_body
from ._sandbox_render import Renderer, iso
from ._sandbox_seed import AUDIENCE, BRAND, seed_brand
from ._sandbox_seed import seed as load_demo_data
from ._sandbox_store import (
    Account,
    Draft,
    Notification,
    SandboxError,
    Status,
    Store,
    sanitize_username,
)
from ._sandbox_stream import STREAMS, Drip, EventStream, Hub
from ._sandbox_webhooks import Delivery, WebhookPlatform, WebhookSender, WebhookTarget

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from ..client import AsyncClient, Client
    from ..providers.mastodon import Mastodon

__all__ = [
    "Delivery",
    "RecordedRequest",
    "Sandbox",
    "SandboxError",
    "SandboxTransport",
    "Upload",
    "WebhookTarget",
    "main",
]

_MESSAGES = {
    401: "The access token is invalid",
    403: "This action is not allowed",
    404: "Record not found",
    410: "Gone",
    422: "Validation failed",
    429: "Too many requests",
    500: "We're sorry, but something went wrong on our end.",
    503: "Remote data could not be fetched",
}


@attrs.frozen
class RecordedRequest:
    """A request the sandbox received, parsed so tests can compare what was sent.

    ``query`` and ``form`` keep every pair in order (repeated keys included);
    ``headers`` has lower-cased names and is left out of the repr (it holds the token).
    """

    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    headers: dict[str, str] = attrs.field(repr=False)
    json: Any = None
    form: tuple[tuple[str, str], ...] | None = None
    files: dict[str, Upload] = attrs.Factory(dict)

    def param(self, name: str) -> str | None:
        """The first value of a query or form parameter."""
        for key, value in (*self.query, *(self.form or ())):
            if key == name:
                return value
        return None


@attrs.define
class _Fault:
    kind: str  # "fail", "timeout", "answer", "drip" or "cycle"
    times: int
    path: str | None = None
    status: int = 0
    retry_after: float | None = None
    after_processing: bool = False
    answer: Reply | None = None
    interval: float = 0.0  # "drip": seconds between two bytes of the body

    def matches(self, path: str) -> bool:
        return self.path is None or fnmatch.fnmatchcase(path, self.path)


class _RateLimiter:
    """Fixed windows aligned on the epoch, per token, like Mastodon's rack-attack."""

    def __init__(self, limit: tuple[int, float] | None) -> None:
        self.enforced = limit is not None
        self.limit, self.period = limit or (300, 300.0)
        self._windows: dict[str, tuple[int, int]] = {}

    def _window(self, now: datetime) -> int:
        return math.floor(now.timestamp() / self.period)

    def headers(self, key: str, now: datetime) -> dict[str, str]:
        """The current ``X-RateLimit-*`` headers (a full bucket when not enforced)."""
        window = self._window(now)
        index, used = self._windows.get(key, (window, 0))
        used = used if index == window and self.enforced else 0
        reset = datetime.fromtimestamp((window + 1) * self.period, UTC)
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(max(0, self.limit - used)),
            "X-RateLimit-Reset": iso(reset),
        }

    def hit(self, key: str, now: datetime) -> bool:
        """Count one call; ``False`` when over the limit."""
        if not self.enforced:
            return True
        window = self._window(now)
        index, used = self._windows.get(key, (window, 0))
        used = used + 1 if index == window else 1
        self._windows[key] = (window, used)
        return used <= self.limit


def _token(request: httpx.Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else "anonymous"


def _retry_after(seconds: float) -> str:
    return str(int(seconds)) if float(seconds).is_integer() else f"{seconds:g}"


class Sandbox:
    """A Mastodon-compatible server held in memory.

    Args:
        seed: Load the deterministic demo data (the brand's posts, an audience of
            ``alice``, ``bob`` and ``chen_wei``, replies, favourites, boosts). Without it
            only the brand account exists.
        latency: Seconds every request takes through :meth:`transport` and :meth:`serve`.
        rate_limit: ``(calls, seconds)`` per token, e.g. ``(300, 300.0)``; beyond it
            requests answer 429. ``None`` does not enforce a limit (headers still show
            Mastodon's 300 per 5 minutes, always full).
        base_url: Origin used by the in-process transport and by the Python helpers'
            rendered URLs (responses always use the request's own scheme and host).
        video_processing_polls: How many ``GET /api/v1/media/:id`` calls answer 206
            before a video, GIF or audio upload is processed; 0 makes them ready at once.
        clock: Returns the current time (timezone-aware); defaults to the wall clock.
        stream_heartbeat: Seconds between the ``:thump`` heartbeats of the streaming API
            (``GET /api/v1/streaming/user[/notification]``, server-sent events).
    """

    brand_token = BRAND

    def __init__(
        self,
        *,
        seed: bool = True,
        latency: float = 0.0,
        rate_limit: tuple[int, float] | None = None,
        base_url: str = "https://sandbox.socialkit.invalid",
        video_processing_polls: int = 1,
        clock: Callable[[], datetime] | None = None,
        stream_heartbeat: float = 15.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.stream_heartbeat = stream_heartbeat
        self.latency = latency
        self.requests: list[RecordedRequest] = []
        self._clock = clock or (lambda: datetime.now(UTC))
        self._lock = threading.RLock()
        self._store = Store(httpx.URL(self.base_url).host)
        seed_brand(self._store)
        if seed:
            load_demo_data(self._store)
        self._app = App(self._store, video_polls=video_processing_polls)
        self._limiter = _RateLimiter(rate_limit)
        self._faults: list[_Fault] = []
        self._hub = Hub(self._store, self._clock)
        self._webhooks = WebhookSender(self._store, self._clock)
        self._store.listener = self._on_change
        self._cycling = False  # whether the cycle_next cursors answer (once one was served)
        self.faults_served: Counter[str] = Counter()
        """How many requests each kind of fault took ("fail", "timeout", "answer", "drip",
        "cycle"; "cycle page" for each empty page of a cursor cycle): proof a test hit it."""

    # -- serving ----------------------------------------------------------------------

    def transport(self) -> SandboxTransport:
        """A transport for ``httpx.Client`` and ``httpx.AsyncClient`` alike."""
        return SandboxTransport(self)

    def client(self, token: str | None = None, **options: Any) -> Client:
        """A synchronous Mastodon client on this sandbox, as the user of ``token`` (the brand).

        ``options`` go to [`Client`][socialkit.Client] (``rate_limit``, ``retry``, ...).
        """
        from ..client import Client

        return Client(self._platform(token), transport=self.transport(), **options)

    def async_client(self, token: str | None = None, **options: Any) -> AsyncClient:
        """An asynchronous Mastodon client on this sandbox, as the user of ``token``."""
        from ..client import AsyncClient

        return AsyncClient(self._platform(token), transport=self.transport(), **options)

    def _platform(self, token: str | None) -> Mastodon:
        from ..providers.mastodon import Mastodon

        settings = Mastodon.Settings(instance=self.base_url, access_token=token or self.brand_token)
        return Mastodon(settings)

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one request (faults and rate limits included, latency not).

        Raises:
            httpx.ReadTimeout: when a :meth:`timeout_next` fault applies.
        """
        request.read()
        with self._lock:
            now = self._clock()
            self.requests.append(_record(request))
            key = _token(request)
            cursor = request.url.params.get("max_id")
            if self._cycling and cursor in _CYCLE:
                self.faults_served["cycle page"] += 1
                return _cycle_page(request, _CYCLE[1 - _CYCLE.index(cursor)])
            fault = self._take_fault(request.url.path)
            if fault is None and request.method == "GET" and request.url.path in STREAMS:
                return self._open_stream(request, now)
            if fault and fault.kind == "timeout" and not fault.after_processing:
                raise httpx.ReadTimeout("sandbox: simulated read timeout", request=request)
            if fault and fault.kind == "answer" and fault.answer is not None:
                if fault.after_processing:
                    self._app(request, now)
                reply = fault.answer
                headers = {}
            elif fault and fault.kind == "fail":
                reply = _fault_reply(fault)
                headers = self._limiter.headers(key, now)
                if fault.status == 429:
                    headers["X-RateLimit-Remaining"] = "0"
            else:
                allowed = self._limiter.hit(key, now)
                reply = (
                    self._app(request, now)
                    if allowed
                    else Reply(429, {"error": "Too many requests"})
                )
                headers = self._limiter.headers(key, now)
            if fault and fault.kind == "timeout":
                raise httpx.ReadTimeout("sandbox: response lost after processing", request=request)
            response = reply.to_response()
            response.headers.update(headers)
            if fault and fault.kind == "cycle" and response.status_code == 200:
                self._cycling = True
                response.headers["Link"] = _link_next(request, _CYCLE[0])
            if fault and fault.kind == "drip":
                return Drip.respond(response, fault.interval)
            return response

    def _open_stream(self, request: httpx.Request, now: datetime) -> httpx.Response:
        viewer = self._app.viewer(request, now)
        if viewer is None:
            return Reply(401, {"error": "The access token is invalid"}).to_response()
        origin = f"{request.url.scheme}://{request.url.netloc.decode('ascii')}"
        tag = request.url.params.get("tag")
        if request.url.path.endswith("/hashtag") and not tag:
            return Reply(400, {"error": "Missing tag"}).to_response()
        body = self._hub.open(viewer.id, request.url.path, origin, self.stream_heartbeat, tag)
        headers = {"Content-Type": "text/event-stream", "Cache-Control": "no-store"}
        return httpx.Response(200, headers=headers, stream=body)

    def _on_change(self, kind: str, subject: Status | Notification) -> None:
        self._hub.publish(kind, subject)
        self._webhooks.on_change(kind, subject, self._brand())

    # -- webhooks ---------------------------------------------------------------------

    def add_webhook(
        self,
        platform: WebhookPlatform,
        url: str,
        secret: str,
        *,
        verify_token: str | None = None,
    ) -> WebhookTarget:
        """Deliver the brand's events to ``url`` as ``platform`` (``"meta"``, ``"x"`` or
        ``"tiktok"``) does, signed with ``secret`` (the app secret, consumer secret or
        client secret). The platform's handshake is made first (Meta's ``hub.challenge``
        with ``verify_token``, X's CRC); then replies and mentions of the brand (Meta, X)
        or the brand's new posts (TikTok) are POSTed from a background thread, and each
        answer is recorded in :attr:`webhook_deliveries`.

        Raises:
            SandboxError: the receiver did not answer the handshake correctly.
        """
        target = WebhookTarget(platform, url, secret, verify_token)
        self._webhooks.add(target)
        return target

    @property
    def webhook_deliveries(self) -> list[Delivery]:
        """Every webhook delivered so far, oldest first, with the receiver's status."""
        return list(self._webhooks.deliveries)

    def wait_webhooks(self, timeout: float = 5.0) -> bool:
        """Block until the queued webhooks were delivered; ``False`` on timeout."""
        return self._webhooks.wait(timeout)

    def redeliver_webhook(self, delivery: Delivery) -> None:
        """Send a delivery again, byte for byte and with its signature (a replay)."""
        self._webhooks.redeliver(delivery)

    @property
    def open_streams(self) -> int:
        """How many streaming connections are open."""
        return len(self._hub.subscriptions)

    def stall_streams(self) -> None:
        """Make the open streams go silent, heartbeats included, without closing them
        (a dead proxy): a client must notice by its read timeout and reconnect."""
        self._hub.stall()

    def close_streams(self) -> None:
        """End every open stream (the clients see the connection close)."""
        self._hub.close_all()

    def stream_viewer(self, token: str) -> str | None:
        """The account id a streaming token signs in as (``None``: refused)."""
        with self._lock:
            auth = {"Authorization": f"Bearer {token}"}
            request = httpx.Request("GET", self.base_url, headers=auth)
            viewer = self._app.viewer(request, self._clock())
            return None if viewer is None else viewer.id

    def open_stream(
        self, token: str, path: str, origin: str, tag: str | None = None
    ) -> EventStream | None:
        """Subscribe the user of ``token`` to the stream at ``path`` (one of the SSE
        paths; the hashtag stream to ``tag``); ``None`` when the token is refused.
        Rendered URLs use ``origin``."""
        account_id = self.stream_viewer(token)
        if account_id is None:
            return None
        return self._hub.open(account_id, path, origin, self.stream_heartbeat, tag)

    @contextlib.contextmanager
    def serve(self, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
        """Serve on a loopback port in a background thread; yields ``http://host:port``.

        The server is uvicorn running the sandbox's ASGI app (:meth:`asgi_app`). A
        :meth:`timeout_next` fault cuts the connection before the answer's body. A
        streaming response (server-sent events, or the ``/api/v1/streaming`` WebSocket)
        is written as events happen; leaving the block cuts the open streams and
        dripping bodies. The state stays: serving the same sandbox again (on the same
        ``port``) is a server restart.
        """
        from ._sandbox_asgi import LoopbackServer

        server = LoopbackServer(self, host, port)
        url = server.start()
        try:
            yield url
        finally:
            server.stop()

    def asgi_app(self) -> Starlette:
        """This sandbox as an ASGI app (Starlette): what :meth:`serve` runs under uvicorn.

        Mount it in your own ASGI server, or call it in process with
        ``httpx.ASGITransport(app=sandbox.asgi_app())`` (which buffers whole bodies, so
        streams and dripping answers need :meth:`transport` or :meth:`serve`).
        """
        from ._sandbox_asgi import sandbox_app

        return sandbox_app(self)

    # -- faults -----------------------------------------------------------------------

    def fail_next(
        self,
        status: int,
        *,
        times: int = 1,
        retry_after: float | None = None,
        path: str | None = None,
    ) -> None:
        """Answer the next ``times`` requests (whose path matches the ``fnmatch`` pattern
        ``path``, when given) with ``status`` and a JSON error body, with ``Retry-After``
        (integral seconds as an integer, else a decimal) when ``retry_after`` is given.
        Faults apply in the order they were queued, before rate limiting."""
        with self._lock:
            self._faults.append(_Fault("fail", times, path, status, retry_after))

    def timeout_next(
        self, *, times: int = 1, after_processing: bool = False, path: str | None = None
    ) -> None:
        """Make the next ``times`` requests (to ``path``, an fnmatch pattern) time out.

        With ``after_processing`` the request is processed (state changes) and only the
        response is lost, as when a network fails after the server committed.
        """
        with self._lock:
            self._faults.append(_Fault("timeout", times, path, after_processing=after_processing))

    def answer_next(
        self,
        status: int,
        body: bytes,
        *,
        headers: dict[str, str] | None = None,
        times: int = 1,
        path: str | None = None,
        after_processing: bool = False,
    ) -> None:
        """Answer the next ``times`` requests (to ``path``, an fnmatch pattern) with exactly
        ``status``, ``body`` and ``headers``: a hostile or broken server (garbage, JSON
        nested 100k deep, absurd rate-limit headers). With ``after_processing`` the request
        is processed first (a post is created) and only its answer is replaced."""
        reply = Reply(status, None, dict(headers or {}), raw=body)
        with self._lock:
            self._faults.append(
                _Fault("answer", times, path, status, after_processing=after_processing,
                       answer=reply)
            )

    def drip_next(
        self, *, interval: float = 0.05, times: int = 1, path: str | None = None
    ) -> None:
        """Answer the next ``times`` requests (to ``path``, an fnmatch pattern) slowly: the
        request is processed and the headers are sent at once, then the body one byte every
        ``interval`` seconds, as a server (or proxy) that never times out would."""
        with self._lock:
            self._faults.append(_Fault("drip", times, path, interval=interval))

    def cycle_next(self, *, times: int = 1, path: str | None = None) -> None:
        """Make the next ``times`` listings (to ``path``, an fnmatch pattern) lead into a
        cursor cycle: each answers its own page, but with a ``Link`` next cursor whose page
        is empty and links to a second cursor, whose empty page links back to the first."""
        with self._lock:
            self._faults.append(_Fault("cycle", times, path))

    def _take_fault(self, path: str) -> _Fault | None:
        for fault in self._faults:
            if fault.matches(path):
                self.faults_served[fault.kind] += 1
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    # -- audience ---------------------------------------------------------------------

    def _renderer(self, now: datetime) -> Renderer:
        return Renderer(self._store, self.base_url, self._brand(), now)

    def _brand(self) -> Account:
        brand = self._store.by_username(BRAND)
        assert brand is not None
        return brand

    def _user(self, name: str, now: datetime) -> Account:
        username = sanitize_username(name)
        if not username:
            raise SandboxError(422, f"invalid username {name!r}")
        return self._store.ensure_account(username, now)

    def simulate_reply(self, post_id: str, text: str, *, author: str = "alice") -> dict[str, Any]:
        """Post ``text`` by ``author`` (created if missing) in reply to ``post_id``.

        The replied-to author gets a ``mention`` notification. Returns the new status as
        Mastodon JSON (as the brand sees it).
        """
        with self._lock:
            now = self._clock()
            status = self._store.post(
                self._user(author, now), Draft(text, in_reply_to_id=post_id), now
            )
            return self._renderer(now).status(status)

    def simulate_mention(self, text: str, *, author: str = "alice") -> dict[str, Any]:
        """Post a public status by ``author`` mentioning the brand (``@brand`` is prepended
        unless ``text`` has it); the brand gets a ``mention`` notification. Returns the
        status as Mastodon JSON."""
        with self._lock:
            now = self._clock()
            if f"@{BRAND}" not in text.lower():
                text = f"@{BRAND} {text}"
            status = self._store.post(self._user(author, now), Draft(text), now)
            return self._renderer(now).status(status)

    def simulate_reactions(self, post_id: str, *, likes: int = 0, reposts: int = 0) -> None:
        """Add ``likes`` favourites and ``reposts`` boosts from audience accounts not yet
        reacting (the seeded audience first, then new ``fan_N`` accounts), with their
        notifications."""
        with self._lock:
            now = self._clock()
            target = self._store.status(post_id, None)
            for count, done, act in (
                (likes, target.favourited_by, self._store.favourite),
                (reposts, target.reblogs, self._reblog),
            ):
                for acc in self._fans(target.account_id, done, count, now):
                    act(acc, target.id, now)

    def _reblog(self, actor: Account, status_id: str, now: datetime) -> Status:
        return self._store.reblog(actor, status_id, now, None)

    def _fans(
        self, author_id: str, done: Sequence[str] | dict[str, str], count: int, now: datetime
    ) -> Iterator[Account]:
        names = [*AUDIENCE, *(f"fan_{i}" for i in range(1, count + len(done) + 2))]
        given = 0
        for name in names:
            if given == count:
                return
            acc = self._store.ensure_account(name, now)
            if acc.id != author_id and acc.id not in done:
                given += 1
                yield acc

    # -- inspection -------------------------------------------------------------------

    def statuses(self, *, account: str | None = None) -> list[dict[str, Any]]:
        """Every live status (reblogs included), oldest first, as Mastodon JSON;
        only those of the username ``account`` when given."""
        with self._lock:
            render = self._renderer(self._clock())
            acc = self._store.by_username(account) if account is not None else None
            if account is not None and acc is None:
                return []
            return [
                render.status(s)
                for s in self._store.statuses.values()
                if acc is None or s.account_id == acc.id
            ]


class SandboxTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Serves a :class:`Sandbox` to sync and async httpx clients, with its latency.

    Latency is slept with ``time.sleep`` in the sync path and ``anyio.sleep`` in the
    async one (outside the sandbox lock), so concurrent async calls overlap.
    """

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Sync path."""
        request.read()
        if self.sandbox.latency > 0:
            time.sleep(self.sandbox.latency)
        return self.sandbox.handle(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Async path."""
        await request.aread()
        if self.sandbox.latency > 0:
            await anyio.sleep(self.sandbox.latency)
        return self.sandbox.handle(request)


def _record(request: httpx.Request) -> RecordedRequest:
    try:
        body = parse_body(request)
    except SandboxError:
        body = parse_body(httpx.Request(request.method, request.url))
    return RecordedRequest(
        method=request.method,
        path=request.url.path,
        query=tuple(request.url.params.multi_items()),
        headers={k.lower(): v for k, v in request.headers.items()},
        json=body.json,
        form=body.form,
        files=dict(body.files),
    )


_CYCLE = ("9000000000000000001", "9000000000000000002")  # max_id cursors of cycle_next


def _link_next(request: httpx.Request, cursor: str) -> str:
    """A ``Link`` header whose next page is the request's own listing at ``cursor``."""
    url = request.url.copy_remove_param("min_id").copy_remove_param("since_id")
    return f'<{url.copy_set_param("max_id", cursor)}>; rel="next"'


def _cycle_page(request: httpx.Request, other: str) -> httpx.Response:
    """The empty page of a cycling cursor, linking to the ``other`` one."""
    return httpx.Response(
        200,
        headers={"Content-Type": "application/json; charset=utf-8",
                 "Link": _link_next(request, other)},
        content=b"[]",
    )


def _fault_reply(fault: _Fault) -> Reply:
    try:
        message = _MESSAGES.get(fault.status) or http.HTTPStatus(fault.status).phrase
    except ValueError:
        message = "Error"
    headers = {} if fault.retry_after is None else {"Retry-After": _retry_after(fault.retry_after)}
    return Reply(fault.status, {"error": message}, headers)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m socialkit.testing.sandbox``: serve a sandbox until interrupted."""
    parser = argparse.ArgumentParser(
        prog="python -m socialkit.testing.sandbox",
        description="Serve the socialkit Mastodon-compatible sandbox on a loopback port.",
    )
    parser.add_argument("--port", type=int, default=0, help="port (default: any free port)")
    parser.add_argument("--host", default="127.0.0.1", help="interface (default: 127.0.0.1)")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="added latency per call")
    parser.add_argument("--no-seed", action="store_true", help="start without demo data")
    args = parser.parse_args(argv)
    sandbox = Sandbox(seed=not args.no_seed, latency=args.latency_ms / 1000)
    with sandbox.serve(args.host, args.port) as url:  # uvicorn, in a thread
        print(
            f"socialkit sandbox serving at {url} (brand token: {sandbox.brand_token})", flush=True
        )
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
