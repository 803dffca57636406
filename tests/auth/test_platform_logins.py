"""The ready logins: Mastodon (app registration + OAuth), X (PKCE), Meta (token exchanges), Bluesky.

Requests are checked against the platforms' references: Mastodon's
``POST /api/v1/apps`` and ``POST /oauth/token`` (docs.joinmastodon.org), X's
OAuth 2 PKCE flow (docs.x.com: authorize at x.com/i/oauth2/authorize, token at
api.x.com/2/oauth2/token, HTTP Basic for confidential clients), Meta's long-lived
token exchange and ``/me/accounts`` (developers.facebook.com).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
import respx
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from pydantic import SecretStr

import socialkit as sk
from socialkit.auth import (
    AuthorizationRequest,
    LoginConfig,
    LoopbackListener,
    MemoryTokenStore,
    login,
    login_bluesky,
    login_mastodon,
    login_meta,
    login_x,
    long_lived_token,
    page_tokens,
    parse_redirect,
)
from socialkit.auth.oauth2 import platform_for_login

MASTODON = "https://example.social"
GRAPH = "https://graph.facebook.com/v25.0"

# Shaped like the CredentialApplication and Token examples of the Mastodon API reference.
APP = {
    "id": "563419",
    "name": "socialkit",
    "website": "https://socialkit.readthedocs.io",
    "scopes": ["read", "write"],
    "redirect_uri": "http://127.0.0.1/callback\nurn:ietf:wg:oauth:2.0:oob",
    "redirect_uris": ["http://127.0.0.1/callback", "urn:ietf:wg:oauth:2.0:oob"],
    "client_id": "TWhM-tNSuncnqN7DBJmoyeLnk6K3iJJ71KKXxgL1hPM",
    "client_secret": "ZEaFUFmF0umgBX1qKJDjaU99Q31lDkOU8NutzTOoliw",
    "client_secret_expires_at": 0,
}
TOKEN = {
    "access_token": "ZA-Yj3aBD8U8Cm7lKUp-lm9O9BmDgdhHzDeqsY8tlL0",
    "token_type": "Bearer",
    "scope": "read write",
    "created_at": 1573979017,
}


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as mock:
        mock.route(host="127.0.0.1").pass_through()  # the loopback listener is real
        yield mock


def form(request: httpx.Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.read().decode()).items()}


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def approve(request: httpx.Request) -> httpx.Response:
    """An authorization endpoint that approves at once: 302 to the redirect URI."""
    params = dict(request.url.params)
    target = (
        params["redirect_uri"] + "?" + urlencode({"code": "THE-CODE", "state": params["state"]})
    )
    return httpx.Response(302, headers={"Location": target})


def follow(url: str) -> None:
    """The user's browser: approve, then land on the loopback listener."""
    with httpx.Client(trust_env=False) as http:
        http.get(http.get(url).headers["Location"])


def free_port() -> int:
    with LoopbackListener("probe") as probe:
        return probe.address[1]


# -- Mastodon ---------------------------------------------------------------------------------


def mastodon(router: respx.MockRouter) -> tuple[respx.Route, respx.Route]:
    apps = router.post(f"{MASTODON}/api/v1/apps").respond(json=APP)
    token = router.post(f"{MASTODON}/oauth/token").respond(json=TOKEN)
    return apps, token


def mastodon_manual(store: MemoryTokenStore, shown: list[str]) -> sk.auth.StoredProfile:
    return login_mastodon(
        "example.social",
        profile="brand",
        store=store,
        manual=True,
        prompt=lambda question: "THE-CODE",
        echo=shown.append,
    )


def test_mastodon_registers_an_app_as_documented(router: respx.MockRouter) -> None:
    apps, _ = mastodon(router)
    mastodon_manual(MemoryTokenStore(), [])
    assert json.loads(apps.calls.last.request.read()) == {
        "client_name": "socialkit",
        "redirect_uris": ["http://127.0.0.1/callback", "urn:ietf:wg:oauth:2.0:oob"],
        "scopes": "read write",
        "website": "https://socialkit.readthedocs.io",
    }


