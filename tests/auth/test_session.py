"""AppPasswordSession: a generic refreshable session built from login and refresh flows."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from functools import cached_property

import httpx
import pytest
import respx
from pydantic import SecretStr

import socialkit as sk
from socialkit.auth import AppPasswordSession, Refreshable, SessionGrant
from socialkit.platform import Call, Flow, Platform, PlatformSettings

PDS = "https://pds.example"
FAST = sk.RetryPolicy(backoff=0.0, max_backoff=0.0)


def create_session(identifier: str, password: SecretStr) -> Flow[SessionGrant]:
    response = yield Call(
        "POST",
        f"{PDS}/xrpc/com.atproto.server.createSession",
        json={"identifier": identifier, "password": password.get_secret_value()},
        authenticated=False,
    )
    assert response is not None
    data = response.json()
    return SessionGrant(
        data["accessJwt"], data["refreshJwt"], time.time() + 7200, {"did": data["did"]}
    )


def refresh_session(refresh: SecretStr) -> Flow[SessionGrant]:
    response = yield Call(
        "POST",
        f"{PDS}/xrpc/com.atproto.server.refreshSession",
        headers={"Authorization": f"Bearer {refresh.get_secret_value()}"},
        authenticated=False,
        idempotent=True,
    )
    assert response is not None
    data = response.json()
    return SessionGrant(data["accessJwt"], data["refreshJwt"], time.time() + 7200)


class Sky(Platform):
    name = "sky"
    default_base_url = PDS

    def __init__(self, session: AppPasswordSession) -> None:
        super().__init__(PlatformSettings())
        self.session = session

    @cached_property
    def credential(self) -> AppPasswordSession:  # type: ignore[override]
        return self.session


def session() -> AppPasswordSession:
    return AppPasswordSession(
        "brand.example",
        "APP-PASSWORD",
        login=create_session,
        refresh=refresh_session,
        platform="sky",
    )


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as mock:
        yield mock


def grant(access: str, refresh: str) -> httpx.Response:
    return httpx.Response(200, json={"accessJwt": access, "refreshJwt": refresh, "did": "did:x"})


def expired() -> httpx.Response:
    return httpx.Response(
        401,
        json={"error": "ExpiredToken"},
        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
    )


def test_it_is_a_refreshable_credential() -> None:
    assert isinstance(session(), Refreshable)


def test_the_first_call_logs_in(router: respx.MockRouter) -> None:
    login = router.post(f"{PDS}/xrpc/com.atproto.server.createSession").mock(
        return_value=grant("A1", "R1")
    )
    api = router.get(f"{PDS}/xrpc/app.bsky.actor.getProfile").respond(json={})
    credential = session()
    sk.Client(Sky(credential), retry=FAST).request("GET", "/xrpc/app.bsky.actor.getProfile")
    assert json.loads(login.calls.last.request.read()) == {
        "identifier": "brand.example",
        "password": "APP-PASSWORD",
    }
    assert api.calls.last.request.headers["Authorization"] == "Bearer A1"
    assert credential.info == {"did": "did:x"}


def test_an_expired_access_token_is_refreshed(router: respx.MockRouter) -> None:
    router.post(f"{PDS}/xrpc/com.atproto.server.createSession").mock(return_value=grant("A1", "R1"))
    refresh = router.post(f"{PDS}/xrpc/com.atproto.server.refreshSession").mock(
        return_value=grant("A2", "R2")
    )
    router.get(f"{PDS}/xrpc/x").mock(
        side_effect=lambda r: (
            httpx.Response(200, json={}) if r.headers["Authorization"] == "Bearer A2" else expired()
        )
    )
    credential = session()
    sk.Client(Sky(credential), retry=FAST).request("GET", "/xrpc/x")
    assert refresh.calls.last.request.headers["Authorization"] == "Bearer R1"
    assert credential.refresh_token is not None
    assert credential.refresh_token.get_secret_value() == "R2"


def test_a_refused_refresh_falls_back_to_the_app_password(router: respx.MockRouter) -> None:
    login = router.post(f"{PDS}/xrpc/com.atproto.server.createSession")
    login.side_effect = [grant("A1", "R1"), grant("A3", "R3")]
    router.post(f"{PDS}/xrpc/com.atproto.server.refreshSession").respond(
        401, json={"error": "ExpiredToken"}
    )
    router.get(f"{PDS}/xrpc/x").mock(
        side_effect=lambda r: (
            httpx.Response(200, json={}) if r.headers["Authorization"] == "Bearer A3" else expired()
        )
    )
    credential = session()
    sk.Client(Sky(credential), retry=FAST).request("GET", "/xrpc/x")
    assert login.call_count == 2
    assert credential.generation == 2


def test_a_refused_password_requires_a_new_login(router: respx.MockRouter) -> None:
    router.post(f"{PDS}/xrpc/com.atproto.server.createSession").respond(
        401, json={"error": "AuthenticationRequired", "message": "Invalid identifier or password"}
    )
    credential = session()
    seen: list[sk.SocialkitError] = []
    credential.on_reauth_required.append(seen.append)
    with pytest.raises(sk.ReauthRequired, match="login refused"):
        sk.Client(Sky(credential), retry=FAST).request("GET", "/xrpc/x")
    assert len(seen) == 1


def test_the_repr_hides_the_password_and_tokens() -> None:
    credential = session()
    credential.take(SessionGrant("ACCESS-CANARY", "REFRESH-CANARY"))
    assert "CANARY" not in repr(credential)
    assert "APP-PASSWORD" not in repr(credential)
    assert "CANARY" not in repr(SessionGrant("ACCESS-CANARY", "REFRESH-CANARY"))
