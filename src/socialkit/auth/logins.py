"""Interactive logins that end in a saved profile, for scripts, notebooks and the CLI.

```python
from socialkit import auth

auth.login("mastodon", instance="mastodon.social", profile="brand")
client = sk.connect("mastodon", profile="brand")
```

An OAuth 2 login prints the authorization URL (and opens it in a browser when
one is available), receives the redirect on a one-shot loopback listener, and
exchanges the code through a `Client`. With ``manual=True`` (headless machines,
remote notebooks) the user pastes the redirected URL or the code instead.
"""

from __future__ import annotations

import os
import sys
import time
import webbrowser
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypedDict, Unpack
from urllib.parse import urlencode, urlsplit

import attrs
import httpx
from pydantic import SecretStr

from ..client import Client
from ..credentials.configs import (
    DEFAULT_REDIRECT_URI,
    FACEBOOK_SCOPES,
    INSTAGRAM_SCOPES,
    MASTODON_SCOPES,
    REDDIT_SCOPES,
    X_SCOPES,
    YOUTUBE_SCOPES,
    LoginConfig,
    facebook_config,
    linkedin_config,
    mastodon_config,
    reddit_config,
    threads_config,
    weibo_config,
    x_config,
    youtube_config,
)
from ..credentials.core import OAuth2Token
from ..credentials.douyin import DOUYIN_SCOPES, douyin_authorize_url, exchange_douyin_code
from ..errors import AuthError, ConfigError, ParseError
from ..steps import Call, Flow
from .bilibili import REFRESH_URL, bilibili_authorize_url, exchange_bilibili_code
from .exchanges import MastodonApp, PageToken, long_lived_token, page_tokens, register_mastodon_app
from .listener import LoopbackListener
from .oauth2 import (
    AuthorizationRequest,
    authorization_request,
    exchange_code,
    new_state,
    parse_redirect,
    platform_for_login,
)
from .stored import StoredProfile, check_profile_name
from .stores import TokenStore, default_store

__all__ = [
    "Interaction",
    "LoginOptions",
    "authorize",
    "login",
    "login_bilibili",
    "login_bluesky",
    "login_douyin",
    "login_mastodon",
    "login_meta",
    "login_oauth2",
    "login_reddit",
    "login_x",
    "login_youtube",
    "logout",
]


@attrs.frozen
class Interaction:
    """How a login talks to the person logging in.

    Attributes:
        manual: Paste the redirect URL or code instead of running a loopback listener.
        open_browser: Open the authorization URL with `webbrowser` (when a browser is
            available), or a callable that receives the URL.
        timeout: Seconds the loopback listener waits for the redirect.
        prompt: Asks a question and returns the answer (`input` by default).
        echo: Shows a line (`print` by default).
    """

    manual: bool = False
    open_browser: bool | Callable[[str], object] = True
    timeout: float = 300.0
    prompt: Callable[[str], str] = input
    echo: Callable[[str], None] = print


class LoginOptions(TypedDict, total=False):
    """The keyword options every login function accepts."""

    profile: str
    store: TokenStore
    transport: httpx.BaseTransport
    manual: bool
    open_browser: bool | Callable[[str], object]
    timeout: float
    prompt: Callable[[str], str]
    echo: Callable[[str], None]


# -- the generic OAuth 2 login -------------------------------------------------------------


