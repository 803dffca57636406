"""Douyin's OAuth (抖音开放平台): authorize, code exchange, refresh, renewal, client token.

Douyin names the app ``client_key`` (not ``client_id``), answers inside ``data`` with an
``error_code`` (HTTP 200 even for errors), and sends the user token in an ``access-token``
header. The access token lasts 15 days; ``/oauth/refresh_token/`` gives a new one with the
refresh token (30 days, unchanged by a refresh); ``/oauth/renew_refresh_token/`` gives a new
refresh token, a limited number of times; after that the user must authorize again. The
``client_token`` is the app's own token for app-level calls.

Reference: developer.open-douyin.com, docs/resource/zh-CN/dop/develop/openapi/
account-permission/ (douyin-get-permission-code, get-access-token, refresh-access-token,
refresh-token, client-token).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import httpx
from pydantic import SecretStr

from ..errors import AuthError, ReauthRequired, SocialkitError
from ..steps import Call
from .core import OAuth2Token

if TYPE_CHECKING:
    from ..steps import Flow

__all__ = [
    "AUTHORIZE_URL",
    "CLIENT_TOKEN_URL",
    "DOUYIN_SCOPES",
    "REFRESH_URL",
    "RENEW_URL",
    "TOKEN_URL",
    "DouyinToken",
    "douyin_authorize_url",
    "douyin_client_token",
    "exchange_douyin_code",
    "token_data",
]

AUTHORIZE_URL = "https://open.douyin.com/platform/oauth/connect/"
TOKEN_URL = "https://open.douyin.com/oauth/access_token/"
REFRESH_URL = "https://open.douyin.com/oauth/refresh_token/"
RENEW_URL = "https://open.douyin.com/oauth/renew_refresh_token/"
CLIENT_TOKEN_URL = "https://open.douyin.com/oauth/client_token/"
DOUYIN_SCOPES = (
    "user_info",
    "video.create.bind",
    "video.list.bind",
    "video.data.bind",
    "item.comment",
    "data.external.user",
    "data.external.item",
)
"""The scopes `auth login douyin` asks for: publishing, the account's videos and their data,
comments, and the fans and item data. Each needs the capability approved for the app."""

RENEW_MARGIN = 86_400.0
"""Seconds before the refresh token expires at which it is renewed first."""
_FORM = {"Content-Type": "application/x-www-form-urlencoded"}
_REFRESH_EXPIRED = 10010  # refresh-access-token docs: "refresh_token 过期" → authorize again


def douyin_authorize_url(
    client_key: str, redirect_uri: str, state: str, scopes: Sequence[str] = DOUYIN_SCOPES
) -> str:
    """The page the user opens (a QR code to scan with the Douyin app) to authorize.

    ``redirect_uri`` must be the HTTPS address registered for the app, without query.
    """
    query = {
        "client_key": client_key,
        "response_type": "code",
        "scope": ",".join(scopes),
        "redirect_uri": redirect_uri,
        "state": state,
    }
    return f"{AUTHORIZE_URL}?{urlencode(query)}"


def token_data(response: httpx.Response | None, what: str) -> Mapping[str, Any]:
    """The ``data`` of a token endpoint's answer; `AuthError` for its ``error_code``."""
    assert response is not None
    try:
        body = response.json()
    except ValueError:
        raise AuthError(f"Douyin's {what} answered without JSON", platform="douyin") from None
    data = body.get("data") if isinstance(body, Mapping) else None
    if not isinstance(data, Mapping):
        raise AuthError(f"Douyin's {what} answered without data", platform="douyin")
    code = data.get("error_code") or 0
    if code:
        raise AuthError(
            f"Douyin's {what} refused: {data.get('description') or code}",
            platform="douyin",
            code=str(code),
            status=response.status_code,
        )
    return data


def _post(url: str, form: Mapping[str, str]) -> Any:
    return Call(
        "POST", url, data=dict(form), headers=_FORM, authenticated=False, idempotent=True,
        bucket="oauth",
    )


def exchange_douyin_code(
    client_key: str, client_secret: SecretStr, code: str
) -> Flow[Mapping[str, Any]]:
    """``POST /oauth/access_token/``: the code for ``access_token``, ``refresh_token``,
    ``open_id``, ``scope`` and their lifetimes (the answer's ``data``)."""
    form = {
        "client_key": client_key,
        "client_secret": client_secret.get_secret_value(),
        "code": code,
        "grant_type": "authorization_code",
    }
    response = yield _post(TOKEN_URL, form)
    return token_data(response, "access_token")


