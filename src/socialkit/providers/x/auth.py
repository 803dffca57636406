"""The credential each X auth mode attaches to requests."""

from __future__ import annotations

from ...credentials.core import BearerToken, Credential, OAuth2Token
from ...credentials.oauth1 import OAuth1Credential
from .settings import AuthMode, XSettings

__all__ = ["credential_for"]


def credential_for(settings: XSettings) -> Credential:
    """OAuth 2.0 user token (refreshable when a refresh token is given), OAuth 1.0a
    signer, or app-only bearer token."""
    mode = settings.auth_mode
    if mode is AuthMode.APP_ONLY:
        assert settings.bearer_token is not None
        return BearerToken(settings.bearer_token)
    if mode is AuthMode.OAUTH1:
        assert settings.consumer_key is not None
        assert settings.consumer_secret is not None
        assert settings.token is not None
        assert settings.token_secret is not None
        return OAuth1Credential(
            settings.consumer_key, settings.consumer_secret, settings.token, settings.token_secret
        )
    if settings.refresh_token is None:
        assert settings.access_token is not None
        return BearerToken(settings.access_token)
    # X wants confidential clients to authenticate with HTTP Basic at the token endpoint;
    # a public client (no secret) sends its client_id in the form.
    return OAuth2Token(
        settings.access_token,
        refresh_token=settings.refresh_token,
        expires_at=settings.expires_at,
        token_endpoint=settings.token_endpoint,
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        platform="x",
        auth_method="client_secret_basic" if settings.client_secret else "none",
    )
