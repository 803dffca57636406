"""The session: login, bearer tokens, the PDS from the DID document, refresh and replay."""

from __future__ import annotations

import time

import anyio
import httpx
import pytest
import respx

import socialkit as sk
from socialkit.providers.bluesky.session import jwt_expiry, pds_endpoint

from .bsky_support import (
    DID,
    HANDLE,
    PASSWORD,
    PDS,
    SERVICE,
    Driver,
    body,
    jti,
    jwt,
    load,
    platform,
    session,
    token_name,
    xrpc,
)

POST = "at://did:plc:alicex3c6l5ewbqkxn2fyy7m/app.bsky.feed.post/3kgt2ttvf6c2a"
EXPIRED = {"error": "ExpiredToken", "message": "Token has expired"}


def posts_route(api: respx.MockRouter, host: str = PDS) -> respx.Route:
    return api.get(xrpc("app.bsky.feed.getPosts", host)).respond(json=load("getPosts"))


def accepting(token: str) -> object:
    """An endpoint that answers 400 ExpiredToken unless the bearer is ``token``."""

    def answer(request: httpx.Request) -> httpx.Response:
        if token_name(request) == token:
            return httpx.Response(200, json=load("getPosts"))
        return httpx.Response(400, json=EXPIRED)

    return answer


def test_first_call_logs_in_with_identifier_and_password(
    bsky: Driver, api: respx.MockRouter
) -> None:
    posts_route(api)
    bsky.get_post(POST)
    login = api["login"].calls.last.request
    assert (login.method, login.url.path) == ("POST", "/xrpc/com.atproto.server.createSession")
    assert body(login) == {"identifier": HANDLE, "password": PASSWORD}
    assert "Authorization" not in login.headers


def test_calls_carry_the_access_jwt_as_bearer(bsky: Driver, api: respx.MockRouter) -> None:
    route = posts_route(api)
    bsky.get_post(POST)
    assert token_name(route.calls.last.request) == "access-1"


def test_later_calls_go_to_the_pds_of_the_did_document(
    bsky: Driver, api: respx.MockRouter
) -> None:
    route = posts_route(api)
    bsky.get_post(POST)
    assert route.calls.last.request.url.host == "morel.us-east.host.bsky.network"
    assert route.calls.last.request.headers["Host"] == "morel.us-east.host.bsky.network"


def test_without_a_did_document_calls_stay_on_the_service(
    kind: str, api: respx.MockRouter
) -> None:
    api["login"].respond(json=session(jwt("access-1"), jwt("refresh-1"), did_doc=False))
    route = posts_route(api, SERVICE)
    Driver(kind).get_post(POST)
    assert route.call_count == 1


def test_login_happens_once_for_many_calls(bsky: Driver, api: respx.MockRouter) -> None:
    posts_route(api)
    for _ in range(3):
        bsky.get_post(POST)
    assert api["login"].call_count == 1


def test_expiry_is_read_from_the_access_jwt() -> None:
    token = jwt("a", expires_in=3600)
    assert jwt_expiry(token) == pytest.approx(time.time() + 3600, abs=5)


def test_unreadable_jwt_has_no_expiry() -> None:
    assert jwt_expiry("not-a-jwt") is None


def test_pds_is_the_atproto_pds_service_of_the_did_document() -> None:
    assert pds_endpoint(load("createSession")["didDoc"]) == PDS


def test_token_near_expiry_is_refreshed_before_the_call(
    kind: str, api: respx.MockRouter
) -> None:
    api["login"].respond(json=session(jwt("access-1", expires_in=30), jwt("refresh-1")))
    refresh = api.post(xrpc("com.atproto.server.refreshSession")).respond(
        json=session(jwt("access-2"), jwt("refresh-2"))
    )
    route = posts_route(api)
    bsky = Driver(kind)
    bsky.get_post(POST)  # logs in: the access JWT it gets expires in 30 s
    bsky.get_post(POST)
    request = refresh.calls.last.request
    assert refresh.call_count == 1
    assert token_name(request) == "refresh-1"
    assert request.content == b""
    assert token_name(route.calls.last.request) == "access-2"


def test_rotated_refresh_jwt_is_kept(kind: str, api: respx.MockRouter) -> None:
    api["login"].respond(json=session(jwt("access-1", expires_in=30), jwt("refresh-1")))
    api.post(xrpc("com.atproto.server.refreshSession")).respond(
        json=session(jwt("access-2"), jwt("refresh-2"))
    )
    posts_route(api)
    bluesky = platform()
    bsky = Driver(kind, bluesky)
    bsky.get_post(POST)
    bsky.get_post(POST)
    assert bluesky.session.refresh_jwt is not None
    assert jti(bluesky.session.refresh_jwt.get_secret_value()) == "refresh-2"


