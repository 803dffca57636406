"""What both drivers share: building requests, retries, rate-limit state, error mapping, redaction.

This is the only module besides the drivers that touches httpx, so moving to
another HTTP library is a change here and in `client.py`.
"""

from __future__ import annotations

import logging
import math
import re
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote

import attrs
import httpx
from pydantic import SecretStr

from ._version import __version__
from .clock import MAX_DELAY, SYSTEM_CLOCK, Clock, delay_from
from .credentials.core import Refreshable
from .errors import (
    ConfigError,
    ParseError,
    PlatformError,
    PublishUncertain,
    RateLimited,
    SocialkitError,
    TransportError,
)
from .platform import Call, Platform, RateLimitInfo, error_for_status
from .steps import Request, Response

if TYPE_CHECKING:
    import tenacity

__all__ = [
    "Limits",
    "RateLimitMode",
    "RateLimits",
    "RedactingFilter",
    "Request",
    "Response",
    "RetryPolicy",
    "delay_from",
    "redact_url",
]

RateLimitMode = Literal["wait", "pace", "raise"]

logger = logging.getLogger("socialkit")

#: Sent with every request whose call does not set its own (Reddit's, for one).
USER_AGENT = f"socialkit/{__version__} (+python-httpx)"

_RETRY_STATUSES = frozenset({429, 502, 503, 504})
_LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})
_SECRET_PARAM = re.compile(
    r"(?i)([?&](?:[\w.-]*(?:token|secret|password|passwd)|appsecret_proof|key|api_key|code|"
    r"code_verifier|signature|sig|oauth_signature)=)[^&#\s\"']*"
)
_USERINFO = re.compile(r"(?<=://)[^/@\s]+@")
# Path characters httpx's URL parser neither percent-encodes nor rewrites.
_PLAIN_PATH = re.compile(r"[A-Za-z0-9._~!$&'()*+,;=:@/-]{0,4096}")


def redact_url(url: str | httpx.URL) -> str:
    """``url`` with credentials in its query string or user-info replaced by ``***``."""
    return _USERINFO.sub("***@", _SECRET_PARAM.sub(r"\1***", str(url)))


class RedactingFilter(logging.Filter):
    """A logging filter that redacts credentials from the URLs in a record's message.

    Installed on the ``httpx`` and ``httpcore`` loggers when this module is imported,
    so the request lines httpx logs at INFO never show a query-string token (WeChat and
    Weibo can only take their token in the query).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message with its secrets redacted; never drops a record."""
        message = record.getMessage()
        redacted = redact_url(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


_HTTP_LOGGERS = (
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
)


def _install_redaction() -> None:
    for name in _HTTP_LOGGERS:
        target = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in target.filters):
            target.addFilter(RedactingFilter())


_install_redaction()



@attrs.frozen
class Limits:
    """Bounds on one call, against slow, huge or endless answers.

    Attributes:
        deadline: The most seconds one call may take in all, retries, waits and slowly
            dripping bodies included (``None``: no bound beyond the per-read timeouts).
        max_body: The largest response body read, in bytes; a larger one is refused
            while it streams in, without reading it all (``None``: no bound).
        max_empty_pages: How many empty pages in a row a listing reads before it stops.
    """

    deadline: float | None = 120.0
    max_body: int | None = 16 * 1024 * 1024
    max_empty_pages: int = 20


@attrs.frozen
class RetryPolicy:
    """How failed calls are retried: exponential backoff with jitter, bounded twice.

    Attributes:
        attempts: The most attempts per call, the first included.
        max_elapsed: The most seconds spent on one call across attempts, checked before
            each sleep: a sleep that would end past it is not started.
        backoff: The first backoff in seconds; it doubles per attempt, with jitter.
        max_backoff: The longest single backoff.
        max_retry_after: The longest ``Retry-After`` (or rate-limit reset) waited for;
            beyond it the call raises `RateLimited` rather than hang.
    """

    attempts: int = 4
    max_elapsed: float = 90.0
    backoff: float = 0.5
    max_backoff: float = 8.0
    max_retry_after: float = 60.0


