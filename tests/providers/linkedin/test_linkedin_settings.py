"""Settings: the author URN, the version month, refresh requirements, trusted hosts."""

from __future__ import annotations

import pytest

import socialkit as sk
from socialkit.auth import BearerToken, OAuth2Token
from socialkit.providers.linkedin import (
    DEFAULT_API_VERSION,
    RELEASED_VERSIONS,
    LinkedIn,
    is_released,
)
from socialkit.registry import settings_for

from .linkedin_support import ORG, make_platform


def test_the_author_must_be_a_person_or_organization_urn() -> None:
    with pytest.raises(sk.ConfigError) as raised:
        settings_for(LinkedIn, {"access_token": "t", "author": "urn:li:share:1"})
    assert raised.value.field == "author"


def test_the_author_is_required() -> None:
    with pytest.raises(sk.ConfigError) as raised:
        settings_for(LinkedIn, {"access_token": "t"})
    assert raised.value.field == "author"


@pytest.mark.parametrize("version", ["2024-10", "20241", "202413", "v202410"])
def test_the_api_version_is_a_yyyymm_month(version: str) -> None:
    with pytest.raises(sk.ConfigError) as raised:
        settings_for(LinkedIn, {"access_token": "t", "author": ORG, "api_version": version})
    assert raised.value.field == "api_version"


def test_a_patch_version_is_accepted() -> None:
    values = {"access_token": "t", "author": ORG, "api_version": "202410.01"}
    assert settings_for(LinkedIn, values).api_version == "202410.01"  # type: ignore[attr-defined]


def test_the_default_version_is_a_recent_month() -> None:
    platform = LinkedIn(settings_for(LinkedIn, {"access_token": "t", "author": ORG}))
    assert platform.settings.api_version == DEFAULT_API_VERSION
    assert DEFAULT_API_VERSION >= "202601"


def test_the_default_version_is_a_released_month() -> None:
    assert DEFAULT_API_VERSION in RELEASED_VERSIONS


def test_a_skipped_month_is_not_released() -> None:
    assert not is_released("202512")  # LinkedIn released 202511, then 202601


def test_a_patch_of_a_released_month_is_released() -> None:
    assert is_released("202603.01")


def test_a_refresh_token_needs_the_apps_client() -> None:
    with pytest.raises(sk.ConfigError) as raised:
        settings_for(LinkedIn, {"access_token": "t", "author": ORG, "refresh_token": "r"})
    assert raised.value.field == "client_id"


def test_a_plain_token_is_a_bearer_token() -> None:
    assert isinstance(make_platform().credential, BearerToken)


def test_a_refresh_token_makes_the_credential_refreshable() -> None:
    platform = make_platform(refresh_token="r", client_id="c", client_secret="s")
    credential = platform.credential
    assert isinstance(credential, OAuth2Token)
    assert credential.token_endpoint == "https://www.linkedin.com/oauth/v2/accessToken"


def test_the_token_goes_to_the_api_and_linkedins_upload_host_only() -> None:
    assert make_platform().trusted_hosts == frozenset({"api.linkedin.com", "www.linkedin.com"})


def test_the_capabilities_say_what_linkedin_does() -> None:
    with sk.Client(make_platform()) as client:
        assert client.name == "linkedin"
        assert sk.Capability.SEARCH not in client.capabilities
        assert sk.Capability.REACT in client.capabilities
