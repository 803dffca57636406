"""Publishing to Douyin: the wire format of uploads and create_video, parts, review state."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import respx

import socialkit as sk
from socialkit.http import RetryPolicy
from socialkit.providers.douyin.settings import MB
from socialkit.testing.driver import Driver

from .douyin_support import API, OPEN_ID, TOKEN, FakeDouyin, load, make_platform, multipart_fields

CLIP = b"\0\0\0\x18ftypmp42" + b"v" * 100


def clip(data: bytes = CLIP) -> sk.MediaUpload:
    return sk.MediaUpload(data=data, filename="launch.mp4")


def fake_body(fake: FakeDouyin, name: str) -> bytes:
    """What the fake answered to the first request to ``name``."""
    request = next(r for r in fake.requests if r.url.path.endswith(f"/{name}/"))
    return fake.answers[id(request)]


def test_a_small_video_is_uploaded_whole_then_created(dy: Driver, fake: FakeDouyin) -> None:
    post = dy.publish(sk.Draft(text="春季新品 #新品 @品牌", media=(clip(),)))
    upload, create = fake.requests
    assert (upload.method, upload.url.path) == ("POST", "/api/douyin/v1/video/upload_video/")
    assert dict(upload.url.params) == {"open_id": OPEN_ID}
    assert upload.headers["access-token"] == TOKEN
    assert "authorization" not in upload.headers
    assert multipart_fields(upload)["video"] == ("launch.mp4", CLIP)
    assert (create.method, create.url.path) == ("POST", "/api/douyin/v1/video/create_video/")
    assert dict(create.url.params) == {"open_id": OPEN_ID}
    video_id = next(iter(fake.uploads))
    assert json.loads(create.content) == {"video_id": video_id, "text": "春季新品 #新品 @品牌"}
    assert post.id in fake.videos


def test_a_published_video_is_pending_review(dy: Driver, fake: FakeDouyin) -> None:
    post = dy.publish(sk.Draft(text="review me", media=(clip(),)))
    assert (post.state, post.state_reason) == ("pending", "under review (审核中)")


def test_draft_options_reach_create_video(dy: Driver, fake: FakeDouyin) -> None:
    options = {"cover_tsp": 2.5, "poi_id": "6601248937917548558", "at_users": ["open-1"],
               "micro_app_id": "tt1234", "micro_app_title": "Shop", "micro_app_url": "pages/i",
               "not_a_douyin_field": "dropped"}
    dy.publish(sk.Draft(text="with anchors", media=(clip(),), options=options))
    body = json.loads(fake.requests[-1].content)
    assert {k: body[k] for k in body if k not in ("video_id", "text")} == {
        k: v for k, v in options.items() if k != "not_a_douyin_field"
    }


def test_a_large_video_goes_up_in_parts_within_the_bounds(
    connect: Any, fake: FakeDouyin
) -> None:
    data = bytes(range(256)) * (45 * MB // 256)  # 45 MB: three parts of 20, 20 and 5 MB
    client = connect(make_platform(part_threshold=10 * MB))
    seen: list[tuple[int, int]] = []
    driver_post = client.run(client.platform.upload_and_publish(
        sk.Draft(text="big", media=(clip(data),)), progress=lambda a, t: seen.append((a, t))
    ))
    paths = [r.url.path.rsplit("/", 2)[-2] for r in fake.requests]
    assert paths == ["init_video_part_upload", "upload_video_part", "upload_video_part",
                     "upload_video_part", "complete_video_part_upload", "create_video"]
    parts = [r for r in fake.requests if r.url.path.endswith("/upload_video_part/")]
    assert [dict(r.url.params)["part_number"] for r in parts] == ["1", "2", "3"]
    init_answer = json.loads(fake_body(fake, "init_video_part_upload"))
    assert {dict(r.url.params)["upload_id"] for r in parts} == {init_answer["data"]["upload_id"]}
    sizes = [len(multipart_fields(r)["video"][1]) for r in parts]
    assert sizes == [20 * MB, 20 * MB, 5 * MB]
    assert fake.uploads[json.loads(fake.requests[-1].content)["video_id"]] == data
    assert seen[-1] == (len(data), len(data))
    assert driver_post.state == "pending"


def test_a_failed_part_is_sent_again_and_acknowledged_parts_are_not(
    kind: str, fake: FakeDouyin, router: respx.MockRouter, sleeps: list[float]
) -> None:
    data = b"x" * (12 * MB)  # parts of 5, 5 and 2 MB
    failures = {"left": 2}
    real = fake.handle

    def flaky(request: httpx.Request) -> httpx.Response:
        params = dict(request.url.params)
        if request.url.path.endswith("/upload_video_part/") and params["part_number"] == "2" \
                and failures["left"]:
            failures["left"] -= 1
            fake.requests.append(request)
            return httpx.Response(503)
        return real(request)

    router.routes.clear()
    router.route(host="open.douyin.com").mock(side_effect=flaky)
    platform = make_platform(part_threshold=5 * MB, part_size=5 * MB)
    once = RetryPolicy(attempts=1, backoff=0.0, max_backoff=0.0)
    if kind == "sync":
        with sk.Client(platform, retry=once) as client:
            post = client.publish(sk.Draft(text="resumed", media=(clip(data),)))
    else:
        import anyio

        async def run() -> sk.Post:
            async with sk.AsyncClient(platform, retry=once) as client:
                return await client.publish(sk.Draft(text="resumed", media=(clip(data),)))

        post = anyio.run(run)
    numbers = [dict(r.url.params)["part_number"] for r in fake.requests
               if r.url.path.endswith("/upload_video_part/")]
    assert numbers == ["1", "2", "2", "2", "3"]
    assert len(sleeps) == 2
    assert fake.uploads[json.loads(fake.requests[-1].content)["video_id"]] == data
    assert post.state == "pending"


def test_a_part_that_keeps_failing_gives_up(
    connect: Any, router: respx.MockRouter, fake: FakeDouyin
) -> None:
    router.routes.clear()
    router.post(f"{API}/api/douyin/v1/video/init_video_part_upload/").respond(
        200, json={"data": {"error_code": 0, "upload_id": "u1"}, "extra": {"error_code": 0}})
    part = router.post(f"{API}/api/douyin/v1/video/upload_video_part/").respond(503)
    client = connect(make_platform(part_threshold=5 * MB, part_size=5 * MB),
                     retry=RetryPolicy(attempts=1, backoff=0.0, max_backoff=0.0))
    with pytest.raises(sk.PlatformError):
        client.publish(sk.Draft(text="doomed", media=(clip(b"x" * (6 * MB)),)))
    assert part.call_count == 4  # the first try and three more


def test_images_become_an_image_text_post(dy: Driver, router: respx.MockRouter) -> None:
    upload = router.post(f"{API}/api/douyin/v1/video/upload_image/").mock(side_effect=[
        httpx.Response(200, json={"data": {"error_code": 0, "image": {"image_id": f"img{n}"}},
                                  "extra": {"error_code": 0}})
        for n in (1, 2)
    ])
    create = router.post(f"{API}/api/douyin/v1/video/create_image_text/").respond(
        200, json={"data": {"error_code": 0, "item_id": "@item"}, "extra": {"error_code": 0}})
    photos = tuple(sk.MediaUpload(data=b"\xff\xd8jpeg", filename=f"{n}.jpg") for n in (1, 2))
    post = dy.publish(sk.Draft(text="图文 #好物", media=photos, options={"poi_id": "p1"}))
    assert upload.call_count == 2
    assert "image" in multipart_fields(upload.calls[0].request)
    assert json.loads(create.calls.last.request.content) == {
        "image_list": ["img1", "img2"], "text": "图文 #好物", "poi_id": "p1"}
    assert dict(create.calls.last.request.url.params) == {"open_id": OPEN_ID}
    assert (post.id, post.state) == ("@item", "pending")


def test_text_alone_is_unsupported_before_any_request(connect: Any) -> None:
    from socialkit.testing.contract import NoNetwork

    client = connect(transport=NoNetwork())
    with pytest.raises(sk.Unsupported, match="video or images"):
        client.publish("just words")


def test_video_and_images_together_are_refused(connect: Any) -> None:
    from socialkit.testing.contract import NoNetwork

    photo = sk.MediaUpload(data=b"\xff\xd8", filename="a.jpg")
    with pytest.raises(sk.InvalidContent):
        connect(transport=NoNetwork()).publish(sk.Draft(media=(clip(), photo)))


def test_the_upload_example_of_the_reference_is_read(dy: Driver, router: respx.MockRouter
                                                      ) -> None:
    router.post(f"{API}/api/douyin/v1/video/upload_video/").respond(
        200, json=load("upload_video"))
    create = router.post(f"{API}/api/douyin/v1/video/create_video/").respond(
        200, json={"data": {"error_code": 0, "item_id": "@x"}, "extra": {"error_code": 0}})
    dy.publish(sk.Draft(text="t", media=(clip(),)))
    assert json.loads(create.calls.last.request.content)["video_id"] == \
        "v0200f450000bn8c6aa0ifki8fikg1b0"
