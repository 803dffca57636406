"""Authentication: credentials, OAuth 2 logins with PKCE, OAuth 1.0a, token stores, profiles.

```python
from socialkit import auth

auth.login("mastodon", instance="mastodon.social", profile="brand")   # once
client = sk.connect("mastodon", profile="brand")                       # every run
```

Credentials authenticate requests (`BearerToken`, `OAuth2Token`,
`OAuth1Credential`, `AppPasswordSession`); refreshable ones renew themselves in
the drivers. Logins end in a `StoredProfile` saved in a `TokenStore`
(`FileTokenStore` by default), which `socialkit.connect(profile=...)` loads,
saving refreshed tokens back.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .configs import (
        LoginConfig,
        facebook_config,
        mastodon_config,
        reddit_config,
        x_config,
        youtube_config,
    )
    from .credentials import BearerToken, Credential, OAuth2Token, Refreshable
    from .exchanges import (
        MastodonApp,
        PageToken,
        long_lived_token,
        page_tokens,
        register_mastodon_app,
    )
    from .listener import LoopbackListener
    from .logins import (
        Interaction,
        authorize,
        login,
        login_bilibili,
        login_bluesky,
        login_douyin,
        login_mastodon,
        login_meta,
        login_oauth2,
        login_reddit,
        login_x,
        login_youtube,
        logout,
    )
    from .oauth1 import OAuth1Credential
    from .oauth2 import AuthorizationRequest, authorization_request, exchange_code, parse_redirect
    from .profiles import apply_profile, open_profile
    from .session import AppPasswordSession, SessionGrant
    from .stored import StoredProfile, StoredToken
    from .stores import (
        FileTokenStore,
        KeyringTokenStore,
        MemoryTokenStore,
        TokenStore,
        default_store,
    )

# Each public name and the submodule it lives in: imported on first use, so that the drivers
# (which need only the credential types) do not load the login flows.
_EXPORTS = {
    "AppPasswordSession": "session",
    "AuthorizationRequest": "oauth2",
    "BearerToken": "credentials",
    "Credential": "credentials",
    "FileTokenStore": "stores",
    "Interaction": "logins",
    "KeyringTokenStore": "stores",
    "LoginConfig": "configs",
    "LoopbackListener": "listener",
    "MastodonApp": "exchanges",
    "MemoryTokenStore": "stores",
    "OAuth1Credential": "oauth1",
    "OAuth2Token": "credentials",
    "PageToken": "exchanges",
    "Refreshable": "credentials",
    "SessionGrant": "session",
    "StoredProfile": "stored",
    "StoredToken": "stored",
    "TokenStore": "stores",
    "apply_profile": "profiles",
    "authorization_request": "oauth2",
    "authorize": "logins",
    "default_store": "stores",
    "exchange_code": "oauth2",
    "facebook_config": "configs",
    "login": "logins",
    "login_bilibili": "logins",
    "login_bluesky": "logins",
    "login_douyin": "logins",
    "login_mastodon": "logins",
    "login_meta": "logins",
    "login_oauth2": "logins",
    "login_reddit": "logins",
    "login_x": "logins",
    "login_youtube": "logins",
    "logout": "logins",
    "long_lived_token": "exchanges",
    "mastodon_config": "configs",
    "open_profile": "profiles",
    "page_tokens": "exchanges",
    "parse_redirect": "oauth2",
    "reddit_config": "configs",
    "register_mastodon_app": "exchanges",
    "x_config": "configs",
    "youtube_config": "configs",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value

__all__ = [
    "AppPasswordSession",
    "AuthorizationRequest",
    "BearerToken",
    "Credential",
    "FileTokenStore",
    "Interaction",
    "KeyringTokenStore",
    "LoginConfig",
    "LoopbackListener",
    "MastodonApp",
    "MemoryTokenStore",
    "OAuth1Credential",
    "OAuth2Token",
    "PageToken",
    "Refreshable",
    "SessionGrant",
    "StoredProfile",
    "StoredToken",
    "TokenStore",
    "apply_profile",
    "authorization_request",
    "authorize",
    "default_store",
    "exchange_code",
    "facebook_config",
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
    "long_lived_token",
    "mastodon_config",
    "open_profile",
    "page_tokens",
    "parse_redirect",
    "reddit_config",
    "register_mastodon_app",
    "x_config",
    "youtube_config",
]