def authorize(config: LoginConfig, client: Client, ui: Interaction | None = None) -> OAuth2Token:
    """Run the authorization-code login of ``config`` and return the token (nothing is saved)."""
    ui = ui or Interaction()
    answer: str | dict[str, str]
    if ui.manual:
        redirect_uri = config.manual_redirect_uri or config.redirect_uri or DEFAULT_REDIRECT_URI
        request = authorization_request(config, redirect_uri)
        ui.echo(
            f"Open this URL in a browser and approve access to {config.platform}:\n"
            f"  {request.url}\n"
            "Then paste the address the browser was sent to (it may fail to load; "
            "copy it anyway), or the code the page shows."
        )
        answer = ui.prompt("Redirect URL or code: ")
    else:
        host, port, path = _loopback(config.redirect_uri)
        state = new_state()
        with LoopbackListener(
            state, host=host, port=port, path=path, timeout=ui.timeout
        ) as listener:
            redirect_uri = config.redirect_uri or listener.redirect_uri  # as registered
            request = authorization_request(config, redirect_uri, state=state)
            ui.echo(
                f"Open this URL in a browser and approve access to {config.platform}:\n"
                f"  {request.url}\n"
                f"Waiting for the redirect to {redirect_uri} ..."
            )
            _open(request.url, ui.open_browser)
            answer = listener.wait()
    code = parse_redirect(answer, request, platform=config.platform)
    return client.run(exchange_code(config, code, request))


def login_oauth2(
    config: LoginConfig,
    *,
    settings: Mapping[str, Any] | None = None,
    **options: Unpack[LoginOptions],
) -> StoredProfile:
    """Log in with any OAuth 2 provider and save the profile (``settings`` are saved with it)."""
    name, store, ui = _common(config.platform, options)
    with _client(config.platform, options) as client:
        token = authorize(config, client, ui)
    stored = StoredProfile(platform=config.platform, settings=dict(settings or {}))
    return _save(store, name, stored.with_token(token), ui)


# -- per platform --------------------------------------------------------------------------


def login_mastodon(
    instance: str,
    *,
    scopes: Sequence[str] = MASTODON_SCOPES,
    client_name: str = "socialkit",
    **options: Unpack[LoginOptions],
) -> StoredProfile:
    """Log in to a Mastodon account: register the app once per instance, then OAuth 2 + PKCE.

    The app registration is cached in the store (as ``app:mastodon:HOST``) and
    reused by later logins on the same instance.
    """
    root = _instance_root(instance)
    name, store, ui = _common("mastodon", options)
    with _client("mastodon", options) as client:
        app = _mastodon_app(store, root, scopes, client_name, client)
        token = authorize(
            mastodon_config(root, app.client_id, app.client_secret, scopes=scopes), client, ui
        )
    stored = StoredProfile(platform="mastodon", settings={"instance": root})
    return _save(store, name, stored.with_token(token), ui)


def login_x(
    client_id: str,
    client_secret: SecretStr | str | None = None,
    *,
    scopes: Sequence[str] = X_SCOPES,
    redirect_uri: str = DEFAULT_REDIRECT_URI,
    **options: Unpack[LoginOptions],
) -> StoredProfile:
    """Log in to X with OAuth 2 + PKCE (the refresh token comes with ``offline.access``).

    ``redirect_uri`` must be registered as a callback URL of the app in the X
    developer console.
    """
    config = x_config(client_id, client_secret, scopes=scopes, redirect_uri=redirect_uri)
    return login_oauth2(config, **options)


def login_youtube(
    client_id: str,
    client_secret: SecretStr | str | None = None,
    *,
    scopes: Sequence[str] = YOUTUBE_SCOPES,
    redirect_uri: str | None = None,
    **options: Unpack[LoginOptions],
) -> StoredProfile:
    """Log in to a YouTube channel with Google's OAuth 2 + PKCE (with a refresh token).

    ``client_id``/``client_secret`` are those of a "Desktop app" OAuth client of the
    Google Cloud project that enabled the YouTube Data and Analytics APIs.
    """
    config = youtube_config(client_id, client_secret, scopes=scopes, redirect_uri=redirect_uri)
    return login_oauth2(config, **options)


