"""XRPC on the wire: the methods we call, their error bodies, and the rate-limit headers.

A query is ``GET /xrpc/<nsid>`` with its parameters in the query string (arrays as
repeated parameters); a procedure is ``POST /xrpc/<nsid>`` with a JSON (or raw) body.
An error is ``{"error": "<Name>", "message": "..."}`` with a 4xx/5xx status.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from ...clock import delay_from, reset_from
from ...errors import (
    AuthError,
    InvalidContent,
    NotFound,
    PermissionDenied,
    PlatformError,
    RateLimited,
    SocialkitError,
    TokenExpired,
)
from ...platform import RateLimitInfo, error_for_status, parse_retry_after

if TYPE_CHECKING:
    from ...steps import Response

__all__ = ["METHODS", "VideoJobExists", "bucket", "map_error", "path", "rate_limit"]

Kind = Literal["query", "procedure"]

METHODS: Mapping[str, Kind] = {
    "com.atproto.server.createSession": "procedure",
    "com.atproto.server.refreshSession": "procedure",
    "com.atproto.server.getSession": "query",
    "com.atproto.server.getServiceAuth": "query",
    "com.atproto.identity.resolveHandle": "query",
    "com.atproto.repo.createRecord": "procedure",
    "com.atproto.repo.putRecord": "procedure",
    "com.atproto.repo.deleteRecord": "procedure",
    "com.atproto.repo.getRecord": "query",
    "com.atproto.repo.uploadBlob": "procedure",
    "app.bsky.actor.getProfile": "query",
    "app.bsky.feed.getPosts": "query",
    "app.bsky.feed.getAuthorFeed": "query",
    "app.bsky.feed.getPostThread": "query",
    "app.bsky.feed.searchPosts": "query",
    "app.bsky.notification.listNotifications": "query",
    "app.bsky.video.uploadVideo": "procedure",
    "app.bsky.video.getJobStatus": "query",
}
"""Every XRPC method this provider calls, with its Lexicon type (query → GET, procedure → POST)."""

RECORDS = ("app.bsky.feed.post", "app.bsky.feed.like", "app.bsky.feed.repost",
           "app.bsky.feed.threadgate")
"""The record collections this provider writes."""

_BUCKETS = {
    "com.atproto.server.createSession": "session",
    "com.atproto.server.refreshSession": "session",
    "com.atproto.repo.createRecord": "write",
    "com.atproto.repo.putRecord": "write",
    "com.atproto.repo.deleteRecord": "write",
    "com.atproto.repo.uploadBlob": "write",
    "app.bsky.video.uploadVideo": "video",
    "app.bsky.video.getJobStatus": "video",
}
_WRITES = frozenset({"com.atproto.repo.createRecord", "com.atproto.repo.putRecord",
                     "com.atproto.repo.uploadBlob", "app.bsky.video.uploadVideo"})
_AUTH = frozenset({"InvalidToken", "AuthenticationRequired", "AuthFactorTokenRequired",
                   "AuthMissing"})
_DENIED = frozenset({"AccountTakedown", "AccountDeactivated", "BlockedActor", "BlockedByActor"})
_MISSING = frozenset({"RecordNotFound", "NotFound", "HandleNotFound", "ProfileNotFound",
                      "AccountNotFound"})
_TOO_BIG = frozenset({"BlobTooLarge", "PayloadTooLarge"})


class VideoJobExists(PlatformError):
    """The video service already processed this file (409 ``already_exists``).

    Attributes:
        job_id: The existing job, whose status carries the video's blob.
        blob: The blob, when the answer included it.
    """

    def __init__(
        self, message: str, *, job_id: str, blob: Mapping[str, Any] | None, platform: str
    ) -> None:
        super().__init__(message, platform=platform, status=409, code="already_exists")
        self.job_id = job_id
        self.blob = blob


def path(nsid: str) -> str:
    """The request path of an XRPC method."""
    return f"/xrpc/{nsid}"


def nsid_of(response: Response) -> str:
    """The method a response answers (the last path segment after ``/xrpc/``)."""
    return response.request.url.path.rsplit("/xrpc/", 1)[-1]


def bucket(nsid: str) -> str:
    """The rate-limit bucket a method counts against: session, write, video or read."""
    return _BUCKETS.get(nsid, "read")


def _body(response: Response) -> Mapping[str, Any]:
    try:
        body = response.json()
    except (ValueError, RecursionError):
        return {}
    return body if isinstance(body, Mapping) else {}


def _reset_at(value: str | None) -> datetime | None:
    """``RateLimit-Reset``: epoch seconds on Bluesky (delta seconds, per the IETF draft, when
    the number is too small to be a date); bounded, ``None`` when not a finite time."""
    try:
        number = float(value) if value else None
    except ValueError:
        return None
    if number is None or not math.isfinite(number):
        return None
    return reset_from(number, "seconds" if number < 1e9 else "epoch")


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _policy_limit(value: str | None) -> int | None:
    """The quota of ``RateLimit-Policy: 3000;w=300`` (the first policy listed)."""
    if not value:
        return None
    return _int(value.split(",")[0].split(";")[0].strip())


def rate_limit(response: Response) -> RateLimitInfo | None:
    """``RateLimit-Limit``, ``-Remaining``, ``-Reset`` (epoch seconds) and ``-Policy``."""
    headers = response.headers
    limit = _int(headers.get("ratelimit-limit")) or _policy_limit(headers.get("ratelimit-policy"))
    remaining = _int(headers.get("ratelimit-remaining"))
    reset_at = _reset_at(headers.get("ratelimit-reset"))
    if limit is None and remaining is None and reset_at is None:
        return None
    return RateLimitInfo(
        limit=limit, remaining=remaining, reset_at=reset_at, bucket=bucket(nsid_of(response))
    )


def map_error(platform: str, response: Response) -> SocialkitError:
    """The exception for an XRPC error response, by its ``error`` name, then by status."""
    body = _body(response)
    name = body.get("error") if isinstance(body.get("error"), str) else None
    said = body.get("message")
    message = said if isinstance(said, str) and said else name or response.reason_phrase
    message = message or f"HTTP {response.status_code}"
    context: dict[str, Any] = {
        "platform": platform,
        "status": response.status_code,
        "code": name,
        "request_id": response.headers.get("x-request-id"),
    }
    nsid = nsid_of(response)
    inner = body.get("jobStatus")
    job: Mapping[str, Any] = inner if isinstance(inner, Mapping) else body
    job_id = job.get("jobId")
    if job.get("error") == "already_exists" and isinstance(job_id, str) and job_id:
        blob = job.get("blob")
        return VideoJobExists(
            message, job_id=job_id, blob=blob if isinstance(blob, Mapping) else None,
            platform=platform,
        )
    if name == "ExpiredToken":
        return TokenExpired(message, **context)
    if name in _AUTH:
        return AuthError(message, **context)
    if name == "RateLimitExceeded" or response.status_code == 429:
        return _rate_limited(message, response, context)
    if name in _DENIED:
        return PermissionDenied(message, **context)
    if name in _MISSING:
        return NotFound(message, **context)
    if name in _TOO_BIG:
        return InvalidContent(message, rule="max_bytes", **context)
    if name == "InvalidRequest":
        if nsid in _WRITES:
            return InvalidContent(message, **context)
        if "not found" in message.lower():
            return NotFound(message, **context)
        return PlatformError(message, **context)
    return error_for_status(platform, response, message, code=name)


def _rate_limited(message: str, response: Response, context: dict[str, Any]) -> RateLimited:
    reset_at = _reset_at(response.headers.get("ratelimit-reset"))
    retry_after = parse_retry_after(response.headers.get("retry-after"))
    if retry_after is None and reset_at is not None:
        retry_after = delay_from(reset_at.timestamp(), "epoch")
    context = {**context, "status": response.status_code}
    return RateLimited(message, retry_after=retry_after, reset_at=reset_at, **context)
