"""The calendar ledger's queries, written once for both stores (SQLite and PostgreSQL).

`SQLLedger` holds every query of the calendar in the SQL both databases speak
(``?`` placeholders, bare table names) and runs them on a `socialkit._db.Database`,
which brings the connection, the transactions and the clock leases are measured on:
the worker's for SQLite (one file on one machine), the database's own ``now()`` for
PostgreSQL, so workers on several machines agree on when a lease has expired. Times
are UTC epoch seconds.

Methods take the open transaction (`Tx`, what ``read()``/``write()`` yield) as their
first argument; callers never run SQL on it themselves.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

from .._db import Database, Tx
from ..crashpoints import crash_point
from ..errors import NotFound
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
from .slots import Slot

__all__ = ["Row", "SQLLedger"]

Row = Mapping[str, Any]
"""One row, by column name."""


ACTIVE_DELIVERY = (DeliveryState.PENDING.value, DeliveryState.PUBLISHING.value)


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _opt_time(value: float | None) -> datetime | None:
    return from_epoch(value) if value is not None else None


class SQLLedger:
    """The calendar's queries over a `Database` (``db``: SQLite or PostgreSQL)."""

    #: The one delivery `due` and `candidate` consider (see `only`), or ``None``: all.
    _only: int | None = None

    def __init__(self, db: Database) -> None:
        self.db = db
        #: Where the store lives, for messages (a file path, or a redacted database URL).
        self.path = db.path
        # What `candidate` appends to lock the row it picks (PostgreSQL: skip rows others hold).
        self._lock_row = " FOR UPDATE OF d SKIP LOCKED" if db.dialect == "postgres" else ""

    def write(self) -> AbstractContextManager[Tx]:
        """A transaction that writes, serialised with every other writer of the calendar
        (nested calls join the outer one)."""
        return self.db.write()

    def read(self) -> AbstractContextManager[Tx]:
        """A transaction that only reads."""
        return self.db.read()

    def close(self) -> None:
        """Release the connection (a caller's own connection is left open)."""
        self.db.close()

    def _clock(self, wall: float) -> tuple[str, tuple[Any, ...]]:
        """The SQL expression (and its parameters) of "now" that leases are measured on."""
        return self.db.epoch_clock(wall)

    def _lease_until(self, wall: float, until: float) -> tuple[str, tuple[Any, ...]]:
        """The SQL expression of a lease's end: ``until - wall`` seconds after `_clock`."""
        return self.db.epoch_clock(wall, plus=until - wall)

    # -- settings, targets, events -----------------------------------------------------------

    def setting(self, conn: Tx, key: str) -> Any:
        """A stored setting (JSON), or ``None``."""
        row = self.db.x(conn, "SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return json.loads(row["value"]) if row else None

    def set_setting(self, conn: Tx, key: str, value: Any) -> None:
        """Store a setting; ``None`` deletes it."""
        if value is None:
            self.db.x(conn, "DELETE FROM settings WHERE key = ?", (key,))
        else:
            self.db.x(
                conn,
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, _json(value)),
            )

    def platforms(self, conn: Tx) -> dict[str, str]:
        """The known platform of each target."""
        return {r["name"]: r["platform"] for r in self.db.x(conn, "SELECT * FROM targets")}

    def set_platform(self, conn: Tx, target: str, platform: str) -> None:
        """Remember which platform ``target`` is on."""
        self.db.x(
            conn,
            "INSERT INTO targets (name, platform) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET platform = excluded.platform",
            (target, platform),
        )

    def log(self, conn: Tx, entry_id: int | None, kind: str, at: float, detail: str = "") -> None:
        """Append to the audit trail."""
        self.db.x(
            conn,
            "INSERT INTO events (entry_id, at, kind, detail) VALUES (?, ?, ?, ?)",
            (entry_id, at, kind, detail),
        )

    def events(self, conn: Tx, entry_id: int) -> list[tuple[datetime, str, str]]:
        """An entry's audit trail, oldest first."""
        rows = self.db.x(
            conn, "SELECT at, kind, detail FROM events WHERE entry_id = ? ORDER BY id", (entry_id,)
        )
        return [(from_epoch(r["at"]), r["kind"], r["detail"]) for r in rows]

    # -- entries -----------------------------------------------------------------------------

    def insert_entry(
        self,
        conn: Tx,
        entry: Entry,
        keys: Mapping[str, str],
        now: float,
    ) -> int:
        """Store a new entry and one pending delivery per target; returns its id."""
        entry_id = self.db.insert(
            conn,
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
        due = entry.at.timestamp() if entry.at else None
        for target in entry.targets:
            self.db.x(
                conn,
                "INSERT INTO deliveries (entry_id, target, idempotency_key, due) VALUES (?,?,?,?)",
                (entry_id, target, keys[target], due),
            )
        return entry_id

    def entry(self, conn: Tx, entry_id: int) -> Entry | None:
        """One entry with its approvals, rejections and deliveries."""
        row = self.db.x(conn, "SELECT * FROM entries WHERE id = ?", (entry_id,)).fetchone()
        return self._entry(conn, row) if row else None

    def entries(
        self,
        conn: Tx,
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
        rows = self.db.x(
            conn,
            f"SELECT * FROM entries {where} ORDER BY at IS NULL, at, id",
            params,
        ).fetchall()
        return [self._entry(conn, row) for row in rows]

    def _entry(self, conn: Tx, row: Row) -> Entry:
        entry_id = int(row["id"])
        tz = zone(row["tz"])
        approvals = tuple(
            Approval(r["approver"], from_epoch(r["at"]))
            for r in self.db.x(
                conn,
                "SELECT * FROM approvals WHERE entry_id = ? ORDER BY at, approver",
                (entry_id,),
            )
        )
        rejections = tuple(
            Rejection(r["reviewer"], from_epoch(r["at"]), r["comment"])
            for r in self.db.x(
                conn, "SELECT * FROM rejections WHERE entry_id = ? ORDER BY id", (entry_id,)
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
            for r in self.db.x(
                conn, "SELECT * FROM deliveries WHERE entry_id = ? ORDER BY id", (entry_id,)
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
        conn: Tx,
        entry_id: int,
        state: State,
        now: float,
        *,
        note: str | None = None,
    ) -> None:
        """Move an entry to ``state`` (the caller has checked the transition)."""
        self.db.x(
            conn,
            "UPDATE entries SET state = ?, updated_at = ?, note = COALESCE(?, note) WHERE id = ?",
            (state.value, now, note, entry_id),
        )
        self.log(conn, entry_id, state.value, now, note or "")

    def set_time(self, conn: Tx, entry_id: int, at: float, tz: str) -> None:
        """Plan an entry (and its unfinished deliveries) for ``at``."""
        self.db.x(conn, "UPDATE entries SET at = ?, tz = ? WHERE id = ?", (at, tz, entry_id))
        self.db.x(
            conn,
            "UPDATE deliveries SET due = ? WHERE entry_id = ? AND state = 'pending'",
            (at, entry_id),
        )

    def approve(self, conn: Tx, entry_id: int, by: str, now: float) -> None:
        """Record an approval (a second one by the same person counts once)."""
        self.db.x(
            conn,
            "INSERT INTO approvals (entry_id, approver, at) VALUES (?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            (entry_id, by, now),
        )
        self.log(conn, entry_id, "approval", now, by)

    def reject(self, conn: Tx, entry_id: int, by: str, comment: str, now: float) -> None:
        """Record a rejection and clear the approvals given so far."""
        self.db.x(
            conn,
            "INSERT INTO rejections (entry_id, reviewer, at, comment) VALUES (?, ?, ?, ?)",
            (entry_id, by, now, comment),
        )
        self.db.x(conn, "DELETE FROM approvals WHERE entry_id = ?", (entry_id,))
        self.log(conn, entry_id, "rejection", now, f"{by}: {comment}")

    def set_deliveries(
        self,
        conn: Tx,
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
        self.db.x(
            conn,
            f"UPDATE deliveries SET state = ?, error = COALESCE(?, error), lease_owner = NULL, "
            f"lease_expires = NULL{extra} WHERE entry_id = ? "
            f"AND state IN ({','.join('?' * len(wanted))})",
            (state.value, error, entry_id, *wanted),
        )

    # -- slots -------------------------------------------------------------------------------

    def insert_slot(self, conn: Tx, slot: Slot) -> int:
        """Store a slot; returns its id."""
        return self.db.insert(
            conn,
            "INSERT INTO slots (rrule, tz, start, targets, label) VALUES (?, ?, ?, ?, ?)",
            (slot.rrule, slot.tz, slot.start.isoformat(), _json(list(slot.targets)), slot.label),
        )

    def slots(self, conn: Tx) -> list[Slot]:
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
            for r in self.db.x(conn, "SELECT * FROM slots ORDER BY id")
        ]

    def delete_slot(self, conn: Tx, slot_id: int) -> None:
        """Remove a slot (entries already queued in it stay)."""
        self.db.x(conn, "DELETE FROM slots WHERE id = ?", (slot_id,))

    # -- dispatch ----------------------------------------------------------------------------

    def due_targets(self, conn: Tx, now: float, wall: float) -> list[str]:
        """Targets with a delivery that is due, or whose lease has expired."""
        return sorted({r["target"] for r in self.due(conn, now, wall)})

    def due(self, conn: Tx, now: float, wall: float) -> list[Row]:
        """(id, target) of the deliveries that are due, or whose lease has expired (what a
        sweep hands to the workers), the most overdue first."""
        clock, params = self._clock(wall)
        only, only_params = ("AND d.id = ? ", (self._only,)) if self._only is not None else ("", ())
        rows = self.db.x(
            conn,
            "SELECT d.id, d.target FROM deliveries d JOIN entries e ON e.id = d.entry_id "
            "WHERE e.state IN ('scheduled', 'publishing') AND ("
            "(d.state = 'pending' AND d.due <= ?) OR "
            f"(d.state = 'publishing' AND d.lease_expires <= {clock})) {only}"
            "ORDER BY d.due, d.id",
            (now, *params, *only_params),
        )
        return [dict(r) for r in rows]

    @contextlib.contextmanager
    def only(self, delivery_id: int) -> Iterator[None]:
        """Within the block, only ``delivery_id`` is due or claimable (a task engine's job
        for one delivery re-claims exactly its row, or does nothing)."""
        self._only = delivery_id
        try:
            yield
        finally:
            self._only = None

    def candidate(
        self,
        conn: Tx,
        now: float,
        wall: float,
        targets: Sequence[str],
        skip: Iterable[int] = (),
    ) -> Row | None:
        """The most overdue delivery of ``targets`` that may be claimed now.

        Its entry must be scheduled (or already publishing) and hold the approvals it
        needs: approval is checked again here, not only when the entry was scheduled.
        """
        skipped = list(skip)
        clock, params = self._clock(wall)
        not_skipped = f"AND d.id NOT IN ({','.join('?' * len(skipped))}) " if skipped else ""
        if self._only is not None:
            not_skipped += "AND d.id = ? "
            skipped.append(self._only)
        return self.db.x(  # type: ignore[no-any-return]
            conn,
            "SELECT d.*, e.at AS entry_at FROM deliveries d JOIN entries e ON e.id = d.entry_id "
            "WHERE e.state IN ('scheduled', 'publishing') "
            f"AND d.target IN ({','.join('?' * len(targets))}) "
            f"{not_skipped}"
            "AND (SELECT COUNT(*) FROM approvals a WHERE a.entry_id = e.id) "
            ">= e.approvals_required "
            "AND ((d.state = 'pending' AND d.due <= ?) OR "
            f"(d.state = 'publishing' AND d.lease_expires <= {clock})) "
            f"ORDER BY d.due, d.id LIMIT 1{self._lock_row}",
            (*targets, *skipped, now, *params),
        ).fetchone()

    def claim(
        self,
        conn: Tx,
        delivery_id: int,
        owner: str,
        now: float,
        wall: float,
        lease_until: float,
    ) -> bool:
        """Take a delivery with a lease: an atomic conditional UPDATE that only one
        worker can win. A delivery whose lease expired (its worker died or hung
        mid-publish) is marked uncertain, so its outcome is reconciled first."""
        clock, params = self._clock(wall)
        until, until_params = self._lease_until(wall, lease_until)
        cursor = self.db.x(
            conn,
            "UPDATE deliveries SET "
            "uncertain = CASE WHEN state = 'publishing' THEN 1 ELSE uncertain END, "
            f"state = 'publishing', lease_owner = ?, lease_expires = {until}, "
            "attempts = attempts + 1 WHERE id = ? AND ((state = 'pending' AND due <= ?) OR "
            f"(state = 'publishing' AND lease_expires <= {clock}))",
            (owner, *until_params, delivery_id, now, *params),
        )
        return cursor.rowcount == 1

    def defer(self, conn: Tx, delivery_id: int, due: float) -> None:
        """Push a pending delivery back to ``due``."""
        self.db.x(conn, "UPDATE deliveries SET due = ? WHERE id = ?", (due, delivery_id))

    def planned(self, conn: Tx, start: float | None = None, end: float | None = None) -> list[Row]:
        """(entry_id, target, platform, t) of every post made, or planned by a live entry,
        at a time ``t`` between ``start`` and ``end`` when given: what the rules weigh."""
        window = ""
        params: list[float] = []
        if start is not None and end is not None:
            window = "AND t BETWEEN ? AND ?"
            params = [start, end]
        return self.db.x(
            conn,
            "SELECT * FROM (SELECT d.entry_id, d.target, d.platform, "
            "COALESCE(d.published_at, d.due, e.at) AS t FROM deliveries d "
            "JOIN entries e ON e.id = d.entry_id WHERE d.state = 'published' OR ("
            "e.state IN ('draft', 'approved', 'scheduled', 'publishing') "
            f"AND d.state IN ('pending', 'publishing'))) AS p WHERE t IS NOT NULL {window} "
            "ORDER BY t",
            params,
        ).fetchall()

    def history(self, conn: Tx, target: str, now: float, since: float) -> list[tuple[int, float]]:
        """(entry id, time) of the target's posts made since ``since``, and of those under
        way (counted at ``now``): what the rules weigh at dispatch."""
        rows = self.db.x(
            conn,
            "SELECT entry_id, COALESCE(published_at, ?) AS t FROM deliveries "
            "WHERE target = ? AND (state = 'publishing' OR "
            "(state = 'published' AND published_at >= ?))",
            (now, target, since),
        )
        return [(int(r["entry_id"]), float(r["t"])) for r in rows]

    def start_attempt(
        self, conn: Tx, delivery_id: int, owner: str, wall: float, lease: float
    ) -> bool:
        """Renew the lease and note the attempt, just before the request; ``False`` if
        the lease was lost to another worker."""
        until, until_params = self._lease_until(wall, lease)
        cursor = self.db.x(
            conn,
            f"UPDATE deliveries SET lease_expires = {until}, last_attempt_at = ?, "
            "first_attempt_at = COALESCE(first_attempt_at, ?) "
            "WHERE id = ? AND lease_owner = ? AND state = 'publishing'",
            (*until_params, wall, wall, delivery_id, owner),
        )
        return cursor.rowcount == 1

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
        """Record the post, and the platform's verdict on it (``pending`` review, ...).
        The post exists whoever holds the lease, so this does not check the owner;
        ``False`` when the delivery already had a result."""
        crash_point("after-response")
        cursor = self.db.x(
            conn,
            "UPDATE deliveries SET state = 'published', post_id = ?, post_url = ?, "
            "published_at = ?, platform = ?, error = NULL, uncertain = 0, lease_owner = NULL, "
            "lease_expires = NULL, post_state = ?, post_state_reason = ?, post_checked_at = ? "
            "WHERE id = ? AND state != 'published'",
            (post_id, post_url, at, platform, post_state, post_state_reason, at, delivery_id),
        )
        return cursor.rowcount == 1

    def awaiting_review(self, conn: Tx, checked_before: float) -> list[Row]:
        """Published deliveries whose post is pending (review, processing), last read
        before ``checked_before``: (id, entry_id, target, post_id, post_state_reason)."""
        return self.db.x(
            conn,
            "SELECT id, entry_id, target, post_id, post_state_reason FROM deliveries "
            "WHERE state = 'published' AND post_state = 'pending' AND post_id IS NOT NULL "
            "AND COALESCE(post_checked_at, 0) < ? ORDER BY published_at, id",
            (checked_before,),
        ).fetchall()

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
        """Record the platform's new verdict on a pending post (and its public id, where
        the platform names it only then); ``False`` when it was no longer pending
        (another worker recorded it first)."""
        cursor = self.db.x(
            conn,
            "UPDATE deliveries SET post_state = ?, post_state_reason = ?, "
            "post_url = COALESCE(?, post_url), post_id = COALESCE(?, post_id), "
            "post_checked_at = ? "
            "WHERE id = ? AND state = 'published' AND post_state = 'pending'",
            (post_state, reason, post_url, post_id, at, delivery_id),
        )
        return cursor.rowcount == 1

    def pending_posts(self, conn: Tx, platform: str, post_ids: Iterable[str]) -> list[Row]:
        """Published deliveries on ``platform`` whose post (one of ``post_ids``) is still
        pending: (id, entry_id, target, post_id)."""
        ids = sorted(set(post_ids))
        if not ids:
            return []
        marks = ", ".join("?" for _ in ids)
        return self.db.x(
            conn,
            "SELECT id, entry_id, target, post_id FROM deliveries WHERE state = 'published' "
            f"AND post_state = 'pending' AND platform = ? AND post_id IN ({marks}) "
            "ORDER BY id",
            (platform, *ids),
        ).fetchall()

    def recheck(self, conn: Tx, delivery_id: int) -> None:
        """Make a pending post due to be read again at the next run."""
        self.db.x(conn, "UPDATE deliveries SET post_checked_at = NULL WHERE id = ?", (delivery_id,))

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
        """Give a claimed delivery back (to retry at ``due``) or end it as failed."""
        cursor = self.db.x(
            conn,
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

    def known_posts(self, conn: Tx, target: str) -> set[str]:
        """Post ids already recorded for ``target``."""
        rows = self.db.x(
            conn,
            "SELECT post_id FROM deliveries WHERE target = ? AND post_id IS NOT NULL",
            (target,),
        )
        return {r["post_id"] for r in rows}

    def delivery_states(self, conn: Tx, entry_id: int) -> list[DeliveryState]:
        """The states of an entry's deliveries."""
        rows = self.db.x(conn, "SELECT state FROM deliveries WHERE entry_id = ?", (entry_id,))
        return [DeliveryState(r["state"]) for r in rows]

    def attempted(self, conn: Tx, entry_id: int) -> bool:
        """Whether any delivery of the entry has been tried."""
        row = self.db.x(
            conn,
            "SELECT 1 FROM deliveries WHERE entry_id = ? AND (attempts > 0 OR "
            "state IN ('published', 'failed')) LIMIT 1",
            (entry_id,),
        ).fetchone()
        return row is not None

    def held(self, conn: Tx, before: float) -> list[Row]:
        """Pending, never-tried deliveries of scheduled or publishing entries due before
        ``before`` (what a pause held back)."""
        return self.db.x(
            conn,
            "SELECT d.id, d.entry_id, d.target, d.due FROM deliveries d "
            "JOIN entries e ON e.id = d.entry_id WHERE e.state IN ('scheduled', 'publishing') "
            "AND d.state = 'pending' AND d.attempts = 0 AND d.due < ? ORDER BY d.due, d.id",
            (before,),
        ).fetchall()

    def miss(self, conn: Tx, delivery_id: int, error: str) -> None:
        """Mark a held delivery as missed."""
        self.db.x(
            conn,
            "UPDATE deliveries SET state = 'missed', error = ? WHERE id = ? AND state = 'pending'",
            (error, delivery_id),
        )

    def entry_state(self, conn: Tx, entry_id: int) -> State:
        """An entry's state.

        Raises:
            NotFound: there is no such entry.
        """
        row = self.db.x(conn, "SELECT state FROM entries WHERE id = ?", (entry_id,)).fetchone()
        if row is None:
            raise NotFound(f"the calendar has no entry {entry_id}")
        return State(row["state"])

    def entry_ids(self, conn: Tx, states: Iterable[State]) -> set[int]:
        """The ids of the entries in one of ``states``."""
        wanted = [s.value for s in states]
        rows = self.db.x(
            conn, f"SELECT id FROM entries WHERE state IN ({','.join('?' * len(wanted))})", wanted
        )
        return {int(r["id"]) for r in rows}

    def due_entry_ids(self, conn: Tx, target: str, now: float) -> list[int]:
        """The entries with a pending delivery to ``target`` due by ``now``."""
        rows = self.db.x(
            conn,
            "SELECT entry_id FROM deliveries WHERE target = ? AND state = 'pending' AND due <= ?",
            (target, now),
        )
        return [int(r["entry_id"]) for r in rows]

    def set_due(self, conn: Tx, entry_id: int, due: float) -> None:
        """Make an entry's pending deliveries due at ``due``."""
        self.db.x(
            conn,
            "UPDATE deliveries SET due = ? WHERE entry_id = ? AND state = 'pending'",
            (due, entry_id),
        )

    def set_slot(self, conn: Tx, entry_id: int, slot_id: int | None) -> None:
        """Note the slot an entry was queued in."""
        self.db.x(conn, "UPDATE entries SET slot_id = ? WHERE id = ?", (slot_id, entry_id))

    # -- workers and status ------------------------------------------------------------------

    def beat(
        self,
        conn: Tx,
        owner: str,
        wall: float,
        *,
        host: str = "",
        pid: int = 0,
        tick: bool = False,
        report: str | None = None,
    ) -> None:
        """Record that worker ``owner`` is alive (on the store's clock); with ``tick``, that
        it finished a dispatch round (``report`` says what it did)."""
        clock, params = self._clock(wall)
        self.db.x(
            conn,
            "INSERT INTO workers (owner, host, pid, started_at, heartbeat_at) "
            f"VALUES (?, ?, ?, {clock}, {clock}) ON CONFLICT (owner) DO UPDATE SET "
            "heartbeat_at = excluded.heartbeat_at, stopped_at = NULL",
            (owner, host, pid, *params, *params),
        )
        if tick:
            self.db.x(
                conn,
                f"UPDATE workers SET last_tick_at = {clock}, ticks = ticks + 1, "
                "last_report = COALESCE(?, last_report) WHERE owner = ?",
                (*params, report, owner),
            )

    def stopped(self, conn: Tx, owner: str, wall: float) -> None:
        """Record that worker ``owner`` stopped on purpose."""
        clock, params = self._clock(wall)
        self.db.x(
            conn, f"UPDATE workers SET stopped_at = {clock} WHERE owner = ?", (*params, owner)
        )

    def workers(self, conn: Tx, wall: float) -> list[Row]:
        """Every worker seen, with ``age``: seconds since its heartbeat, on the store's clock."""
        clock, params = self._clock(wall)
        rows = self.db.x(
            conn,
            f"SELECT *, {clock} - heartbeat_at AS age, {clock} AS clock FROM workers "
            "ORDER BY heartbeat_at DESC, owner",
            (*params, *params),
        )
        return [dict(r) for r in rows]

    def counts(self, conn: Tx, now: float, wall: float, overdue_before: float) -> dict[str, int]:
        """How many deliveries are due, overdue (due before ``overdue_before``), in flight
        (a live lease), held by an expired lease, uncertain, and failed."""
        clock, params = self._clock(wall)
        live = "e.state IN ('scheduled', 'publishing')"
        row = self.db.x(
            conn,
            "SELECT "
            f"SUM(CASE WHEN d.state = 'pending' AND {live} AND d.due <= ? THEN 1 ELSE 0 END) "
            "AS due, "
            f"SUM(CASE WHEN d.state = 'pending' AND {live} AND d.due < ? THEN 1 ELSE 0 END) "
            "AS overdue, "
            f"SUM(CASE WHEN d.state = 'publishing' AND d.lease_expires > {clock} "
            "THEN 1 ELSE 0 END) AS in_flight, "
            f"SUM(CASE WHEN d.state = 'publishing' AND d.lease_expires <= {clock} "
            "THEN 1 ELSE 0 END) AS expired_leases, "
            "SUM(CASE WHEN d.uncertain = 1 AND d.state IN ('pending', 'publishing') "
            "THEN 1 ELSE 0 END) AS uncertain, "
            "SUM(CASE WHEN d.state = 'failed' THEN 1 ELSE 0 END) AS failed "
            "FROM deliveries d JOIN entries e ON e.id = d.entry_id",
            (now, overdue_before, *params, *params),
        ).fetchone()
        return {k: int(v or 0) for k, v in dict(row).items()}

    def uncertain(self, conn: Tx) -> list[Row]:
        """Deliveries whose last attempt's outcome is unknown (to be reconciled, or failed
        that way): id, entry_id, target, state, attempts, error."""
        rows = self.db.x(
            conn,
            "SELECT id, entry_id, target, state, attempts, error FROM deliveries "
            "WHERE (uncertain = 1 AND state IN ('pending', 'publishing')) OR "
            "(state = 'failed' AND error LIKE '%outcome is unknown%') ORDER BY id",
        )
        return [dict(r) for r in rows]
