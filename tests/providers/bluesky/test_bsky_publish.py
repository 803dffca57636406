"""Publishing: the post record, facets, images, link cards, replies, threads, safe retries."""

from __future__ import annotations

import httpx
import pytest
import respx

import socialkit as sk
from socialkit.providers.bluesky.ids import is_tid

from .bsky_support import (
    DID,
    Driver,
    body,
    created,
    jpeg,
    load,
    png,
    xrpc,
)

CREATE = xrpc("com.atproto.repo.createRecord")
BLOB = xrpc("com.atproto.repo.uploadBlob")
ALICE_DID = "did:plc:alicex3c6l5ewbqkxn2fyy7m"
ALICE_POST = f"at://{ALICE_DID}/app.bsky.feed.post/3kgt2ttvf6c2a"
BOB_REPLY = "at://did:plc:bobbyq4i5tkb3sc6xj2pkzme/app.bsky.feed.post/3kgt3bbcfa22c"


@pytest.fixture
def create(api: respx.MockRouter) -> respx.Route:
    return api.post(CREATE).mock(side_effect=created)


def record(route: respx.Route, index: int = -1) -> dict[str, object]:
    return dict(body(route.calls[index].request)["record"])


def test_publish_creates_a_post_record(bsky: Driver, create: respx.Route) -> None:
    bsky.publish(sk.Draft(text="Hello Bluesky", language="en"))
    request = create.calls.last.request
    sent = body(request)
    assert (request.method, request.headers["Content-Type"]) == ("POST", "application/json")
    assert (sent["repo"], sent["collection"]) == (DID, "app.bsky.feed.post")
    assert is_tid(sent["rkey"])
    assert set(sent["record"]) == {"$type", "text", "createdAt", "langs"}
    assert sent["record"]["$type"] == "app.bsky.feed.post"
    assert (sent["record"]["text"], sent["record"]["langs"]) == ("Hello Bluesky", ["en"])


def test_created_at_is_a_lexicon_datetime(bsky: Driver, create: respx.Route) -> None:
    bsky.publish("Hello")
    assert str(record(create)["createdAt"]).endswith("Z")


def test_publish_returns_the_at_uri_and_permalink(bsky: Driver, create: respx.Route) -> None:
    post = bsky.publish("Hello")
    rkey = body(create.calls.last.request)["rkey"]
    assert post.id == f"at://{DID}/app.bsky.feed.post/{rkey}"
    assert post.url == f"https://bsky.app/profile/brand.bsky.social/post/{rkey}"
    assert post.raw is not None
    assert post.raw["cid"] == load("createRecord")["cid"]


def test_publish_sends_mention_link_and_tag_facets(
    bsky: Driver, api: respx.MockRouter, create: respx.Route
) -> None:
    resolve = api.get(xrpc("com.atproto.identity.resolveHandle")).respond(
        json=load("resolveHandle")
    )
    text = "Hi @Alice.bsky.social see example.com #launch"
    bsky.publish(text)
    assert resolve.calls.last.request.url.params["handle"] == "alice.bsky.social"
    assert record(create)["facets"] == [
        {"index": {"byteStart": 3, "byteEnd": 21},
         "features": [{"$type": "app.bsky.richtext.facet#mention", "did": ALICE_DID}]},
        {"index": {"byteStart": 26, "byteEnd": 37},
         "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://example.com"}]},
        {"index": {"byteStart": 38, "byteEnd": 45},
         "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "launch"}]},
    ]


def test_unresolvable_handle_gets_no_facet(
    bsky: Driver, api: respx.MockRouter, create: respx.Route
) -> None:
    api.get(xrpc("com.atproto.identity.resolveHandle")).respond(
        400, json={"error": "InvalidRequest", "message": "Unable to resolve handle"}
    )
    bsky.publish("Hi @nobody.example.com")
    assert "facets" not in record(create)


def test_a_handle_mentioned_twice_is_resolved_once(
    bsky: Driver, api: respx.MockRouter, create: respx.Route
) -> None:
    resolve = api.get(xrpc("com.atproto.identity.resolveHandle")).respond(
        json=load("resolveHandle")
    )
    bsky.publish("@alice.bsky.social and again @alice.bsky.social")
    assert resolve.call_count == 1
    assert len(record(create)["facets"]) == 2  # type: ignore[arg-type]


