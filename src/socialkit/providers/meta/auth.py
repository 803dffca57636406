"""The Graph API credential: the token in ``Authorization: Bearer``, ``appsecret_proof`` in
the query.

Meta's references for graph.facebook.com, graph.instagram.com and graph.threads.net show the
token as the ``access_token`` parameter, and the Graph API equally accepts it as an OAuth 2
bearer token in the ``Authorization`` header (RFC 6750 section 2.1; the Instagram and
WhatsApp references use that form). The header keeps the token out of every URL, so no
access log, proxy log or ``httpx`` log line can hold it. ``appsecret_proof`` is an HMAC of
the token, not the token, and Meta reads it only from the query or the body.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import TYPE_CHECKING

from pydantic import SecretStr

if TYPE_CHECKING:
    from ...steps import Request

__all__ = ["GraphToken", "appsecret_proof"]


def appsecret_proof(access_token: str, app_secret: str) -> str:
    """HMAC-SHA256 of the access token keyed with the app secret, as hex (Meta's
    "Securing Graph API requests")."""
    return hmac.new(app_secret.encode(), access_token.encode(), hashlib.sha256).hexdigest()


class GraphToken:
    """Sends the token as ``Authorization: Bearer`` and, with an app secret, adds
    ``appsecret_proof`` to a request's query."""

    __slots__ = ("_header", "_params")

    def __init__(self, access_token: SecretStr, app_secret: SecretStr | None = None) -> None:
        token = access_token.get_secret_value()
        self._header = f"Bearer {token}"
        params = {}
        if app_secret is not None:
            params["appsecret_proof"] = appsecret_proof(token, app_secret.get_secret_value())
        self._params = params

    @property
    def proves_app(self) -> bool:
        """Whether calls carry ``appsecret_proof``."""
        return "appsecret_proof" in self._params

    def apply(self, request: Request) -> None:
        """Set the ``Authorization`` header (and merge the proof into the query string)."""
        request.headers["Authorization"] = self._header
        if self._params:
            request.url = request.url.copy_merge_params(self._params)

    def __repr__(self) -> str:
        proof = ", appsecret_proof" if self.proves_app else ""
        return f"GraphToken('**********'{proof})"
