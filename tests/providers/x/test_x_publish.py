"""Publishing: the CreatePostsRequest body on the wire, threads, edits, replies, and the
rules checked before any request (weighted length, polls, media)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

import socialkit as sk

CREATED = "1445880548472328192"


@pytest.fixture
def create(router: respx.MockRouter, body: Callable[[str], Any]) -> respx.Route:
    return router.post("/2/tweets").mock(
        return_value=httpx.Response(201, json=body("create_tweet"))
    )


def sent(route: respx.Route, index: int = -1) -> Any:
    return json.loads(route.calls[index].request.content)


def test_publish_posts_the_text_as_json(x: Any, create: respx.Route) -> None:
    x.publish("Hello from socialkit")
    request = create.calls.last.request
    assert request.headers["Content-Type"] == "application/json"
    assert sent(create) == {"text": "Hello from socialkit"}


def test_publish_returns_the_created_post(x: Any, create: respx.Route) -> None:
    post = x.publish("Hello from socialkit")
    assert (post.platform, post.id, post.text) == ("x", CREATED, "Hello from socialkit")
    assert post.url == f"https://x.com/i/web/status/{CREATED}"


def test_publish_sends_no_idempotency_key(x: Any, create: respx.Route) -> None:
    x.publish("Hello from socialkit")
    assert "Idempotency-Key" not in create.calls.last.request.headers


def test_publish_reply_sets_in_reply_to_tweet_id(x: Any, create: respx.Route) -> None:
    x.publish(sk.Draft(text="Thanks!", reply_to_id="1346889436626259968"))
    assert sent(create)["reply"] == {"in_reply_to_tweet_id": "1346889436626259968"}


def test_publish_poll_comes_from_draft_options(x: Any, create: respx.Route) -> None:
    poll = {"options": ["Tea", "Coffee"], "duration_minutes": 1440}
    x.publish(sk.Draft(text="Which one?", options={"poll": poll}))
    assert sent(create)["poll"] == poll


def test_publish_passes_reply_settings_and_quote_tweet_id(x: Any, create: respx.Route) -> None:
    options = {"reply_settings": "following", "quote_tweet_id": "1346889436626259968",
               "spoiler_text": "for another platform"}
    x.publish(sk.Draft(text="Quoting", options=options))
    assert sent(create) == {"text": "Quoting", "reply_settings": "following",
                            "quote_tweet_id": "1346889436626259968"}


def test_too_long_text_is_invalid_content_with_no_request(
    x: Any, router: respx.MockRouter
) -> None:
    with pytest.raises(sk.InvalidContent) as raised:
        x.publish("a" * 281)
    assert (raised.value.rule, raised.value.count, raised.value.limit) == ("max_length", 281, 280)
    assert not router.calls


def test_cjk_text_counts_double_against_the_limit(x: Any, router: respx.MockRouter) -> None:
    with pytest.raises(sk.InvalidContent) as raised:
        x.publish("漢" * 141)
    assert raised.value.count == 282
    assert not router.calls


def test_a_long_url_counts_23(x: Any, create: respx.Route) -> None:
    text = "a" * 256 + " https://example.com/" + "x" * 200
    x.publish(text)
    assert sent(create)["text"] == text


def test_a_paid_account_may_post_longer_text(
    connect: Any, platform_factory: Any, create: respx.Route
) -> None:
    client = connect(platform_factory(access_token="user-token", max_length=4000))
    client.publish("a" * 1000)
    assert len(sent(create)["text"]) == 1000


def test_publish_thread_chains_each_part_to_the_previous(
    x: Any, router: respx.MockRouter
) -> None:
    ids = iter(["1000000000000000001", "1000000000000000002"])
    route = router.post("/2/tweets").mock(side_effect=lambda request: httpx.Response(
        201, json={"data": {"id": next(ids), "text": json.loads(request.content)["text"]}}
    ))
    posts = x.publish_thread(["One", "Two"])
    assert [p.id for p in posts] == ["1000000000000000001", "1000000000000000002"]
    assert "reply" not in sent(route, 0)
    assert sent(route, 1)["reply"] == {"in_reply_to_tweet_id": "1000000000000000001"}


def test_publish_thread_checks_every_part_before_the_first_is_sent(
    x: Any, router: respx.MockRouter
) -> None:
    with pytest.raises(sk.InvalidContent):
        x.publish_thread(["fine", "b" * 300])
    assert not router.calls


def test_edit_post_sends_edit_options(x: Any, create: respx.Route) -> None:
    edited = x.edit_post("1346889436626259968", "Fixed the typo")
    assert sent(create) == {
        "text": "Fixed the typo",
        "edit_options": {"previous_post_id": "1346889436626259968"},
    }
    assert edited.id == CREATED


def test_reply_returns_a_comment_in_the_conversation(x: Any, create: respx.Route) -> None:
    post = sk.Post(platform="x", id="1346901234567890123", thread_root_id="1346889436626259968")
    comment = x.reply(post, "Thank you!")
    assert sent(create)["reply"] == {"in_reply_to_tweet_id": "1346901234567890123"}
    assert (comment.id, comment.reply_to_id, comment.thread_root_id) == (
        CREATED, "1346901234567890123", "1346889436626259968"
    )


def test_reply_to_a_mention_answers_the_mentioning_post(x: Any, create: respx.Route) -> None:
    mention = sk.Mention(platform="x", id="1375152598945312768", kind="mention",
                         post_id="1375152598945312768")
    x.reply(mention, "Glad it helped")
    assert sent(create)["reply"] == {"in_reply_to_tweet_id": "1375152598945312768"}


@pytest.mark.parametrize(
    ("draft", "rule"),
    [
        (sk.Draft(text="?", options={"poll": {"options": ["only one"], "duration_minutes": 60}}),
         "poll"),
        (sk.Draft(text="?", options={"poll": {"options": ["a", "b"], "duration_minutes": 1}}),
         "poll"),
        (sk.Draft(text="?", options={"poll": {"options": ["a", "b" * 26],
                                              "duration_minutes": 60}}), "poll"),
        (sk.Draft(text="?", options={"poll": {"options": ["a", "b"], "duration_minutes": 60}},
                  media=(sk.MediaUpload(data=b"png", filename="a.png"),)), "poll"),
        (sk.Draft(text="gif", media=(sk.MediaUpload(data=b"g", filename="a.gif"),
                                     sk.MediaUpload(data=b"p", filename="b.png"))), "max_gifs"),
        (sk.Draft(text="url", media=(sk.MediaUpload(url="https://example.com/a.png"),)),
         "media_url"),
        (sk.Draft(text="svg", media=(sk.MediaUpload(data=b"<svg/>", filename="a.svg"),)),
         "media_type"),
        (sk.Draft(text="big", media=(sk.MediaUpload(data=b"0" * (5 * 1024 * 1024 + 1),
                                                    filename="a.png"),)), "media_size"),
    ],
    ids=["one-choice", "short-poll", "long-choice", "poll-and-media", "gif-and-image",
         "media-url", "svg", "image-too-big"],
)
def test_drafts_x_cannot_take_are_refused_before_sending(
    x: Any, router: respx.MockRouter, draft: sk.Draft, rule: str
) -> None:
    with pytest.raises(sk.InvalidContent) as raised:
        x.publish(draft)
    assert raised.value.rule == rule
    assert not router.calls