def login_douyin(
    client_key: str,
    client_secret: SecretStr | str,
    *,
    redirect_uri: str,
    scopes: Sequence[str] = DOUYIN_SCOPES,
    **options: Unpack[LoginOptions],
) -> StoredProfile:
    """Log in to a Douyin account (抖音) and save ``access_token``, ``open_id``, the refresh
    token, their expiries and the granted ``scope`` as the profile's settings.

    Douyin redirects only to the app's registered HTTPS address, so the login is manual:
    the user opens the printed URL, scans the QR code with the Douyin app, approves, and
    pastes the address the browser was sent to (or the ``code`` in it).
    """
    secret = SecretStr(client_secret) if isinstance(client_secret, str) else client_secret
    name, store, ui = _common("douyin", options)
    state = new_state()
    url = douyin_authorize_url(client_key, redirect_uri, state, scopes)
    ui.echo(
        "Open this URL in a browser, scan the QR code with the Douyin app and approve:\n"
        f"  {url}\n"
        "Then paste the address the browser was sent to (or the code in it)."
    )
    request = AuthorizationRequest(url=url, redirect_uri=redirect_uri, state=state)
    code = parse_redirect(ui.prompt("Redirect URL or code: "), request, platform="douyin")
    with _client("douyin", options) as client:
        data = client.run(exchange_douyin_code(client_key, secret, code))
    now = time.time()
    settings: dict[str, Any] = {
        "access_token": SecretStr(str(data["access_token"])),
        "open_id": str(data["open_id"]),
        "client_key": client_key,
        "client_secret": secret,
        "scope": data.get("scope"),
    }
    if data.get("expires_in"):
        settings["expires_at"] = now + float(data["expires_in"])
    if data.get("refresh_token"):
        settings["refresh_token"] = SecretStr(str(data["refresh_token"]))
    if data.get("refresh_expires_in"):
        settings["refresh_expires_at"] = now + float(data["refresh_expires_in"])
    return _save(store, name, StoredProfile(platform="douyin", settings=settings), ui)


def login_bilibili(
    client_id: str,
    client_secret: SecretStr | str,
    *,
    return_url: str,
    **options: Unpack[LoginOptions],
) -> StoredProfile:
    """Log in to a Bilibili account and save the token with the app's keys.

    Bilibili sends the user to the app's registered ``return_url``, so the login is manual:
    open the printed URL, approve, and paste the address the browser was sent to. The token
    is saved as the profile's token: its single-use refresh token is replaced under the
    store's lock at each refresh, so two processes never spend it twice.
    """
    secret = SecretStr(client_secret) if isinstance(client_secret, str) else client_secret
    name, store, ui = _common("bilibili", options)
    state = new_state()
    url = bilibili_authorize_url(client_id, return_url, state)
    ui.echo(
        "Open this URL in a browser and approve the app on Bilibili:\n"
        f"  {url}\n"
        "Then paste the address the browser was sent to (or the code in it)."
    )
    request = AuthorizationRequest(url=url, redirect_uri=return_url, state=state)
    code = parse_redirect(ui.prompt("Redirect URL or code: "), request, platform="bilibili")
    with _client("bilibili", options) as client:
        data = client.run(exchange_bilibili_code(client_id, secret, code))
    token = OAuth2Token(
        None, token_endpoint=REFRESH_URL, client_id=client_id, client_secret=secret,
        platform="bilibili",
    )
    token.update(dict(data))
    stored = StoredProfile(
        platform="bilibili", settings={"client_id": client_id, "app_secret": secret}
    )
    return _save(store, name, stored.with_token(token), ui)


