"""Bilibili's signed requests and its single-use refresh tokens.

Every open-platform call carries ``x-bili-accesskeyid`` (the app's ``client_id``),
``x-bili-content-md5`` (the body's MD5, hex), ``x-bili-signature-method: HMAC-SHA256``,
``x-bili-signature-nonce`` (random), ``x-bili-signature-version: 2.0`` and
``x-bili-timestamp`` (seconds), and ``Authorization``: the hex HMAC-SHA256, keyed with the
app secret, of those ``x-bili-*`` headers sorted by name as ``name:value`` lines joined by
``\\n``. The user token goes in ``access-token``.

Reference: openhome.bilibili.com/doc 接口签名实现标准 and the official demo
github.com/bilibili-openplatform/SignatureAlgorithm_DotnetDemo.
"""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import httpx
from pydantic import SecretStr

from ...credentials.core import OAuth2Token
from ...errors import AuthError, ReauthRequired, SocialkitError
from ...platform import Call

if TYPE_CHECKING:
    from ...platform import Flow

__all__ = ["BilibiliToken", "signature", "signed_headers"]


def signed_headers(
    body: bytes,
    client_id: str,
    secret: SecretStr,
    *,
    now: Callable[[], float] = time.time,
    nonce: Callable[[], str] = lambda: uuid.uuid4().hex,
) -> dict[str, str]:
    """The ``x-bili-*`` headers and the ``Authorization`` signature of a request body."""
    headers = {
        "x-bili-accesskeyid": client_id,
        "x-bili-content-md5": hashlib.md5(body).hexdigest(),  # MD5: what Bilibili signs
        "x-bili-signature-method": "HMAC-SHA256",
        "x-bili-signature-nonce": nonce(),
        "x-bili-signature-version": "2.0",
        "x-bili-timestamp": str(int(now())),
    }
    headers["Authorization"] = signature(headers, secret)
    return headers


def signature(headers: dict[str, str], secret: SecretStr) -> str:
    """The hex HMAC-SHA256 of the sorted ``x-bili-*`` headers, keyed with the app secret."""
    text = "\n".join(
        f"{name}:{value}" for name, value in sorted(headers.items()) if name.startswith("x-bili-")
    )
    key = secret.get_secret_value().encode()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


class BilibiliToken(OAuth2Token):
    """The user token of a Bilibili account; each request is signed with the app secret.

    A refresh spends the refresh token (Bilibili's are single-use) and keeps the new one;
    the answer is never asked twice, since the old token no longer works.
    """

    def __init__(self, access_token: SecretStr | str, *, app_secret: SecretStr,
                 **options: Any) -> None:
        options.setdefault("platform", "bilibili")
        super().__init__(access_token, **options)
        self.app_secret = app_secret

    def __repr__(self) -> str:
        return f"BilibiliToken(access_token='**********', expires_at={self.expires_at!r})"

    def apply(self, request: httpx.Request) -> None:
        """Sign the request and add the ``access-token`` header."""
        if self.access_token is None or not self.client_id:
            raise AuthError("no access token or client_id: log in first", platform="bilibili")
        request.headers.update(signed_headers(request.read(), self.client_id, self.app_secret))
        request.headers["access-token"] = self.access_token.get_secret_value()
        request.headers.setdefault("Accept", "application/json")

    def _exchange(self) -> Flow[None]:
        if self.refresh_token is None or self.token_endpoint is None or not self.client_id:
            raise self._reauth("no refresh token, endpoint or client_id to refresh with")
        params = {
            "client_id": self.client_id,
            "client_secret": self.app_secret.get_secret_value(),
            "grant_type": "refresh_token",
            "refresh_token": self.refresh_token.get_secret_value(),
        }
        try:
            response = yield Call(
                "POST", self.token_endpoint, params=params, authenticated=False,
                idempotent=False,  # the refresh token is spent by the first answer
                bucket="oauth",
            )
        except ReauthRequired:
            raise
        except SocialkitError as error:
            if isinstance(error, AuthError) or error.status in (400, 401):
                raise self._reauth(error.message) from None
            raise
        assert response is not None
        body = response.json()
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, dict) or body.get("code"):
            raise self._reauth(str(body.get("message") if isinstance(body, dict) else "refused"))
        self.update(data)