def test_mastodon_authorization_url_asks_for_code_with_pkce(router: respx.MockRouter) -> None:
    mastodon(router)
    shown: list[str] = []
    mastodon_manual(MemoryTokenStore(), shown)
    url = next(word for word in shown[0].split() if word.startswith("https://"))
    assert url.startswith(f"{MASTODON}/oauth/authorize?")
    params = query(url)
    assert {
        k: params[k]
        for k in ("response_type", "client_id", "redirect_uri", "scope", "code_challenge_method")
    } == {
        "response_type": "code",
        "client_id": APP["client_id"],
        "redirect_uri": "urn:ietf:wg:oauth:2.0:oob",
        "scope": "read write",
        "code_challenge_method": "S256",
    }
    assert len(params["state"]) >= 32


def test_mastodon_token_request_carries_code_verifier_and_client(
    router: respx.MockRouter,
) -> None:
    _, token = mastodon(router)
    shown: list[str] = []
    mastodon_manual(MemoryTokenStore(), shown)
    sent = form(token.calls.last.request)
    challenge = query(next(w for w in shown[0].split() if w.startswith("https://")))[
        "code_challenge"
    ]
    assert create_s256_code_challenge(sent.pop("code_verifier")) == challenge
    assert sent == {
        "grant_type": "authorization_code",
        "code": "THE-CODE",
        "redirect_uri": "urn:ietf:wg:oauth:2.0:oob",
        "client_id": APP["client_id"],
        "client_secret": APP["client_secret"],
    }


def test_mastodon_profile_holds_instance_and_token(router: respx.MockRouter) -> None:
    mastodon(router)
    store = MemoryTokenStore()
    mastodon_manual(store, [])
    saved = store.load("brand")
    assert saved is not None
    assert saved.plain_settings() == {"instance": MASTODON, "access_token": TOKEN["access_token"]}


def test_mastodon_app_is_registered_once_per_instance(router: respx.MockRouter) -> None:
    apps, token = mastodon(router)
    store = MemoryTokenStore()
    mastodon_manual(store, [])
    mastodon_manual(store, [])
    assert (apps.call_count, token.call_count) == (1, 2)
    assert "app:mastodon:example.social" in store.list()


def test_mastodon_loopback_login_uses_a_free_port(router: respx.MockRouter) -> None:
    mastodon(router)
    authorize = router.get(f"{MASTODON}/oauth/authorize").mock(side_effect=approve)
    store = MemoryTokenStore()
    login_mastodon(
        "https://example.social/", store=store, open_browser=follow, echo=lambda line: None
    )
    redirect = urlsplit(authorize.calls.last.request.url.params["redirect_uri"])
    assert (redirect.scheme, redirect.hostname, redirect.path) == ("http", "127.0.0.1", "/callback")
    assert store.load("mastodon") is not None


# -- X ----------------------------------------------------------------------------------------


def x_routes(router: respx.MockRouter) -> tuple[respx.Route, respx.Route]:
    authorize = router.get("https://x.com/i/oauth2/authorize").mock(side_effect=approve)
    token = router.post("https://api.x.com/2/oauth2/token").respond(
        json={
            "token_type": "bearer",
            "expires_in": 7200,
            "access_token": "X-ACCESS",
            "scope": "tweet.read offline.access",
            "refresh_token": "X-REFRESH",
        }
    )
    return authorize, token


def x_login(secret: str | None = None) -> sk.auth.StoredProfile:
    return login_x(
        "CLIENT-ID",
        secret,
        redirect_uri=f"http://127.0.0.1:{free_port()}/callback",
        store=MemoryTokenStore(),
        open_browser=follow,
        echo=lambda line: None,
    )


def test_x_authorization_url_follows_the_reference(router: respx.MockRouter) -> None:
    authorize, _ = x_routes(router)
    x_login()
    params = dict(authorize.calls.last.request.url.params)
    assert params["scope"] == (
        "tweet.read tweet.write tweet.moderate.write users.read "
        "like.read like.write media.write offline.access"
    )
    assert (params["response_type"], params["client_id"], params["code_challenge_method"]) == (
        "code",
        "CLIENT-ID",
        "S256",
    )