def login_meta(
    app_id: str,
    app_secret: SecretStr | str,
    *,
    platform: str = "facebook",
    page_id: str | None = None,
    user_token: SecretStr | str | None = None,
    scopes: Sequence[str] | None = None,
    redirect_uri: str = DEFAULT_REDIRECT_URI,
    **options: Unpack[LoginOptions],
) -> StoredProfile:
    """Log in to a Facebook Page (``platform="facebook"``) or its Instagram account.

    The short-lived user token comes from Facebook Login in the browser, or is
    given as ``user_token`` (for example from the Graph API Explorer). It is
    exchanged for a long-lived one, whose Page access token (which does not
    expire) is saved. ``page_id`` picks the Page; without it a single Page is
    taken and several are offered to choose from.
    """
    if platform not in ("facebook", "instagram"):
        raise ConfigError(
            f"login_meta logs in to facebook or instagram, not {platform!r}", field="platform"
        )
    secret = SecretStr(app_secret) if isinstance(app_secret, str) else app_secret
    name, store, ui = _common(platform, options)
    with _client(platform, options) as client:
        if user_token is None:
            default_scopes = FACEBOOK_SCOPES if platform == "facebook" else INSTAGRAM_SCOPES
            config = facebook_config(
                app_id,
                secret,
                scopes=scopes or default_scopes,
                redirect_uri=redirect_uri,
                platform=platform,
            )
            short = authorize(config, client, ui).access_token
            assert short is not None
        else:
            short = SecretStr(user_token) if isinstance(user_token, str) else user_token
        long_lived, _expires = client.run(long_lived_token(app_id, secret, short))
        pages = client.run(page_tokens(long_lived))
    page = _choose_page(pages, page_id, platform, ui)
    settings: dict[str, Any] = {
        "access_token": page.access_token,
        "app_secret": secret,  # for appsecret_proof on every Graph call
        "page_name": page.name,
    }
    if platform == "facebook":
        settings["page_id"] = page.id
    else:
        settings["user_id"] = page.instagram_user_id
    return _save(store, name, StoredProfile(platform=platform, settings=settings), ui)


def login_bluesky(
    handle: str,
    app_password: SecretStr | str,
    *,
    service: str = "https://bsky.social",
    profile: str | None = None,
    store: TokenStore | None = None,
    echo: Callable[[str], None] = print,
) -> StoredProfile:
    """Save a Bluesky handle and app password (no OAuth: the provider opens the session)."""
    stored = StoredProfile(
        platform="bluesky",
        settings={
            "handle": handle.lstrip("@"),
            "app_password": app_password,
            "service": service,
        },
    )
    return _save(
        store or default_store(),
        check_profile_name(profile or "bluesky"),
        stored,
        Interaction(echo=echo),
    )


def login_reddit(
    client_id: str,
    client_secret: SecretStr | str | None = None,
    *,
    user_agent: str,
    username: str | None = None,
    password: SecretStr | str | None = None,
    scopes: Sequence[str] = REDDIT_SCOPES,
    redirect_uri: str = DEFAULT_REDIRECT_URI,
    **options: Unpack[LoginOptions],
) -> StoredProfile:
    """Log in to Reddit and save the profile, with the app's User-Agent saved alongside.

    A web or installed app logs in in the browser with ``duration=permanent``, so the
    saved token renews itself. A script app gives ``username`` and ``password`` instead:
    they are saved (the password as a secret) and the provider asks for tokens by the
    password grant. ``redirect_uri`` must be the app's registered redirect URI, exactly.
    """
    if not user_agent.strip():
        raise ConfigError(
            "reddit: the login needs the app's User-Agent, e.g. "
            "'python:com.example.bot:1.0 (by /u/name)'",
            field="user_agent",
            platform="reddit",
        )
    settings: dict[str, Any] = {"user_agent": user_agent.strip(), "client_id": client_id}
    if password is not None:
        if not username or client_secret is None:
            raise ConfigError(
                "reddit: the password grant (a script app) needs username and client_secret",
                field="username" if not username else "client_secret",
                platform="reddit",
            )
        settings.update(username=username, password=password, client_secret=client_secret)
        return _save(
            options.get("store") or default_store(),
            check_profile_name(options.get("profile") or "reddit"),
            StoredProfile(platform="reddit", settings=settings),
            Interaction(echo=options.get("echo", print)),
        )
    config = reddit_config(
        client_id, client_secret, user_agent=user_agent.strip(), scopes=scopes,
        redirect_uri=redirect_uri,
    )
    return login_oauth2(config, settings=settings, **options)


