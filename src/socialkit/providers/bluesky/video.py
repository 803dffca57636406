"""Video through Bluesky's video service, as the official apps publish it.

1. ``com.atproto.server.getServiceAuth`` on the PDS: a token for audience ``did:web:<PDS
   host>`` bound to ``com.atproto.repo.uploadBlob``, valid 30 minutes;
2. ``app.bsky.video.uploadVideo`` on the video service with that token (``?did=&name=``,
   the MP4 bytes as the body); the service transcodes the file and stores the result on
   the PDS for us;
3. ``app.bsky.video.getJobStatus`` polled (with `Sleep` steps) until the job carries the
   blob; a file the service already knows answers 409 ``already_exists`` with its job id.

The service answers ``uploadVideo`` with a bare ``jobStatus`` object although the Lexicon
wraps it in ``{"jobStatus": ...}``; both shapes are read.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ...errors import InvalidContent, ParseError, PlatformError
from ...platform import Call, Flow, Sleep
from . import xrpc
from .xrpc import VideoJobExists

if TYPE_CHECKING:
    from ...steps import Response

__all__ = ["process"]

SERVICE_AUTH = "com.atproto.server.getServiceAuth"
UPLOAD = "app.bsky.video.uploadVideo"
STATUS = "app.bsky.video.getJobStatus"
TOKEN_LIFETIME = 30 * 60
UPLOAD_TIMEOUT = 300.0
FAILED = "JOB_STATE_FAILED"


def _status(response: Response | None, platform: str) -> Mapping[str, Any]:
    if response is None:
        raise ParseError("expected a response, got none", platform=platform)
    try:
        body = json.loads(response.content)
    except (ValueError, RecursionError) as exc:
        raise ParseError("malformed JSON from the video service", platform=platform) from exc
    if not isinstance(body, Mapping):
        raise ParseError("the video service answered with no job status", platform=platform)
    inner = body.get("jobStatus")
    return inner if isinstance(inner, Mapping) else body


def _failure(status: Mapping[str, Any], platform: str) -> Exception:
    code = status.get("failureCode")
    message = str(status.get("message") or status.get("error") or "video processing failed")
    if code == "validation_failure":
        return InvalidContent(f"the video service refused the file: {message}",
                              rule="video", platform=platform)
    return PlatformError(f"video processing failed: {message}", platform=platform,
                         code=code if isinstance(code, str) else None)


def _job(call: Call, platform: str) -> Flow[Mapping[str, Any]]:
    """A job status from the video service; a file it already processed is a finished job."""
    try:
        response = yield call
    except VideoJobExists as exists:
        return {"jobId": exists.job_id, **({"blob": exists.blob} if exists.blob else {})}
    return _status(response, platform)


def process(
    data: bytes,
    *,
    filename: str,
    did: str,
    pds: str,
    video_service: str,
    platform: str,
    wait: float,
    poll: tuple[float, float, float] = (1.0, 1.5, 5.0),
) -> Flow[Mapping[str, Any]]:
    """Upload an MP4 to the video service and wait (up to ``wait`` seconds) for its blob.

    ``poll`` is (first interval, growth factor, longest interval) in seconds.
    """
    response = yield Call(
        "GET",
        xrpc.path(SERVICE_AUTH),
        params={
            "aud": f"did:web:{urlsplit(pds).hostname}",
            "lxm": "com.atproto.repo.uploadBlob",
            "exp": int(time.time()) + TOKEN_LIFETIME,
        },
    )
    token = _status(response, platform).get("token")
    if not isinstance(token, str) or not token:
        raise ParseError("getServiceAuth answered without a token", platform=platform)
    status = yield from _job(
        Call(
            "POST",
            f"{video_service}{xrpc.path(UPLOAD)}",
            params={"did": did, "name": filename},
            content=data,
            headers={"Content-Type": "video/mp4", "Authorization": f"Bearer {token}"},
            authenticated=False,  # the service token, not the session's access token
            idempotent=True,  # the service recognises a file it already has
            bucket=xrpc.bucket(UPLOAD),
            timeout=UPLOAD_TIMEOUT,
        ),
        platform,
    )
    interval, growth, longest = poll
    waited = 0.0
    while not isinstance(status.get("blob"), Mapping):
        if status.get("state") == FAILED:
            raise _failure(status, platform)
        job_id = status.get("jobId")
        if not isinstance(job_id, str) or not job_id:
            raise ParseError("the video service answered without a job id", platform=platform)
        if waited >= wait:
            raise PlatformError(
                f"the video was still processing after {wait:.0f} s (job {job_id})",
                platform=platform, code="timeout",
            )
        yield Sleep(interval)
        waited += interval
        interval = min(interval * growth, longest)
        status = yield from _job(
            Call(
                "GET",
                f"{video_service}{xrpc.path(STATUS)}",
                params={"jobId": job_id},
                authenticated=False,
                bucket=xrpc.bucket(STATUS),
            ),
            platform,
        )
    blob: Mapping[str, Any] = status["blob"]
    return blob
