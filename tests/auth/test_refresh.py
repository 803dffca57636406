"""Refresh inside the drivers: proactive, on expiry, single-flight, safe on failure."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from functools import cached_property
from typing import Any

import anyio
import httpx
import pytest
import respx

import socialkit as sk
from socialkit.credentials.core import OAuth2Token
from socialkit.models import Post
from socialkit.platform import Flow, Platform, PlatformSettings

BASE = "https://api.oauth.example"
TOKEN_URL = "https://auth.oauth.example/token"
FAST = sk.RetryPolicy(backoff=0.0, max_backoff=0.0)


class OAuthToy(Platform):
    name = "oauthtoy"
    default_base_url = BASE

    def __init__(self, token: OAuth2Token) -> None:
        super().__init__(PlatformSettings())
        self.token = token

    @cached_property
    def credential(self) -> OAuth2Token:  # type: ignore[override]
        return self.token

    def get_post(self, post_id: str) -> Flow[Post]:
        response = yield self.call("GET", f"/posts/{post_id}")
        return Post(platform=self.name, id=str(self.json(response)["id"]))


def token(*, expires_in: float = 3600, refresh: str | None = "r1") -> OAuth2Token:
    return OAuth2Token(
        "old",
        refresh_token=refresh,
        expires_at=time.time() + expires_in,
        token_endpoint=TOKEN_URL,
        client_id="app",
        platform="oauthtoy",
    )


def api_route(router: respx.MockRouter) -> respx.Route:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.headers["Authorization"] == "Bearer new":
            return httpx.Response(200, json={"id": 1})
        return httpx.Response(401, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})

    return router.get(f"{BASE}/posts/1").mock(side_effect=answer)


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as mock:
        yield mock


def granted(request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        200, json={"access_token": "new", "refresh_token": "r2", "expires_in": 3600}
    )


def test_expired_token_refreshes_once_and_replays(router: respx.MockRouter) -> None:
    refresh = router.post(TOKEN_URL).mock(side_effect=granted)
    api_route(router)
    credential = token()
    assert sk.Client(OAuthToy(credential), retry=FAST).get_post("1").id == "1"
    assert refresh.call_count == 1
    assert credential.refresh_token is not None
    assert credential.refresh_token.get_secret_value() == "r2"


def test_refresh_form_is_rfc6749(router: respx.MockRouter) -> None:
    refresh = router.post(TOKEN_URL).mock(side_effect=granted)
    api_route(router)
    sk.Client(OAuthToy(token()), retry=FAST).get_post("1")
    body = refresh.calls.last.request.content.decode()
    assert dict(p.split("=") for p in body.split("&")) == {
        "grant_type": "refresh_token",
        "refresh_token": "r1",
        "client_id": "app",
    }
    assert "Authorization" not in refresh.calls.last.request.headers


def test_token_near_expiry_is_refreshed_before_the_call(router: respx.MockRouter) -> None:
    refresh = router.post(TOKEN_URL).mock(side_effect=granted)
    route = api_route(router)
    sk.Client(OAuthToy(token(expires_in=10)), retry=FAST).get_post("1")
    assert refresh.call_count == 1
    assert route.call_count == 1


def test_100_concurrent_async_calls_cause_one_refresh(router: respx.MockRouter) -> None:
    refresh = router.post(TOKEN_URL).mock(side_effect=granted)
    api_route(router)
    client = sk.AsyncClient(OAuthToy(token()), retry=FAST)
    results: list[str] = []

    async def one() -> None:
        results.append((await client.get_post("1")).id)

    async def main() -> None:
        async with anyio.create_task_group() as group:
            for _ in range(100):
                group.start_soon(one)

    anyio.run(main)
    assert (len(results), refresh.call_count) == (100, 1)


def test_20_threads_cause_one_refresh(router: respx.MockRouter) -> None:
    refresh = router.post(TOKEN_URL).mock(side_effect=granted)
    api_route(router)
    client = sk.Client(OAuthToy(token()), retry=FAST)
    barrier = threading.Barrier(20)
    results: list[str] = []

    def one() -> None:
        barrier.wait()
        results.append(client.get_post("1").id)

    threads = [threading.Thread(target=one) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (len(results), refresh.call_count) == (20, 1)


def test_refresh_answered_503_is_retried_and_keeps_the_token(router: respx.MockRouter) -> None:
    refresh = router.post(TOKEN_URL)
    refresh.side_effect = [
        httpx.Response(503),
        httpx.Response(503),
        httpx.Response(503),
        httpx.Response(503),
    ]
    api_route(router)
    credential = token()
    with pytest.raises(sk.PlatformError):
        sk.Client(OAuthToy(credential), retry=FAST).get_post("1")
    assert refresh.call_count == 4
    assert credential.refresh_token is not None
    assert credential.refresh_token.get_secret_value() == "r1"
    assert credential.access_token is not None
    assert credential.access_token.get_secret_value() == "old"


def test_invalid_grant_raises_reauth_and_calls_back(router: respx.MockRouter) -> None:
    router.post(TOKEN_URL).respond(
        400, json={"error": "invalid_grant", "error_description": "revoked"}
    )
    api_route(router)
    credential = token()
    seen: list[Any] = []
    credential.on_reauth_required.append(seen.append)
    with pytest.raises(sk.ReauthRequired):
        sk.Client(OAuthToy(credential), retry=FAST).get_post("1")
    assert len(seen) == 1
    assert credential.refresh_token is not None


def test_empty_refresh_token_never_overwrites(router: respx.MockRouter) -> None:
    router.post(TOKEN_URL).respond(
        json={"access_token": "new", "refresh_token": "", "expires_in": 60}
    )
    api_route(router)
    credential = token()
    sk.Client(OAuthToy(credential), retry=FAST).get_post("1")
    assert credential.refresh_token is not None
    assert credential.refresh_token.get_secret_value() == "r1"


def test_on_refresh_callback_receives_the_new_token(router: respx.MockRouter) -> None:
    router.post(TOKEN_URL).mock(side_effect=granted)
    api_route(router)
    credential = token()
    saved: list[str] = []
    credential.on_refresh.append(lambda c: saved.append(c.access_token.get_secret_value()))  # type: ignore[union-attr]
    sk.Client(OAuthToy(credential), retry=FAST).get_post("1")
    assert saved == ["new"]


def test_credential_repr_hides_secrets() -> None:
    credential = OAuth2Token(
        "ACCESS-CANARY", refresh_token="REFRESH-CANARY", client_secret="S-CANARY"
    )
    assert "CANARY" not in repr(credential)