class RateLimits:
    """Per-bucket rate-limit state, keyed by (platform, account, bucket).

    One instance is shared by every client in the process, so two clients of
    the same account respect the same budget.
    """

    def __init__(self) -> None:
        self._state: dict[tuple[str, str, str], RateLimitInfo] = {}
        self._lock = threading.Lock()

    def update(
        self,
        key: tuple[str, str, str],
        info: RateLimitInfo,
        now: datetime | None = None,
        *,
        longest: float = Platform.longest_believed_reset,
    ) -> None:
        """Record what a response said about a bucket; a reset more than ``longest``
        seconds ahead is believed only that far."""
        if info.reset_at is not None:
            latest = (now or datetime.now(UTC)) + timedelta(seconds=longest)
            if info.reset_at > latest:
                info = attrs.evolve(info, reset_at=latest)
        with self._lock:
            self._state[key] = info

    def get(self, key: tuple[str, str, str]) -> RateLimitInfo | None:
        """The last known state of a bucket."""
        return self._state.get(key)

    def clear(self) -> None:
        """Forget every bucket."""
        with self._lock:
            self._state.clear()

    def delay(
        self,
        key: tuple[str, str, str],
        mode: RateLimitMode,
        cap: float,
        now: datetime | None = None,
    ) -> float:
        """Seconds to wait before the next call on ``key``; raises `RateLimited` instead of
        waiting longer than ``cap`` or when ``mode`` is ``"raise"``."""
        info = self._state.get(key)
        if info is None or info.remaining is None or info.reset_at is None:
            return 0.0
        until_reset = (info.reset_at - (now or datetime.now(UTC))).total_seconds()
        if until_reset <= 0:
            return 0.0
        if info.remaining > 0:
            return until_reset / (info.remaining + 1) if mode == "pace" else 0.0
        if mode == "raise" or until_reset > cap:
            raise RateLimited(
                f"rate limit of bucket {key[2]!r} exhausted until {info.reset_at.isoformat()}",
                platform=key[0],
                retry_after=until_reset,
                reset_at=info.reset_at,
            )
        return until_reset


RATE_LIMITS = RateLimits()
"""The process-wide rate-limit state."""


