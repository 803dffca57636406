"""Deliveries signed exactly as each platform signs them, written from the platforms' docs
(not with socialkit's own signing helpers), and the receivers under test."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from socialkit.webhooks import (
    LinkedInReceiver,
    MetaReceiver,
    Receiver,
    TikTokReceiver,
    WeiboReceiver,
    XReceiver,
)

FIXTURES = Path(__file__).parent / "fixtures"
SECRET = "app-secret-9f8e7d"
VERIFY_TOKEN = "verify-me-42"
NOW = 1_765_116_000


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _mac(message: bytes) -> hmac.HMAC:
    return hmac.new(SECRET.encode(), message, hashlib.sha256)


def meta_sign(body: bytes) -> tuple[dict[str, str], dict[str, str]]:
    """X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, body)>."""
    return {"X-Hub-Signature-256": "sha256=" + _mac(body).hexdigest()}, {}


def x_sign(body: bytes) -> tuple[dict[str, str], dict[str, str]]:
    """x-twitter-webhooks-signature: sha256=<base64 HMAC-SHA256(consumer secret, body)>."""
    digest = base64.b64encode(_mac(body).digest()).decode()
    return {"x-twitter-webhooks-signature": "sha256=" + digest}, {}


def linkedin_sign(body: bytes) -> tuple[dict[str, str], dict[str, str]]:
    """X-LI-Signature: hex HMAC-SHA256(client secret, "hmacsha256=" + body)."""
    return {"X-LI-Signature": _mac(b"hmacsha256=" + body).hexdigest()}, {}


def tiktok_sign(body: bytes, stamp: int = NOW) -> tuple[dict[str, str], dict[str, str]]:
    """TikTok-Signature: t=<ts>,s=<hex HMAC-SHA256(client secret, f"{t}.{body}")>."""
    signed = _mac(f"{stamp}.".encode() + body).hexdigest()
    return {"TikTok-Signature": f"t={stamp},s={signed}"}, {}


def weibo_query(stamp: str = "1765116000000", nonce: str = "57155157") -> dict[str, str]:
    """signature = sha1 of (app secret, timestamp, nonce) sorted and joined."""
    joined = "".join(sorted([SECRET, stamp, nonce]))
    return {"signature": hashlib.sha1(joined.encode()).hexdigest(), "timestamp": stamp,
            "nonce": nonce}


def weibo_sign(body: bytes) -> tuple[dict[str, str], dict[str, str]]:
    return {}, weibo_query()


@dataclass
class Case:
    """One platform: its receiver, a signed delivery, and its handshake."""

    name: str
    make: Callable[[], Receiver]
    body: bytes
    sign: Callable[[bytes], tuple[dict[str, str], dict[str, str]]]
    events: int
    handshake: dict[str, str]
    handshake_check: Callable[[bytes], bool]
    bad_handshake: dict[str, str] = field(default_factory=dict)
    handshake_status: int = 200

    def signed(self, body: bytes | None = None) -> tuple[dict[str, str], dict[str, str], bytes]:
        data = self.body if body is None else body
        headers, query = self.sign(data)
        return {"Content-Type": "application/json", **headers}, query, data


def _crc(token: str) -> str:
    return "sha256=" + base64.b64encode(_mac(token.encode()).digest()).decode()


CASES = [
    Case(
        "meta",
        lambda: MetaReceiver(SECRET, VERIFY_TOKEN),
        fixture("meta_page_feed.json"),
        meta_sign,
        events=4,
        handshake={"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN,
                   "hub.challenge": "1158201444"},
        handshake_check=lambda body: body == b"1158201444",
        bad_handshake={"hub.mode": "subscribe", "hub.verify_token": "guess",
                       "hub.challenge": "1158201444"},
    ),
    Case(
        "x",
        lambda: XReceiver(SECRET),
        fixture("x_activity.json"),
        x_sign,
        events=5,
        handshake={"crc_token": "crc-abc-123"},
        handshake_check=lambda body: body == (
            b'{"response_token": "' + _crc("crc-abc-123").encode() + b'"}'
        ),
    ),
    Case(
        "linkedin",
        lambda: LinkedInReceiver(SECRET),
        fixture("linkedin_notifications.json"),
        linkedin_sign,
        events=3,
        handshake={"challengeCode": "890e4665-4dfe-4ab1-b689-ed553bceeed0"},
        handshake_check=lambda body: body == (
            b'{"challengeCode": "890e4665-4dfe-4ab1-b689-ed553bceeed0", "challengeResponse": "'
            + _mac(b"890e4665-4dfe-4ab1-b689-ed553bceeed0").hexdigest().encode()
            + b'"}'
        ),
    ),
    Case(
        "tiktok",
        lambda: TikTokReceiver(SECRET, clock=lambda: NOW + 5),
        fixture("tiktok_publicly_available.json"),
        tiktok_sign,
        events=1,
        handshake={},
        handshake_check=lambda body: body == b"",
        handshake_status=405,
    ),
    Case(
        "weibo",
        lambda: WeiboReceiver(SECRET),
        fixture("weibo_mention.json"),
        weibo_sign,
        events=1,
        handshake={**weibo_query(), "echostr": "4375120948345356249"},
        handshake_check=lambda body: body == b"4375120948345356249",
        bad_handshake={**weibo_query(), "signature": "0" * 40, "echostr": "1"},
    ),
]
