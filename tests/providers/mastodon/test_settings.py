"""Settings, URLs, account keys, and that the token never leaks."""

from __future__ import annotations

import logging

import httpx
import pytest
import respx

import socialkit
from socialkit.errors import ConfigError, SocialkitError
from socialkit.platform import Capability, PlatformSettings
from socialkit.providers.mastodon import Mastodon, MastodonSettings

from .mastodon_support import BASE, Driver, load, make_platform

CANARY = "CANARY-SECRET-123"


def test_a_bare_host_gets_https() -> None:
    assert make_platform(instance="mastodon.social").base_url == "https://mastodon.social"


def test_an_instance_url_loses_its_trailing_slash_and_path() -> None:
    assert make_platform(instance="https://Mastodon.Social/about/").base_url == (
        "https://mastodon.social"
    )


def test_base_url_overrides_the_instance_for_api_calls() -> None:
    platform = make_platform(base_url="https://api.mastodon.example/")
    assert platform.base_url == "https://api.mastodon.example"


def test_instance_defaults_to_base_url() -> None:
    platform = Mastodon(base_url="https://sandbox.example", access_token="t")
    assert platform.settings.instance == "https://sandbox.example"


def test_a_missing_token_is_a_config_error_naming_it() -> None:
    with pytest.raises(ConfigError) as caught:
        Mastodon(instance=BASE)
    assert caught.value.field == "access_token"


def test_a_missing_instance_is_a_config_error_naming_it() -> None:
    with pytest.raises(ConfigError) as caught:
        Mastodon(access_token="t")
    assert caught.value.field == "instance"


def test_credentials_in_the_instance_url_are_refused() -> None:
    with pytest.raises(ConfigError, match="instance"):
        Mastodon(instance="https://user:pw@mastodon.example", access_token="t")


def test_generic_settings_are_accepted() -> None:
    platform = Mastodon(PlatformSettings(access_token="t", base_url=BASE))
    assert isinstance(platform.settings, MastodonSettings)
    assert platform.base_url == BASE


def test_settings_from_url() -> None:
    assert Mastodon.settings_from_url("mastodon://TOKEN-1@mastodon.social") == {
        "access_token": "TOKEN-1",
        "instance": "https://mastodon.social",
    }


def test_settings_from_url_decodes_the_token_and_keeps_the_port() -> None:
    assert Mastodon.settings_from_url("mastodon://a%2Fb@social.example:3000") == {
        "access_token": "a/b",
        "instance": "https://social.example:3000",
    }


def test_settings_from_url_without_token_gives_the_instance() -> None:
    assert Mastodon.settings_from_url("mastodon://mastodon.social") == {
        "instance": "https://mastodon.social"
    }


def test_account_key_separates_accounts_on_one_instance() -> None:
    first, second = make_platform(access_token="one"), make_platform(access_token="two")
    assert first.account_key != second.account_key
    assert first.account_key.startswith(BASE)


def test_account_key_does_not_hold_the_token() -> None:
    assert CANARY not in make_platform(access_token=CANARY).account_key


def test_capabilities_leave_out_moderation_only() -> None:
    assert frozenset(Capability) - Mastodon.capabilities == {Capability.MODERATE}


def test_the_token_never_leaks(kind: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="socialkit")
    platform = make_platform(access_token=CANARY)
    driver = Driver(kind, platform)
    errors: list[SocialkitError] = []
    with respx.mock(base_url=BASE, assert_all_called=True) as api:
        api.get("/api/v1/accounts/verify_credentials").respond(
            401, json={"error": "The access token is invalid"}
        )
        api.get("/api/v1/statuses/1").respond(500, json={"error": "Internal error"})
        status = api.get("/api/v1/statuses/2")
        status.side_effect = [
            httpx.Response(503, json={"error": "Unavailable"}),
            httpx.Response(200, json=load("status")),
        ]
        for operation, args in (("me", ()), ("get_post", ("1",))):
            with pytest.raises(SocialkitError) as caught:
                driver(operation, *args)
            errors.append(caught.value)
        driver("get_post", "2")
        sent = api.calls[0].request.headers["Authorization"]
    assert sent == f"Bearer {CANARY}"  # the canary was really in play
    texts = [repr(driver.client), repr(platform), repr(platform.settings), str(platform.settings)]
    for error in errors:
        texts += [str(error), repr(error), repr(error.args), repr(vars(error))]
    texts += [record.getMessage() for record in caplog.records]
    texts += [repr(record.args) for record in caplog.records]
    assert caplog.records, "the DEBUG log should have recorded the exchanges"
    assert all(CANARY not in text for text in texts)


def test_settings_from_url_reads_query_fields() -> None:
    values = Mastodon.settings_from_url("mastodon://T@mastodon.social?max_characters=1000")
    assert make_platform(**values).rules.max_length == 1000


def test_settings_from_url_accepts_the_token_as_password() -> None:
    assert Mastodon.settings_from_url("mastodon://me:T0K@mastodon.social")["access_token"] == "T0K"


def test_a_misspelt_setting_suggests_the_closest_name() -> None:
    with pytest.raises(ConfigError) as caught:
        socialkit.connect("mastodon", instance="https://m.example", acess_token="t")
    assert "did you mean 'access_token'?" in str(caught.value)
    assert str(caught.value).count("mastodon") == 1  # the platform is named once

