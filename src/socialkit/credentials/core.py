"""Credential types. A secret never shows in a repr, str, log line or exception.

A credential authenticates a request in place (`apply`). A *refreshable*
credential also knows when it is about to expire and how to renew itself: its
`refresh()` is a flow, so the sync and async drivers run it the same way, and
single-flight (any number of concurrent calls cause one refresh).
"""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable
from urllib.parse import quote

import httpx
from pydantic import SecretStr

from ..errors import AuthError, ReauthRequired, SocialkitError
from ..steps import Call

if TYPE_CHECKING:
    from ..steps import Flow

__all__ = [
    "BearerToken",
    "ClientAuthMethod",
    "Credential",
    "OAuth2Token",
    "Refreshable",
    "authenticate_client",
]

ClientAuthMethod = Literal["client_secret_post", "client_secret_basic", "none"]
"""How a client proves itself at a token endpoint (RFC 6749 §2.3.1): secret in the form
body, secret in HTTP Basic, or no secret (a public client sends only ``client_id``)."""

REFRESH_MARGIN = 60.0
"""Seconds before expiry at which a token is refreshed proactively."""


def _secret(value: SecretStr | str | None) -> SecretStr | None:
    if value is None or isinstance(value, SecretStr):
        return value
    return SecretStr(value)


@runtime_checkable
class Credential(Protocol):
    """Something that authenticates a request in place."""

    def apply(self, request: httpx.Request) -> None:
        """Add the authentication (a header, a signature) to ``request``."""


@runtime_checkable
class Refreshable(Credential, Protocol):
    """A credential that can renew itself. ``generation`` grows by one per refresh."""

    generation: int
    lock: threading.Lock

    def expires_soon(self) -> bool:
        """Whether the credential should be refreshed before the next call."""

    def refresh(self) -> Flow[None]:
        """A flow that renews the credential in place; `ReauthRequired` when refused."""


class BearerToken:
    """An OAuth 2 bearer token or personal access token, sent as ``Authorization: Bearer``."""

    __slots__ = ("_header", "token")

    def __init__(self, token: SecretStr | str) -> None:
        self.token = token if isinstance(token, SecretStr) else SecretStr(token)
        self._header = f"Bearer {self.token.get_secret_value()}"

    def apply(self, request: httpx.Request) -> None:
        """Set the ``Authorization`` header."""
        request.headers["Authorization"] = self._header

    def __repr__(self) -> str:
        return "BearerToken('**********')"


