"""Direct Post: creator info first and the draft checked against it, the init body, the
chunked upload with ``Content-Range``, status polling, photos, and refusals before I/O."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

import socialkit as sk
from socialkit.providers.tiktok import TikTok

from .tiktok_support import API, UPLOAD_URL, make_platform, mp4, sent_json

CLIP = b"0123456789"


def video(data: bytes = CLIP, name: str = "clip.mp4") -> sk.MediaUpload:
    return sk.MediaUpload(data=data, filename=name)


def public(text: str = "this will be a funny #cat video", **options: Any) -> sk.Draft:
    return sk.Draft(text=text, media=(video(),), visibility="public", options=options)


def small_chunks(**settings: Any) -> TikTok:
    """A platform cutting uploads into 4-byte chunks (TikTok's real floor is 5 MB)."""
    platform = make_platform(**settings)
    platform.settings = platform.settings.model_copy(update={"chunk_size": 4})
    return platform


@pytest.fixture
def creator(router: respx.MockRouter, body: Callable[[str], Any]) -> respx.Route:
    return router.post(f"{API}/v2/post/publish/creator_info/query/").respond(
        200, json=body("creator_info")
    )


@pytest.fixture
def init(router: respx.MockRouter, body: Callable[[str], Any]) -> respx.Route:
    return router.post(f"{API}/v2/post/publish/video/init/").respond(
        200, json=body("video_init")
    )


@pytest.fixture
def upload(router: respx.MockRouter) -> respx.Route:
    return router.put(UPLOAD_URL).respond(201)


@pytest.fixture
def status(router: respx.MockRouter, body: Callable[[str], Any]) -> respx.Route:
    return router.post(f"{API}/v2/post/publish/status/fetch/").respond(
        200, json=body("status_complete")
    )


@pytest.fixture
def posting(
    creator: respx.Route, init: respx.Route, upload: respx.Route, status: respx.Route
) -> dict[str, respx.Route]:
    return {"creator": creator, "init": init, "upload": upload, "status": status}


def test_creator_info_is_queried_before_the_init(
    tt: Any, posting: dict[str, respx.Route], router: respx.MockRouter
) -> None:
    tt.publish(public())
    paths = [call.request.url.path for call in router.calls]
    assert paths[:2] == ["/v2/post/publish/creator_info/query/", "/v2/post/publish/video/init/"]
    request = posting["creator"].calls.last.request
    assert request.method == "POST"
    assert request.headers["Authorization"] == "Bearer act.secret-user-token"
    assert request.headers["Content-Type"] == "application/json; charset=UTF-8"


def test_a_privacy_level_the_creator_may_not_use_is_refused_before_init(
    tt: Any, router: respx.MockRouter, body: Callable[[str], Any], init: respx.Route
) -> None:
    private_only = body("creator_info")
    private_only["data"]["privacy_level_options"] = ["SELF_ONLY"]
    router.post(f"{API}/v2/post/publish/creator_info/query/").respond(200, json=private_only)
    with pytest.raises(sk.InvalidContent, match="PUBLIC_TO_EVERYONE") as raised:
        tt.publish(public())
    assert raised.value.rule == "privacy_level"
    assert not init.called


def test_no_chosen_privacy_level_is_refused_with_the_creators_options(
    tt: Any, creator: respx.Route, init: respx.Route
) -> None:
    draft = sk.Draft(text="cat", media=(video(),))
    with pytest.raises(sk.InvalidContent, match="MUTUAL_FOLLOW_FRIENDS") as raised:
        tt.publish(draft)
    assert raised.value.rule == "privacy_level"
    assert not init.called


def test_the_privacy_level_setting_applies_when_the_draft_says_nothing(
    connect: Callable[..., Any], posting: dict[str, respx.Route]
) -> None:
    client = connect(make_platform(privacy_level="MUTUAL_FOLLOW_FRIENDS"))
    client.publish(sk.Draft(text="cat", media=(video(),)))
    post_info = sent_json(posting["init"].calls.last.request)["post_info"]
    assert post_info["privacy_level"] == "MUTUAL_FOLLOW_FRIENDS"


def test_a_video_longer_than_the_creator_may_post_is_refused_before_init(
    tt: Any, creator: respx.Route, init: respx.Route
) -> None:
    draft = sk.Draft(text="long", media=(video(mp4(301.5)),), visibility="public")
    with pytest.raises(sk.InvalidContent) as raised:
        tt.publish(draft)
    assert (raised.value.rule, raised.value.count, raised.value.limit) == (
        "max_duration", 301, 300
    )
    assert not init.called


def test_a_video_within_the_limit_passes(tt: Any, posting: dict[str, respx.Route]) -> None:
    tt.publish(sk.Draft(text="ok", media=(video(mp4(12.0)),), visibility="public"))
    assert posting["init"].called


def test_the_duration_option_checks_a_video_pulled_from_a_url(
    tt: Any, creator: respx.Route, init: respx.Route
) -> None:
    remote = sk.MediaUpload(url="https://example.verified.domain.com/long.mp4")
    draft = sk.Draft(text="long", media=(remote,), visibility="public",
                     options={"duration_sec": 900})
    with pytest.raises(sk.InvalidContent, match="900 s"):
        tt.publish(draft)
    assert not init.called


def test_init_sends_post_info_and_file_upload_source_info(
    connect: Callable[..., Any], posting: dict[str, respx.Route]
) -> None:
    connect(small_chunks()).publish(public(disable_comment=True))
    assert sent_json(posting["init"].calls.last.request) == {
        "post_info": {
            "title": "this will be a funny #cat video",
            "privacy_level": "PUBLIC_TO_EVERYONE",
            "disable_duet": False,
            "disable_comment": True,
            "disable_stitch": True,  # the creator has stitches off
        },
        "source_info": {
            "source": "FILE_UPLOAD",
            "video_size": 10,
            "chunk_size": 4,
            "total_chunk_count": 2,
        },
    }


def test_chunks_are_put_with_content_range_and_content_type(
    connect: Callable[..., Any], posting: dict[str, respx.Route]
) -> None:
    connect(small_chunks()).publish(public())
    calls = posting["upload"].calls
    assert [c.request.headers["Content-Range"] for c in calls] == [
        "bytes 0-3/10", "bytes 4-9/10"
    ]
    assert [c.request.content for c in calls] == [b"0123", b"456789"]
    assert all(c.request.headers["Content-Type"] == "video/mp4" for c in calls)
    assert all(c.request.headers["Content-Length"] == str(len(c.request.content)) for c in calls)


def test_the_upload_host_gets_no_token(
    connect: Callable[..., Any], posting: dict[str, respx.Route]
) -> None:
    connect(small_chunks()).publish(public())
    assert all("Authorization" not in c.request.headers for c in posting["upload"].calls)


def test_partial_chunk_answers_are_not_errors(
    connect: Callable[..., Any], posting: dict[str, respx.Route]
) -> None:
    posting["upload"].side_effect = [httpx.Response(206), httpx.Response(201)]
    post = connect(small_chunks()).publish(public())
    assert post.id == "7314524516493231403"


def test_a_video_no_larger_than_a_chunk_goes_whole(
    tt: Any, posting: dict[str, respx.Route]
) -> None:
    tt.publish(public())
    source = sent_json(posting["init"].calls.last.request)["source_info"]
    assert (source["chunk_size"], source["total_chunk_count"]) == (10, 1)
    assert posting["upload"].calls.last.request.headers["Content-Range"] == "bytes 0-9/10"


def test_a_video_over_64_mb_goes_in_two_chunks_when_the_chunk_size_would_give_one(
    connect: Callable[..., Any], posting: dict[str, respx.Route]
) -> None:
    mb = 1024 * 1024
    size = 65 * mb + 3
    draft = sk.Draft(text="long", media=(video(bytes(size)),), visibility="public")
    connect(make_platform(chunk_size=64 * mb)).publish(draft)
    source = sent_json(posting["init"].calls.last.request)["source_info"]
    half = size // 2
    assert source == {
        "source": "FILE_UPLOAD", "video_size": size, "chunk_size": half, "total_chunk_count": 2
    }
    assert [c.request.headers["Content-Range"] for c in posting["upload"].calls] == [
        f"bytes 0-{half - 1}/{size}", f"bytes {half}-{size - 1}/{size}"
    ]


def test_a_video_from_a_url_is_pulled_without_upload(
    tt: Any, creator: respx.Route, router: respx.MockRouter, body: Callable[[str], Any],
    status: respx.Route,
) -> None:
    init = router.post(f"{API}/v2/post/publish/video/init/").respond(
        200, json=body("video_init_pull")
    )
    remote = sk.MediaUpload(url="https://example.verified.domain.com/example_video.mp4")
    tt.publish(sk.Draft(text="pulled", media=(remote,), visibility="private"))
    assert sent_json(init.calls.last.request)["source_info"] == {
        "source": "PULL_FROM_URL",
        "video_url": "https://example.verified.domain.com/example_video.mp4",
    }
    assert sent_json(status.calls.last.request) == {"publish_id": "v_pub_url~v2.123456789"}


def test_status_is_polled_with_sleeps_until_complete(
    tt: Any, posting: dict[str, respx.Route], body: Callable[[str], Any], sleeps: list[float]
) -> None:
    posting["status"].side_effect = [
        httpx.Response(200, json=body("status_processing")),
        httpx.Response(200, json=body("status_processing")),
        httpx.Response(200, json=body("status_complete")),
    ]
    post = tt.publish(public())
    assert sleeps == [5.0, 5.0]
    assert sent_json(posting["status"].calls.last.request) == {
        "publish_id": "v_pub_file~v2-1.123456789"
    }
    assert (post.id, post.url) == (
        "7314524516493231403", "https://www.tiktok.com/@tiktok/video/7314524516493231403"
    )
    assert post.raw is not None
    assert post.raw["publish_id"] == "v_pub_file~v2-1.123456789"


def test_a_failed_post_raises_with_the_fail_reason(
    tt: Any, posting: dict[str, respx.Route], body: Callable[[str], Any]
) -> None:
    posting["status"].respond(200, json=body("status_failed"))
    with pytest.raises(sk.InvalidContent, match="duration_check_failed") as raised:
        tt.publish(public())
    assert raised.value.code == "duration_check_failed"


def test_a_publish_that_never_completes_stops_within_the_timeout(
    connect: Callable[..., Any], posting: dict[str, respx.Route],
    body: Callable[[str], Any], sleeps: list[float],
) -> None:
    posting["status"].respond(200, json=body("status_processing"))
    client = connect(make_platform(publish_timeout=60, poll_interval=5))
    with pytest.raises(sk.PublishUncertain, match=re.escape("v_pub_file~v2-1.123456789")) as raised:
        client.publish(public())
    assert sum(sleeps) <= 60
    assert posting["status"].call_count == 13
    assert raised.value.idempotency_key


def test_a_private_post_returns_the_publish_id_at_once(
    tt: Any, posting: dict[str, respx.Route], body: Callable[[str], Any], sleeps: list[float]
) -> None:
    posting["status"].respond(200, json=body("status_complete_unmoderated"))
    post = tt.publish(sk.Draft(text="me only", media=(video(),), visibility="private"))
    assert (post.id, post.url, post.visibility) == ("v_pub_file~v2-1.123456789", None, "private")
    assert sleeps == []


def test_a_public_post_waits_a_bounded_time_for_moderation(
    connect: Callable[..., Any], posting: dict[str, respx.Route],
    body: Callable[[str], Any], sleeps: list[float],
) -> None:
    posting["status"].respond(200, json=body("status_complete_unmoderated"))
    post = connect(make_platform(moderation_wait=20)).publish(public())
    assert post.id == "v_pub_file~v2-1.123456789"
    assert sum(sleeps) <= 20


def test_photos_are_posted_from_urls(
    tt: Any, creator: respx.Route, router: respx.MockRouter, body: Callable[[str], Any],
    status: respx.Route,
) -> None:
    route = router.post(f"{API}/v2/post/publish/content/init/").respond(
        200, json=body("photo_init")
    )
    photos = tuple(
        sk.MediaUpload(url=f"https://tiktokcdn.com/obj/example-image-0{n}.webp") for n in (1, 2)
    )
    draft = sk.Draft(
        text="this will be a #funny photo", media=photos, visibility="public",
        options={"title": "funny cat", "photo_cover_index": 1, "auto_add_music": True},
    )
    tt.publish(draft)
    assert sent_json(route.calls.last.request) == {
        "post_info": {
            "description": "this will be a #funny photo",
            "privacy_level": "PUBLIC_TO_EVERYONE",
            "disable_comment": False,
            "title": "funny cat",
            "auto_add_music": True,
        },
        "source_info": {
            "source": "PULL_FROM_URL",
            "photo_cover_index": 1,
            "photo_images": [
                "https://tiktokcdn.com/obj/example-image-01.webp",
                "https://tiktokcdn.com/obj/example-image-02.webp",
            ],
        },
        "post_mode": "DIRECT_POST",
        "media_type": "PHOTO",
    }


def test_photos_from_bytes_are_refused_before_any_request(
    tt: Any, router: respx.MockRouter
) -> None:
    photo = sk.MediaUpload(data=b"jpeg", filename="a.jpg")
    with pytest.raises(sk.InvalidContent) as raised:
        tt.publish(sk.Draft(text="pic", media=(photo,), visibility="public"))
    assert raised.value.rule == "media_source"
    assert not router.calls


def test_text_alone_is_unsupported_before_any_request(tt: Any, router: respx.MockRouter) -> None:
    with pytest.raises(sk.Unsupported, match="no text-only posts"):
        tt.publish("Hello TikTok")
    assert not router.calls


def test_a_caption_over_2200_utf16_units_is_refused_before_any_request(
    tt: Any, router: respx.MockRouter
) -> None:
    with pytest.raises(sk.InvalidContent) as raised:
        tt.publish(public(text="😀" * 1101))
    assert (raised.value.rule, raised.value.count, raised.value.limit) == (
        "max_length", 2202, 2200
    )
    assert not router.calls


def test_two_videos_are_refused_before_any_request(tt: Any, router: respx.MockRouter) -> None:
    with pytest.raises(sk.InvalidContent) as raised:
        tt.publish(sk.Draft(text="two", media=(video(), video()), visibility="public"))
    assert raised.value.rule == "max_videos"
    assert not router.calls


def test_an_unknown_privacy_level_option_is_refused_before_any_request(
    tt: Any, router: respx.MockRouter
) -> None:
    draft = sk.Draft(text="x", media=(video(),), options={"privacy_level": "EVERYONE"})
    with pytest.raises(sk.InvalidContent) as raised:
        tt.publish(draft)
    assert raised.value.rule == "privacy_level"
    assert not router.calls


def test_an_init_that_fails_ambiguously_is_not_retried(
    tt: Any, creator: respx.Route, router: respx.MockRouter
) -> None:
    route = router.post(f"{API}/v2/post/publish/video/init/").respond(503)
    with pytest.raises(sk.PublishUncertain):
        tt.publish(public())
    assert route.call_count == 1


def test_a_daily_post_cap_is_rate_limited_without_retries(
    tt: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.post(f"{API}/v2/post/publish/creator_info/query/").respond(
        200, json=body("error_spam_risk")
    )
    with pytest.raises(sk.RateLimited) as raised:
        tt.publish(public())
    assert raised.value.retry_after == 86_400
    assert route.call_count == 1


def test_png_photos_are_refused_before_any_request(tt: Any, router: respx.MockRouter) -> None:
    photo = sk.MediaUpload(url="https://tiktokcdn.com/obj/example.png")
    with pytest.raises(sk.InvalidContent, match="no PNG") as raised:
        tt.publish(sk.Draft(text="pic", media=(photo,), visibility="public"))
    assert raised.value.rule == "media_type"
    assert not router.calls


def test_a_public_post_not_yet_named_is_pending_moderation(
    connect: Callable[..., Any], posting: dict[str, respx.Route],
    body: Callable[[str], Any], sleeps: list[float],
) -> None:
    posting["status"].respond(200, json=body("status_complete_unmoderated"))
    post = connect(make_platform(moderation_wait=20)).publish(public())
    assert (post.state, post.state_reason) == ("pending", "moderation")


def test_a_named_public_post_is_published(tt: Any, posting: dict[str, respx.Route]) -> None:
    assert tt.publish(public()).state == "published"


def test_get_post_of_a_publish_id_reports_a_failed_moderation_as_rejected(
    tt: Any, status: respx.Route, body: Callable[[str], Any]
) -> None:
    status.respond(200, json=body("status_failed"))
    post = tt.get_post("v_pub_file~v2-1.123456789")
    assert (post.id, post.state, post.state_reason) == (
        "v_pub_file~v2-1.123456789", "rejected", "duration_check_failed"
    )
    assert sent_json(status.calls.last.request) == {"publish_id": "v_pub_file~v2-1.123456789"}


def test_get_post_of_a_publish_id_still_moderated_is_pending(
    tt: Any, status: respx.Route, body: Callable[[str], Any]
) -> None:
    status.respond(200, json=body("status_complete_unmoderated"))
    assert tt.get_post("v_pub_file~v2-1.123456789").state == "pending"


def test_a_chunk_failing_past_the_drivers_retries_is_sent_again_alone(
    connect: Callable[..., Any], posting: dict[str, respx.Route], sleeps: list[float]
) -> None:
    attempts = sk.RetryPolicy().attempts
    busy = [httpx.Response(503)] * attempts  # the driver's own retries of chunk 2 all fail
    posting["upload"].side_effect = [httpx.Response(206), *busy, httpx.Response(201)]
    post = connect(small_chunks()).publish(public())
    ranges = [c.request.headers["Content-Range"] for c in posting["upload"].calls]
    assert ranges == ["bytes 0-3/10", *["bytes 4-9/10"] * (attempts + 1)]
    assert 2.0 in sleeps  # the flow's own pause before sending chunk 2 again
    assert post.id == "7314524516493231403"
    assert posting["init"].call_count == 1


def test_a_chunk_the_upload_host_refuses_fails_the_publish_at_once(
    connect: Callable[..., Any], posting: dict[str, respx.Route]
) -> None:
    posting["upload"].side_effect = [httpx.Response(206), httpx.Response(400)]
    with pytest.raises(sk.SocialkitError):
        connect(small_chunks()).publish(public())
    assert posting["upload"].call_count == 2
    assert posting["status"].call_count == 0


def test_upload_progress_is_reported_chunk_by_chunk(
    connect: Callable[..., Any], posting: dict[str, respx.Route]
) -> None:
    platform = small_chunks()
    seen: list[tuple[int, int]] = []
    connect(platform).run(platform.upload_video(public(), lambda a, t: seen.append((a, t))))
    assert seen == [(4, 10), (10, 10)]
