"""What each platform's delivery becomes: the unified records inside the events."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from socialkit.events import CommentEvent, MentionEvent, PostEvent, ReactionEvent
from socialkit.webhooks import (
    LinkedInReceiver,
    MetaReceiver,
    Receipt,
    TikTokReceiver,
    WeiboReceiver,
    XReceiver,
)

from .support import (
    NOW,
    SECRET,
    VERIFY_TOKEN,
    fixture,
    linkedin_sign,
    meta_sign,
    tiktok_sign,
    weibo_query,
    x_sign,
)


def _meta(body: bytes) -> Receipt:
    headers, _ = meta_sign(body)
    return MetaReceiver(SECRET, VERIFY_TOKEN).receive("POST", headers, {}, body)


def test_pages_feed_comment_reaction_post_and_mention() -> None:
    comment, reaction, post, mention = _meta(fixture("meta_page_feed.json")).events
    assert isinstance(comment, CommentEvent)
    assert comment.action == "created"
    assert comment.account_id == "105830951234567"
    assert comment.comment.id == comment.key == "987654321012345_1122334455667788"
    assert comment.comment.thread_root_id == "105830951234567_987654321012345"
    assert comment.comment.text == "Does this come in blue?"
    assert comment.comment.author is not None
    assert comment.comment.author.display_name == "Ada Lovelace"
    assert comment.comment.created_at == datetime.fromtimestamp(1765116000, UTC)
    assert isinstance(reaction, ReactionEvent)
    assert (reaction.post_id, reaction.reaction, reaction.removed) == (
        "105830951234567_987654321012345", "love", False,
    )
    assert isinstance(post, PostEvent)
    assert post.status == "created"
    assert post.post is not None
    assert post.post.text == "New colours are in!"
    assert isinstance(mention, MentionEvent)
    assert (mention.mention.id, mention.mention.post_id) == ("44444444_444444444",) * 2


def test_pages_comment_verbs_map_to_actions() -> None:
    for verb, action in [("edited", "edited"), ("remove", "deleted"), ("hide", "hidden")]:
        body = json.dumps({"object": "page", "entry": [{"id": "1", "time": 1, "changes": [
            {"field": "feed", "value": {"item": "comment", "verb": verb, "comment_id": "1_2",
                                        "post_id": "1_1", "created_time": 1765116000}},
        ]}]}).encode()
        (event,) = _meta(body).events
        assert isinstance(event, CommentEvent)
        assert event.action == action


def test_two_edits_of_one_comment_are_two_events_but_one_edit_twice_is_one() -> None:
    receiver = MetaReceiver(SECRET, VERIFY_TOKEN)

    def edit(text: str) -> bytes:
        return json.dumps({"object": "page", "entry": [{"id": "1", "time": 1, "changes": [
            {"field": "feed", "value": {"item": "comment", "verb": "edited", "comment_id": "1_2",
                                        "post_id": "1_1", "message": text}},
        ]}]}).encode()

    first, second = edit("one"), edit("two")
    assert len(receiver.receive("POST", meta_sign(first)[0], {}, first).events) == 1
    assert len(receiver.receive("POST", meta_sign(second)[0], {}, second).events) == 1
    assert receiver.receive("POST", meta_sign(second)[0], {}, second).events == ()


def test_instagram_comment_and_mention() -> None:
    comment, mention = _meta(fixture("meta_instagram.json")).events
    assert isinstance(comment, CommentEvent)
    assert comment.platform == "instagram"
    assert comment.comment.thread_root_id == "17887498072083520"
    assert comment.comment.reply_to_id == "17865799348080000"
    assert comment.comment.author is not None
    assert comment.comment.author.handle == "ada_l"
    assert isinstance(mention, MentionEvent)
    assert (mention.mention.id, mention.mention.post_id, mention.mention.thread_root_id) == (
        "17894227972186120", "17894227972186120", "17918195224117851",
    )


def test_threads_reply_is_a_comment_under_the_root_post() -> None:
    (event,) = _meta(fixture("threads_replies.json")).events
    assert isinstance(event, CommentEvent)
    assert event.platform == "threads"
    assert event.account_id == "78901"
    assert (event.comment.id, event.comment.thread_root_id, event.comment.reply_to_id) == (
        "8901234", "123456", "567890",
    )
    assert event.comment.text == "Reply"


def test_threads_mention_and_a_batch_of_them() -> None:
    one = json.loads(fixture("threads_mentions.json"))
    two = json.loads(fixture("threads_mentions.json").replace(b"8901235", b"8901236"))
    events = _meta(json.dumps([one, two]).encode()).events
    assert [type(event) for event in events] == [MentionEvent, MentionEvent]
    assert [event.key for event in events] == ["8901235", "8901236"]


def test_x_mention_reply_own_post_like_and_delete() -> None:
    body = fixture("x_activity.json")
    events = XReceiver(SECRET).receive("POST", x_sign(body)[0], {}, body).events
    mention, reply, own, like, deleted = events
    assert isinstance(mention, MentionEvent)
    assert (mention.mention.kind, mention.key, mention.account_id) == (
        "mention", "1865400000000000001", "2244994945",
    )
    assert mention.mention.url == "https://x.com/ada/status/1865400000000000001"
    assert mention.mention.created_at == datetime.fromtimestamp(1765116000, UTC)  # timestamp_ms
    assert isinstance(reply, MentionEvent)
    assert reply.mention.kind == "reply"
    assert isinstance(own, PostEvent)
    assert (own.status, own.post_id) == ("created", "1865400000000000005")
    assert isinstance(like, ReactionEvent)
    assert (like.key, like.post_id) == ("a7ba59eab0bfcba386f7acedac279542", "1865400000000000005")
    assert like.author is not None
    assert like.author.handle == "ada"
    assert isinstance(deleted, PostEvent)
    assert (deleted.status, deleted.post_id) == ("deleted", "1865400000000000004")


def test_linkedin_comment_mention_and_like_share_skipped() -> None:
    body = fixture("linkedin_notifications.json")
    receiver = LinkedInReceiver(SECRET)
    comment, mention, like = receiver.receive("POST", linkedin_sign(body)[0], {}, body).events
    assert isinstance(comment, CommentEvent)
    assert comment.account_id == "urn:li:organization:2414183"
    assert comment.comment.thread_root_id == "urn:li:share:7100000000000000001"
    assert comment.comment.text == "Ships to Lyon?"
    assert comment.comment.author is not None
    assert comment.comment.author.id == "urn:li:person:abc123"
    assert isinstance(mention, MentionEvent)
    assert mention.mention.text == "Great service from @Brand"
    assert mention.mention.post_id == "urn:li:share:7100000000000000009"
    assert isinstance(like, ReactionEvent)
    assert like.author is not None
    assert like.author.id == "urn:li:person:ghi789"


def test_linkedin_accepts_the_signature_with_its_literal_prefix() -> None:
    body = fixture("linkedin_notifications.json")
    signature = linkedin_sign(body)[0]["X-LI-Signature"]
    receipt = LinkedInReceiver(SECRET).receive(
        "POST", {"x-li-signature": "hmacsha256=" + signature}, {}, body
    )
    assert receipt.status == 200


def test_linkedin_refuses_a_signature_over_the_body_alone() -> None:
    import hashlib
    import hmac

    body = fixture("linkedin_notifications.json")
    bare = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    receipt = LinkedInReceiver(SECRET).receive("POST", {"X-LI-Signature": bare}, {}, body)
    assert receipt.status == 403


def test_tiktok_publicly_available_carries_the_public_post_id() -> None:
    body = fixture("tiktok_publicly_available.json")
    receiver = TikTokReceiver(SECRET, clock=lambda: NOW)
    (event,) = receiver.receive("POST", tiktok_sign(body)[0], {}, body).events
    assert isinstance(event, PostEvent)
    assert (event.status, event.publish_id, event.post_id) == (
        "publicly_available", "v_pub_url~v2.123456789", "7440000000000000001",
    )
    assert event.account_id == "act.example12345Example12345Example"


def test_tiktok_failed_carries_the_reason() -> None:
    body = fixture("tiktok_failed.json")
    receiver = TikTokReceiver(SECRET, clock=lambda: NOW)
    (event,) = receiver.receive("POST", tiktok_sign(body)[0], {}, body).events
    assert isinstance(event, PostEvent)
    assert (event.status, event.reason, event.post_id) == (
        "failed", "file_format_check_failed", None,
    )


def test_tiktok_refuses_a_stale_timestamp_even_when_signed() -> None:
    body = fixture("tiktok_failed.json")
    receiver = TikTokReceiver(SECRET, clock=lambda: NOW + 301)
    assert receiver.receive("POST", tiktok_sign(body)[0], {}, body).status == 403


def test_tiktok_skips_events_it_has_no_type_for() -> None:
    body = json.dumps({"client_key": "k", "event": "authorization.removed", "create_time": NOW,
                       "user_openid": "act.x", "content": "{\"reason\": 1}"}).encode()
    receipt = TikTokReceiver(SECRET, clock=lambda: NOW).receive("POST", tiktok_sign(body)[0], {},
                                                                 body)
    assert (receipt.status, receipt.events) == (200, ())


def test_weibo_mention_and_private_message() -> None:
    receiver = WeiboReceiver(SECRET)
    (mention,) = receiver.receive("POST", {}, weibo_query(), fixture("weibo_mention.json")).events
    assert isinstance(mention, MentionEvent)
    assert (mention.mention.id, mention.mention.kind, mention.mention.post_id) == (
        "5100000000000001", "mention", "5100000000000001",
    )
    assert mention.mention.created_at == datetime(2026, 12, 7, 14, 0, tzinfo=UTC)
    (message,) = receiver.receive("POST", {}, weibo_query(), fixture("weibo_text.json")).events
    assert isinstance(message, MentionEvent)
    assert message.mention.kind == "message"
    assert message.mention.text == "你好，我的订单还没到"


def test_weibo_signature_matches_the_docs_example() -> None:
    from socialkit.webhooks import weibo_signature

    assert weibo_signature("xyz123xyz", "1397022061823", "57155157") == (
        "90e4c22c90a58f26526c2dd5b6c56c8822edeaa1"
    )


def test_weibo_tolerance_reads_milliseconds() -> None:
    receiver = WeiboReceiver(SECRET, tolerance=300, clock=lambda: NOW)
    body = fixture("weibo_text.json")
    assert receiver.receive("POST", {}, weibo_query(f"{NOW}000"), body).status == 200
    assert receiver.receive("POST", {}, weibo_query(f"{NOW - 400}000"), body).status == 403


def test_x_retweet_of_the_account_is_a_repost_reaction() -> None:
    body = json.dumps({"for_user_id": "2244994945", "tweet_create_events": [{
        "id_str": "1865400000000000077", "text": "RT @TwitterDev: Our new tier is live",
        "user": {"id_str": "6253282", "screen_name": "ada"},
        "retweeted_status": {"id_str": "1865400000000000005", "text": "Our new tier is live",
                             "user": {"id_str": "2244994945", "screen_name": "TwitterDev"}},
    }]}).encode()
    (event,) = XReceiver(SECRET).receive("POST", x_sign(body)[0], {}, body).events
    assert isinstance(event, ReactionEvent)
    assert (event.reaction, event.post_id, event.key) == (
        "repost", "1865400000000000005", "1865400000000000077",
    )


def test_the_signing_helpers_sign_as_the_platforms_do() -> None:
    from socialkit.webhooks import linkedin_signature, meta_signature, tiktok_signature, x_signature

    body = b'{"a": 1}'
    assert meta_signature(SECRET, body) == meta_sign(body)[0]["X-Hub-Signature-256"]
    assert x_signature(SECRET, body) == x_sign(body)[0]["x-twitter-webhooks-signature"]
    assert linkedin_signature(SECRET, body) == linkedin_sign(body)[0]["X-LI-Signature"]
    assert tiktok_signature(SECRET, NOW, body) == tiktok_sign(body)[0]["TikTok-Signature"]


def test_other_meta_objects_are_acknowledged_without_events() -> None:
    body = json.dumps({"object": "whatsapp_business_account", "entry": [
        {"id": "1", "changes": [{"field": "messages", "value": {}}]},
    ]}).encode()
    assert (_meta(body).status, _meta(body).events) == (200, ())


def test_other_linkedin_event_families_are_acknowledged_without_events() -> None:
    body = json.dumps({"type": "LEAD_ACTION", "leadGenFormResponse": "urn:li:leadGenFormResponse:1",
                       "leadAction": "CREATED", "occurredAt": 1765116000000}).encode()
    receipt = LinkedInReceiver(SECRET).receive("POST", linkedin_sign(body)[0], {}, body)
    assert (receipt.status, receipt.events) == (200, ())


def test_x_activity_api_post_create_is_a_post_event_keyed_by_event_uuid() -> None:
    body = fixture("x_activity_post_create.json")
    receiver = XReceiver(SECRET)
    (event,) = receiver.receive("POST", x_sign(body)[0], {}, body).events
    assert isinstance(event, PostEvent)
    assert (event.status, event.post_id, event.account_id) == (
        "created", "2080761390344937796", "1111111111111111111",
    )
    assert event.post is not None
    assert event.post.text == "XAA docs payload sample 1784927148"
    assert event.post.author is not None
    assert event.post.author.handle == "brand"
    assert receiver.receive("POST", x_sign(body)[0], {}, body).duplicates == 1


def test_x_activity_api_other_event_types_are_skipped() -> None:
    body = json.dumps({"data": {"event_uuid": "1", "event_type": "profile.update.bio",
                                "filter": {"user_id": "1"}, "payload": {}}}).encode()
    receipt = XReceiver(SECRET).receive("POST", x_sign(body)[0], {}, body)
    assert (receipt.status, receipt.events) == (200, ())
