"""The calendar's SQLite file: connection setup, transactions and every query.

The file is opened in WAL mode with ``synchronous=FULL`` (a committed claim or
result survives a crash of the process or the machine) and a busy timeout, so
several processes can share it. Writes run in ``BEGIN IMMEDIATE`` transactions:
the write lock is taken up front, which makes a read-check-update sequence
atomic across processes. Times are stored as UTC epoch seconds.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from .. import _sqlite
from ._time import from_epoch, zone
from .entries import (
    Approval,
    Delivery,
    DeliveryState,
    Entry,
    Rejection,
    State,
    draft_from_json,
    draft_to_json,
)
from .migrations import migrate
from .slots import Slot

__all__ = ["Store"]

ACTIVE_DELIVERY = (DeliveryState.PENDING.value, DeliveryState.PUBLISHING.value)


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _rollback(conn: sqlite3.Connection) -> None:
    """Roll back what is left of a transaction (SQLite may have rolled it back already)."""
    if conn.in_transaction:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")


def _opt_time(value: float | None) -> datetime | None:
    return from_epoch(value) if value is not None else None


class Store:
    """One connection to a calendar file (or to an in-memory database)."""

    def __init__(self, path: str | Path, *, busy_timeout: float = 30.0) -> None:
        self.path = str(path)
        self.memory = self.path == ":memory:"
        self.conn = _sqlite.connect(
            self.path,
            "calendar",
            timeout=busy_timeout,
            isolation_level=None,
            check_same_thread=False,
        )
        self.conn.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        self._depth = 0
        try:
            with self._guard():
                self.conn.execute("PRAGMA foreign_keys = ON")
                if not self.memory:
                    self.conn.execute("PRAGMA journal_mode = WAL")
                    self.conn.execute("PRAGMA synchronous = FULL")
                migrate(self.conn, path=self.path)
        except BaseException:
            self.conn.close()
            raise

    def _guard(self) -> contextlib.AbstractContextManager[None]:
        """SQLite's complaints about the file, as `StoreError` naming it."""
        return _sqlite.guard(self.path, "calendar")

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self.conn.close()

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A ``BEGIN IMMEDIATE`` transaction (nested calls join the outer one)."""
        with self._lock, self._guard():
            if self._depth:
                self._depth += 1
                try:
                    yield self.conn
                finally:
                    self._depth -= 1
                return
            self.conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException:
                _rollback(self.conn)  # a failed COMMIT (disk full) leaves nothing half-written
                raise
            finally:
                self._depth = 0

    @contextlib.contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for several queries."""
        with self._lock, self._guard():
            if self._depth:
                yield self.conn
                return
            self.conn.execute("BEGIN")
            try:
                yield self.conn
            finally:
                if self.conn.in_transaction:
                    self.conn.execute("COMMIT")

    # -- settings, targets, events -----------------------------------------------------------

    def setting(self, conn: sqlite3.Connection, key: str) -> Any:
        """A stored setting (JSON), or ``None``."""
        row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return json.loads(row["value"]) if row else None

    def set_setting(self, conn: sqlite3.Connection, key: str, value: Any) -> None:
        """Store a setting; ``None`` deletes it."""
        if value is None:
            conn.execute("DELETE FROM settings WHERE key = ?", (key,))
        else:
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, _json(value)),
            )

    def platforms(self, conn: sqlite3.Connection) -> dict[str, str]:
        """The known platform of each target."""
        return {r["name"]: r["platform"] for r in conn.execute("SELECT * FROM targets")}

    def set_platform(self, conn: sqlite3.Connection, target: str, platform: str) -> None:
        """Remember which platform ``target`` is on."""
        conn.execute(
            "INSERT INTO targets (name, platform) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET platform = excluded.platform",
            (target, platform),
        )

    def log(
        self, conn: sqlite3.Connection, entry_id: int | None, kind: str, at: float, detail: str = ""
    ) -> None:
        """Append to the audit trail."""
        conn.execute(
            "INSERT INTO events (entry_id, at, kind, detail) VALUES (?, ?, ?, ?)",
            (entry_id, at, kind, detail),
        )

    def events(self, conn: sqlite3.Connection, entry_id: int) -> list[tuple[datetime, str, str]]:
        """An entry's audit trail, oldest first."""
        rows = conn.execute(
            "SELECT at, kind, detail FROM events WHERE entry_id = ? ORDER BY id", (entry_id,)
        )
        return [(from_epoch(r["at"]), r["kind"], r["detail"]) for r in rows]

    # -- entries -----------------------------------------------------------------------------

    def insert_entry(
        self,
        conn: sqlite3.Connection,
        entry: Entry,
        keys: Mapping[str, str],
        now: float,
    ) -> int:
        """Store a new entry and one pending delivery per target; returns its id."""
        cursor = conn.execute(
            "INSERT INTO entries (draft, variants, at, tz, state, approvals_required, campaign, "
            "tags, slot_id, note, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                _json(draft_to_json(entry.draft)),
                _json({k: draft_to_json(v) for k, v in entry.variants.items()}),
                entry.at.timestamp() if entry.at else None,
                entry.tz,
                entry.state.value,
                entry.approvals_required,
                entry.campaign,
                _json(list(entry.tags)),
                entry.slot_id,
                entry.note,
                now,
                now,
            ),
        )
        entry_id = int(cursor.lastrowid or 0)
        due = entry.at.timestamp() if entry.at else None
        conn.executemany(
            "INSERT INTO deliveries (entry_id, target, idempotency_key, due) VALUES (?,?,?,?)",
            [(entry_id, t, keys[t], due) for t in entry.targets],
        )
        return entry_id

    def entry(self, conn: sqlite3.Connection, entry_id: int) -> Entry | None:
        """One entry with its approvals, rejections and deliveries."""
        row = conn.execute("SELECT * FROM entries WHERE id = ?", (entry_id,)).fetchone()
        return self._entry(conn, row) if row else None

    def entries(
        self,
        conn: sqlite3.Connection,
        *,
        states: Iterable[State] | None = None,
        start: float | None = None,
        end: float | None = None,
    ) -> list[Entry]:
        """Entries, by time (unplanned ones last), filtered by state and time range."""
        clauses: list[str] = []
        params: list[Any] = []
        if states is not None:
            wanted = [s.value for s in states]
            clauses.append(f"state IN ({','.join('?' * len(wanted))})")
            params += wanted
        if start is not None:
            clauses.append("at >= ?")
            params.append(start)
        if end is not None:
            clauses.append("at < ?")
            params.append(end)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = conn.execute(
            f"SELECT * FROM entries {where} ORDER BY at IS NULL, at, id",
            params,
        ).fetchall()
        return [self._entry(conn, row) for row in rows]

    def _entry(self, conn: sqlite3.Connection, row: sqlite3.Row) -> Entry:
        entry_id = int(row["id"])
        tz = zone(row["tz"])
        approvals = tuple(
            Approval(r["approver"], from_epoch(r["at"]))
            for r in conn.execute(
                "SELECT * FROM approvals WHERE entry_id = ? ORDER BY at, approver", (entry_id,)
            )
        )
        rejections = tuple(
            Rejection(r["reviewer"], from_epoch(r["at"]), r["comment"])
            for r in conn.execute(
                "SELECT * FROM rejections WHERE entry_id = ? ORDER BY id", (entry_id,)
            )
        )
        deliveries = tuple(
            Delivery(
                target=r["target"],
                state=DeliveryState(r["state"]),
                idempotency_key=r["idempotency_key"],
                attempts=r["attempts"],
                due=_opt_time(r["due"]),
                platform=r["platform"],
                post_id=r["post_id"],
                post_url=r["post_url"],
                published_at=_opt_time(r["published_at"]),
                error=r["error"],
                post_state=r["post_state"],
                post_state_reason=r["post_state_reason"],
            )
            for r in conn.execute(
                "SELECT * FROM deliveries WHERE entry_id = ? ORDER BY id", (entry_id,)
            )
        )
        variants = json.loads(row["variants"])
        return Entry(
            id=entry_id,
            draft=draft_from_json(json.loads(row["draft"])),
            targets=tuple(d.target for d in deliveries),
            at=from_epoch(row["at"], tz) if row["at"] is not None else None,
            tz=row["tz"],
            state=State(row["state"]),
            variants={k: draft_from_json(v) for k, v in variants.items()},
            tags=tuple(json.loads(row["tags"])),
            campaign=row["campaign"],
            approvals_required=row["approvals_required"],
            approvals=approvals,
            rejections=rejections,
            deliveries=deliveries,
            slot_id=row["slot_id"],
            note=row["note"],
        )

    def set_state(
        self,
        conn: sqlite3.Connection,
        entry_id: int,
        state: State,
        now: float,
        *,
        note: str | None = None,
    ) -> None:
        """Move an entry to ``state`` (the caller has checked the transition)."""
        conn.execute(
            "UPDATE entries SET state = ?, updated_at = ?, note = COALESCE(?, note) WHERE id = ?",
            (state.value, now, note, entry_id),
        )
        self.log(conn, entry_id, state.value, now, note or "")

    def set_time(self, conn: sqlite3.Connection, entry_id: int, at: float, tz: str) -> None:
        """Plan an entry (and its unfinished deliveries) for ``at``."""
        conn.execute("UPDATE entries SET at = ?, tz = ? WHERE id = ?", (at, tz, entry_id))
        conn.execute(
            "UPDATE deliveries SET due = ? WHERE entry_id = ? AND state = 'pending'",
            (at, entry_id),
        )

    def approve(self, conn: sqlite3.Connection, entry_id: int, by: str, now: float) -> None:
        """Record an approval (a second one by the same person counts once)."""
        conn.execute(
            "INSERT OR IGNORE INTO approvals (entry_id, approver, at) VALUES (?, ?, ?)",
            (entry_id, by, now),
        )
        self.log(conn, entry_id, "approval", now, by)

    def reject(
        self, conn: sqlite3.Connection, entry_id: int, by: str, comment: str, now: float
    ) -> None:
        """Record a rejection and clear the approvals given so far."""
        conn.execute(
            "INSERT INTO rejections (entry_id, reviewer, at, comment) VALUES (?, ?, ?, ?)",
            (entry_id, by, now, comment),
        )
        conn.execute("DELETE FROM approvals WHERE entry_id = ?", (entry_id,))
        self.log(conn, entry_id, "rejection", now, f"{by}: {comment}")

    def set_deliveries(
        self,
        conn: sqlite3.Connection,
        entry_id: int,
        state: DeliveryState,
        *,
        where: Sequence[DeliveryState],
        error: str | None = None,
        reset_attempts: bool = False,
    ) -> None:
        """Move the deliveries of an entry that are in one of ``where`` to ``state``."""
        wanted = [s.value for s in where]
        extra = (
            ", attempts = 0, uncertain = CASE WHEN attempts > 0 THEN 1 ELSE 0 END"
            if (reset_attempts)
            else ""
        )
        conn.execute(
            f"UPDATE deliveries SET state = ?, error = COALESCE(?, error), lease_owner = NULL, "
            f"lease_expires = NULL{extra} WHERE entry_id = ? "
            f"AND state IN ({','.join('?' * len(wanted))})",
            (state.value, error, entry_id, *wanted),
        )

    # -- slots -------------------------------------------------------------------------------

    def insert_slot(self, conn: sqlite3.Connection, slot: Slot) -> int:
        """Store a slot; returns its id."""
        cursor = conn.execute(
            "INSERT INTO slots (rrule, tz, start, targets, label) VALUES (?, ?, ?, ?, ?)",
            (slot.rrule, slot.tz, slot.start.isoformat(), _json(list(slot.targets)), slot.label),
        )
        return int(cursor.lastrowid or 0)

    def slots(self, conn: sqlite3.Connection) -> list[Slot]:
        """Every slot."""
        return [
            Slot(
                r["rrule"],
                r["tz"],
                datetime.fromisoformat(r["start"]),
                tuple(json.loads(r["targets"])),
                r["label"],
                int(r["id"]),
            )
            for r in conn.execute("SELECT * FROM slots ORDER BY id")
        ]

    def delete_slot(self, conn: sqlite3.Connection, slot_id: int) -> None:
        """Remove a slot (entries already queued in it stay)."""
        conn.execute("DELETE FROM slots WHERE id = ?", (slot_id,))

    # -- dispatch ----------------------------------------------------------------------------

    def due_targets(self, conn: sqlite3.Connection, now: float, wall: float) -> list[str]:
        """Targets with a delivery that is due, or whose lease has expired."""
        rows = conn.execute(
            "SELECT DISTINCT d.target FROM deliveries d JOIN entries e ON e.id = d.entry_id "
            "WHERE e.state IN ('scheduled', 'publishing') AND ("
            "(d.state = 'pending' AND d.due <= ?) OR "
            "(d.state = 'publishing' AND d.lease_expires <= ?)) ORDER BY d.target",
            (now, wall),
        )
        return [r["target"] for r in rows]

    def candidate(
        self,
        conn: sqlite3.Connection,
        now: float,
        wall: float,
        targets: Sequence[str],
        skip: Iterable[int] = (),
    ) -> sqlite3.Row | None:
        """The most overdue delivery of ``targets`` that may be claimed now.

        Its entry must be scheduled (or already publishing) and hold the approvals it
        needs: approval is checked again here, not only when the entry was scheduled.
        """
        skipped = list(skip)
        return conn.execute(  # type: ignore[no-any-return]
            "SELECT d.*, e.at AS entry_at FROM deliveries d JOIN entries e ON e.id = d.entry_id "
            "WHERE e.state IN ('scheduled', 'publishing') "
            f"AND d.target IN ({','.join('?' * len(targets))}) "
            f"AND d.id NOT IN ({','.join('?' * len(skipped))}) "
            "AND (SELECT COUNT(*) FROM approvals a WHERE a.entry_id = e.id) "
            ">= e.approvals_required "
            "AND ((d.state = 'pending' AND d.due <= ?) OR "
            "(d.state = 'publishing' AND d.lease_expires <= ?)) "
            "ORDER BY d.due, d.id LIMIT 1",
            (*targets, *skipped, now, wall),
        ).fetchone()

    def claim(
        self,
        conn: sqlite3.Connection,
        delivery_id: int,
        owner: str,
        now: float,
        wall: float,
        lease_until: float,
    ) -> bool:
        """Take a delivery with a lease: an atomic conditional UPDATE that only one
        worker can win. A delivery whose lease expired (its worker died or hung
        mid-publish) is marked uncertain, so its outcome is reconciled first."""
        cursor = conn.execute(
            "UPDATE deliveries SET "
            "uncertain = CASE WHEN state = 'publishing' THEN 1 ELSE uncertain END, "
            "state = 'publishing', lease_owner = ?, lease_expires = ?, attempts = attempts + 1 "
            "WHERE id = ? AND ((state = 'pending' AND due <= ?) OR "
            "(state = 'publishing' AND lease_expires <= ?))",
            (owner, lease_until, delivery_id, now, wall),
        )
        return cursor.rowcount == 1

    def defer(self, conn: sqlite3.Connection, delivery_id: int, due: float) -> None:
        """Push a pending delivery back to ``due``."""
        conn.execute("UPDATE deliveries SET due = ? WHERE id = ?", (due, delivery_id))

    def planned(
        self, conn: sqlite3.Connection, start: float | None = None, end: float | None = None
    ) -> list[sqlite3.Row]:
        """(entry_id, target, platform, t) of every post made, or planned by a live entry,
        at a time ``t`` between ``start`` and ``end`` when given: what the rules weigh."""
        window = ""
        params: list[float] = []
        if start is not None and end is not None:
            window = "AND t BETWEEN ? AND ?"
            params = [start, end]
        return conn.execute(
            "SELECT * FROM (SELECT d.entry_id, d.target, d.platform, "
            "COALESCE(d.published_at, d.due, e.at) AS t FROM deliveries d "
            "JOIN entries e ON e.id = d.entry_id WHERE d.state = 'published' OR ("
            "e.state IN ('draft', 'approved', 'scheduled', 'publishing') "
            f"AND d.state IN ('pending', 'publishing'))) WHERE t IS NOT NULL {window} "
            "ORDER BY t",
            params,
        ).fetchall()

    def history(
        self, conn: sqlite3.Connection, target: str, now: float, since: float
    ) -> list[tuple[int, float]]:
        """(entry id, time) of the target's posts made since ``since``, and of those under
        way (counted at ``now``): what the rules weigh at dispatch."""
        rows = conn.execute(
            "SELECT entry_id, COALESCE(published_at, ?) AS t FROM deliveries "
            "WHERE target = ? AND (state = 'publishing' OR "
            "(state = 'published' AND published_at >= ?))",
            (now, target, since),
        )
        return [(int(r["entry_id"]), float(r["t"])) for r in rows]

    def start_attempt(
        self, conn: sqlite3.Connection, delivery_id: int, owner: str, wall: float, lease: float
    ) -> bool:
        """Renew the lease and note the attempt, just before the request; ``False`` if
        the lease was lost to another worker."""
        cursor = conn.execute(
            "UPDATE deliveries SET lease_expires = ?, last_attempt_at = ?, "
            "first_attempt_at = COALESCE(first_attempt_at, ?) "
            "WHERE id = ? AND lease_owner = ? AND state = 'publishing'",
            (lease, wall, wall, delivery_id, owner),
        )
        return cursor.rowcount == 1

    def published(
        self,
        conn: sqlite3.Connection,
        delivery_id: int,
        *,
        post_id: str,
        post_url: str | None,
        at: float,
        platform: str,
        post_state: str = "published",
        post_state_reason: str | None = None,
    ) -> bool:
        """Record the post, and the platform's verdict on it (``pending`` review, ...).
        The post exists whoever holds the lease, so this does not check the owner;
        ``False`` when the delivery already had a result."""
        cursor = conn.execute(
            "UPDATE deliveries SET state = 'published', post_id = ?, post_url = ?, "
            "published_at = ?, platform = ?, error = NULL, uncertain = 0, lease_owner = NULL, "
            "lease_expires = NULL, post_state = ?, post_state_reason = ?, post_checked_at = ? "
            "WHERE id = ? AND state != 'published'",
            (post_id, post_url, at, platform, post_state, post_state_reason, at, delivery_id),
        )
        return cursor.rowcount == 1

    def awaiting_review(
        self, conn: sqlite3.Connection, checked_before: float
    ) -> list[sqlite3.Row]:
        """Published deliveries whose post is pending (review, processing), last read
        before ``checked_before``: (id, entry_id, target, post_id, post_state_reason)."""
        return conn.execute(
            "SELECT id, entry_id, target, post_id, post_state_reason FROM deliveries "
            "WHERE state = 'published' AND post_state = 'pending' AND post_id IS NOT NULL "
            "AND COALESCE(post_checked_at, 0) < ? ORDER BY published_at, id",
            (checked_before,),
        ).fetchall()

    def set_post_state(
        self,
        conn: sqlite3.Connection,
        delivery_id: int,
        *,
        post_state: str,
        reason: str | None,
        post_url: str | None,
        at: float,
        post_id: str | None = None,
    ) -> bool:
        """Record the platform's new verdict on a pending post (and its public id, where
        the platform names it only then); ``False`` when it was no longer pending
        (another worker recorded it first)."""
        cursor = conn.execute(
            "UPDATE deliveries SET post_state = ?, post_state_reason = ?, "
            "post_url = COALESCE(?, post_url), post_id = COALESCE(?, post_id), "
            "post_checked_at = ? "
            "WHERE id = ? AND state = 'published' AND post_state = 'pending'",
            (post_state, reason, post_url, post_id, at, delivery_id),
        )
        return cursor.rowcount == 1

    def pending_posts(
        self, conn: sqlite3.Connection, platform: str, post_ids: Iterable[str]
    ) -> list[sqlite3.Row]:
        """Published deliveries on ``platform`` whose post (one of ``post_ids``) is still
        pending: (id, entry_id, target, post_id)."""
        ids = sorted(set(post_ids))
        if not ids:
            return []
        marks = ", ".join("?" for _ in ids)
        return conn.execute(
            "SELECT id, entry_id, target, post_id FROM deliveries WHERE state = 'published' "
            f"AND post_state = 'pending' AND platform = ? AND post_id IN ({marks}) "
            "ORDER BY id",
            (platform, *ids),
        ).fetchall()

    def recheck(self, conn: sqlite3.Connection, delivery_id: int) -> None:
        """Make a pending post due to be read again at the next run."""
        conn.execute("UPDATE deliveries SET post_checked_at = NULL WHERE id = ?", (delivery_id,))

    def release(
        self,
        conn: sqlite3.Connection,
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
        """Give a claimed delivery back (to retry at ``due``) or end it as failed."""
        cursor = conn.execute(
            "UPDATE deliveries SET state = ?, due = COALESCE(?, due), error = ?, "
            "uncertain = COALESCE(?, uncertain), platform = COALESCE(?, platform), "
            "attempts = attempts - ?, lease_owner = NULL, lease_expires = NULL "
            "WHERE id = ? AND lease_owner = ? AND state = 'publishing'",
            (
                state.value,
                due,
                error,
                None if uncertain is None else int(uncertain),
                platform,
                int(undo_attempt),
                delivery_id,
                owner,
            ),
        )
        return cursor.rowcount == 1

    def known_posts(self, conn: sqlite3.Connection, target: str) -> set[str]:
        """Post ids already recorded for ``target``."""
        rows = conn.execute(
            "SELECT post_id FROM deliveries WHERE target = ? AND post_id IS NOT NULL", (target,)
        )
        return {r["post_id"] for r in rows}

    def delivery_states(self, conn: sqlite3.Connection, entry_id: int) -> list[DeliveryState]:
        """The states of an entry's deliveries."""
        rows = conn.execute("SELECT state FROM deliveries WHERE entry_id = ?", (entry_id,))
        return [DeliveryState(r["state"]) for r in rows]

    def attempted(self, conn: sqlite3.Connection, entry_id: int) -> bool:
        """Whether any delivery of the entry has been tried."""
        row = conn.execute(
            "SELECT 1 FROM deliveries WHERE entry_id = ? AND (attempts > 0 OR "
            "state IN ('published', 'failed')) LIMIT 1",
            (entry_id,),
        ).fetchone()
        return row is not None

    def held(self, conn: sqlite3.Connection, before: float) -> list[sqlite3.Row]:
        """Pending, never-tried deliveries of scheduled or publishing entries due before
        ``before`` (what a pause held back)."""
        return conn.execute(
            "SELECT d.id, d.entry_id, d.target, d.due FROM deliveries d "
            "JOIN entries e ON e.id = d.entry_id WHERE e.state IN ('scheduled', 'publishing') "
            "AND d.state = 'pending' AND d.attempts = 0 AND d.due < ? ORDER BY d.due, d.id",
            (before,),
        ).fetchall()

    def miss(self, conn: sqlite3.Connection, delivery_id: int, error: str) -> None:
        """Mark a held delivery as missed."""
        conn.execute(
            "UPDATE deliveries SET state = 'missed', error = ? WHERE id = ? AND state = 'pending'",
            (error, delivery_id),
        )
