"""Login configurations as data: where a platform authorizes, where it issues tokens, what scopes.

`LoginConfig` describes an OAuth 2 authorization-code login; the functions here
build the ready ones. Every endpoint follows the platform's official reference:

- Mastodon: ``POST /api/v1/apps`` (app registration), ``GET /oauth/authorize``,
  ``POST /oauth/token`` (PKCE since Mastodon 4.3); docs.joinmastodon.org/methods/apps,
  /methods/oauth.
- X: ``https://x.com/i/oauth2/authorize`` and ``POST https://api.x.com/2/oauth2/token``;
  confidential clients authenticate with HTTP Basic (docs.x.com, "OAuth 2.0
  Authorization Code Flow with PKCE").
- Meta (Facebook Login): ``https://www.facebook.com/{v}/dialog/oauth`` and
  ``GET https://graph.facebook.com/{v}/oauth/access_token``.
- Google (YouTube): ``https://accounts.google.com/o/oauth2/v2/auth`` and
  ``POST https://oauth2.googleapis.com/token``, PKCE, ``access_type=offline`` for a refresh
  token; developers.google.com/identity/protocols/oauth2/native-app.
- Reddit: ``https://www.reddit.com/api/v1/authorize`` (``duration=permanent`` for a refresh
  token; no PKCE) and ``POST https://www.reddit.com/api/v1/access_token`` with HTTP Basic
  client authentication and the app's User-Agent (github.com/reddit-archive/reddit/wiki/OAuth2).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

import attrs
from pydantic import SecretStr

from .core import ClientAuthMethod

__all__ = [
    "DEFAULT_REDIRECT_URI",
    "FACEBOOK_SCOPES",
    "GRAPH_API_VERSION",
    "INSTAGRAM_SCOPES",
    "MASTODON_LOOPBACK",
    "MASTODON_OOB",
    "MASTODON_SCOPES",
    "REDDIT_SCOPES",
    "X_SCOPES",
    "YOUTUBE_SCOPES",
    "LoginConfig",
    "facebook_config",
    "mastodon_config",
    "reddit_config",
    "x_config",
    "youtube_config",
]

DEFAULT_REDIRECT_URI = "http://127.0.0.1:8765/callback"
"""The fixed loopback redirect for platforms that match it exactly (register it in the app)."""

MASTODON_OOB = "urn:ietf:wg:oauth:2.0:oob"
"""Mastodon's out-of-band redirect: the server shows the code for the user to paste."""

MASTODON_LOOPBACK = "http://127.0.0.1/callback"
"""Registered for Mastodon apps; Doorkeeper ignores the port of loopback redirects (RFC 8252)."""

MASTODON_SCOPES = ("read", "write")

X_SCOPES = (
    "tweet.read",
    "tweet.write",
    "tweet.moderate.write",
    "users.read",
    "like.read",
    "like.write",
    "media.write",
    "offline.access",
)
"""Read and post, hide replies, like, upload media, and ``offline.access`` for a refresh token."""

GRAPH_API_VERSION = "v25.0"

FACEBOOK_SCOPES = (
    "pages_show_list",
    "pages_read_engagement",
    "pages_read_user_content",
    "pages_manage_posts",
    "pages_manage_engagement",
    "read_insights",
)

REDDIT_SCOPES = (
    "identity",
    "edit",
    "submit",
    "read",
    "history",
    "mysubreddits",
    "privatemessages",
    "modposts",
)
"""The account, posting and editing, reading, the inbox, moderating; for the Reddit provider."""

INSTAGRAM_SCOPES = (
    "pages_show_list",
    "business_management",
    "instagram_basic",
    "instagram_content_publish",
    "instagram_manage_comments",
    "instagram_manage_insights",
)


YOUTUBE_SCOPES = (
    "https://www.googleapis.com/auth/youtube.upload",
    "https://www.googleapis.com/auth/youtube.force-ssl",
    "https://www.googleapis.com/auth/yt-analytics.readonly",
)
"""Upload videos; read, edit, delete, rate and moderate; read YouTube Analytics."""


def _secret(value: SecretStr | str | None) -> SecretStr | None:
    return SecretStr(value) if isinstance(value, str) else value


