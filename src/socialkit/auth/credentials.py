"""Credential types. A secret never shows in a repr, str, log line or exception."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import httpx
from pydantic import SecretStr


@runtime_checkable
class Credential(Protocol):
    """Something that authenticates a request in place."""

    def apply(self, request: httpx.Request) -> None:
        """Add the authentication (a header, a signature) to ``request``."""


class BearerToken:
    """An OAuth 2 bearer token or personal access token, sent as ``Authorization: Bearer``."""

    __slots__ = ("_header", "token")

    def __init__(self, token: SecretStr | str) -> None:
        self.token = token if isinstance(token, SecretStr) else SecretStr(token)
        self._header = f"Bearer {self.token.get_secret_value()}"

    def apply(self, request: httpx.Request) -> None:
        """Set the ``Authorization`` header."""
        request.headers["Authorization"] = self._header

    def __repr__(self) -> str:
        return "BearerToken('**********')"
