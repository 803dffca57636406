"""Reddit settings: the app, the way it logs in, the User-Agent Reddit requires, where posts go.

References: https://github.com/reddit-archive/reddit/wiki/OAuth2 (app types, grants, the
token endpoint) and https://github.com/reddit-archive/reddit/wiki/API (the User-Agent rule:
``<platform>:<app ID>:<version string> (by /u/<reddit username>)``).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, SecretStr, model_validator

from ...errors import ConfigError
from ...platform import PlatformSettings

__all__ = ["TOKEN_ENDPOINT", "RedditSettings"]

TOKEN_ENDPOINT = "https://www.reddit.com/api/v1/access_token"
"""Where Reddit issues and refreshes tokens (HTTP Basic client authentication)."""

_NAME = re.compile(r"^[A-Za-z0-9_-]{3,20}$")
_SUBREDDIT = re.compile(r"^(?:/?r/)?([A-Za-z0-9_]{2,21})/?$")


class RedditSettings(PlatformSettings):
    """How to reach one Reddit account.

    Give one way to log in: ``access_token`` (optionally with ``refresh_token`` from a
    web or installed app's ``duration=permanent`` login), or a script app's ``username``
    and ``password`` (the password grant; tokens then renew themselves every hour).

    Attributes:
        client_id: The app's id (under its name at reddit.com/prefs/apps).
        client_secret: The app's secret (none for installed apps).
        username: The Reddit account (without ``u/``); the password grant's user, and the
            ``(by /u/...)`` of the User-Agent.
        password: The account's password, for script apps only.
        access_token: A bearer token (one hour).
        refresh_token: Renews ``access_token`` at ``token_endpoint``; needs ``client_id``.
        expires_at: When ``access_token`` expires (Unix time), so it is refreshed ahead.
        user_agent: The complete User-Agent; else it is built as
            ``<user_agent_platform>:<app_id>:<app_version> (by /u/<username>)``.
        app_id: The app's unique name in the User-Agent (e.g. ``com.example.brandbot``).
        app_version: The app's version in the User-Agent.
        user_agent_platform: The platform part of the User-Agent.
        subreddit: Where posts go when a draft's ``options["subreddit"]`` does not say.
        mention_box: ``"mentions"`` (``/message/mentions``: username mentions only) or
            ``"inbox"`` (``/message/inbox``: also replies to the account's posts and
            comments, and private messages).
        media_wait: Seconds to wait between checks for an image or video post to appear.
        media_checks: How many times to look for an image or video post before giving up.
    """

    client_id: str | None = None
    client_secret: SecretStr | None = None
    username: str | None = Field(default=None, pattern=_NAME.pattern)
    password: SecretStr | None = None
    refresh_token: SecretStr | None = None
    expires_at: float | None = None
    token_endpoint: str = TOKEN_ENDPOINT

    user_agent: str | None = None
    app_id: str | None = None
    app_version: str = "1.0"
    user_agent_platform: str = "python"

    subreddit: str | None = None
    mention_box: Literal["mentions", "inbox"] = "mentions"
    media_wait: float = Field(default=3.0, ge=0)
    media_checks: int = Field(default=10, ge=0, le=100)

    @model_validator(mode="after")
    def _check(self) -> RedditSettings:
        self._check_login()
        if self.subreddit is not None and not _SUBREDDIT.match(self.subreddit):
            raise _error(f"subreddit {self.subreddit!r} is not a subreddit name", "subreddit")
        self.agent()  # refuse a missing User-Agent now, before any request
        return self

    def _check_login(self) -> None:
        password = self.username is not None and self.password is not None
        if self.access_token is None and self.refresh_token is None and not password:
            raise _error(
                "give access_token (and refresh_token), or username and password "
                "(a script app's password grant)",
                "access_token",
            )
        if self.password is not None and self.username is None:
            raise _error("password needs username", "username")
        if (self.refresh_token is not None or self.password is not None) and not self.client_id:
            raise _error("refresh_token and password need client_id (the app's id)", "client_id")
        if self.password is not None and self.client_secret is None:
            raise _error("the password grant needs client_secret (script apps have one)",
                         "client_secret")

    @property
    def password_grant(self) -> bool:
        """Whether tokens come from the script app's password grant."""
        return self.password is not None and self.refresh_token is None

    def agent(self) -> str:
        """The User-Agent Reddit requires; `ConfigError` when it cannot be built."""
        if self.user_agent is not None:
            if not self.user_agent.strip():
                raise _error("user_agent is empty", "user_agent")
            return self.user_agent.strip()
        if not self.app_id or not self.username:
            raise _error(
                "Reddit requires a User-Agent such as 'python:com.example.bot:1.0 (by /u/name)': "
                "give user_agent, or app_id and username",
                "user_agent",
            )
        version = f"{self.user_agent_platform}:{self.app_id}:{self.app_version}"
        return f"{version} (by /u/{self.username})"

    def target(self, given: object) -> str:
        """The subreddit name to post to: ``given`` (a draft option) or the setting."""
        name = given if given is not None else self.subreddit
        if not isinstance(name, str) or not name:
            raise _error(
                "no subreddit to post to: give options={'subreddit': ...} or the subreddit "
                "setting",
                "subreddit",
            )
        found = _SUBREDDIT.match(name)
        if found is None:
            raise _error(f"{name!r} is not a subreddit name", "subreddit")
        return found.group(1)


def _error(message: str, field: str) -> ConfigError:
    return ConfigError(f"reddit: {message}", field=field, platform="reddit")
