"""Canary secrets through the whole auth path: none may reach a log line, a repr or an error.

Every secret below (and every token the server issues) is looked for in the
``socialkit`` log records at DEBUG, in the reprs and strs of everything the auth
path hands back, and in the errors it raises.
"""

from __future__ import annotations

import itertools
import logging
import string
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from pydantic import SecretStr

import socialkit as sk
from socialkit import registry
from socialkit.auth import (
    AppPasswordSession,
    FileTokenStore,
    LoginConfig,
    OAuth1Credential,
    SessionGrant,
    login_mastodon,
    login_oauth2,
    long_lived_token,
    page_tokens,
)
from socialkit.auth import oauth2 as oauth2_module
from socialkit.auth.oauth2 import platform_for_login
from socialkit.auth.profiles import open_profile
from socialkit.platform import Call, Flow, Platform
from tests.auth._authserver import AuthServer, Browser

CLIENT_SECRET = "CANARY-client-secret-7f3a"
CANARIES = [CLIENT_SECRET]
FAST = sk.RetryPolicy(backoff=0.0, max_backoff=0.0)


class Toy(Platform):
    name = "toy"


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG, logger="socialkit")
    return caplog


@pytest.fixture
def canary_tokens(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make every state and PKCE verifier a recognisable canary."""
    made: list[str] = []
    counter = itertools.count()

    def generate(length: int = 30, chars: str = string.ascii_letters) -> str:
        value = (f"CANARY{next(counter)}x" * 20)[:length]
        made.append(value)
        return value

    monkeypatch.setattr(oauth2_module, "generate_token", generate)
    return made


def leaks(secrets: list[str], logs: pytest.LogCaptureFixture, *things: Any) -> list[str]:
    """The secrets found in the socialkit log records or the reprs/strs of ``things``."""
    records = [r.getMessage() for r in logs.records if r.name.startswith("socialkit")]
    texts = records + [repr(t) for t in things] + [str(t) for t in things]
    return sorted({s for s in secrets if s and any(s in text for text in texts)})


def test_oauth2_login_refresh_and_profile_leak_nothing(
    tmp_path: Path,
    logs: pytest.LogCaptureFixture,
    canary_tokens: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = AuthServer().start()
    try:
        server.add_client("confidential", CLIENT_SECRET)
        transport = httpx.HTTPTransport()
        store = FileTokenStore(tmp_path / "tokens.json")
        browser = Browser()
        config = LoginConfig(
            f"{server.url}/authorize",
            f"{server.url}/token",
            ["read"],
            "confidential",
            CLIENT_SECRET,
            platform="toy",
            auth_method="client_secret_basic",
        )
        shown: list[str] = []
        stored = login_oauth2(
            config,
            settings={"base_url": server.url},
            profile="brand",
            store=store,
            open_browser=browser,
            echo=shown.append,
            transport=transport,
        )
        monkeypatch.setattr(registry, "load_platform", lambda name: Toy)
        client = sk.connect("toy", profile="brand", store=store, transport=transport, retry=FAST)
        server.db.expire_access_tokens()
        client.request("GET", "/api/me")
        assert stored.token is not None
        errors: list[Exception] = []
        try:
            client.run(stored.token.credential("toy").refresh())  # rotated away: refused
        except sk.SocialkitError as error:
            errors.append(error)
        bad = LoginConfig(
            config.authorize_url,
            config.token_url,
            ["read"],
            "confidential",
            "wrong-" + CLIENT_SECRET,
            platform="toy",
        )
        try:
            login_oauth2(
                bad, store=store, open_browser=Browser(), echo=shown.append, transport=transport
            )
        except sk.SocialkitError as error:
            errors.append(error)
        assert [type(e) for e in errors] == [sk.ReauthRequired, sk.AuthError]
        codes = [r.split("code=")[1].split("&")[0] for r in browser.redirects]
        issued = [t.access_token for t in server.db.tokens] + [
            t.refresh_token or "" for t in server.db.tokens
        ]
        secrets = [CLIENT_SECRET, *canary_tokens[1::2], *codes, *issued]  # verifiers, not states
        everything = [
            stored,
            stored.token,
            store.load("brand"),
            store,
            client,
            client.platform,
            client.platform.credential,
            config,
            open_profile("brand", "toy", store),
            *errors,
            *shown,
        ]
        assert any(r.name == "socialkit" and r.levelno == logging.DEBUG for r in logs.records)
        assert leaks(secrets, logs, *everything) == []
    finally:
        server.stop()


def test_mastodon_login_leaks_nothing(logs: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    with respx.mock:
        respx.post("https://example.social/api/v1/apps").respond(
            json={"client_id": "cid", "client_secret": CLIENT_SECRET, "redirect_uris": []}
        )
        respx.post("https://example.social/oauth/token").respond(
            json={"access_token": "CANARY-mastodon-access", "token_type": "Bearer"}
        )
        shown: list[str] = []
        store = FileTokenStore(tmp_path)
        stored = login_mastodon(
            "example.social",
            manual=True,
            store=store,
            prompt=lambda q: "CANARY-code",
            echo=shown.append,
        )
    secrets = [CLIENT_SECRET, "CANARY-mastodon-access", "CANARY-code"]
    assert leaks(secrets, logs, stored, store.load("app:mastodon:example.social"), *shown) == []


def test_oauth1_and_app_password_sessions_leak_nothing(logs: pytest.LogCaptureFixture) -> None:
    class Signed(Toy):
        default_base_url = "https://api.example"

        def __init__(self, credential: Any) -> None:
            super().__init__(sk.PlatformSettings())
            vars(self)["credential"] = credential

    def refused_login(identifier: str, password: SecretStr) -> Flow[SessionGrant]:
        yield Call(
            "POST",
            "https://api.example/login",
            json={"identifier": identifier, "password": password.get_secret_value()},
            authenticated=False,
        )
        raise AssertionError("unreachable: the login is refused")

    oauth1 = OAuth1Credential("key", "CANARY-cs", "CANARY-token", "CANARY-ts")
    session = AppPasswordSession("brand", "CANARY-app-password", login=refused_login)
    errors: list[Exception] = []
    with respx.mock:
        respx.get("https://api.example/x").respond(json={})
        respx.post("https://api.example/login").respond(401, json={"error": "bad password"})
        sk.Client(Signed(oauth1), retry=FAST).request("GET", "/x", params={"q": "1"})
        try:
            sk.Client(Signed(session), retry=FAST).request("GET", "/x")
        except sk.SocialkitError as error:
            errors.append(error)
    assert [type(e) for e in errors] == [sk.ReauthRequired]
    secrets = ["CANARY-cs", "CANARY-token", "CANARY-ts", "CANARY-app-password"]
    assert leaks(secrets, logs, oauth1, session, *errors) == []


def test_a_corrupt_store_names_the_file_not_its_content(tmp_path: Path) -> None:
    store = FileTokenStore(tmp_path / "tokens.json")
    store.path.write_text('{"profiles": {"p": {"platform": 1, "settings": "CANARY-x"}}}')
    store.path.chmod(0o600)
    with pytest.raises(sk.ConfigError) as caught:
        store.load("p")
    assert "CANARY" not in str(caught.value) + repr(caught.value)


def test_meta_token_exchange_leaks_nothing(logs: pytest.LogCaptureFixture) -> None:
    with respx.mock:
        respx.get("https://graph.facebook.com/v25.0/oauth/access_token").respond(
            json={"access_token": "CANARY-long", "expires_in": 100}
        )
        respx.get(url__startswith="https://graph.facebook.com/v25.0/me/accounts").respond(
            json={"data": [{"id": "1", "name": "P", "access_token": "CANARY-page"}]}
        )
        client = sk.Client(platform_for_login("facebook"), retry=FAST)
        long, _ = client.run(
            long_lived_token("app", SecretStr("CANARY-app-secret"), SecretStr("CANARY-short"))
        )
        pages = client.run(page_tokens(long))
    secrets = ["CANARY-app-secret", "CANARY-short", "CANARY-long", "CANARY-page"]
    assert leaks(secrets, logs, long, *pages) == []
