"""The OAuth 2 login as data, for socialkit.auth, and the settings."""

from __future__ import annotations

import pytest

from socialkit.errors import ConfigError
from socialkit.providers.weibo import (
    AUTHORIZE_URL,
    TOKEN_URL,
    Weibo,
    WeiboToken,
    weibo_login_config,
)

from .weibo_support import TOKEN


def test_login_config_points_at_weibos_oauth2_endpoints() -> None:
    config = weibo_login_config("12345", "s3cret", redirect_uri="https://brand.example.com/cb")
    assert (config.authorize_url, config.token_url) == (
        "https://api.weibo.com/oauth2/authorize",
        "https://api.weibo.com/oauth2/access_token",
    )
    assert (config.authorize_url, config.token_url) == (AUTHORIZE_URL, TOKEN_URL)
    assert (config.client_id, config.pkce, config.platform) == ("12345", False, "weibo")
    assert config.redirect_uri == "https://brand.example.com/cb"


def test_login_config_keeps_the_secret_out_of_its_repr() -> None:
    assert "s3cret" not in repr(weibo_login_config("12345", "s3cret"))


def test_the_token_credential_hides_the_token() -> None:
    assert TOKEN not in repr(WeiboToken(TOKEN))


def test_a_missing_token_is_a_config_error_naming_it() -> None:
    with pytest.raises(ConfigError) as raised:
        Weibo(client_ip="211.156.0.1")
    assert raised.value.field == "access_token"


def test_a_malformed_client_ip_is_a_config_error() -> None:
    with pytest.raises(ConfigError) as raised:
        Weibo(access_token=TOKEN, client_ip="nope")
    assert raised.value.field == "client_ip"


def test_the_share_domain_is_normalised_from_a_url() -> None:
    platform = Weibo(access_token=TOKEN, share_domain="https://Brand.Example.com/path")
    assert platform.settings.share_domain == "brand.example.com"
