"""Mastodon settings: which instance, which token, optional limits override."""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator

from ...platform import PlatformSettings, with_scheme

__all__ = ["MastodonSettings", "normalise_instance"]


def normalise_instance(value: str) -> str:
    """``https://host[:port]`` from a URL or a bare host (``mastodon.social``).

    A bare host gets ``https://`` (``http://`` on loopback: ``127.0.0.1:8001``); a path,
    query or trailing slash is dropped (the API paths are absolute on every Mastodon server).
    """
    value = value.strip()
    if not value:
        raise ValueError("instance must not be empty")
    value = with_scheme(value)
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError(f"instance must be an http(s) URL or a host name, not {value!r}")
    if parts.username or parts.password:
        raise ValueError("instance must not carry credentials; pass access_token instead")
    return f"{parts.scheme}://{parts.netloc.lower()}"


class MastodonSettings(PlatformSettings):
    """How to reach one Mastodon account.

    Attributes:
        instance: The server, ``"https://mastodon.social"`` or just ``"mastodon.social"``
            (a bare loopback host such as ``"127.0.0.1:8001"`` means ``http://``).
            Defaults to ``base_url`` when only that is given (the sandbox does so).
        access_token: A user access token (Preferences → Development, or OAuth).
        max_characters: Overrides the instance's status length limit; when set, the
            limits are not fetched from ``/api/v2/instance``.
        stream_hashtag: The hashtag (without ``#``) `watch(kinds={"keyword"})` streams
            (``/api/v1/streaming/hashtag?tag=``) and backfills
            (``/api/v1/timelines/tag/:hashtag``).
    """

    instance: str
    access_token: SecretStr
    max_characters: int | None = Field(default=None, gt=0)
    stream_hashtag: str | None = Field(default=None, pattern=r"^#?[^\s#/?&]+$")

    @model_validator(mode="before")
    @classmethod
    def _instance_from_base_url(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("instance") and data.get("base_url"):
            return {**data, "instance": data["base_url"]}
        return data

    @field_validator("instance")
    @classmethod
    def _normalise(cls, value: str) -> str:
        return normalise_instance(value)

    @property
    def api_root(self) -> str:
        """Where API paths are joined: ``base_url`` when given, else the instance."""
        return (self.base_url or self.instance).rstrip("/")

    def token_digest(self) -> str:
        """A short, non-reversible fingerprint of the token (never the token itself)."""
        secret = self.access_token.get_secret_value().encode()
        return hashlib.blake2b(secret, digest_size=8, person=b"socialkit-acct").hexdigest()