class Exchange:
    """Everything about sending a `Call` except the sending and the sleeping.

    The sync and async drivers each hold one and differ only in how they send
    and sleep.
    """

    def __init__(
        self,
        platform: Platform,
        *,
        retry: RetryPolicy,
        rate_limit: RateLimitMode,
        limits: RateLimits = RATE_LIMITS,
        bounds: Limits | None = None,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        if rate_limit not in ("wait", "pace", "raise"):
            raise ConfigError(
                f"rate_limit must be 'wait', 'pace' or 'raise', not {rate_limit!r}",
                field="rate_limit",
            )
        self.platform = platform
        self.retry = retry
        self.mode: RateLimitMode = rate_limit
        self.limits = limits
        self.bounds = bounds or Limits()
        self.clock = clock
        self._root: str | None = None
        self._base: httpx.URL | None = None
        self._base_path = ""  # the base URL's path, read once (httpx decodes it per read)
        if platform.base_url:
            _require_https(httpx.URL(platform.base_url), platform.name)
            self._root = platform.base_url.rstrip("/")
            base = httpx.URL(self._root)
            if not base.query and not base.fragment and "%" not in self._root:
                self._base, self._base_path = base, base.path
        self._checked: object = None
        self._refreshable: Refreshable | None = None

    def build(self, call: Call) -> httpx.Request:
        """The httpx request for a call, authenticated when the call asks for it.

        Raises:
            ParseError: a value of the request cannot be sent: it holds half a character (a
                lone surrogate) or, in the URL, a control character, as a cursor or an id
                read from a hostile answer may.
        """
        try:
            return self._build(call)
        except (UnicodeEncodeError, httpx.InvalidURL) as exc:
            what = "half a character" if isinstance(exc, UnicodeEncodeError) else "no valid URL"
            raise ParseError(
                f"cannot send a {call.method} request: a value read from an answer (or given) "
                f"holds {what}",
                platform=self.platform.name,
            ) from exc

    def _build(self, call: Call) -> httpx.Request:
        if "://" in call.url:
            url = httpx.URL(call.url)
            _require_https(url, self.platform.name)
        elif self._root is None:
            raise ConfigError(
                f"{self.platform.name} has no base_url to join {call.url!r} to",
                field="base_url",
                platform=self.platform.name,
            )
        else:  # the base URL was checked once
            url = self._join(call.url.lstrip("/"))
        headers = dict(call.headers)
        names = {name.lower() for name in headers} if headers else _NO_NAMES
        if "user-agent" not in names:
            headers["User-Agent"] = USER_AGENT
        if call.idempotency_key and self.platform.honours_idempotency_key:
            headers["Idempotency-Key"] = call.idempotency_key
        extensions = {"timeout": httpx.Timeout(call.timeout).as_dict()} if call.timeout else None
        if (
            call.content is None
            and call.json is None
            and call.data is None
            and call.files is None
            and names.isdisjoint(_FRAMING)
        ):
            request = _without_body(call.method, url, call.params, headers, extensions)
        else:
            request = httpx.Request(
                call.method,
                url,
                params=call.params,  # type: ignore[arg-type]
                json=call.json,
                data=call.data,
                files=call.files,
                content=call.content,
                headers=headers,
                extensions=extensions,
            )
        if call.authenticated and url.host in self.platform.trusted_hosts:
            credential = self.platform.credential
            if credential is not None:
                credential.apply(request)
        return request

    def _join(self, path: str) -> httpx.URL:
        """The base URL with ``path`` appended, as ``httpx.URL(root + "/" + path)`` parses it.

        A path of plain characters (no query, no ``%``, no dot segment) is one httpx's
        parser would leave as it is, so it is joined to the base URL parsed once, not
        parsed again: httpx checks a URL character by character in Python, the largest
        share of building a request.
        """
        base, base_path = self._base, self._base_path
        if base is None or not _PLAIN_PATH.fullmatch(path) or "/." in base_path + "/" + path:
            return httpx.URL(f"{self._root}/{path}")
        url = httpx.URL.__new__(httpx.URL)
        url._uri_reference = base._uri_reference._replace(path=f"{base_path.rstrip('/')}/{path}")
        return url

    def refreshable(self, call: Call) -> Refreshable | None:
        """The credential a call uses, when it is one that can refresh itself."""
        if not call.authenticated:
            return None
        credential = self.platform.credential
        if credential is not self._checked:  # isinstance on a Protocol is slow: once per object
            self._checked = credential
            self._refreshable = credential if isinstance(credential, Refreshable) else None
        return self._refreshable

    def bucket(self, call: Call) -> tuple[str, str, str]:
        """The rate-limit key of a call."""
        return (self.platform.name, self.platform.account_key, call.bucket)

    def wait_before(self, call: Call, remaining: float | None = None) -> float:
        """Seconds to wait for the call's bucket (raises `RateLimited` past the cap, or
        past the ``remaining`` seconds of the call's deadline)."""
        cap = self.retry.max_retry_after
        if remaining is not None:
            cap = min(cap, remaining)
        return self.limits.delay(self.bucket(call), self.mode, cap, self.clock.now())

    def deadline_at(self) -> float | None:
        """The monotonic time by which a call starting now must be done."""
        deadline = self.bounds.deadline
        return None if deadline is None else self.clock.monotonic() + deadline

    def remaining(self, deadline_at: float | None) -> float | None:
        """Seconds left until ``deadline_at`` (never negative)."""
        return None if deadline_at is None else max(0.0, deadline_at - self.clock.monotonic())

    def bound(
        self, request: httpx.Request, deadline_at: float | None, default: httpx.Timeout
    ) -> None:
        """Give the request the client's timeouts (unless the call set its own), shortened
        so no single wait outlasts the call's deadline."""
        current = request.extensions.get("timeout") or default.as_dict()
        left = self.remaining(deadline_at)
        if left is not None:
            current = {k: left if v is None else min(v, left) for k, v in current.items()}
        request.extensions["timeout"] = current  # the request's own dict (httpx copies it)

    def take(
        self,
        call: Call,
        response: httpx.Response,
        body: bytearray,
        chunk: bytes,
        deadline_at: float | None,
    ) -> None:
        """Add one streamed chunk to ``body``, refusing a body larger than ``max_body``
        or one still arriving at the deadline (before reading it all)."""
        body.extend(chunk)
        limit = self.bounds.max_body
        if limit is not None and len(body) > limit:
            raise self._too_big(call, response)
        if deadline_at is not None and self.clock.monotonic() > deadline_at:
            raise self.overdue(call)

    @staticmethod
    def keep(response: httpx.Response, body: bytearray) -> None:
        """Store the body read as the response's content."""
        response._content = bytes(body)  # what httpx's own read() stores

    def check_size(self, call: Call, response: httpx.Response) -> None:
        """Refuse a body whose declared ``Content-Length`` is over ``max_body`` at once."""
        limit = self.bounds.max_body
        declared = response.headers.get("content-length", "")
        if limit is not None and declared.isdigit() and int(declared) > limit:
            raise self._too_big(call, response)

    def overdue(self, call: Call) -> SocialkitError:
        """The error for a call that outlived its deadline."""
        what = f"deadline of {self.bounds.deadline:g} s exceeded"
        if not self._may_retry(call):
            return self.scrub(self._uncertain(call, what))
        return self.scrub(
            TransportError(
                f"{what} on {call.method} {redact_url(call.url)}", platform=self.platform.name
            )
        )

    def _too_big(self, call: Call, response: httpx.Response) -> SocialkitError:
        what = f"response body over max_body ({self.bounds.max_body} bytes)"
        if response.status_code < 300 and not self._may_retry(call):
            return self.scrub(self._uncertain(call, what))
        return ParseError(
            f"{what} from {call.method} {redact_url(call.url)}",
            platform=self.platform.name,
            status=response.status_code,
        )

    def scrub(self, error: SocialkitError) -> SocialkitError:
        """Remove every known secret of this client from an error's message and attributes
        (a server may echo the request URL, token included, in its error body)."""
        secrets = self._secrets()
        if not secrets:
            return error

        def clean(text: str) -> str:
            for secret in secrets:
                text = text.replace(secret, "***")
            return text

        for name, value in list(vars(error).items()):
            if isinstance(value, str):
                setattr(error, name, clean(value))
        error.args = tuple(clean(a) if isinstance(a, str) else a for a in error.args)
        return error

    def _secrets(self) -> list[str]:
        found: set[str] = set()
        for source in (self.platform.settings, self.platform.credential):
            for value in _attributes(source):
                if isinstance(value, SecretStr):
                    text = value.get_secret_value()
                    if len(text) >= 4:
                        found.update({text, quote(text, safe=""), quote(text)})
        return sorted(found, key=len, reverse=True)

    def finish(self, call: Call, response: httpx.Response, started: float) -> httpx.Response:
        """Log the exchange, record rate-limit state, and raise the mapped error if any."""
        error = self._outcome(call, response, started)
        if error is None:
            return response
        raise self.scrub(error)

    def _outcome(
        self, call: Call, response: httpx.Response, started: float
    ) -> SocialkitError | None:
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s %s -> %s in %.1f ms",
                call.method,
                redact_url(response.request.url),
                response.status_code,
                (time.perf_counter() - started) * 1000,
            )
        try:
            info = self.platform.rate_limit(response)
        except _PAYLOAD_ERRORS:  # a header no parser expected: believe nothing of it
            info = None
        if info is not None:
            self.limits.update(
                self.bucket(call),
                info,
                self.clock.now(),
                longest=self.platform.longest_believed_reset,
            )
        if response.status_code < 400:
            try:
                error = self.platform.error_in_body(response)
            except _PAYLOAD_ERRORS:
                error = self._unreadable(call, response)
            if error is None:
                return None
        else:
            try:
                error = self.platform.map_error(response)
            except _PAYLOAD_ERRORS:  # an error body too broken to read: its status speaks
                error = error_for_status(
                    self.platform.name,
                    response,
                    response.reason_phrase or f"HTTP {response.status_code}",
                )
        error.method, error.path = call.method, response.request.url.path
        if isinstance(error, RateLimited):
            self._note_rate_limited(call, error)
        elif response.status_code >= 500 and not self._may_retry(call):
            return self._uncertain(call, f"HTTP {response.status_code}")
        return error

    def _unreadable(self, call: Call, response: httpx.Response) -> SocialkitError:
        if changes_state(call):
            return self._uncertain(call, "an unreadable answer")
        return ParseError(
            f"unreadable answer to {call.method} {redact_url(call.url)}",
            platform=self.platform.name,
            status=response.status_code,
        )

    def failed(self, call: Call, exc: httpx.HTTPError) -> SocialkitError:
        """Our exception for a transport failure (the secret-free form of ``exc``)."""
        sent = not isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
        if sent and not self._may_retry(call):
            return self.scrub(self._uncertain(call, type(exc).__name__))
        url = exc.request.url if _has_request(exc) else httpx.URL(call.url)
        error = TransportError(
            f"{type(exc).__name__} from {redact_url(url.copy_with(path='/', query=None))}"
            f"{_tls_hint(url, exc)}",
            platform=self.platform.name,
        )
        error.method, error.path = call.method, url.path
        return self.scrub(error)

    def retrying(
        self,
        sleep: Callable[[float], Any],
        deadline_at: float | None = None,
        started: float | None = None,
    ) -> dict[str, Any]:
        """Keyword arguments for tenacity's ``Retrying``/``AsyncRetrying``.

        The stop condition is checked before each sleep, with the sleep counted: no
        sleep starts that would end past ``max_elapsed`` (counted from ``started``, the
        clock's monotonic time when the call began; now by default) or the call's
        deadline; the last error (a `RateLimited`, say) is raised instead.
        """
        import tenacity  # only a call that failed once gets here: connect() does not load it

        policy = self.retry
        clock = self.clock
        started = clock.monotonic() if started is None else started
        backoff = tenacity.wait_random_exponential(
            multiplier=policy.backoff, max=policy.max_backoff
        )

        def wait(state: tenacity.RetryCallState) -> float:
            error = state.outcome.exception() if state.outcome else None
            if isinstance(error, RateLimited) and error.retry_after is not None:
                # a reset already past (a broken clock) still backs off, never zero
                floor = min(policy.max_backoff, policy.backoff * 2.0 ** (state.attempt_number - 1))
                return max(error.retry_after, floor)
            return float(backoff(state))

        def stop(state: tenacity.RetryCallState) -> bool:
            if state.attempt_number >= policy.attempts:
                return True
            ends = clock.monotonic() + state.upcoming_sleep
            return ends - started > policy.max_elapsed or (
                deadline_at is not None and ends >= deadline_at
            )

        def log(state: tenacity.RetryCallState) -> None:
            error = state.outcome.exception() if state.outcome else None
            logger.info(
                "retrying %s after %s (attempt %d)",
                self.platform.name,
                type(error).__name__,
                state.attempt_number,
            )

        return {
            "stop": stop,
            "wait": wait,
            "retry": tenacity.retry_if_exception(self.retryable),
            "sleep": sleep,
            "before_sleep": log,
            "reraise": True,
        }

    def retryable(self, error: BaseException) -> bool:
        """Whether a failed attempt may be retried (its error, the call's policy)."""
        if isinstance(error, RateLimited):
            within_cap = (
                error.retry_after is None or error.retry_after <= self.retry.max_retry_after
            )
            return self.mode != "raise" and within_cap
        if isinstance(error, TransportError):
            return True
        return isinstance(error, PlatformError) and error.status in _RETRY_STATUSES

    # -- internals -------------------------------------------------------------------------

    def _may_retry(self, call: Call) -> bool:
        return call.is_idempotent or bool(
            call.idempotency_key and self.platform.honours_idempotency_key
        )

    def _uncertain(self, call: Call, what: str) -> PublishUncertain:
        path = httpx.URL(call.url).path
        error = PublishUncertain(
            f"{what}: the request may have been applied; reconcile before publishing again",
            platform=self.platform.name,
            idempotency_key=call.idempotency_key,
        )
        error.method, error.path = call.method, path
        return error

    def _note_rate_limited(self, call: Call, error: RateLimited) -> None:
        key = self.bucket(call)
        known = self.limits.get(key)
        now = self.clock.now()
        error.retry_after = _believable(error.retry_after)
        if error.reset_at is not None and not _believable_time(error.reset_at, now):
            error.reset_at = None
        if error.retry_after is not None:
            reset = now + timedelta(seconds=error.retry_after)
            self.limits.update(
                key,
                attrs.evolve(known or RateLimitInfo(), remaining=0, reset_at=reset),
                now,
                longest=self.platform.longest_believed_reset,
            )
        elif known is not None and known.reset_at is not None:
            error.reset_at = known.reset_at
            wait = (known.reset_at - now).total_seconds()
            error.retry_after = max(0.0, wait)
        if error.reset_at is None and error.retry_after is not None:
            error.reset_at = now + timedelta(seconds=error.retry_after)


