"""OAuth 1.0a user context (RFC 5849, HMAC-SHA1), signed by authlib's protocol-level client.

X still accepts OAuth 1.0a user tokens (consumer key and secret, access token and
secret). The signature covers the method, the URL, its query and a form-encoded
body; a JSON or multipart body is not signed (RFC 5849 §3.4.1.3.1).
"""

from __future__ import annotations

import time

import httpx
from authlib.common.security import generate_token
from authlib.oauth1 import SIGNATURE_HMAC_SHA1, ClientAuth
from authlib.oauth1.rfc5849.parameters import prepare_headers
from pydantic import SecretStr

__all__ = ["OAuth1Credential"]

_FORM = "application/x-www-form-urlencoded"


class OAuth1Credential:
    """Signs each request with an ``Authorization: OAuth ...`` header (HMAC-SHA1).

    ```python
    credential = OAuth1Credential(consumer_key, consumer_secret, token, token_secret)
    ```
    """

    __slots__ = ("consumer_key", "consumer_secret", "realm", "token", "token_secret")

    def __init__(
        self,
        consumer_key: str,
        consumer_secret: SecretStr | str,
        token: SecretStr | str,
        token_secret: SecretStr | str,
        *,
        realm: str | None = None,
    ) -> None:
        self.consumer_key = consumer_key
        self.consumer_secret = _secret(consumer_secret)
        self.token = _secret(token)
        self.token_secret = _secret(token_secret)
        self.realm = realm

    def __repr__(self) -> str:
        return f"OAuth1Credential(consumer_key={self.consumer_key!r}, token='**********')"

    def apply(self, request: httpx.Request) -> None:
        """Sign ``request`` with a fresh nonce and the current time."""
        self.sign(request)

    def sign(
        self,
        request: httpx.Request,
        *,
        nonce: str | None = None,
        timestamp: int | str | None = None,
    ) -> None:
        """Sign ``request`` in place; ``nonce`` and ``timestamp`` are for reproducible tests."""
        client = ClientAuth(
            self.consumer_key,
            self.consumer_secret.get_secret_value(),
            token=self.token.get_secret_value(),
            token_secret=self.token_secret.get_secret_value(),
            signature_method=SIGNATURE_HMAC_SHA1,
            realm=self.realm,
        )
        params = client.get_oauth_params(
            nonce or generate_token(42), str(timestamp or int(time.time()))
        )
        url = str(request.url)
        body = _signed_body(request)
        unsigned = prepare_headers(params, {}, self.realm)
        signature = client.get_oauth_signature(request.method, url, unsigned, body)
        params.append(("oauth_signature", signature))
        request.headers["Authorization"] = prepare_headers(params, {}, self.realm)["Authorization"]


def _signed_body(request: httpx.Request) -> str:
    """The form-encoded body that takes part in the signature; empty for any other body."""
    if _FORM not in request.headers.get("Content-Type", ""):
        return ""
    return request.read().decode("utf-8")


def _secret(value: SecretStr | str) -> SecretStr:
    return value if isinstance(value, SecretStr) else SecretStr(value)
