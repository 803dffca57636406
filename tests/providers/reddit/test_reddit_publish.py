"""Publishing: /api/submit's exact form, the kinds (self, link, crosspost, image, video,
gallery), the upload lease, and every error Reddit puts in a 200 answer."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

import socialkit as sk

from .reddit_support import AGENT, API, TOKEN, UPLOAD, form, make_platform

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
MP4 = b"\0\0\0\x18ftypmp42" + b"\0" * 32


@pytest.fixture
def submit(router: respx.MockRouter, body: Callable[[str], Any]) -> respx.Route:
    return router.post(f"{API}/api/submit").respond(200, json=body("submit_self"))


def test_a_self_post_sends_the_documented_form(rd: Any, submit: respx.Route) -> None:
    post = rd("publish", "Launch day\n\nWe ship today.\nAsk us anything.")
    request = submit.calls[0].request
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.headers["Authorization"] == f"bearer {TOKEN}"
    assert request.headers["User-Agent"] == AGENT
    assert form(request) == {
        "api_type": "json", "sr": "brand", "title": "Launch day", "kind": "self",
        "text": "We ship today.\nAsk us anything.", "sendreplies": "true", "nsfw": "false",
        "spoiler": "false",
    }
    assert (post.id, post.url) == ("t3_1abc23",
                                   "https://www.reddit.com/r/brand/comments/1abc23/launch_day/")
    assert post.text == "Launch day\n\nWe ship today.\nAsk us anything."


def test_options_choose_the_subreddit_title_flair_and_flags(rd: Any, submit: respx.Route) -> None:
    rd("publish", sk.Draft(text="The whole text is the body.", options={
        "subreddit": "r/Python", "title": "A title", "flair_id": "f1b2", "flair_text": "News",
        "nsfw": True, "spoiler": True, "sendreplies": False}))
    sent = form(submit.calls[0].request)
    assert sent["sr"] == "Python"
    assert (sent["title"], sent["text"]) == ("A title", "The whole text is the body.")
    assert (sent["flair_id"], sent["flair_text"]) == ("f1b2", "News")
    assert (sent["nsfw"], sent["spoiler"], sent["sendreplies"]) == ("true", "true", "false")


def test_a_link_post(rd: Any, submit: respx.Route) -> None:
    rd("publish", sk.Draft(text="Our launch post", options={"url": "https://example.com/launch"}))
    sent = form(submit.calls[0].request)
    assert (sent["kind"], sent["url"], sent["resubmit"]) == (
        "link", "https://example.com/launch", "true")
    assert "text" not in sent


def test_a_crosspost(rd: Any, submit: respx.Route) -> None:
    rd("publish", sk.Draft(text="Seen on r/brand", options={"crosspost": "1abc23",
                                                            "subreddit": "gadgets"}))
    sent = form(submit.calls[0].request)
    assert (sent["kind"], sent["crosspost_fullname"], sent["sr"]) == (
        "crosspost", "t3_1abc23", "gadgets")


def test_no_subreddit_is_a_config_error_before_any_request(
    connect: Callable[..., Any], submit: respx.Route
) -> None:
    with pytest.raises(sk.ConfigError):
        connect(make_platform(subreddit=None))("publish", "Hello")
    assert submit.call_count == 0


def test_a_title_over_300_characters_is_refused_before_any_request(
    rd: Any, submit: respx.Route
) -> None:
    with pytest.raises(sk.InvalidContent) as raised:
        rd("publish", "x" * 301)
    assert (raised.value.rule, raised.value.limit) == ("max_length", 300)
    assert submit.call_count == 0


def test_text_with_media_is_refused_rather_than_dropped(rd: Any, submit: respx.Route) -> None:
    draft = sk.Draft(text="Logo\n\nSome words", media=[sk.MediaUpload(data=PNG,
                                                                      filename="logo.png")])
    with pytest.raises(sk.InvalidContent) as raised:
        rd("publish", draft)
    assert raised.value.rule == "media_text"


def test_a_visibility_other_than_public_is_refused(rd: Any, submit: respx.Route) -> None:
    with pytest.raises(sk.InvalidContent) as raised:
        rd("publish", sk.Draft(text="Launch day", visibility="private"))
    assert raised.value.rule == "visibility"
    assert submit.call_count == 0


def test_text_with_a_link_is_refused_rather_than_dropped(rd: Any, submit: respx.Route) -> None:
    with pytest.raises(sk.InvalidContent) as raised:
        rd("publish", sk.Draft(text="Our launch\n\nMore words",
                               options={"url": "https://example.com/launch"}))
    assert raised.value.rule == "link_text"
    assert submit.call_count == 0


def test_media_by_url_is_refused(rd: Any) -> None:
    with pytest.raises(sk.InvalidContent) as raised:
        rd("publish", sk.Draft(text="Logo", media=[sk.MediaUpload(url="https://x.test/a.png")]))
    assert raised.value.rule == "media_source"


# -- errors in the answer -------------------------------------------------------------------


def test_the_body_level_rate_limit_is_rate_limited_with_the_wait_and_no_second_post(
    connect: Callable[..., Any], router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.post(f"{API}/api/submit").respond(200, json=body("submit_ratelimit"))
    with pytest.raises(sk.RateLimited) as raised:
        connect(make_platform())("publish", "Launch day")
    assert raised.value.retry_after == 9 * 60
    assert raised.value.code == "RATELIMIT"
    assert route.call_count == 1


def test_the_json_ratelimit_seconds_win_over_the_message(
    connect: Callable[..., Any], router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.post(f"{API}/api/submit").respond(200, json=body("submit_ratelimit_seconds"))
    with pytest.raises(sk.RateLimited) as raised:
        connect(make_platform(), rate_limit="raise")("publish", "Launch day")
    assert raised.value.retry_after == 42


@pytest.mark.parametrize(
    ("fixture", "error", "code"),
    [
        ("submit_noexist", sk.NotFound, "SUBREDDIT_NOEXIST"),
        ("submit_notallowed", sk.PermissionDenied, "SUBREDDIT_NOTALLOWED"),
        ("submit_no_selfs", sk.InvalidContent, "NO_SELFS"),
        ("submit_user_required", sk.AuthError, "USER_REQUIRED"),
    ],
)
def test_errors_in_a_200_answer_are_raised(
    rd: Any, router: respx.MockRouter, body: Callable[[str], Any],
    fixture: str, error: type[Exception], code: str,
) -> None:
    router.post(f"{API}/api/submit").respond(200, json=body(fixture))
    with pytest.raises(error) as raised:
        rd("publish", "Launch day")
    assert getattr(raised.value, "code", None) == code


def test_a_server_error_after_submit_is_publish_uncertain_and_not_retried(
    rd: Any, router: respx.MockRouter
) -> None:
    route = router.post(f"{API}/api/submit").respond(503, text="<html>busy</html>")
    draft = sk.Draft(text="Launch day")
    with pytest.raises(sk.PublishUncertain) as raised:
        rd("publish", draft)
    assert raised.value.idempotency_key == draft.idempotency_key
    assert route.call_count == 1


def test_a_lost_answer_is_publish_uncertain(rd: Any, router: respx.MockRouter) -> None:
    route = router.post(f"{API}/api/submit").mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(sk.PublishUncertain):
        rd("publish", "Launch day")
    assert route.call_count == 1


# -- media ----------------------------------------------------------------------------------


@pytest.fixture
def lease(router: respx.MockRouter, body: Callable[[str], Any]) -> respx.Route:
    return router.post(f"{API}/api/media/asset.json").respond(200, json=body("media_lease"))


@pytest.fixture
def bucket(router: respx.MockRouter) -> respx.Route:
    return router.post(UPLOAD).respond(
        201, text="<PostResponse><Key>rte_images/k7nfu0l3t2pf1</Key></PostResponse>")


def test_an_image_post_leases_uploads_without_credentials_then_submits(
    rd: Any, router: respx.MockRouter, body: Callable[[str], Any],
    lease: respx.Route, bucket: respx.Route,
) -> None:
    submit = router.post(f"{API}/api/submit").respond(200, json=body("submit_media"))
    found = router.get(f"{API}/user/brand/submitted").mock(side_effect=[
        httpx.Response(200, json=body("submitted")),
        httpx.Response(200, json=body("submitted_image")),
    ])
    draft = sk.Draft(text="Our new logo", media=[sk.MediaUpload(data=PNG, filename="logo.png")])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("time.time", lambda: 1765100000.0)
        post = rd("publish", draft)
    assert form(lease.calls[0].request) == {"filepath": "logo.png", "mimetype": "image/png"}
    upload = bucket.calls[0].request
    assert "Authorization" not in upload.headers
    assert upload.headers["Content-Type"].startswith("multipart/form-data")
    content = upload.content
    assert b'name="key"\r\n\r\nrte_images/k7nfu0l3t2pf1' in content
    assert b'name="x-amz-security-token"' in content
    assert content.index(b'name="x-amz-security-token"') < content.index(b'name="file"')
    assert PNG in content
    sent = form(submit.calls[0].request)
    assert (sent["kind"], sent["url"]) == (
        "image", f"{UPLOAD}/rte_images/k7nfu0l3t2pf1")
    assert found.calls[0].request.url.params["sort"] == "new"
    assert (post.id, post.media[0].kind) == ("t3_1abc30", "image")


def test_a_media_post_that_never_appears_is_publish_uncertain(
    connect: Callable[..., Any], router: respx.MockRouter, body: Callable[[str], Any],
    lease: respx.Route, bucket: respx.Route,
) -> None:
    router.post(f"{API}/api/submit").respond(200, json=body("submit_media"))
    found = router.get(f"{API}/user/brand/submitted").respond(200, json=body("submitted"))
    draft = sk.Draft(text="Our new logo", media=[sk.MediaUpload(data=PNG, filename="logo.png")])
    with pytest.raises(sk.PublishUncertain):
        connect(make_platform(media_checks=3))("publish", draft)
    assert found.call_count == 3


def test_a_video_post_uploads_the_video_and_its_poster(
    rd: Any, router: respx.MockRouter, body: Callable[[str], Any],
    lease: respx.Route, bucket: respx.Route,
) -> None:
    submit = router.post(f"{API}/api/submit").respond(200, json=body("submit_self"))
    draft = sk.Draft(text="Launch video", media=[
        sk.MediaUpload(data=MP4, filename="launch.mp4"),
        sk.MediaUpload(data=PNG, filename="poster.png")])
    rd("publish", draft)
    assert [form(c.request)["filepath"] for c in lease.calls] == ["launch.mp4", "poster.png"]
    sent = form(submit.calls[0].request)
    assert sent["kind"] == "video"
    assert sent["url"] == sent["video_poster_url"] == f"{UPLOAD}/rte_images/k7nfu0l3t2pf1"


def test_a_video_without_a_poster_is_refused_before_any_upload(
    rd: Any, lease: respx.Route
) -> None:
    with pytest.raises(sk.InvalidContent) as raised:
        rd("publish", sk.Draft(text="Launch video",
                               media=[sk.MediaUpload(data=MP4, filename="launch.mp4")]))
    assert raised.value.rule == "video_poster"
    assert lease.call_count == 0


def test_several_images_make_a_gallery(
    rd: Any, router: respx.MockRouter, body: Callable[[str], Any],
    lease: respx.Route, bucket: respx.Route,
) -> None:
    gallery = router.post(f"{API}/api/submit_gallery_post.json").respond(
        200, json=body("submit_gallery"))
    draft = sk.Draft(text="Our gallery", media=[
        sk.MediaUpload(data=PNG, filename="a.png", alt_text="Front"),
        sk.MediaUpload(data=PNG, filename="b.png")])
    post = rd("publish", draft)
    sent = json.loads(gallery.calls[0].request.content)
    assert sent == {
        "api_type": "json", "sr": "brand", "title": "Our gallery", "nsfw": False,
        "spoiler": False, "sendreplies": True, "show_error_list": True,
        "items": [
            {"media_id": "k7nfu0l3t2pf1", "caption": "Front", "outbound_url": ""},
            {"media_id": "k7nfu0l3t2pf1", "caption": "", "outbound_url": ""},
        ],
    }
    assert post.id == "t3_1abc31"


def test_a_short_body_rate_limit_is_waited_out_and_the_refused_submit_sent_once_more(
    rd: Any, router: respx.MockRouter, body: Callable[[str], Any], sleeps: list[float]
) -> None:
    route = router.post(f"{API}/api/submit").mock(side_effect=[
        httpx.Response(200, json=body("submit_ratelimit_seconds")),
        httpx.Response(200, json=body("submit_self")),
    ])
    post = rd("publish", "Launch day")
    assert post.id == "t3_1abc23"
    assert route.call_count == 2  # Reddit refused the first: one post in all
    assert 42 in sleeps
