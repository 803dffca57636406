"""Publishing an article: cover, images, draft, submit, and polling until WeChat decides."""

from __future__ import annotations

import httpx
import pytest
import respx

from socialkit.client import Client
from socialkit.errors import InvalidContent, PublishUncertain, Unsupported
from socialkit.models import Draft, MediaUpload
from socialkit.providers.wechat import PublishFailed, PublishPending
from socialkit.testing.contract import NoNetwork

from .wechat_support import ARTICLE, FAST, TOKEN, Driver, body, load, make_platform

QPIC = load("uploadimg")["url"]


@pytest.fixture
def publishing(api: respx.MockRouter) -> respx.MockRouter:
    """draft/add and submit succeed; freepublish/get says 'publishing' then 'success'."""
    api.post("/cgi-bin/draft/add", name="draft").respond(200, json=load("draft_add"))
    api.post("/cgi-bin/freepublish/submit", name="submit").respond(
        200, json=load("freepublish_submit")
    )
    api.post("/cgi-bin/freepublish/get", name="status").mock(
        side_effect=[
            httpx.Response(200, json=load("freepublish_get_publishing")),
            httpx.Response(200, json=load("freepublish_get_success")),
        ]
    )
    return api


def offline(**settings: object) -> Client:
    return Client(make_platform(**settings), transport=NoNetwork(), retry=FAST)


def test_publish_adds_a_draft_submits_it_and_polls(
    driver: Driver, publishing: respx.MockRouter
) -> None:
    post = driver("publish", Draft(text="<p>新品上线</p>", options={"title": "新品发布"}))
    draft = publishing.routes["draft"].calls[0].request
    assert draft.url.params["access_token"] == TOKEN
    assert body(draft) == {
        "articles": [
            {
                "title": "新品发布",
                "author": "",
                "digest": "",
                "need_open_comment": 0,
                "only_fans_can_comment": 0,
                "content": "<p>新品上线</p>",
                "thumb_media_id": "COVER_MEDIA_ID",
            }
        ]
    }
    assert body(publishing.routes["submit"].calls[0].request) == {"media_id": "DRAFT_MEDIA_ID"}
    assert body(publishing.routes["status"].calls[0].request) == {"publish_id": "100000001"}
    assert driver.sleeps == [2.0]
    assert post.id == f"{ARTICLE}@2247483655"
    assert post.url == "https://mp.weixin.qq.com/s/8yzT20EvmDg37Jso9nsIIw"
    assert post.text == "新品上线"


def test_the_titles_chinese_is_sent_as_utf_8(driver: Driver, publishing: respx.MockRouter) -> None:
    driver("publish", Draft(text="正文", options={"title": "新品发布"}))
    assert "新品发布".encode() in publishing.routes["draft"].calls[0].request.content


def test_a_cover_upload_becomes_permanent_material(
    driver: Driver, publishing: respx.MockRouter
) -> None:
    material = publishing.post("/cgi-bin/material/add_material").respond(
        200, json=load("add_material")
    )
    cover = MediaUpload(data=b"\xff\xd8jpeg", filename="cover.jpg")
    driver("publish", Draft(text="正文", options={"title": "标题", "cover": cover}))
    request = material.calls[0].request
    assert dict(request.url.params) == {"type": "image", "access_token": TOKEN}
    assert b'name="media"; filename="cover.jpg"\r\nContent-Type: image/jpeg' in request.content
    sent = body(publishing.routes["draft"].calls[0].request)["articles"][0]
    assert sent["thumb_media_id"] == "COVER_MEDIA_ID"


def test_attached_images_are_uploaded_into_the_content(
    driver: Driver, publishing: respx.MockRouter
) -> None:
    upload = publishing.post("/cgi-bin/media/uploadimg").respond(200, json=load("uploadimg"))
    photo = MediaUpload(data=b"\x89PNG", filename="photo.png")
    draft = Draft(text='<p>看图</p><img src="photo.png"/>', options={"title": "图"}).with_media(
        photo
    )
    driver("publish", draft)
    assert b'name="media"; filename="photo.png"' in upload.calls[0].request.content
    content = body(publishing.routes["draft"].calls[0].request)["articles"][0]["content"]
    assert content == f'<p>看图</p><img src="{QPIC}"/>'


def test_attached_images_not_in_the_content_are_appended(
    driver: Driver, publishing: respx.MockRouter
) -> None:
    publishing.post("/cgi-bin/media/uploadimg").respond(200, json=load("uploadimg"))
    photo = MediaUpload(data=b"\x89PNG", filename="photo.png")
    driver("publish", Draft(text="正文", options={"title": "图"}).with_media(photo))
    content = body(publishing.routes["draft"].calls[0].request)["articles"][0]["content"]
    assert content == f'<p>正文</p><p><img src="{QPIC}"/></p>'