def test_images_are_uploaded_as_raw_bytes(
    bsky: Driver, api: respx.MockRouter, create: respx.Route
) -> None:
    blob = api.post(BLOB).respond(json=load("uploadBlob"))
    data = png(1200, 675)
    bsky.publish(sk.Draft(text="Look", media=(sk.MediaUpload(data=data, filename="a.png"),)))
    request = blob.calls.last.request
    assert (request.content, request.headers["Content-Type"]) == (data, "image/png")


def test_images_embed_carries_alt_text_and_aspect_ratio(
    bsky: Driver, api: respx.MockRouter, create: respx.Route
) -> None:
    api.post(BLOB).respond(json=load("uploadBlob"))
    media = (
        sk.MediaUpload(data=png(1200, 675), filename="a.png", alt_text="A chart"),
        sk.MediaUpload(data=jpeg(800, 600, orientation=6), filename="b.jpg"),
    )
    bsky.publish(sk.Draft(text="Look", media=media))
    blob = load("uploadBlob")["blob"]
    assert record(create)["embed"] == {
        "$type": "app.bsky.embed.images",
        "images": [
            {"image": blob, "alt": "A chart", "aspectRatio": {"width": 1200, "height": 675}},
            {"image": blob, "alt": "", "aspectRatio": {"width": 600, "height": 800}},
        ],
    }


def test_image_of_unknown_shape_has_no_aspect_ratio(
    bsky: Driver, api: respx.MockRouter, create: respx.Route
) -> None:
    api.post(BLOB).respond(json=load("uploadBlob"))
    upload = sk.MediaUpload(data=b"not really an image", filename="x.png")
    bsky.publish(sk.Draft(text="", media=(upload,)))
    image = record(create)["embed"]["images"][0]  # type: ignore[index]
    assert "aspectRatio" not in image


def test_image_over_2mb_is_refused_before_any_request(
    bsky: Driver, api: respx.MockRouter
) -> None:
    upload = sk.MediaUpload(data=b"\x00" * 2_000_001, filename="big.png")
    with pytest.raises(sk.InvalidContent) as raised:
        bsky.publish(sk.Draft(text="big", media=(upload,)))
    assert (raised.value.rule, raised.value.limit) == ("max_image_bytes", 2_000_000)
    assert not api.calls


def test_five_images_are_refused_before_any_request(bsky: Driver, api: respx.MockRouter) -> None:
    media = tuple(sk.MediaUpload(data=png(2, 2), filename=f"{i}.png") for i in range(5))
    with pytest.raises(sk.InvalidContent, match="limit is 4"):
        bsky.publish(sk.Draft(text="many", media=media))
    assert not api.calls


def test_url_media_is_downloaded_without_credentials(
    bsky: Driver, api: respx.MockRouter, create: respx.Route
) -> None:
    download = api.get("https://cdn.example.com/pic.png").respond(content=png(10, 20))
    api.post(BLOB).respond(json=load("uploadBlob"))
    upload = sk.MediaUpload(url="https://cdn.example.com/pic.png")
    bsky.publish(sk.Draft(text="From the web", media=(upload,)))
    assert "Authorization" not in download.calls.last.request.headers
    image = record(create)["embed"]["images"][0]  # type: ignore[index]
    assert image["aspectRatio"] == {"width": 10, "height": 20}


def test_link_card_becomes_an_external_embed(bsky: Driver, create: respx.Route) -> None:
    card = {"uri": "https://brand.example/sale", "title": "Sale", "description": "50% off"}
    bsky.publish(sk.Draft(text="Our sale", options={"link_card": card}))
    assert record(create)["embed"] == {"$type": "app.bsky.embed.external", "external": card}


def test_link_card_thumb_is_uploaded(
    bsky: Driver, api: respx.MockRouter, create: respx.Route
) -> None:
    api.post(BLOB).respond(json=load("uploadBlob"))
    thumb = sk.MediaUpload(data=png(4, 2), filename="t.png")
    card = {"uri": "https://brand.example", "title": "T", "description": "D", "thumb": thumb}
    bsky.publish(sk.Draft(text="x", options={"link_card": card}))
    external = record(create)["embed"]["external"]  # type: ignore[index]
    assert external["thumb"] == load("uploadBlob")["blob"]


def test_link_card_with_media_is_refused(bsky: Driver, api: respx.MockRouter) -> None:
    card = {"uri": "https://brand.example", "title": "T", "description": "D"}
    draft = sk.Draft(text="x", options={"link_card": card},
                     media=(sk.MediaUpload(data=png(2, 2), filename="a.png"),))
    with pytest.raises(sk.InvalidContent) as raised:
        bsky.publish(draft)
    assert raised.value.rule == "mixed_media"
    assert not api.calls


