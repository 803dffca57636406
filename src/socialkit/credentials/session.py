"""Sessions opened with an identifier and an app password (Bluesky-like logins).

The platform supplies two flows: ``login(identifier, password)`` opens a session
and ``refresh(refresh_token)`` renews it. `AppPasswordSession` is the generic
`Refreshable` around them: the first call logs in, an expiring or refused access
token is refreshed, and a refused refresh token falls back to a fresh login with
the app password. Both flows must send their calls with ``authenticated=False``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs
import httpx
from pydantic import SecretStr

from ..errors import AuthError, ReauthRequired, SocialkitError
from .core import REFRESH_MARGIN

if TYPE_CHECKING:
    from ..steps import Flow

__all__ = ["AppPasswordSession", "SessionGrant"]


@attrs.frozen
class SessionGrant:
    """What a login or refresh flow returns: the session's tokens and public details.

    Attributes:
        access_token: Sent as ``Authorization: Bearer``.
        refresh_token: Renews the session, when the platform issues one.
        expires_at: When the access token expires (Unix time), when known.
        info: Public details of the session (account id, handle, service endpoint).
    """

    access_token: SecretStr = attrs.field(converter=SecretStr)
    refresh_token: SecretStr | None = attrs.field(
        default=None, converter=attrs.converters.optional(SecretStr)
    )
    expires_at: float | None = None
    info: Mapping[str, Any] = attrs.field(factory=dict)


LoginFlow = Callable[[str, SecretStr], "Flow[SessionGrant]"]
RefreshFlow = Callable[[SecretStr], "Flow[SessionGrant]"]


class AppPasswordSession:
    """A `Refreshable` session credential whose login and refresh flows are given.

    ```python
    session = AppPasswordSession("brand.bsky.social", app_password,
                                 login=create_session, refresh=refresh_session)
    ```
    """

    def __init__(
        self,
        identifier: str,
        password: SecretStr | str,
        *,
        login: LoginFlow,
        refresh: RefreshFlow | None = None,
        platform: str | None = None,
    ) -> None:
        self.identifier = identifier
        self.password = password if isinstance(password, SecretStr) else SecretStr(password)
        self.platform = platform
        self.access_token: SecretStr | None = None
        self.refresh_token: SecretStr | None = None
        self.expires_at: float | None = None
        self.info: Mapping[str, Any] = {}
        self.generation = 0
        self.lock = threading.Lock()
        self.on_refresh: list[Callable[[AppPasswordSession], None]] = []
        self.on_reauth_required: list[Callable[[SocialkitError], None]] = []
        self._login = login
        self._refresh = refresh

    def __repr__(self) -> str:
        return (
            f"AppPasswordSession(identifier={self.identifier!r}, password='**********', "
            f"expires_at={self.expires_at!r})"
        )

    def apply(self, request: httpx.Request) -> None:
        """Set ``Authorization: Bearer`` with the session's access token."""
        if self.access_token is None:
            raise AuthError("no session yet: the first call logs in", platform=self.platform)
        request.headers["Authorization"] = f"Bearer {self.access_token.get_secret_value()}"

    def expires_soon(self) -> bool:
        """True before the first login and within `REFRESH_MARGIN` seconds of expiry."""
        if self.access_token is None:
            return True
        return self.expires_at is not None and self.expires_at - time.time() < REFRESH_MARGIN

    def refresh(self) -> Flow[None]:
        """Renew the session: the refresh flow when there is a refresh token, else log in."""
        grant: SessionGrant | None = None
        if self.refresh_token is not None and self._refresh is not None:
            try:
                grant = yield from self._refresh(self.refresh_token)
            except AuthError:
                grant = None  # the refresh token expired or was revoked: log in again
        if grant is None:
            try:
                grant = yield from self._login(self.identifier, self.password)
            except AuthError as error:
                raise self._reauth(error.message) from None
        self.take(grant)

    def take(self, grant: SessionGrant) -> None:
        """Adopt a new session (and tell the ``on_refresh`` callbacks)."""
        self.access_token = grant.access_token
        if grant.refresh_token is not None:
            self.refresh_token = grant.refresh_token
        self.expires_at = grant.expires_at
        self.info = dict(grant.info)
        self.generation += 1
        for callback in self.on_refresh:
            callback(self)

    def _reauth(self, why: str) -> ReauthRequired:
        error = ReauthRequired(
            f"login refused ({why}); check the identifier and app password",
            platform=self.platform,
        )
        for callback in self.on_reauth_required:
            callback(error)
        return error
