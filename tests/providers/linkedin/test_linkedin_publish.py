"""Publishing: the Posts API body and headers on the wire, the URN from ``x-restli-id``,
edits, deletes, reshares, and the rules checked before any request."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

import socialkit as sk

from .linkedin_support import ORG, SHARE, VERSION, make_platform, sent_json

CREATED = "urn:li:share:6844785523593134080"


@pytest.fixture
def create(router: respx.MockRouter) -> respx.Route:
    return router.post("https://api.linkedin.com/rest/posts").mock(
        return_value=httpx.Response(201, headers={"x-restli-id": CREATED})
    )


def test_publish_sends_the_documented_post_body(li: Any, create: respx.Route) -> None:
    li.publish("Sample text Post")
    assert sent_json(create.calls.last.request) == {
        "author": ORG,
        "commentary": "Sample text Post",
        "visibility": "PUBLIC",
        "distribution": {
            "feedDistribution": "MAIN_FEED",
            "targetEntities": [],
            "thirdPartyDistributionChannels": [],
        },
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": False,
    }


def test_publish_sends_the_version_and_protocol_headers(li: Any, create: respx.Route) -> None:
    li.publish("Sample text Post")
    headers = create.calls.last.request.headers
    assert headers["LinkedIn-Version"] == VERSION
    assert headers["X-Restli-Protocol-Version"] == "2.0.0"


def test_the_api_version_setting_is_the_version_header(
    connect: Callable[..., Any], create: respx.Route
) -> None:
    connect(make_platform(api_version="202609")).publish("Hello")
    assert create.calls.last.request.headers["LinkedIn-Version"] == "202609"


def test_publish_authenticates_with_the_bearer_token(li: Any, create: respx.Route) -> None:
    li.publish("Hello")
    assert create.calls.last.request.headers["Authorization"] == "Bearer li-secret-token"


def test_the_post_urn_comes_from_the_x_restli_id_header(li: Any, create: respx.Route) -> None:
    post = li.publish("Sample text Post")
    assert (post.platform, post.id) == ("linkedin", CREATED)
    assert post.url == f"https://www.linkedin.com/feed/update/{CREATED}/"
    assert post.author is not None
    assert post.author.id == ORG


def test_a_created_post_without_x_restli_id_is_uncertain(
    li: Any, router: respx.MockRouter
) -> None:
    # the post was created (201) but its id cannot be read: reconcile, never post again
    router.post("https://api.linkedin.com/rest/posts").respond(201)
    with pytest.raises(sk.PublishUncertain, match="x-restli-id"):
        li.publish("Hello")


def test_reserved_characters_are_escaped_on_the_wire(li: Any, create: respx.Route) -> None:
    li.publish(sk.Draft(text="Q&A (live) at 5*", options={"hashtags": False}))
    assert sent_json(create.calls.last.request)["commentary"] == "Q&A \\(live\\) at 5\\*"


def test_a_mention_goes_out_as_mention_syntax(li: Any, create: respx.Route) -> None:
    draft = sk.Draft(
        text="Proud of @Devtestco today",
        options={"mentions": {"Devtestco": "urn:li:organization:2414183"}},
    )
    li.publish(draft)
    commentary = sent_json(create.calls.last.request)["commentary"]
    assert commentary == "Proud of @[Devtestco](urn:li:organization:2414183) today"


def test_the_returned_post_keeps_the_plain_text(li: Any, create: respx.Route) -> None:
    assert li.publish("Price (incl. tax)").text == "Price (incl. tax)"


def test_reshare_disabled_option_sets_the_flag(li: Any, create: respx.Route) -> None:
    li.publish(sk.Draft(text="Exclusive", options={"reshare_disabled": True}))
    assert sent_json(create.calls.last.request)["isReshareDisabledByAuthor"] is True


def test_a_member_may_post_to_connections_only(member: Any, create: respx.Route) -> None:
    member.publish(sk.Draft(text="For my network", visibility="private"))
    body = sent_json(create.calls.last.request)
    assert (body["author"], body["visibility"]) == ("urn:li:person:782bbtaQ", "CONNECTIONS")


def test_an_organization_cannot_post_privately(li: Any, router: respx.MockRouter) -> None:
    with pytest.raises(sk.InvalidContent) as raised:
        li.publish(sk.Draft(text="Secret", visibility="private"))
    assert raised.value.rule == "visibility"
    assert not router.calls


def test_text_over_3000_characters_is_refused_before_any_request(
    li: Any, router: respx.MockRouter
) -> None:
    with pytest.raises(sk.InvalidContent) as raised:
        li.publish("a" * 3001)
    assert (raised.value.rule, raised.value.count, raised.value.limit) == ("max_length", 3001, 3000)
    assert not router.calls


def test_a_post_cannot_reply_to_a_post(li: Any, router: respx.MockRouter) -> None:
    with pytest.raises(sk.InvalidContent) as raised:
        li.publish(sk.Draft(text="Thanks", reply_to_id=SHARE))
    assert raised.value.rule == "reply_to_id"
    assert not router.calls


def test_a_publish_that_fails_ambiguously_is_not_retried(
    li: Any, router: respx.MockRouter
) -> None:
    route = router.post("https://api.linkedin.com/rest/posts").respond(503)
    with pytest.raises(sk.PublishUncertain):
        li.publish("Once only")
    assert route.call_count == 1


def test_a_duplicate_post_is_invalid_content(
    li: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.post("https://api.linkedin.com/rest/posts").respond(422, json=body("error_duplicate"))
    with pytest.raises(sk.InvalidContent) as raised:
        li.publish("Same again")
    assert raised.value.rule == "duplicate"
    assert "duplicate" in raised.value.message


def test_edit_sends_a_partial_update_of_the_commentary(
    li: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.post(f"https://api.linkedin.com/rest/posts/{SHARE}").respond(204)
    router.get(f"https://api.linkedin.com/rest/posts/{SHARE}").respond(200, json=body("post"))
    li.edit_post(SHARE, "Fixed (typo)")
    request = route.calls.last.request
    assert request.headers["X-RestLi-Method"] == "PARTIAL_UPDATE"
    assert request.url.raw_path == b"/rest/posts/urn%3Ali%3Ashare%3A6844785523593134080"
    assert sent_json(request) == {"patch": {"$set": {"commentary": "Fixed \\(typo\\)"}}}


def test_edit_cannot_change_media(li: Any, router: respx.MockRouter) -> None:
    image = sk.MediaUpload(data=b"png", filename="a.png")
    with pytest.raises(sk.InvalidContent) as raised:
        li.edit_post(SHARE, sk.Draft(text="New", media=(image,)))
    assert raised.value.rule == "edit_media"
    assert not router.calls


def test_delete_sends_delete_with_the_encoded_urn(li: Any, router: respx.MockRouter) -> None:
    route = router.delete(f"https://api.linkedin.com/rest/posts/{SHARE}").respond(204)
    li.delete_post(SHARE)
    request = route.calls.last.request
    assert request.url.raw_path == b"/rest/posts/urn%3Ali%3Ashare%3A6844785523593134080"
    assert request.headers["X-RestLi-Method"] == "DELETE"


def test_delete_of_something_not_a_post_urn_is_not_found_before_io(
    li: Any, router: respx.MockRouter
) -> None:
    with pytest.raises(sk.NotFound):
        li.delete_post("6844785523593134080")
    assert not router.calls


def test_repost_is_a_reshare_with_the_parent(li: Any, create: respx.Route) -> None:
    li.repost(SHARE)
    body = sent_json(create.calls.last.request)
    assert body["reshareContext"] == {"parent": SHARE}
    assert (body["commentary"], body["author"]) == ("", ORG)
