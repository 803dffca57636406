"""The WeChat adapter: WeChatWebhook's checks, on the receiver interface."""

from __future__ import annotations

import pytest

from socialkit.events import MentionEvent, PostEvent
from socialkit.providers.wechat import WeChatWebhook, sign
from socialkit.webhooks import WeChatReceiver

TOKEN = "wechat-push-token"
NOW = 1_714_550_400
NONCE = "1320562132"

TEXT = (
    "<xml><ToUserName><![CDATA[gh_4d00ed8d6399]]></ToUserName>"
    "<FromUserName><![CDATA[oV5CrjpxgaGXNHIQigzNlgLTnwic]]></FromUserName>"
    f"<CreateTime>{NOW}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
    "<Content><![CDATA[请问什么时候发货？]]></Content><MsgId>24505917862345678</MsgId></xml>"
).encode()

PUBLISHED = (
    "<xml><ToUserName><![CDATA[gh_4d00ed8d6399]]></ToUserName>"
    "<FromUserName><![CDATA[oV5CrjpxgaGXNHIQigzNlgLTnwic]]></FromUserName>"
    f"<CreateTime>{NOW}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
    "<Event><![CDATA[PUBLISHJOBFINISH]]></Event><PublishEventInfo>"
    "<publish_id>2247503051</publish_id><publish_status>0</publish_status>"
    "<article_id><![CDATA[b5O2OUs25HBxRceL7hfReg-U9QGeq9zQjiDvy]]></article_id>"
    "</PublishEventInfo></xml>"
).encode()


def receiver() -> WeChatReceiver:
    return WeChatReceiver(WeChatWebhook(TOKEN, clock=lambda: NOW))


def query(**extra: str) -> dict[str, str]:
    return {"signature": sign(TOKEN, str(NOW), NONCE), "timestamp": str(NOW), "nonce": NONCE,
            **extra}


def test_a_follower_message_is_a_mention_event() -> None:
    receipt = receiver().receive("POST", {}, query(), TEXT)
    assert (receipt.status, receipt.body) == (200, b"success")
    (event,) = receipt.events
    assert isinstance(event, MentionEvent)
    assert (event.key, event.mention.kind, event.account_id) == (
        "24505917862345678", "message", "gh_4d00ed8d6399",
    )


def test_a_publish_job_result_is_a_post_event() -> None:
    (event,) = receiver().receive("POST", {}, query(), PUBLISHED).events
    assert isinstance(event, PostEvent)
    assert (event.status, event.publish_id, event.post_id) == (
        "published", "2247503051", "b5O2OUs25HBxRceL7hfReg-U9QGeq9zQjiDvy",
    )


def test_the_url_check_echoes() -> None:
    receipt = receiver().receive("GET", {}, query(echostr="5837397520025023561"), b"")
    assert (receipt.status, receipt.body) == (200, b"5837397520025023561")


def test_a_bad_signature_is_403_with_an_empty_body() -> None:
    receipt = receiver().receive("POST", {}, {**query(), "signature": "0" * 40}, TEXT)
    assert (receipt.status, receipt.body, receipt.events) == (403, b"", ())


def test_a_replay_is_not_yielded_twice() -> None:
    hook = receiver()
    assert len(hook.receive("POST", {}, query(), TEXT).events) == 1
    again = hook.receive("POST", {}, query(), TEXT)
    assert (again.status, again.events, again.duplicates) == (200, (), 1)


@pytest.mark.parametrize("body", [b"<xml><Content>unclosed</xml>", b"x" * (1024 * 1024 + 1), b""])
def test_malformed_oversized_and_empty_pushes_are_400(body: bytes) -> None:
    assert receiver().receive("POST", {}, query(), body).status == 400


def test_forgetting_a_receipt_lets_wechats_retry_through() -> None:
    hook = receiver()
    first = hook.receive("POST", {}, query(), TEXT)
    hook.forget(first)  # the handler failed
    (event,) = hook.receive("POST", {}, query(), TEXT).events
    assert event.key == "24505917862345678"


def test_a_replay_seen_by_a_shared_store_is_not_yielded() -> None:
    from socialkit.webhooks import MemorySeenStore

    shared = MemorySeenStore()
    one = WeChatReceiver(WeChatWebhook(TOKEN, clock=lambda: NOW), seen=shared)
    two = WeChatReceiver(WeChatWebhook(TOKEN, clock=lambda: NOW), seen=shared)
    assert len(one.receive("POST", {}, query(), TEXT).events) == 1
    again = two.receive("POST", {}, query(), TEXT)
    assert (again.status, again.events, again.duplicates) == (200, (), 1)
