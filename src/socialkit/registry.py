"""Finding providers and connecting to them.

Providers register under the entry-point group ``socialkit.platforms`` (the
built-ins too), so a third-party package adds a platform with no change here. A
target served by its own machinery rather than a platform over HTTP (``sandbox://``,
an in-process server) registers a connector under ``socialkit.connectors``.
Settings come, in increasing precedence, from ``SOCIALKIT_<PLATFORM>_<FIELD>``
environment variables, a saved login profile (``profile=``), the target URL, and
keyword arguments.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

import httpx

from .client import AsyncClient, Client, HttpBackend
from .clock import Clock
from .errors import ConfigError
from .http import Limits, RateLimitMode, RetryPolicy
from .platform import Platform, PlatformSettings, settings_for

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

    from .auth.stores import TokenStore

__all__ = ["aconnect", "connect", "load_platform", "platforms"]

GROUP = "socialkit.platforms"
CONNECTORS = "socialkit.connectors"


class _Connector(Protocol):
    """What a ``socialkit.connectors`` entry point loads: it builds the client itself."""

    def connect(self, target: str, settings: dict[str, Any], **options: Any) -> Client: ...

    def aconnect(self, target: str, settings: dict[str, Any], **options: Any) -> AsyncClient: ...


# The providers this package ships, as its own entry points register them (a test checks the
# two agree): connect() loads one of these without reading every installed distribution's
# metadata (20 ms or more per call, and importlib.metadata to import). Other names are
# looked up as entry points.
_BUILT_IN = {
    "mastodon": "socialkit.providers.mastodon:Mastodon",
    "x": "socialkit.providers.x:X",
    "bluesky": "socialkit.providers.bluesky:Bluesky",
    "facebook": "socialkit.providers.facebook:Facebook",
    "instagram": "socialkit.providers.instagram:Instagram",
    "threads": "socialkit.providers.threads:Threads",
    "linkedin": "socialkit.providers.linkedin:LinkedIn",
    "tiktok": "socialkit.providers.tiktok:TikTok",
    "douyin": "socialkit.providers.douyin:Douyin",
    "bilibili": "socialkit.providers.bilibili:Bilibili",
    "weibo": "socialkit.providers.weibo:Weibo",
    "wechat": "socialkit.providers.wechat:WeChat",
    "youtube": "socialkit.providers.youtube:YouTube",
    "reddit": "socialkit.providers.reddit:Reddit",
}


def _entry_points() -> dict[str, EntryPoint]:
    from importlib.metadata import entry_points

    return {ep.name: ep for ep in entry_points(group=GROUP)}


def _connector(target: str) -> _Connector | None:
    """The connector registered for the target's scheme, if any (a built-in platform's name
    is never one: it is found without reading the installed distributions' metadata)."""
    name = _scheme(target)
    if name in _BUILT_IN:
        return None
    from importlib.metadata import entry_points

    found = {ep.name: ep for ep in entry_points(group=CONNECTORS)}.get(name)
    return None if found is None else found.load()


def platforms() -> dict[str, type[Platform]]:
    """The installed platforms by name (this imports each provider)."""
    return {name: load_platform(name) for name in sorted(_entry_points())}


def load_platform(name: str) -> type[Platform]:
    """The provider class registered as ``name``; `ConfigError` when none is installed."""
    cls: object
    if name in _BUILT_IN:
        module, _, attribute = _BUILT_IN[name].partition(":")
        cls = getattr(importlib.import_module(module), attribute)
    else:
        found = _entry_points().get(name)
        if found is None:
            known = ", ".join(sorted(_entry_points())) or "none"
            raise ConfigError(
                f"unknown platform {name!r} (installed: {known}); is its package installed?",
                field="platform",
            )
        cls = found.load()
    if not (isinstance(cls, type) and issubclass(cls, Platform)):
        raise ConfigError(f"entry point {name!r} is not a socialkit Platform", field="platform")
    return cls


