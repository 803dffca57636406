"""The message push: only a signed, fresh, well-formed message for this app yields a Mention."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from socialkit.errors import ConfigError
from socialkit.providers.wechat import MessageCipher, WeChatWebhook, sign

TOKEN = "wechat-push-token"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters, as the console gives
APP_ID = "wx1234567890abcdef"
NOW = 1_714_550_400
NONCE = "1320562132"

TEXT = (
    "<xml><ToUserName><![CDATA[gh_4d00ed8d6399]]></ToUserName>"
    "<FromUserName><![CDATA[oV5CrjpxgaGXNHIQigzNlgLTnwic]]></FromUserName>"
    f"<CreateTime>{NOW}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
    "<Content><![CDATA[请问什么时候发货？]]></Content><MsgId>24505917862345678</MsgId></xml>"
).encode()

BOMB = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    "<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName>"
    f"<CreateTime>{NOW}</CreateTime><MsgType>text</MsgType><Content>&lol3;</Content>"
    "<MsgId>1</MsgId></xml>"
).encode()


def hook() -> WeChatWebhook:
    return WeChatWebhook(TOKEN, AES_KEY, APP_ID, clock=lambda: NOW + 10)


def sealed(inner: bytes, *, stamp: int = NOW, app_id: str = APP_ID) -> tuple[dict[str, str], bytes]:
    """A safe-mode push of ``inner``: the query WeChat sends and the encrypted body."""
    encrypted = MessageCipher(AES_KEY, app_id).encrypt(inner)
    body = (
        "<xml><ToUserName><![CDATA[gh_4d00ed8d6399]]></ToUserName>"
        f"<Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
    ).encode()
    query = {
        "signature": sign(TOKEN, str(stamp), NONCE),
        "timestamp": str(stamp),
        "nonce": NONCE,
        "openid": "oV5CrjpxgaGXNHIQigzNlgLTnwic",
        "encrypt_type": "aes",
        "msg_signature": sign(TOKEN, str(stamp), NONCE, encrypted),
    }
    return query, body


def test_a_valid_encrypted_message_yields_a_mention() -> None:
    result = hook().handle(*sealed(TEXT))
    assert (result.status, result.body) == (200, b"success")
    (mention,) = result.mentions
    assert (mention.kind, mention.id, mention.text) == (
        "message",
        "24505917862345678",
        "请问什么时候发货？",
    )
    assert mention.author is not None
    assert mention.author.id == "oV5CrjpxgaGXNHIQigzNlgLTnwic"
    assert mention.created_at is not None
    assert mention.created_at.timestamp() == NOW


def test_a_bad_signature_is_refused() -> None:
    query, body = sealed(TEXT)
    query["msg_signature"] = "0" * 40
    result = hook().handle(query, body)
    assert (result.status, result.mentions) == (403, ())


def test_a_signature_over_another_payload_is_refused() -> None:
    query, _ = sealed(TEXT)
    _, other = sealed(TEXT.replace(b"24505917862345678", b"24505917862345679"))
    assert hook().handle(query, other).status == 403


def test_a_replayed_old_timestamp_is_refused() -> None:
    result = hook().handle(*sealed(TEXT, stamp=NOW - 3600))
    assert (result.status, result.mentions) == (403, ())
    assert result.reason is not None
    assert "timestamp" in result.reason


def test_malformed_xml_inside_the_payload_is_refused() -> None:
    result = hook().handle(*sealed(b"<xml><Content>unclosed</xml>"))
    assert (result.status, result.mentions) == (400, ())


def test_an_xml_bomb_inside_the_payload_is_refused() -> None:
    result = hook().handle(*sealed(BOMB))
    assert (result.status, result.mentions) == (400, ())


def test_an_xml_bomb_as_the_envelope_is_refused() -> None:
    query, _ = sealed(TEXT)
    assert hook().handle(query, BOMB).status == 400


def test_a_payload_for_another_app_is_refused() -> None:
    result = hook().handle(*sealed(TEXT, app_id="wxsomeoneelse0000"))
    assert (result.status, result.mentions) == (403, ())


def test_a_repeated_msgid_is_answered_but_not_yielded_twice() -> None:
    handler = hook()
    assert len(handler.handle(*sealed(TEXT)).mentions) == 1
    again = handler.handle(*sealed(TEXT))
    assert (again.status, again.mentions, again.reason) == (200, (), "duplicate")


def test_safe_mode_refuses_an_unencrypted_push() -> None:
    query = {"signature": sign(TOKEN, str(NOW), NONCE), "timestamp": str(NOW), "nonce": NONCE}
    assert hook().handle(query, TEXT).status == 403


def test_a_plain_mode_message_is_checked_by_signature() -> None:
    handler = WeChatWebhook(TOKEN, app_id=APP_ID, clock=lambda: NOW)
    query = {"signature": sign(TOKEN, str(NOW), NONCE), "timestamp": str(NOW), "nonce": NONCE}
    assert len(handler.handle(query, TEXT).mentions) == 1
    query["signature"] = sign("wrong-token", str(NOW), NONCE)
    assert handler.handle(query, TEXT.replace(b"78</MsgId>", b"79</MsgId>")).status == 403


def test_the_url_check_echoes_echostr() -> None:
    handler = WeChatWebhook(TOKEN, AES_KEY, APP_ID, clock=lambda: NOW)
    query = {
        "signature": sign(TOKEN, str(NOW), NONCE),
        "timestamp": str(NOW),
        "nonce": NONCE,
        "echostr": "5837397520025023561",
    }
    assert handler.handle(query, b"").body == b"5837397520025023561"


def test_a_passive_reply_is_encrypted_and_signed_in_safe_mode() -> None:
    result = hook().handle(*sealed(TEXT), answer=lambda mention: "明天发货")
    reply = result.body.decode()
    encrypted = reply.split("<Encrypt><![CDATA[")[1].split("]]>")[0]
    signature = reply.split("<MsgSignature><![CDATA[")[1].split("]]>")[0]
    assert signature == sign(TOKEN, str(NOW), NONCE, encrypted)
    inner = MessageCipher(AES_KEY, APP_ID).decrypt(encrypted).decode()
    assert "<ToUserName><![CDATA[oV5CrjpxgaGXNHIQigzNlgLTnwic]]></ToUserName>" in inner
    assert "<FromUserName><![CDATA[gh_4d00ed8d6399]]></FromUserName>" in inner
    assert "<Content><![CDATA[明天发货]]></Content>" in inner


def test_an_event_is_reported_without_a_mention() -> None:
    event = (
        "<xml><ToUserName><![CDATA[gh]]></ToUserName><FromUserName><![CDATA[o1]]></FromUserName>"
        f"<CreateTime>{NOW}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        "<Event><![CDATA[subscribe]]></Event></xml>"
    ).encode()
    result = hook().handle(*sealed(event))
    assert result.mentions == ()
    assert result.event is not None
    assert result.event["Event"] == "subscribe"


def test_a_wrong_length_aes_key_is_a_config_error() -> None:
    with pytest.raises(ConfigError) as raised:
        WeChatWebhook(TOKEN, "short", APP_ID)
    assert raised.value.field == "encoding_aes_key"


def test_safe_mode_needs_the_app_id() -> None:
    with pytest.raises(ConfigError) as raised:
        WeChatWebhook(TOKEN, AES_KEY)
    assert raised.value.field == "app_id"


def test_the_cipher_follows_wechats_layout() -> None:
    cipher = MessageCipher(AES_KEY, APP_ID)
    payload = cipher.encrypt(b"<xml/>", random=b"R" * 16)
    key = base64.b64decode(AES_KEY + "=")
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    plain = decryptor.update(base64.b64decode(payload)) + decryptor.finalize()
    pad = plain[-1]
    assert len(plain) % 32 == 0
    assert plain[:-pad] == b"R" * 16 + (6).to_bytes(4, "big") + b"<xml/>" + APP_ID.encode()


@pytest.mark.parametrize("signature", ["签名" * 20, "é" * 40, "\udc00" * 40])
def test_a_non_ascii_signature_is_refused_not_a_crash(signature: str) -> None:
    handler = WeChatWebhook(TOKEN, app_id=APP_ID, clock=lambda: NOW)
    query = {"signature": signature, "timestamp": str(NOW), "nonce": NONCE}
    assert handler.handle(query, TEXT).status == 403
    assert handler.handle({**query, "echostr": "1"}, b"").status == 403


def test_two_events_in_the_same_second_from_one_follower_are_both_reported() -> None:
    def event(name: str, key: str) -> bytes:
        return (
            "<xml><ToUserName><![CDATA[gh]]></ToUserName><FromUserName><![CDATA[o1]]>"
            f"</FromUserName><CreateTime>{NOW}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
            f"<Event><![CDATA[{name}]]></Event><EventKey><![CDATA[{key}]]></EventKey></xml>"
        ).encode()

    handler = hook()
    results = [
        handler.handle(*sealed(event("subscribe", ""))),
        handler.handle(*sealed(event("CLICK", "MENU_ORDER"))),
        handler.handle(*sealed(event("CLICK", "MENU_HELP"))),
        handler.handle(*sealed(event("CLICK", "MENU_HELP"))),  # WeChat's retry
    ]
    assert [r.reason for r in results] == [None, None, None, "duplicate"]
    assert [r.event["EventKey"] for r in results[:3] if r.event] == ["", "MENU_ORDER", "MENU_HELP"]


def test_a_forgotten_key_is_processed_again() -> None:
    handler = hook()
    first = handler.handle(*sealed(TEXT))
    assert first.key == "24505917862345678"
    handler.forget(first.key)
    assert len(handler.handle(*sealed(TEXT)).mentions) == 1
