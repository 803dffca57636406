"""`InboxStore`: the inbox's SQLite file — items, their history, refresh cursors, the send ledger.

One file (or ``":memory:"``) holds everything the reply workflow must not
forget across restarts: items and their stage, every transition (who, when),
the cursors that make syncs incremental, and the send ledger (each reply's
idempotency key is stored before its request; a lease says who is sending).
Several processes may share a file: writes take SQLite's write lock
(``BEGIN IMMEDIATE``) and the journal is WAL.

It implements `socialkit.privacy.DataStore`: `delete_older_than` and
`erase_subject` delete for real, with ``PRAGMA secure_delete`` on, and leave
a watermark (retention) or a digest of the erased keys (erasure) so that a
later refresh does not bring the deleted messages back.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from os import PathLike
from types import TracebackType
from typing import Any, Final, Self

import attrs

from .. import _sqlite
from .._records import Record
from ..models import Account, Comment, Draft, Mention
from .items import TRANSITIONS, InboxItem, InvalidTransition, Priority, Stage

__all__ = ["Event", "InboxStore"]

_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS items (
    key TEXT PRIMARY KEY,
    platform TEXT NOT NULL,
    account TEXT NOT NULL,
    sources TEXT NOT NULL,
    kind TEXT NOT NULL,
    target TEXT NOT NULL,
    text TEXT NOT NULL,
    author_id TEXT,
    created_at TEXT,
    url TEXT,
    post_id TEXT,
    language TEXT NOT NULL,
    sentiment REAL NOT NULL,
    status TEXT NOT NULL,
    priority TEXT NOT NULL DEFAULT 'normal',
    labels TEXT NOT NULL DEFAULT '[]',
    assignee TEXT,
    draft TEXT,
    drafted_by TEXT,
    approved_by TEXT,
    reply_id TEXT,
    replied_at TEXT,
    send_state TEXT,
    lease_owner TEXT,
    lease_until TEXT,
    error TEXT,
    fetched_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS items_status ON items (status, priority);
CREATE INDEX IF NOT EXISTS items_author ON items (platform, author_id);
CREATE INDEX IF NOT EXISTS items_reply ON items (platform, reply_id);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL,
    at TEXT NOT NULL,
    before TEXT,
    after TEXT NOT NULL,
    by TEXT,
    note TEXT
);
CREATE INDEX IF NOT EXISTS events_key ON events (key);
CREATE TABLE IF NOT EXISTS cursors (
    scope TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (scope, name)
);
CREATE TABLE IF NOT EXISTS tombstones (digest TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""



def _v1_initial(conn: sqlite3.Connection) -> None:
    """Items, their history, refresh cursors, erasure tombstones, settings."""
    _sqlite.run_script(conn, _SCHEMA)


_MIGRATIONS: Final = (_v1_initial,)
"""Every migration, oldest first; ``PRAGMA user_version`` is how many have been applied.
To change the schema, append one; never edit one that has shipped."""


def _unversioned(conn: sqlite3.Connection) -> int | None:
    """An inbox file from before versioning (every table is one of ours): run v1 on it,
    which adds what is missing. ``None`` for another program's file."""
    ours = _sqlite.shape_of(_SCHEMA)
    found = _sqlite.shape(conn)
    return 0 if all(ours.get(table) == columns for table, columns in found.items()) else None


_UPDATABLE: Final = frozenset(
    {
        "priority",
        "labels",
        "assignee",
        "draft",
        "drafted_by",
        "approved_by",
        "reply_id",
        "replied_at",
        "send_state",
        "lease_owner",
        "lease_until",
        "error",
    }
)


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _dump_target(target: Comment | Mention) -> str:
    kind = "mention" if isinstance(target, Mention) else "comment"
    return json.dumps({"type": kind, "data": target.model_dump(mode="json", context={"raw": True})})


def _load_target(text: str) -> Comment | Mention:
    data = json.loads(text)
    model = Mention if data["type"] == "mention" else Comment
    return model.model_validate(data["data"])


