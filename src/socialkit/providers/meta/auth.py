"""The Graph API credential: ``access_token`` (and ``appsecret_proof``) as query parameters.

Meta's references for graph.facebook.com, graph.instagram.com and graph.threads.net all pass
the token as the ``access_token`` parameter, so every host is called the same way. The core
redacts both parameters from logged URLs.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import TYPE_CHECKING

from pydantic import SecretStr

if TYPE_CHECKING:
    from ...http import Request

__all__ = ["GraphToken", "appsecret_proof"]


def appsecret_proof(access_token: str, app_secret: str) -> str:
    """HMAC-SHA256 of the access token keyed with the app secret, as hex (Meta's
    "Securing Graph API requests")."""
    return hmac.new(app_secret.encode(), access_token.encode(), hashlib.sha256).hexdigest()


class GraphToken:
    """Adds ``access_token`` and, with an app secret, ``appsecret_proof`` to a request's query."""

    __slots__ = ("_params",)

    def __init__(self, access_token: SecretStr, app_secret: SecretStr | None = None) -> None:
        token = access_token.get_secret_value()
        params = {"access_token": token}
        if app_secret is not None:
            params["appsecret_proof"] = appsecret_proof(token, app_secret.get_secret_value())
        self._params = params

    @property
    def proves_app(self) -> bool:
        """Whether calls carry ``appsecret_proof``."""
        return "appsecret_proof" in self._params

    def apply(self, request: Request) -> None:
        """Merge the token (and proof) into the request's query string."""
        request.url = request.url.copy_merge_params(self._params)

    def __repr__(self) -> str:
        proof = ", appsecret_proof" if self.proves_app else ""
        return f"GraphToken('**********'{proof})"
