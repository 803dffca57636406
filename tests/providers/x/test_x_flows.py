"""The flows fed by hand, with no driver and no HTTP: the steps they yield, in order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

import socialkit as sk
from socialkit.platform import Call, Flow, Sleep
from socialkit.providers.x import UploadPolicy, X
from socialkit.providers.x.media import upload_media

MEDIA_ID = "1880028106020515840"


def answer(call: Call, status: int, payload: Any) -> httpx.Response:
    request = httpx.Request(call.method, "https://api.x.com" + call.url)
    return httpx.Response(status, json=payload, request=request)


def steps_of(flow: Flow[Any], reply: Callable[[Call], httpx.Response]) -> tuple[list[Any], Any]:
    """Run ``flow`` answering each Call with ``reply``; return its steps and its result."""
    steps: list[Any] = []
    sent: httpx.Response | None = None
    while True:
        try:
            step = flow.send(sent)
        except StopIteration as stop:
            return steps, stop.value
        steps.append(step)
        sent = reply(step) if isinstance(step, Call) else None


def test_publish_yields_one_non_idempotent_call_to_post_tweets(
    platform_factory: Callable[..., X], body: Callable[[str], Any]
) -> None:
    draft = sk.Draft(text="Hello from socialkit")
    steps, post = steps_of(
        platform_factory().publish(draft), lambda call: answer(call, 201, body("create_tweet"))
    )
    (call,) = steps
    assert (call.method, call.url, call.bucket) == ("POST", "/2/tweets", "tweets:write")
    assert call.json == {"text": "Hello from socialkit"}
    assert not call.is_idempotent
    assert call.idempotency_key == draft.idempotency_key
    assert post.id == "1445880548472328192"


def test_upload_steps_are_init_appends_finalize_then_sleeps_between_polls(
    platform_factory: Callable[..., X], body: Callable[[str], Any]
) -> None:
    platform = platform_factory()
    statuses = iter([body("media_status_in_progress"), body("media_status_succeeded")])

    def reply(call: Call) -> httpx.Response:
        if call.url.endswith("/initialize"):
            return answer(call, 200, body("media_initialize"))
        if call.url.endswith("/finalize"):
            return answer(call, 200, body("media_finalize_video"))
        if call.method == "GET":
            return answer(call, 200, next(statuses))
        return answer(call, 200, body("media_append"))

    upload = sk.MediaUpload(data=b"0123456789", filename="clip.mp4")
    steps, media_id = steps_of(upload_media(platform, upload, platform.upload_policy), reply)
    shape = [
        f"{s.method} {s.url}" if isinstance(s, Call) else f"sleep {s.seconds:g}" for s in steps
    ]
    assert shape == [
        "POST /2/media/upload/initialize",
        f"POST /2/media/upload/{MEDIA_ID}/append",
        f"POST /2/media/upload/{MEDIA_ID}/append",
        f"POST /2/media/upload/{MEDIA_ID}/append",
        f"POST /2/media/upload/{MEDIA_ID}/finalize",
        "sleep 1",
        "GET /2/media/upload",
        "sleep 3",
        "GET /2/media/upload",
    ]
    assert media_id == MEDIA_ID


def test_upload_steps_are_idempotent_calls_in_the_media_bucket(
    platform_factory: Callable[..., X], body: Callable[[str], Any]
) -> None:
    platform = platform_factory()

    def reply(call: Call) -> httpx.Response:
        name = "media_finalize_image" if call.url.endswith("/finalize") else "media_initialize"
        return answer(call, 200, body(name))

    upload = sk.MediaUpload(data=b"0123456789", filename="chart.png")
    steps, _ = steps_of(upload_media(platform, upload, platform.upload_policy), reply)
    assert all(s.is_idempotent and s.bucket == "media" for s in steps)


def test_a_failed_segment_is_resent_after_a_sleep(
    platform_factory: Callable[..., X], body: Callable[[str], Any]
) -> None:
    platform = platform_factory()
    flow = upload_media(platform, sk.MediaUpload(data=b"01234567", filename="a.png"),
                        UploadPolicy(chunk_size=4, resumes=1, resume_delay=5.0))
    init = next(flow)
    first = flow.send(answer(init, 200, body("media_initialize")))
    resume = flow.throw(sk.TransportError("connection reset", platform="x"))
    again = flow.send(None)
    assert isinstance(resume, Sleep)
    assert resume.seconds == 5.0
    assert isinstance(again, Call)
    assert again.data == first.data == {"segment_index": "0"}


def test_processing_that_outlasts_the_wait_budget_is_a_platform_error(
    platform_factory: Callable[..., X], body: Callable[[str], Any]
) -> None:
    platform = platform_factory()
    policy = UploadPolicy(chunk_size=16, max_processing_wait=2.0)

    def reply(call: Call) -> httpx.Response:
        if call.url.endswith("/initialize"):
            return answer(call, 200, body("media_initialize"))
        if call.url.endswith("/finalize"):
            return answer(call, 200, body("media_finalize_video"))
        if call.method == "GET":
            return answer(call, 200, body("media_status_in_progress"))
        return answer(call, 200, body("media_append"))

    with pytest.raises(sk.PlatformError, match="still processing"):
        steps_of(upload_media(platform, sk.MediaUpload(data=b"0", filename="a.mp4"), policy),
                 reply)


def test_upload_progress_is_reported_segment_by_segment(
    platform_factory: Callable[..., X], body: Callable[[str], Any]
) -> None:
    seen: list[tuple[int, int]] = []

    def reply(call: Call) -> httpx.Response:
        if call.url.endswith("/initialize"):
            return answer(call, 200, body("media_initialize"))
        if call.url.endswith("/finalize"):
            return answer(call, 200, body("media_finalize_image"))
        return answer(call, 200, body("media_append"))

    flow = upload_media(platform_factory(), sk.MediaUpload(data=b"0123456789", filename="a.png"),
                        UploadPolicy(chunk_size=4), progress=lambda a, t: seen.append((a, t)))
    steps_of(flow, reply)
    assert seen == [(4, 10), (8, 10), (10, 10)]


def test_a_segment_refused_with_a_4xx_is_not_sent_again(
    platform_factory: Callable[..., X], body: Callable[[str], Any]
) -> None:
    flow = upload_media(platform_factory(), sk.MediaUpload(data=b"01234567", filename="a.png"),
                        UploadPolicy(chunk_size=4, resumes=3))
    init = next(flow)
    flow.send(answer(init, 200, body("media_initialize")))
    with pytest.raises(sk.PlatformError):
        flow.throw(sk.PlatformError("bad segment", status=400, platform="x"))


def test_a_file_that_would_need_over_1000_segments_gets_larger_ones(
    platform_factory: Callable[..., X], body: Callable[[str], Any]
) -> None:
    def reply(call: Call) -> httpx.Response:
        if call.url.endswith("/initialize"):
            return answer(call, 200, body("media_initialize"))
        if call.url.endswith("/finalize"):
            return answer(call, 200, body("media_finalize_image"))
        return answer(call, 200, body("media_append"))

    flow = upload_media(platform_factory(), sk.MediaUpload(data=b"x" * 5000, filename="a.png"),
                        UploadPolicy(chunk_size=4))
    steps, _ = steps_of(flow, reply)
    appends = [s for s in steps if isinstance(s, Call) and s.url.endswith("/append")]
    assert len(appends) == 1000
    assert appends[-1].data == {"segment_index": "999"}