def login(platform: str | LoginConfig, /, **options: Any) -> StoredProfile:
    """Log in to ``platform`` and save the profile; the options are those of its function.

    ``"mastodon"`` → `login_mastodon`, ``"x"`` → `login_x`, ``"facebook"`` and
    ``"instagram"`` → `login_meta`, ``"bluesky"`` → `login_bluesky`, ``"youtube"`` →
    `login_youtube`, ``"reddit"`` → `login_reddit`, ``"douyin"`` → `login_douyin`,
    ``"bilibili"`` → `login_bilibili`. With Weibo's, Threads' and LinkedIn's endpoints,
    ``login_oauth2`` runs ``"weibo"`` (``app_key``, ``app_secret``, ``redirect_uri``,
    ``scopes``), ``"threads"`` (``app_id``, ``app_secret``, ``redirect_uri``: the app's
    HTTPS redirect, ``scopes``; the token is exchanged for a long-lived one) and
    ``"linkedin"`` (``client_id``, ``client_secret``, ``author``: the member or
    organization URN, ``redirect_uri``, ``scopes``); ``"tiktok"`` (``client_key``,
    ``client_secret``, ``redirect_uri``: the app's HTTPS redirect, ``scopes``) pastes the
    redirect as Douyin's does. A
    `LoginConfig` → `login_oauth2`.
    """
    if isinstance(platform, LoginConfig):
        return login_oauth2(platform, **options)
    if platform == "mastodon":
        return login_mastodon(**options)
    if platform == "x":
        return login_x(**options)
    if platform in ("facebook", "instagram"):
        return login_meta(platform=platform, **options)
    if platform == "bluesky":
        return login_bluesky(**options)
    if platform == "youtube":
        return login_youtube(**options)
    if platform == "reddit":
        return login_reddit(**options)
    if platform == "douyin":
        return login_douyin(**options)
    if platform == "bilibili":
        return login_bilibili(**options)
    if platform == "linkedin":
        saved: dict[str, Any] = {
            k: options.pop(k) for k in ("author", "client_id", "client_secret") if k in options
        }
        config = linkedin_config(
            saved["client_id"],
            saved["client_secret"],
            redirect_uri=options.pop("redirect_uri", None) or DEFAULT_REDIRECT_URI,
            **({"scopes": options.pop("scopes")} if "scopes" in options else {}),
        )
        return login_oauth2(config, settings=saved, **options)
    if platform == "threads":
        return _login_threads(**options)
    if platform == "tiktok":
        return _login_tiktok(**options)
    if platform == "weibo":
        keys: dict[str, Any] = {
            k: options.pop(k) for k in ("app_key", "app_secret") if k in options
        }
        config = weibo_config(
            keys["app_key"],
            keys["app_secret"],
            redirect_uri=options.pop("redirect_uri", None) or DEFAULT_REDIRECT_URI,
            scopes=options.pop("scopes", ()),
        )
        return login_oauth2(config, settings=keys, **options)
    raise ConfigError(
        f"no interactive login for {platform!r}; pass a LoginConfig, or connect with a token",
        field="platform",
    )


def _login_threads(
    app_id: str,
    app_secret: SecretStr | str,
    *,
    redirect_uri: str,
    scopes: Sequence[str] | None = None,
    **options: Unpack[LoginOptions],
) -> StoredProfile:
    """Threads: the Authorization Window, then the short-lived token exchanged for a
    long-lived one (60 days; ``GET graph.threads.net/access_token``,
    ``grant_type=th_exchange_token``), saved with ``user_id="me"``."""
    secret = SecretStr(app_secret) if isinstance(app_secret, str) else app_secret
    name, store, ui = _common("threads", options)
    config = threads_config(app_id, secret, redirect_uri=redirect_uri)
    if scopes:
        config = attrs.evolve(config, scopes=tuple(scopes))
    with _client("threads", options) as client:
        short = authorize(config, client, ui).access_token
        assert short is not None
        long_lived = client.run(_threads_long_lived(secret, short))
    settings = {"access_token": long_lived, "user_id": "me"}
    return _save(store, name, StoredProfile(platform="threads", settings=settings), ui)


TIKTOK_AUTHORIZE = "https://www.tiktok.com/v2/auth/authorize/"
TIKTOK_TOKEN = "https://open.tiktokapis.com/v2/oauth/token/"
TIKTOK_SCOPES = ("user.info.basic", "user.info.profile", "user.info.stats", "video.list",
                 "video.publish")  # fmt: skip


