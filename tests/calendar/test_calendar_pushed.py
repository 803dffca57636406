"""TikTok's post status webhooks end the calendar's wait for moderation early: a signed
``post.publish.*`` delivery reaches the receiver, and the calendar records the outcome
without reading the post again."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
import respx
from calendar_support import FAST, NOW
from tests.providers.tiktok.tiktok_support import API, UPLOAD_URL, load, make_platform

from socialkit.calendar import Calendar, State
from socialkit.client import Client
from socialkit.events.types import PostEvent
from socialkit.models import Draft, MediaUpload
from socialkit.webhooks import TikTokReceiver, tiktok_signature, webhook_app

SECRET = "tiktok-client-secret"
STAMP = 1_700_000_000
PUBLISH_ID = "v_pub_file~v2-1.123456789"
PUBLIC_ID = "7080000000000000001"
DRAFT = Draft(text="this will be a funny #cat video", visibility="public",
              media=(MediaUpload(data=b"0123456789", filename="clip.mp4"),))


@pytest.fixture
def tiktok() -> Iterator[respx.MockRouter]:
    """TikTok's Direct Post routes; the status says complete, moderation not done."""
    with respx.mock(assert_all_called=False) as router:
        router.post(f"{API}/v2/post/publish/creator_info/query/").respond(
            200, json=load("creator_info"))
        router.post(f"{API}/v2/post/publish/video/init/").respond(200, json=load("video_init"))
        router.put(UPLOAD_URL).respond(201)
        router.post(f"{API}/v2/post/publish/status/fetch/", name="status").respond(
            200, json=load("status_complete_unmoderated"))
        yield router


def published_pending(cal: Calendar) -> int:
    client = Client(make_platform(moderation_wait=0), retry=FAST)
    entry = cal.add(DRAFT, ["tiktok"], at=NOW)
    (outcome,) = cal.run_due({"tiktok": client}, now=NOW).pending
    assert outcome.post_id == PUBLISH_ID
    return entry.id


def signed(event: str, content: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    """A TikTok webhook delivery (body and headers) as TikTok sends it."""
    body = json.dumps({
        "client_key": "bwo2m45353a6k85", "event": event, "create_time": STAMP,
        "user_openid": "act.example12345", "content": json.dumps(content),
    }).encode()
    return body, {"TikTok-Signature": tiktok_signature(SECRET, STAMP, body),
                  "Content-Type": "application/json"}


def deliver(cal: Calendar, event: str, content: dict[str, str]) -> None:
    """Receive a delivery and hand its events to the calendar."""
    body, headers = signed(event, content)
    receipt = TikTokReceiver(SECRET, clock=lambda: STAMP).receive("POST", headers, {}, body)
    assert receipt.ok
    for pushed in receipt.events:
        cal.apply_event(pushed)


@pytest.mark.anyio
async def test_a_pushed_public_post_settles_the_wait_without_another_read(
    cal: Calendar, tiktok: respx.MockRouter
) -> None:
    pytest.importorskip("starlette")
    entry_id = published_pending(cal)
    reads = tiktok["status"].call_count
    body, headers = signed("post.publish.publicly_available", {
        "publish_id": PUBLISH_ID, "publish_type": "DIRECT_PUBLISH", "post_id": PUBLIC_ID})
    app = webhook_app([TikTokReceiver(SECRET, clock=lambda: STAMP)], cal.apply_event)
    tiktok.route(host="hooks.brand.example").pass_through()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hooks.brand.example") as web:
        answer = await web.post("/tiktok", content=body, headers=headers)
    assert answer.status_code == 200
    delivery = cal.get(entry_id).delivery("tiktok")
    assert (delivery.post_state, delivery.post_id) == ("published", PUBLIC_ID)
    assert tiktok["status"].call_count == reads
    assert cal.get(entry_id).state is State.PUBLISHED
    assert any("pushed" in detail for _, _, detail in cal.history(entry_id))


def test_a_pushed_failure_is_recorded_as_rejected_with_the_reason(
    cal: Calendar, tiktok: respx.MockRouter
) -> None:
    entry_id = published_pending(cal)
    body, headers = signed("post.publish.failed", {
        "publish_id": PUBLISH_ID, "reason": "spam_risk_too_many_posts",
        "publish_type": "DIRECT_PUBLISH"})
    receipt = TikTokReceiver(SECRET, clock=lambda: STAMP).receive("POST", headers, {}, body)
    (outcome,) = cal.apply_event(receipt.events[0])
    assert (outcome.kind, outcome.post_id, outcome.error) == (
        "rejected", PUBLISH_ID, "spam_risk_too_many_posts")
    delivery = cal.get(entry_id).delivery("tiktok")
    assert (delivery.post_state, delivery.post_state_reason) == (
        "rejected", "spam_risk_too_many_posts")
    later = cal.run_due({"tiktok": Client(make_platform(), retry=FAST)},
                        now=NOW + timedelta(hours=1))
    assert later.outcomes == []  # a rejection is an outcome, never sent again or re-read


def test_an_event_for_no_post_of_ours_changes_nothing() -> None:
    cal = Calendar.in_memory()
    event = PostEvent(platform="tiktok", key=PUBLISH_ID, status="failed",
                      publish_id=PUBLISH_ID, reason="publish_cancelled")
    assert cal.apply_event(event) == []  # nothing of ours is pending under that id


def test_a_completed_publish_still_moderated_is_read_at_the_next_run(
    cal: Calendar, tiktok: respx.MockRouter
) -> None:
    entry_id = published_pending(cal)
    client = Client(make_platform(), retry=FAST)
    reads = tiktok["status"].call_count
    cal.run_due({"tiktok": client}, now=NOW + timedelta(minutes=1))
    assert tiktok["status"].call_count == reads  # within the review interval: not read
    deliver(cal, "post.publish.complete", {"publish_id": PUBLISH_ID,
                                           "publish_type": "DIRECT_PUBLISH"})
    assert cal.get(entry_id).delivery("tiktok").post_state == "pending"
    cal.run_due({"tiktok": client}, now=NOW + timedelta(minutes=2))
    assert tiktok["status"].call_count == reads + 1


def test_an_event_on_another_platform_with_the_same_id_changes_nothing(
    cal: Calendar, tiktok: respx.MockRouter
) -> None:
    entry_id = published_pending(cal)
    event = PostEvent(platform="douyin", key=PUBLISH_ID, status="failed",
                      publish_id=PUBLISH_ID, reason="x")
    assert cal.apply_event(event) == []
    assert cal.get(entry_id).delivery("tiktok").post_state == "pending"