def test_unknown_option_is_refused(bsky: Driver, api: respx.MockRouter) -> None:
    with pytest.raises(sk.InvalidContent, match="spoiler_text"):
        bsky.publish(sk.Draft(text="x", options={"spoiler_text": "cw"}))
    assert not api.calls


def test_private_visibility_is_refused(bsky: Driver, api: respx.MockRouter) -> None:
    with pytest.raises(sk.InvalidContent) as raised:
        bsky.publish(sk.Draft(text="secret", visibility="private"))
    assert raised.value.rule == "visibility"
    assert not api.calls


def test_text_over_300_graphemes_is_refused_without_a_request(
    bsky: Driver, api: respx.MockRouter
) -> None:
    with pytest.raises(sk.InvalidContent) as raised:
        bsky.publish("é" * 301)
    assert (raised.value.rule, raised.value.count, raised.value.limit) == ("max_length", 301, 300)
    assert not api.calls


def test_300_graphemes_of_emoji_are_accepted(bsky: Driver, create: respx.Route) -> None:
    bsky.publish("👋🏽" * 300)
    assert record(create)["text"] == "👋🏽" * 300


def test_text_over_3000_bytes_is_refused_without_a_request(
    bsky: Driver, api: respx.MockRouter
) -> None:
    family = "👨‍👩‍👧‍👦"  # one grapheme, 25 bytes
    with pytest.raises(sk.InvalidContent) as raised:
        bsky.publish(family * 150)
    assert (raised.value.rule, raised.value.limit) == ("max_bytes", 3000)
    assert not api.calls


def test_reply_sends_root_and_parent_strong_refs(
    bsky: Driver, api: respx.MockRouter, create: respx.Route
) -> None:
    lookup = api.get(xrpc("app.bsky.feed.getPosts")).respond(json=load("getPosts_reply"))
    bsky.publish(sk.Draft(text="We do!", reply_to_id=BOB_REPLY))
    parent = load("getPosts_reply")["posts"][0]
    assert lookup.calls.last.request.url.params.get_list("uris") == [BOB_REPLY]
    assert record(create)["reply"] == {
        "root": parent["record"]["reply"]["root"],
        "parent": {"uri": parent["uri"], "cid": parent["cid"]},
    }


def test_reply_to_a_top_level_post_uses_it_as_root(
    bsky: Driver, api: respx.MockRouter, create: respx.Route
) -> None:
    api.get(xrpc("app.bsky.feed.getPosts")).respond(json=load("getPosts"))
    bsky.publish(sk.Draft(text="Nice", reply_to_id=ALICE_POST))
    view = load("getPosts")["posts"][0]
    ref = {"uri": view["uri"], "cid": view["cid"]}
    assert record(create)["reply"] == {"root": ref, "parent": ref}


def test_reply_returns_a_comment_under_the_root(
    bsky: Driver, api: respx.MockRouter, create: respx.Route
) -> None:
    api.get(xrpc("app.bsky.feed.getPosts")).respond(json=load("getPosts_reply"))
    comment = bsky.reply(BOB_REPLY, "Yes, from March")
    root = load("getPosts_reply")["posts"][0]["record"]["reply"]["root"]["uri"]
    assert (comment.reply_to_id, comment.thread_root_id) == (BOB_REPLY, root)


def test_reply_to_a_bsky_app_link_resolves_its_handle(
    bsky: Driver, api: respx.MockRouter, create: respx.Route
) -> None:
    resolve = api.get(xrpc("com.atproto.identity.resolveHandle")).respond(
        json={"did": "did:plc:bobbyq4i5tkb3sc6xj2pkzme"}
    )
    lookup = api.get(xrpc("app.bsky.feed.getPosts")).respond(json=load("getPosts_reply"))
    bsky.reply("https://bsky.app/profile/bob.example.com/post/3kgt3bbcfa22c", "Thanks")
    assert resolve.calls.last.request.url.params["handle"] == "bob.example.com"
    assert lookup.calls.last.request.url.params["uris"] == BOB_REPLY


def test_reply_to_a_link_of_an_unknown_handle_is_not_found(
    bsky: Driver, api: respx.MockRouter, create: respx.Route
) -> None:
    api.get(xrpc("com.atproto.identity.resolveHandle")).respond(
        400, json={"error": "InvalidRequest", "message": "Unable to resolve handle"}
    )
    with pytest.raises(sk.NotFound, match=r"gone\.example\.com"):
        bsky.reply("https://bsky.app/profile/gone.example.com/post/3kgt3bbcfa22c", "Hi")
    assert create.call_count == 0