def connect(
    target: str,
    *,
    transport: httpx.BaseTransport | None = None,
    timeout: float | None = None,
    rate_limit: RateLimitMode = "wait",
    retry: RetryPolicy | None = None,
    profile: str | None = None,
    store: TokenStore | None = None,
    limits: Limits | None = None,
    clock: Clock | None = None,
    pool: httpx.Limits | None = None,
    **settings: Any,
) -> Client:
    """A synchronous client for ``target``: a platform name or a URL.

    ```python
    sk.connect("mastodon", instance="https://mastodon.social", access_token="...")
    sk.connect("mastodon://TOKEN@mastodon.social")
    sk.connect("mastodon://TOKEN@127.0.0.1:8001")   # loopback: http:// by default
    sk.connect("mastodon+http://TOKEN@10.0.0.5")    # refused: plain HTTP off loopback
    sk.connect("sandbox://")          # an in-process sandbox with demo data
    sk.connect("x", profile="brand")  # a login saved by `socialkit auth login x --profile brand`
    ```

    In a URL target the host means ``https://host``, except on loopback (``127.0.0.1``,
    ``localhost``, ``::1``) where it means ``http://host``; ``mastodon+https://`` or
    ``mastodon+http://`` chooses explicitly. Plain HTTP is refused off loopback.

    ``profile`` loads a saved login from ``store`` (the file store by default);
    explicit settings override it, and refreshed tokens are saved back. ``limits``
    bounds each call (deadline, body size, empty pages); ``clock`` is the time the
    client reads and sleeps with (``socialkit.testing.FakeClock`` in tests). ``pool`` sizes
    the connection pool (100 connections, 20 kept idle, by default).
    """
    connector = _connector(target)
    if connector is not None:
        return connector.connect(
            target, settings, rate_limit=rate_limit, retry=retry, limits=limits, clock=clock
        )
    platform = _platform(target, settings, profile=profile, store=store)
    return Client(
        platform,
        transport=transport,
        timeout=timeout,
        rate_limit=rate_limit,
        retry=retry,
        limits=limits,
        clock=clock,
        pool=pool,
    )


def aconnect(
    target: str,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    timeout: float | None = None,
    rate_limit: RateLimitMode = "wait",
    retry: RetryPolicy | None = None,
    profile: str | None = None,
    store: TokenStore | None = None,
    limits: Limits | None = None,
    clock: Clock | None = None,
    pool: httpx.Limits | None = None,
    http: HttpBackend = "auto",
    **settings: Any,
) -> AsyncClient:
    """An asynchronous client for ``target``; use it with ``async with``.

    ```python
    async with sk.aconnect("sandbox://") as client:
        post = await client.publish("Hello")
    ```

    ``http`` picks what carries the requests: ``"aiohttp"`` (the default when the
    ``aiohttp`` extra is installed: much cheaper when hundreds of calls are in
    flight) or ``"httpx"`` (httpx's own transport). ``pool`` sizes the connection pool.
    """
    connector = _connector(target)
    if connector is not None:
        return connector.aconnect(
            target, settings, rate_limit=rate_limit, retry=retry, limits=limits, clock=clock
        )
    platform = _platform(target, settings, profile=profile, store=store)
    return AsyncClient(
        platform,
        transport=transport,
        timeout=timeout,
        rate_limit=rate_limit,
        retry=retry,
        limits=limits,
        clock=clock,
        pool=pool,
        http=http,
    )


def _scheme(target: str) -> str:
    """The platform name of a target: ``mastodon`` for ``mastodon+http://...``."""
    name = target.split("://", 1)[0] if "://" in target else target
    return name.split("+", 1)[0].lower()


def _platform(
    target: str,
    overrides: Mapping[str, Any],
    *,
    profile: str | None = None,
    store: TokenStore | None = None,
) -> Platform:
    name = _scheme(target)
    cls = load_platform(name)
    saved = None
    if profile is not None:
        from .auth.profiles import open_profile  # token stores load only when a profile is used

        saved = open_profile(profile, name, store)
    values = (
        _from_env(name, cls.Settings)
        | (saved.settings_for(cls) if saved is not None else {})
        | (cls.settings_from_url(target) if "://" in target else {})
        | dict(overrides)
    )
    platform = cls(settings_for(cls, values))
    if saved is not None:
        saved.bind(platform)
    return platform


def _from_env(name: str, model: type[PlatformSettings]) -> dict[str, str]:
    prefix = f"SOCIALKIT_{name.upper()}_"
    return {
        field: os.environ[prefix + field.upper()]
        for field in model.model_fields
        if prefix + field.upper() in os.environ
    }