def _strings(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(items)


@attrs.frozen
class LoginConfig:
    """One platform's OAuth 2 authorization-code login.

    Attributes:
        authorize_url: Where the user's browser is sent to approve.
        token_url: Where the code is exchanged for tokens.
        scopes: The scopes requested.
        client_id: The app's client id.
        client_secret: The app's secret, for confidential clients (never shown).
        extra_params: More query parameters for the authorization URL.
        platform: The platform name the login is for (errors and profiles name it).
        pkce: Whether to send an S256 PKCE challenge (RFC 7636).
        auth_method: How the client authenticates at the token endpoint.
        token_method: ``"POST"`` (RFC 6749) or ``"GET"`` (Meta's documented form).
        scope_separator: How scopes are joined (a space, per RFC 6749).
        redirect_uri: A fixed loopback redirect URI, for platforms that match it exactly;
            ``None`` listens on a free port.
        manual_redirect_uri: The redirect URI for the manual (paste) mode, when it differs.
        headers: Headers the token requests carry (Reddit requires the app's User-Agent).
    """

    authorize_url: str
    token_url: str
    scopes: Sequence[str] = attrs.field(default=(), converter=_strings)
    client_id: str = ""
    client_secret: SecretStr | None = attrs.field(default=None, converter=_secret, repr=False)
    extra_params: Mapping[str, str] = attrs.field(factory=dict)
    platform: str = attrs.field(default="oauth2", kw_only=True)
    pkce: bool = attrs.field(default=True, kw_only=True)
    auth_method: ClientAuthMethod = attrs.field(default="client_secret_post", kw_only=True)
    token_method: Literal["POST", "GET"] = attrs.field(default="POST", kw_only=True)
    scope_separator: str = attrs.field(default=" ", kw_only=True)
    redirect_uri: str | None = attrs.field(default=None, kw_only=True)
    manual_redirect_uri: str | None = attrs.field(default=None, kw_only=True)
    headers: Mapping[str, str] = attrs.field(factory=dict, kw_only=True)


def mastodon_config(
    instance: str,
    client_id: str,
    client_secret: SecretStr | str,
    *,
    scopes: Sequence[str] = MASTODON_SCOPES,
) -> LoginConfig:
    """Mastodon's login on ``instance`` for a registered app (see `register_mastodon_app`)."""
    root = instance.rstrip("/")
    return LoginConfig(
        f"{root}/oauth/authorize",
        f"{root}/oauth/token",
        scopes,
        client_id,
        client_secret,
        platform="mastodon",
        manual_redirect_uri=MASTODON_OOB,
    )


def x_config(
    client_id: str,
    client_secret: SecretStr | str | None = None,
    *,
    scopes: Sequence[str] = X_SCOPES,
    redirect_uri: str = DEFAULT_REDIRECT_URI,
) -> LoginConfig:
    """X's OAuth 2 PKCE login; a confidential client (with a secret) uses HTTP Basic.

    ``redirect_uri`` must be registered exactly as the app's callback URL in the
    X developer console.
    """
    return LoginConfig(
        "https://x.com/i/oauth2/authorize",
        "https://api.x.com/2/oauth2/token",
        scopes,
        client_id,
        client_secret,
        platform="x",
        auth_method="client_secret_basic" if client_secret else "none",
        redirect_uri=redirect_uri,
    )


def facebook_config(
    app_id: str,
    app_secret: SecretStr | str,
    *,
    scopes: Sequence[str] = FACEBOOK_SCOPES,
    redirect_uri: str = DEFAULT_REDIRECT_URI,
    version: str = GRAPH_API_VERSION,
    platform: str = "facebook",
) -> LoginConfig:
    """Facebook Login for a Meta app; the short-lived user token it gives is then exchanged.

    ``redirect_uri`` must be listed in the app's "Valid OAuth Redirect URIs".
    """
    return LoginConfig(
        f"https://www.facebook.com/{version}/dialog/oauth",
        f"https://graph.facebook.com/{version}/oauth/access_token",
        scopes,
        app_id,
        app_secret,
        platform=platform,
        pkce=False,
        token_method="GET",
        scope_separator=",",
        redirect_uri=redirect_uri,
    )


def youtube_config(
    client_id: str,
    client_secret: SecretStr | str | None = None,
    *,
    scopes: Sequence[str] = YOUTUBE_SCOPES,
    redirect_uri: str | None = None,
) -> LoginConfig:
    """Google's OAuth 2 login with PKCE for a YouTube channel.

    A "Desktop app" OAuth client of the Google Cloud project accepts a loopback redirect
    on any port (the default: a free port). ``access_type=offline`` and ``prompt=consent``
    make Google issue a refresh token.
    """
    return LoginConfig(
        "https://accounts.google.com/o/oauth2/v2/auth",
        "https://oauth2.googleapis.com/token",
        scopes,
        client_id,
        client_secret,
        extra_params={"access_type": "offline", "prompt": "consent"},
        platform="youtube",
        auth_method="client_secret_post" if client_secret else "none",
        redirect_uri=redirect_uri,
    )


def reddit_config(
    client_id: str,
    client_secret: SecretStr | str | None = None,
    *,
    user_agent: str,
    scopes: Sequence[str] = REDDIT_SCOPES,
    redirect_uri: str = DEFAULT_REDIRECT_URI,
) -> LoginConfig:
    """Reddit's login for a web or installed app, asking for a permanent (refreshable) token.

    Reddit authenticates every client with HTTP Basic (an installed app's secret is
    empty) and wants the app's User-Agent on the token request too. ``redirect_uri``
    must be the app's registered redirect URI, exactly.
    """
    return LoginConfig(
        "https://www.reddit.com/api/v1/authorize",
        "https://www.reddit.com/api/v1/access_token",
        scopes,
        client_id,
        client_secret if client_secret is not None else SecretStr(""),
        {"duration": "permanent"},
        platform="reddit",
        pkce=False,
        auth_method="client_secret_basic",
        redirect_uri=redirect_uri,
        headers={"User-Agent": user_agent},
    )


def weibo_config(
    app_key: str,
    app_secret: SecretStr | str,
    *,
    redirect_uri: str = DEFAULT_REDIRECT_URI,
    scopes: Sequence[str] = (),
) -> LoginConfig:
    """Weibo's authorization-code login (no PKCE; ``client_id``/``client_secret`` in the form).

    Sources: https://open.weibo.com/wiki/Oauth2/authorize and
    https://open.weibo.com/wiki/Oauth2/access_token. ``redirect_uri`` must equal the
    app's 授权回调页; ``scopes`` are comma-separated (none are needed to share).
    """
    return LoginConfig(
        "https://api.weibo.com/oauth2/authorize",
        "https://api.weibo.com/oauth2/access_token",
        scopes,
        app_key,
        app_secret,
        platform="weibo",
        pkce=False,
        scope_separator=",",
        redirect_uri=redirect_uri,
    )


LINKEDIN_SCOPES = ("w_member_social",)
"""Enough to post as the member; an organization page needs ``w_organization_social``."""


def linkedin_config(
    client_id: str,
    client_secret: SecretStr | str,
    *,
    scopes: Sequence[str] = LINKEDIN_SCOPES,
    redirect_uri: str = DEFAULT_REDIRECT_URI,
) -> LoginConfig:
    """LinkedIn's 3-legged OAuth 2.0 (authorization code; the secret in the token form).

    Source: https://learn.microsoft.com/en-us/linkedin/shared/authentication/authorization-code-flow
    (``GET oauth/v2/authorization``, then ``POST oauth/v2/accessToken`` with
    ``grant_type``, ``code``, ``client_id``, ``client_secret`` and ``redirect_uri``).
    ``redirect_uri`` must be one of the app's authorized redirect URLs, exactly.
    """
    return LoginConfig(
        "https://www.linkedin.com/oauth/v2/authorization",
        "https://www.linkedin.com/oauth/v2/accessToken",
        scopes,
        client_id,
        client_secret,
        platform="linkedin",
        pkce=False,
        redirect_uri=redirect_uri,
    )


THREADS_SCOPES = (
    "threads_basic", "threads_content_publish", "threads_manage_replies",
    "threads_read_replies", "threads_manage_insights",
)  # fmt: skip
"""Read, publish, reply, read replies and insights."""


def threads_config(
    app_id: str,
    app_secret: SecretStr | str,
    *,
    redirect_uri: str,
    scopes: Sequence[str] = THREADS_SCOPES,
) -> LoginConfig:
    """The Threads Authorization Window (authorization code, comma-separated scopes).

    Source: https://developers.facebook.com/docs/threads/get-started/get-access-tokens-and-permissions
    (``threads.net/oauth/authorize``, then ``POST graph.threads.net/oauth/access_token``
    with ``client_id``, ``client_secret``, ``grant_type``, ``redirect_uri`` and ``code``).
    ``redirect_uri`` must be one of the app's valid OAuth redirect URIs (HTTPS), exactly.
    The code gives a short-lived token (one hour); `socialkit.auth.login` exchanges it.
    """
    return LoginConfig(
        "https://threads.net/oauth/authorize",
        "https://graph.threads.net/oauth/access_token",
        scopes,
        app_id,
        app_secret,
        platform="threads",
        pkce=False,
        scope_separator=",",
        redirect_uri=redirect_uri,
    )
