"""X settings: exactly one auth mode, fields named in errors, secrets kept secret."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

import socialkit as sk
from socialkit.auth import BearerToken, OAuth1Credential, OAuth2Token
from socialkit.providers.x import AuthMode, X, XSettings
from socialkit.registry import settings_for

OAUTH1 = {"consumer_key": "ck", "consumer_secret": "cs", "token": "t", "token_secret": "ts"}


def test_access_token_selects_oauth2_user_context() -> None:
    assert XSettings(access_token="a").auth_mode is AuthMode.OAUTH2


def test_four_oauth1_fields_select_oauth1() -> None:
    assert XSettings(**OAUTH1).auth_mode is AuthMode.OAUTH1


def test_bearer_token_selects_app_only() -> None:
    assert XSettings(bearer_token="b").auth_mode is AuthMode.APP_ONLY


def test_no_auth_mode_is_a_config_error() -> None:
    with pytest.raises(sk.ConfigError, match="exactly one auth mode"):
        XSettings()


def test_two_auth_modes_are_a_config_error_naming_the_fields() -> None:
    with pytest.raises(sk.ConfigError) as raised:
        XSettings(access_token="a", bearer_token="b")
    assert "access_token, bearer_token" in raised.value.message
    assert raised.value.field == "access_token"


def test_incomplete_oauth1_names_the_missing_fields() -> None:
    with pytest.raises(sk.ConfigError) as raised:
        XSettings(consumer_key="ck", token="t")
    assert "missing consumer_secret, token_secret" in raised.value.message
    assert raised.value.field == "consumer_secret"


def test_refresh_token_without_client_id_is_a_config_error() -> None:
    with pytest.raises(sk.ConfigError) as raised:
        XSettings(access_token="a", refresh_token="r")
    assert raised.value.field == "client_id"


def test_oauth2_extras_with_app_only_are_a_config_error() -> None:
    with pytest.raises(sk.ConfigError) as raised:
        XSettings(bearer_token="b", client_id="app")
    assert raised.value.field == "client_id"


def test_settings_through_the_registry_raise_config_error() -> None:
    with pytest.raises(sk.ConfigError, match="exactly one auth mode"):
        settings_for(X, {})


def test_max_length_defaults_to_280_and_feeds_the_rules() -> None:
    assert X(XSettings(access_token="a")).rules.max_length == 280
    assert X(XSettings(access_token="a", max_length=25_000)).rules.max_length == 25_000


def test_secrets_are_secretstr_and_stay_out_of_repr() -> None:
    settings = XSettings(**OAUTH1)
    assert isinstance(settings.consumer_secret, SecretStr)
    assert isinstance(settings.token_secret, SecretStr)
    assert "cs" not in repr(settings)
    assert "ts" not in repr(settings)


def test_oauth2_with_refresh_token_uses_a_refreshable_basic_auth_token() -> None:
    platform = X(XSettings(access_token="a", refresh_token="r", client_id="app",
                           client_secret="s"))
    credential = platform.credential
    assert isinstance(credential, OAuth2Token)
    assert credential.token_endpoint == "https://api.x.com/2/oauth2/token"
    assert credential.auth_method == "client_secret_basic"


def test_oauth2_without_refresh_token_uses_a_plain_bearer_token() -> None:
    assert isinstance(X(XSettings(access_token="a")).credential, BearerToken)


def test_oauth1_uses_the_oauth1_signer() -> None:
    assert isinstance(X(XSettings(**OAUTH1)).credential, OAuth1Credential)


def test_accounts_with_different_tokens_keep_separate_rate_limits() -> None:
    one = X(XSettings(access_token="secret-one")).account_key
    other = X(XSettings(access_token="secret-two")).account_key
    assert one != other
    assert "secret" not in one
