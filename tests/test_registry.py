"""Finding platforms and turning targets, environment and keywords into settings."""

from __future__ import annotations

import importlib.metadata
from collections.abc import Iterator
from importlib.metadata import EntryPoint, distribution
from typing import Any

import pytest
from pydantic import SecretStr

import socialkit as sk
from socialkit import registry
from socialkit.errors import ConfigError
from socialkit.platform import Platform, PlatformSettings


class ToySettings(PlatformSettings):
    access_token: SecretStr
    region: str = "eu"
    page_id: str


class Toy(Platform):
    name = "toy"
    Settings = ToySettings
    default_base_url = "https://toy.example"


@pytest.fixture(autouse=True)
def toy_installed(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    found = {"toy": EntryPoint("toy", f"{__name__}:Toy", registry.GROUP)}
    monkeypatch.setattr(registry, "_entry_points", lambda: found)
    return


def test_platforms_lists_installed_providers() -> None:
    assert sk.platforms() == {"toy": Toy}


def test_unknown_platform_is_config_error_naming_it() -> None:
    with pytest.raises(sk.ConfigError, match="'nope'"):
        sk.connect("nope")


def test_missing_setting_is_config_error_naming_the_field() -> None:
    with pytest.raises(sk.ConfigError) as raised:
        sk.connect("toy", access_token="t")
    assert raised.value.field == "page_id"
    assert "SOCIALKIT_TOY_PAGE_ID" in str(raised.value)


def test_unknown_setting_is_config_error() -> None:
    with pytest.raises(sk.ConfigError) as raised:
        sk.connect("toy", access_token="t", page_id="1", colour="red")
    assert raised.value.field == "colour"


def test_config_error_never_shows_the_secret() -> None:
    with pytest.raises(sk.ConfigError) as raised:
        sk.connect("toy", access_token="CANARY-77", page_id=["not", "a", "string"])
    assert "CANARY-77" not in str(raised.value) + repr(raised.value)


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOCIALKIT_TOY_ACCESS_TOKEN", "env-token")
    monkeypatch.setenv("SOCIALKIT_TOY_PAGE_ID", "42")
    settings = sk.connect("toy").platform.settings
    assert isinstance(settings, ToySettings)
    assert (settings.access_token.get_secret_value(), settings.page_id) == ("env-token", "42")


def test_keywords_override_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOCIALKIT_TOY_PAGE_ID", "42")
    settings = sk.connect("toy", access_token="t", page_id="7").platform.settings
    assert isinstance(settings, ToySettings)
    assert settings.page_id == "7"


def test_url_target_carries_token_host_and_query() -> None:
    settings = sk.connect("toy://tok%40en@api.toy.example/v2?page_id=9&region=us").platform.settings
    assert isinstance(settings, ToySettings)
    assert settings.access_token.get_secret_value() == "tok@en"
    assert (settings.base_url, settings.page_id, settings.region) == (
        "https://api.toy.example/v2",
        "9",
        "us",
    )


def test_aconnect_gives_an_async_client() -> None:
    client = sk.aconnect("toy", access_token="t", page_id="1")
    assert isinstance(client, sk.AsyncClient)


def test_bad_rate_limit_mode_is_config_error() -> None:
    with pytest.raises(sk.ConfigError):
        sk.connect("toy", access_token="t", page_id="1", rate_limit="sometimes")  # type: ignore[arg-type]


def test_an_unknown_sandbox_option_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="acess_token: no such setting; the settings are"):
        sk.connect("sandbox://", acess_token="t")


def test_the_sandbox_options_are_the_sandboxes_parameters() -> None:
    import inspect

    from socialkit.testing import Sandbox
    from socialkit.testing.connector import SANDBOX_OPTIONS

    assert set(SANDBOX_OPTIONS) == set(inspect.signature(Sandbox).parameters)


def test_built_in_providers_are_the_packages_own_entry_points() -> None:
    points = distribution("socialkit").entry_points.select(group=registry.GROUP)
    assert {point.name: point.value for point in points} == registry._BUILT_IN


def test_connecting_to_a_built_in_reads_no_distribution_metadata(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def scan(**selection: Any) -> dict[str, EntryPoint]:
        raise AssertionError("reading every distribution's metadata costs 20 ms a connect")

    monkeypatch.setattr(registry, "_entry_points", scan)
    monkeypatch.setattr(importlib.metadata, "entry_points", scan)
    client = sk.connect("mastodon", instance="https://mastodon.example", access_token="t")
    assert client.name == "mastodon"
