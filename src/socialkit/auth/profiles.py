"""Saved profiles at connect time: their settings, their credential, and write-back on refresh.

`socialkit.connect("x", profile="brand")` calls `open_profile`, merges
`ProfileBinding.settings_for` under the explicit settings, builds the platform,
then `ProfileBinding.bind` gives it the stored OAuth 2 token, so a refresh
(and a rotated refresh token) is written back to the store.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import logging
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from ..credentials.core import BearerToken, Credential, OAuth2Token
from ..errors import ConfigError, SocialkitError
from .stored import StoredProfile, StoredToken, check_profile_name
from .stores import TokenStore, default_store

if TYPE_CHECKING:
    from ..platform import Platform

__all__ = ["ProfileBinding", "apply_profile", "open_profile"]

logger = logging.getLogger("socialkit")


class ProfileBinding:
    """One saved profile opened for a connection."""

    def __init__(self, name: str, stored: StoredProfile, store: TokenStore) -> None:
        self.name = name
        self.stored = stored
        self.store = store

    def __repr__(self) -> str:
        return f"ProfileBinding({self.name!r}, platform={self.stored.platform!r})"

    def settings_for(self, cls: type[Platform]) -> dict[str, Any]:
        """The saved settings the platform's settings model knows (secrets revealed)."""
        known = cls.Settings.model_fields
        return {
            key: value
            for key, value in self.stored.plain_settings().items()
            if key in known and value is not None
        }

    def bind(self, platform: Platform) -> Credential | None:
        """Give ``platform`` the saved token and persist its refreshes (see `apply_profile`)."""
        return apply_profile(platform, self.stored, profile=self.name, store=self.store)


def open_profile(name: str, platform: str, store: TokenStore | None = None) -> ProfileBinding:
    """The saved profile ``name`` for ``platform``; `ConfigError` when missing or for another."""
    store = store or default_store()
    stored = store.load(check_profile_name(name))
    if stored is None or stored.kind != "profile":
        saved = ", ".join(n for n in store.list() if not n.startswith("app:")) or "none"
        raise ConfigError(
            f"no saved profile {name!r} (saved: {saved}); log in first: "
            f"socialkit auth login {platform} --profile {name}",
            field="profile",
            platform=platform,
        )
    if stored.platform != platform:
        raise ConfigError(
            f"profile {name!r} is a {stored.platform} login, not {platform}",
            field="profile",
            platform=platform,
        )
    return ProfileBinding(name, stored, store)


def apply_profile(
    platform: Platform, stored: StoredProfile, *, profile: str, store: TokenStore
) -> Credential | None:
    """Give ``platform`` the profile's renewable OAuth 2 token; return the credential bound.

    - When the platform already built an `OAuth2Token` (from its settings), the
      stored refresh fields it lacks are filled in.
    - When it uses the default credential (a bearer token from ``access_token``),
      the stored token replaces it.
    - Any other credential (OAuth 1.0a, an app-password session) is left alone.
    - A renewable `OAuth2Token` the platform built from the profile's settings (Douyin
      keeps its tokens as settings) is bound even without a stored token.

    Each refresh of the bound token is saved back to ``store`` under ``profile``.
    """
    token = stored.token if stored.token is not None and stored.token.refreshable else None
    credential = platform.credential
    if isinstance(credential, OAuth2Token):
        if token is not None:
            _fill(credential, token)
        elif credential.refresh_token is None or credential.token_endpoint is None:
            return None  # nothing renewable: nothing to write back
    elif token is None:
        return None
    elif (credential is None or isinstance(credential, BearerToken)) and _replaceable(platform):
        credential = token.credential(platform.name)
        vars(platform)["credential"] = credential  # what cached_property would have cached
    else:
        return None
    shared = _SharedProfile(profile, store, stored)
    credential.shared = shared.scope
    credential.on_refresh.append(shared.save)
    credential.on_reauth_required.append(_warn_reauth(profile, stored.platform))
    return credential


def _replaceable(platform: Platform) -> bool:
    """Whether ``credential`` is a cached property, so an instance value overrides it."""
    attribute = inspect.getattr_static(type(platform), "credential", None)
    return isinstance(attribute, functools.cached_property)


def _fill(credential: OAuth2Token, token: StoredToken) -> None:
    if credential.refresh_token is None:
        credential.refresh_token = token.refresh_token
        credential.expires_at = credential.expires_at or token.expires_at
    credential.token_endpoint = credential.token_endpoint or token.token_endpoint
    credential.client_id = credential.client_id or token.client_id
    credential.client_secret = credential.client_secret or token.client_secret
    if credential.client_secret is token.client_secret:
        credential.auth_method = token.auth_method


class _SharedProfile:
    """A saved token that several processes may refresh: each refresh holds the store's lock.

    Inside the lock, the token saved by another process since we last looked is
    taken first; if it is still fresh no request is made, and a rotated refresh
    token is never spent twice.
    """

    def __init__(self, profile: str, store: TokenStore, stored: StoredProfile) -> None:
        self.profile = profile
        self.store = store
        self.fallback = stored
        self.seen = stored.updated_at

    @contextlib.contextmanager
    def scope(self, credential: OAuth2Token) -> Iterator[None]:
        """Hold the store's lock (when it has one) and take a newer saved token."""
        with contextlib.ExitStack() as stack:
            latest: StoredProfile | None = None
            try:
                hold = getattr(self.store, "locked", None)
                if callable(hold):
                    stack.enter_context(hold())
                latest = self.store.load(self.profile)
            except (OSError, SocialkitError) as error:
                logger.warning(
                    "could not read profile %r before refreshing (%s)",
                    self.profile,
                    type(error).__name__,
                )
            if latest is not None and latest.token is not None and latest.updated_at > self.seen:
                _take(credential, latest.token)
                self.seen = latest.updated_at
            yield

    def save(self, token: OAuth2Token) -> None:
        """Write a refreshed token back (a failure is logged: the token works in memory)."""
        try:
            current = self.store.load(self.profile) or self.fallback
            updated = current.with_token(token)
            self.store.save(self.profile, updated)
            self.seen = updated.updated_at
        except (OSError, SocialkitError) as error:
            # the new token still works in memory; the next run refreshes again if it can
            logger.warning(
                "could not save the refreshed token of profile %r (%s)",
                self.profile,
                type(error).__name__,
            )


def _take(credential: OAuth2Token, token: StoredToken) -> None:
    """Use the token another process saved."""
    if token.access_token is not None:
        credential.access_token = token.access_token
        credential.expires_at = token.expires_at
    if token.refresh_token is not None:
        credential.refresh_token = token.refresh_token


def _warn_reauth(profile: str, platform: str) -> Callable[[SocialkitError], None]:
    def warn(error: SocialkitError) -> None:
        logger.warning(
            "profile %r needs a new login: socialkit auth login %s --profile %s",
            profile,
            platform,
            profile,
        )

    return warn
