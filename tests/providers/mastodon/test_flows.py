"""Mastodon flows driven by hand: responses fed in, the yielded steps checked. No HTTP."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from socialkit.errors import InvalidContent, ParseError, SocialkitError, Unsupported
from socialkit.models import Account, Comment, Draft, MediaUpload, Mention, Post
from socialkit.platform import Call, Flow, Sleep
from socialkit.providers.mastodon import MediaNotReady

from .mastodon_support import BASE, load, make_platform, respond


def finish(flow: Flow[Any], response: httpx.Response | None) -> Any:
    """Send the last response into a flow and return its result."""
    with pytest.raises(StopIteration) as stop:
        flow.send(response)
    return stop.value.value


def instance_response(max_characters: int = 500, per_url: int = 23, media: int = 4) -> Any:
    data = load("instance")
    data["configuration"]["statuses"] = {
        "max_characters": max_characters,
        "characters_reserved_per_url": per_url,
        "max_media_attachments": media,
    }
    return respond("GET", "/api/v2/instance", json_body=data)


# -- reading -----------------------------------------------------------------------------------


def test_get_post_yields_one_get_of_the_status() -> None:
    flow = make_platform().get_post("108880211901672326")
    call = next(flow)
    assert call == Call("GET", "/api/v1/statuses/108880211901672326")


def test_get_post_returns_the_status_as_a_post() -> None:
    flow = make_platform().get_post("108880211901672326")
    next(flow)
    post = finish(flow, respond("GET", "/api/v1/statuses/1", json_body=load("status")))
    assert isinstance(post, Post)
    assert post.id == "108880211901672326"
    assert post.url == "https://mastodon.example/@brand/108880211901672326"
    assert post.created_at == datetime(2022, 8, 24, 22, 29, 46, 493000, tzinfo=UTC)
    assert post.metrics == {"likes": 17, "shares": 5, "comments": 2, "quotes": 1}
    assert post.visibility == "public"
    assert post.author is not None
    assert (post.author.handle, post.author.followers) == ("brand", 318)


def test_get_post_keeps_the_payload_as_raw() -> None:
    flow = make_platform().get_post("1")
    next(flow)
    post = finish(flow, respond("GET", "/api/v1/statuses/1", json_body=load("status")))
    assert post.raw == load("status")


def test_get_post_maps_media_types_and_alt_text() -> None:
    flow = make_platform().get_post("1")
    next(flow)
    post = finish(flow, respond("GET", "/api/v1/statuses/1", json_body=load("status")))
    assert [(m.kind, m.id, m.alt_text) for m in post.media] == [
        ("image", "22348641", "The launch poster"),
        ("gif", "22348642", None),
    ]


def test_get_post_renders_the_html_content_as_plain_text() -> None:
    flow = make_platform().get_post("1")
    next(flow)
    post = finish(flow, respond("GET", "/api/v1/statuses/1", json_body=load("status")))
    assert post.text == (
        "Hello from the brand! Read https://example.com/blog/2022/08/launch\n\n"
        "Thanks @alice #launch"
    )


def test_get_post_url_falls_back_to_uri() -> None:
    status = load("search")["statuses"][1]
    flow = make_platform().get_post("1")
    next(flow)
    post = finish(flow, respond("GET", "/api/v1/statuses/1", json_body=status))
    assert post.url == "https://other.example/users/bob/statuses/101068121469614510"


def test_get_post_refuses_an_id_that_would_escape_the_path() -> None:
    call = next(make_platform().get_post("1/../../admin"))
    assert call.url == "/api/v1/statuses/1%2F..%2F..%2Fadmin"


def test_a_status_without_an_id_is_a_payload_error() -> None:
    flow = make_platform().get_post("1")
    next(flow)
    with pytest.raises(KeyError):  # the drivers report it as ParseError
        flow.send(respond("GET", "/api/v1/statuses/1", json_body={"content": "<p>x</p>"}))


def test_malformed_json_is_a_parse_error() -> None:
    flow = make_platform().get_post("1")
    next(flow)
    with pytest.raises(ParseError):
        flow.send(respond("GET", "/api/v1/statuses/1", content=b"<html>oops"))


def test_a_boost_reads_as_the_boosted_status_and_keeps_the_wrapper_raw() -> None:
    boost = load("account_statuses")[1]
    flow = make_platform().posts("109302", None)
    next(flow)
    page = finish(flow, respond("GET", "/api/v1/accounts/109302/statuses", json_body=[boost]))
    post = page.items[0]
    assert post.id == "103189026958574542"
    assert post.author.handle == "alice"
    assert post.metrics["likes"] == 4
    assert post.raw["id"] == "110000000000000900"


def test_posts_of_the_authenticated_account_look_it_up_once() -> None:
    platform = make_platform()
    flow = platform.posts(None, None)
    assert next(flow) == Call("GET", "/api/v1/accounts/verify_credentials")
    call = flow.send(
        respond("GET", "/api/v1/accounts/verify_credentials", json_body=load("account"))
    )
    assert call == Call("GET", "/api/v1/accounts/109302/statuses", params={"limit": 40})
    again = platform.posts(None, None)
    assert next(again).url == "/api/v1/accounts/109302/statuses"


def test_posts_by_handle_resolves_it_with_lookup() -> None:
    flow = make_platform().posts("@alice@other.example", None)
    call = next(flow)
    assert call == Call("GET", "/api/v1/accounts/lookup", params={"acct": "alice@other.example"})
    call = flow.send(respond("GET", "/api/v1/accounts/lookup", json_body={"id": "14715"}))
    assert call.url == "/api/v1/accounts/14715/statuses"


def test_posts_page_cursor_is_the_next_link() -> None:
    flow = make_platform().posts("109302", None)
    next(flow)
    link = (
        f'<{BASE}/api/v1/accounts/109302/statuses?max_id=7163058>; rel="next", '
        f'<{BASE}/api/v1/accounts/109302/statuses?min_id=7275607>; rel="prev"'
    )
    response = respond(
        "GET", "/api/v1/accounts/109302/statuses", json_body=[], headers={"Link": link}
    )
    page = finish(flow, response)
    assert page.next_cursor == f"{BASE}/api/v1/accounts/109302/statuses?max_id=7163058"


def test_posts_cursor_page_gets_the_cursor_url() -> None:
    cursor = f"{BASE}/api/v1/accounts/109302/statuses?max_id=7163058"
    assert next(make_platform().posts(None, cursor)) == Call("GET", cursor)


def test_a_next_link_to_another_host_is_refused() -> None:
    flow = make_platform().posts("109302", None)
    next(flow)
    response = respond(
        "GET",
        "/api/v1/accounts/109302/statuses",
        json_body=[],
        headers={"Link": '<https://evil.example/steal?max_id=1>; rel="next"'},
    )
    with pytest.raises(ParseError, match="off"):
        flow.send(response)


def test_a_cursor_on_another_host_is_refused_before_any_request() -> None:
    with pytest.raises(SocialkitError, match="cursor"):
        next(make_platform().posts(None, "https://evil.example/api/v1/x"))


def test_comments_are_the_descendants_with_their_parents() -> None:
    flow = make_platform().comments("108880211901672326", None)
    assert next(flow) == Call("GET", "/api/v1/statuses/108880211901672326/context")
    page = finish(flow, respond("GET", "/api/v1/statuses/1/context", json_body=load("context")))
    assert [(c.id, c.reply_to_id, c.thread_root_id) for c in page.items] == [
        ("103189026958574542", "108880211901672326", "108880211901672326"),
        ("103189030000000000", "103189026958574542", "108880211901672326"),
    ]
    assert page.items[0].text == "@brand Congrats!"
    assert page.next_cursor is None


def test_mentions_ask_for_mention_and_quote_notifications() -> None:
    platform = make_platform()
    platform._me = Account(platform="mastodon", id="109302", handle="brand")
    call = next(platform.mentions("34975000", None))
    assert call == Call(
        "GET",
        "/api/v1/notifications",
        params=[
            ("types[]", "mention"),
            ("types[]", "quote"),
            ("limit", 80),
            ("since_id", "34975000"),
        ],
    )


def test_mentions_tell_replies_quotes_and_mentions_apart() -> None:
    platform = make_platform()
    flow = platform.mentions(None, None)
    next(flow)  # verify_credentials: who "us" is
    flow.send(respond("GET", "/api/v1/accounts/verify_credentials", json_body=load("account")))
    page = finish(flow, respond("GET", "/api/v1/notifications", json_body=load("notifications")))
    assert [(m.id, m.kind, m.post_id) for m in page.items] == [
        ("34975861", "reply", "103186126728896492"),
        ("34975535", "mention", "103186046267791694"),
        ("34975400", "quote", "103186000000000000"),
    ]
    assert page.items[1].author.handle == "bob@other.example"
    assert page.items[1].text == "Hey @brand, my order never arrived"


def test_mentions_since_stop_at_the_first_older_one() -> None:
    platform = make_platform()
    platform._me = Account(platform="mastodon", id="109302", handle="brand")
    flow = platform.mentions("34975535", None)
    next(flow)
    response = respond(
        "GET",
        "/api/v1/notifications",
        json_body=load("notifications"),
        headers={"Link": f'<{BASE}/api/v1/notifications?max_id=34975400>; rel="next"'},
    )
    page = finish(flow, response)
    assert [m.id for m in page.items] == ["34975861"]
    assert page.next_cursor is None


def test_search_asks_for_statuses_without_resolving() -> None:
    call = next(make_platform().search("cats", None))
    assert call == Call(
        "GET",
        "/api/v2/search",
        params={"q": "cats", "type": "statuses", "resolve": "false", "limit": 40, "offset": 0},
    )


def test_search_short_page_is_the_last() -> None:
    flow = make_platform().search("cats", "40")
    assert next(flow).params["offset"] == 40
    page = finish(flow, respond("GET", "/api/v2/search", json_body=load("search")))
    assert [p.id for p in page.items] == ["103085519055545958", "101068121469614510"]
    assert page.items[0].text == "cats\ncats never change"
    assert page.next_cursor is None


def test_search_full_page_continues_at_the_next_offset() -> None:
    statuses = [{**load("search")["statuses"][0], "id": str(i)} for i in range(40)]
    flow = make_platform().search("cats", None)
    next(flow)
    body = {"accounts": [], "hashtags": [], "statuses": statuses}
    page = finish(flow, respond("GET", "/api/v2/search", json_body=body))
    assert page.next_cursor == "40"


# -- metrics -----------------------------------------------------------------------------------


def test_post_metrics_name_mastodon_counts() -> None:
    flow = make_platform().post_metrics("1")
    next(flow)
    metrics = finish(flow, respond("GET", "/api/v1/statuses/1", json_body=load("status")))
    found = {(m.name, m.native_name, m.value) for m in metrics}
    assert found == {
        ("likes", "favourites_count", 17),
        ("shares", "reblogs_count", 5),
        ("comments", "replies_count", 2),
        ("quotes", "quotes_count", 1),
    }
    assert {m.subject for m in metrics} == {"post"}


def test_post_metrics_leave_out_quotes_when_the_server_has_none() -> None:
    status = {**load("status"), "quotes_count": None}
    flow = make_platform().post_metrics("1")
    next(flow)
    metrics = finish(flow, respond("GET", "/api/v1/statuses/1", json_body=status))
    assert "quotes" not in {m.name for m in metrics}


def test_account_metrics_are_a_snapshot() -> None:
    flow = make_platform().account_metrics(None, None)
    assert next(flow) == Call("GET", "/api/v1/accounts/verify_credentials")
    metrics = finish(flow, respond("GET", "/x", json_body=load("account")))
    assert {(m.name, m.value, m.period) for m in metrics} == {
        ("followers", 318, "snapshot"),
        ("following", 45, "snapshot"),
        ("posts", 610, "snapshot"),
    }


def test_react_with_anything_but_like_is_unsupported_before_any_request() -> None:
    with pytest.raises(Unsupported, match="love"):
        next(make_platform().react("1", "love"))


def test_hide_comment_is_unsupported() -> None:
    with pytest.raises(Unsupported):
        make_platform().hide_comment("1", True)


# -- publishing --------------------------------------------------------------------------------


def test_publish_first_loads_the_instance_limits() -> None:
    flow = make_platform().publish(Draft(text="Hello"))
    assert next(flow) == Call("GET", "/api/v2/instance", headers={"Connection": "close"})


def test_publish_posts_the_status_with_the_drafts_idempotency_key() -> None:
    draft = Draft(
        text="Hello from socialkit", visibility="unlisted", language="en", idempotency_key="k-1"
    )
    flow = make_platform().publish(draft)
    next(flow)
    call = flow.send(instance_response())
    assert call == Call(
        "POST",
        "/api/v1/statuses",
        json={"status": "Hello from socialkit", "visibility": "unlisted", "language": "en"},
        idempotency_key="k-1",
        bucket="statuses",
    )
    post = finish(flow, respond("POST", "/api/v1/statuses", json_body=load("status_created")))
    assert post.id == "110000000000000001"


def test_publish_sends_options_poll_spoiler_and_reply() -> None:
    poll = {"options": ["Yes", "No"], "expires_in": 3600, "multiple": False}
    draft = Draft(
        text="Vote!",
        reply_to_id="42",
        options={"spoiler_text": "Survey", "sensitive": True, "poll": poll},
    )
    flow = make_platform().publish(draft)
    next(flow)
    call = flow.send(instance_response())
    assert call.json == {
        "status": "Vote!",
        "in_reply_to_id": "42",
        "poll": poll,
        "sensitive": True,
        "spoiler_text": "Survey",
    }


def test_publish_uses_limits_cached_by_an_earlier_platform() -> None:
    first = make_platform().publish(Draft(text="a"))
    next(first)
    first.send(instance_response(max_characters=1000))
    second = make_platform(access_token="another-account")
    assert second.rules.max_length == 1000
    assert next(second.publish(Draft(text="b"))).url == "/api/v1/statuses"


def test_limits_are_cached_per_instance() -> None:
    first = make_platform().publish(Draft(text="a"))
    next(first)
    first.send(instance_response(max_characters=1000))
    other = make_platform(instance="other.example")
    assert next(other.publish(Draft(text="b"))).url == "/api/v2/instance"


def test_max_characters_setting_skips_the_instance_fetch() -> None:
    platform = make_platform(max_characters=5000)
    flow = platform.publish(Draft(text="x" * 4000))
    assert next(flow).url == "/api/v1/statuses"


def test_publish_checks_the_fetched_limit_before_posting() -> None:
    flow = make_platform().publish(Draft(text="x" * 120))
    next(flow)
    with pytest.raises(InvalidContent) as caught:
        flow.send(instance_response(max_characters=100))
    assert (caught.value.rule, caught.value.count, caught.value.limit) == ("max_length", 120, 100)


def test_urls_count_as_the_instances_reserved_length() -> None:
    text = "see https://example.com/" + "a" * 200
    flow = make_platform().publish(Draft(text=text))
    next(flow)
    assert flow.send(instance_response(max_characters=30, per_url=23)).url == "/api/v1/statuses"


def test_spoiler_text_counts_towards_the_limit() -> None:
    draft = Draft(text="x" * 90, options={"spoiler_text": "y" * 20})
    flow = make_platform().publish(draft)
    next(flow)
    with pytest.raises(InvalidContent, match="110"):
        flow.send(instance_response(max_characters=100))


def test_instance_without_v2_falls_back_to_v1() -> None:
    from socialkit.errors import NotFound

    flow = make_platform().publish(Draft(text="hi"))
    next(flow)
    call = flow.throw(NotFound("Record not found", platform="mastodon", status=404))
    assert call == Call("GET", "/api/v1/instance", headers={"Connection": "close"})
    legacy = {"uri": "old.example", "max_toot_chars": 5000}
    assert flow.send(respond("GET", "/api/v1/instance", json_body=legacy)).url == "/api/v1/statuses"


def test_validate_before_the_limits_are_known_uses_mastodons_default() -> None:
    with pytest.raises(InvalidContent, match="load_rules") as caught:
        make_platform().validate("x" * 501)
    assert (caught.value.rule, caught.value.count, caught.value.limit) == ("max_length", 501, 500)


def test_validate_uses_limits_loaded_by_an_earlier_flow() -> None:
    platform = make_platform()
    flow = platform.load_rules()
    next(flow)
    finish(flow, instance_response(max_characters=1000))
    assert platform.validate("x" * 700).text == "x" * 700


def test_validate_once_the_limits_are_known_checks_length() -> None:
    platform = make_platform(max_characters=500)
    with pytest.raises(InvalidContent, match="501"):
        platform.validate("x" * 501)


def test_validate_names_unknown_options() -> None:
    draft = Draft(text="hi", options={"spoiler_text": "cw", "colour": "red", "pin": True})
    with pytest.raises(InvalidContent, match="colour, pin"):
        make_platform().validate(draft)


@pytest.mark.parametrize(
    "options",
    [
        {"poll": {"options": ["only one"], "expires_in": 60}},
        {"poll": {"options": ["a", "b"]}},
        {"poll": {"options": ["a", "b"], "expires_in": 60, "secret": True}},
        {"sensitive": "yes"},
        {"quote_approval_policy": "everyone"},
        {"media_ids": "123"},
    ],
)
def test_validate_refuses_malformed_options(options: dict[str, Any]) -> None:
    with pytest.raises(InvalidContent):
        make_platform().validate(Draft(text="hi", options=options))


def test_a_poll_cannot_carry_media() -> None:
    draft = Draft(
        text="hi",
        media=(MediaUpload(data=b"png", filename="a.png"),),
        options={"poll": {"options": ["a", "b"], "expires_in": 60}},
    )
    with pytest.raises(InvalidContent, match="poll"):
        make_platform().validate(draft)


def test_validate_refuses_documents() -> None:
    draft = Draft(text="hi", media=(MediaUpload(data=b"%PDF", filename="a.pdf"),))
    with pytest.raises(InvalidContent, match="cannot attach"):
        make_platform().validate(draft)


def test_publish_thread_checks_every_part_before_the_first_is_sent() -> None:
    flow = make_platform().publish_thread([Draft(text="one"), Draft(text="x" * 200)])
    next(flow)
    with pytest.raises(InvalidContent):
        flow.send(instance_response(max_characters=100))


def test_publish_thread_chains_replies() -> None:
    flow = make_platform(max_characters=500).publish_thread([Draft(text="1"), Draft(text="2")])
    first = next(flow)
    assert "in_reply_to_id" not in first.json
    created = load("status_created")
    second = flow.send(respond("POST", "/api/v1/statuses", json_body=created))
    assert second.json["in_reply_to_id"] == "110000000000000001"
    posts = finish(flow, respond("POST", "/api/v1/statuses", json_body={**created, "id": "2"}))
    assert [p.id for p in posts] == ["110000000000000001", "2"]


def test_edit_refuses_changing_visibility() -> None:
    with pytest.raises(InvalidContent, match="visibility"):
        next(make_platform().edit_post("1", Draft(text="x", visibility="direct")))


def test_edit_puts_the_new_content() -> None:
    draft = Draft(text="Fixed typo", options={"media_ids": ["22348641"], "spoiler_text": "cw"})
    flow = make_platform(max_characters=500).edit_post("1", draft)
    assert next(flow) == Call(
        "PUT",
        "/api/v1/statuses/1",
        json={"status": "Fixed typo", "media_ids": ["22348641"], "spoiler_text": "cw"},
    )


# -- media -------------------------------------------------------------------------------------


def test_media_upload_is_multipart_with_alt_text_in_the_media_bucket() -> None:
    upload = MediaUpload(data=b"\x89PNG", filename="poster.png", alt_text="The launch poster")
    flow = make_platform().upload_media(upload)
    call = next(flow)
    assert (call.method, call.url, call.bucket) == ("POST", "/api/v2/media", "media")
    assert call.files == {"file": ("poster.png", b"\x89PNG", "image/png")}
    assert call.data == {"description": "The launch poster"}


def test_media_still_processing_is_polled_with_growing_sleeps() -> None:
    flow = make_platform().upload_media(MediaUpload(data=b"x", filename="a.png"))
    next(flow)
    step = flow.send(respond("POST", "/api/v2/media", 202, json_body=load("media_processing")))
    assert step == Sleep(1.0)
    assert flow.send(None) == Call("GET", "/api/v1/media/22348641")
    assert flow.send(respond("GET", "/api/v1/media/22348641", 206)) == Sleep(1.5)
    flow.send(None)
    media_id = finish(flow, respond("GET", "/api/v1/media/22348641", json_body=load("media")))
    assert media_id == "22348641"


def test_media_processed_at_once_is_not_polled() -> None:
    flow = make_platform().upload_media(MediaUpload(data=b"x", filename="a.png"))
    next(flow)
    assert finish(flow, respond("POST", "/api/v2/media", json_body=load("media"))) == "22348641"


def test_media_never_ready_raises_after_about_a_minute() -> None:
    flow = make_platform().upload_media(MediaUpload(data=b"x", filename="a.png"))
    next(flow)
    step: Any = flow.send(respond("POST", "/api/v2/media", 202, json_body=load("media_processing")))
    slept = 0.0

    def drive() -> None:
        nonlocal step, slept
        while True:
            if isinstance(step, Sleep):
                slept += step.seconds
                step = flow.send(None)
            else:
                step = flow.send(respond("GET", "/api/v1/media/22348641", 206))

    with pytest.raises(MediaNotReady) as caught:
        drive()
    assert 40 <= slept <= 60
    assert caught.value.media_id == "22348641"


def test_media_by_url_is_downloaded_without_credentials() -> None:
    upload = MediaUpload(url="https://cdn.example/poster.png")
    flow = make_platform().upload_media(upload)
    call = next(flow)
    assert (call.method, call.url, call.authenticated) == ("GET", upload.url, False)
    fetched = httpx.Response(200, content=b"PNG", request=httpx.Request("GET", upload.url))
    assert flow.send(fetched).files == {"file": ("poster.png", b"PNG", "image/png")}


# -- replies -----------------------------------------------------------------------------------


def _mention(index: int) -> Mention:
    platform = make_platform()
    platform._me = Account(platform="mastodon", id="109302", handle="brand")
    flow = platform.mentions(None, None)
    next(flow)
    result = finish(flow, respond("GET", "/api/v1/notifications", json_body=load("notifications")))
    mention: Mention = result.items[index]
    return mention


def test_reply_to_a_mention_addresses_its_author_and_keeps_a_dm_direct() -> None:
    platform = make_platform(max_characters=500)
    platform._me = Account(platform="mastodon", id="109302", handle="brand")
    flow = platform.reply(_mention(1), Draft(text="Sorry! We are on it.", idempotency_key="r1"))
    call = next(flow)
    assert call == Call(
        "POST",
        "/api/v1/statuses",
        json={
            "status": "@bob@other.example Sorry! We are on it.",
            "in_reply_to_id": "103186046267791694",
            "visibility": "direct",
        },
        idempotency_key="r1",
        bucket="statuses",
    )


def test_reply_does_not_mention_twice() -> None:
    platform = make_platform(max_characters=500)
    platform._me = Account(platform="mastodon", id="109302", handle="brand")
    flow = platform.reply(_mention(0), Draft(text="Hi @Alice!"))
    assert next(flow).json["status"] == "Hi @Alice!"


def test_reply_to_an_id_fetches_the_status_first() -> None:
    platform = make_platform(max_characters=500)
    flow = platform.reply("103189026958574542", Draft(text="Thanks"))
    assert next(flow) == Call("GET", "/api/v1/statuses/103189026958574542")
    status = load("context")["descendants"][0]
    assert next_call(flow, status).url == "/api/v1/accounts/verify_credentials"
    call = flow.send(respond("GET", "/x", json_body=load("account")))
    assert call.json == {"status": "@alice Thanks", "in_reply_to_id": "103189026958574542"}
    comment = finish(flow, respond("POST", "/api/v1/statuses", json_body=load("status_created")))
    assert isinstance(comment, Comment)
    ids = (comment.reply_to_id, comment.thread_root_id)
    assert ids == ("103189026958574542", "103189026958574542")


def next_call(flow: Flow[Any], data: Any) -> Any:
    return flow.send(respond("GET", "/x", json_body=data))


def test_reply_to_own_post_does_not_mention_oneself() -> None:
    platform = make_platform(max_characters=500)
    platform._me = Account(platform="mastodon", id="109302", handle="brand")
    post = Post(platform="mastodon", id="9", author=platform._me, visibility="public")
    assert next(platform.reply(post, Draft(text="Also:"))).json["status"] == "Also:"


def test_the_mention_counts_towards_the_limit() -> None:
    platform = make_platform(max_characters=10)
    platform._me = Account(platform="mastodon", id="109302", handle="brand")
    with pytest.raises(InvalidContent):
        next(platform.reply(_mention(0), Draft(text="x" * 8)))
