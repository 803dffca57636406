"""Weibo settings: the user's token, the app (for login), the secure domain and the user's IP."""

from __future__ import annotations

import hashlib
import ipaddress
from urllib.parse import urlsplit

from pydantic import SecretStr, field_validator

from ...platform import PlatformSettings

__all__ = ["WeiboSettings", "normalise_domain"]


def normalise_domain(value: str) -> str:
    """``brand.example.com`` from a bare host or a URL; lower case, no port, path or dot."""
    value = value.strip()
    host = urlsplit(value if "://" in value else f"//{value}").hostname or ""
    host = host.rstrip(".").lower()
    if not host or "." not in host:
        raise ValueError(f"share_domain must be a domain like brand.example.com, not {value!r}")
    return host


class WeiboSettings(PlatformSettings):
    """How to reach one Weibo account.

    Attributes:
        access_token: The user's OAuth 2 access token (from the login, see
            `weibo_login_config`).
        app_key: The app's App Key (应用 App Key), needed only to log in.
        app_secret: The app's App Secret, needed only to log in.
        client_ip: The real IP address of the person acting, sent as ``rip`` with every
            share and comment (a server app passes each user's own with
            ``Draft(options={"rip": ...})``).
        share_domain: The app's secure domain (安全域名, under 我的应用 → 应用信息 →
            基本应用信息编辑): every shared post must link to a page under it.
        track_rate_limit: Read ``2/account/rate_limit_status.json`` once per hour of use
            and keep the hourly budget in the shared rate-limit state.
    """

    access_token: SecretStr
    app_key: str | None = None
    app_secret: SecretStr | None = None
    client_ip: str | None = None
    share_domain: str | None = None
    track_rate_limit: bool = True

    @field_validator("client_ip")
    @classmethod
    def _ip(cls, value: str | None) -> str | None:
        if value is None:
            return None
        return str(ipaddress.ip_address(value.strip()))

    @field_validator("share_domain")
    @classmethod
    def _domain(cls, value: str | None) -> str | None:
        return normalise_domain(value) if value is not None else None

    def token_digest(self) -> str:
        """A short, non-reversible fingerprint of the token (never the token itself)."""
        secret = self.access_token.get_secret_value().encode()
        return hashlib.blake2b(secret, digest_size=8, person=b"socialkit-wb").hexdigest()
