"""Fixtures: a respx router with the session endpoints, both drivers, and a Lexicon check.

Every XRPC request a test sends is checked against its Lexicon when the specs are present
(see ``bsky_lexicon``), so each endpoint test is also a wire-format test.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import respx

from .bsky_lexicon import available, check_request
from .bsky_support import SERVICE, Driver, jwt, load, session, xrpc


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    """The mocked network: login on the service; getSession on the PDS. Tests add routes."""
    with respx.mock(assert_all_called=False) as router:
        router.post(xrpc("com.atproto.server.createSession", SERVICE), name="login").respond(
            json=session(jwt("access-1"), jwt("refresh-1", expires_in=90 * 86400))
        )
        router.get(xrpc("com.atproto.server.getSession"), name="whoami").respond(
            json=load("getSession")
        )
        yield router
        if available():
            problems = [p for call in router.calls for p in check_request(call.request)]
            assert not problems, "requests break their Lexicons:\n" + "\n".join(problems)


@pytest.fixture
def bsky(kind: str, api: respx.MockRouter) -> Driver:
    """A client of the test account on the mocked network, sync or async."""
    return Driver(kind)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record the drivers' sleeps instead of sleeping."""
    recorded: list[float] = []

    async def fake_async_sleep(seconds: float) -> None:
        recorded.append(seconds)

    import socialkit as sk

    monkeypatch.setattr(sk.Client, "_sleep", lambda self, s: recorded.append(s))
    monkeypatch.setattr(sk.AsyncClient, "_sleep", lambda self, s: fake_async_sleep(s))
    return recorded

