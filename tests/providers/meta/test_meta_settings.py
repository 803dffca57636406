"""Settings of the three Meta providers: required fields, versions, hosts, URL targets."""

from __future__ import annotations

import pytest

from socialkit.errors import ConfigError
from socialkit.providers.facebook import Facebook
from socialkit.providers.instagram import Instagram
from socialkit.providers.meta import GRAPH_API_VERSION, GraphPlatform
from socialkit.providers.threads import Threads

from .meta_support import TOKEN

OWNERS = [(Facebook, "page_id"), (Instagram, "user_id"), (Threads, "user_id")]


@pytest.mark.parametrize(("cls", "owner"), OWNERS)
def test_a_missing_account_id_is_a_config_error_naming_it(
    cls: type[GraphPlatform], owner: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        cls(access_token=TOKEN)
    assert raised.value.field == owner


@pytest.mark.parametrize(("cls", "owner"), OWNERS)
def test_a_target_url_carries_the_token_and_the_account(
    cls: type[GraphPlatform], owner: str
) -> None:
    values = cls.settings_from_url(f"{cls.name}://{TOKEN}@1234567890?api_version=v24.0")
    assert values == {"access_token": TOKEN, owner: "1234567890", "api_version": "v24.0"}


@pytest.mark.parametrize(
    ("platform", "base_url"),
    [
        (
            Facebook(page_id="1", access_token=TOKEN),
            f"https://graph.facebook.com/{GRAPH_API_VERSION}",
        ),
        (
            Instagram(user_id="1", access_token=TOKEN),
            f"https://graph.facebook.com/{GRAPH_API_VERSION}",
        ),
        (
            Instagram(user_id="1", access_token=TOKEN, login="instagram"),
            f"https://graph.instagram.com/{GRAPH_API_VERSION}",
        ),
        (Threads(user_id="1", access_token=TOKEN), "https://graph.threads.net/v1.0"),
    ],
)
def test_each_host_has_its_versioned_base_url(platform: GraphPlatform, base_url: str) -> None:
    assert platform.base_url == base_url


def test_the_version_is_written_with_a_v() -> None:
    assert Facebook(page_id="1", access_token=TOKEN, api_version="24.0").settings.api_version == (
        "v24.0"
    )


def test_a_malformed_version_is_a_config_error() -> None:
    with pytest.raises(ConfigError) as raised:
        Facebook(page_id="1", access_token=TOKEN, api_version="latest")
    assert raised.value.field == "api_version"


def test_an_unknown_login_is_a_config_error() -> None:
    with pytest.raises(ConfigError) as raised:
        Instagram(user_id="1", access_token=TOKEN, login="tiktok")
    assert raised.value.field == "login"


def test_rate_limits_are_kept_per_account() -> None:
    one, two = (Facebook(page_id=page, access_token=TOKEN) for page in ("1", "2"))
    assert one.account_key != two.account_key