def test_x_confidential_client_authenticates_with_basic(router: respx.MockRouter) -> None:
    _, token = x_routes(router)
    saved = x_login("CLIENT-SECRET")
    request = token.calls.last.request
    assert (
        request.headers["Authorization"]
        == "Basic " + base64.b64encode(b"CLIENT-ID:CLIENT-SECRET").decode()
    )
    assert "client_secret" not in form(request)
    assert saved.token is not None
    assert saved.token.auth_method == "client_secret_basic"


def test_x_public_client_sends_its_id_in_the_form(router: respx.MockRouter) -> None:
    _, token = x_routes(router)
    x_login()
    request = token.calls.last.request
    assert "Authorization" not in request.headers
    assert form(request)["client_id"] == "CLIENT-ID"


def test_x_refresh_of_a_confidential_client_uses_basic(router: respx.MockRouter) -> None:
    _, token = x_routes(router)
    saved = x_login("CLIENT-SECRET")
    assert saved.token is not None
    assert saved.token.refreshable
    credential = saved.token.credential("x")
    sk.Client(platform_for_login("x")).run(credential.refresh())
    request = token.calls.last.request
    assert request.headers["Authorization"].startswith("Basic ")
    assert form(request) == {"grant_type": "refresh_token", "refresh_token": "X-REFRESH"}


# -- Meta -------------------------------------------------------------------------------------


def test_meta_long_lived_exchange_is_the_documented_get(router: respx.MockRouter) -> None:
    route = router.get(f"{GRAPH}/oauth/access_token").respond(
        json={"access_token": "LONG", "token_type": "bearer", "expires_in": 5183944}
    )
    token, expires_at = sk.Client(platform_for_login("facebook")).run(
        long_lived_token("APP", SecretStr("APP-SECRET"), SecretStr("SHORT"))
    )
    assert dict(route.calls.last.request.url.params) == {
        "grant_type": "fb_exchange_token",
        "client_id": "APP",
        "client_secret": "APP-SECRET",
        "fb_exchange_token": "SHORT",
    }
    assert token.get_secret_value() == "LONG"
    assert expires_at is not None


def accounts(router: respx.MockRouter) -> respx.Route:
    second = f"{GRAPH}/me/accounts?after=CURSOR"
    return router.get(url__startswith=f"{GRAPH}/me/accounts").mock(
        side_effect=[
            httpx.Response(
                200,
                json={
                    "data": [
                        {
                            "id": "101",
                            "name": "Brand",
                            "access_token": "PAGE-101",
                            "category": "Brand",
                            "tasks": ["MANAGE", "CREATE_CONTENT"],
                        }
                    ],
                    "paging": {"cursors": {"after": "CURSOR"}, "next": second},
                },
            ),
            httpx.Response(
                200,
                json={
                    "data": [
                        {
                            "id": "102",
                            "name": "Shop",
                            "access_token": "PAGE-102",
                            "instagram_business_account": {"id": "17841400000000000"},
                        }
                    ],
                    "paging": {"cursors": {}},
                },
            ),
        ]
    )


def test_meta_page_tokens_walk_every_page_of_accounts(router: respx.MockRouter) -> None:
    route = accounts(router)
    pages = sk.Client(platform_for_login("facebook")).run(page_tokens(SecretStr("LONG")))
    assert [(p.id, p.access_token.get_secret_value(), p.instagram_user_id) for p in pages] == [
        ("101", "PAGE-101", None),
        ("102", "PAGE-102", "17841400000000000"),
    ]
    first = route.calls[0].request
    assert first.headers["Authorization"] == "Bearer LONG"
    assert first.url.params["fields"] == (
        "id,name,access_token,category,tasks,instagram_business_account"
    )


def meta(router: respx.MockRouter) -> None:
    router.get(f"{GRAPH}/oauth/access_token").respond(
        json={"access_token": "LONG", "expires_in": 5183944}
    )
    accounts(router)


def test_meta_login_saves_the_chosen_page_token(router: respx.MockRouter) -> None:
    meta(router)
    store = MemoryTokenStore()
    login_meta(
        "APP",
        "APP-SECRET",
        user_token="SHORT",
        page_id="101",
        store=store,
        profile="brand-fb",
        echo=lambda line: None,
    )
    saved = store.load("brand-fb")
    assert saved is not None
    assert saved.plain_settings() == {
        "page_id": "101",
        "access_token": "PAGE-101",
        "app_secret": "APP-SECRET",
        "page_name": "Brand",
    }


