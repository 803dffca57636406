"""Deterministic demo data: a brand, a small audience, posts, replies and reactions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ._sandbox_store import Draft, Store

__all__ = ["AUDIENCE", "BRAND", "SEED_START", "seed"]

BRAND = "brand"
AUDIENCE = ("alice", "bob", "chen_wei")
SEED_START = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


def seed_brand(store: Store) -> None:
    """Create the brand account alone (what a sandbox without demo data holds)."""
    store.create_account(
        BRAND,
        SEED_START - timedelta(days=420),
        display_name="Socialkit Demo Brand",
        note="Official account of the socialkit demo brand. Tips, releases and behind the scenes.",
        followers=1280,
        following=42,
    )


def seed(store: Store) -> None:
    """Fill a store holding only the brand with the demo history (same ids every time)."""
    t0 = SEED_START
    alice = store.create_account(
        "alice",
        t0 - timedelta(days=300),
        display_name="Alice Martin",
        note="Designer. Coffee. Fediverse.",
        followers=310,
        following=180,
    )
    bob = store.create_account(
        "bob",
        t0 - timedelta(days=200),
        display_name="Bob Okafor",
        note="Runner and gadget reviewer.",
        followers=95,
        following=120,
    )
    chen = store.create_account(
        "chen_wei",
        t0 - timedelta(days=150),
        display_name="陈伟 Chen Wei",
        note="上海 · product photography",
        followers=560,
        following=75,
    )
    brand = store.by_username(BRAND)
    assert brand is not None

    def at(days: float, hours: float = 0) -> datetime:
        return t0 + timedelta(days=days, hours=hours)

    # in chronological order, so ids and timestamps agree
    hello = store.post(
        brand,
        Draft(
            "Hello, fediverse! 👋 We're the socialkit demo brand. Follow along for tips, releases "
            "and behind the scenes. #socialkit"
        ),
        at(0),
    )
    store.favourite(alice, hello.id, at(0, 1))
    store.favourite(bob, hello.id, at(0, 2))
    store.favourite(chen, hello.id, at(0, 3))
    spring = store.post(
        brand,
        Draft(
            "Spring collection preview: three new colours, same recycled materials.\n\n"
            "What should we call the green one? Reply with your ideas! #SpringLaunch"
        ),
        at(1),
    )
    forest = store.post(
        alice, Draft("@brand Forest Whisper! 🌲", in_reply_to_id=spring.id), at(1, 1)
    )
    store.favourite(alice, spring.id, at(1, 1))
    store.post(bob, Draft("@brand Matcha Latte, obviously.", in_reply_to_id=spring.id), at(1, 2))
    shortlist = store.post(
        brand,
        Draft("@alice love it, adding it to the shortlist!", in_reply_to_id=forest.id),
        at(1, 3),
    )
    store.favourite(brand, forest.id, at(1, 3))
    store.post(alice, Draft("@brand yay! 🎉", in_reply_to_id=shortlist.id), at(1, 4))
    store.reblog(alice, spring.id, at(1, 5), None)
    guide = store.post(
        brand,
        Draft(
            "Our shipping guide is live: https://example.com/help/shipping-guide-2025 "
            "Questions welcome."
        ),
        at(2),
    )
    store.post(
        bob,
        Draft(
            "@brand Do you ship to Canada? My last order took three weeks 😕",
            in_reply_to_id=guide.id,
        ),
        at(2, 2),
    )
    store.post(
        brand,
        Draft(
            "Which launch time suits you best?",
            poll_options=("Morning", "Evening"),
            poll_expires_in=86_400,
        ),
        at(3),
    )
    teaser = store.post(
        brand, Draft("新品预告\uff1a春季系列下周上市\uff01#新品", language="zh"), at(4)
    )
    store.post(
        chen,
        Draft(
            "@brand 太好了\uff0c请问会在中国发货吗\uff1f", in_reply_to_id=teaser.id, language="zh"
        ),
        at(4, 1),
    )
    store.favourite(chen, teaser.id, at(4, 1))
    store.reblog(chen, teaser.id, at(4, 2), None)
    store.post(
        chen,
        Draft("Just got my order from @brand and the packaging is lovely. #unboxing"),
        at(4, 5),
    )
