"""Publishing to Bilibili: signed calls, parts of 8 MB (resumed), cover, submit, review."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import httpx
import pytest
import respx
from pydantic import SecretStr

import socialkit as sk
from socialkit.http import RetryPolicy
from socialkit.providers.bilibili import signed_headers
from socialkit.testing.contract import NoNetwork
from socialkit.testing.driver import Driver

from .bilibili_support import CLIENT_ID, SECRET, TOKEN, FakeBilibili, make_platform

MB = 1024 * 1024
VIDEO = b"\0\0\0\x18ftypmp42" + b"v" * 64
COVER = sk.MediaUpload(data=b"\xff\xd8jpeg", filename="cover.jpg")


def draft(video: bytes = VIDEO, **options: Any) -> sk.Draft:
    return sk.Draft(
        text="新品开箱\n今天开箱我们的春季新品。",
        media=(sk.MediaUpload(data=video, filename="unbox.mp4"), COVER),
        options={"tags": ["开箱", "新品"], **options},
    )


def test_the_signature_follows_the_reference() -> None:
    headers = signed_headers(b'{"a":1}', CLIENT_ID, SecretStr(SECRET),
                             now=lambda: 1700000000, nonce=lambda: "n-1")
    digest = hashlib.md5(b'{"a":1}').hexdigest()
    text = (f"x-bili-accesskeyid:{CLIENT_ID}\n"
            f"x-bili-content-md5:{digest}\n"
            "x-bili-signature-method:HMAC-SHA256\nx-bili-signature-nonce:n-1\n"
            "x-bili-signature-version:2.0\nx-bili-timestamp:1700000000")
    assert headers["Authorization"] == hmac.new(
        SECRET.encode(), text.encode(), hashlib.sha256).hexdigest()


def test_publish_runs_init_parts_complete_cover_submit(bl: Driver, fake: FakeBilibili) -> None:
    post = bl.publish(draft())
    steps = [(r.method, r.url.host, r.url.path) for r in fake.requests]
    assert steps == [
        ("POST", "member.bilibili.com", "/arcopen/fn/archive/video/init"),
        ("POST", "openupos.bilivideo.com", "/video/v2/part/upload"),
        ("POST", "member.bilibili.com", "/arcopen/fn/archive/video/complete"),
        ("POST", "member.bilibili.com", "/arcopen/fn/archive/cover/upload"),
        ("POST", "member.bilibili.com", "/arcopen/fn/archive/add-by-utoken"),
    ]
    init, part, complete, _, submit = fake.requests
    assert json.loads(init.content) == {"name": "unbox.mp4", "utype": "0"}
    token = dict(complete.url.params)["upload_token"]
    assert dict(part.url.params) == {"upload_token": token, "part_number": "1"}
    assert part.headers["content-type"] == "application/octet-stream"
    assert "access-token" not in part.headers
    assert "authorization" not in part.headers
    assert part.content == VIDEO
    assert dict(submit.url.params) == {"upload_token": token}
    assert json.loads(submit.content) == {
        "title": "新品开箱", "cover": "https://i0.hdslb.com/bfs/archive/c1.jpg", "tid": 230,
        "no_reprint": 0, "desc": "今天开箱我们的春季新品。", "tag": "开箱,新品", "copyright": 1}
    assert submit.headers["access-token"] == TOKEN
    assert submit.headers["x-bili-accesskeyid"] == CLIENT_ID
    assert (post.state, post.state_reason) == ("pending", "under review (审核中)")
    assert post.url == f"https://www.bilibili.com/video/{post.id}"


def test_a_large_video_goes_in_8_mb_parts(bl: Driver, fake: FakeBilibili) -> None:
    data = bytes(range(256)) * (20 * MB // 256)
    bl.publish(draft(data))
    parts = [r for r in fake.requests if r.url.host == "openupos.bilivideo.com"]
    assert [len(p.content) for p in parts] == [8 * MB, 8 * MB, 4 * MB]
    assert next(iter(fake.videos.values())) == data


def test_a_failed_part_is_sent_again_without_resending_the_others(
    connect: Any, fake: FakeBilibili, router: respx.MockRouter, sleeps: list[float]
) -> None:
    left = [2]

    def flaky(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("part_number") == "2" and left[0]:
            left[0] -= 1
            fake.requests.append(request)
            return httpx.Response(502)
        return fake.handle(request)

    router.routes.clear()
    router.route(host="member.bilibili.com").mock(side_effect=fake.handle)
    router.route(host="openupos.bilivideo.com").mock(side_effect=flaky)
    data = b"x" * (17 * MB)
    client = connect(retry=RetryPolicy(attempts=1, backoff=0.0, max_backoff=0.0))
    client.publish(draft(data))
    numbers = [r.url.params["part_number"] for r in fake.requests
               if r.url.host == "openupos.bilivideo.com"]
    assert numbers == ["1", "2", "2", "2", "3"]
    assert len(sleeps) == 2
    assert next(iter(fake.videos.values())) == data


@pytest.mark.parametrize(("options", "rule"), [({"tags": []}, "tags"), ({"tid": None}, "tid")])
def test_tags_and_a_category_are_required_before_any_request(
    connect: Any, options: dict[str, Any], rule: str
) -> None:
    client = connect(make_platform(tid=None), transport=NoNetwork())
    with pytest.raises(sk.InvalidContent) as raised:
        client.publish(draft(**options))
    assert raised.value.rule == rule


def test_a_video_without_a_cover_is_refused_before_any_request(connect: Any) -> None:
    only = sk.Draft(text="t", media=(sk.MediaUpload(data=VIDEO, filename="v.mp4"),),
                    options={"tags": ["a"]})
    with pytest.raises(sk.InvalidContent, match="cover"):
        connect(transport=NoNetwork()).publish(only)


def test_text_alone_is_unsupported_before_any_request(connect: Any) -> None:
    with pytest.raises(sk.Unsupported):
        connect(transport=NoNetwork()).publish("just a dynamic")
