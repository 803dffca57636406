"""Every Facebook operation on the wire, through both drivers: method, versioned path, query
(``fields``, ``access_token``), form or multipart body, and the records read back."""

from __future__ import annotations

import itertools
import json
import logging
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import respx

from socialkit.client import Client
from socialkit.errors import InvalidContent, NotFound, PublishUncertain
from socialkit.models import Comment, Draft, MediaUpload, Mention, Post
from socialkit.providers.facebook import fields, media
from socialkit.providers.meta import appsecret_proof
from socialkit.testing.contract import NoNetwork

from ..meta.meta_support import APP_SECRET, TOKEN, Driver, form, graph_error, query, sent
from .facebook_support import GRAPH, PAGE, POST, VIDEO, fixture, make

PHOTO_URL = "https://cdn.example.com/spring.jpg"


def test_me_reads_the_page(driver: Driver, api: respx.MockRouter) -> None:
    route = api.get(f"{GRAPH}/{PAGE}").respond(200, json=fixture("page"))
    account = driver("me")
    assert query(sent(route))["fields"] == fields.PAGE
    assert (account.id, account.handle, account.display_name, account.followers) == (
        PAGE,
        "brandcoffee",
        "Brand Coffee",
        5120,
    )
    assert account.avatar_url.endswith("brand_p50x50.jpg")


def test_publish_text_posts_the_message_to_the_feed(driver: Driver, api: respx.MockRouter) -> None:
    route = api.post(f"{GRAPH}/{PAGE}/feed").respond(200, json={"id": POST})
    post = driver("publish", "Our spring blend is here.")
    request = sent(route)
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert form(request) == {"message": "Our spring blend is here."}
    assert (post.id, post.text, post.platform) == (POST, "Our spring blend is here.", "facebook")


def test_publish_link_sends_the_link_option(driver: Driver, api: respx.MockRouter) -> None:
    route = api.post(f"{GRAPH}/{PAGE}/feed").respond(200, json={"id": POST})
    driver("publish", Draft(text="Read more", options={"link": "https://brand.example/spring"}))
    assert form(sent(route)) == {"message": "Read more", "link": "https://brand.example/spring"}


def test_publish_one_photo_by_url(driver: Driver, api: respx.MockRouter) -> None:
    route = api.post(f"{GRAPH}/{PAGE}/photos").respond(
        200, json={"id": "555000111", "post_id": POST}
    )
    upload = MediaUpload(url=PHOTO_URL, alt_text="A cup of the spring blend")
    post = driver("publish", Draft(text="Spring!", media=(upload,)))
    assert form(sent(route)) == {
        "url": PHOTO_URL,
        "alt_text_custom": "A cup of the spring blend",
        "message": "Spring!",
    }
    assert post.id == POST


def test_publish_one_local_photo_as_multipart_source(driver: Driver, api: respx.MockRouter) -> None:
    route = api.post(f"{GRAPH}/{PAGE}/photos").respond(200, json={"id": "5", "post_id": POST})
    upload = MediaUpload(data=b"\xff\xd8jpeg-bytes", filename="cup.jpg")
    driver("publish", Draft(text="Fresh", media=(upload,)))
    request = sent(route)
    assert request.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert b'name="source"; filename="cup.jpg"\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8' in (
        request.content
    )
    assert b'name="message"\r\n\r\nFresh\r\n' in request.content


def test_publish_several_photos_attaches_unpublished_uploads(
    driver: Driver, api: respx.MockRouter
) -> None:
    photos = api.post(f"{GRAPH}/{PAGE}/photos")
    photos.side_effect = [httpx.Response(200, json={"id": str(n)}) for n in (701, 702)]
    feed = api.post(f"{GRAPH}/{PAGE}/feed").respond(200, json={"id": POST})
    uploads = tuple(MediaUpload(url=f"https://cdn.example.com/{n}.jpg") for n in (1, 2))
    driver("publish", Draft(text="Two cups", media=uploads))
    assert [form(sent(photos, i)) for i in (0, 1)] == [
        {"url": "https://cdn.example.com/1.jpg", "published": "false"},
        {"url": "https://cdn.example.com/2.jpg", "published": "false"},
    ]
    assert form(sent(feed)) == {
        "message": "Two cups",
        "attached_media[0]": json.dumps({"media_fbid": "701"}),
        "attached_media[1]": json.dumps({"media_fbid": "702"}),
    }


