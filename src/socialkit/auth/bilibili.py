"""Bilibili's OAuth (哔哩哔哩开放平台): the authorization page and the code exchange.

The user approves on ``passport.bilibili.com`` and is sent to the app's registered
``return_url`` with ``code`` and ``state``; ``POST /x/account-oauth2/v1/token`` (parameters
in the query) exchanges the code for ``access_token``, ``refresh_token`` (single-use: each
refresh answers with the next one) and ``expires_in``, inside ``{"code", "message",
"data"}``.

Reference: openhome.bilibili.com/doc 网页应用接入 and 账号管理 (通过授权码获取access_token), and
the official demo github.com/bilibili-openplatform/demo (golang/auth.go).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from pydantic import SecretStr

from ..errors import AuthError
from ..steps import Call, Flow

__all__ = ["AUTHORIZE_URL", "REFRESH_URL", "TOKEN_URL", "bilibili_authorize_url",
           "exchange_bilibili_code"]

AUTHORIZE_URL = "https://passport.bilibili.com/register/pc_oauth2.html#/"
TOKEN_URL = "https://api.bilibili.com/x/account-oauth2/v1/token"
REFRESH_URL = "https://api.bilibili.com/x/account-oauth2/v1/refresh_token"


def bilibili_authorize_url(client_id: str, return_url: str, state: str) -> str:
    """The page where the user approves the app (its parameters follow the ``#/``)."""
    query = {"client_id": client_id, "return_url": return_url, "response_type": "code",
             "state": state}
    return f"{AUTHORIZE_URL}?{urlencode(query)}"


def exchange_bilibili_code(
    client_id: str, client_secret: SecretStr, code: str
) -> Flow[Mapping[str, Any]]:
    """``POST /x/account-oauth2/v1/token``: the code for the tokens (the answer's ``data``)."""
    params = {"client_id": client_id, "client_secret": client_secret.get_secret_value(),
              "grant_type": "authorization_code", "code": code}
    response = yield Call("POST", TOKEN_URL, params=params, authenticated=False,
                          idempotent=False, bucket="oauth")
    assert response is not None
    try:
        body = response.json()
    except ValueError:
        raise AuthError("Bilibili's token endpoint answered without JSON",
                        platform="bilibili") from None
    data = body.get("data") if isinstance(body, Mapping) else None
    if not isinstance(body, Mapping) or body.get("code") or not isinstance(data, Mapping):
        message = body.get("message") if isinstance(body, Mapping) else None
        raise AuthError(f"Bilibili refused the code: {message or 'no token'}",
                        platform="bilibili",
                        code=str(body.get("code")) if isinstance(body, Mapping) else None)
    return data
