"""Settings: the User-Agent Reddit requires, the ways to log in, the target subreddit."""

from __future__ import annotations

from typing import Any

import pytest

import socialkit as sk
from socialkit.providers.reddit import Reddit, RedditSettings
from socialkit.testing.contract import NoNetwork

from .reddit_support import AGENT, TOKEN


def settings(**values: Any) -> RedditSettings:
    return RedditSettings(**{"access_token": TOKEN, "app_id": "com.example.brandbot",
                             "username": "brand", **values})


def test_the_user_agent_is_built_in_reddits_format() -> None:
    assert settings().agent() == AGENT


def test_a_complete_user_agent_wins() -> None:
    assert settings(user_agent="web:com.example.site:2.1 (by /u/ops)").agent() == (
        "web:com.example.site:2.1 (by /u/ops)"
    )


def test_a_missing_user_agent_is_a_config_error_before_any_request() -> None:
    with pytest.raises(sk.ConfigError) as raised:
        sk.Client(Reddit(access_token=TOKEN, username="brand"), transport=NoNetwork())
    assert raised.value.field == "user_agent"
    assert "User-Agent" in raised.value.message


def test_an_empty_user_agent_is_refused() -> None:
    with pytest.raises(sk.ConfigError):
        settings(user_agent="  ")


def test_some_login_is_required() -> None:
    with pytest.raises(sk.ConfigError) as raised:
        RedditSettings(app_id="a", username="brand")
    assert raised.value.field == "access_token"


def test_the_password_grant_needs_the_apps_id_and_secret() -> None:
    with pytest.raises(sk.ConfigError) as raised:
        RedditSettings(app_id="a", username="brand", password="pw", client_id="id")
    assert raised.value.field == "client_secret"
    with pytest.raises(sk.ConfigError) as raised:
        RedditSettings(app_id="a", username="brand", password="pw", client_secret="s")
    assert raised.value.field == "client_id"


def test_a_refresh_token_needs_the_client_id() -> None:
    with pytest.raises(sk.ConfigError) as raised:
        settings(refresh_token="r")
    assert raised.value.field == "client_id"


def test_a_script_app_needs_no_token() -> None:
    values = RedditSettings(client_id="id", client_secret="s", username="brand",
                            password="pw", app_id="a")
    assert values.password_grant


def test_subreddit_names_are_checked_and_r_prefixes_dropped() -> None:
    assert settings().target("r/Python") == "Python"
    assert settings(subreddit="/r/brand").target(None) == "brand"
    with pytest.raises(sk.ConfigError):
        settings(subreddit="not a name")
    with pytest.raises(sk.ConfigError):
        settings().target("../api/v1/me")


def test_no_subreddit_anywhere_is_a_config_error_naming_the_option() -> None:
    with pytest.raises(sk.ConfigError) as raised:
        settings().target(None)
    assert raised.value.field == "subreddit"


def test_secrets_stay_out_of_reprs() -> None:
    shown = repr(settings(client_id="id", client_secret="app-secret", password="pw-secret"))
    platform = Reddit(settings(client_id="id", client_secret="app-secret",
                               refresh_token="refresh-secret"))
    shown += repr(platform.credential) + repr(platform)
    for secret in (TOKEN, "app-secret", "pw-secret", "refresh-secret"):
        assert secret not in shown


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOCIALKIT_REDDIT_ACCESS_TOKEN", TOKEN)
    monkeypatch.setenv("SOCIALKIT_REDDIT_APP_ID", "com.example.brandbot")
    monkeypatch.setenv("SOCIALKIT_REDDIT_USERNAME", "brand")
    with sk.connect("reddit", transport=NoNetwork()) as client:
        assert client.name == "reddit"
