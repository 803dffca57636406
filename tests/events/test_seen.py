"""The in-memory SeenStore: a window and a size bound; a custom store plugs in."""

from __future__ import annotations

from socialkit.webhooks import MemorySeenStore, SeenStore, XReceiver

from .support import SECRET, fixture, x_sign


def test_a_key_is_seen_within_the_window_and_new_after_it() -> None:
    now = [0.0]
    store = MemorySeenStore(window=60, clock=lambda: now[0])
    assert store.add("k")
    now[0] = 59
    assert not store.add("k")
    now[0] = 120
    assert store.add("k")


def test_the_least_recently_seen_key_goes_first() -> None:
    store = MemorySeenStore(size=2)
    assert store.add("a")
    assert store.add("b")
    assert not store.add("a")  # refreshes a
    assert store.add("c")  # evicts b
    assert len(store) == 2
    assert store.add("b")
    assert not store.add("c")


def test_discard_forgets() -> None:
    store = MemorySeenStore()
    store.add("a")
    store.discard("a")
    store.discard("never-there")
    assert store.add("a")


class _SharedStore:
    """What a Redis-backed store looks like: one set shared by several receivers."""

    def __init__(self) -> None:
        self.keys: set[str] = set()

    def add(self, key: str) -> bool:
        if key in self.keys:
            return False
        self.keys.add(key)
        return True

    def discard(self, key: str) -> None:
        self.keys.discard(key)


def test_a_shared_store_deduplicates_across_receivers() -> None:
    shared = _SharedStore()
    assert isinstance(shared, SeenStore)
    body = fixture("x_activity.json")
    one, two = XReceiver(SECRET, seen=shared), XReceiver(SECRET, seen=shared)
    assert len(one.receive("POST", x_sign(body)[0], {}, body).events) == 5
    assert two.receive("POST", x_sign(body)[0], {}, body).events == ()
    assert all(key.startswith("x:") for key in shared.keys)