_NO_NAMES: frozenset[str] = frozenset()
# The headers httpx sets itself on a request it builds, unless the caller did.
_FRAMING = frozenset({"host", "content-length", "transfer-encoding"})
_NO_BODY = httpx.ByteStream(b"")
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def _without_body(
    method: str,
    url: httpx.URL,
    params: Any,
    headers: dict[str, str],
    extensions: dict[str, Any] | None,
) -> httpx.Request:
    """``httpx.Request(method, url, params=params, headers=headers, extensions=extensions)``
    for a request without a body or framing headers of its own, as httpx builds it (``Host``
    first, ``Content-Length: 0`` on a POST, PUT or PATCH), the headers read once rather
    than three times: most calls are such, and httpx's headers cost per read."""
    if params is not None:
        url = httpx.URL(url, params=params)
    framing: list[Any] = [(b"Host", url.netloc)] if url.host else []  # httpx takes bytes too
    if method.upper() in _BODY_METHODS:
        framing.append((b"Content-Length", b"0"))
    request = httpx.Request(
        method, url, headers=[*framing, *headers.items()], stream=_NO_BODY, extensions=extensions
    )
    request.read()  # as httpx reads a body it was given whole
    return request


def changes_state(call: Call) -> bool:
    """Whether a call that succeeded changed something that must not happen twice (a
    publish, a reply): an answer to it that cannot be read leaves the outcome uncertain.
    Unauthenticated calls (token exchanges) change nothing a retry could duplicate."""
    return not call.is_idempotent and call.authenticated


