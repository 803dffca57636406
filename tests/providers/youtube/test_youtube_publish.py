"""Publishing: the resumable ``videos.insert`` (session, 256 KiB chunks, resume after a
drop), the draft → video resource mapping, thumbnails, processing, the private note."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pytest
import respx

import socialkit as sk
from socialkit.providers.youtube import PRIVATE_NOTE
from socialkit.testing.contract import NoNetwork
from socialkit.testing.driver import Driver

from .youtube_support import KIB256, UPLOAD, FakeYouTube, make_platform

VIDEO = bytes(range(256)) * (600 * 1024 // 256)  # 600 KiB: chunks of 256, 256 and 88 KiB


def clip(data: bytes = VIDEO) -> sk.MediaUpload:
    return sk.MediaUpload(data=data, filename="launch.mp4")


def draft(text: str = "Launch day\nWhat we built this year.", **fields: object) -> sk.Draft:
    return sk.Draft(text=text, media=(clip(),), **fields)  # type: ignore[arg-type]


def uploads(fake: FakeYouTube) -> list[httpx.Request]:
    return [r for r in fake.requests if r.url.path == "/upload/youtube/v3/videos"]


def test_publish_opens_a_resumable_session_with_the_video_resource(
    yt: Driver, fake: FakeYouTube
) -> None:
    yt.publish(draft(visibility="unlisted", options={"tags": ["launch", "brand"],
                                                     "made_for_kids": False}))
    start = uploads(fake)[0]
    assert start.method == "POST"
    assert str(start.url).startswith(f"{UPLOAD}/videos?")
    assert dict(start.url.params) == {"uploadType": "resumable", "part": "snippet,status"}
    assert start.headers["X-Upload-Content-Length"] == str(len(VIDEO))
    assert start.headers["X-Upload-Content-Type"] == "video/mp4"
    assert start.headers["Authorization"] == "Bearer ya29.secret-google-token"
    assert json.loads(start.content) == {
        "snippet": {"title": "Launch day", "description": "What we built this year.",
                    "categoryId": "22", "tags": ["launch", "brand"]},
        "status": {"privacyStatus": "unlisted", "selfDeclaredMadeForKids": False},
    }


def test_chunks_are_multiples_of_256_kib_with_content_range(
    yt: Driver, fake: FakeYouTube
) -> None:
    post = yt.publish(draft())
    puts = [r for r in uploads(fake) if r.method == "PUT"]
    total = len(VIDEO)
    assert [r.headers["Content-Range"] for r in puts] == [
        f"bytes 0-{KIB256 - 1}/{total}",
        f"bytes {KIB256}-{2 * KIB256 - 1}/{total}",
        f"bytes {2 * KIB256}-{total - 1}/{total}",
    ]
    assert [len(r.content) for r in puts] == [KIB256, KIB256, total - 2 * KIB256]
    assert fake.sessions
    assert next(iter(fake.sessions.values()))["data"] == VIDEO
    assert post.id in fake.videos


def test_a_drop_mid_chunk_resumes_from_the_acknowledged_offset_without_resending(
    yt: Driver, fake: FakeYouTube
) -> None:
    held = KIB256 + 1000  # the server kept 1,000 bytes of the second chunk, then dropped
    fake.drop_after = held
    post = yt.publish(draft())
    session = next(iter(fake.sessions.values()))
    assert session["data"] == VIDEO
    puts = [r for r in uploads(fake) if r.method == "PUT"]
    ranges = [r.headers["Content-Range"] for r in puts]
    total = len(VIDEO)
    assert ranges == [
        f"bytes 0-{KIB256 - 1}/{total}",
        f"bytes {KIB256}-{2 * KIB256 - 1}/{total}",  # dropped after 1,000 bytes
        f"bytes */{total}",  # how much arrived?
        f"bytes {held}-{2 * KIB256 - 1}/{total}",  # the rest of that chunk, aligned again
        f"bytes {2 * KIB256}-{total - 1}/{total}",
    ]
    assert puts[2].content == b""
    assert puts[2].headers["Content-Length"] == "0"
    received = sorted(fake.received)
    assert all(a[1] < b[0] for a, b in itertools.pairwise(received))
    assert post.id in fake.videos


def test_a_server_error_on_a_chunk_resumes_from_what_arrived(
    yt: Driver, fake: FakeYouTube
) -> None:
    fake.fail_next_chunk = 503
    yt.publish(draft())
    ranges = [r.headers["Content-Range"] for r in uploads(fake) if r.method == "PUT"]
    total = len(VIDEO)
    assert ranges[:3] == [f"bytes 0-{KIB256 - 1}/{total}", f"bytes */{total}",
                          f"bytes 0-{KIB256 - 1}/{total}"]
    assert next(iter(fake.sessions.values()))["data"] == VIDEO


def test_a_lost_answer_to_the_last_chunk_finds_the_video_without_a_second_upload(
    yt: Driver, fake: FakeYouTube
) -> None:
    fake.lose_final_answer = True
    before = len(fake.videos)
    post = yt.publish(draft())
    ranges = [r.headers["Content-Range"] for r in uploads(fake) if r.method == "PUT"]
    assert ranges[-1] == f"bytes */{len(VIDEO)}"
    assert len(ranges) == 4
    assert len(fake.videos) == before + 1
    assert post.id in fake.videos


def test_a_lost_last_answer_that_cannot_be_checked_is_uncertain(
    yt: Driver, fake: FakeYouTube
) -> None:
    fake.lose_final_answer = True
    fake.fail_status_queries = True
    with pytest.raises(sk.PublishUncertain) as raised:
        yt.publish(draft())
    assert "may exist" in raised.value.message


def test_an_earlier_chunk_that_cannot_be_checked_is_a_plain_error(
    yt: Driver, fake: FakeYouTube
) -> None:
    fake.drop_after = 1000
    fake.fail_status_queries = True
    with pytest.raises(sk.PlatformError):
        yt.publish(draft())


def test_a_session_without_location_is_uncertain(
    yt: Driver, router: respx.MockRouter
) -> None:
    router.post(f"{UPLOAD}/videos").mock(return_value=httpx.Response(200))
    with pytest.raises(sk.PublishUncertain):
        yt.publish(draft())


def test_a_drop_before_anything_arrived_resends_from_zero(
    yt: Driver, fake: FakeYouTube
) -> None:
    fake.drop_after = 0
    yt.publish(draft())
    ranges = [r.headers["Content-Range"] for r in uploads(fake) if r.method == "PUT"]
    assert ranges[:3] == [f"bytes 0-{KIB256 - 1}/{len(VIDEO)}", f"bytes */{len(VIDEO)}",
                          f"bytes 0-{KIB256 - 1}/{len(VIDEO)}"]


def test_an_upload_that_keeps_failing_without_progress_is_uncertain(
    connect: Callable[..., Driver], router: respx.MockRouter, fake: FakeYouTube
) -> None:
    def always_drop(request: httpx.Request) -> httpx.Response:
        if request.method == "PUT" and request.content:
            raise httpx.RemoteProtocolError("dropped", request=request)
        return fake.handle(request)

    router.route(host="www.googleapis.com").mock(side_effect=always_drop)
    with pytest.raises(sk.PublishUncertain) as raised:
        connect().publish(draft())
    assert "no progress" in raised.value.message
    assert raised.value.idempotency_key


def test_an_image_with_the_video_becomes_its_thumbnail(
    yt: Driver, fake: FakeYouTube
) -> None:
    image = sk.MediaUpload(data=b"\xff\xd8jpeg", filename="thumb.jpg")
    post = yt.publish(sk.Draft(text="With a thumbnail", media=(clip(), image)))
    sent = [r for r in fake.requests if r.url.path == "/upload/youtube/v3/thumbnails/set"]
    assert len(sent) == 1
    assert sent[0].method == "POST"
    assert dict(sent[0].url.params) == {"videoId": post.id, "uploadType": "media"}
    assert sent[0].headers["Content-Type"] == "image/jpeg"
    assert fake.thumbnails[post.id] == b"\xff\xd8jpeg"


def test_processing_is_polled_with_sleeps_until_done(
    connect: Callable[..., Driver], fake: FakeYouTube, sleeps: list[float]
) -> None:
    client = connect(make_platform(processing_timeout=60, poll_interval=5))
    post = client.publish(draft())
    polls = [r for r in fake.requests if r.url.path == "/youtube/v3/videos"
             and r.method == "GET"]
    assert [dict(r.url.params) for r in polls] == [
        {"part": "processingDetails,status", "id": post.id}] * 2
    assert sleeps == [5.0]
    assert post.raw is not None
    assert post.raw["processingDetails"]["processingStatus"] == \
        "succeeded"


def test_a_failed_processing_check_still_returns_the_uploaded_video(
    connect: Callable[..., Driver], fake: FakeYouTube
) -> None:
    fake.fail_polls = True
    post = connect(make_platform(processing_timeout=60)).publish(draft())
    assert post.id in fake.videos
    assert post.raw is not None
    assert "backendError" in post.raw["processing_error"]
    assert len([r for r in uploads(fake) if r.method == "POST"]) == 1


def test_a_rejected_upload_raises_with_the_reason(
    connect: Callable[..., Driver], fake: FakeYouTube, router: respx.MockRouter
) -> None:
    client = connect(make_platform(processing_timeout=60))
    original = fake._create_video

    def rejected(meta: dict[str, object]) -> str:
        video_id = original(meta)
        fake.videos[video_id]["status"].update(uploadStatus="rejected",
                                               rejectionReason="duplicate")
        return video_id

    fake._create_video = rejected  # type: ignore[method-assign]
    with pytest.raises(sk.InvalidContent) as raised:
        client.publish(draft())
    assert raised.value.rule == "duplicate"


def test_a_public_upload_kept_private_says_so(yt: Driver, fake: FakeYouTube) -> None:
    fake.kept_private = True
    post = yt.publish(draft(visibility="public"))
    assert post.visibility == "private"
    assert post.raw is not None
    assert post.raw["privacy_note"] == PRIVATE_NOTE.format(wanted="public")


def test_a_private_upload_carries_no_note(yt: Driver, fake: FakeYouTube) -> None:
    fake.kept_private = True
    post = yt.publish(draft(visibility="private"))
    assert post.raw is not None
    assert "privacy_note" not in post.raw


def test_publish_at_schedules_a_private_video(yt: Driver, fake: FakeYouTube) -> None:
    when = datetime(2027, 1, 5, 17, 0, tzinfo=UTC)
    yt.publish(draft(visibility="public", options={"publish_at": when}))
    sent = json.loads(uploads(fake)[0].content)
    assert sent["status"] == {"privacyStatus": "private", "publishAt": "2027-01-05T17:00:00Z"}


def test_options_title_keeps_the_whole_text_as_description(
    yt: Driver, fake: FakeYouTube
) -> None:
    yt.publish(draft("Line one\nLine two", options={"title": "Explicit title"}))
    snippet = json.loads(uploads(fake)[0].content)["snippet"]
    assert (snippet["title"], snippet["description"]) == ("Explicit title", "Line one\nLine two")


def test_upload_progress_is_reported(yt: Driver, fake: FakeYouTube) -> None:
    seen: list[tuple[int, int]] = []
    platform = yt.platform
    yt.run(platform.upload_video(  # type: ignore[attr-defined]
        platform.validate(draft()), progress=lambda done, total: seen.append((done, total))))
    total = len(VIDEO)
    assert seen == [(KIB256, total), (2 * KIB256, total), (total, total)]


@pytest.mark.parametrize(
    ("bad", "rule"),
    [
        (sk.Draft(text="x" * 101, media=(clip(),)), "max_length"),
        (sk.Draft(text="", media=(clip(),)), "title"),
        (sk.Draft(text="A <b>title</b>", media=(clip(),)), "angle_brackets"),
        (sk.Draft(text="Title\n" + "é" * 2501, media=(clip(),)), "max_bytes"),
        (sk.Draft(text="Two videos", media=(clip(), clip())), "media"),
        (sk.Draft(text="Gif thumb", media=(clip(), sk.MediaUpload(data=b"g", filename="a.gif"))),
         "media"),
        (sk.Draft(text="Private?", media=(clip(),), visibility="direct"), "privacy_status"),
    ],
)
def test_bad_drafts_are_refused_before_io(bad: sk.Draft, rule: str) -> None:
    client = sk.Client(make_platform(), transport=NoNetwork())
    with pytest.raises(sk.InvalidContent) as raised:
        client.publish(bad)
    assert raised.value.rule == rule


def test_an_image_alone_is_unsupported_before_io() -> None:
    client = sk.Client(make_platform(), transport=NoNetwork())
    image = sk.MediaUpload(data=b"\xff\xd8", filename="a.jpg")
    with pytest.raises(sk.Unsupported) as raised:
        client.publish(sk.Draft(text="A picture", media=(image,)))
    assert raised.value.capability == "publish_image"


def test_text_alone_is_unsupported_with_the_reason_before_io() -> None:
    client = sk.Client(make_platform(), transport=NoNetwork())
    with pytest.raises(sk.Unsupported) as raised:
        client.publish("A community post")
    assert "community posts" in raised.value.message


def test_a_video_still_processing_is_published_pending(
    connect: Callable[..., Driver], fake: FakeYouTube
) -> None:
    post = connect(make_platform(processing_timeout=0)).publish(draft())
    assert (post.state, post.state_reason) == ("pending", "processing")


def test_a_processed_video_is_published(
    connect: Callable[..., Driver], fake: FakeYouTube
) -> None:
    post = connect(make_platform(processing_timeout=60, poll_interval=5)).publish(draft())
    assert post.state == "published"


def test_get_post_reports_a_rejection_after_the_upload(
    connect: Callable[..., Driver], fake: FakeYouTube
) -> None:
    client = connect(make_platform(processing_timeout=0))
    post = client.publish(draft())
    fake.videos[post.id]["status"].update(uploadStatus="rejected", rejectionReason="copyright")
    fetched = client.get_post(post.id)
    assert (fetched.state, fetched.state_reason) == ("rejected", "copyright")
