"""Weibo OAuth 2: the login endpoints, the token credential, and what a token says of itself.

Sources: https://open.weibo.com/wiki/Oauth2/authorize,
https://open.weibo.com/wiki/Oauth2/access_token,
https://open.weibo.com/wiki/Oauth2/get_token_info and the authorization guide
(授权机制说明), which passes the token as the ``access_token`` request parameter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import attrs
import httpx
from pydantic import SecretStr

from ...credentials.configs import DEFAULT_REDIRECT_URI, LoginConfig, weibo_config
from ...models import native_id

__all__ = [
    "AUTHORIZE_URL",
    "TOKEN_INFO_URL",
    "TOKEN_URL",
    "TokenInfo",
    "WeiboToken",
    "weibo_login_config",
]

AUTHORIZE_URL = "https://api.weibo.com/oauth2/authorize"
TOKEN_URL = "https://api.weibo.com/oauth2/access_token"
TOKEN_INFO_URL = "https://api.weibo.com/oauth2/get_token_info"


def weibo_login_config(
    app_key: str,
    app_secret: SecretStr | str,
    *,
    redirect_uri: str = DEFAULT_REDIRECT_URI,
    scopes: Sequence[str] = (),
) -> LoginConfig:
    """Weibo's authorization-code login (no PKCE; ``client_id``/``client_secret`` in the form).

    ``redirect_uri`` must equal the app's 授权回调页 (高级信息 → OAuth2.0 授权设置);
    ``scopes`` are Weibo's comma-separated scope names (none are needed to share).
    The token endpoint answers ``access_token``, ``expires_in`` and ``uid``; Weibo
    issues no refresh token to ordinary apps, so log in again when it expires.
    """
    return weibo_config(app_key, app_secret, redirect_uri=redirect_uri, scopes=scopes)


class WeiboToken:
    """A Weibo access token, sent as the ``access_token`` query parameter of every call.

    Weibo reads request parameters from the query string for GET and POST alike, so
    one place serves forms and multipart uploads; the drivers redact it from logs.
    """

    __slots__ = ("token",)

    def __init__(self, token: SecretStr | str) -> None:
        self.token = token if isinstance(token, SecretStr) else SecretStr(token)

    def apply(self, request: httpx.Request) -> None:
        """Add ``access_token`` to the request's query."""
        request.url = request.url.copy_merge_params({"access_token": self.token.get_secret_value()})

    def __repr__(self) -> str:
        return "WeiboToken('**********')"


@attrs.frozen
class TokenInfo:
    """What ``oauth2/get_token_info`` says of a token."""

    uid: str
    app_key: str | None
    scope: str | None
    created_at: datetime | None
    expires_at: datetime | None

    @classmethod
    def from_json(cls, body: Mapping[str, Any], now: datetime | None = None) -> TokenInfo:
        """Read the answer (``expire_in`` is the token's remaining lifetime in seconds)."""
        now = now or datetime.now(UTC)
        created = body.get("create_at")
        remaining = body.get("expire_in", body.get("expires_in"))
        return cls(
            uid=native_id(body["uid"]),
            app_key=str(body["appkey"]) if body.get("appkey") is not None else None,
            scope=body.get("scope") if isinstance(body.get("scope"), str) else None,
            created_at=datetime.fromtimestamp(int(created), UTC) if created is not None else None,
            expires_at=datetime.fromtimestamp(now.timestamp() + int(remaining), UTC)
            if remaining is not None
            else None,
        )
