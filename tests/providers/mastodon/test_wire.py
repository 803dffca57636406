"""Every operation on the wire, through both drivers: method, path, query, body, headers."""

from __future__ import annotations

import httpx
import pytest
import respx

from socialkit.errors import InvalidContent, Unsupported
from socialkit.models import Draft, MediaUpload, Mention, Post
from socialkit.providers.mastodon import parse

from .mastodon_support import BASE, TOKEN, Driver, body, load


def only(route: respx.Route, index: int = 0) -> httpx.Request:
    request: httpx.Request = route.calls[index].request
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    return request


def test_me_verifies_credentials(driver: Driver, api: respx.MockRouter) -> None:
    route = api.get("/api/v1/accounts/verify_credentials").respond(200, json=load("account"))
    account = driver("me")
    only(route)
    assert (account.id, account.handle, account.followers) == ("109302", "brand", 318)
    assert account.avatar_url.endswith("a1.png")


def test_publish_text(driver: Driver, api: respx.MockRouter, instance: respx.Route) -> None:
    route = api.post("/api/v1/statuses").respond(200, json=load("status_created"))
    post = driver("publish", Draft(text="Hello from socialkit", idempotency_key="key-1"))
    request = only(route)
    assert request.headers["Idempotency-Key"] == "key-1"
    assert request.headers["Content-Type"] == "application/json"
    assert body(request) == {"status": "Hello from socialkit"}
    assert instance.call_count == 1
    assert isinstance(post, Post)
    assert post.text == "Hello from socialkit"


def test_publish_a_plain_string(
    driver: Driver, api: respx.MockRouter, instance: respx.Route
) -> None:
    route = api.post("/api/v1/statuses").respond(200, json=load("status_created"))
    driver("publish", "Hello")
    assert len(only(route).headers["Idempotency-Key"]) == 32


def test_publish_with_media(driver: Driver, api: respx.MockRouter, instance: respx.Route) -> None:
    media = api.post("/api/v2/media").respond(200, json=load("media"))
    status = api.post("/api/v1/statuses").respond(200, json=load("status_created"))
    upload = MediaUpload(data=b"\x89PNG-bytes", filename="poster.png", alt_text="The launch poster")
    driver("publish", Draft(text="Launch!").with_media(upload))
    sent = only(media)
    assert sent.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert (
        b'name="file"; filename="poster.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG-bytes'
        in (sent.content)
    )
    assert b'name="description"\r\n\r\nThe launch poster\r\n' in sent.content
    assert "Idempotency-Key" not in sent.headers
    assert body(only(status)) == {"status": "Launch!", "media_ids": ["22348641"]}


def test_publish_waits_for_media_processing(
    driver: Driver, api: respx.MockRouter, instance: respx.Route
) -> None:
    api.post("/api/v2/media").respond(202, json=load("media_processing"))
    poll = api.get("/api/v1/media/22348641")
    poll.side_effect = [httpx.Response(206), httpx.Response(200, json=load("media"))]
    status = api.post("/api/v1/statuses").respond(200, json=load("status_created"))
    driver("publish", Draft(text="clip").with_media(MediaUpload(data=b"x", filename="a.mp4")))
    assert poll.call_count == 2
    assert driver.sleeps == [1.0, 1.5]
    assert body(only(status))["media_ids"] == ["22348641"]


def test_publish_thread(driver: Driver, api: respx.MockRouter, instance: respx.Route) -> None:
    created = load("status_created")
    route = api.post("/api/v1/statuses")
    route.side_effect = [httpx.Response(200, json={**created, "id": str(n)}) for n in (1, 2, 3)]
    posts = driver("publish_thread", ["one", "two", "three"])
    assert [p.id for p in posts] == ["1", "2", "3"]
    assert [body(only(route, i)).get("in_reply_to_id") for i in range(3)] == [None, "1", "2"]
    keys = {only(route, i).headers["Idempotency-Key"] for i in range(3)}
    assert len(keys) == 3