def douyin_client_token(client_key: str, client_secret: SecretStr) -> Flow[tuple[SecretStr, float]]:
    """``POST /oauth/client_token/``: the app's own token for app-level calls, and when it
    expires (Unix time; it lasts 2 hours)."""
    form = {
        "client_key": client_key,
        "client_secret": client_secret.get_secret_value(),
        "grant_type": "client_credential",
    }
    data = token_data((yield _post(CLIENT_TOKEN_URL, form)), "client_token")
    return SecretStr(str(data["access_token"])), time.time() + float(data["expires_in"])


class DouyinToken(OAuth2Token):
    """A Douyin user token: sent as ``access-token``, refreshed with ``client_key``.

    ``refresh_expires_at`` is when the refresh token expires; within `RENEW_MARGIN` of it,
    a refresh first renews it at ``/oauth/renew_refresh_token/``. ``open_id`` is the user
    the token belongs to.
    """

    def __init__(
        self,
        access_token: SecretStr | str | None,
        *,
        open_id: str | None = None,
        refresh_expires_at: float | None = None,
        **options: Any,
    ) -> None:
        options.setdefault("token_endpoint", REFRESH_URL)
        options.setdefault("platform", "douyin")
        super().__init__(access_token, **options)
        self.open_id = open_id
        self.refresh_expires_at = refresh_expires_at

    def __repr__(self) -> str:
        return (
            f"DouyinToken(access_token='**********', expires_at={self.expires_at!r}, "
            f"scope={self.scope!r})"
        )

    def apply(self, request: httpx.Request) -> None:
        """Set the ``access-token`` header."""
        if self.access_token is None:
            raise AuthError("no access token: log in first", platform="douyin")
        request.headers["access-token"] = self.access_token.get_secret_value()

    def saved_settings(self) -> dict[str, Any]:
        """The token settings, with when the refresh token expires."""
        return {**super().saved_settings(), "refresh_expires_at": self.refresh_expires_at}

    def renew_soon(self) -> bool:
        """Whether the refresh token expires within `RENEW_MARGIN`."""
        return (
            self.refresh_expires_at is not None
            and self.refresh_expires_at - time.time() < RENEW_MARGIN
        )

    def _exchange(self) -> Flow[None]:
        if self.refresh_token is None or not self.client_id:
            raise self._reauth("no refresh token or client_key to refresh with")
        if self.renew_soon():
            yield from self.renew()
        assert self.refresh_token is not None
        form = {
            "client_key": self.client_id,
            "grant_type": "refresh_token",
            "refresh_token": self.refresh_token.get_secret_value(),
        }
        data = yield from self._ask(REFRESH_URL, form, "refresh_token")
        payload = dict(data)
        refresh_in = payload.get("refresh_expires_in")
        if refresh_in and payload.get("refresh_token"):
            self.refresh_expires_at = time.time() + float(refresh_in)
        self.update(payload)

    def renew(self) -> Flow[None]:
        """``POST /oauth/renew_refresh_token/``: a new refresh token (30 days more). Douyin
        allows a limited number of renewals; past them, `ReauthRequired`."""
        if self.refresh_token is None or not self.client_id:
            raise self._reauth("no refresh token or client_key to renew")
        form = {
            "client_key": self.client_id,
            "refresh_token": self.refresh_token.get_secret_value(),
        }
        data = yield from self._ask(RENEW_URL, form, "renew_refresh_token")
        renewed = data.get("refresh_token")
        if not isinstance(renewed, str) or not renewed:
            raise self._reauth("the renewal answered without a refresh_token")
        self.refresh_token = SecretStr(renewed)
        if data.get("expires_in"):
            self.refresh_expires_at = time.time() + float(data["expires_in"])
        for callback in self.on_refresh:  # persist the renewed refresh token at once
            callback(self)

    def _ask(self, url: str, form: Mapping[str, str], what: str) -> Flow[Mapping[str, Any]]:
        try:
            response = yield _post(url, form)
            return token_data(response, what)
        except ReauthRequired:
            raise
        except SocialkitError as error:
            if isinstance(error, AuthError) or error.status in (400, 401):
                raise self._reauth(error.message) from None
            raise
