"""The OAuth 2 authorization-code grant with PKCE, as data and flows (RFC 6749 §4.1, RFC 7636).

`authorization_request` makes the URL the user approves (a fresh ``state`` and
an S256 code challenge); `parse_redirect` reads what came back (a redirect URL,
its query, or a pasted code); `exchange_code` is the flow that swaps the code for
tokens at the token endpoint, so any `Client` runs it with its retries and logging.
"""

from __future__ import annotations

import functools
import hmac
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import attrs
from authlib.common.security import generate_token
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from pydantic import SecretStr

from ..credentials.configs import LoginConfig
from ..credentials.core import OAuth2Token, authenticate_client
from ..errors import AuthError, ParseError
from ..platform import Call, Flow, Platform, PlatformSettings

__all__ = [
    "AuthorizationRequest",
    "authorization_request",
    "exchange_code",
    "login_platform",
    "new_state",
    "parse_redirect",
    "platform_for_login",
]


@attrs.frozen
class AuthorizationRequest:
    """One pending authorization: the URL to open and what checks its answer.

    Attributes:
        url: The authorization URL for the user's browser.
        redirect_uri: The redirect URI it names (sent again with the code).
        state: The anti-forgery value the redirect must echo.
        code_verifier: The PKCE secret sent with the code, when PKCE is used.
    """

    url: str
    redirect_uri: str
    state: str = attrs.field(repr=False)
    code_verifier: SecretStr | None = attrs.field(default=None, repr=False)


def new_state() -> str:
    """A fresh, unguessable ``state`` value."""
    return str(generate_token(32))


def authorization_request(
    config: LoginConfig, redirect_uri: str, *, state: str | None = None
) -> AuthorizationRequest:
    """A fresh authorization request: a ``state`` (new unless given) and a PKCE verifier (S256)."""
    state = state or new_state()
    params: dict[str, str] = {
        "response_type": "code",
        "client_id": config.client_id,
        "redirect_uri": redirect_uri,
        "state": state,
    }
    if config.scopes:
        params["scope"] = config.scope_separator.join(config.scopes)
    verifier = None
    if config.pkce:
        verifier = str(generate_token(64))  # 43..128 unreserved characters (RFC 7636 §4.1)
        params["code_challenge"] = create_s256_code_challenge(verifier)
        params["code_challenge_method"] = "S256"
    params.update(config.extra_params)
    joiner = "&" if "?" in config.authorize_url else "?"
    url = config.authorize_url + joiner + urlencode(params, quote_via=quote)
    return AuthorizationRequest(url, redirect_uri, state, SecretStr(verifier) if verifier else None)


def parse_redirect(
    answer: str | dict[str, str], request: AuthorizationRequest, *, platform: str | None = None
) -> str:
    """The authorization code from a redirect: its query parameters, its URL, or a bare code.

    Raises `AuthError` when the server reported an error, when the ``state``
    is missing or does not match, or when there is no code. Only a bare pasted
    code (as Mastodon's out-of-band page shows it) has no state to check.
    """
    params = _answer_params(answer) if isinstance(answer, str) else dict(answer)
    bare = isinstance(answer, str) and params == {"code": answer.strip()}
    if "error" in params:
        detail = params.get("error_description") or params["error"]
        raise AuthError(
            f"authorization was not granted: {detail}", platform=platform, code=params["error"]
        )
    if not bare and not hmac.compare_digest(params.get("state", ""), request.state):
        raise AuthError(
            "the redirect carried the wrong state (another login attempt, or a forged "
            "request); start the login again",
            platform=platform,
        )
    code = params.get("code")
    if not code:
        raise AuthError("the redirect carried no authorization code", platform=platform)
    return code


def exchange_code(
    config: LoginConfig, code: str, request: AuthorizationRequest
) -> Flow[OAuth2Token]:
    """Exchange an authorization code for tokens at ``config.token_url`` (RFC 6749 §4.1.3).

    The resulting `OAuth2Token` knows its token endpoint and client, so it can
    refresh itself later.
    """
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": request.redirect_uri}
    if request.code_verifier is not None:
        form["code_verifier"] = request.code_verifier.get_secret_value()
    headers = {"Accept": "application/json", **config.headers}
    authenticate_client(form, headers, config.client_id, config.client_secret, config.auth_method)
    post = config.token_method == "POST"
    response = yield Call(
        config.token_method,
        config.token_url,
        data=form if post else None,
        params=None if post else form,
        headers=headers,
        authenticated=False,
        idempotent=True,  # a code is single-use: a replay is refused, never doubled
        bucket="oauth",
    )
    assert response is not None
    try:
        payload = response.json()
    except (ValueError, RecursionError):
        raise ParseError(
            "the token endpoint answered with no JSON",
            platform=config.platform,
            status=response.status_code,
        ) from None
    if not isinstance(payload, dict):
        raise ParseError(
            "the token endpoint answered with no JSON object", platform=config.platform
        )
    token = OAuth2Token(
        None,
        token_endpoint=config.token_url,
        client_id=config.client_id or None,
        client_secret=config.client_secret,
        scope=" ".join(config.scopes) or None,
        platform=config.platform,
        auth_method=config.auth_method,
    )
    token.update(payload)
    return token


def _answer_params(text: str) -> dict[str, str]:
    """Parameters from a pasted redirect URL, a query string, or a bare code."""
    text = text.strip()
    is_url = "://" in text
    params = dict(parse_qsl(urlsplit(text).query if is_url else text.lstrip("?")))
    if is_url or "code" in params or "error" in params:
        return params
    return {"code": text} if text else {}


@functools.cache
def login_platform(name: str) -> type[Platform]:
    """A bare `Platform` named ``name``, to run login flows on a `Client` before any profile."""
    return type(f"Login{name.title().replace('-', '')}", (Platform,), {"name": name})


def platform_for_login(name: str) -> Platform:
    """An instance of `login_platform` with empty settings."""
    return login_platform(name)(PlatformSettings())