def test_get_post(driver: Driver, api: respx.MockRouter) -> None:
    route = api.get("/api/v1/statuses/108880211901672326").respond(200, json=load("status"))
    post = driver("get_post", "108880211901672326")
    only(route)
    assert post.metrics["likes"] == 17


def test_edit_post(driver: Driver, api: respx.MockRouter, instance: respx.Route) -> None:
    route = api.put("/api/v1/statuses/108880211901672326").respond(200, json=load("status"))
    draft = Draft(text="Edited", language="de", options={"media_ids": ["22348641"]})
    driver("edit_post", "108880211901672326", draft)
    request = only(route)
    assert body(request) == {"status": "Edited", "media_ids": ["22348641"], "language": "de"}
    assert "Idempotency-Key" not in request.headers


def test_delete_post(driver: Driver, api: respx.MockRouter) -> None:
    route = api.delete("/api/v1/statuses/108880211901672326").respond(200, json=load("status"))
    assert driver("delete_post", "108880211901672326") is None
    only(route)


def test_posts_of_the_account(driver: Driver, api: respx.MockRouter) -> None:
    me = api.get("/api/v1/accounts/verify_credentials").respond(200, json=load("account"))
    route = api.get("/api/v1/accounts/109302/statuses").respond(200, json=load("account_statuses"))
    posts = driver.items("posts")
    only(me)
    assert dict(only(route).url.params) == {"limit": "40"}
    assert [p.id for p in posts] == [
        "110000000000000001",
        "103189026958574542",
        "108880211901672326",
    ]


def test_a_limit_asks_for_a_page_no_larger(driver: Driver, api: respx.MockRouter) -> None:
    api.get("/api/v1/accounts/verify_credentials").respond(200, json=load("account"))
    route = api.get("/api/v1/accounts/109302/statuses").respond(200, json=load("account_statuses"))
    assert len(driver.items("posts", limit=2)) == 2
    assert dict(only(route).url.params) == {"limit": "2"}


def test_first_reads_one_small_page(driver: Driver, api: respx.MockRouter) -> None:
    api.get("/api/v1/accounts/verify_credentials").respond(200, json=load("account"))
    route = api.get("/api/v1/accounts/109302/statuses").respond(200, json=load("account_statuses"))
    assert len(driver.wait(driver.client.posts().first(1))) == 1
    assert dict(only(route).url.params) == {"limit": "1"}


def test_posts_by_handle(driver: Driver, api: respx.MockRouter) -> None:
    lookup = api.get("/api/v1/accounts/lookup", params={"acct": "alice"}).respond(
        200, json={"id": "14715", "username": "alice", "acct": "alice"}
    )
    api.get("/api/v1/accounts/14715/statuses").respond(200, json=[])
    assert driver.items("posts", "@alice") == []
    only(lookup)


def test_posts_follow_link_pagination_across_three_pages(
    driver: Driver, api: respx.MockRouter
) -> None:
    status = load("status_created")
    path = "/api/v1/accounts/109302/statuses"

    def page(ids: list[str], next_max: str | None) -> httpx.Response:
        headers = (
            {"Link": f'<{BASE}{path}?limit=40&max_id={next_max}>; rel="next"'} if (next_max) else {}
        )
        return httpx.Response(200, json=[{**status, "id": i} for i in ids], headers=headers)

    # respx matches params as a subset: the most specific routes go first.
    third = api.get(path, params={"max_id": "6"}).mock(return_value=page(["5"], None))
    second = api.get(path, params={"max_id": "8"}).mock(return_value=page(["7", "6"], "6"))
    first = api.get(path, params={"limit": "40"}).mock(return_value=page(["9", "8"], "8"))
    pages = driver.pages("posts", "109302")
    assert [[p.id for p in pg.items] for pg in pages] == [["9", "8"], ["7", "6"], ["5"]]
    assert [pg.next_cursor is None for pg in pages] == [False, False, True]
    assert dict(only(second).url.params) == {"limit": "40", "max_id": "8"}
    assert (first.call_count, second.call_count, third.call_count) == (1, 1, 1)


