from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from socialkit.events import EVENT_ADAPTER, CommentEvent, MentionEvent, PostEvent, ReactionEvent
from socialkit.models import Account, Comment, Mention, Post

WHEN = datetime(2026, 12, 7, 14, 0, tzinfo=UTC)


def _mention() -> Mention:
    return Mention(platform="x", id="1", kind="mention", text="@brand hi", post_id="1")


def test_event_round_trips_through_json_by_kind() -> None:
    events = [
        MentionEvent(platform="x", key="1", mention=_mention(), received_at=WHEN),
        CommentEvent(
            platform="facebook",
            key="c1",
            comment=Comment(platform="facebook", id="c1", thread_root_id="p1"),
            action="deleted",
            received_at=WHEN,
        ),
        ReactionEvent(
            platform="facebook",
            key="r1",
            post_id="p1",
            reaction="love",
            author=Account(platform="facebook", id="u1", handle="u1"),
            received_at=WHEN,
        ),
        PostEvent(
            platform="tiktok",
            key="pub1",
            status="publicly_available",
            publish_id="pub1",
            post_id="7",
            received_at=WHEN,
        ),
    ]
    for event in events:
        assert EVENT_ADAPTER.validate_json(event.model_dump_json()) == event


def test_event_is_frozen_and_refuses_unknown_fields() -> None:
    event = MentionEvent(platform="x", key="1", mention=_mention())
    with pytest.raises(ValidationError):
        event.key = "2"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        MentionEvent(platform="x", key="1", mention=_mention(), extra=1)  # type: ignore[call-arg]


def test_received_at_is_utc_and_naive_refused() -> None:
    event = MentionEvent(
        platform="x",
        key="1",
        mention=_mention(),
        received_at=datetime(2026, 1, 1, 9, tzinfo=timezone(timedelta(hours=8))),
    )
    assert event.received_at == datetime(2026, 1, 1, 1, tzinfo=UTC)
    assert event.received_at.tzinfo is UTC
    with pytest.raises(ValidationError):
        MentionEvent(platform="x", key="1", mention=_mention(), received_at=datetime(2026, 1, 1))


def test_raw_not_in_repr_nor_equality() -> None:
    a = PostEvent(
        platform="tiktok",
        key="k",
        status="failed",
        received_at=WHEN,
        raw={"secret_looking": "payload"},
    )
    b = PostEvent(platform="tiktok", key="k", status="failed", received_at=WHEN)
    assert a == b
    assert hash(a) == hash(b)
    assert "payload" not in repr(a)


def test_integer_key_becomes_string_and_empty_refused() -> None:
    assert PostEvent(platform="x", key=12, status="deleted").key == "12"  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        PostEvent(platform="x", key="", status="deleted")


def test_post_event_carries_post() -> None:
    post = Post(platform="mastodon", id="9", text="hi")
    event = PostEvent(platform="mastodon", key="9", status="created", post=post, post_id="9")
    assert event.post == post