# What a provider's parser may raise on a hostile payload or header.
_PAYLOAD_ERRORS = (
    KeyError,
    TypeError,
    ValueError,
    IndexError,
    AttributeError,
    RecursionError,
    OverflowError,
)


def _believable(seconds: float | None) -> float | None:
    """A provider's retry-after as a finite delay of at most a day (`MAX_DELAY`: daily
    quotas are real); the shared state believes less (`Platform.longest_believed_reset`)."""
    if seconds is None or math.isnan(seconds):
        return None
    return delay_from(seconds)


def _believable_time(when: datetime, now: datetime) -> bool:
    return abs((when - now).total_seconds()) <= MAX_DELAY


def _attributes(source: object) -> list[Any]:
    if source is None:
        return []
    values = list(getattr(source, "__dict__", {}).values())
    for cls in type(source).__mro__:
        for name in getattr(cls, "__slots__", ()):
            values.append(getattr(source, name, None))
    return values


def _require_https(url: httpx.URL, platform: str) -> None:
    if url.scheme not in ("https", "wss") and url.host not in _LOOPBACK_HOSTS:
        raise ConfigError(
            f"refusing plain HTTP to {url.host}: HTTPS is required except on loopback",
            field="base_url",
            platform=platform,
        )


def _tls_hint(url: httpx.URL, exc: httpx.HTTPError) -> str:
    """A hint when HTTPS to a loopback server failed in the TLS handshake."""
    if url.scheme != "https" or url.host not in _LOOPBACK_HOSTS:
        return ""
    if not isinstance(exc, httpx.ConnectError) or "SSL" not in str(exc):
        return ""
    plain = url.copy_with(scheme="http", path="/", query=None)
    return f" (TLS failed: this server speaks plain HTTP? use {str(plain).rstrip('/')})"


def _has_request(exc: httpx.HTTPError) -> bool:
    try:
        exc.request  # noqa: B018 - raises RuntimeError when unset
    except RuntimeError:
        return False
    return True
