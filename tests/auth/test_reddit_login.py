"""Reddit's login: the authorization URL with ``duration=permanent``, the code exchanged with
HTTP Basic and the app's User-Agent, the script app's saved password, and a connection from
the saved profile whose refresh carries the User-Agent.

Reference: https://github.com/reddit-archive/reddit/wiki/OAuth2
"""

from __future__ import annotations

import argparse
import base64
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import respx

import socialkit as sk
from socialkit.auth import FileTokenStore, MemoryTokenStore, cli, login, login_reddit

from .test_platform_logins import approve, follow, form, free_port

AUTHORIZE = "https://www.reddit.com/api/v1/authorize"
TOKEN_URL = "https://www.reddit.com/api/v1/access_token"
AGENT = "python:com.example.brandbot:1.0 (by /u/brand)"
ANSWER = {"access_token": "R-ACCESS", "token_type": "bearer", "expires_in": 3600,
          "scope": "identity submit", "refresh_token": "R-REFRESH"}


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as mock:
        mock.route(host="127.0.0.1").pass_through()  # the loopback listener is real
        yield mock


def routes(router: respx.MockRouter) -> tuple[respx.Route, respx.Route]:
    return (router.get(AUTHORIZE).mock(side_effect=approve),
            router.post(TOKEN_URL).respond(json=ANSWER))


def web_login(store: MemoryTokenStore, secret: str | None = "APP-SECRET") -> sk.auth.StoredProfile:
    return login_reddit(
        "APP-ID", secret, user_agent=AGENT,
        redirect_uri=f"http://127.0.0.1:{free_port()}/callback",
        store=store, open_browser=follow, echo=lambda line: None,
    )


def test_the_authorization_url_asks_for_a_permanent_token(router: respx.MockRouter) -> None:
    authorize, _ = routes(router)
    web_login(MemoryTokenStore())
    params = dict(authorize.calls.last.request.url.params)
    assert (params["client_id"], params["response_type"], params["duration"]) == (
        "APP-ID", "code", "permanent")
    assert params["scope"] == (
        "identity edit submit read history mysubreddits privatemessages modposts")
    assert "code_challenge" not in params


def test_the_code_is_exchanged_with_basic_auth_and_the_user_agent(
    router: respx.MockRouter,
) -> None:
    _, token = routes(router)
    saved = web_login(MemoryTokenStore())
    request = token.calls.last.request
    assert request.headers["Authorization"] == (
        "Basic " + base64.b64encode(b"APP-ID:APP-SECRET").decode())
    assert request.headers["User-Agent"] == AGENT
    assert form(request)["grant_type"] == "authorization_code"
    assert "client_secret" not in form(request)
    assert saved.token is not None
    assert saved.token.refreshable
    assert saved.settings["user_agent"] == AGENT


def test_an_installed_app_authenticates_with_an_empty_secret(router: respx.MockRouter) -> None:
    _, token = routes(router)
    web_login(MemoryTokenStore(), secret=None)
    assert token.calls.last.request.headers["Authorization"] == (
        "Basic " + base64.b64encode(b"APP-ID:").decode())


def test_the_saved_profile_connects_and_refreshes_with_the_user_agent(
    router: respx.MockRouter,
) -> None:
    store = MemoryTokenStore()
    routes(router)
    web_login(store)
    refresh = router.post(TOKEN_URL).respond(json={**ANSWER, "access_token": "R-NEW"})
    me = router.get("https://oauth.reddit.com/api/v1/me").mock(side_effect=[
        httpx.Response(401, json={"message": "Unauthorized", "error": 401}),
        httpx.Response(200, json={"id": "1w72", "name": "brand"}),
    ])
    with sk.connect("reddit", profile="reddit", store=store) as client:
        assert client.me().handle == "brand"
    assert form(refresh.calls.last.request) == {"grant_type": "refresh_token",
                                                "refresh_token": "R-REFRESH"}
    assert refresh.calls.last.request.headers["User-Agent"] == AGENT
    assert me.calls.last.request.headers["Authorization"] == "bearer R-NEW"
    saved = store.load("reddit")
    assert saved is not None
    assert saved.plain_settings()["access_token"] == "R-NEW"


def test_a_script_app_saves_its_password_as_a_secret() -> None:
    store = MemoryTokenStore()
    saved = login("reddit", client_id="APP-ID", client_secret="APP-SECRET", user_agent=AGENT,
                  username="brand", password="PW-CANARY", store=store, echo=lambda _: None)
    assert "PW-CANARY" not in repr(saved)
    assert saved.plain_settings()["password"] == "PW-CANARY"
    with sk.connect("reddit", profile="reddit", store=store) as client:
        assert client.platform.settings.password_grant  # type: ignore[attr-defined]


def test_a_login_without_a_user_agent_is_refused() -> None:
    with pytest.raises(sk.ConfigError) as raised:
        login_reddit("APP-ID", "S", user_agent=" ", store=MemoryTokenStore())
    assert raised.value.field == "user_agent"


def test_the_command_line_logs_a_script_app_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(cli, "ask_secret", lambda label: asked.append(label) or "CANARY")
    store = FileTokenStore(tmp_path / "tokens.json")
    parser = argparse.ArgumentParser(prog="socialkit")
    cli.add_auth_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["auth", "login", "reddit", "--script", "--client-id", "APP-ID",
                              "--user-agent", AGENT, "--username", "brand",
                              "--store", str(store.path)])
    assert args.run(args) == 0
    saved = store.load("reddit")
    assert saved is not None
    assert saved.settings["username"] == "brand"
    assert asked == ["Client secret (empty for an installed app): ", "Password: "]