class OAuth2Token:
    """An OAuth 2 access token with its refresh token, renewed at the token endpoint.

    ``on_refresh`` callbacks receive the credential after each successful refresh
    (to persist it); ``on_reauth_required`` callbacks receive the error when the
    server refuses the refresh token. A rotated refresh token is kept; an empty
    one never overwrites the stored one. ``auth_method`` says how the client
    authenticates at the token endpoint (secret in the form by default; X's
    confidential clients use ``"client_secret_basic"``). ``shared``, set for a
    saved profile, is the scope every refresh runs in (see `refresh`).
    """

    def __init__(
        self,
        access_token: SecretStr | str | None,
        *,
        refresh_token: SecretStr | str | None = None,
        expires_at: float | None = None,
        token_endpoint: str | None = None,
        client_id: str | None = None,
        client_secret: SecretStr | str | None = None,
        scope: str | None = None,
        platform: str | None = None,
        auth_method: ClientAuthMethod = "client_secret_post",
    ) -> None:
        self.access_token = _secret(access_token)
        self.refresh_token = _secret(refresh_token)
        self.expires_at = expires_at
        self.token_endpoint = token_endpoint
        self.client_id = client_id
        self.client_secret = _secret(client_secret)
        self.scope = scope
        self.platform = platform
        self.auth_method: ClientAuthMethod = auth_method
        self.generation = 0
        self.lock = threading.Lock()
        self.on_refresh: list[Callable[[OAuth2Token], None]] = []
        self.on_reauth_required: list[Callable[[SocialkitError], None]] = []
        self.shared: Callable[[OAuth2Token], AbstractContextManager[None]] | None = None

    def __repr__(self) -> str:
        return (
            f"OAuth2Token(access_token='**********', expires_at={self.expires_at!r}, "
            f"scope={self.scope!r})"
        )

    def apply(self, request: httpx.Request) -> None:
        """Set the ``Authorization: Bearer`` header."""
        if self.access_token is None:
            raise AuthError("no access token: log in first", platform=self.platform)
        request.headers["Authorization"] = f"Bearer {self.access_token.get_secret_value()}"

    def expires_soon(self) -> bool:
        """True when the token expires within `REFRESH_MARGIN` seconds and can be refreshed."""
        if self.refresh_token is None or self.token_endpoint is None:
            return False
        if self.access_token is None:
            return True
        return self.expires_at is not None and self.expires_at - time.time() < REFRESH_MARGIN

    def refresh(self) -> Flow[None]:
        """Exchange the refresh token at the token endpoint (RFC 6749 §6).

        With a `shared` scope (a saved profile that several processes use), the
        exchange runs inside it: the scope holds the store's lock and loads the token
        saved there, so when another process has refreshed meanwhile its token is
        used and its (rotated) refresh token is never spent twice.
        """
        if self.shared is None:
            yield from self._exchange()
            return
        seen = self.access_token
        with self.shared(self):
            if self.access_token != seen and not self.expires_soon():
                self.generation += 1  # another process renewed it; nothing to ask
                return
            yield from self._exchange()

    def _exchange(self) -> Flow[None]:
        if self.refresh_token is None or self.token_endpoint is None:
            raise self._reauth("no refresh token or token endpoint to refresh with")
        form = {
            "grant_type": "refresh_token",
            "refresh_token": self.refresh_token.get_secret_value(),
        }
        headers = {"Accept": "application/json"}
        authenticate_client(form, headers, self.client_id, self.client_secret, self.auth_method)
        try:
            response = yield Call(
                "POST",
                self.token_endpoint,
                data=form,
                headers=headers,
                authenticated=False,
                idempotent=True,  # a lost answer is re-asked; the old refresh token stays stored
                bucket="oauth",
            )
        except SocialkitError as error:
            # The server refused the grant (RFC 6749 says invalid_grant; some platforms
            # answer invalid_request): no retry helps. 5xx and network errors propagate
            # after the driver's retries, leaving the stored token untouched.
            if error.status in (400, 401):
                raise self._reauth(error.message) from None
            raise
        assert response is not None
        self.update(response.json())

    def update(self, payload: dict[str, Any]) -> None:
        """Take a token endpoint's answer: new access token, rotated refresh token, expiry."""
        access = payload.get("access_token")
        if not isinstance(access, str) or not access:
            raise AuthError(
                "the token endpoint answered without an access_token", platform=self.platform
            )
        self.access_token = SecretStr(access)
        rotated = payload.get("refresh_token")
        if isinstance(rotated, str) and rotated:
            self.refresh_token = SecretStr(rotated)
        expires_in = payload.get("expires_in")
        self.expires_at = time.time() + float(expires_in) if expires_in else None
        if isinstance(payload.get("scope"), str):
            self.scope = payload["scope"]
        self.generation += 1
        for callback in self.on_refresh:
            callback(self)

    def saved_settings(self) -> dict[str, Any]:
        """The settings a saved profile keeps in step with this token after a refresh
        (where the profile has them)."""
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "expires_at": self.expires_at,
        }

    def _reauth(self, why: str) -> ReauthRequired:
        error = ReauthRequired(f"refresh refused ({why}); log in again", platform=self.platform)
        for callback in self.on_reauth_required:
            callback(error)
        return error


def authenticate_client(
    form: dict[str, str],
    headers: dict[str, str],
    client_id: str | None,
    client_secret: SecretStr | None,
    method: ClientAuthMethod = "client_secret_post",
) -> None:
    """Add client authentication to a token-endpoint request, in place (RFC 6749 §2.3.1).

    ``client_secret_basic`` sends ``Authorization: Basic`` (the form-encoded id and
    secret, base64-encoded); ``client_secret_post`` puts both in the form; a client
    without a secret, or with ``none``, sends only its ``client_id``.
    """
    if method == "client_secret_basic" and client_id and client_secret is not None:
        pair = f"{quote(client_id, safe='')}:{quote(client_secret.get_secret_value(), safe='')}"
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        return
    if client_id:
        form["client_id"] = client_id
    if method != "none" and client_secret is not None and client_secret.get_secret_value():
        form["client_secret"] = client_secret.get_secret_value()
