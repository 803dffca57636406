"""Saved profiles at connect time: settings merge, the bound credential, write-back."""

from __future__ import annotations

import logging
from functools import cached_property

import pytest

import socialkit as sk
from socialkit import registry
from socialkit.auth import (
    BearerToken,
    MemoryTokenStore,
    OAuth1Credential,
    OAuth2Token,
    StoredProfile,
    StoredToken,
)
from socialkit.errors import ConfigError
from socialkit.platform import Platform, PlatformSettings

TOKEN_URL = "https://auth.toy.example/token"


class ToySettings(PlatformSettings):
    instance: str
    language: str = "en"


class Toy(Platform):
    name = "toy"
    Settings = ToySettings
    default_base_url = "https://api.toy.example"


class OwnToken(Toy):
    """A provider that builds its own OAuth2Token from its settings."""

    @cached_property
    def credential(self) -> OAuth2Token:  # type: ignore[override]
        assert self.settings.access_token is not None
        return OAuth2Token(self.settings.access_token, platform=self.name)


class Signed(Toy):
    """A provider whose credential is not a bearer token at all."""

    @property
    def credential(self) -> OAuth1Credential:  # type: ignore[override]
        return OAuth1Credential("k", "s", "t", "ts")


def saved(**settings: str) -> StoredProfile:
    return StoredProfile(
        platform="toy",
        settings={
            "instance": "https://saved.example",
            "access_token": "A1",
            "page_name": "Brand",
            **settings,
        },
        token=StoredToken(
            access_token="A1",
            refresh_token="R1",
            expires_at=4e9,
            token_endpoint=TOKEN_URL,
            client_id="app",
        ),
    )


@pytest.fixture
def store() -> MemoryTokenStore:
    memory = MemoryTokenStore()
    memory.save("brand", saved())
    return memory


@pytest.fixture(autouse=True)
def toy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        registry,
        "load_platform",
        lambda name: {"toy": Toy, "own": OwnToken, "signed": Signed}[name],
    )


def test_connect_with_a_profile_loads_its_settings(store: MemoryTokenStore) -> None:
    settings = sk.connect("toy", profile="brand", store=store).platform.settings
    assert isinstance(settings, ToySettings)
    assert settings.instance == "https://saved.example"
    assert settings.access_token is not None
    assert settings.access_token.get_secret_value() == "A1"


def test_explicit_settings_override_the_profile(store: MemoryTokenStore) -> None:
    settings = sk.connect(
        "toy", profile="brand", store=store, instance="https://kw.example", language="fr"
    ).platform.settings
    assert (settings.instance, settings.language) == ("https://kw.example", "fr")  # type: ignore[attr-defined]


def test_the_profile_overrides_environment_variables(
    store: MemoryTokenStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCIALKIT_TOY_INSTANCE", "https://env.example")
    monkeypatch.setenv("SOCIALKIT_TOY_LANGUAGE", "de")
    settings = sk.connect("toy", profile="brand", store=store).platform.settings
    assert (settings.instance, settings.language) == ("https://saved.example", "de")  # type: ignore[attr-defined]


def test_the_saved_refreshable_token_replaces_the_default_bearer(
    store: MemoryTokenStore,
) -> None:
    credential = sk.connect("toy", profile="brand", store=store).platform.credential
    assert isinstance(credential, OAuth2Token)
    assert credential.refresh_token is not None
    assert credential.refresh_token.get_secret_value() == "R1"
    assert credential.token_endpoint == TOKEN_URL


def test_a_profile_without_a_refresh_token_keeps_the_bearer(store: MemoryTokenStore) -> None:
    store.save(
        "plain", StoredProfile(platform="toy", settings={"instance": "x", "access_token": "A"})
    )
    assert isinstance(
        sk.connect("toy", profile="plain", store=store).platform.credential, BearerToken
    )


def test_a_refresh_is_written_back_to_the_store(store: MemoryTokenStore) -> None:
    credential = sk.connect("toy", profile="brand", store=store).platform.credential
    assert isinstance(credential, OAuth2Token)
    credential.update({"access_token": "A2", "refresh_token": "R2", "expires_in": 60})
    after = store.load("brand")
    assert after is not None
    assert after.token is not None
    assert after.token.refresh_token is not None
    assert after.token.access_token is not None
    assert after.token.refresh_token.get_secret_value() == "R2"
    assert after.token.access_token.get_secret_value() == "A2"
    assert after.settings["access_token"].get_secret_value() == "A2"
    assert after.settings["instance"] == "https://saved.example"


def test_a_provider_token_gets_the_saved_refresh_fields(store: MemoryTokenStore) -> None:
    store.save("own", saved().model_copy(update={"platform": "own"}))
    credential = sk.connect("own", profile="own", store=store).platform.credential
    assert isinstance(credential, OAuth2Token)
    assert credential.refresh_token is not None
    assert credential.refresh_token.get_secret_value() == "R1"
    assert (credential.token_endpoint, credential.client_id) == (TOKEN_URL, "app")
    credential.update({"access_token": "A2"})
    assert store.load("own").settings["access_token"].get_secret_value() == "A2"  # type: ignore[union-attr]


def test_another_kind_of_credential_is_left_alone(store: MemoryTokenStore) -> None:
    store.save("signed", saved().model_copy(update={"platform": "signed"}))
    credential = sk.connect("signed", profile="signed", store=store).platform.credential
    assert isinstance(credential, OAuth1Credential)


def test_a_missing_profile_says_how_to_log_in(store: MemoryTokenStore) -> None:
    with pytest.raises(ConfigError, match="socialkit auth login toy --profile nobody") as caught:
        sk.connect("toy", profile="nobody", store=store)
    assert caught.value.field == "profile"


def test_a_profile_of_another_platform_is_refused(store: MemoryTokenStore) -> None:
    store.save("masto", StoredProfile(platform="mastodon", settings={}))
    with pytest.raises(ConfigError, match="is a mastodon login, not toy"):
        sk.connect("toy", profile="masto", store=store)


def test_an_app_registration_is_not_a_profile(store: MemoryTokenStore) -> None:
    store.save("app:toy:host", StoredProfile(platform="toy", kind="app", settings={}))
    with pytest.raises(ConfigError, match="no saved profile"):
        sk.connect("toy", profile="app:toy:host", store=store)


def test_a_failed_write_back_is_logged_and_the_token_still_works(
    store: MemoryTokenStore, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    credential = sk.connect("toy", profile="brand", store=store).platform.credential
    assert isinstance(credential, OAuth2Token)

    def broken(profile: str, stored: StoredProfile) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(store, "save", broken)
    with caplog.at_level(logging.WARNING, logger="socialkit"):
        credential.update({"access_token": "A2"})
    assert credential.access_token is not None
    assert credential.access_token.get_secret_value() == "A2"
    assert "could not save the refreshed token of profile 'brand'" in caplog.text


def test_aconnect_loads_the_profile_too(store: MemoryTokenStore) -> None:
    client = sk.aconnect("toy", profile="brand", store=store)
    assert isinstance(client.platform.credential, OAuth2Token)
    assert client.platform.settings.instance == "https://saved.example"  # type: ignore[attr-defined]
