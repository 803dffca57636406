"""Platform-specific steps around a login, as flows: app registration and token exchanges.

- Mastodon: register an OAuth app on an instance (``POST /api/v1/apps``).
- Meta: exchange a short-lived user token for a long-lived one
  (``GET /oauth/access_token?grant_type=fb_exchange_token``), then read the
  Page access tokens of the Pages the user manages (``GET /me/accounts``).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
from pydantic import SecretStr

from ..credentials.configs import (
    GRAPH_API_VERSION,
    MASTODON_LOOPBACK,
    MASTODON_OOB,
    MASTODON_SCOPES,
)
from ..errors import ParseError
from ..platform import Call, Flow

__all__ = [
    "MastodonApp",
    "PageToken",
    "long_lived_token",
    "page_tokens",
    "register_mastodon_app",
]

GRAPH = "https://graph.facebook.com"


def _strings(items: Iterable[Any]) -> tuple[str, ...]:
    return tuple(str(item) for item in items)


@attrs.frozen
class MastodonApp:
    """An OAuth app registered on one Mastodon instance."""

    instance: str
    client_id: str
    client_secret: SecretStr = attrs.field(converter=SecretStr, repr=False)
    redirect_uris: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    scopes: tuple[str, ...] = attrs.field(default=(), converter=_strings)


def register_mastodon_app(
    instance: str,
    *,
    client_name: str = "socialkit",
    redirect_uris: Sequence[str] = (MASTODON_LOOPBACK, MASTODON_OOB),
    scopes: Sequence[str] = MASTODON_SCOPES,
    website: str | None = "https://socialkit.readthedocs.io",
) -> Flow[MastodonApp]:
    """Register an app on ``instance`` (``POST /api/v1/apps``), for the login that follows.

    The loopback redirect is registered without a port: Mastodon (Doorkeeper)
    accepts any port on a loopback redirect, as RFC 8252 §7.3 asks.
    """
    root = instance.rstrip("/")
    body: dict[str, Any] = {
        "client_name": client_name,
        "redirect_uris": list(redirect_uris),
        "scopes": " ".join(scopes),
    }
    if website:
        body["website"] = website
    response = yield Call(
        "POST", f"{root}/api/v1/apps", json=body, authenticated=False, bucket="oauth"
    )
    assert response is not None
    data = _json_object(response.json(), "mastodon")
    registered = data.get("redirect_uris") or str(data.get("redirect_uri", "")).split()
    try:
        return MastodonApp(
            root, str(data["client_id"]), str(data["client_secret"]), registered, scopes
        )
    except KeyError:
        raise ParseError(
            "the app registration answered without client credentials", platform="mastodon"
        ) from None


@attrs.frozen
class PageToken:
    """A Facebook Page the user manages, with its Page access token.

    Attributes:
        id: The Page id (the ``page_id`` setting).
        name: The Page's name.
        access_token: The Page access token (from a long-lived user token, it does not expire).
        category: The Page's category.
        tasks: What the user may do on the Page (``MANAGE``, ``CREATE_CONTENT``, ...).
        instagram_user_id: The linked Instagram professional account, when there is one.
    """

    id: str
    name: str
    access_token: SecretStr = attrs.field(converter=SecretStr, repr=False)
    category: str | None = None
    tasks: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    instagram_user_id: str | None = None


def long_lived_token(
    app_id: str,
    app_secret: SecretStr,
    short_lived: SecretStr,
    *,
    version: str = GRAPH_API_VERSION,
    graph: str = GRAPH,
) -> Flow[tuple[SecretStr, float | None]]:
    """Exchange a short-lived user token for a long-lived one (about 60 days).

    Returns the token and its expiry (Unix time) when Meta gives one.
    """
    response = yield Call(
        "GET",
        f"{graph}/{version}/oauth/access_token",
        params={
            "grant_type": "fb_exchange_token",
            "client_id": app_id,
            "client_secret": app_secret.get_secret_value(),
            "fb_exchange_token": short_lived.get_secret_value(),
        },
        authenticated=False,
        bucket="oauth",
    )
    assert response is not None
    data = _json_object(response.json(), "facebook")
    token = data.get("access_token")
    if not isinstance(token, str) or not token:
        raise ParseError("the token exchange answered without an access_token", platform="facebook")
    expires_in = data.get("expires_in")
    return SecretStr(token), time.time() + float(expires_in) if expires_in else None


def page_tokens(
    user_token: SecretStr,
    *,
    version: str = GRAPH_API_VERSION,
    graph: str = GRAPH,
) -> Flow[list[PageToken]]:
    """The Pages the user manages, each with its Page access token (``GET /me/accounts``)."""
    url: str | None = f"{graph}/{version}/me/accounts"
    params: dict[str, str] | None = {
        "fields": "id,name,access_token,category,tasks,instagram_business_account",
        "limit": "100",
    }
    headers = {"Authorization": f"Bearer {user_token.get_secret_value()}"}
    pages: list[PageToken] = []
    while url:
        response = yield Call("GET", url, params=params, headers=headers, authenticated=False)
        assert response is not None
        data = _json_object(response.json(), "facebook")
        for item in data.get("data", []):
            linked = item.get("instagram_business_account") or {}
            pages.append(
                PageToken(
                    str(item["id"]),
                    str(item.get("name", "")),
                    str(item["access_token"]),
                    item.get("category"),
                    item.get("tasks", ()),
                    str(linked["id"]) if "id" in linked else None,
                )
            )
        url = (data.get("paging") or {}).get("next")
        params = None  # the next URL carries its own query
    return pages


def _json_object(payload: Any, platform: str) -> dict[str, Any]:
    if not isinstance(payload, dict):
        raise ParseError("expected a JSON object", platform=platform)
    return payload