def test_reply_to_something_that_is_not_a_post_is_not_found_before_any_request(
    bsky: Driver, api: respx.MockRouter
) -> None:
    with pytest.raises(sk.NotFound):
        bsky.reply("https://example.com/some/page", "Hi @alice.bsky.social")
    assert not api.calls


def test_publish_thread_chains_replies_without_refetching(
    bsky: Driver, api: respx.MockRouter, create: respx.Route
) -> None:
    lookup = api.get(xrpc("app.bsky.feed.getPosts"))
    posts = bsky.publish_thread(["one", "two", "three"])
    first, second, third = (record(create, i) for i in range(3))
    root = {"uri": posts[0].id, "cid": load("createRecord")["cid"]}
    assert "reply" not in first
    assert second["reply"] == {"root": root, "parent": root}
    assert third["reply"] == {"root": root,
                              "parent": {"uri": posts[1].id, "cid": load("createRecord")["cid"]}}
    assert lookup.call_count == 0


def test_create_retried_after_503_keeps_its_record_key(
    bsky: Driver, api: respx.MockRouter
) -> None:
    route = api.post(CREATE)
    route.side_effect = [httpx.Response(503), created]
    post = bsky.publish("Hello")
    keys = [body(call.request)["rkey"] for call in route.calls]
    assert len(keys) == 2
    assert keys[0] == keys[1]
    assert post.id.endswith(keys[0])


def test_failed_create_that_landed_is_found_by_get_record(
    bsky: Driver, api: respx.MockRouter
) -> None:
    api.post(CREATE).respond(500, json={"error": "InternalServerError", "message": "oops"})
    check = api.get(xrpc("com.atproto.repo.getRecord")).mock(
        side_effect=lambda request: httpx.Response(200, json={
            "uri": f"at://{DID}/app.bsky.feed.post/{request.url.params['rkey']}",
            "cid": load("createRecord")["cid"],
            "value": {"$type": "app.bsky.feed.post", "text": "Hello", "createdAt": "x"},
        })
    )
    post = bsky.publish("Hello")
    params = check.calls.last.request.url.params
    assert (params["repo"], params["collection"]) == (DID, "app.bsky.feed.post")
    assert post.id.endswith(params["rkey"])


def test_failed_create_that_did_not_land_raises_the_error(
    bsky: Driver, api: respx.MockRouter
) -> None:
    api.post(CREATE).respond(500, json={"error": "InternalServerError", "message": "oops"})
    api.get(xrpc("com.atproto.repo.getRecord")).respond(
        400, json={"error": "RecordNotFound", "message": "Could not locate record"}
    )
    with pytest.raises(sk.PlatformError, match="oops"):
        bsky.publish("Hello")


def test_failed_create_that_cannot_be_checked_is_uncertain(
    bsky: Driver, api: respx.MockRouter
) -> None:
    api.post(CREATE).respond(500, json={"error": "InternalServerError", "message": "oops"})
    api.get(xrpc("com.atproto.repo.getRecord")).respond(500)
    draft = sk.Draft(text="Hello")
    with pytest.raises(sk.PublishUncertain) as raised:
        bsky.publish(draft)
    assert raised.value.idempotency_key == draft.idempotency_key


def test_record_refused_by_the_pds_is_invalid_content(
    bsky: Driver, api: respx.MockRouter
) -> None:
    api.post(CREATE).respond(400, json={
        "error": "InvalidRequest",
        "message": "Invalid app.bsky.feed.post record: Record/langs/0 must be valid language",
    })
    api.get(xrpc("com.atproto.repo.getRecord")).respond(
        400, json={"error": "RecordNotFound", "message": "Could not locate record"}
    )
    with pytest.raises(sk.InvalidContent, match="must be valid language"):
        bsky.publish(sk.Draft(text="x", language="en"))


def test_malformed_language_is_refused_before_any_request(
    bsky: Driver, api: respx.MockRouter
) -> None:
    with pytest.raises(sk.InvalidContent) as raised:
        bsky.publish(sk.Draft(text="x", language="english!"))
    assert raised.value.rule == "langs"
    assert not api.calls


def test_langs_option_sets_several_languages(bsky: Driver, create: respx.Route) -> None:
    bsky.publish(sk.Draft(text="Hello / Hallo", options={"langs": ["en", "de"]}))
    assert record(create)["langs"] == ["en", "de"]