def _column(name: str, value: Any) -> Any:
    """A Python value as the ``items`` column ``name`` stores it."""
    if value is None:
        return None
    if name == "labels":
        return json.dumps(list(value))
    if name == "draft":
        return value.model_dump_json() if isinstance(value, Draft) else value
    if isinstance(value, datetime):
        return _iso(value)
    return value


@attrs.frozen
class Event(Record):
    """One step of an item's history."""

    key: str
    at: datetime
    before: Stage | None
    after: Stage
    by: str | None
    note: str | None


class InboxStore:
    """The inbox's SQLite store (``":memory:"`` by default).

    Args:
        path: The database file; created with its tables when missing.
        name: The store's name in retention and erasure reports.
    """

    def __init__(self, path: str | PathLike[str] = ":memory:", *, name: str = "inbox") -> None:
        self.name = name
        self.path = os.fspath(path)
        self._lock = threading.RLock()
        self._conn = _sqlite.connect(
            path, "inbox", isolation_level=None, check_same_thread=False
        )
        self._conn.row_factory = sqlite3.Row
        try:
            with self._guard():
                self._conn.execute("PRAGMA busy_timeout = 10000")
                self._conn.execute("PRAGMA secure_delete = ON")
                if self.path != ":memory:":
                    self._conn.execute("PRAGMA journal_mode = WAL")
                _sqlite.migrate(
                    self._conn,
                    path=self.path,
                    what="inbox",
                    migrations=_MIGRATIONS,
                    unversioned=_unversioned,
                )
        except BaseException:
            self._conn.close()
            raise

    def __repr__(self) -> str:
        return f"InboxStore(name={self.name!r})"

    def _guard(self) -> contextlib.AbstractContextManager[None]:
        """SQLite's complaints about the file, as `StoreError` naming it."""
        return _sqlite.guard(self.path, "inbox")

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock, self._guard():
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:  # SQLite may have rolled back already
                    with contextlib.suppress(sqlite3.Error):
                        self._conn.execute("ROLLBACK")
                raise

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._lock, self._guard():
            yield self._conn

    # -- items -----------------------------------------------------------------------------

    def add(
        self,
        items: Iterable[InboxItem],
        cursors: Mapping[tuple[str, str], str] | None = None,
    ) -> tuple[list[InboxItem], int]:
        """Store new items and move cursors, in one transaction.

        An item already stored only gains the new source (a reply seen as a comment
        and as a mention is one item). Erased items and items older than the
        retention watermark are skipped.

        Returns:
            The items that were new, and how many were duplicates.
        """
        new: list[InboxItem] = []
        duplicates = 0
        with self._write() as conn:
            watermark = _time(self._meta(conn, "retention_cutoff"))
            for item in items:
                if self._skipped(conn, item, watermark):
                    continue
                row = conn.execute(
                    "SELECT sources FROM items WHERE key = ?", (item.key,)
                ).fetchone()
                if row is not None:
                    duplicates += 1
                    sources = sorted(set(json.loads(row["sources"])) | item.sources)
                    conn.execute(
                        "UPDATE items SET sources = ?, post_id = coalesce(post_id, ?)"
                        " WHERE key = ?",
                        (json.dumps(sources), item.thread_root_id, item.key),
                    )
                    continue
                self._insert(conn, item)
                new.append(item)
            for (scope, name), value in (cursors or {}).items():
                self._set_cursor(conn, scope, name, value)
        return [self.get(item.key) for item in new], duplicates

    def _skipped(
        self, conn: sqlite3.Connection, item: InboxItem, watermark: datetime | None
    ) -> bool:
        if watermark is not None and (item.created_at or item.fetched_at) < watermark:
            return True
        found = conn.execute(
            "SELECT 1 FROM tombstones WHERE digest = ?", (_digest(item.key),)
        ).fetchone()
        return found is not None

    def _insert(self, conn: sqlite3.Connection, item: InboxItem) -> None:
        values = {
            "key": item.key,
            "platform": item.platform,
            "account": item.account,
            "sources": json.dumps(sorted(item.sources)),
            "kind": item.kind,
            "target": _dump_target(item.target),
            "text": item.text,
            "author_id": item.author.id if item.author else None,
            "created_at": _column("created_at", item.created_at),
            "url": item.url,
            "post_id": item.thread_root_id,
            "language": item.language,
            "sentiment": item.sentiment,
            "status": str(item.stage),
            "priority": item.priority,
            "labels": _column("labels", item.labels),
            "assignee": item.assignee,
            "fetched_at": _iso(item.fetched_at),
            "updated_at": _iso(item.updated_at),
        }
        names = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        conn.execute(f"INSERT INTO items ({names}) VALUES ({marks})", tuple(values.values()))
        self._event(conn, item.key, item.updated_at, None, item.stage, None, "synced")

    def get(self, key: str) -> InboxItem:
        """The item ``key``; `KeyError` when there is none."""
        with self._read() as conn:
            row = conn.execute("SELECT * FROM items WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(f"no inbox item {key!r}")
        return _item(row)

    def items(
        self,
        stage: Stage | str | Iterable[Stage | str] | None = None,
        *,
        account: str | None = None,
        label: str | None = None,
    ) -> list[InboxItem]:
        """Items, most urgent first, then oldest first; filtered by stage, account, label."""
        clauses: list[str] = []
        args: list[str] = []
        if stage is not None:
            wanted = [stage] if isinstance(stage, str) else list(stage)
            clauses.append(f"status IN ({', '.join('?' for _ in wanted)})")
            args.extend(str(Stage(s)) for s in wanted)
        if account is not None:
            clauses.append("account = ?")
            args.append(account)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        order = (
            "CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END,"
            " coalesce(created_at, fetched_at), key"
        )
        with self._read() as conn:
            rows = conn.execute(f"SELECT * FROM items {where} ORDER BY {order}", args)
            found = [_item(row) for row in rows]
        return [i for i in found if label is None or label in i.labels]

    def transition(
        self,
        key: str,
        to: Stage | Sequence[Stage],
        *,
        by: str | None = None,
        note: str | None = None,
        expect: Iterable[Stage] | None = None,
        now: datetime,
        **fields: Any,
    ) -> InboxItem:
        """Move ``key`` to stage ``to`` (checked against `TRANSITIONS`) and set ``fields``.

        ``to`` may be a path (``[TRIAGED, DRAFTED, APPROVED]``): every step is checked
        and recorded, and the whole path commits at once or not at all, so a crash
        never leaves an item half-way. ``expect`` narrows the statuses the move may
        start from. A reply being sent (``send_state == "sending"``) cannot be
        re-drafted or escalated.
        """
        unknown = set(fields) - _UPDATABLE
        if unknown:
            raise TypeError(f"cannot set {sorted(unknown)}")
        path = [to] if isinstance(to, Stage) else list(to)
        starts = None if expect is None else tuple(expect)
        with self._write() as conn:
            row = conn.execute(
                "SELECT status, send_state FROM items WHERE key = ?", (key,)
            ).fetchone()
            if row is None:
                raise KeyError(f"no inbox item {key!r}")
            current = Stage(row["status"])
            if starts is not None and current not in starts:
                raise InvalidTransition(key, current, path[-1], f"expected {_names(starts)}")
            sending = row["send_state"] == "sending"
            for step in path:
                if step not in TRANSITIONS[current]:
                    raise InvalidTransition(key, current, step)
                if current is Stage.APPROVED and step is not Stage.REPLIED and sending:
                    raise InvalidTransition(
                        key, current, step, "its reply may already be on its way; send() first"
                    )
                self._event(conn, key, now, current, step, by, note)
                current = step
            self._set(conn, key, {**fields, "status": str(current)}, now)
        return self.get(key)

    def update(self, key: str, *, now: datetime, **fields: Any) -> InboxItem:
        """Set ``fields`` (labels, priority, assignee, ...) without changing the stage."""
        unknown = set(fields) - _UPDATABLE
        if unknown:
            raise TypeError(f"cannot set {sorted(unknown)}")
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM items WHERE key = ?", (key,)).fetchone() is None:
                raise KeyError(f"no inbox item {key!r}")
            self._set(conn, key, fields, now)
        return self.get(key)

    def _set(
        self, conn: sqlite3.Connection, key: str, fields: Mapping[str, Any], now: datetime
    ) -> None:
        values = {name: _column(name, value) for name, value in fields.items()}
        values["updated_at"] = _iso(now)
        assignments = ", ".join(f"{name} = ?" for name in values)
        conn.execute(f"UPDATE items SET {assignments} WHERE key = ?", (*values.values(), key))

    def _event(
        self,
        conn: sqlite3.Connection,
        key: str,
        at: datetime,
        before: Stage | None,
        after: Stage,
        by: str | None,
        note: str | None,
    ) -> None:
        conn.execute(
            "INSERT INTO events (key, at, before, after, by, note) VALUES (?, ?, ?, ?, ?, ?)",
            (key, _iso(at), str(before) if before else None, str(after), by, note),
        )

    def history(self, key: str) -> list[Event]:
        """Every stage change of ``key``, oldest first."""
        with self._read() as conn:
            rows = conn.execute("SELECT * FROM events WHERE key = ? ORDER BY id", (key,))
            return [
                Event(
                    key=row["key"],
                    at=datetime.fromisoformat(row["at"]),
                    before=Stage(row["before"]) if row["before"] else None,
                    after=Stage(row["after"]),
                    by=row["by"],
                    note=row["note"],
                )
                for row in rows
            ]

    # -- the send ledger -------------------------------------------------------------------

    def claim(self, key: str, owner: str, until: datetime, now: datetime) -> InboxItem | None:
        """Take the lease on an approved item's send; ``None`` when someone else holds it."""
        with self._write() as conn:
            claimed = conn.execute(
                "UPDATE items SET lease_owner = ?, lease_until = ? WHERE key = ?"
                " AND status = 'approved'"
                " AND (lease_until IS NULL OR lease_until < ? OR lease_owner = ?)",
                (owner, _iso(until), key, _iso(now), owner),
            ).rowcount
        return self.get(key) if claimed else None

    def mark_sending(self, key: str, owner: str, now: datetime) -> None:
        """Record, before the request, that the reply is on its way (its key is stored)."""
        self._owned(key, owner, {"send_state": "sending", "error": None}, now)

    def release(self, key: str, owner: str, now: datetime, **fields: Any) -> None:
        """Give the lease back, setting ``fields`` (``error``, ``send_state``)."""
        self._owned(key, owner, {**fields, "lease_owner": None, "lease_until": None}, now)

    def _owned(self, key: str, owner: str, fields: Mapping[str, Any], now: datetime) -> None:
        with self._write() as conn:
            row = conn.execute("SELECT lease_owner FROM items WHERE key = ?", (key,)).fetchone()
            if row is None or row["lease_owner"] != owner:
                raise InvalidTransition(
                    key, Stage.APPROVED, Stage.APPROVED, "the send lease was lost"
                )
            self._set(conn, key, fields, now)

    def is_reply(self, platform: str, status_id: str) -> bool:
        """Whether ``status_id`` is a reply this store sent."""
        with self._read() as conn:
            row = conn.execute(
                "SELECT 1 FROM items WHERE platform = ? AND reply_id = ?", (platform, status_id)
            ).fetchone()
        return row is not None

    # -- cursors and settings --------------------------------------------------------------

    def cursor(self, scope: str, name: str) -> str | None:
        """A saved refresh cursor."""
        with self._read() as conn:
            row = conn.execute(
                "SELECT value FROM cursors WHERE scope = ? AND name = ?", (scope, name)
            ).fetchone()
        return None if row is None else str(row["value"])

    def cursors(self, scope: str, prefix: str = "") -> dict[str, str]:
        """Every cursor of ``scope`` whose name starts with ``prefix``."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT name, value FROM cursors WHERE scope = ? AND substr(name, 1, ?) = ?",
                (scope, len(prefix), prefix),
            )
            return {row["name"]: row["value"] for row in rows}

    def set_cursor(self, scope: str, name: str, value: str) -> None:
        """Save a refresh cursor."""
        with self._write() as conn:
            self._set_cursor(conn, scope, name, value)

    def _set_cursor(self, conn: sqlite3.Connection, scope: str, name: str, value: str) -> None:
        conn.execute(
            "INSERT INTO cursors VALUES (?, ?, ?)"
            " ON CONFLICT (scope, name) DO UPDATE SET value = excluded.value",
            (scope, name, value),
        )

    def _meta(self, conn: sqlite3.Connection, name: str) -> str | None:
        row = conn.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row["value"])

    # -- retention and erasure (socialkit.privacy.DataStore) -------------------------------

    def delete_older_than(self, cutoff: datetime) -> int:
        """Delete items created before ``cutoff`` and their history; return how many items.

        The cutoff is kept as a watermark: a later refresh skips anything older.
        """
        bound = _iso(cutoff)
        with self._write() as conn:
            old = "coalesce(created_at, fetched_at) < ?"
            conn.execute(
                f"DELETE FROM events WHERE key IN (SELECT key FROM items WHERE {old})", (bound,)
            )
            removed = conn.execute(f"DELETE FROM items WHERE {old}", (bound,)).rowcount
            previous = self._meta(conn, "retention_cutoff")
            if previous is None or previous < bound:
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('retention_cutoff', ?)", (bound,))
        return removed

    def erase_subject(self, platform: str, account_id: str) -> dict[str, int]:
        """Delete every item the account wrote, and its history; return counts per table.

        A digest of each erased key stays, so a later refresh does not fetch them again.
        """
        with self._write() as conn:
            keys = [
                row["key"]
                for row in conn.execute(
                    "SELECT key FROM items WHERE platform = ? AND author_id = ?",
                    (platform, account_id),
                )
            ]
            events = items = 0
            for key in keys:
                events += conn.execute("DELETE FROM events WHERE key = ?", (key,)).rowcount
                items += conn.execute("DELETE FROM items WHERE key = ?", (key,)).rowcount
                conn.execute("INSERT OR IGNORE INTO tombstones VALUES (?)", (_digest(key),))
        return {"items": items, "events": events}

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _names(statuses: Iterable[Stage]) -> str:
    return " or ".join(str(s) for s in statuses)


def _item(row: sqlite3.Row) -> InboxItem:
    target = _load_target(row["target"])
    author: Account | None = target.author
    priority: Priority = row["priority"]
    return InboxItem(
        key=row["key"],
        platform=row["platform"],
        account=row["account"],
        sources=frozenset(json.loads(row["sources"])),
        kind=row["kind"],
        target=target,
        text=row["text"],
        author=author,
        created_at=_time(row["created_at"]),
        url=row["url"],
        thread_root_id=row["post_id"],
        language=row["language"],
        sentiment=row["sentiment"],
        stage=Stage(row["status"]),
        fetched_at=datetime.fromisoformat(row["fetched_at"]),
        updated_at=datetime.fromisoformat(row["updated_at"]),
        priority=priority,
        labels=tuple(json.loads(row["labels"])),
        assignee=row["assignee"],
        draft=Draft.model_validate_json(row["draft"]) if row["draft"] else None,
        drafted_by=row["drafted_by"],
        approved_by=row["approved_by"],
        reply_id=row["reply_id"],
        replied_at=_time(row["replied_at"]),
        send_state=row["send_state"],
        error=row["error"],
    )
