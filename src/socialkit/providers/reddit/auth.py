"""Reddit's tokens: the script app's password grant and the refresh of a permanent login.

``POST https://www.reddit.com/api/v1/access_token`` with HTTP Basic client authentication
(the app id and secret; an installed app's secret is empty), form-encoded:
``grant_type=password&username=...&password=...`` for script apps, or
``grant_type=refresh_token&refresh_token=...``. Tokens last an hour. A refused password
answers HTTP 200 with ``{"error": "invalid_grant"}``. API calls then carry
``Authorization: bearer <token>``.

Reference: https://github.com/reddit-archive/reddit/wiki/OAuth2 ("Application Only OAuth",
"Refreshing the token", "Script application" and the quick start example)
"""

from __future__ import annotations

import base64
import time
from typing import TYPE_CHECKING, Any

from pydantic import SecretStr

from ...credentials.core import OAuth2Token
from ...errors import AuthError, InvalidContent
from ...platform import Call
from .settings import RedditSettings

if TYPE_CHECKING:
    import httpx

    from ...platform import Flow

__all__ = ["RedditToken", "credential_for"]


class RedditToken(OAuth2Token):
    """An `OAuth2Token` that renews itself by Reddit's rules.

    With ``username`` and ``password`` (a script app) it asks for a new token by the
    password grant whenever the token is missing or about to expire; with a refresh
    token, by the refresh grant. Every token request carries the app's User-Agent.
    """

    def __init__(
        self,
        access_token: SecretStr | str | None,
        *,
        user_agent: str,
        username: str | None = None,
        password: SecretStr | None = None,
        **options: Any,
    ) -> None:
        super().__init__(access_token, platform="reddit", auth_method="client_secret_basic",
                         **options)
        self.user_agent = user_agent
        self.username = username
        self.password = password

    def __repr__(self) -> str:
        return f"RedditToken(access_token='**********', expires_at={self.expires_at!r})"

    def apply(self, request: httpx.Request) -> None:
        """Set ``Authorization: bearer <token>`` (as Reddit's documentation writes it) and
        the app's User-Agent, so raw ``client.request`` calls carry it too."""
        if self.access_token is None:
            raise AuthError("no Reddit access token: log in first", platform="reddit")
        request.headers["Authorization"] = f"bearer {self.access_token.get_secret_value()}"
        request.headers["User-Agent"] = self.user_agent

    @property
    def _password_grant(self) -> bool:
        return self.password is not None and self.refresh_token is None

    def expires_soon(self) -> bool:
        """True when a token is due: missing or expiring, and a grant can renew it."""
        if not self._password_grant:
            return super().expires_soon()
        if self.access_token is None or self.expires_at is None:
            return self.access_token is None
        return self.expires_at - time.time() < 60

    def refresh(self) -> Flow[None]:
        """Ask the token endpoint for a new token (password or refresh grant)."""
        if self.token_endpoint is None or not self.client_id:
            raise self._reauth("no client_id or token endpoint to ask for a token")
        if self._password_grant:
            assert self.password is not None
            form = {
                "grant_type": "password",
                "username": self.username or "",
                "password": self.password.get_secret_value(),
            }
        elif self.refresh_token is not None:
            form = {
                "grant_type": "refresh_token",
                "refresh_token": self.refresh_token.get_secret_value(),
            }
        else:
            raise self._reauth("no refresh token or password to renew the token with")
        secret = self.client_secret.get_secret_value() if self.client_secret else ""
        pair = f"{self.client_id}:{secret}".encode()
        try:
            response = yield Call(
                "POST",
                self.token_endpoint,
                data=form,
                headers={
                    "Authorization": "Basic " + base64.b64encode(pair).decode(),
                    "User-Agent": self.user_agent,
                    "Accept": "application/json",
                },
                authenticated=False,
                idempotent=True,  # a lost answer is asked again; nothing is created
                bucket="oauth",
            )
        except (AuthError, InvalidContent) as error:  # invalid_grant, a refused client
            raise self._reauth(error.message) from None
        assert response is not None
        self.update(response.json())


def credential_for(settings: RedditSettings) -> RedditToken:
    """The token of the settings, renewable whenever the settings allow it."""
    refreshable = settings.refresh_token is not None or settings.password is not None
    return RedditToken(
        settings.access_token,
        user_agent=settings.agent(),
        username=settings.username,
        password=settings.password,
        refresh_token=settings.refresh_token,
        expires_at=settings.expires_at,
        token_endpoint=settings.token_endpoint if refreshable else None,
        client_id=settings.client_id,
        client_secret=settings.client_secret,
    )
