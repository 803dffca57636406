"""The whole OAuth 2 story against a real authorization server (authlib's, on loopback).

Login with the authorization code + PKCE (the test plays the browser), then a
refresh caused by an expired token on a protected resource, then rotation.
"""

from __future__ import annotations

import time

import httpx
import pytest

import socialkit as sk
from socialkit.auth import (
    LoginConfig,
    MemoryTokenStore,
    OAuth2Token,
    StoredProfile,
    login_oauth2,
)
from socialkit.platform import Platform, PlatformSettings
from tests.auth._authserver import CLIENT_ID, USER, AuthServer, Browser

FAST = sk.RetryPolicy(backoff=0.0, max_backoff=0.0)


class Toy(Platform):
    name = "toy"


def config(server: AuthServer) -> LoginConfig:
    return LoginConfig(
        f"{server.url}/authorize",
        f"{server.url}/token",
        ["read", "offline"],
        CLIENT_ID,
        platform="toy",
    )


def log_in(
    server: AuthServer, store: MemoryTokenStore, browser: Browser, transport: httpx.HTTPTransport
) -> StoredProfile:
    return login_oauth2(
        config(server),
        settings={"base_url": server.url},
        profile="brand",
        store=store,
        open_browser=browser,
        echo=lambda line: None,
        transport=transport,
    )


def client_for(
    stored: StoredProfile, transport: httpx.HTTPTransport
) -> tuple[sk.Client, OAuth2Token]:
    assert stored.token is not None
    token = stored.token.credential("toy")
    platform = Toy(PlatformSettings(base_url=stored.settings["base_url"]))
    vars(platform)["credential"] = token
    return sk.Client(platform, transport=transport, retry=FAST), token


def test_login_runs_the_code_flow_with_pkce_and_saves_the_profile(
    auth_server: AuthServer,
    store: MemoryTokenStore,
    browser: Browser,
    transport: httpx.HTTPTransport,
) -> None:
    stored = log_in(auth_server, store, browser, transport)
    issued = auth_server.db.tokens[-1]
    assert stored == store.load("brand")
    assert stored.token is not None
    assert stored.token.access_token is not None
    assert stored.token.access_token.get_secret_value() == issued.access_token
    assert stored.token.refreshable
    assert issued.user == USER
    assert auth_server.db.challenges[-1][1] == "S256"


def test_the_browser_sees_the_close_this_tab_page(
    auth_server: AuthServer,
    store: MemoryTokenStore,
    browser: Browser,
    transport: httpx.HTTPTransport,
) -> None:
    log_in(auth_server, store, browser, transport)
    landing = browser.landings[-1]
    assert landing.status_code == 200
    assert "You can close this tab" in landing.text
    assert browser.redirects[-1].startswith("http://127.0.0.1:")


def test_the_code_is_exchanged_once_at_the_token_endpoint(
    auth_server: AuthServer,
    store: MemoryTokenStore,
    browser: Browser,
    transport: httpx.HTTPTransport,
) -> None:
    log_in(auth_server, store, browser, transport)
    assert auth_server.db.log == [("GET", "/authorize"), ("POST", "/token")]
    assert auth_server.db.codes == {}  # consumed


