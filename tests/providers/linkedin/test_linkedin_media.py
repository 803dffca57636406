"""Media: the Images API (token only to LinkedIn's upload host), the Videos API (parts by
byte range, ETags, finalize, processing) and the content of the post."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

import socialkit as sk

from .linkedin_support import ORG, sent_json

API = "https://api.linkedin.com"
IMAGE = "urn:li:image:C4E10AQFoyyAjHPMQuQ"
VIDEO = "urn:li:video:C5F10AQGKQg_6y2a4sQ"
UPLOAD_HOST = "https://www.linkedin.com/dms-uploads/"
VIDEO_BYTES = b"0123456789"


def image(name: str = "spring.png", alt: str | None = None) -> sk.MediaUpload:
    return sk.MediaUpload(data=b"\x89PNG-bytes", filename=name, alt_text=alt)


def video() -> sk.MediaUpload:
    return sk.MediaUpload(data=VIDEO_BYTES, filename="clip.mp4")


@pytest.fixture
def create(router: respx.MockRouter) -> respx.Route:
    return router.post(f"{API}/rest/posts").mock(
        return_value=httpx.Response(201, headers={"x-restli-id": "urn:li:share:1"})
    )


@pytest.fixture
def images(router: respx.MockRouter, body: Callable[[str], Any]) -> respx.Route:
    return router.post(f"{API}/rest/images", params={"action": "initializeUpload"}).respond(
        200, json=body("image_initialize")
    )


@pytest.fixture
def image_put(router: respx.MockRouter) -> respx.Route:
    return router.put(url__startswith=UPLOAD_HOST).respond(201)


@pytest.fixture
def videos(router: respx.MockRouter, body: Callable[[str], Any]) -> dict[str, respx.Route]:
    parts = iter(['"etag-part-1"', '"etag-part-2"'])
    return {
        "init": router.post(f"{API}/rest/videos", params={"action": "initializeUpload"}).respond(
            200, json=body("video_initialize")
        ),
        "put": router.put(url__startswith=UPLOAD_HOST).mock(
            side_effect=lambda request: httpx.Response(200, headers={"ETag": next(parts)})
        ),
        "finalize": router.post(f"{API}/rest/videos", params={"action": "finalizeUpload"}).respond(
            200
        ),
        "status": router.get(f"{API}/rest/videos/{VIDEO}").respond(
            200, json=body("video_available")
        ),
    }


def test_image_upload_is_initialized_for_the_author(
    li: Any, images: respx.Route, image_put: respx.Route, create: respx.Route
) -> None:
    li.publish(sk.Draft(text="Spring", media=(image(),)))
    request = images.calls.last.request
    assert request.url.query == b"action=initializeUpload"
    assert request.headers["LinkedIn-Version"]
    assert request.headers["X-Restli-Protocol-Version"]
    assert sent_json(request) == {"initializeUploadRequest": {"owner": ORG}}


def test_image_bytes_are_put_to_the_upload_url(
    li: Any, images: respx.Route, image_put: respx.Route, create: respx.Route,
    body: Callable[[str], Any],
) -> None:
    li.publish(sk.Draft(text="Spring", media=(image(),)))
    request = image_put.calls.last.request
    assert str(request.url) == body("image_initialize")["value"]["uploadUrl"]
    assert request.content == b"\x89PNG-bytes"


def test_linkedins_upload_host_gets_the_token_as_the_images_api_says(
    li: Any, images: respx.Route, image_put: respx.Route, create: respx.Route
) -> None:
    li.publish(sk.Draft(text="Spring", media=(image(),)))
    assert image_put.calls.last.request.headers["Authorization"] == "Bearer li-secret-token"


def test_an_upload_url_on_another_host_never_gets_the_token(
    li: Any, router: respx.MockRouter, create: respx.Route
) -> None:
    foreign = "https://uploads.example-cdn.net/put/abc?sig=1"
    router.post(f"{API}/rest/images", params={"action": "initializeUpload"}).respond(
        200, json={"value": {"uploadUrl": foreign, "image": IMAGE}}
    )
    put = router.put(foreign).respond(201)
    li.publish(sk.Draft(text="Spring", media=(image(),)))
    assert "Authorization" not in put.calls.last.request.headers


def test_one_image_is_the_posts_media_with_its_alt_text(
    li: Any, images: respx.Route, image_put: respx.Route, create: respx.Route
) -> None:
    li.publish(sk.Draft(text="Spring", media=(image(alt="Three jackets"),)))
    content = sent_json(create.calls.last.request)["content"]
    assert content == {"media": {"id": IMAGE, "altText": "Three jackets"}}


def test_two_images_make_a_multi_image_post(
    li: Any, images: respx.Route, image_put: respx.Route, create: respx.Route
) -> None:
    li.publish(sk.Draft(text="Spring", media=(image("a.png"), image("b.png"))))
    content = sent_json(create.calls.last.request)["content"]
    assert content == {"multiImage": {"images": [{"id": IMAGE}, {"id": IMAGE}]}}
    assert images.call_count == 2


def test_media_from_a_url_is_refused_before_any_request(
    li: Any, router: respx.MockRouter
) -> None:
    remote = sk.MediaUpload(url="https://example.com/a.png")
    with pytest.raises(sk.InvalidContent) as raised:
        li.publish(sk.Draft(text="Spring", media=(remote,)))
    assert raised.value.rule == "media_source"
    assert not router.calls


def test_video_upload_is_initialized_with_its_size(
    li: Any, videos: dict[str, respx.Route], create: respx.Route
) -> None:
    li.publish(sk.Draft(text="Watch", media=(video(),)))
    assert sent_json(videos["init"].calls.last.request) == {
        "initializeUploadRequest": {
            "owner": ORG,
            "fileSizeBytes": 10,
            "uploadCaptions": False,
            "uploadThumbnail": False,
        }
    }


def test_video_parts_are_put_by_their_byte_ranges(
    li: Any, videos: dict[str, respx.Route], create: respx.Route, body: Callable[[str], Any]
) -> None:
    li.publish(sk.Draft(text="Watch", media=(video(),)))
    instructions = body("video_initialize")["value"]["uploadInstructions"]
    calls = videos["put"].calls
    assert [str(c.request.url) for c in calls] == [i["uploadUrl"] for i in instructions]
    assert [c.request.content for c in calls] == [b"0123", b"456789"]
    assert all(c.request.headers["Content-Type"] == "application/octet-stream" for c in calls)


def test_video_parts_go_without_the_token(
    li: Any, videos: dict[str, respx.Route], create: respx.Route
) -> None:
    li.publish(sk.Draft(text="Watch", media=(video(),)))
    assert all("Authorization" not in c.request.headers for c in videos["put"].calls)


def test_finalize_sends_the_etags_in_part_order(
    li: Any, videos: dict[str, respx.Route], create: respx.Route
) -> None:
    li.publish(sk.Draft(text="Watch", media=(video(),)))
    assert sent_json(videos["finalize"].calls.last.request) == {
        "finalizeUploadRequest": {
            "video": VIDEO,
            "uploadToken": "",
            "uploadedPartIds": ['"etag-part-1"', '"etag-part-2"'],
        }
    }


def test_the_video_is_the_posts_media(
    li: Any, videos: dict[str, respx.Route], create: respx.Route
) -> None:
    li.publish(sk.Draft(text="Watch", media=(video(),), options={"video_title": "Spring"}))
    assert sent_json(create.calls.last.request)["content"] == {
        "media": {"id": VIDEO, "title": "Spring"}
    }


def test_a_video_part_answered_without_etag_is_a_parse_error(
    li: Any, router: respx.MockRouter, body: Callable[[str], Any], create: respx.Route
) -> None:
    router.post(f"{API}/rest/videos", params={"action": "initializeUpload"}).respond(
        200, json=body("video_initialize")
    )
    router.put(url__startswith=UPLOAD_HOST).respond(200)
    with pytest.raises(sk.ParseError, match="ETag"):
        li.publish(sk.Draft(text="Watch", media=(video(),)))
    assert not create.called


def test_processing_is_polled_with_sleeps_until_available(
    li: Any, videos: dict[str, respx.Route], create: respx.Route,
    body: Callable[[str], Any], sleeps: list[float],
) -> None:
    videos["status"].side_effect = [
        httpx.Response(200, json=body("video_processing")),
        httpx.Response(200, json=body("video_processing")),
        httpx.Response(200, json=body("video_available")),
    ]
    li.publish(sk.Draft(text="Watch", media=(video(),)))
    assert sleeps == [5.0, 5.0]
    assert videos["status"].calls.last.request.url.raw_path == (
        b"/rest/videos/urn%3Ali%3Avideo%3AC5F10AQGKQg_6y2a4sQ"
    )
    assert create.called


def test_a_video_that_failed_processing_is_invalid_content_and_not_posted(
    li: Any, videos: dict[str, respx.Route], create: respx.Route, body: Callable[[str], Any]
) -> None:
    videos["status"].respond(200, json=body("video_failed"))
    with pytest.raises(sk.InvalidContent) as raised:
        li.publish(sk.Draft(text="Watch", media=(video(),)))
    assert raised.value.rule == "media_processing"
    assert "3 seconds" in raised.value.message
    assert not create.called


def test_processing_wait_is_bounded(
    li: Any, videos: dict[str, respx.Route], create: respx.Route,
    body: Callable[[str], Any], sleeps: list[float],
) -> None:
    videos["status"].respond(200, json=body("video_processing"))
    with pytest.raises(sk.PlatformError, match="still processing"):
        li.publish(sk.Draft(text="Watch", media=(video(),)))
    assert sum(sleeps) <= 600
    assert not create.called


def test_a_token_that_cannot_read_videos_posts_without_waiting(
    li: Any, videos: dict[str, respx.Route], create: respx.Route, body: Callable[[str], Any]
) -> None:
    videos["status"].respond(403, json=body("error_access_denied"))
    li.publish(sk.Draft(text="Watch", media=(video(),)))
    assert create.called
