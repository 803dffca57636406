"""``socialkit auth login | list | logout``."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import httpx
import pytest
import respx

import socialkit as sk
from socialkit.auth import FileTokenStore, StoredProfile, StoredToken, cli


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="socialkit")
    cli.add_auth_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["auth", *argv])
    status: int = args.run(args)
    return status


@pytest.fixture
def store(tmp_path: Path) -> FileTokenStore:
    return FileTokenStore(tmp_path / "tokens.json")


@pytest.fixture(autouse=True)
def secrets(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    asked: list[str] = []

    def ask(label: str) -> str:
        asked.append(label)
        return "SECRET-CANARY"

    monkeypatch.setattr(cli, "ask_secret", ask)
    return asked


def test_bluesky_login_asks_the_app_password_hidden(
    store: FileTokenStore, secrets: list[str]
) -> None:
    status = run(
        "login",
        "bluesky",
        "--handle",
        "brand.bsky.social",
        "--profile",
        "sky",
        "--store",
        str(store.path),
    )
    saved = store.load("sky")
    assert status == 0
    assert saved is not None
    assert saved.plain_settings()["app_password"] == "SECRET-CANARY"
    assert secrets == ["App password: "]


def test_secrets_come_from_the_environment_first(
    store: FileTokenStore, secrets: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCIALKIT_BLUESKY_APP_PASSWORD", "from-env")
    monkeypatch.setenv("SOCIALKIT_BLUESKY_HANDLE", "env.bsky.social")
    run("login", "bluesky", "--store", str(store.path))
    saved = store.load("bluesky")
    assert saved is not None
    assert saved.plain_settings()["app_password"] == "from-env"
    assert saved.settings["handle"] == "env.bsky.social"
    assert secrets == []


def test_mastodon_manual_login_from_the_command_line(
    store: FileTokenStore, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("builtins.input", lambda question: "THE-CODE")
    with respx.mock:
        respx.post("https://example.social/api/v1/apps").respond(
            json={"client_id": "cid", "client_secret": "csecret", "redirect_uris": []}
        )
        respx.post("https://example.social/oauth/token").respond(
            json={"access_token": "TOKEN-CANARY", "token_type": "Bearer"}
        )
        status = run(
            "login",
            "mastodon",
            "--instance",
            "example.social",
            "--manual",
            "--store",
            str(store.path),
        )
    out = capsys.readouterr().out
    assert status == 0
    assert "https://example.social/oauth/authorize?" in out
    assert "Saved mastodon login as profile 'mastodon'" in out
    assert "TOKEN-CANARY" not in out


def test_list_shows_profiles_without_secrets(
    store: FileTokenStore, capsys: pytest.CaptureFixture[str]
) -> None:
    store.save(
        "brand",
        StoredProfile(
            platform="x",
            settings={"access_token": "TOKEN-CANARY"},
            token=StoredToken(
                access_token="TOKEN-CANARY",
                refresh_token="R",
                token_endpoint="t",
                expires_at=time.time() + 7200,
            ),
        ),
    )
    store.save("app:mastodon:example.social", StoredProfile(platform="mastodon", kind="app"))
    assert run("list", "--store", str(store.path)) == 0
    out = capsys.readouterr().out
    assert "brand" in out
    assert "renews itself" in out
    assert "app:mastodon" not in out
    assert "CANARY" not in out


def test_logout_forgets_the_profile(
    store: FileTokenStore, capsys: pytest.CaptureFixture[str]
) -> None:
    store.save("brand", StoredProfile(platform="x"))
    assert run("logout", "brand", "--store", str(store.path)) == 0
    assert store.list() == []
    assert run("logout", "brand", "--store", str(store.path)) == 1
    assert "no saved profile 'brand'" in capsys.readouterr().out


def test_the_socialkit_command_has_the_auth_commands(
    store: FileTokenStore, capsys: pytest.CaptureFixture[str]
) -> None:
    from socialkit.cli import main

    assert main(["auth", "list", "--store", str(store.path)]) == 0
    assert "no saved profiles" in capsys.readouterr().out


def test_douyin_login_from_the_command_line(
    store: FileTokenStore, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    secrets: list[str],
) -> None:
    monkeypatch.setattr("builtins.input", lambda question: "THE-CODE")  # a bare pasted code
    with respx.mock:
        token = respx.post("https://open.douyin.com/oauth/access_token/").respond(json={
            "data": {"access_token": "act.TOKEN-CANARY", "error_code": 0, "expires_in": 1296000,
                     "open_id": "open-1", "refresh_token": "rft.r", "refresh_expires_in": 2592000,
                     "scope": "user_info"},
            "message": "success"})
        status = run("login", "douyin", "--client-key", "tt-key", "--redirect-uri",
                     "https://brand.example.com/cb", "--store", str(store.path))
    out = capsys.readouterr().out
    assert status == 0
    assert "https://open.douyin.com/platform/oauth/connect/?" in out
    assert "Saved douyin login as profile 'douyin'" in out
    assert "TOKEN-CANARY" not in out
    assert "client_secret=SECRET-CANARY" in token.calls.last.request.content.decode()
    saved = store.load("douyin")
    assert saved is not None
    assert saved.plain_settings()["open_id"] == "open-1"


def test_login_without_a_terminal_says_which_variable_to_set(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    from socialkit.cli import main

    monkeypatch.delenv("SOCIALKIT_BLUESKY_HANDLE", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # nothing to read: input() hits EOF
    assert main(["auth", "login", "bluesky"]) == 1
    err = capsys.readouterr().err
    assert "set SOCIALKIT_BLUESKY_HANDLE" in err
    assert "Traceback" not in err


def test_help_lists_every_command_and_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    from socialkit.cli import build_parser

    parser = build_parser()
    with pytest.raises(SystemExit):
        parser.parse_args(["--help"])
    shown = capsys.readouterr().out
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append(f"socialkit {name}")
                for inner in sub._actions:
                    if isinstance(inner, argparse._SubParsersAction):
                        found.extend(f"socialkit {name} {n}" for n in inner.choices)
    assert len(found) > 8
    for command in found:
        assert f"  {command} " in shown


@pytest.mark.parametrize("platform", sorted(sk.platforms()))
def test_auth_login_accepts_every_installed_platform(platform: str) -> None:
    parser = argparse.ArgumentParser(prog="socialkit")
    cli.add_auth_commands(parser.add_subparsers(dest="command", required=True))
    assert parser.parse_args(["auth", "login", platform]).platform == platform


@pytest.mark.parametrize("platform", ["wechat"])
def test_a_platform_without_a_login_says_how_to_connect(
    platform: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from socialkit.cli import main

    assert main(["auth", "login", platform]) == 1
    error = capsys.readouterr().err
    assert f"{platform} has no login flow" in error
    assert f"SOCIALKIT_{platform.upper()}_" in error


def test_every_platform_with_a_login_function_is_offered() -> None:
    import inspect

    from socialkit.auth import logins

    source = inspect.getsource(logins.login)
    offered = set(cli.LOGIN_PLATFORMS)
    for name in sk.platforms():
        assert (f'"{name}"' in source) == (name in offered), name


def test_weibo_login_from_the_command_line(
    store: FileTokenStore, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # https://open.weibo.com/wiki/Oauth2/access_token: POST, the app and code in the form
    monkeypatch.setattr("builtins.input", lambda question: "THE-CODE")
    with respx.mock:
        token = respx.post("https://api.weibo.com/oauth2/access_token").respond(
            json={"access_token": "TOKEN-CANARY", "expires_in": 157679999, "remind_in": "157679999",
                  "uid": "1404376560"}
        )
        status = run(
            "login", "weibo", "--app-key", "KEY", "--manual", "--store", str(store.path)
        )
    out = capsys.readouterr().out
    sent = dict(httpx.QueryParams(token.calls.last.request.read().decode()))
    saved = store.load("weibo")
    assert status == 0
    assert "https://api.weibo.com/oauth2/authorize?" in out
    assert "TOKEN-CANARY" not in out
    assert (sent["grant_type"], sent["code"], sent["client_id"]) == (
        "authorization_code", "THE-CODE", "KEY"
    )
    assert saved is not None
    assert saved.plain_settings()["access_token"] == "TOKEN-CANARY"
    assert saved.settings["app_key"] == "KEY"
    assert sk.platforms()["weibo"].Settings.model_validate(saved.plain_settings())


def test_linkedin_login_from_the_command_line(
    store: FileTokenStore, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # learn.microsoft.com/linkedin/shared/authentication/authorization-code-flow: the code,
    # the client and the redirect URI in the form of POST oauth/v2/accessToken
    monkeypatch.setattr("builtins.input", lambda question: "THE-CODE")
    with respx.mock:
        token = respx.post("https://www.linkedin.com/oauth/v2/accessToken").respond(
            json={"access_token": "TOKEN-CANARY", "expires_in": 5184000,
                  "scope": "w_member_social"}
        )
        status = run(
            "login", "linkedin", "--client-id", "CID", "--author", "urn:li:person:abc123",
            "--manual", "--store", str(store.path),
        )
    out = capsys.readouterr().out
    authorize = next(w for w in out.split() if w.startswith("https://www.linkedin.com/"))
    asked = dict(httpx.URL(authorize).params)
    sent = dict(httpx.QueryParams(token.calls.last.request.read().decode()))
    saved = store.load("linkedin")
    assert status == 0
    assert authorize.startswith("https://www.linkedin.com/oauth/v2/authorization?")
    assert (asked["response_type"], asked["client_id"], asked["scope"]) == (
        "code", "CID", "w_member_social"
    )
    assert "code_challenge" not in asked
    assert {k: sent[k] for k in ("grant_type", "code", "client_id", "client_secret")} == {
        "grant_type": "authorization_code", "code": "THE-CODE", "client_id": "CID",
        "client_secret": "SECRET-CANARY",
    }
    assert sent["redirect_uri"] == asked["redirect_uri"]
    assert saved is not None
    assert saved.plain_settings()["access_token"] == "TOKEN-CANARY"
    assert saved.settings["author"] == "urn:li:person:abc123"
    assert sk.platforms()["linkedin"].Settings.model_validate(saved.plain_settings())


def test_threads_login_from_the_command_line(
    store: FileTokenStore, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # developers.facebook.com/docs/threads/get-started: POST oauth/access_token for the code,
    # then GET access_token?grant_type=th_exchange_token for the long-lived token
    monkeypatch.setattr("builtins.input", lambda question: "THE-CODE")
    with respx.mock:
        short = respx.post("https://graph.threads.net/oauth/access_token").respond(
            json={"access_token": "SHORT-CANARY", "user_id": 12345}
        )
        long = respx.get("https://graph.threads.net/access_token").respond(
            json={"access_token": "LONG-CANARY", "token_type": "bearer", "expires_in": 5183944}
        )
        status = run(
            "login", "threads", "--client-id", "990602627938098",
            "--redirect-uri", "https://brand.example/cb", "--manual", "--store", str(store.path),
        )
    out = capsys.readouterr().out
    authorize = next(w for w in out.split() if w.startswith("https://threads.net/"))
    asked = dict(httpx.URL(authorize).params)
    sent = dict(httpx.QueryParams(short.calls.last.request.read().decode()))
    saved = store.load("threads")
    assert status == 0
    assert authorize.startswith("https://threads.net/oauth/authorize?")
    assert (asked["client_id"], asked["redirect_uri"], asked["response_type"]) == (
        "990602627938098", "https://brand.example/cb", "code"
    )
    assert asked["scope"].startswith("threads_basic,threads_content_publish")
    assert {k: sent[k] for k in ("grant_type", "code", "client_id", "client_secret")} == {
        "grant_type": "authorization_code", "code": "THE-CODE", "client_id": "990602627938098",
        "client_secret": "SECRET-CANARY",
    }
    assert dict(long.calls.last.request.url.params) == {
        "grant_type": "th_exchange_token", "client_secret": "SECRET-CANARY",
        "access_token": "SHORT-CANARY",
    }
    assert "CANARY" not in out
    assert saved is not None
    assert saved.plain_settings() == {"access_token": "LONG-CANARY", "user_id": "me"}
    assert sk.platforms()["threads"].Settings.model_validate(saved.plain_settings())


def test_a_subcommand_usage_names_its_own_path(capsys: pytest.CaptureFixture[str]) -> None:
    from socialkit.cli import build_parser

    with pytest.raises(SystemExit):
        build_parser().parse_args(["auth", "login", "--help"])
    assert capsys.readouterr().out.startswith("usage: socialkit auth login [-h]")


def test_tiktok_login_from_the_command_line(
    store: FileTokenStore, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # developers.tiktok.com/doc/login-kit-web and oauth-user-access-token-management
    with respx.mock:
        token = respx.post("https://open.tiktokapis.com/v2/oauth/token/").respond(
            json={"access_token": "act.CANARY", "expires_in": 86400, "open_id": "abc",
                  "refresh_token": "rft.CANARY", "refresh_expires_in": 31536000,
                  "scope": "user.info.basic,video.publish", "token_type": "Bearer"}
        )

        def paste(question: str) -> str:
            url = next(w for w in capsys.readouterr().out.split() if "tiktok.com" in w)
            state = dict(httpx.URL(url).params)["state"]
            return f"https://brand.example/cb?code=THE-CODE&state={state}"

        monkeypatch.setattr("builtins.input", paste)
        status = run(
            "login", "tiktok", "--client-key", "awkey", "--redirect-uri",
            "https://brand.example/cb", "--store", str(store.path),
        )
    sent = dict(httpx.QueryParams(token.calls.last.request.read().decode()))
    saved = store.load("tiktok")
    assert status == 0
    assert sent == {
        "client_key": "awkey", "client_secret": "SECRET-CANARY", "code": "THE-CODE",
        "grant_type": "authorization_code", "redirect_uri": "https://brand.example/cb",
    }
    assert saved is not None
    settings = saved.plain_settings()
    assert (settings["access_token"], settings["refresh_token"], settings["client_key"]) == (
        "act.CANARY", "rft.CANARY", "awkey"
    )
    assert sk.platforms()["tiktok"].Settings.model_validate(settings)


def test_tiktok_authorization_url_names_the_client_key(
    store: FileTokenStore, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("builtins.input", lambda question: "https://x.example/?error=access_denied")
    from socialkit.cli import main

    main(["auth", "login", "tiktok", "--client-key", "awkey", "--redirect-uri",
          "https://brand.example/cb", "--store", str(store.path)])
    url = next(w for w in capsys.readouterr().out.split() if "tiktok.com" in w)
    assert url.startswith("https://www.tiktok.com/v2/auth/authorize/?")
    params = dict(httpx.URL(url).params)
    assert {k: params[k] for k in ("client_key", "response_type", "redirect_uri")} == {
        "client_key": "awkey", "response_type": "code", "redirect_uri": "https://brand.example/cb"
    }
    assert params["scope"].split(",")[0] == "user.info.basic"
    assert "client_id" not in params
