"""What both drivers share: building requests, retries, rate-limit state, error mapping, redaction.

This is the only module besides the drivers that touches httpx, so moving to
another HTTP library is a change here and in `client.py`.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Literal

import attrs
import httpx
import tenacity

from .auth.credentials import Refreshable
from .errors import (
    ConfigError,
    PlatformError,
    PublishUncertain,
    RateLimited,
    SocialkitError,
    TransportError,
)
from .platform import Call, Platform, RateLimitInfo

__all__ = [
    "RateLimitMode",
    "RateLimits",
    "Request",
    "Response",
    "RetryPolicy",
    "redact_url",
]

Request = httpx.Request
Response = httpx.Response
RateLimitMode = Literal["wait", "pace", "raise"]

logger = logging.getLogger("socialkit")

_RETRY_STATUSES = frozenset({429, 502, 503, 504})
_LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})
_SECRET_PARAM = re.compile(
    r"(?i)([?&](?:[\w.-]*(?:token|secret|password|passwd)|appsecret_proof|key|api_key|code|"
    r"code_verifier|signature|sig|oauth_signature)=)[^&#]*"
)
_USERINFO = re.compile(r"(?<=://)[^/@\s]+@")


def redact_url(url: str | httpx.URL) -> str:
    """``url`` with credentials in its query string or user-info replaced by ``***``."""
    return _USERINFO.sub("***@", _SECRET_PARAM.sub(r"\1***", str(url)))


@attrs.frozen
class RetryPolicy:
    """How failed calls are retried: exponential backoff with jitter, bounded twice.

    Attributes:
        attempts: The most attempts per call, the first included.
        max_elapsed: The most seconds spent on one call across attempts.
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

    def update(self, key: tuple[str, str, str], info: RateLimitInfo) -> None:
        """Record what a response said about a bucket."""
        with self._lock:
            self._state[key] = info

    def get(self, key: tuple[str, str, str]) -> RateLimitInfo | None:
        """The last known state of a bucket."""
        return self._state.get(key)

    def clear(self) -> None:
        """Forget every bucket."""
        with self._lock:
            self._state.clear()

    def delay(self, key: tuple[str, str, str], mode: RateLimitMode, cap: float) -> float:
        """Seconds to wait before the next call on ``key``; raises `RateLimited` instead of
        waiting longer than ``cap`` or when ``mode`` is ``"raise"``."""
        info = self._state.get(key)
        if info is None or info.remaining is None or info.reset_at is None:
            return 0.0
        until_reset = (info.reset_at - datetime.now(UTC)).total_seconds()
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
        self._root: str | None = None
        if platform.base_url:
            _require_https(httpx.URL(platform.base_url), platform.name)
            self._root = platform.base_url.rstrip("/")
        self._checked: object = None
        self._refreshable: Refreshable | None = None

    def build(self, call: Call) -> httpx.Request:
        """The httpx request for a call, authenticated when the call asks for it."""
        if "://" in call.url:
            url = httpx.URL(call.url)
            _require_https(url, self.platform.name)
        elif self._root is None:
            raise ConfigError(
                f"{self.platform.name} has no base_url to join {call.url!r} to",
                field="base_url",
                platform=self.platform.name,
            )
        else:  # the base URL was checked once; a string join parses once, in httpx.Request
            url = httpx.URL(self._root + "/" + call.url.lstrip("/"))
        headers = dict(call.headers)
        if call.idempotency_key and self.platform.honours_idempotency_key:
            headers["Idempotency-Key"] = call.idempotency_key
        request = httpx.Request(
            call.method,
            url,
            params=call.params,  # type: ignore[arg-type]
            json=call.json,
            data=call.data,
            files=call.files,
            content=call.content,
            headers=headers,
            extensions={"timeout": httpx.Timeout(call.timeout).as_dict()} if call.timeout else None,
        )
        if call.authenticated and url.host in self.platform.trusted_hosts:
            credential = self.platform.credential
            if credential is not None:
                credential.apply(request)
        return request

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

    def wait_before(self, call: Call) -> float:
        """Seconds to wait for the call's bucket (raises `RateLimited` past the cap)."""
        return self.limits.delay(self.bucket(call), self.mode, self.retry.max_retry_after)

    def finish(self, call: Call, response: httpx.Response, started: float) -> httpx.Response:
        """Log the exchange, record rate-limit state, and raise the mapped error if any."""
        elapsed = time.perf_counter() - started
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s %s -> %s in %.1f ms",
                call.method,
                redact_url(response.request.url),
                response.status_code,
                elapsed * 1000,
            )
        info = self.platform.rate_limit(response)
        if info is not None:
            self.limits.update(self.bucket(call), info)
        if response.status_code < 400:
            error = self.platform.error_in_body(response)
            if error is None:
                return response
        else:
            error = self.platform.map_error(response)
        error.method, error.path = call.method, response.request.url.path
        if isinstance(error, RateLimited):
            self._note_rate_limited(call, error)
        elif response.status_code >= 500 and not self._may_retry(call):
            raise self._uncertain(call, f"HTTP {response.status_code}")
        raise error

    def failed(self, call: Call, exc: httpx.HTTPError) -> SocialkitError:
        """Our exception for a transport failure (the secret-free form of ``exc``)."""
        sent = not isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
        if sent and not self._may_retry(call):
            return self._uncertain(call, type(exc).__name__)
        url = exc.request.url if _has_request(exc) else httpx.URL(call.url)
        error = TransportError(
            f"{type(exc).__name__} from {redact_url(url.copy_with(path='/', query=None))}"
            f"{_tls_hint(url, exc)}",
            platform=self.platform.name,
        )
        error.method, error.path = call.method, url.path
        return error

    def retrying(self, sleep: Callable[[float], Any]) -> dict[str, Any]:
        """Keyword arguments for tenacity's ``Retrying``/``AsyncRetrying``."""
        policy = self.retry
        backoff = tenacity.wait_random_exponential(
            multiplier=policy.backoff, max=policy.max_backoff
        )

        def wait(state: tenacity.RetryCallState) -> float:
            error = state.outcome.exception() if state.outcome else None
            if isinstance(error, RateLimited) and error.retry_after is not None:
                return error.retry_after
            return float(backoff(state))

        def log(state: tenacity.RetryCallState) -> None:
            error = state.outcome.exception() if state.outcome else None
            logger.info(
                "retrying %s after %s (attempt %d)",
                self.platform.name,
                type(error).__name__,
                state.attempt_number,
            )

        return {
            "stop": tenacity.stop_after_attempt(policy.attempts)
            | tenacity.stop_after_delay(policy.max_elapsed),
            "wait": wait,
            "retry": tenacity.retry_if_exception(self._retryable),
            "sleep": sleep,
            "before_sleep": log,
            "reraise": True,
        }

    # -- internals -------------------------------------------------------------------------

    def _may_retry(self, call: Call) -> bool:
        return call.is_idempotent or bool(
            call.idempotency_key and self.platform.honours_idempotency_key
        )

    def _retryable(self, error: BaseException) -> bool:
        if isinstance(error, RateLimited):
            within_cap = (
                error.retry_after is None or error.retry_after <= self.retry.max_retry_after
            )
            return self.mode != "raise" and within_cap
        if isinstance(error, TransportError):
            return True
        return isinstance(error, PlatformError) and error.status in _RETRY_STATUSES

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
        if error.retry_after is not None:
            reset = datetime.fromtimestamp(time.time() + error.retry_after, UTC)
            self.limits.update(
                key, attrs.evolve(known or RateLimitInfo(), remaining=0, reset_at=reset)
            )
        elif known is not None and known.reset_at is not None:
            error.reset_at = known.reset_at
            wait = (known.reset_at - datetime.now(UTC)).total_seconds()
            error.retry_after = max(0.0, wait)
        if error.reset_at is None and error.retry_after is not None:
            error.reset_at = datetime.fromtimestamp(time.time() + error.retry_after, UTC)


def _require_https(url: httpx.URL, platform: str) -> None:
    if url.scheme != "https" and url.host not in _LOOPBACK_HOSTS:
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
