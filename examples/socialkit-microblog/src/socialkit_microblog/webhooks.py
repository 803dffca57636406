"""Microblog webhooks: verify the signature of a delivery before trusting its body.

Microblog signs each delivery with ``X-Microblog-Signature: sha256=HEX``, the
HMAC-SHA256 of the raw request body under the webhook secret.
"""

from __future__ import annotations

import hashlib
import hmac

from socialkit.errors import AuthError

__all__ = ["SIGNATURE_HEADER", "sign", "verify_signature"]

SIGNATURE_HEADER = "X-Microblog-Signature"


def sign(body: bytes, secret: str) -> str:
    """The signature header value Microblog sends for ``body``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify_signature(
    body: bytes, signature: str | None, secret: str, *, platform: str = "microblog"
) -> None:
    """Raise `AuthError` unless ``signature`` is Microblog's signature of ``body``.

    The comparison takes constant time, and the error never repeats the secret.
    """
    if not signature or not hmac.compare_digest(signature.strip(), sign(body, secret)):
        raise AuthError("webhook signature missing or wrong", platform=platform)
