"""Media through X's v2 chunked upload: INITIALIZE, APPEND per segment, FINALIZE, polling
``processing_info`` with Sleep steps, alt text, and resuming an interrupted upload."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

import socialkit as sk

MEDIA_ID = "1880028106020515840"
PNG = sk.MediaUpload(data=b"0123456789", filename="chart.png")  # 3 segments of 4 bytes
VIDEO = sk.MediaUpload(data=b"0123456789abcdef", filename="clip.mp4")  # 4 segments


@pytest.fixture
def upload(router: respx.MockRouter, body: Callable[[str], Any]) -> respx.MockRouter:
    """Routes for a clean upload of an image and the post that carries it."""
    router.post("/2/media/upload/initialize", name="init").mock(
        return_value=httpx.Response(200, json=body("media_initialize")))
    router.post(f"/2/media/upload/{MEDIA_ID}/append", name="append").mock(
        return_value=httpx.Response(200, json=body("media_append")))
    router.post(f"/2/media/upload/{MEDIA_ID}/finalize", name="finalize").mock(
        return_value=httpx.Response(200, json=body("media_finalize_image")))
    router.post("/2/tweets", name="tweet").mock(
        return_value=httpx.Response(201, json=body("create_tweet")))
    return router


def segments(
    route: respx.Route, multipart: Callable[[httpx.Request], dict[str, bytes]]
) -> list[int]:
    return [int(multipart(call.request)["segment_index"]) for call in route.calls]


def test_initialize_declares_type_size_and_category(x: Any, upload: respx.MockRouter) -> None:
    x.publish(sk.Draft(text="A chart", media=(PNG,)))
    assert json.loads(upload.routes["init"].calls.last.request.content) == {
        "media_type": "image/png", "total_bytes": 10, "media_category": "tweet_image",
    }


@pytest.mark.parametrize(
    ("filename", "category"),
    [("a.gif", "tweet_gif"), ("a.mp4", "tweet_video"), ("a.jpg", "tweet_image")],
)
def test_media_category_follows_the_media_kind(
    x: Any, upload: respx.MockRouter, filename: str, category: str
) -> None:
    x.publish(sk.Draft(media=(sk.MediaUpload(data=b"12345", filename=filename),)))
    sent = json.loads(upload.routes["init"].calls.last.request.content)
    assert sent["media_category"] == category


def test_append_sends_each_segment_as_multipart_with_its_index(
    x: Any, upload: respx.MockRouter, multipart: Callable[[httpx.Request], dict[str, bytes]]
) -> None:
    x.publish(sk.Draft(text="A chart", media=(PNG,)))
    calls = upload.routes["append"].calls
    parts = [multipart(call.request) for call in calls]
    assert [p["segment_index"] for p in parts] == [b"0", b"1", b"2"]
    assert b"".join(p["media"] for p in parts) == b"0123456789"
    assert calls.last.request.headers["Content-Type"].startswith("multipart/form-data")


def test_finalize_has_no_body_and_comes_after_the_last_segment(
    x: Any, upload: respx.MockRouter
) -> None:
    x.publish(sk.Draft(text="A chart", media=(PNG,)))
    finalize = upload.routes["finalize"]
    assert finalize.call_count == 1
    assert finalize.calls.last.request.content == b""


def test_the_post_carries_the_uploaded_media_id(x: Any, upload: respx.MockRouter) -> None:
    x.publish(sk.Draft(text="A chart", media=(PNG,)))
    sent = json.loads(upload.routes["tweet"].calls.last.request.content)
    assert sent == {"text": "A chart", "media": {"media_ids": [MEDIA_ID]}}


def test_media_without_text_sends_an_empty_text(x: Any, upload: respx.MockRouter) -> None:
    x.publish(sk.Draft(media=(PNG,)))
    assert json.loads(upload.routes["tweet"].calls.last.request.content)["text"] == ""


def test_alt_text_is_set_through_media_metadata(
    x: Any, upload: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    metadata = upload.post("/2/media/metadata").mock(
        return_value=httpx.Response(200, json=body("media_metadata")))
    described = PNG.model_copy(update={"alt_text": "A chart"})
    x.publish(sk.Draft(text="A chart", media=(described,)))
    assert json.loads(metadata.calls.last.request.content) == {
        "id": MEDIA_ID, "metadata": {"alt_text": {"text": "A chart"}},
    }


def test_processing_is_polled_with_sleeps_until_succeeded(
    x: Any, upload: respx.MockRouter, body: Callable[[str], Any], sleeps: list[float]
) -> None:
    upload.routes["finalize"].mock(
        return_value=httpx.Response(200, json=body("media_finalize_video")))
    status = upload.get("/2/media/upload").mock(side_effect=[
        httpx.Response(200, json=body("media_status_in_progress")),
        httpx.Response(200, json=body("media_status_succeeded")),
    ])
    x.publish(sk.Draft(text="A clip", media=(VIDEO,)))
    assert [s for s in sleeps if s > 0] == [1.0, 3.0]
    assert dict(status.calls.last.request.url.params) == {
        "command": "STATUS", "media_id": MEDIA_ID,
    }
    assert upload.routes["tweet"].call_count == 1


def test_failed_processing_is_invalid_content_and_posts_nothing(
    x: Any, upload: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    upload.routes["finalize"].mock(
        return_value=httpx.Response(200, json=body("media_finalize_video")))
    upload.get("/2/media/upload").mock(
        return_value=httpx.Response(200, json=body("media_status_failed")))
    with pytest.raises(sk.InvalidContent, match="Unsupported video format") as raised:
        x.publish(sk.Draft(text="A clip", media=(VIDEO,)))
    assert raised.value.rule == "media_processing"
    assert upload.routes["tweet"].call_count == 0


def _failing_segment(
    upload: respx.MockRouter, body: Callable[[str], Any], failures: int, fault: Callable[[], Any],
    multipart: Callable[[httpx.Request], dict[str, bytes]],
) -> respx.Route:
    """APPEND of segment 2 fails ``failures`` times (by ``fault``), then succeeds."""
    left = {"n": failures}

    def answer(request: httpx.Request) -> httpx.Response:
        if multipart(request)["segment_index"] == b"2" and left["n"] > 0:
            left["n"] -= 1
            return fault()
        return httpx.Response(200, json=body("media_append"))

    route = upload.routes["append"]
    route.mock(side_effect=answer)
    return route


def test_an_append_failing_past_the_drivers_retries_resumes_that_segment_only(
    x: Any, upload: respx.MockRouter, body: Callable[[str], Any],
    multipart: Callable[[httpx.Request], dict[str, bytes]],
) -> None:
    attempts = sk.RetryPolicy().attempts
    busy = lambda: httpx.Response(503, json=body("problem_service_unavailable"))  # noqa: E731
    route = _failing_segment(upload, body, attempts, busy, multipart)
    x.publish(sk.Draft(text="A clip", media=(VIDEO,)))
    assert segments(route, multipart) == [0, 1, *[2] * (attempts + 1), 3]
    assert upload.routes["init"].call_count == 1


def test_an_append_after_connection_errors_resumes_that_segment_only(
    x: Any, upload: respx.MockRouter, body: Callable[[str], Any],
    multipart: Callable[[httpx.Request], dict[str, bytes]],
) -> None:
    attempts = sk.RetryPolicy().attempts

    def refused() -> httpx.Response:
        raise httpx.ConnectError("connection refused")

    route = _failing_segment(upload, body, attempts, refused, multipart)
    x.publish(sk.Draft(text="A clip", media=(VIDEO,)))
    assert segments(route, multipart) == [0, 1, *[2] * (attempts + 1), 3]
    assert upload.routes["tweet"].call_count == 1


def test_an_append_that_keeps_failing_stops_the_publish(
    x: Any, upload: respx.MockRouter, body: Callable[[str], Any],
    multipart: Callable[[httpx.Request], dict[str, bytes]],
) -> None:
    busy = lambda: httpx.Response(503, json=body("problem_service_unavailable"))  # noqa: E731
    route = _failing_segment(upload, body, 10_000, busy, multipart)
    with pytest.raises(sk.PlatformError) as raised:
        x.publish(sk.Draft(text="A clip", media=(VIDEO,)))
    assert raised.value.status == 503
    assert set(segments(route, multipart)) == {0, 1, 2}
    assert upload.routes["finalize"].call_count == 0
    assert upload.routes["tweet"].call_count == 0