def test_a_wrong_code_verifier_is_refused_by_the_server(
    auth_server: AuthServer,
    store: MemoryTokenStore,
    transport: httpx.HTTPTransport,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import socialkit.auth.oauth2 as oauth2

    real = oauth2.create_s256_code_challenge
    monkeypatch.setattr(oauth2, "create_s256_code_challenge", lambda v: real(v + "x"))
    with pytest.raises(sk.SocialkitError, match="Code challenge failed"):
        log_in(auth_server, store, Browser(), transport)
    assert store.load("brand") is None


def test_an_expired_token_is_refreshed_through_a_client_call(
    auth_server: AuthServer,
    store: MemoryTokenStore,
    browser: Browser,
    transport: httpx.HTTPTransport,
) -> None:
    client, token = client_for(log_in(auth_server, store, browser, transport), transport)
    auth_server.db.expire_access_tokens()
    assert client.request("GET", "/api/me").json() == {"id": "1", "username": USER}
    assert auth_server.db.log[-3:] == [("GET", "/api/me"), ("POST", "/token"), ("GET", "/api/me")]
    assert token.generation == 1


def test_refresh_rotates_the_refresh_token(
    auth_server: AuthServer,
    store: MemoryTokenStore,
    browser: Browser,
    transport: httpx.HTTPTransport,
) -> None:
    client, token = client_for(log_in(auth_server, store, browser, transport), transport)
    old = token.refresh_token
    auth_server.db.expire_access_tokens()
    client.request("GET", "/api/me")
    assert token.refresh_token is not None
    assert old is not None
    assert token.refresh_token.get_secret_value() == auth_server.db.tokens[-1].refresh_token
    assert token.refresh_token.get_secret_value() != old.get_secret_value()


def test_the_old_refresh_token_is_rejected_after_rotation(
    auth_server: AuthServer,
    store: MemoryTokenStore,
    browser: Browser,
    transport: httpx.HTTPTransport,
) -> None:
    stored = log_in(auth_server, store, browser, transport)
    client, _token = client_for(stored, transport)
    auth_server.db.expire_access_tokens()
    client.request("GET", "/api/me")
    assert stored.token is not None
    stale = stored.token.credential("toy")  # still holds the first refresh token
    with pytest.raises(sk.ReauthRequired):
        client.run(stale.refresh())


def test_a_refreshed_token_is_written_back_to_the_profile(
    auth_server: AuthServer,
    store: MemoryTokenStore,
    browser: Browser,
    transport: httpx.HTTPTransport,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from socialkit import registry

    monkeypatch.setattr(registry, "load_platform", lambda name: Toy)
    first = log_in(auth_server, store, browser, transport)
    client = sk.connect("toy", profile="brand", store=store, transport=transport, retry=FAST)
    auth_server.db.expire_access_tokens()
    client.request("GET", "/api/me")
    saved = store.load("brand")
    assert saved is not None
    assert saved.token is not None
    assert first.token is not None
    current = auth_server.db.tokens[-1]
    assert saved.token.refresh_token is not None
    assert saved.token.access_token is not None
    assert saved.token.refresh_token.get_secret_value() == current.refresh_token
    assert saved.settings["access_token"].get_secret_value() == current.access_token
    assert saved.updated_at >= first.updated_at


def test_a_new_connection_after_rotation_uses_the_saved_token(
    auth_server: AuthServer,
    store: MemoryTokenStore,
    browser: Browser,
    transport: httpx.HTTPTransport,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from socialkit import registry

    monkeypatch.setattr(registry, "load_platform", lambda name: Toy)
    log_in(auth_server, store, browser, transport)
    sk.connect("toy", profile="brand", store=store, transport=transport, retry=FAST)
    auth_server.db.expire_access_tokens()
    sk.connect("toy", profile="brand", store=store, transport=transport, retry=FAST).request(
        "GET", "/api/me"
    )
    auth_server.db.expire_access_tokens()
    later = sk.connect("toy", profile="brand", store=store, transport=transport, retry=FAST)
    assert later.request("GET", "/api/me").status_code == 200
    assert [entry for entry in auth_server.db.log if entry[1] == "/token"] == [
        ("POST", "/token")
    ] * 3


def test_login_times_out_when_no_redirect_comes(
    auth_server: AuthServer,
    store: MemoryTokenStore,
    transport: httpx.HTTPTransport,
) -> None:
    started = time.monotonic()
    with pytest.raises(sk.AuthError, match="no authorization redirect"):
        login_oauth2(
            config(auth_server),
            store=store,
            open_browser=lambda url: None,
            timeout=0.2,
            echo=lambda line: None,
            transport=transport,
        )
    assert time.monotonic() - started < 5
