"""Shared records: a person (Alice) whose data must be protected, and others."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from socialkit.models import Account, Comment, Media, Mention, Metric, Post
from socialkit.privacy import Pseudonymizer

KEY = "k" * 32
OTHER_KEY = b"another-secret-key-of-32-bytes!!"

ALICE = Account(
    platform="mastodon",
    id="109876543210",
    handle="alice_w",
    display_name="Alice Wonderland",
    url="https://mastodon.example/@alice_w",
    avatar_url="https://files.mastodon.example/avatars/alice_w.png",
    followers=321,
    raw={"acct": "alice_w", "note": "call me 13812345678"},
)
BOB = Account(platform="mastodon", id="2002", handle="bob", display_name="Bob Builder")
BRAND = Account(platform="mastodon", id="1", handle="brand", display_name="Brand")


def at(day: int) -> datetime:
    return datetime(2024, 1, day, 12, 0, tzinfo=UTC)


@pytest.fixture
def pseudonymizer() -> Pseudonymizer:
    return Pseudonymizer(KEY)


@pytest.fixture
def alice_post() -> Post:
    return Post(
        platform="mastodon",
        id="p-100",
        author=ALICE,
        text="Hi @brand, I'm Alice Wonderland, mail alice.w@example.com or 13812345678 cc @bob",
        created_at=at(10),
        url="https://mastodon.example/@alice_w/p-100",
        media=(
            Media(
                kind="image",
                url="https://files.mastodon.example/alice_w/1.png",
                alt_text="alice_w at the beach",
            ),
        ),
        metrics={"likes": 5, "shares": 2},
        visibility="public",
        raw={"account": {"acct": "alice_w"}, "content": "<p>Hi</p>"},
    )


@pytest.fixture
def alice_comment() -> Comment:
    return Comment(
        platform="mastodon",
        id="c-200",
        thread_root_id="p-1",
        reply_to_id="p-1",
        author=ALICE,
        text="My card 4111 1111 1111 1111 was charged twice!",
        created_at=at(11),
        url="https://mastodon.example/@alice_w/c-200",
        raw={"id": "c-200"},
    )


@pytest.fixture
def alice_mention() -> Mention:
    return Mention(
        platform="mastodon",
        id="m-300",
        kind="mention",
        author=ALICE,
        text="@brand help, my IP 203.0.113.9 is blocked",
        created_at=at(12),
        post_id="p-300",
        raw={"type": "mention"},
    )


@pytest.fixture
def bob_post() -> Post:
    return Post(
        platform="mastodon", id="p-101", author=BOB, text="hello @alice_w", created_at=at(1)
    )


@pytest.fixture
def bob_comment() -> Comment:
    return Comment(
        platform="mastodon", id="c-201", thread_root_id="p-100", author=BOB, text="nice",
        created_at=at(2),
    )


@pytest.fixture
def account_metric() -> Metric:
    return Metric(
        platform="mastodon",
        subject="account",
        subject_id=ALICE.id,
        name="followers",
        value=321,
        collected_at=at(13),
    )
