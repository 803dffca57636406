"""The async driver behaves the same on both transports (httpx's own, and aiohttp's) when the
network really fails: refused connections, dropped connections, silence, proxies, pool limits.

respx cannot simulate these below aiohttp, so each test runs a real server on loopback.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import logging
import socket
import ssl
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import anyio
import httpx
import pytest

import socialkit as sk
from socialkit.models import Post
from socialkit.platform import Call, Capability, Flow, Platform, PlatformSettings

pytestmark = pytest.mark.anyio

FAST = sk.RetryPolicy(backoff=0.0, max_backoff=0.0)
OK = b'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{"id": "1"}'


class Echo(Platform):
    """A platform with one GET and one unkeyed POST, against a loopback base URL."""

    name = "echo"
    capabilities = frozenset({Capability.PUBLISH_TEXT, Capability.READ_POSTS})

    def get_post(self, post_id: str) -> Flow[Post]:
        response = yield self.call("GET", f"/posts/{post_id}", timeout=0.3)
        return Post(platform=self.name, id=str(self.json(response)["id"]))

    def publish(self, draft: sk.Draft) -> Flow[Post]:
        response = yield Call("POST", "/posts", json={"text": draft.text}, timeout=0.3)
        return Post(platform=self.name, id=str(self.json(response)["id"]))


@pytest.fixture(params=["httpx", "aiohttp"])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "aiohttp":
        pytest.importorskip("httpx_aiohttp")
    monkeypatch.delenv("SOCIALKIT_HTTP")
    return str(request.param)


Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@asynccontextmanager
async def serving(handler: Handler) -> AsyncIterator[str]:
    """A loopback server running ``handler`` per connection. A client that hangs up
    before its whole request or before the answer (a call timed out while connecting, on
    a loaded machine) ends that connection quietly: what the tests check is the client's."""

    async def guarded(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await handler(reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    server = await asyncio.start_server(guarded, "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    finally:
        server.close()


async def read_request(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            await reader.readexactly(int(line.split(b":")[1]))
    return head


def client(backend: str, url: str, **options: Any) -> sk.AsyncClient:
    platform = Echo(PlatformSettings(base_url=url))
    options.setdefault("retry", FAST)
    return sk.AsyncClient(platform, http=backend, **options)  # type: ignore[arg-type]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_repr_names_the_transport(backend: str) -> None:
    async with client(backend, "http://127.0.0.1:1") as sk_client:
        assert sk_client.http == backend
        assert f"http={backend!r}" in repr(sk_client)


async def test_refused_get_is_retried_to_the_bound_then_transport_error(backend: str) -> None:
    attempts: list[int] = []
    async with client(backend, f"http://127.0.0.1:{free_port()}") as sk_client:
        sk_client._exchange.failed = _counting(sk_client._exchange.failed, attempts)  # type: ignore[method-assign]
        with pytest.raises(sk.TransportError, match="ConnectError"):
            await sk_client.get_post("1")
    assert len(attempts) == FAST.attempts


async def test_refused_post_is_retried_since_nothing_was_sent(backend: str) -> None:
    async with client(backend, f"http://127.0.0.1:{free_port()}") as sk_client:
        with pytest.raises(sk.TransportError):  # not PublishUncertain
            await sk_client.publish("hello")


async def test_post_dropped_after_sending_is_uncertain_and_sent_once(backend: str) -> None:
    received: list[bytes] = []

    async def drop(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        received.append(await read_request(reader))
        writer.close()

    async with serving(drop) as url, client(backend, url) as sk_client:
        with pytest.raises(sk.PublishUncertain):
            await sk_client.publish("hello")
    assert len(received) == 1


async def test_get_dropped_after_sending_is_retried_to_the_bound(backend: str) -> None:
    received: list[bytes] = []

    async def drop(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        received.append(await read_request(reader))
        writer.close()

    async with serving(drop) as url, client(backend, url) as sk_client:
        with pytest.raises(sk.TransportError):
            await sk_client.get_post("1")
    assert len(received) == FAST.attempts


async def test_silent_server_times_out_per_call(backend: str) -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        await asyncio.sleep(5)

    async with serving(silent) as url, client(backend, url) as sk_client:
        with pytest.raises(sk.PublishUncertain, match="ReadTimeout"):
            await sk_client.publish("hello")
        with pytest.raises(sk.TransportError, match="ReadTimeout"):
            await sk_client.get_post("1")


def _head(length: int) -> bytes:
    return (
        f"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {length}"
        "\r\n\r\n"
    ).encode()


async def test_a_small_body_cut_short_is_a_read_failure(backend: str) -> None:
    async def truncate(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(_head(100) + b'{"id": "1"')
        await writer.drain()
        writer.close()

    async with serving(truncate) as url, client(backend, url) as sk_client:
        with pytest.raises(sk.PublishUncertain):  # sent: never a second post
            await sk_client.publish("hello")
        with pytest.raises(sk.TransportError):
            await sk_client.get_post("1")


async def test_a_small_body_dripping_is_cut_at_the_deadline(backend: str) -> None:
    async def drip(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(_head(200))
        for _ in range(200):
            writer.write(b" ")
            await writer.drain()
            await asyncio.sleep(0.05)

    started = time.monotonic()
    limits = sk.Limits(deadline=0.5)
    async with serving(drip) as url, client(backend, url, limits=limits) as sk_client:
        with pytest.raises(sk.TransportError, match="deadline"):
            await sk_client.get_post("1")
    assert time.monotonic() - started < 3


async def test_data_arriving_keeps_the_read_timeout_at_bay(backend: str) -> None:
    async def drip(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(_head(10 + 11))
        for _ in range(10):  # 1 s in all, a byte every 0.1 s: each wait under 0.3 s
            await asyncio.sleep(0.1)
            writer.write(b" ")
            await writer.drain()
        writer.write(b'{"id": "1"}')
        await writer.drain()

    async with serving(drip) as url, client(backend, url) as sk_client:
        assert (await sk_client.get_post("1")).id == "1"


async def test_a_stall_after_data_times_out_a_read_timeout_after_the_last_data(
    backend: str,
) -> None:
    async def stall(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(_head(100))
        for _ in range(6):  # 0.6 s of data, then silence
            await asyncio.sleep(0.1)
            writer.write(b" ")
            await writer.drain()
        await asyncio.sleep(5)

    async with serving(stall) as url, client(backend, url, retry=sk.RetryPolicy(attempts=1)) as c:
        started = time.monotonic()
        with pytest.raises(sk.TransportError, match="ReadTimeout"):
            await c.get_post("1")
        elapsed = time.monotonic() - started
    assert 0.85 <= elapsed < 3  # 0.3 s after the last byte, not 0.3 s after the first


async def test_the_deadline_ends_a_wait_for_the_pool(backend: str) -> None:
    async def stalled(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        await asyncio.sleep(5)

    limits, pool = sk.Limits(deadline=0.4), httpx.Limits(max_connections=1)
    started = time.monotonic()
    async with serving(stalled) as url, client(backend, url, limits=limits, pool=pool) as c:
        # no per-call timeout: the client's (30 s reads, 30 s for the pool) outlast the deadline
        calls = [c.request("GET", "/posts/1") for _ in range(2)]
        outcomes = await asyncio.gather(*calls, return_exceptions=True)
    for outcome in outcomes:  # the one holding the connection and the one waiting for it
        assert isinstance(outcome, sk.TransportError)
        assert "deadline of 0.4 s exceeded" in str(outcome)
    assert time.monotonic() - started < 3


async def test_a_publish_past_its_deadline_is_uncertain(backend: str) -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        await asyncio.sleep(5)

    async with serving(silent) as url, client(backend, url, limits=sk.Limits(deadline=0.3)) as c:
        with pytest.raises(sk.PublishUncertain, match="deadline"):
            await c.request("POST", "/posts", json={"text": "hello"})


async def test_a_large_body_stalling_is_cut_at_the_deadline(backend: str) -> None:
    async def stall(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(_head(200_000) + b" " * 70_000)  # over 64 KiB: streamed to the driver
        await writer.drain()
        await asyncio.sleep(5)

    started = time.monotonic()
    limits = sk.Limits(deadline=0.5)
    async with serving(stall) as url, client(backend, url, limits=limits) as sk_client:
        with pytest.raises(sk.TransportError, match="deadline"):
            await sk_client.request("GET", "/posts/1")
    assert time.monotonic() - started < 3


async def test_a_small_body_over_max_body_is_refused(backend: str) -> None:
    body = b'{"id": "' + b"x" * 2000 + b'"}'

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(_head(len(body)) + body)
        await writer.drain()

    limits = sk.Limits(max_body=1000)
    async with serving(answer) as url, client(backend, url, limits=limits) as sk_client:
        with pytest.raises(sk.ParseError, match="max_body"):
            await sk_client.get_post("1")


async def test_pool_limit_caps_connections(backend: str) -> None:
    open_now = [0]
    most = [0]

    async def slow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        open_now[0] += 1
        most[0] = max(most[0], open_now[0])
        try:
            while True:
                await read_request(reader)
                await asyncio.sleep(0.02)
                writer.write(OK)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            open_now[0] -= 1

    limits = httpx.Limits(max_connections=3)
    async with serving(slow) as url, client(backend, url, pool=limits) as sk_client:
        posts = await asyncio.gather(*(sk_client.get_post("1") for _ in range(20)))
    assert len(posts) == 20
    assert most[0] == 3


async def test_proxy_from_the_environment_is_used(
    backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines: list[bytes] = []

    async def proxy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        lines.append((await read_request(reader)).split(b"\r\n")[0])
        writer.write(OK)
        await writer.drain()
        writer.close()

    async with serving(proxy) as proxy_url:
        monkeypatch.setenv("HTTP_PROXY", proxy_url)
        monkeypatch.setenv("NO_PROXY", "")
        async with client(backend, "http://localhost:9") as sk_client:
            assert (await sk_client.get_post("1")).id == "1"
    assert lines == [b"GET http://localhost:9/posts/1 HTTP/1.1"]


async def test_given_transport_wins_over_the_choice(backend: str) -> None:
    mock = httpx.MockTransport(lambda request: httpx.Response(200, json={"id": "m"}))
    async with client(backend, "http://127.0.0.1:1", transport=mock) as sk_client:
        assert (await sk_client.get_post("1")).id == "m"
        assert sk_client.http == "MockTransport"


def test_unknown_choice_is_a_config_error() -> None:
    with pytest.raises(sk.ConfigError, match="http must be"):
        client("curl", "http://127.0.0.1:1")


def test_aiohttp_without_the_extra_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name: None if "aiohttp" in name else real(name)
    )
    with pytest.raises(sk.ConfigError, match=r"socialkit\[aiohttp\]"):
        client("aiohttp", "http://127.0.0.1:1")


def test_auto_picks_aiohttp_when_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("httpx_aiohttp")
    monkeypatch.delenv("SOCIALKIT_HTTP")
    assert client("auto", "http://127.0.0.1:1").http == "aiohttp"


def test_auto_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOCIALKIT_HTTP", "httpx")
    assert client("auto", "http://127.0.0.1:1").http == "httpx"


def _counting(
    failed: Callable[[Call, httpx.HTTPError], sk.SocialkitError], seen: list[int]
) -> Callable[[Call, httpx.HTTPError], sk.SocialkitError]:
    def count(call: Call, exc: httpx.HTTPError) -> sk.SocialkitError:
        seen.append(1)
        return failed(call, exc)

    return count


async def test_multipart_upload_arrives_whole(backend: str) -> None:
    bodies: list[bytes] = []

    async def keep(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = next(
            int(line.split(b":")[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        )
        bodies.append(await reader.readexactly(length))
        writer.write(OK)
        await writer.drain()
        writer.close()

    async with serving(keep) as url, client(backend, url) as sk_client:
        files = {"file": ("a.png", b"\x89PNG-bytes", "image/png")}
        response = await sk_client.request("POST", "/media", files=files)
    assert response.status_code == 200
    assert b"\x89PNG-bytes" in bodies[0]


async def answer_ok(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            await read_request(reader)
            writer.write(OK)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        writer.close()


async def test_an_owned_pool_is_sent_to_without_httpx_client_send(
    backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def refuse(*args: Any, **kwargs: Any) -> httpx.Response:
        raise AssertionError("httpx.AsyncClient.send costs as much as aiohttp's own work")

    monkeypatch.setattr(httpx.AsyncClient, "send", refuse)
    async with serving(answer_ok) as url, client(backend, url) as sk_client:
        assert (await sk_client.get_post("1")).id == "1"
        response = await sk_client.request("GET", "/posts/1")
    assert response.request.url == f"{url}/posts/1"
    assert response.elapsed.total_seconds() >= 0


async def test_a_response_read_whole_is_closed_and_holds_its_body(backend: str) -> None:
    async with serving(answer_ok) as url, client(backend, url) as sk_client:
        response = await sk_client.request("GET", "/posts/1")
        assert response.is_closed
        assert response.json() == json.loads(OK.split(b"\r\n\r\n", 1)[1])
        await response.aclose()  # closing again is harmless


async def test_a_given_http_client_is_sent_through_as_it_is(backend: str) -> None:
    hooked: list[str] = []

    async def hook(request: httpx.Request) -> None:
        hooked.append(request.url.path)

    async with serving(answer_ok) as url:
        platform = Echo(PlatformSettings(base_url=url))
        given = httpx.AsyncClient(event_hooks={"request": [hook]})
        async with sk.AsyncClient(platform, http_client=given) as sk_client:
            await sk_client.get_post("1")
        await given.aclose()
    assert hooked == ["/posts/1"]


async def test_the_httpx_request_log_line_is_written_and_redacted(
    backend: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="httpx")
    async with serving(answer_ok) as url, client(backend, url) as sk_client:
        await sk_client.request("GET", "/posts/1", params={"access_token": "SECRET-123"})
    lines = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert len(lines) == 1
    assert lines[0].startswith(f"HTTP Request: GET {url}/posts/1?access_token=***")
    assert "SECRET" not in lines[0]


async def test_a_compressed_body_is_decoded(backend: str) -> None:
    body = gzip.compress(b'{"id": "zipped"}')
    head = (
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-encoding: gzip\r\n"
        f"content-length: {len(body)}\r\n\r\n"
    ).encode()

    async def zipped(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(head + body)
        await writer.drain()
        writer.close()

    async with serving(zipped) as url, client(backend, url) as sk_client:
        assert (await sk_client.get_post("1")).id == "zipped"


async def test_clients_read_the_ca_bundle_once(
    backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from socialkit import _pool

    made: list[int] = []
    real = httpx.create_ssl_context

    def counted(*args: Any, **kwargs: Any) -> ssl.SSLContext:
        if kwargs.get("verify", args[0] if args else True) is True:  # reads the CA bundle
            made.append(1)
        return real(*args, **kwargs)

    _pool._tls.cache_clear()
    monkeypatch.setattr(httpx, "create_ssl_context", counted)
    async with serving(answer_ok) as url:
        for _ in range(3):
            async with client(backend, url) as sk_client:
                await sk_client.get_post("1")
        with sk.Client(Echo(PlatformSettings(base_url=url))) as sync_client:
            await anyio.to_thread.run_sync(sync_client.get_post, "1")
    _pool._tls.cache_clear()
    assert len(made) == 1


async def test_a_client_makes_its_pool_on_the_first_request(
    backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from socialkit import _pool

    made: list[int] = []
    real = httpx.create_ssl_context

    def counted(*args: Any, **kwargs: Any) -> ssl.SSLContext:
        if kwargs.get("verify", args[0] if args else True) is True:  # reads the CA bundle
            made.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(httpx, "create_ssl_context", counted)
    _pool._tls.cache_clear()
    async with serving(answer_ok) as url, client(backend, url) as sk_client:
        with sk.Client(Echo(PlatformSettings(base_url=url))):
            assert made == []  # made, entered, closed: no pool, no CA bundle read
        await sk_client.get_post("1")
        assert made == [1]
    _pool._tls.cache_clear()


@pytest.mark.parametrize("loop", ["asyncio", "trio"])
def test_the_deadline_holds_on_either_event_loop(loop: str) -> None:
    pytest.importorskip(loop)

    async def stalled(request: httpx.Request) -> httpx.Response:
        await anyio.sleep(30)
        return httpx.Response(200, json={"id": "late"})

    async def main() -> None:
        platform = Echo(PlatformSettings(base_url="http://127.0.0.1:1"))
        transport = httpx.MockTransport(stalled)
        limits = sk.Limits(deadline=0.3)
        async with sk.AsyncClient(platform, transport=transport, limits=limits, retry=FAST) as c:
            with pytest.raises(sk.TransportError, match=r"deadline of 0\.3 s exceeded"):
                await c.get_post("1")

    started = time.monotonic()
    anyio.run(main, backend=loop)
    assert time.monotonic() - started < 5


def test_aiohttp_timeouts_under_a_deadline_keep_only_the_shorter_ones() -> None:
    pytest.importorskip("httpx_aiohttp")
    from socialkit._aiohttp import _within

    timeout = _within(20.0, connect=10.0, read=30.0, write=30.0, pool=20.0)
    assert timeout.total == 20.0
    assert timeout.sock_connect == 10.0  # can end first: kept
    assert timeout.sock_read is None  # 30 s from a later start: the deadline ends first
    assert timeout.connect is None  # as long as the deadline
    assert timeout.ceil_threshold == float("inf")  # no timer rounded up to a whole second
