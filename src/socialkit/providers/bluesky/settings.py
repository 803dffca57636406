"""Bluesky settings: the account's handle, an app password, and which service to log in to."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

from pydantic import SecretStr, field_validator

from ...platform import PlatformSettings, target_origin, with_scheme
from .ids import is_did, is_handle

__all__ = ["DEFAULT_SERVICE", "DEFAULT_VIDEO_SERVICE", "BlueskySettings", "settings_from_url"]

DEFAULT_SERVICE = "https://bsky.social"
DEFAULT_VIDEO_SERVICE = "https://video.bsky.app"


def _service_url(value: str) -> str:
    value = with_scheme(value)
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError(f"must be an https URL or a host name, not {value!r}")
    if parts.username or parts.password:
        raise ValueError("must not carry credentials")
    return f"{parts.scheme}://{parts.netloc.lower()}{parts.path.rstrip('/')}"


class BlueskySettings(PlatformSettings):
    """How to reach one Bluesky account.

    Attributes:
        handle: The account's handle (``brand.bsky.social``, a leading ``@`` is dropped)
            or its DID.
        app_password: An app password (Settings → Privacy and security → App passwords),
            never the account's main password.
        service: Where to log in: ``https://bsky.social`` for accounts hosted by Bluesky,
            or your own PDS. Later requests go to the PDS named in the account's DID document.
        video_service: Bluesky's video processing service.
        jetstream: The Jetstream ``subscribe`` endpoint `watch()` reads mentions from
            (``wss://``; ``ws://`` on loopback); ``None`` polls notifications instead.
    """

    handle: str
    app_password: SecretStr
    service: str = DEFAULT_SERVICE
    video_service: str = DEFAULT_VIDEO_SERVICE
    jetstream: str | None = "wss://jetstream2.us-east.bsky.network/subscribe"

    @field_validator("jetstream")
    @classmethod
    def _socket_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        parts = urlsplit(value)
        loopback = parts.hostname in ("localhost", "127.0.0.1", "::1")
        if parts.scheme != "wss" and not (parts.scheme == "ws" and loopback):
            raise ValueError("must be a wss:// URL (ws:// only on loopback)")
        if parts.username or parts.password:
            raise ValueError("must not carry credentials")
        return value.rstrip("/")

    @field_validator("handle")
    @classmethod
    def _handle(cls, value: str) -> str:
        value = value.strip().removeprefix("@")
        if is_did(value):
            return value
        if not is_handle(value):
            raise ValueError(f"{value!r} is not a Bluesky handle (like brand.bsky.social) or DID")
        return value.lower()

    @field_validator("service", "video_service")
    @classmethod
    def _url(cls, value: str) -> str:
        return _service_url(value)

    @field_validator("access_token")
    @classmethod
    def _no_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            raise ValueError("Bluesky logs in with handle and app_password, not an access token")
        return value


def settings_from_url(url: str) -> dict[str, Any]:
    """``bluesky://HANDLE:APP_PASSWORD@host`` → handle, app password and ``https://host``
    (``http://`` on loopback, or as ``bluesky+http://`` says).

    Either part of the user info may be left out (``bluesky://bsky.social``) and come from
    ``SOCIALKIT_BLUESKY_HANDLE`` / ``SOCIALKIT_BLUESKY_APP_PASSWORD`` instead.
    """
    parts = urlsplit(url)
    found: dict[str, Any] = {}
    if parts.hostname:
        found["service"] = target_origin(url)
    if parts.username:
        found["handle"] = unquote(parts.username)
    if parts.password:
        found["app_password"] = unquote(parts.password)
    return found