def _login_tiktok(
    client_key: str,
    client_secret: SecretStr | str,
    *,
    redirect_uri: str,
    scopes: Sequence[str] = TIKTOK_SCOPES,
    **options: Unpack[LoginOptions],
) -> StoredProfile:
    """TikTok's Login Kit for Web: the app is ``client_key``, the redirect is the app's
    registered HTTPS address, so the user pastes where the browser was sent.

    Reference: https://developers.tiktok.com/doc/login-kit-web and
    https://developers.tiktok.com/doc/oauth-user-access-token-management
    (``POST open.tiktokapis.com/v2/oauth/token/``, a form with ``client_key``,
    ``client_secret``, ``code``, ``grant_type`` and ``redirect_uri``).
    """
    secret = SecretStr(client_secret) if isinstance(client_secret, str) else client_secret
    name, store, ui = _common("tiktok", options)
    state = new_state()
    query = {
        "client_key": client_key,
        "response_type": "code",
        "scope": ",".join(scopes),
        "redirect_uri": redirect_uri,
        "state": state,
    }
    url = f"{TIKTOK_AUTHORIZE}?{urlencode(query)}"
    ui.echo(
        "Open this URL in a browser and approve access to tiktok:\n"
        f"  {url}\n"
        "Then paste the address the browser was sent to (or the code in it)."
    )
    request = AuthorizationRequest(url=url, redirect_uri=redirect_uri, state=state)
    code = parse_redirect(ui.prompt("Redirect URL or code: "), request, platform="tiktok")
    with _client("tiktok", options) as client:
        data = client.run(_tiktok_code(client_key, secret, code, redirect_uri))
    settings: dict[str, Any] = {
        "access_token": SecretStr(str(data["access_token"])),
        "client_key": client_key,
        "client_secret": secret,
    }
    if data.get("expires_in"):
        settings["expires_at"] = time.time() + float(data["expires_in"])
    if data.get("refresh_token"):
        settings["refresh_token"] = SecretStr(str(data["refresh_token"]))
    return _save(store, name, StoredProfile(platform="tiktok", settings=settings), ui)


def _tiktok_code(
    client_key: str, secret: SecretStr, code: str, redirect_uri: str
) -> Flow[dict[str, Any]]:
    response = yield Call(
        "POST",
        TIKTOK_TOKEN,
        data={
            "client_key": client_key,
            "client_secret": secret.get_secret_value(),
            "code": code,
            "grant_type": "authorization_code",
            "redirect_uri": redirect_uri,
        },
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        authenticated=False,
        idempotent=True,  # a code is single-use: a replay is refused, never doubled
        bucket="oauth",
    )
    assert response is not None
    data = response.json()
    if not isinstance(data, dict):
        raise ParseError("the token endpoint answered with no JSON object", platform="tiktok")
    if data.get("error") or not data.get("access_token"):
        reason = data.get("error_description") or data.get("error") or "no access_token"
        raise AuthError(f"the code exchange was refused: {reason}", platform="tiktok")
    return data


def _threads_long_lived(secret: SecretStr, short: SecretStr) -> Flow[SecretStr]:
    response = yield Call(
        "GET",
        "https://graph.threads.net/access_token",
        params={
            "grant_type": "th_exchange_token",
            "client_secret": secret.get_secret_value(),
            "access_token": short.get_secret_value(),
        },
        authenticated=False,
        idempotent=True,
        bucket="oauth",
    )
    assert response is not None
    data = response.json()
    token = data.get("access_token") if isinstance(data, dict) else None
    if not isinstance(token, str) or not token:
        raise ParseError("the token exchange answered without an access_token", platform="threads")
    return SecretStr(token)


def logout(profile: str, store: TokenStore | None = None) -> bool:
    """Forget a saved profile; False when there was none of that name."""
    store = store or default_store()
    found = store.load(check_profile_name(profile)) is not None
    store.delete(profile)
    return found


# -- helpers -------------------------------------------------------------------------------


