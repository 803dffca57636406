"""``socialkit auth login | list | logout``: the command-line side of the logins.

Secrets are never taken from the command line (other users can see it in the
process list): they come from ``SOCIALKIT_<PLATFORM>_<FIELD>`` environment
variables or a hidden prompt.
"""

from __future__ import annotations

import argparse
import getpass
import os
import time
from collections.abc import Callable
from typing import Any

import attrs

from ..errors import ConfigError
from .logins import login, logout
from .stored import StoredProfile
from .stores import FileTokenStore, TokenStore

__all__ = ["add_auth_commands", "handle_list", "handle_login", "handle_logout"]

LOGIN_PLATFORMS = (
    "mastodon", "x", "facebook", "instagram", "bluesky", "youtube", "reddit", "douyin", "bilibili",
    "weibo", "linkedin", "threads", "tiktok",
)
"""The platforms with a login flow; every other installed platform connects with settings."""

_LOOPBACK_REDIRECTS = ("x", "facebook", "instagram", "youtube", "reddit", "weibo", "linkedin")

ask_secret = getpass.getpass
"""Reads a secret without echo (replaced in tests)."""


def add_auth_commands(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """Add ``auth login | list | logout`` to the ``socialkit`` command line."""
    auth = subparsers.add_parser("auth", help="log in to platforms and manage saved profiles")
    commands = auth.add_subparsers(dest="auth_command", required=True)

    login_parser = commands.add_parser(
        "login",
        help="log in and save a profile",
        description="Log in and save a profile for sk.connect(PLATFORM, profile=NAME). "
        "Secrets come from SOCIALKIT_<PLATFORM>_<FIELD> variables or a hidden prompt.",
    )
    login_parser.add_argument(
        "platform",
        choices=_platform_names(),
        help=f"one with a login: {', '.join(sorted(LOGIN_PLATFORMS))}; the others connect "
        "with their settings",
    )
    login_parser.add_argument("--profile", help="the profile name (default: the platform)")
    login_parser.add_argument(
        "--manual", action="store_true", help="paste the redirect URL or code (headless machines)"
    )
    login_parser.add_argument(
        "--no-browser", action="store_true", help="print the URL without opening a browser"
    )
    login_parser.add_argument(
        "--timeout",
        type=float,
        default=300.0,
        help="seconds to wait for the redirect (default 300)",
    )
    login_parser.add_argument("--instance", help="mastodon: the server, e.g. mastodon.social")
    login_parser.add_argument(
        "--client-id",
        help="x, youtube, reddit, linkedin: the OAuth 2 client id; meta, threads: the app id",
    )
    login_parser.add_argument(
        "--redirect-uri",
        help="x, meta, youtube, reddit, weibo, linkedin: the registered loopback callback URL; "
        "douyin, threads, tiktok: the app's registered HTTPS redirect",
    )
    login_parser.add_argument("--client-key", help="douyin, tiktok: the app's client_key")
    login_parser.add_argument("--app-key", help="weibo: the app's App Key")
    login_parser.add_argument(
        "--author", help="linkedin: who posts, urn:li:person:ID or urn:li:organization:ID"
    )
    login_parser.add_argument(
        "--return-url", help="bilibili: the app's registered authorization callback"
    )
    login_parser.add_argument(
        "--user-agent",
        help="reddit: the app's User-Agent, e.g. 'python:com.example.bot:1.0 (by /u/name)'",
    )
    login_parser.add_argument(
        "--script",
        action="store_true",
        help="reddit: a script app: save username and password (the password grant)",
    )
    login_parser.add_argument("--username", help="reddit: the account, for --script")
    login_parser.add_argument("--scopes", help="space-separated scopes (default: the platform's)")
    login_parser.add_argument("--page-id", help="facebook, instagram: the Page to use")
    login_parser.add_argument(
        "--user-token",
        action="store_true",
        help="facebook, instagram: paste a user token, skip the browser",
    )
    login_parser.add_argument("--handle", help="bluesky: the handle, e.g. brand.bsky.social")
    login_parser.add_argument(
        "--service",
        default="https://bsky.social",
        help="bluesky: the PDS (default https://bsky.social)",
    )
    login_parser.add_argument("--store", help="the token store file (default: the user config)")
    login_parser.set_defaults(run=handle_login)

    list_parser = commands.add_parser("list", help="list the saved profiles")
    list_parser.add_argument("--store", help="the token store file (default: the user config)")
    list_parser.set_defaults(run=handle_list)

    logout_parser = commands.add_parser("logout", help="forget a saved profile")
    logout_parser.add_argument("profile")
    logout_parser.add_argument("--store", help="the token store file (default: the user config)")
    logout_parser.set_defaults(run=handle_logout)


@attrs.frozen
class _Ask:
    """One login setting: from its command-line flag, else asked for (``SOCIALKIT_*`` first).

    ``setting`` is the name it is asked for by (``option`` by default); a ``secret`` is
    never echoed nor taken from a flag; an ``optional`` secret left empty is ``None``.
    """

    option: str
    label: str
    flag: str | None = None
    setting: str | None = None
    secret: bool = False
    optional: bool = False

    def answer(self, platform: str, args: argparse.Namespace) -> str | None:
        """The flag's value, the ``SOCIALKIT_*`` setting, or what the user types."""
        name = self.setting or self.option
        if self.secret:
            typed = _secret(platform, name, self.label)
            return typed or None if self.optional else typed
        given = getattr(args, self.flag, None) if self.flag else None
        return given or _value(platform, name, self.label)


_CLIENT_ID = _Ask("client_id", "Client ID", flag="client_id")
_CLIENT_KEY = _Ask("client_key", "Client key", flag="client_key")
_SECRET = _Ask("client_secret", "Client secret: ", secret=True)
_HTTPS_REDIRECT = _Ask("redirect_uri", "Registered HTTPS redirect URI", flag="redirect_uri")
_META = (
    _Ask("app_id", "App ID", flag="client_id"),
    _Ask("app_secret", "App secret: ", secret=True),
)
_BLUESKY = (
    _Ask("handle", "Handle", flag="handle"),
    _Ask("app_password", "App password: ", secret=True),
)
_ASKS: dict[str, tuple[_Ask, ...]] = {
    "mastodon": (_Ask("instance", "Instance", flag="instance"),),
    "x": (
        _CLIENT_ID,
        _Ask("client_secret", "Client secret (empty for a public client): ", secret=True,
             optional=True),
    ),
    "youtube": (
        _CLIENT_ID,
        _Ask("client_secret", "Client secret (empty for none): ", secret=True, optional=True),
    ),
    "reddit": (
        _CLIENT_ID,
        _Ask("client_secret", "Client secret (empty for an installed app): ", secret=True,
             optional=True),
        _Ask("user_agent", "User-Agent", flag="user_agent"),
    ),
    "douyin": (_CLIENT_KEY, _SECRET, _HTTPS_REDIRECT),
    "tiktok": (_CLIENT_KEY, _SECRET, _HTTPS_REDIRECT),
    "bilibili": (
        _CLIENT_ID,
        _Ask("client_secret", "App secret: ", setting="app_secret", secret=True),
        _Ask("return_url", "Registered return URL", flag="return_url"),
    ),
    "threads": (
        _Ask("app_id", "Threads app ID", flag="client_id"),
        _Ask("app_secret", "Threads app secret: ", secret=True),
        _HTTPS_REDIRECT,
    ),
    "linkedin": (
        _CLIENT_ID,
        _SECRET,
        _Ask("author", "Author (urn:li:person:ID or urn:li:organization:ID)", flag="author"),
    ),
    "weibo": (_Ask("app_key", "App Key", flag="app_key"),
              _Ask("app_secret", "App Secret: ", secret=True)),
    "facebook": _META,
    "instagram": _META,
}
"""What each platform's login asks for, in order (Bluesky's is `_BLUESKY`)."""


def handle_login(args: argparse.Namespace) -> int:
    """``socialkit auth login PLATFORM``."""
    platform: str = args.platform
    if platform not in LOGIN_PLATFORMS:
        raise ConfigError(_no_login(platform), field="platform")
    options: dict[str, Any] = {"store": _store(args)}
    if args.profile:
        options["profile"] = args.profile
    if platform != "bluesky":
        options.update(manual=args.manual, open_browser=not args.no_browser, timeout=args.timeout)
    if args.scopes and platform != "bluesky":
        options["scopes"] = args.scopes.split()
    for ask in _ASKS.get(platform, _BLUESKY):
        options[ask.option] = ask.answer(platform, args)
    if platform == "bluesky":
        options["service"] = args.service
    elif platform == "reddit" and args.script:
        options["username"] = args.username or _value(platform, "username", "Username")
        options["password"] = _secret(platform, "password", "Password: ")
        for key in ("manual", "open_browser", "timeout", "scopes"):
            options.pop(key, None)
    elif platform in ("facebook", "instagram"):
        if args.page_id:
            options["page_id"] = args.page_id
        if args.user_token:
            options["user_token"] = _secret(platform, "user_token", "Short-lived user token: ")
    if args.redirect_uri and platform in _LOOPBACK_REDIRECTS:
        options["redirect_uri"] = args.redirect_uri
    login(platform, **options)
    return 0


def _platform_names() -> list[str]:
    """The installed platforms' names (from the entry points: nothing is imported)."""
    from importlib.metadata import entry_points

    from ..registry import GROUP

    return sorted({ep.name for ep in entry_points(group=GROUP)} | set(LOGIN_PLATFORMS))


def _no_login(platform: str) -> str:
    """Why ``platform`` has no ``auth login``, and how to connect to it instead."""
    from ..registry import load_platform

    settings = load_platform(platform).Settings
    needed = [name for name, field in settings.model_fields.items() if field.is_required()]
    variables = ", ".join(f"SOCIALKIT_{platform.upper()}_{name.upper()}" for name in needed)
    return (
        f"{platform} has no login flow in socialkit: connect with its settings instead, "
        f"sk.connect({platform!r}, {', '.join(f'{n}=...' for n in needed)}) or the "
        f"environment variables {variables} (the platform's docs page says where to get them)"
    )


def handle_list(args: argparse.Namespace) -> int:
    """``socialkit auth list``: profile, platform, account and token state; never a secret."""
    store = _store(args)
    rows = [
        (name, stored)
        for name in store.list()
        if (stored := store.load(name)) is not None and stored.kind == "profile"
    ]
    if not rows:
        print("no saved profiles; log in with: socialkit auth login PLATFORM")
        return 0
    width = max(len(name) for name, _ in rows)
    for name, stored in rows:
        print(f"{name:<{width}}  {stored.platform:<10} {_account(stored):<32} {_state(stored)}")
    return 0


def handle_logout(args: argparse.Namespace) -> int:
    """``socialkit auth logout PROFILE``."""
    if logout(args.profile, _store(args)):
        print(f"forgot profile {args.profile!r}")
        return 0
    print(f"no saved profile {args.profile!r}")
    return 1


# -- helpers -------------------------------------------------------------------------------


def _store(args: argparse.Namespace) -> TokenStore:
    return FileTokenStore(args.store) if getattr(args, "store", None) else FileTokenStore()


def _env(platform: str, field: str) -> str | None:
    return os.environ.get(f"SOCIALKIT_{platform.upper()}_{field.upper()}") or None


def _value(platform: str, field: str, label: str) -> str:
    value = _env(platform, field) or _ask(platform, field, lambda: input(f"{label}: "))
    if not value:
        raise ConfigError(f"{field} is required", field=field, platform=platform)
    return value


def _secret(platform: str, field: str, label: str) -> str:
    return _env(platform, field) or _ask(platform, field, lambda: ask_secret(label))


def _ask(platform: str, field: str, prompt: Callable[[], str]) -> str:
    """What the user types; without a terminal (input at its end), a `ConfigError` saying
    where else the value can come from, never an ``EOFError`` traceback."""
    try:
        return prompt().strip()
    except EOFError:
        variable = f"SOCIALKIT_{platform.upper()}_{field.upper()}"
        raise ConfigError(
            f"{field} is needed and nothing answered the prompt: set {variable}",
            field=field,
            platform=platform,
        ) from None


def _account(stored: StoredProfile) -> str:
    settings = stored.settings
    for key in ("handle", "page_name", "instance", "page_id", "user_id", "username", "open_id"):
        if isinstance(settings.get(key), str) and settings[key]:
            return str(settings[key])
    return "-"


def _state(stored: StoredProfile) -> str:
    token = stored.token
    if token is None or token.expires_at is None:
        return "token does not expire"
    left = token.expires_at - time.time()
    renew = ", renews itself" if token.refreshable else ""
    if left <= 0:
        return "token expired" + (renew or "; log in again")
    return f"token expires in {_duration(left)}{renew}"


def _duration(seconds: float) -> str:
    if seconds >= 86400:
        return f"{seconds / 86400:.0f} d"
    if seconds >= 3600:
        return f"{seconds / 3600:.0f} h"
    return f"{max(seconds / 60, 1):.0f} min"
