"""Settings every Graph API platform shares: the token, the optional app secret, the version."""

from __future__ import annotations

import re

from pydantic import SecretStr, field_validator

from ...platform import PlatformSettings

__all__ = ["GRAPH_API_VERSION", "GraphSettings"]

GRAPH_API_VERSION = "v25.0"
"""The Graph API version requests go to unless ``api_version`` says otherwise: the version of
the node specs the field selections are checked against (facebook-business-sdk-codegen)."""

_VERSION = re.compile(r"v\d+\.\d+")


class GraphSettings(PlatformSettings):
    """How to reach one account on a Graph API host.

    Attributes:
        access_token: The token the calls are made with (a Page token for Facebook).
        app_secret: The app's secret. When given, every call carries ``appsecret_proof``, which
            an app that enables "Require App Secret" needs; the secret itself is never sent.
        api_version: ``"v25.0"``-style version the paths start with.
    """

    access_token: SecretStr
    app_secret: SecretStr | None = None
    api_version: str = GRAPH_API_VERSION

    @field_validator("api_version")
    @classmethod
    def _version(cls, value: str) -> str:
        value = value.strip()
        value = value if value.startswith("v") else f"v{value}"
        if not _VERSION.fullmatch(value):
            raise ValueError(f"api_version looks like 'v25.0', not {value!r}")
        return value
