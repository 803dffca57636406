"""The credential of a YouTube channel: a Google OAuth 2 token, refreshable when the
refresh settings are given.

Refresh: ``POST https://oauth2.googleapis.com/token`` (form) with ``client_id``,
``client_secret``, ``grant_type=refresh_token``, ``refresh_token``; Google answers a new
``access_token`` (one hour) and keeps the refresh token.
Reference: https://developers.google.com/identity/protocols/oauth2/native-app#offline
"""

from __future__ import annotations

from ...credentials.core import BearerToken, Credential, OAuth2Token
from .settings import YouTubeSettings

__all__ = ["credential_for"]


def credential_for(settings: YouTubeSettings) -> Credential:
    """A refreshable `OAuth2Token` when ``refresh_token`` is set, else a plain bearer token."""
    if settings.refresh_token is None:
        return BearerToken(settings.access_token)
    return OAuth2Token(
        settings.access_token,
        refresh_token=settings.refresh_token,
        expires_at=settings.expires_at,
        token_endpoint=settings.token_endpoint,
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        platform="youtube",
        auth_method="client_secret_post" if settings.client_secret else "none",
    )
