"""Settings: the token and its refresh, chunk size bounds, privacy levels, trusted hosts."""

from __future__ import annotations

import pytest

import socialkit as sk
from socialkit.auth import BearerToken
from socialkit.providers.tiktok import TikTok, TikTokToken
from socialkit.registry import settings_for

from .tiktok_support import make_platform


def test_the_access_token_is_required() -> None:
    with pytest.raises(sk.ConfigError) as raised:
        settings_for(TikTok, {})
    assert raised.value.field == "access_token"


def test_a_refresh_token_needs_the_client_key_and_secret() -> None:
    with pytest.raises(sk.ConfigError) as raised:
        settings_for(TikTok, {"access_token": "a", "refresh_token": "r", "client_secret": "s"})
    assert raised.value.field == "client_key"


@pytest.mark.parametrize("size", [4 * 1024 * 1024, 65 * 1024 * 1024])
def test_the_chunk_size_stays_within_tiktoks_5_to_64_mb(size: int) -> None:
    with pytest.raises(sk.ConfigError) as raised:
        settings_for(TikTok, {"access_token": "a", "chunk_size": size})
    assert raised.value.field == "chunk_size"


def test_the_privacy_level_setting_is_a_tiktok_value() -> None:
    with pytest.raises(sk.ConfigError) as raised:
        settings_for(TikTok, {"access_token": "a", "privacy_level": "PUBLIC"})
    assert raised.value.field == "privacy_level"


def test_a_plain_token_is_a_bearer_token() -> None:
    assert isinstance(make_platform().credential, BearerToken)


def test_a_refresh_token_makes_a_tiktok_token() -> None:
    platform = make_platform(refresh_token="r", client_key="k", client_secret="s")
    credential = platform.credential
    assert isinstance(credential, TikTokToken)
    assert credential.token_endpoint == "https://open.tiktokapis.com/v2/oauth/token/"


def test_only_the_api_host_gets_the_token() -> None:
    assert make_platform().trusted_hosts == frozenset({"open.tiktokapis.com"})


def test_the_capabilities_say_what_tiktoks_public_apis_allow() -> None:
    assert make_platform().capabilities == frozenset({
        sk.Capability.PUBLISH_VIDEO,
        sk.Capability.PUBLISH_IMAGE,
        sk.Capability.READ_POSTS,
        sk.Capability.POST_METRICS,
        sk.Capability.ACCOUNT_METRICS,
    })
