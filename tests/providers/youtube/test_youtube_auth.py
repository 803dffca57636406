"""Settings, the Google OAuth 2 + PKCE login (``auth login youtube``), profiles, secrets.

Endpoints per developers.google.com/identity/protocols/oauth2/native-app: authorize at
accounts.google.com/o/oauth2/v2/auth (``access_type=offline`` for a refresh token), token
at oauth2.googleapis.com/token.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import respx
from authlib.oauth2.rfc7636 import create_s256_code_challenge

import socialkit as sk
from socialkit.auth import FileTokenStore, MemoryTokenStore, OAuth2Token, cli, login
from socialkit.providers.youtube import SCOPES, YouTube

from .youtube_support import TOKEN, make_platform

TOKEN_URL = "https://oauth2.googleapis.com/token"
GRANT = {"access_token": "ya29.fresh", "expires_in": 3599, "refresh_token": "1//refresh",
         "scope": " ".join(SCOPES), "token_type": "Bearer"}


def form(request: httpx.Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.read().decode()).items()}


def youtube_login(store: MemoryTokenStore, shown: list[str]) -> sk.auth.StoredProfile:
    return login("youtube", client_id="123.apps.googleusercontent.com",
                 client_secret="GOCSPX-secret", profile="brand", store=store, manual=True,
                 prompt=lambda question: "4/THE-CODE", echo=shown.append)


def test_login_asks_google_for_the_scopes_with_pkce_and_offline_access() -> None:
    shown: list[str] = []
    with respx.mock:
        token = respx.post(TOKEN_URL).respond(json=GRANT)
        youtube_login(MemoryTokenStore(), shown)
    url = next(line.strip() for line in shown[0].splitlines() if "accounts.google" in line)
    assert url.startswith("https://accounts.google.com/o/oauth2/v2/auth?")
    params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert params["scope"] == (
        "https://www.googleapis.com/auth/youtube.upload "
        "https://www.googleapis.com/auth/youtube.force-ssl "
        "https://www.googleapis.com/auth/yt-analytics.readonly"
    )
    assert (params["response_type"], params["code_challenge_method"], params["access_type"],
            params["prompt"]) == ("code", "S256", "offline", "consent")
    sent = form(token.calls.last.request)
    assert create_s256_code_challenge(sent["code_verifier"]) == params["code_challenge"]
    assert {k: sent[k] for k in ("grant_type", "code", "client_id", "client_secret")} == {
        "grant_type": "authorization_code", "code": "4/THE-CODE",
        "client_id": "123.apps.googleusercontent.com", "client_secret": "GOCSPX-secret"}


def test_the_saved_profile_connects_with_a_refreshable_token() -> None:
    store = MemoryTokenStore()
    with respx.mock:
        respx.post(TOKEN_URL).respond(json=GRANT)
        saved = youtube_login(store, [])
    assert saved.token is not None
    assert saved.token.refreshable
    client = sk.connect("youtube", profile="brand", store=store)
    assert isinstance(client.platform.credential, OAuth2Token)
    assert client.platform.credential.token_endpoint == TOKEN_URL


def test_auth_login_youtube_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    store = FileTokenStore(tmp_path / "tokens.json")
    monkeypatch.setattr("builtins.input", lambda question: "4/THE-CODE")
    monkeypatch.setattr(cli, "ask_secret", lambda label: "GOCSPX-CANARY")
    parser = argparse.ArgumentParser(prog="socialkit")
    cli.add_auth_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["auth", "login", "youtube", "--client-id", "123.apps",
                              "--manual", "--store", str(store.path)])
    with respx.mock:
        token = respx.post(TOKEN_URL).respond(json={**GRANT, "access_token": "TOKEN-CANARY"})
        assert args.run(args) == 0
    out = capsys.readouterr().out
    assert "Saved youtube login as profile 'youtube'" in out
    assert "TOKEN-CANARY" not in out
    assert "GOCSPX-CANARY" not in out
    assert form(token.calls.last.request)["client_secret"] == "GOCSPX-CANARY"
    assert store.load("youtube") is not None


def test_a_refresh_token_needs_the_client_id() -> None:
    with pytest.raises(sk.ConfigError) as raised:
        YouTube(access_token=TOKEN, refresh_token="1//r")
    assert raised.value.field == "client_id"


def test_chunk_size_must_be_a_multiple_of_256_kib() -> None:
    with pytest.raises(sk.ConfigError) as raised:
        YouTube(access_token=TOKEN, chunk_size=300 * 1024)
    assert raised.value.field == "chunk_size"


def test_every_quota_bucket_needs_a_budget() -> None:
    with pytest.raises(sk.ConfigError) as raised:
        YouTube(access_token=TOKEN, daily_quota={"default": 10_000})
    assert raised.value.field == "daily_quota"


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOCIALKIT_YOUTUBE_ACCESS_TOKEN", "ya29.from-env")
    client = sk.connect("youtube")
    assert isinstance(client.platform, YouTube)


def test_the_token_reaches_only_google_hosts() -> None:
    assert make_platform().trusted_hosts == {"www.googleapis.com",
                                             "youtubeanalytics.googleapis.com"}


def test_secrets_stay_out_of_reprs_and_the_account_key() -> None:
    platform = make_platform(refresh_token="1//refresh-secret", client_id="123.apps",
                             client_secret="GOCSPX-secret")
    shown = " ".join([repr(platform), repr(platform.settings), repr(platform.credential),
                      platform.account_key, make_platform().account_key])
    for secret in (TOKEN, "1//refresh-secret", "GOCSPX-secret"):
        assert secret not in shown