def test_comments(driver: Driver, api: respx.MockRouter) -> None:
    route = api.get("/api/v1/statuses/108880211901672326/context").respond(
        200, json=load("context")
    )
    comments = driver.items("comments", "108880211901672326")
    only(route)
    assert [c.reply_to_id for c in comments] == ["108880211901672326", "103189026958574542"]


def test_reply_to_a_comment(driver: Driver, api: respx.MockRouter, instance: respx.Route) -> None:
    me = api.get("/api/v1/accounts/verify_credentials").respond(200, json=load("account"))
    route = api.post("/api/v1/statuses").respond(200, json=load("status_created"))
    context = load("context")
    comment = parse.comment(context["descendants"][0], "108880211901672326")
    reply = driver("reply", comment, Draft(text="Thank you!", idempotency_key="r-1"))
    only(me)
    request = only(route)
    assert request.headers["Idempotency-Key"] == "r-1"
    assert body(request) == {"status": "@alice Thank you!", "in_reply_to_id": "103189026958574542"}
    assert (reply.thread_root_id, reply.reply_to_id) == ("108880211901672326", "103189026958574542")


def test_reply_to_an_id(driver: Driver, api: respx.MockRouter, instance: respx.Route) -> None:
    parent = api.get("/api/v1/statuses/103186046267791694").respond(
        200, json=load("notifications")[1]["status"]
    )
    api.get("/api/v1/accounts/verify_credentials").respond(200, json=load("account"))
    route = api.post("/api/v1/statuses").respond(200, json=load("status_created"))
    driver("reply", "103186046267791694", "On it!")
    only(parent)
    assert body(only(route)) == {
        "status": "@bob@other.example On it!",
        "in_reply_to_id": "103186046267791694",
        "visibility": "direct",
    }


def test_delete_comment(driver: Driver, api: respx.MockRouter) -> None:
    route = api.delete("/api/v1/statuses/103189030000000000").respond(200, json={})
    driver("delete_comment", "103189030000000000")
    only(route)


def test_hide_comment_is_unsupported_without_a_request(
    driver: Driver, api: respx.MockRouter
) -> None:
    with pytest.raises(Unsupported):
        driver("hide_comment", "1")
    assert not api.calls


def test_mentions(driver: Driver, api: respx.MockRouter) -> None:
    api.get("/api/v1/accounts/verify_credentials").respond(200, json=load("account"))
    route = api.get("/api/v1/notifications").respond(200, json=load("notifications"))
    mentions = driver.items("mentions", since_id="34975000")
    query = only(route).url.params
    assert query.get_list("types[]") == ["mention", "quote"]
    assert (query["limit"], query["since_id"]) == ("80", "34975000")
    assert [m.kind for m in mentions] == ["reply", "mention", "quote"]
    assert all(isinstance(m, Mention) for m in mentions)


def test_reply_to_a_mention(driver: Driver, api: respx.MockRouter, instance: respx.Route) -> None:
    api.get("/api/v1/accounts/verify_credentials").respond(200, json=load("account"))
    api.get("/api/v1/notifications").respond(200, json=load("notifications"))
    route = api.post("/api/v1/statuses").respond(200, json=load("status_created"))
    mention = driver.items("mentions")[0]
    driver("reply", mention, "Hi!")
    assert body(only(route)) == {"status": "@alice Hi!", "in_reply_to_id": "103186126728896492"}


def test_search(driver: Driver, api: respx.MockRouter) -> None:
    route = api.get("/api/v2/search").respond(200, json=load("search"))
    posts = driver.items("search", "cats")
    assert dict(only(route).url.params) == {
        "q": "cats",
        "type": "statuses",
        "resolve": "false",
        "limit": "40",
        "offset": "0",
    }
    assert len(posts) == 2


