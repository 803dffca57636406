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

from ..credentials.configs import (
    LoginConfig,
    facebook_config,
    mastodon_config,
    reddit_config,
    x_config,
    youtube_config,
)
from ..credentials.core import BearerToken, Credential, OAuth2Token, Refreshable
from ..credentials.oauth1 import OAuth1Credential
from ..credentials.session import AppPasswordSession, SessionGrant
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
from .oauth2 import AuthorizationRequest, authorization_request, exchange_code, parse_redirect
from .profiles import apply_profile, open_profile
from .stored import StoredProfile, StoredToken
from .stores import (
    FileTokenStore,
    KeyringTokenStore,
    MemoryTokenStore,
    TokenStore,
    default_store,
)

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
