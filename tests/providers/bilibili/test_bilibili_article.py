"""Articles (专栏): ``POST /arcopen/fn/article/add`` as a signed multipart form, pending
review; what the form needs is checked before any request."""

from __future__ import annotations

from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

import httpx
import pytest
import respx

import socialkit as sk
from socialkit.testing.contract import NoNetwork

from .bilibili_support import API, TOKEN, failed, make_platform, ok, signature_ok

BODY = "我们的春季新品有三个变化。\n第一,更轻。第二,更安静。第三,更便宜。"
ARTICLE = sk.Draft(text=f"春季新品详解\n{BODY}", options={"category": 42, "tags": ["新品"]})


def form(request: httpx.Request) -> dict[str, str]:
    """The fields of a multipart/form-data body."""
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + request.content)
    return {part.get_param("name", header="content-disposition"):
            part.get_payload(decode=True).decode() for part in message.iter_parts()}


@pytest.fixture
def add(router: respx.MockRouter) -> respx.Route:
    return router.post(f"{API}/arcopen/fn/article/add").respond(200, json=ok({"id": 24680}))


def test_an_article_is_a_signed_multipart_form_of_the_reference_fields(
    connect: Any, add: respx.Route
) -> None:
    platform = make_platform()
    connect(platform).run(platform.publish_article(ARTICLE))
    request = add.calls.last.request
    assert request.url.query == b""
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert request.headers["access-token"] == TOKEN
    assert signature_ok(request)
    assert form(request) == {
        "title": "春季新品详解", "category": "42", "template_id": "5",
        "summary": BODY, "content": BODY, "original": "0", "up_closed_reply": "0",
        "tags": "新品",
    }


def test_a_submitted_article_is_pending_review_with_its_read_url(
    connect: Any, add: respx.Route
) -> None:
    platform = make_platform()
    post = connect(platform).run(platform.publish_article(ARTICLE))
    assert (post.id, post.url) == ("24680", "https://www.bilibili.com/read/cv24680")
    assert (post.state, post.state_reason) == ("pending", "under review (审核中)")


def test_the_options_fill_the_optional_fields_and_pick_the_template(
    connect: Any, add: respx.Route
) -> None:
    platform = make_platform(article_category=7)
    draft = sk.Draft(text=BODY, options={
        "title": "标题", "summary": "简介", "banner_url": "https://i0.hdslb.com/b.jpg",
        "original": True, "close_replies": True, "list_id": 9,
        "image_urls": ["https://i0.hdslb.com/1.jpg", "https://i0.hdslb.com/2.jpg"]})
    connect(platform).run(platform.publish_article(draft))
    sent = form(add.calls.last.request)
    assert sent["title"] == "标题"
    assert sent["content"] == BODY
    assert (sent["category"], sent["template_id"], sent["summary"]) == ("7", "4", "简介")
    assert (sent["original"], sent["up_closed_reply"], sent["list_id"]) == ("1", "1", "9")
    assert sent["banner_url"] == "https://i0.hdslb.com/b.jpg"
    assert sent["image_urls"] == "https://i0.hdslb.com/1.jpg,https://i0.hdslb.com/2.jpg"


def test_three_cover_images_pick_the_three_image_template(
    connect: Any, add: respx.Route
) -> None:
    platform = make_platform()
    images = ",".join(f"https://i0.hdslb.com/{n}.jpg" for n in range(3))
    draft = ARTICLE.model_copy(update={"options": {"category": 42, "image_urls": images}})
    connect(platform).run(platform.publish_article(draft))
    assert form(add.calls.last.request)["template_id"] == "3"


@pytest.mark.parametrize(("draft", "rule"), [
    (sk.Draft(text=f"标题\n{BODY}"), "category"),
    (sk.Draft(text="只有标题", options={"category": 1}), "title"),
    (sk.Draft(text="长" * 41 + f"\n{BODY}", options={"category": 1}), "max_length"),
    (sk.Draft(text=f"标题\n{BODY}", options={"category": 1},
              media=(sk.MediaUpload(data=b"\xff\xd8", filename="a.jpg"),)), "media_source"),
])
def test_what_the_form_needs_is_checked_before_any_request(draft: sk.Draft, rule: str) -> None:
    platform = make_platform()
    with pytest.raises(sk.InvalidContent) as raised:
        sk.Client(platform, transport=NoNetwork()).run(platform.publish_article(draft))
    assert raised.value.rule == rule


def test_a_missing_article_permission_is_permission_denied(
    connect: Any, router: respx.MockRouter
) -> None:
    router.post(f"{API}/arcopen/fn/article/add").respond(200, json=failed(127005, "无权限"))
    platform = make_platform()
    with pytest.raises(sk.PermissionDenied) as raised:
        connect(platform).run(platform.publish_article(ARTICLE))
    assert raised.value.request_id == "5f6b2b1c9e0a4d2b"


def test_publish_of_a_text_says_where_articles_are(connect: Any) -> None:
    with pytest.raises(sk.Unsupported, match="publish_article"):
        sk.Client(make_platform(), transport=NoNetwork()).publish("短文")