@pytest.mark.parametrize("status", [400, 401])
def test_expired_token_refreshes_once_and_replays(
    kind: str, api: respx.MockRouter, status: int
) -> None:
    refresh = api.post(xrpc("com.atproto.server.refreshSession")).respond(
        json=session(jwt("access-2"), jwt("refresh-2"))
    )
    route = api.get(xrpc("app.bsky.feed.getPosts"))
    route.side_effect = [httpx.Response(status, json=EXPIRED),
                         httpx.Response(200, json=load("getPosts"))]
    post = Driver(kind).get_post(POST)
    assert post.id == POST
    assert (refresh.call_count, route.call_count) == (1, 2)
    assert token_name(route.calls.last.request) == "access-2"


def test_refused_refresh_logs_in_again(kind: str, api: respx.MockRouter) -> None:
    api.post(xrpc("com.atproto.server.refreshSession")).respond(
        400, json={"error": "ExpiredToken", "message": "Token has been revoked"}
    )
    route = api.get(xrpc("app.bsky.feed.getPosts"))
    route.side_effect = [httpx.Response(400, json=EXPIRED),
                         httpx.Response(200, json=load("getPosts"))]
    api["login"].side_effect = [
        httpx.Response(200, json=session(jwt("access-1"), jwt("refresh-1"))),
        httpx.Response(200, json=session(jwt("access-3"), jwt("refresh-3"))),
    ]
    Driver(kind).get_post(POST)
    assert api["login"].call_count == 2
    assert token_name(route.calls.last.request) == "access-3"


def test_50_concurrent_async_calls_share_one_refresh(api: respx.MockRouter) -> None:
    refresh = api.post(xrpc("com.atproto.server.refreshSession")).respond(
        json=session(jwt("access-2"), jwt("refresh-2"))
    )
    api.get(xrpc("app.bsky.feed.getPosts")).mock(side_effect=accepting("access-2"))
    client = sk.AsyncClient(platform(), retry=sk.RetryPolicy(backoff=0.0, max_backoff=0.0))
    results: list[str] = []

    async def one() -> None:
        results.append((await client.get_post(POST)).id)

    async def main() -> None:
        async with anyio.create_task_group() as group:
            for _ in range(50):
                group.start_soon(one)

    anyio.run(main)
    assert (len(results), api["login"].call_count, refresh.call_count) == (50, 1, 1)


def test_invalid_token_is_an_auth_error_without_refresh(
    bsky: Driver, api: respx.MockRouter
) -> None:
    refresh = api.post(xrpc("com.atproto.server.refreshSession"))
    api.get(xrpc("app.bsky.feed.getPosts")).respond(
        401, json={"error": "InvalidToken", "message": "Bad token scope"}
    )
    with pytest.raises(sk.AuthError) as raised:
        bsky.get_post(POST)
    assert not isinstance(raised.value, sk.TokenExpired)
    assert refresh.call_count == 0


def test_wrong_app_password_is_an_auth_error(bsky: Driver, api: respx.MockRouter) -> None:
    api["login"].respond(
        401, json={"error": "AuthenticationRequired", "message": "Invalid identifier or password"}
    )
    with pytest.raises(sk.AuthError, match="Invalid identifier or password") as raised:
        bsky.get_post(POST)
    assert PASSWORD not in str(raised.value)


def test_session_repr_hides_tokens_and_password(api: respx.MockRouter) -> None:
    posts_route(api)
    bluesky = platform()
    Driver("sync", bluesky).get_post(POST)
    shown = repr(bluesky.session) + repr(bluesky.settings) + str(bluesky.settings)
    assert bluesky.session.access_jwt is not None
    assert bluesky.session.refresh_jwt is not None
    secrets = [PASSWORD, bluesky.session.access_jwt.get_secret_value(),
               bluesky.session.refresh_jwt.get_secret_value()]
    assert DID in repr(bluesky.session)
    assert not [s for s in secrets if s in shown]


def test_a_plain_http_pds_in_the_did_document_is_not_followed() -> None:
    doc = load("createSession")["didDoc"]
    doc["service"][0]["serviceEndpoint"] = "http://pds.example.com"
    assert pds_endpoint(doc) is None
