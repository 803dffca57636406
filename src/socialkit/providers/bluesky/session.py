"""The Bluesky session: a `Refreshable` credential logged in with a handle and an app password.

First use runs ``com.atproto.server.createSession``; later renewals run
``com.atproto.server.refreshSession`` with the refresh JWT as the bearer token, keeping the
rotated refresh JWT. When the refresh JWT is itself expired or revoked, the session logs in
again with the app password. The drivers make every refresh single-flight.

Expiry is read from the access JWT's ``exp`` claim (the payload is decoded, not verified:
the server verifies it). The account's PDS is read from the DID document the session
returns (the ``#atproto_pds`` service); requests addressed to the login service are sent
there instead.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from pydantic import SecretStr

from ...credentials.core import REFRESH_MARGIN
from ...errors import AuthError, ParseError
from ...platform import Call, Flow
from . import xrpc

if TYPE_CHECKING:
    from ...steps import Request, Response

__all__ = ["BlueskySession", "jwt_expiry", "pds_endpoint"]

logger = logging.getLogger("socialkit.bluesky")

CREATE = "com.atproto.server.createSession"
_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})
REFRESH = "com.atproto.server.refreshSession"


def jwt_expiry(token: str) -> float | None:
    """The ``exp`` claim (epoch seconds) of a JWT, read without verifying the signature."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (ValueError, binascii.Error, RecursionError):
        return None
    exp = claims.get("exp") if isinstance(claims, dict) else None
    return float(exp) if isinstance(exp, int | float) and not isinstance(exp, bool) else None


def pds_endpoint(did_doc: object) -> str | None:
    """The ``serviceEndpoint`` of the ``#atproto_pds`` service in a DID document."""
    if not isinstance(did_doc, Mapping):
        return None
    services = did_doc.get("service")
    if not isinstance(services, list):
        return None
    for service in services:
        if not isinstance(service, Mapping) or not str(service.get("id", "")).endswith(
            "#atproto_pds"
        ):
            continue
        endpoint = service.get("serviceEndpoint")
        if isinstance(endpoint, str) and _secure(endpoint):
            return endpoint.rstrip("/")
    return None


def _secure(url: str) -> bool:
    """HTTPS, or plain HTTP to this machine (a PDS under test): tokens never travel in clear."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        return bool(parts.hostname)
    return parts.scheme == "http" and parts.hostname in _LOOPBACK


_DEFAULT_PORTS = {"https": 443, "http": 80}


def _origin(scheme: str, host: str | None, port: int | None) -> tuple[str, str, int | None]:
    scheme = scheme.lower()
    return scheme, (host or "").lower(), port or _DEFAULT_PORTS.get(scheme)


class BlueskySession:
    """A logged-in account: access and refresh JWTs, DID, handle and PDS.

    ``on_refresh`` callbacks receive the session after each login or refresh.
    Secrets never show in its repr.
    """

    def __init__(
        self,
        identifier: str,
        password: SecretStr,
        service: str,
        *,
        platform: str = "bluesky",
    ) -> None:
        self.identifier = identifier
        self._password = password
        self.service = service.rstrip("/")
        self.platform = platform
        self.access_jwt: SecretStr | None = None
        self.refresh_jwt: SecretStr | None = None
        self.expires_at: float | None = None
        self.did: str | None = None
        self.handle: str | None = None
        self.pds: str | None = None
        self.generation = 0
        self.lock = threading.Lock()
        self.on_refresh: list[Callable[[BlueskySession], None]] = []

    def __repr__(self) -> str:
        state = "logged in" if self.access_jwt is not None else "not logged in"
        return f"BlueskySession(identifier={self.identifier!r}, did={self.did!r}, {state})"

    @property
    def endpoint(self) -> str:
        """Where the account's requests go: its PDS once known, else the login service."""
        return self.pds or self.service

    # -- Refreshable -------------------------------------------------------------------------

    def apply(self, request: Request) -> None:
        """Set ``Authorization: Bearer <accessJwt>`` and send the request to the account's PDS."""
        if self.access_jwt is None:
            raise AuthError("not logged in to Bluesky yet", platform=self.platform)
        request.headers["Authorization"] = f"Bearer {self.access_jwt.get_secret_value()}"
        if self.pds is None:
            return
        url, service, pds = request.url, urlsplit(self.service), urlsplit(self.pds)
        if _origin(url.scheme, url.host, url.port) != _origin(
            service.scheme, service.hostname, service.port
        ):
            return
        request.url = url.copy_with(scheme=pds.scheme, host=pds.hostname, port=pds.port)
        request.headers["Host"] = request.url.netloc.decode("ascii")

    def expires_soon(self) -> bool:
        """True before the first login and within `REFRESH_MARGIN` seconds of the expiry."""
        if self.access_jwt is None:
            return True
        return self.expires_at is not None and self.expires_at - time.time() < REFRESH_MARGIN

    def refresh(self) -> Flow[None]:
        """Refresh with the refresh JWT; log in again with the app password when it is refused."""
        if self.refresh_jwt is not None:
            try:
                response = yield self._refresh_call(self.refresh_jwt)
            except AuthError as error:  # ExpiredToken / InvalidToken on the refresh JWT
                logger.info("bluesky: refresh refused (%s); logging in again", error.code)
            else:
                self.update(_json(response, self.platform))
                return
        response = yield Call(
            "POST",
            f"{self.service}{xrpc.path(CREATE)}",
            json={"identifier": self.identifier, "password": self._password.get_secret_value()},
            authenticated=False,
            idempotent=True,  # a second session is harmless; a lost answer is asked again
            bucket=xrpc.bucket(CREATE),
        )
        self.update(_json(response, self.platform))

    def _refresh_call(self, refresh_jwt: SecretStr) -> Call:
        return Call(
            "POST",
            f"{self.endpoint}{xrpc.path(REFRESH)}",
            headers={"Authorization": f"Bearer {refresh_jwt.get_secret_value()}"},
            authenticated=False,
            idempotent=True,  # the PDS accepts a just-rotated refresh JWT for a grace period
            bucket=xrpc.bucket(REFRESH),
        )

    def update(self, payload: Mapping[str, Any]) -> None:
        """Take a createSession/refreshSession answer: tokens, expiry, DID, handle, PDS."""
        access, refresh = payload.get("accessJwt"), payload.get("refreshJwt")
        if not isinstance(access, str) or not access or not isinstance(refresh, str):
            raise ParseError(
                "the session answer has no accessJwt/refreshJwt", platform=self.platform
            )
        self.access_jwt = SecretStr(access)
        if refresh:
            self.refresh_jwt = SecretStr(refresh)
        self.expires_at = jwt_expiry(access)
        if isinstance(payload.get("did"), str):
            self.did = payload["did"]
        if isinstance(payload.get("handle"), str):
            self.handle = payload["handle"]
        self.pds = pds_endpoint(payload.get("didDoc")) or self.pds
        self.generation += 1
        for callback in self.on_refresh:
            callback(self)


def _json(response: Response | None, platform: str) -> Mapping[str, Any]:
    if response is None:
        raise ParseError("expected a response, got none", platform=platform)
    try:
        body = json.loads(response.content)
    except (ValueError, RecursionError) as exc:
        raise ParseError("malformed JSON in the session answer", platform=platform) from exc
    if not isinstance(body, Mapping):
        raise ParseError("the session answer is not a JSON object", platform=platform)
    return body
