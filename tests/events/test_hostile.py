"""Whatever JSON a signed delivery holds, a receiver answers 200 or 400 and never raises."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .support import CASES, Case

scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=8)
keys = st.sampled_from([
    "object", "entry", "changes", "field", "value", "item", "verb", "id", "post_id",
    "comment_id", "from", "messaging", "message", "values", "for_user_id",
    "tweet_create_events", "favorite_events", "tweet_delete_events", "user", "id_str",
    "notifications", "notificationId", "action", "sourcePost", "generatedActivity", "event",
    "content", "publish_id", "type", "sender_id", "data", "key", "created_at", "media",
    "retweeted_status", "favorited_status", "status",
]) | st.text(max_size=5)
values = st.recursive(
    scalars | st.sampled_from(["page", "instagram", "feed", "comment", "mentions", "COMMENT",
                               "mention", "post.publish.failed", "replies", "add"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=20,
)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payload=values)
def test_a_signed_arbitrary_json_body_is_answered_200_or_400(case: Case, payload: object) -> None:
    receipt = case.make().receive("POST", *case.signed(json.dumps(payload).encode()))
    assert receipt.status in (200, 400)


def test_a_timestamp_beyond_the_calendar_is_400_not_a_crash() -> None:
    case = CASES[2]  # linkedin: lastModifiedAt in milliseconds
    body = case.body.replace(b"1765116000000", b"1" + b"0" * 30)
    assert case.make().receive("POST", *case.signed(body)).status == 400


def test_a_weibo_mention_with_a_negative_key_is_400_not_a_hang() -> None:
    case = CASES[4]
    body = case.body.replace(b'"5100000000000001"', b'"-1"')
    receipt = case.make().receive("POST", *case.signed(body))
    assert receipt.status == 200
    (event,) = receipt.events
    assert event.mention.url is None  # type: ignore[union-attr]
