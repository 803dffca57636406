"""Every unified record serialises to JSON and reads back with one call; ``raw`` is opt-in."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from pydantic import BaseModel

from socialkit.models import (
    Account,
    Comment,
    Draft,
    Media,
    MediaUpload,
    Mention,
    Metric,
    Post,
    ResultPage,
)

AT = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
AUTHOR = Account(platform="mastodon", id="7", handle="ana", followers=3, raw={"acct": "ana"})
RECORDS: list[BaseModel] = [
    AUTHOR,
    Post(
        platform="mastodon",
        id="1",
        text="Hello ✨",
        author=AUTHOR,
        created_at=AT,
        media=(Media(kind="image", id="m1", url="https://files.example/1.png"),),
        metrics={"likes": 2},
        content_warning="spoilers",
        raw={"id": "1", "content": "<p>Hello ✨</p>"},
    ),
    Comment(
        platform="mastodon", id="2", thread_root_id="1", reply_to_id="1", author=AUTHOR, text="Hi"
    ),
    Mention(platform="mastodon", id="3", kind="mention", post_id="4", author=AUTHOR, text="@b"),
    Metric(
        platform="mastodon",
        subject="post",
        subject_id="1",
        name="likes",
        value=2,
        collected_at=AT,
    ),
    Draft(text="Hello", reply_to_id="1", options={"tags": ["a"]}),
    MediaUpload(data=b"\x89PNG", mime_type="image/png", alt_text="a dot"),
    ResultPage[Post](items=[], next_cursor="c2"),
]


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: type(r).__name__)
def test_record_round_trips_through_json_dumps(record: BaseModel) -> None:
    text = json.dumps(record.model_dump(mode="json"))
    again = type(record).model_validate(json.loads(text))
    assert again == record


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: type(r).__name__)
def test_record_round_trips_through_model_dump_json(record: BaseModel) -> None:
    assert type(record).model_validate_json(record.model_dump_json()) == record


def test_raw_payloads_are_left_out_unless_asked_for() -> None:
    post = RECORDS[1]
    assert isinstance(post, Post)
    plain = json.loads(post.model_dump_json())
    assert "raw" not in plain
    assert "raw" not in plain["author"]
    full = json.loads(post.model_dump_json(context={"raw": True}))
    assert full["raw"] == {"id": "1", "content": "<p>Hello ✨</p>"}
    assert full["author"]["raw"] == {"acct": "ana"}
    assert Post.model_validate(full).raw == post.raw