def _common(platform: str, options: LoginOptions) -> tuple[str, TokenStore, Interaction]:
    name = check_profile_name(options.get("profile") or platform)
    ui = Interaction(
        manual=options.get("manual", False),
        open_browser=options.get("open_browser", True),
        timeout=options.get("timeout", 300.0),
        prompt=options.get("prompt", input),
        echo=options.get("echo", print),
    )
    return name, options.get("store") or default_store(), ui


def _client(platform: str, options: LoginOptions) -> Client:
    return Client(platform_for_login(platform), transport=options.get("transport"))


def _save(store: TokenStore, name: str, stored: StoredProfile, ui: Interaction) -> StoredProfile:
    store.save(name, stored)
    ui.echo(f"Saved {stored.platform} login as profile {name!r}.")
    return stored


def _loopback(redirect_uri: str | None) -> tuple[str, int, str]:
    """(host, port, path) to listen on for a fixed loopback redirect URI (``localhost`` is
    served on 127.0.0.1); a free port on 127.0.0.1 when there is none."""
    if redirect_uri is None:
        return "127.0.0.1", 0, "/callback"
    parts = urlsplit(redirect_uri)
    if parts.scheme != "http" or not parts.hostname:
        raise ConfigError(
            f"the redirect URI {redirect_uri!r} is not a loopback http URI; use manual=True",
            field="redirect_uri",
        )
    host = "127.0.0.1" if parts.hostname == "localhost" else parts.hostname
    return host, parts.port or 80, parts.path or "/"


def _open(url: str, how: bool | Callable[[str], object]) -> None:
    if callable(how):
        how(url)
    elif how and _has_browser():
        webbrowser.open(url)


def _has_browser() -> bool:
    """A graphical browser is likely there (never a console browser that would take the TTY)."""
    if os.environ.get("SOCIALKIT_NO_BROWSER"):
        return False
    if os.environ.get("BROWSER") or sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _instance_root(instance: str) -> str:
    text = instance.strip().rstrip("/")
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if not parts.hostname:
        raise ConfigError(f"not a Mastodon instance: {instance!r}", field="instance")
    return f"{parts.scheme}://{parts.netloc.lower()}"


def _mastodon_app(
    store: TokenStore, root: str, scopes: Sequence[str], client_name: str, client: Client
) -> MastodonApp:
    key = "app:mastodon:" + urlsplit(root).netloc
    cached = store.load(key)
    if cached is not None:
        values = cached.plain_settings()
        if set(scopes) <= set(values.get("scopes", ())):
            return MastodonApp(
                root,
                values["client_id"],
                values["client_secret"],
                values.get("redirect_uris", ()),
                values["scopes"],
            )
    app = client.run(register_mastodon_app(root, client_name=client_name, scopes=scopes))
    store.save(
        key,
        StoredProfile(
            platform="mastodon",
            kind="app",
            settings={
                "instance": root,
                "client_id": app.client_id,
                "client_secret": app.client_secret,
                "redirect_uris": list(app.redirect_uris),
                "scopes": list(app.scopes),
            },
        ),
    )
    return app


def _choose_page(
    pages: list[PageToken], page_id: str | None, platform: str, ui: Interaction
) -> PageToken:
    if platform == "instagram":
        pages = [page for page in pages if page.instagram_user_id]
    if page_id is not None:
        for page in pages:
            if page_id in (page.id, page.instagram_user_id):
                return page
        raise AuthError(f"the login does not manage page {page_id!r}", platform=platform)
    if not pages:
        what = "a Page with a linked Instagram account" if platform == "instagram" else "a Page"
        raise AuthError(f"the login manages no {what}", platform=platform)
    if len(pages) == 1:
        return pages[0]
    for number, page in enumerate(pages, 1):
        ui.echo(f"  {number}. {page.name} ({page.id})")
    answer = ui.prompt("Which Page? Number: ").strip()
    if not answer.isdigit() or not 1 <= int(answer) <= len(pages):
        raise ConfigError(f"no Page number {answer!r}", field="page_id", platform=platform)
    return pages[int(answer) - 1]