def test_external_images_are_rehosted_and_wechat_ones_kept(
    driver: Driver, publishing: respx.MockRouter
) -> None:
    external = publishing.get("https://cdn.example.com/a.png").respond(
        200, content=b"\x89PNG", headers={"Content-Type": "image/png"}
    )
    publishing.post("/cgi-bin/media/uploadimg").respond(200, json=load("uploadimg"))
    markup = '<img src="https://cdn.example.com/a.png"/><img src="https://mmbiz.qpic.cn/x/0"/>'
    driver("publish", Draft(text=markup, options={"title": "图"}))
    assert "access_token" not in external.calls[0].request.url.params
    content = body(publishing.routes["draft"].calls[0].request)["articles"][0]["content"]
    assert content == f'<img src="{QPIC}"/><img src="https://mmbiz.qpic.cn/x/0"/>'


def test_plain_text_becomes_paragraphs_and_the_title_its_first_line(
    driver: Driver, publishing: respx.MockRouter
) -> None:
    driver("publish", "新品上线\n限时 <8折>\n\n欢迎选购")
    sent = body(publishing.routes["draft"].calls[0].request)["articles"][0]
    assert sent["title"] == "新品上线"
    assert sent["content"] == "<p>新品上线<br/>限时 &lt;8折&gt;</p><p>欢迎选购</p>"


def test_comments_open_when_asked(driver: Driver, publishing: respx.MockRouter) -> None:
    options = {"title": "t", "open_comments": True, "fans_only_comments": True}
    driver("publish", Draft(text="正文", options=options))
    sent = body(publishing.routes["draft"].calls[0].request)["articles"][0]
    assert (sent["need_open_comment"], sent["only_fans_can_comment"]) == (1, 1)


def test_a_failed_originality_check_raises_publish_failed(
    driver: Driver, publishing: respx.MockRouter
) -> None:
    publishing.routes["status"].side_effect = [
        httpx.Response(200, json=load("freepublish_get_publishing")),
        httpx.Response(200, json=load("freepublish_get_original_failed")),
    ]
    with pytest.raises(PublishFailed) as raised:
        driver("publish", Draft(text="正文", options={"title": "原创"}))
    error = raised.value
    assert (error.publish_status, error.fail_idx, error.media_id) == (2, (1,), "DRAFT_MEDIA_ID")
    assert "originality check (原创声明) failed" in error.message
    assert publishing.routes["status"].call_count == 2


def test_a_publish_still_running_after_the_wait_is_pending(
    kind: str, publishing: respx.MockRouter
) -> None:
    publishing.routes["status"].side_effect = None
    publishing.routes["status"].respond(200, json=load("freepublish_get_publishing"))
    driver = Driver(kind, make_platform(publish_wait=10.0))
    with pytest.raises(PublishPending) as raised:
        driver("publish", Draft(text="正文", options={"title": "慢"}, idempotency_key="k1"))
    assert (raised.value.publish_id, raised.value.idempotency_key) == ("100000001", "k1")
    assert sum(driver.sleeps) <= 10.0
    assert driver.sleeps == [2.0, 3.0, 4.5]


def test_a_lost_submit_answer_is_publish_uncertain_not_retried(
    driver: Driver, publishing: respx.MockRouter
) -> None:
    publishing.routes["submit"].respond(503)
    with pytest.raises(PublishUncertain):
        driver("publish", Draft(text="正文", options={"title": "t"}))
    assert publishing.routes["submit"].call_count == 1


def test_an_article_without_a_cover_is_refused_before_io() -> None:
    with pytest.raises(InvalidContent) as raised:
        offline(cover_media_id=None).publish(Draft(text="正文", options={"title": "t"}))
    assert raised.value.rule == "cover"


def test_a_title_over_32_characters_is_refused_before_io() -> None:
    with pytest.raises(InvalidContent) as raised:
        offline().publish(Draft(text="正文", options={"title": "长" * 33}))
    assert (raised.value.rule, raised.value.count, raised.value.limit) == (
        "title_length",
        33,
        32,
    )


def test_an_unknown_option_is_refused_before_io() -> None:
    with pytest.raises(InvalidContent) as raised:
        offline().publish(Draft(text="正文", options={"tilte": "typo"}))
    assert raised.value.rule == "options"


def test_a_gif_inline_image_is_refused_before_io() -> None:
    gif = MediaUpload(data=b"GIF89a", filename="a.gif")
    with pytest.raises(InvalidContent) as raised:
        offline().publish(Draft(text="正文", options={"title": "t"}).with_media(gif))
    assert raised.value.rule == "media_type"


def test_a_video_is_unsupported_before_io() -> None:
    clip = MediaUpload(data=b"x", filename="a.mp4")
    with pytest.raises(Unsupported):
        offline().publish(Draft(text="正文", options={"title": "t"}).with_media(clip))
