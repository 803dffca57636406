"""A real OAuth 2 authorization server for the tests, assembled from authlib's server parts.

authlib's framework-agnostic `AuthorizationServer` with `AuthorizationCodeGrant`
(+ `CodeChallenge`, PKCE required for public clients) and `RefreshTokenGrant`
(rotating: every refresh issues a new refresh token and revokes the old one),
a `ResourceProtector` with a bearer validator, simple in-memory models, and a
tiny `http.server` adapter serving it all on 127.0.0.1:

- ``GET  /authorize``  approves at once for user "alice" (the test plays the browser)
- ``POST /token``      the token endpoint
- ``GET  /api/me``     a protected resource
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import httpx
from authlib.common.security import generate_token
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import (
    AuthorizationCodeGrant,
    AuthorizationCodeMixin,
    AuthorizationServer,
    ClientMixin,
    OAuth2Payload,
    OAuth2Request,
    ResourceProtector,
    TokenMixin,
)
from authlib.oauth2.rfc6749.grants import RefreshTokenGrant
from authlib.oauth2.rfc6750 import BearerTokenGenerator, BearerTokenValidator
from authlib.oauth2.rfc7636 import CodeChallenge

USER = "alice"
CLIENT_ID = "socialkit-cli"


# -- models --------------------------------------------------------------------------------


@dataclass
class Client(ClientMixin):
    client_id: str
    client_secret: str | None
    redirect_uris: list[str]
    scope: str = "read write offline"
    grant_types: tuple[str, ...] = ("authorization_code", "refresh_token")

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope: str | None) -> str:
        allowed = set(self.scope.split())
        return " ".join(s for s in (scope or "").split() if s in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        """Exact match, except the port of a loopback redirect (RFC 8252 §7.3)."""
        wanted = urlsplit(redirect_uri)
        for registered in map(urlsplit, self.redirect_uris):
            if registered.hostname == "127.0.0.1" == wanted.hostname:
                if (registered.scheme, registered.path) == (wanted.scheme, wanted.path):
                    return True
            elif registered.geturl() == redirect_uri:
                return True
        return False

    def check_client_secret(self, client_secret: str) -> bool:
        return self.client_secret is not None and client_secret == self.client_secret

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        if self.client_secret is None:
            return method == "none"
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in self.grant_types


@dataclass
class AuthorizationCode(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: str
    code_challenge: str | None
    code_challenge_method: str | None

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope


@dataclass
class Token(TokenMixin):
    access_token: str
    refresh_token: str | None
    client_id: str
    scope: str
    user: str
    expires_in: int
    issued_at: float = field(default_factory=time.time)
    revoked: bool = False

    def check_client(self, client: Client) -> bool:
        return client.client_id == self.client_id

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return self.expires_in

    def is_expired(self) -> bool:
        return self.issued_at + self.expires_in < time.time()

    def is_revoked(self) -> bool:
        return self.revoked


@dataclass
class Database:
    clients: dict[str, Client] = field(default_factory=dict)
    codes: dict[str, AuthorizationCode] = field(default_factory=dict)
    tokens: list[Token] = field(default_factory=list)
    challenges: list[tuple[str | None, str | None]] = field(default_factory=list)
    log: list[tuple[str, str]] = field(default_factory=list)  # (method, path) of each request

    def by_access(self, value: str) -> Token | None:
        return next((t for t in self.tokens if t.access_token == value), None)

    def by_refresh(self, value: str) -> Token | None:
        return next((t for t in self.tokens if t.refresh_token == value), None)

    def expire_access_tokens(self) -> None:
        """Age every access token past its lifetime (server side only)."""
        for token in self.tokens:
            token.issued_at -= token.expires_in + 1


# -- grants --------------------------------------------------------------------------------


class CodeGrant(AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = [
        "client_secret_basic",
        "client_secret_post",
        "none",
    ]

    def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
        data = request.payload.data
        self.server.db.challenges.append(
            (data.get("code_challenge"), data.get("code_challenge_method"))
        )
        self.server.db.codes[code] = AuthorizationCode(
            code,
            request.client.client_id,
            request.payload.redirect_uri,
            request.scope,
            request.user,
            data.get("code_challenge"),
            data.get("code_challenge_method"),
        )

    def query_authorization_code(self, code: str, client: Client) -> AuthorizationCode | None:
        found = self.server.db.codes.get(code)
        return found if found is not None and found.client_id == client.client_id else None

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        self.server.db.codes.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code: AuthorizationCode) -> str:
        return authorization_code.user


class RotatingRefreshGrant(RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = [
        "client_secret_basic",
        "client_secret_post",
        "none",
    ]
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token: str) -> Token | None:
        token = self.server.db.by_refresh(refresh_token)
        return token if token is not None and not token.revoked else None

    def authenticate_user(self, refresh_token: Token) -> str:
        return refresh_token.user

    def revoke_old_credential(self, refresh_token: Token) -> None:
        refresh_token.revoked = True


# -- the authlib server, adapted to http.server ------------------------------------------


class Payload(OAuth2Payload):
    def __init__(self, values: dict[str, list[str]]) -> None:
        self._datalist = defaultdict(list, values)

    @property
    def data(self) -> dict[str, str]:
        return {key: values[0] for key, values in self._datalist.items()}

    @property
    def datalist(self) -> defaultdict[str, list[str]]:
        return self._datalist


class Request(OAuth2Request):
    """An authlib request built from what http.server parsed."""

    def __init__(self, method: str, uri: str, headers: Any, body: bytes) -> None:
        super().__init__(method, uri, headers=headers)
        self._args = parse_qs(urlsplit(uri).query)
        self._form = parse_qs(body.decode()) if body else {}
        self.payload = Payload({**self._args, **self._form})

    @property
    def args(self) -> dict[str, str]:
        return {key: values[0] for key, values in self._args.items()}

    @property
    def form(self) -> dict[str, str]:
        return {key: values[0] for key, values in self._form.items()}


Answer = tuple[int, Any, list[tuple[str, str]]]


class Server(AuthorizationServer):
    def __init__(self, db: Database, expires_in: int) -> None:
        super().__init__(scopes_supported=["read", "write", "offline"])
        self.db = db
        self.register_token_generator(
            "default",
            BearerTokenGenerator(
                lambda *a, **k: generate_token(42),
                lambda *a, **k: generate_token(48),
                lambda client, grant_type: expires_in,
            ),
        )
        self.register_grant(CodeGrant, [CodeChallenge(required=True)])
        self.register_grant(RotatingRefreshGrant)

    def query_client(self, client_id: str) -> Client | None:
        return self.db.clients.get(client_id)

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        self.db.tokens.append(
            Token(
                token["access_token"],
                token.get("refresh_token"),
                request.client.client_id,
                token.get("scope", ""),
                request.user,
                token["expires_in"],
            )
        )

    def create_oauth2_request(self, request: Request) -> Request:
        return request

    def create_json_request(self, request: Request) -> Request:
        return request

    def handle_response(self, status: int, body: Any, headers: list[tuple[str, str]]) -> Answer:
        return status, body, list(headers)

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        pass


class Validator(BearerTokenValidator):
    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db

    def authenticate_token(self, token_string: str) -> Token | None:
        return self.db.by_access(token_string)


class AuthServer:
    """The authorization server and resource server on a loopback port, in a thread."""

    def __init__(self, *, expires_in: int = 3600) -> None:
        self.db = Database()
        self.oauth = Server(self.db, expires_in)
        self.protector = ResourceProtector()
        self.protector.register_token_validator(Validator(self.db))
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._http.daemon_threads = True
        self._thread = threading.Thread(
            target=self._http.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._http.server_address[:2]
        return f"http://{host}:{port}"

    def add_client(
        self,
        client_id: str,
        secret: str | None = None,
        *,
        redirect_uris: tuple[str, ...] = ("http://127.0.0.1/callback",),
    ) -> None:
        self.db.clients[client_id] = Client(client_id, secret, list(redirect_uris))

    def start(self) -> AuthServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._http.shutdown()
        self._http.server_close()

    def answer(self, method: str, target: str, headers: Any, body: bytes) -> Answer:
        path = urlsplit(target).path
        self.db.log.append((method, path))
        request = Request(method, self.url + target, headers, body)
        if (method, path) == ("GET", "/authorize"):
            try:
                grant = self.oauth.get_consent_grant(request=request, end_user=USER)
            except OAuth2Error as error:
                return self.oauth.handle_error_response(request, error)
            return self.oauth.create_authorization_response(
                request=request, grant_user=USER, grant=grant
            )
        if (method, path) == ("POST", "/token"):
            return self.oauth.create_token_response(request)
        if (method, path) == ("GET", "/api/me"):
            try:
                token = self.protector.validate_request(scopes=["read"], request=request)
            except OAuth2Error as error:
                return error()
            return 200, {"id": "1", "username": token.user}, []
        return 404, {"error": "not_found"}, []


def _handler(server: AuthServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        wbufsize = -1

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            status, payload, headers = server.answer(self.command, self.path, self.headers, body)
            data = (
                payload
                if isinstance(payload, bytes)
                else (
                    payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
                )
            )
            self.send_response(status)
            names = {name.lower() for name, _ in headers}
            for name, value in headers:
                self.send_header(name, value)
            if "content-type" not in names:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = _serve
        do_POST = _serve

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


class Browser:
    """Plays the user's browser: opens the authorization URL and follows the redirect."""

    def __init__(self) -> None:
        self.landings: list[httpx.Response] = []
        self.redirects: list[str] = []

    def __call__(self, url: str) -> None:
        with httpx.Client(trust_env=False) as http:
            approved = http.get(url)
            assert approved.status_code == 302, approved.text
            location = approved.headers["Location"]
            self.redirects.append(location)
            self.landings.append(http.get(location))
