"""``sk.connect("sandbox://")``: a fresh in-process sandbox and a client signed in on it.

Registered under the entry-point group ``socialkit.connectors`` (see pyproject.toml), as
the platforms are under ``socialkit.platforms``, so the registry finds it by name and
never imports the testing package itself.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit

from ..client import AsyncClient, Client
from ..errors import ConfigError
from ..platform import unknown_setting
from .sandbox import Sandbox

__all__ = ["SANDBOX", "SANDBOX_OPTIONS", "SandboxConnector"]

SANDBOX_OPTIONS = (
    "seed",
    "latency",
    "rate_limit",
    "base_url",
    "video_processing_polls",
    "clock",
    "stream_heartbeat",
)
"""The settings ``sandbox://`` accepts: the `Sandbox`'s own parameters."""


def _options(target: str, settings: dict[str, Any]) -> dict[str, Any]:
    query = dict(parse_qsl(urlsplit(target).query)) if "://" in target else {}
    options: dict[str, Any] = {k: float(v) for k, v in query.items() if k == "latency"}
    for name in settings:
        if name not in SANDBOX_OPTIONS:
            raise ConfigError(
                f"invalid settings: {name}: {unknown_setting(name, SANDBOX_OPTIONS)}",
                field=name,
                platform="sandbox",
            )
    return options | settings


class SandboxConnector:
    """Builds a `Sandbox` from the target (``sandbox://?latency=0.05``) and the settings,
    and a client on it as the demo brand; the client options go to the client."""

    def connect(self, target: str, settings: dict[str, Any], **options: Any) -> Client:
        """A synchronous client on a fresh sandbox."""
        return Sandbox(**_options(target, settings)).client(**options)

    def aconnect(self, target: str, settings: dict[str, Any], **options: Any) -> AsyncClient:
        """An asynchronous client on a fresh sandbox."""
        return Sandbox(**_options(target, settings)).async_client(**options)


SANDBOX = SandboxConnector()
"""The connector registered as ``sandbox``."""