def test_meta_instagram_login_saves_the_linked_account(router: respx.MockRouter) -> None:
    meta(router)
    saved = login_meta(
        "APP",
        "APP-SECRET",
        platform="instagram",
        user_token="SHORT",
        store=MemoryTokenStore(),
        echo=lambda line: None,
    )
    assert saved.platform == "instagram"
    assert saved.plain_settings()["user_id"] == "17841400000000000"


def test_meta_offers_a_choice_between_pages(router: respx.MockRouter) -> None:
    meta(router)
    shown: list[str] = []
    saved = login_meta(
        "APP",
        "APP-SECRET",
        user_token="SHORT",
        store=MemoryTokenStore(),
        prompt=lambda question: "2",
        echo=shown.append,
    )
    assert saved.plain_settings()["page_id"] == "102"
    assert any("Shop (102)" in line for line in shown)


# -- Bluesky and the dispatcher ---------------------------------------------------------------


def test_bluesky_login_stores_handle_and_app_password() -> None:
    store = MemoryTokenStore()
    login_bluesky("@brand.bsky.social", "abcd-efgh-ijkl-mnop", store=store, echo=lambda line: None)
    saved = store.load("bluesky")
    assert saved is not None
    assert saved.plain_settings() == {
        "handle": "brand.bsky.social",
        "app_password": "abcd-efgh-ijkl-mnop",
        "service": "https://bsky.social",
    }


def test_login_dispatches_by_platform_name() -> None:
    store = MemoryTokenStore()
    login(
        "bluesky",
        handle="brand.bsky.social",
        app_password="pw",
        store=store,
        echo=lambda line: None,
    )
    assert store.list() == ["bluesky"]


def test_login_refuses_a_platform_without_an_interactive_login() -> None:
    with pytest.raises(sk.ConfigError, match="no interactive login for 'wechat'"):
        login("wechat")


# -- pasted answers -------------------------------------------------------------------------


REQUEST = AuthorizationRequest("https://auth.example/authorize", "http://127.0.0.1:1/cb", "S1")


@pytest.mark.parametrize(
    "answer",
    [
        "THE-CODE",
        "  THE-CODE\n",
        "http://127.0.0.1:1/cb?code=THE-CODE&state=S1",
        "?code=THE-CODE&state=S1",
        "code=THE-CODE&state=S1",
    ],
)
def test_a_pasted_url_query_or_code_gives_the_code(answer: str) -> None:
    assert parse_redirect(answer, REQUEST) == "THE-CODE"


@pytest.mark.parametrize(
    "answer",
    [
        "http://127.0.0.1:1/cb?code=THE-CODE&state=OTHER",
        "http://127.0.0.1:1/cb?code=THE-CODE",
    ],
)
def test_a_pasted_url_with_a_wrong_or_no_state_is_refused(answer: str) -> None:
    with pytest.raises(sk.AuthError, match="wrong state"):
        parse_redirect(answer, REQUEST)


def test_a_denied_authorization_is_reported() -> None:
    with pytest.raises(sk.AuthError, match="not granted: The user denied") as caught:
        parse_redirect(
            {"error": "access_denied", "error_description": "The user denied", "state": "S1"},
            REQUEST,
        )
    assert caught.value.code == "access_denied"


def test_login_config_shows_no_secret() -> None:
    config = LoginConfig("https://a/authorize", "https://a/token", ["r"], "id", "SECRET-CANARY")
    assert "SECRET-CANARY" not in repr(config)


def test_a_registered_localhost_redirect_is_sent_verbatim(router: respx.MockRouter) -> None:
    router.route(host="localhost").pass_through()
    authorize, _ = x_routes(router)
    redirect = f"http://localhost:{free_port()}/callback"
    login_x(
        "CLIENT-ID",
        redirect_uri=redirect,
        store=MemoryTokenStore(),
        open_browser=follow,
        echo=lambda line: None,
    )
    assert authorize.calls.last.request.url.params["redirect_uri"] == redirect
