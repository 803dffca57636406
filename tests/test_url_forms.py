"""URL forms of targets and instances: plain HTTP on loopback by default, never elsewhere."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import httpx
import pytest

import socialkit as sk

M = "mastodon"


@pytest.mark.parametrize(
    ("target", "settings", "base_url"),
    [
        ("mastodon://TOKEN@127.0.0.1:8001", {}, "http://127.0.0.1:8001"),
        ("mastodon://TOKEN@localhost:8001", {}, "http://localhost:8001"),
        ("mastodon://TOKEN@[::1]:8001", {}, "http://[::1]:8001"),
        (M, {"instance": "127.0.0.1:8001", "access_token": "t"}, "http://127.0.0.1:8001"),
        (M, {"instance": "http://127.0.0.1:8001", "access_token": "t"}, "http://127.0.0.1:8001"),
        ("mastodon+https://TOKEN@127.0.0.1:8443", {}, "https://127.0.0.1:8443"),
        ("mastodon+http://TOKEN@127.0.0.1:8001", {}, "http://127.0.0.1:8001"),
        ("mastodon://TOKEN@mastodon.social", {}, "https://mastodon.social"),
        (M, {"instance": "mastodon.social", "access_token": "t"}, "https://mastodon.social"),
        ("bluesky://alice.test:pw@127.0.0.1:2583", {}, "http://127.0.0.1:2583"),
        ("bluesky://alice.test:pw@bsky.social", {}, "https://bsky.social"),
    ],
)
def test_url_forms_use_plain_http_on_loopback_only(
    target: str, settings: dict[str, str], base_url: str
) -> None:
    with sk.connect(target, **settings) as client:
        assert client.platform.base_url == base_url


@pytest.mark.parametrize(
    ("target", "settings"),
    [
        ("mastodon+http://TOKEN@mastodon.social", {}),
        (M, {"instance": "http://mastodon.social", "access_token": "t"}),
        ("bluesky+http://alice.test:pw@bsky.social", {}),
    ],
)
def test_plain_http_off_loopback_stays_refused(target: str, settings: dict[str, str]) -> None:
    with pytest.raises(sk.ConfigError, match="plain HTTP"):
        sk.connect(target, **settings)


@pytest.fixture
def plain_http_port() -> Iterator[int]:
    """A loopback server that speaks plain HTTP only."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_tls_to_a_plain_http_loopback_server_says_to_use_http(plain_http_port: int) -> None:
    origin = f"127.0.0.1:{plain_http_port}"
    retry = sk.RetryPolicy(attempts=1)
    with (
        sk.connect(f"mastodon+https://TOKEN@{origin}", retry=retry) as client,
        pytest.raises(sk.TransportError) as raised,
    ):
        client.me()
    assert f"this server speaks plain HTTP? use http://{origin}" in str(raised.value)
    assert "TOKEN" not in str(raised.value)


def _failing(error: Exception) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        raise error

    return httpx.MockTransport(handler)


@pytest.mark.parametrize(
    ("instance", "error", "hint"),
    [
        (
            "https://127.0.0.1:8443",
            httpx.ConnectError("[SSL: WRONG_VERSION_NUMBER] wrong version number"),
            " (TLS failed: this server speaks plain HTTP? use http://127.0.0.1:8443)",
        ),
        (
            "https://localhost:8443",
            httpx.ConnectError("[SSL: WRONG_VERSION_NUMBER] wrong version number"),
            " (TLS failed: this server speaks plain HTTP? use http://localhost:8443)",
        ),
        ("https://m.example", httpx.ConnectError("[SSL: WRONG_VERSION_NUMBER] x"), ""),
        ("https://127.0.0.1:8443", httpx.ConnectError("connection refused"), ""),
        ("https://127.0.0.1:8443", httpx.ReadError("[SSL] record layer failure"), ""),
    ],
)
def test_the_tls_hint_is_given_only_for_a_tls_failure_on_loopback(
    instance: str, error: Exception, hint: str
) -> None:
    from socialkit.providers.mastodon import Mastodon

    platform = Mastodon(instance=instance, access_token="TOKEN")
    retry = sk.RetryPolicy(attempts=1)
    with (
        sk.Client(platform, transport=_failing(error), retry=retry) as client,
        pytest.raises(sk.TransportError) as raised,
    ):
        client.get_post("1")
    message = raised.value.message
    assert message.endswith(hint)
    assert ("TLS failed" in message) == bool(hint)
