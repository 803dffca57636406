"""A one-shot loopback listener that receives an OAuth redirect (RFC 8252 §7.3).

It binds a loopback address only (127.0.0.1 by default) on a free port, answers
exactly one redirect to its path whose ``state`` matches, shows a small "you can
close this tab" page, and stops. A wrong ``state`` ends the wait with an
`AuthError` (the redirect belongs to another login, or is forged); no redirect
within ``timeout`` seconds ends it too.
"""

from __future__ import annotations

import hmac
import html
import ipaddress
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit

from ..errors import AuthError, ConfigError

__all__ = ["LoopbackListener"]

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>socialkit</title>
<style>body{{font:16px system-ui,sans-serif;margin:4em auto;max-width:32em;color:#222}}</style>
</head><body><h1>{title}</h1><p>{detail}</p></body></html>
"""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    listener: LoopbackListener


class _Server6(_Server):
    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    wbufsize = -1  # headers and body leave in one write
    timeout = 10.0  # a browser's idle pre-connection must not hold a thread forever

    def do_GET(self) -> None:
        status, title, detail = self.server.listener._receive(self.path)
        body = _PAGE.format(title=html.escape(title), detail=html.escape(detail)).encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the request line carries the authorization code."""


class LoopbackListener:
    """Waits for one OAuth redirect on ``http://127.0.0.1:PORT/PATH``.

    ```python
    with LoopbackListener(state) as listener:
        print(listener.redirect_uri)      # put this in the authorization URL
        params = listener.wait()          # {"code": ..., "state": ...}
    ```

    Args:
        state: The ``state`` sent in the authorization request; a redirect must echo it.
        host: A loopback address (``127.0.0.1`` or ``::1``); nothing else is accepted.
        port: The port, or 0 for a free one chosen by the system.
        path: The redirect path.
        timeout: Seconds `wait` waits for the redirect.
    """

    def __init__(
        self,
        state: str,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        path: str = "/callback",
        timeout: float = 300.0,
    ) -> None:
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise ConfigError(
                f"the redirect listener binds a loopback IP address only, not {host!r}",
                field="redirect_uri",
            )
        self.state = state
        self.host = host
        self.path = "/" + path.lstrip("/")
        self.timeout = timeout
        self._port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._answered = False
        self._result: dict[str, str] | None = None
        self._error: AuthError | None = None

    def __repr__(self) -> str:
        return f"LoopbackListener({self.redirect_uri if self._server else 'not started'!r})"

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> Self:
        """Bind the port and serve in a background thread."""
        if self._server is not None:
            return self
        server_class = _Server6 if ":" in self.host else _Server
        try:
            server = server_class((self.host, self._port), _Handler)
        except OSError as exc:
            raise ConfigError(
                f"cannot listen on {self.host}:{self._port} for the redirect ({exc.strerror}); "
                "free the port, or log in with manual=True",
                field="redirect_uri",
            ) from None
        server.listener = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="socialkit-oauth-redirect",
            daemon=True,
        )
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving and free the port (idempotent)."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- use -------------------------------------------------------------------------------

    @property
    def address(self) -> tuple[str, int]:
        """The bound (host, port)."""
        if self._server is None:
            raise RuntimeError("the listener is not started")
        host, port = self._server.server_address[:2]
        return str(host), int(port)

    @property
    def redirect_uri(self) -> str:
        """``http://127.0.0.1:PORT/callback``: the redirect URI to send."""
        host, port = self.address
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}{self.path}"

    def wait(self) -> dict[str, str]:
        """The redirect's query parameters; `AuthError` on a wrong state or a timeout.

        The listener stops either way: it answers one redirect only.
        """
        self.start()
        try:
            if not self._done.wait(self.timeout):
                raise AuthError(
                    f"no authorization redirect arrived within {self.timeout:g} s; "
                    "log in again, or use the manual mode to paste the redirect URL"
                )
        finally:
            self.close()
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result

    # -- called by the request handler -----------------------------------------------------

    def _receive(self, target: str) -> tuple[int, str, str]:
        parts = urlsplit(target)
        if parts.path != self.path:
            return 404, "Not found", "This address only receives the login redirect."
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        with self._lock:
            if self._answered:
                return 410, "Already answered", "This login was already completed."
            self._answered = True
            if not hmac.compare_digest(params.get("state", ""), self.state):
                self._error = AuthError(
                    "the redirect carried the wrong state (another login attempt, or a forged "
                    "request); start the login again"
                )
                outcome = (
                    400,
                    "Login failed",
                    "The answer did not match this login attempt. Start the login again.",
                )
            else:
                self._result = params
                outcome = (
                    200,
                    "You can close this tab",
                    "socialkit received the answer; return to your terminal or notebook.",
                )
                if "error" in params:
                    outcome = (
                        200,
                        "Authorization was not granted",
                        "You can close this tab; socialkit shows the reason.",
                    )
        self._done.set()
        return outcome
