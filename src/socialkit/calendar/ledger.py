"""`Ledger`: what the dispatcher needs from a calendar store, whatever the database.

The exactly-once protocol (see `socialkit.calendar.dispatch`) lives in these calls:
list what is due, claim a delivery with a lease, renew the lease and note the attempt
before the request, record the post (or give the delivery back), settle the entry.
Two stores implement it: `socialkit.calendar.store.Store` (SQLite, the default) and
`socialkit.calendar.postgres.PostgresStore` (PostgreSQL, the ``postgres`` extra).

Every call takes the open transaction that ``read()`` or ``write()`` yields (`Tx`):
a ``write()`` is serialised with every other writer of the same calendar, so a claim
and the checks before it (pause, approvals, rules) are one atomic step. Leases are
measured on the store's clock (``wall`` is the worker's; PostgreSQL uses its own
``now()`` instead, so workers on several machines agree on when a lease expired).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from .._db import Tx
from ._sql import Row
from .entries import DeliveryState, Entry, State

__all__ = ["Ledger", "Row", "Tx"]


class Ledger(Protocol):
    """The storage calls of the dispatcher (times are UTC epoch seconds)."""

    def write(self) -> AbstractContextManager[Tx]:
        """A writing transaction, serialised with the calendar's other writers."""

    def read(self) -> AbstractContextManager[Tx]:
        """A reading transaction."""

    def setting(self, conn: Tx, key: str) -> Any:
        """A stored setting (JSON), or ``None``."""

    def set_setting(self, conn: Tx, key: str, value: Any) -> None:
        """Store a setting; ``None`` deletes it."""

    def set_platform(self, conn: Tx, target: str, platform: str) -> None:
        """Remember which platform ``target`` is on."""

    def log(self, conn: Tx, entry_id: int | None, kind: str, at: float, detail: str = "") -> None:
        """Append to the audit trail."""

    def entry(self, conn: Tx, entry_id: int) -> Entry | None:
        """One entry with its deliveries."""

    def entry_state(self, conn: Tx, entry_id: int) -> State:
        """An entry's state."""

    def set_state(
        self, conn: Tx, entry_id: int, state: State, now: float, *, note: str | None = None
    ) -> None:
        """Move an entry to ``state`` (the caller checked the transition)."""

    def due_targets(self, conn: Tx, now: float, wall: float) -> list[str]:
        """Targets with a due delivery or an expired lease."""

    def due_entry_ids(self, conn: Tx, target: str, now: float) -> list[int]:
        """Entries with a pending delivery to ``target`` due by ``now``."""

    def candidate(
        self, conn: Tx, now: float, wall: float, targets: Sequence[str], skip: Iterable[int] = ()
    ) -> Row | None:
        """The most overdue claimable delivery of ``targets``."""

    def claim(
        self, conn: Tx, delivery_id: int, owner: str, now: float, wall: float, lease_until: float
    ) -> bool:
        """Take a delivery with a lease until ``lease_until``; ``False`` if another won it."""

    def defer(self, conn: Tx, delivery_id: int, due: float) -> None:
        """Push a pending delivery back to ``due``."""

    def history(self, conn: Tx, target: str, now: float, since: float) -> list[tuple[int, float]]:
        """(entry id, time) of the target's recent and under-way posts."""

    def start_attempt(
        self, conn: Tx, delivery_id: int, owner: str, wall: float, lease: float
    ) -> bool:
        """Renew the lease and note the attempt; ``False`` if the lease was lost."""

    def published(
        self,
        conn: Tx,
        delivery_id: int,
        *,
        post_id: str,
        post_url: str | None,
        at: float,
        platform: str,
        post_state: str = "published",
        post_state_reason: str | None = None,
    ) -> bool:
        """Record the post; ``False`` when the delivery already had a result."""

    def release(
        self,
        conn: Tx,
        delivery_id: int,
        owner: str,
        *,
        state: DeliveryState,
        due: float | None = None,
        error: str | None = None,
        uncertain: bool | None = None,
        platform: str | None = None,
        undo_attempt: bool = False,
    ) -> bool:
        """Give a claimed delivery back (to retry at ``due``) or fail it."""

    def known_posts(self, conn: Tx, target: str) -> set[str]:
        """Post ids already recorded for ``target``."""

    def delivery_states(self, conn: Tx, entry_id: int) -> list[DeliveryState]:
        """The states of an entry's deliveries."""

    def attempted(self, conn: Tx, entry_id: int) -> bool:
        """Whether any delivery of the entry has been tried."""

    def awaiting_review(self, conn: Tx, checked_before: float) -> list[Row]:
        """Published deliveries whose post is pending review, last read before the time."""

    def set_post_state(
        self,
        conn: Tx,
        delivery_id: int,
        *,
        post_state: str,
        reason: str | None,
        post_url: str | None,
        at: float,
        post_id: str | None = None,
    ) -> bool:
        """Record the platform's new verdict on a pending post (and its public id)."""

    def pending_posts(self, conn: Tx, platform: str, post_ids: Iterable[str]) -> list[Row]:
        """Published deliveries on ``platform`` whose post (one of ``post_ids``) is pending."""

    def recheck(self, conn: Tx, delivery_id: int) -> None:
        """Make a pending post due to be read again at the next run."""

    def held(self, conn: Tx, before: float) -> list[Row]:
        """Never-tried pending deliveries due before ``before`` (what a pause held back)."""

    def miss(self, conn: Tx, delivery_id: int, error: str) -> None:
        """Mark a held delivery as missed."""