def test_publish_video_by_url_goes_to_graph_video(driver: Driver, api: respx.MockRouter) -> None:
    route = api.post(f"{VIDEO}/{PAGE}/videos").respond(200, json={"id": "3300111"})
    upload = MediaUpload(url="https://cdn.example.com/launch.mp4")
    post = driver("publish", Draft(text="Launch day", media=(upload,), options={"title": "Launch"}))
    assert form(sent(route)) == {
        "file_url": "https://cdn.example.com/launch.mp4",
        "description": "Launch day",
        "title": "Launch",
    }
    assert post.id == "3300111"


def test_a_local_video_too_large_for_one_upload_is_refused_before_io(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(media, "VIDEO_UPLOAD_LIMIT", 8)
    offline = Client(make(), transport=NoNetwork())
    upload = MediaUpload(data=b"\0" * 16, filename="big.mp4")
    with pytest.raises(InvalidContent) as raised:
        offline.publish(Draft(text="Launch", media=(upload,)))
    assert raised.value.rule == "max_video_bytes"
    assert "MediaUpload(url=...)" in raised.value.message


def test_a_link_post_cannot_carry_media() -> None:
    offline = Client(make(), transport=NoNetwork())
    draft = Draft(text="x", media=(MediaUpload(url=PHOTO_URL),), options={"link": "https://a.b"})
    with pytest.raises(InvalidContent, match="link post cannot carry media"):
        offline.publish(draft)


def test_unknown_options_are_refused_not_dropped() -> None:
    with pytest.raises(InvalidContent, match="does not know the option"):
        Client(make(), transport=NoNetwork()).publish(Draft(text="x", options={"sticker": 1}))


def test_publish_never_retries_an_ambiguous_failure(driver: Driver, api: respx.MockRouter) -> None:
    route = api.post(f"{GRAPH}/{PAGE}/feed").respond(503)
    with pytest.raises(PublishUncertain) as raised:
        driver("publish", Draft(text="once", idempotency_key="draft-7"))
    assert route.call_count == 1
    assert raised.value.idempotency_key == "draft-7"


def test_edit_post_posts_the_new_message(driver: Driver, api: respx.MockRouter) -> None:
    route = api.post(f"{GRAPH}/{POST}").respond(200, json={"success": True})
    post = driver("edit_post", POST, "Our spring blend is back.")
    assert form(sent(route)) == {"message": "Our spring blend is back."}
    assert (post.id, post.text) == (POST, "Our spring blend is back.")


def test_edit_post_refuses_media_before_io(driver: Driver, api: respx.MockRouter) -> None:
    with pytest.raises(InvalidContent):
        driver("edit_post", POST, Draft(text="x", media=(MediaUpload(url=PHOTO_URL),)))


def test_delete_post(driver: Driver, api: respx.MockRouter) -> None:
    route = api.delete(f"{GRAPH}/{POST}").respond(200, json={"success": True})
    driver("delete_post", POST)
    assert sent(route).content == b""


def test_get_post_reads_counts_and_permalink(driver: Driver, api: respx.MockRouter) -> None:
    route = api.get(f"{GRAPH}/{POST}").respond(200, json=fixture("post"))
    post = driver("get_post", POST)
    assert query(sent(route))["fields"] == fields.POST
    assert post.metrics == {"likes": 25, "comments": 6, "shares": 4}
    assert post.url == "https://www.facebook.com/brandcoffee/posts/pfbid02Abc"
    assert post.created_at == datetime(2026, 3, 1, 10, tzinfo=UTC)
    assert post.author is not None
    assert post.author.display_name == "Brand Coffee"
    assert post.media[0].kind == "image"


def test_get_post_of_an_unknown_id_is_not_found(driver: Driver, api: respx.MockRouter) -> None:
    api.get(f"{GRAPH}/0").mock(
        return_value=graph_error(100, "Unsupported get request.", subcode=33)
    )
    with pytest.raises(NotFound):
        driver("get_post", "0")


def test_get_post_without_a_subcode_is_not_found_with_code_and_trace(
    driver: Driver, api: respx.MockRouter
) -> None:
    message = (
        "Unsupported get request. Object with ID '0' does not exist, cannot be loaded due to "
        "missing permissions, or does not support this operation. Please read the Graph API "
        "documentation at https://developers.facebook.com/docs/graph-api"
    )
    api.get(f"{GRAPH}/0").mock(
        return_value=graph_error(100, message, kind="GraphMethodException")
    )
    with pytest.raises(NotFound) as caught:
        driver("get_post", "0")
    assert (caught.value.code, caught.value.request_id) == (100, "AbCtrace1")


def test_posts_follow_the_after_cursor_until_no_next(driver: Driver, api: respx.MockRouter) -> None:
    route = api.get(f"{GRAPH}/{PAGE}/posts")
    route.side_effect = [
        httpx.Response(200, json=fixture("posts")),
        httpx.Response(200, json=fixture("posts_last")),
    ]
    posts = driver.items("posts")
    assert [p.id for p in posts] == [
        "1234567890_111122223333",
        "1234567890_111122224444",
        "1234567890_111122225555",
    ]
    first, second = query(sent(route, 0)), query(sent(route, 1))
    assert (first["fields"], first["limit"]) == (fields.POST, "25")
    assert "after" not in first
    assert second["after"] == "QVFIUnFhZAWZAj"
    assert "access_token" not in second


def test_comments_stream_with_parents(driver: Driver, api: respx.MockRouter) -> None:
    route = api.get(f"{GRAPH}/{POST}/comments").respond(200, json=fixture("comments"))
    comments = driver.items("comments", POST)
    params = query(sent(route))
    assert (params["filter"], params["fields"]) == ("stream", fields.COMMENT)
    assert fields.COMMENT == ("id,message,from,created_time,parent{id},is_hidden,permalink_url")
    assert [(c.id, c.reply_to_id) for c in comments] == [
        ("111122223333_900001", POST),
        ("111122223333_900002", "111122223333_900001"),
        ("111122223333_900003", POST),
    ]
    assert [c.hidden for c in comments] == [False, False, True]


def test_reply_to_a_post_comments_on_it(driver: Driver, api: respx.MockRouter) -> None:
    route = api.post(f"{GRAPH}/{POST}/comments").respond(200, json={"id": "111122223333_900010"})
    comment = driver("reply", Post(platform="facebook", id=POST), "Thanks for reading!")
    assert form(sent(route)) == {"message": "Thanks for reading!"}
    ids = (comment.id, comment.thread_root_id, comment.reply_to_id)
    assert ids == ("111122223333_900010", POST, POST)


def test_reply_to_a_comment_answers_the_comment(driver: Driver, api: respx.MockRouter) -> None:
    parent = Comment(platform="facebook", id="111122223333_900001", thread_root_id=POST)
    route = api.post(f"{GRAPH}/111122223333_900001/comments").respond(200, json={"id": "c2"})
    comment = driver("reply", parent, "Enjoy, Ana!")
    assert form(sent(route)) == {"message": "Enjoy, Ana!"}
    assert (comment.thread_root_id, comment.reply_to_id) == (POST, "111122223333_900001")


@pytest.mark.parametrize(("hidden", "value"), [(True, "true"), (False, "false")])
def test_hide_comment_sets_is_hidden(
    driver: Driver, api: respx.MockRouter, hidden: bool, value: str
) -> None:
    route = api.post(f"{GRAPH}/111122223333_900003").respond(200, json={"success": True})
    driver("hide_comment", "111122223333_900003", hidden)
    assert form(sent(route)) == {"is_hidden": value}


def test_delete_comment(driver: Driver, api: respx.MockRouter) -> None:
    route = api.delete(f"{GRAPH}/111122223333_900003").respond(200, json={"success": True})
    driver("delete_comment", "111122223333_900003")
    assert route.call_count == 1


def test_mentions_are_the_posts_the_page_is_tagged_in(
    driver: Driver, api: respx.MockRouter
) -> None:
    route = api.get(f"{GRAPH}/{PAGE}/tagged").respond(200, json=fixture("tagged"))
    mentions = driver.items("mentions", since_id="5550002_777000222")
    assert query(sent(route))["fields"] == fields.TAGGED
    assert route.call_count == 1
    assert [(m.id, m.kind, m.author.handle) for m in mentions] == [
        ("5550001_777000111", "mention", "Ana Lima")
    ]
    assert isinstance(mentions[0], Mention)


def test_post_metrics_read_current_insights(driver: Driver, api: respx.MockRouter) -> None:
    route = api.get(f"{GRAPH}/{POST}/insights").respond(200, json=fixture("post_insights"))
    found = {m.name: m for m in driver("post_metrics", POST)}
    assert query(sent(route))["metric"] == (
        "post_media_view,post_total_media_view_unique,post_reactions_by_type_total,post_clicks"
    )
    assert {name: m.value for name, m in found.items()} == {
        "views": 1520,
        "reach": 980,
        "likes": 25,
        "clicks": 61,
    }
    assert found["likes"].native_name == "post_reactions_by_type_total"
    assert found["views"].subject == "post"


def test_account_metrics_read_daily_page_insights(driver: Driver, api: respx.MockRouter) -> None:
    route = api.get(f"{GRAPH}/{PAGE}/insights").respond(200, json=fixture("page_insights"))
    since, until = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 3, tzinfo=UTC)
    found = driver("account_metrics", since, until)
    params = query(sent(route))
    assert params["metric"] == (
        "page_media_view,page_total_media_view_unique,page_post_engagements,page_follows"
    )
    assert (params["period"], params["since"], params["until"]) == (
        "day",
        str(int(since.timestamp())),
        str(int(until.timestamp())),
    )
    followers = [m for m in found if m.name == "followers"]
    assert [m.value for m in followers] == [5110, 5120]
    assert followers[-1].end == datetime(2026, 3, 2, 8, tzinfo=UTC)