def test_post_metrics(driver: Driver, api: respx.MockRouter) -> None:
    route = api.get("/api/v1/statuses/108880211901672326").respond(200, json=load("status"))
    metrics = driver("post_metrics", "108880211901672326")
    only(route)
    assert {m.name: m.value for m in metrics} == {
        "likes": 17,
        "shares": 5,
        "comments": 2,
        "quotes": 1,
    }


def test_account_metrics(driver: Driver, api: respx.MockRouter) -> None:
    route = api.get("/api/v1/accounts/verify_credentials").respond(200, json=load("account"))
    metrics = driver("account_metrics")
    only(route)
    assert {m.name: m.value for m in metrics} == {"followers": 318, "following": 45, "posts": 610}


def test_react_like_favourites(driver: Driver, api: respx.MockRouter) -> None:
    route = api.post("/api/v1/statuses/108880211901672326/favourite").respond(
        200, json=load("status")
    )
    driver("react", "108880211901672326")
    assert only(route).content == b""


def test_react_other_kinds_is_unsupported_without_a_request(
    driver: Driver, api: respx.MockRouter
) -> None:
    with pytest.raises(Unsupported):
        driver("react", "1", "love")
    assert not api.calls


def test_repost_boosts(driver: Driver, api: respx.MockRouter) -> None:
    route = api.post("/api/v1/statuses/108880211901672326/reblog").respond(200, json=load("status"))
    driver("repost", "108880211901672326")
    only(route)


def test_raw_request_escape_hatch(driver: Driver, api: respx.MockRouter) -> None:
    route = api.get("/api/v1/trends/statuses").respond(200, json=[])
    response = driver("request", "GET", "/api/v1/trends/statuses")
    only(route)
    assert response.json() == []


def test_publish_longer_than_500_once_the_instance_limits_are_loaded(
    driver: Driver, api: respx.MockRouter
) -> None:
    roomy = load("instance")
    roomy["configuration"]["statuses"]["max_characters"] = 1000
    api.get("/api/v2/instance").respond(200, json=roomy)
    route = api.post("/api/v1/statuses").respond(200, json=load("status_created"))
    driver("run", driver.platform.load_rules())
    driver("publish", "x" * 700)
    assert body(only(route))["status"] == "x" * 700
    assert driver.platform.rules.max_length == 1000


def test_an_instance_without_v2_is_read_from_v1(driver: Driver, api: respx.MockRouter) -> None:
    api.get("/api/v2/instance").respond(404, json={"error": "Record not found"})
    v1 = api.get("/api/v1/instance").respond(
        200, json={"uri": "old.example", "max_toot_chars": 5000}
    )
    rules = driver("run", driver.platform.load_rules())
    only(v1)
    assert rules.max_length == 5000


def test_unreadable_instance_limits_fall_back_to_the_defaults(
    driver: Driver, api: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    api.get("/api/v2/instance").respond(500, json={"error": "oops"})
    api.post("/api/v1/statuses").respond(200, json=load("status_created"))
    driver("publish", "x" * 400)
    assert driver.platform.rules.max_length == 500
    assert "could not read the instance's limits" in caplog.text


def test_a_content_warning_is_sent_as_spoiler_text_and_read_back(
    driver: Driver, api: respx.MockRouter, instance: respx.Route
) -> None:
    created = {**load("status_created"), "spoiler_text": "film spoilers"}
    route = api.post("/api/v1/statuses").respond(200, json=created)
    post = driver("publish", Draft(text="The end", content_warning="film spoilers"))
    assert body(only(route)) == {"status": "The end", "spoiler_text": "film spoilers"}
    assert post.content_warning == "film spoilers"


def test_a_status_without_spoiler_text_has_no_content_warning() -> None:
    assert parse.post(load("status")).content_warning is None


def test_content_warning_and_a_different_spoiler_text_option_are_refused(
    driver: Driver, api: respx.MockRouter
) -> None:
    draft = Draft(text="x", content_warning="a", options={"spoiler_text": "b"})
    with pytest.raises(InvalidContent, match="differ"):
        driver("publish", draft)
    assert not api.calls
