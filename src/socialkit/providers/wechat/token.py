"""The Official Account's access token: one per app in the process, fetched sparingly.

``POST cgi-bin/stable_token`` (https://developers.weixin.qq.com/doc/offiaccount/
Basic_Information/getStableAccessToken.html) gives a token valid 7,200 s; within its
life, asking again returns the same token. Fetches count against a daily quota, so
every client of an app shares one `StableToken` (a module-level cache keyed by the API
root and the app id), the drivers refresh it single-flight, and a call answered
40001/40014/42001 refreshes once and is replayed.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

import httpx
from pydantic import SecretStr

from ...errors import AuthError, ParseError
from ...platform import Call
from .errors import raise_for_errcode

if TYPE_CHECKING:
    from ...platform import Flow

__all__ = ["REFRESH_MARGIN", "StableToken", "clear_tokens", "shared_token"]

REFRESH_MARGIN = 300.0
"""Seconds before expiry at which a new token is fetched ahead of need."""


class StableToken:
    """An Official Account token, sent as the ``access_token`` query parameter.

    Attributes:
        app_id: The app it belongs to.
        generation: Grows by one per fetch (the drivers' single-flight check).
        fetches: How many times the token endpoint was called (each counts against the quota).
    """

    def __init__(self, app_id: str, app_secret: SecretStr, token_url: str) -> None:
        self.app_id = app_id
        self.app_secret = app_secret
        self.token_url = token_url
        self.access_token: SecretStr | None = None
        self.expires_at: float | None = None
        self._renew_at: float = 0.0
        self.generation = 0
        self.fetches = 0
        self.lock = threading.Lock()

    def __repr__(self) -> str:
        return f"StableToken(app_id={self.app_id!r}, access_token='**********')"

    def apply(self, request: httpx.Request) -> None:
        """Add ``access_token`` to the request's query."""
        if self.access_token is None:
            raise AuthError("no WeChat access token yet", platform="wechat")
        request.url = request.url.copy_merge_params(
            {"access_token": self.access_token.get_secret_value()}
        )

    def expires_soon(self) -> bool:
        """True without a token, or when it is about to expire."""
        return self.access_token is None or time.time() >= self._renew_at

    def seed(self, token: SecretStr) -> None:
        """Use a token fetched elsewhere until WeChat says it expired."""
        if self.access_token is None:
            self.access_token = token
            self._renew_at = float("inf")

    def refresh(self) -> Flow[None]:
        """``POST cgi-bin/stable_token`` with ``force_refresh: false``."""
        self.fetches += 1
        response = yield Call(
            "POST",
            self.token_url,
            json={
                "grant_type": "client_credential",
                "appid": self.app_id,
                "secret": self.app_secret.get_secret_value(),
                "force_refresh": False,
            },
            authenticated=False,
            idempotent=True,  # asking twice returns the same token
            bucket="token",
        )
        if response is None:
            raise ParseError("expected a response, got none", platform="wechat")
        try:
            body = response.json()
        except (ValueError, RecursionError) as exc:
            raise ParseError("malformed JSON from stable_token", platform="wechat") from exc
        self.update(raise_for_errcode(body))

    def update(self, body: Any) -> None:
        """Take the token endpoint's answer ``{"access_token", "expires_in"}``."""
        token = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise AuthError("stable_token answered without an access_token", platform="wechat")
        expires_in = float(body.get("expires_in") or 7200)
        same = self.access_token is not None and self.access_token.get_secret_value() == token
        self.access_token = SecretStr(token)
        self.expires_at = time.time() + expires_in
        # The same token again means it is still valid: keep it to its end, not ask again.
        self._renew_at = self.expires_at if same else self.expires_at - REFRESH_MARGIN
        self.generation += 1


_TOKENS: dict[tuple[str, str], StableToken] = {}
_LOCK = threading.Lock()


def shared_token(app_id: str, app_secret: SecretStr, token_url: str) -> StableToken:
    """The one token object of an app in this process (created on first use)."""
    key = (token_url, app_id)
    with _LOCK:
        token = _TOKENS.get(key)
        if token is None:
            token = _TOKENS[key] = StableToken(app_id, app_secret, token_url)
        elif token.app_secret.get_secret_value() != app_secret.get_secret_value():
            token.app_secret = app_secret  # a rotated secret takes effect on the next fetch
        return token


def clear_tokens() -> None:
    """Forget every cached token (after rotating an AppSecret, or between tests)."""
    with _LOCK:
        _TOKENS.clear()
