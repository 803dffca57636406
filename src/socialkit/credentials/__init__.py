"""Credential types: what the drivers attach to requests and refresh.

They sit below the drivers and the providers, and import neither, nor the login
flows and token stores of `socialkit.auth` (which build on them). Users reach them
as `socialkit.auth.BearerToken`, `socialkit.auth.OAuth2Token`, ...

- `core`: `Credential`, `Refreshable`, `BearerToken`, `OAuth2Token`, client authentication
- `session`: `AppPasswordSession` (Bluesky-style sessions)
- `oauth1`: `OAuth1Credential` (OAuth 1.0a signing)
- `configs`: `LoginConfig` and the platforms' OAuth endpoints and scopes
- `douyin`: Douyin's token type and token endpoints
"""