def test_account_metrics_over_90_days_are_read_in_90_day_windows(
    driver: Driver, api: respx.MockRouter
) -> None:
    route = api.get(f"{GRAPH}/{PAGE}/insights")
    route.side_effect = [
        httpx.Response(200, json=fixture("page_insights")),
        httpx.Response(200, json={"data": []}),
        httpx.Response(200, json={"data": []}),
    ]
    since = datetime.now(UTC).replace(microsecond=0) - timedelta(days=200)
    until = since + timedelta(days=200)
    found = driver("account_metrics", since, until)
    spans = [(query(sent(route, i))["since"], query(sent(route, i))["until"]) for i in range(3)]
    bounds = [since, since + timedelta(days=90), since + timedelta(days=180), until]
    assert spans == [
        (str(int(a.timestamp())), str(int(b.timestamp()))) for a, b in itertools.pairwise(bounds)
    ]
    assert all(query(sent(route, i))["period"] == "day" for i in range(3))
    assert [m.value for m in found if m.name == "followers"] == [5110, 5120]


def test_account_metrics_start_at_most_two_years_back(
    driver: Driver, api: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    route = api.get(f"{GRAPH}/{PAGE}/insights").respond(200, json={"data": []})
    until = datetime.now(UTC)
    with caplog.at_level(logging.WARNING, logger="socialkit"):
        driver("account_metrics", until - timedelta(days=1000), until)
    first = int(query(sent(route, 0))["since"])
    assert first >= int((until - timedelta(days=731)).timestamp())
    assert "facebook insights start no earlier than" in caplog.text


def test_every_call_carries_the_appsecret_proof(kind: str, api: respx.MockRouter) -> None:
    route = api.get(f"{GRAPH}/{PAGE}").respond(200, json=fixture("page"))
    Driver(kind, make(app_secret=APP_SECRET))("me")
    assert query(sent(route))["appsecret_proof"] == appsecret_proof(TOKEN, APP_SECRET)


def test_the_page_token_goes_only_to_the_graph_and_video_hosts() -> None:
    assert make().trusted_hosts == {"graph.facebook.com", "graph-video.facebook.com"}
