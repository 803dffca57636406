"""`InboxStore`: the inbox's store — items, their history, refresh cursors, the send ledger.

One database holds everything the reply workflow must not forget across
restarts: items and their stage, every transition (who, when), the cursors that
make syncs incremental, and the send ledger (each reply's idempotency key is
stored before its request; a lease says who is sending). It lives in a SQLite
file (or ``":memory:"``, the default) or in a schema of a PostgreSQL database
(``postgresql://`` URL or the caller's psycopg connection, the ``postgres``
extra). Each query is written once and run through `socialkit._db`: writes are
serialised across processes and machines (SQLite's write lock, a PostgreSQL
advisory lock), and send leases are measured on the database's clock on
PostgreSQL, so workers whose clocks disagree still agree on when one expired.

It implements `socialkit.privacy.DataStore`: `delete_older_than` and
`erase_subject` delete for real (on SQLite with ``PRAGMA secure_delete`` on and the
write-ahead log truncated after each deletion; on PostgreSQL the old row versions
stay in the data files until ``VACUUM``) and leave a watermark (retention) or a
digest of the erased keys (erasure) so that a later refresh does not bring the
deleted messages back.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from os import PathLike
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Self

import attrs

from .. import _db, _sqlite
from .._db import iso as _iso
from .._records import Record
from ..models import Account, Comment, Draft, Mention
from .items import TRANSITIONS, InboxItem, InvalidTransition, Priority, Stage
from .status import InboxStatus, UncertainReply, consumer_status

if TYPE_CHECKING:
    import psycopg

__all__ = ["Event", "InboxStore"]

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_TABLES: Final = ("items", "events", "cursors", "tombstones", "meta", "consumers")

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


def _v2_consumers(conn: sqlite3.Connection) -> None:
    """Consumer leases: one worker at a time refreshes and sends for an account."""
    conn.execute(
        "CREATE TABLE consumers"
        " (account TEXT PRIMARY KEY, owner TEXT NOT NULL, lease_until TEXT NOT NULL)"
    )


_PG_V2: Final = """
CREATE TABLE {s}.consumers (
    account TEXT PRIMARY KEY, owner TEXT NOT NULL, lease_until TEXT COLLATE "C" NOT NULL
)
"""

_V3_WATCHED: Final = """
ALTER TABLE consumers ADD COLUMN host TEXT NOT NULL DEFAULT '';
ALTER TABLE consumers ADD COLUMN pid INTEGER NOT NULL DEFAULT 0;
ALTER TABLE consumers ADD COLUMN heartbeat_at TEXT;
ALTER TABLE consumers ADD COLUMN last_tick_at TEXT;
ALTER TABLE consumers ADD COLUMN ticks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE consumers ADD COLUMN last_report TEXT NOT NULL DEFAULT '';
ALTER TABLE consumers ADD COLUMN released INTEGER NOT NULL DEFAULT 0
"""
"""Consumers you can watch: who holds each account (host, pid), its heartbeat, its last
tick and what that did; a row stays when its consumer lets go (``released``)."""


def _v3_watched(conn: sqlite3.Connection) -> None:
    """Consumers you can watch: heartbeats, last ticks, rows kept after letting go."""
    for statement in _V3_WATCHED.split(";"):
        conn.execute(statement)


_PG_V3: Final = _V3_WATCHED.replace("ALTER TABLE consumers", "ALTER TABLE {s}.consumers").replace(
    "TEXT;", 'TEXT COLLATE "C";'
)

_MIGRATIONS: Final = (_v1_initial, _v2_consumers, _v3_watched)
"""Every SQLite migration, oldest first; ``PRAGMA user_version`` is how many have been
applied. To change the schema, append one (and its PostgreSQL twin); never edit one that
has shipped."""

# Text columns that are compared or sorted are byte-ordered ("C"), as SQLite's are.
_PG_V1: Final = """
CREATE TABLE {s}.items (
    key TEXT COLLATE "C" PRIMARY KEY,
    platform TEXT NOT NULL,
    account TEXT NOT NULL,
    sources TEXT NOT NULL,
    kind TEXT NOT NULL,
    target TEXT NOT NULL,
    text TEXT NOT NULL,
    author_id TEXT,
    created_at TEXT COLLATE "C",
    url TEXT,
    post_id TEXT,
    language TEXT NOT NULL,
    sentiment DOUBLE PRECISION NOT NULL,
    status TEXT NOT NULL,
    priority TEXT NOT NULL DEFAULT 'normal',
    labels TEXT NOT NULL DEFAULT '[]',
    assignee TEXT,
    draft TEXT,
    drafted_by TEXT,
    approved_by TEXT,
    reply_id TEXT,
    replied_at TEXT COLLATE "C",
    send_state TEXT,
    lease_owner TEXT,
    lease_until TEXT COLLATE "C",
    error TEXT,
    fetched_at TEXT COLLATE "C" NOT NULL,
    updated_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX items_status ON {s}.items (status, priority);
CREATE INDEX items_author ON {s}.items (platform, author_id);
CREATE INDEX items_reply ON {s}.items (platform, reply_id);
CREATE TABLE {s}.events (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    key TEXT NOT NULL,
    at TEXT COLLATE "C" NOT NULL,
    before TEXT,
    after TEXT NOT NULL,
    by TEXT,
    note TEXT
);
CREATE INDEX events_key ON {s}.events (key);
CREATE TABLE {s}.cursors (
    scope TEXT NOT NULL, name TEXT COLLATE "C" NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (scope, name)
);
CREATE TABLE {s}.tombstones (digest TEXT PRIMARY KEY);
CREATE TABLE {s}.meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)
"""

_PG_MIGRATIONS: Final = (_PG_V1, _PG_V2, _PG_V3)
"""Every PostgreSQL migration, oldest first (``{s}`` is the schema); the schema's
``schema_version`` table says how many have been applied. Append, never edit."""


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
    """The inbox's store: a SQLite file (``":memory:"`` by default) or PostgreSQL.

    Args:
        where: A SQLite file (created with its tables when missing), a ``postgresql://``
            URL, the caller's psycopg connection (the store's writes then join the
            caller's transaction and commit with it), or a `socialkit._db.Database`.
        name: The store's name in retention and erasure reports.
        schema: The PostgreSQL schema the tables live in (created when missing).

    Raises:
        StoreError: the database was written by a newer socialkit, or is not an inbox.
    """

    def __init__(
        self,
        where: str | PathLike[str] | _db.Database | psycopg.Connection[Any] = ":memory:",
        *,
        name: str = "inbox",
        schema: str = "socialkit_inbox",
    ) -> None:
        self.name = name
        self._db = _db.open_database(
            where,
            what="inbox",
            schema=schema,
            tables=_TABLES,
            sqlite_migrations=_MIGRATIONS,
            postgres_migrations=_PG_MIGRATIONS,
            unversioned=_unversioned,
        )
        self.path = self._db.path

    def __repr__(self) -> str:
        return f"InboxStore(name={self.name!r})"

    @property
    def database(self) -> _db.Database:
        """The database the store runs its queries on (SQLite or PostgreSQL)."""
        return self._db

    @property
    def _conn(self) -> Any:
        """The underlying connection (SQLite's, or psycopg's)."""
        return self._db._conn

    def _x(self, tx: _db.Tx, sql: str, params: Sequence[Any] = ()) -> _db.Cursor:
        return self._db.x(tx, sql, params)

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
        with self._db.write() as tx:
            watermark = _time(self._meta(tx, "retention_cutoff"))
            for item in items:
                if self._skipped(tx, item, watermark):
                    continue
                row = self._x(tx, "SELECT sources FROM items WHERE key = ?", (item.key,)).fetchone()
                if row is not None:
                    duplicates += 1
                    sources = sorted(set(json.loads(row["sources"])) | item.sources)
                    self._x(
                        tx,
                        "UPDATE items SET sources = ?, post_id = coalesce(post_id, ?)"
                        " WHERE key = ?",
                        (json.dumps(sources), item.thread_root_id, item.key),
                    )
                    continue
                self._insert(tx, item)
                new.append(item)
            for (scope, name), value in (cursors or {}).items():
                self._set_cursor(tx, scope, name, value)
            return [self.get(item.key) for item in new], duplicates

    def _skipped(self, tx: _db.Tx, item: InboxItem, watermark: datetime | None) -> bool:
        if watermark is not None and (item.created_at or item.fetched_at) < watermark:
            return True
        found = self._x(
            tx, "SELECT 1 AS found FROM tombstones WHERE digest = ?", (_digest(item.key),)
        ).fetchone()
        return found is not None

    def _insert(self, tx: _db.Tx, item: InboxItem) -> None:
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
        self._x(tx, f"INSERT INTO items ({names}) VALUES ({marks})", tuple(values.values()))
        self._event(tx, item.key, item.updated_at, None, item.stage, None, "synced")

    def get(self, key: str) -> InboxItem:
        """The item ``key``; `KeyError` when there is none."""
        with self._db.read() as tx:
            row = self._x(tx, "SELECT * FROM items WHERE key = ?", (key,)).fetchone()
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
        with self._db.read() as tx:
            rows = self._x(tx, f"SELECT * FROM items {where} ORDER BY {order}", args)
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
        with self._db.write() as tx:
            row = self._x(
                tx, "SELECT status, send_state FROM items WHERE key = ?", (key,)
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
                self._event(tx, key, now, current, step, by, note)
                current = step
            self._set(tx, key, {**fields, "status": str(current)}, now)
        return self.get(key)

    def update(self, key: str, *, now: datetime, **fields: Any) -> InboxItem:
        """Set ``fields`` (labels, priority, assignee, ...) without changing the stage."""
        unknown = set(fields) - _UPDATABLE
        if unknown:
            raise TypeError(f"cannot set {sorted(unknown)}")
        with self._db.write() as tx:
            if self._x(tx, "SELECT 1 AS found FROM items WHERE key = ?", (key,)).fetchone() is None:
                raise KeyError(f"no inbox item {key!r}")
            self._set(tx, key, fields, now)
        return self.get(key)

    def _set(self, tx: _db.Tx, key: str, fields: Mapping[str, Any], now: datetime) -> None:
        values = {name: _column(name, value) for name, value in fields.items()}
        values["updated_at"] = _iso(now)
        assignments = ", ".join(f"{name} = ?" for name in values)
        self._x(tx, f"UPDATE items SET {assignments} WHERE key = ?", (*values.values(), key))

    def _event(
        self,
        tx: _db.Tx,
        key: str,
        at: datetime,
        before: Stage | None,
        after: Stage,
        by: str | None,
        note: str | None,
    ) -> None:
        self._x(
            tx,
            "INSERT INTO events (key, at, before, after, by, note) VALUES (?, ?, ?, ?, ?, ?)",
            (key, _iso(at), str(before) if before else None, str(after), by, note),
        )

    def history(self, key: str) -> list[Event]:
        """Every stage change of ``key``, oldest first."""
        with self._db.read() as tx:
            rows = self._x(tx, "SELECT * FROM events WHERE key = ? ORDER BY id", (key,))
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
        """Take the lease on an approved item's send; ``None`` when someone else holds it.

        The lease lasts ``until - now``. On PostgreSQL it is measured on the database's
        clock (`socialkit._db.Database.clock`), not on ``now``: a worker whose clock is
        wrong cannot take a lease that is still live, nor hand out one already expired.
        """
        seconds = (until - now).total_seconds()
        expired, expired_args = self._db.clock(now)
        lease_end, lease_args = self._db.clock(now, plus=seconds)
        with self._db.write() as tx:
            claimed = self._x(
                tx,
                f"UPDATE items SET lease_owner = ?, lease_until = {lease_end} WHERE key = ?"
                " AND status = 'approved'"
                f" AND (lease_until IS NULL OR lease_until < {expired} OR lease_owner = ?)",
                (owner, *lease_args, key, *expired_args, owner),
            ).rowcount
            return self.get(key) if claimed else None

    def mark_sending(
        self, key: str, owner: str, now: datetime, until: datetime | None = None
    ) -> None:
        """Record, before the request, that the reply is on its way (its key is stored).

        With ``until`` the lease is renewed to last ``until - now`` from here (on the
        database's clock on PostgreSQL), so that the time spent since the claim (a
        reconciliation reading a long thread) does not shorten the request's lease.
        """
        self._owned(key, owner, {"send_state": "sending", "error": None}, now, until)

    def release(self, key: str, owner: str, now: datetime, **fields: Any) -> None:
        """Give the lease back, setting ``fields`` (``error``, ``send_state``)."""
        self._owned(key, owner, {**fields, "lease_owner": None, "lease_until": None}, now)

    def _owned(
        self,
        key: str,
        owner: str,
        fields: Mapping[str, Any],
        now: datetime,
        until: datetime | None = None,
    ) -> None:
        with self._db.write() as tx:
            row = self._x(tx, "SELECT lease_owner FROM items WHERE key = ?", (key,)).fetchone()
            if row is None or row["lease_owner"] != owner:
                raise InvalidTransition(
                    key, Stage.APPROVED, Stage.APPROVED, "the send lease was lost"
                )
            self._set(tx, key, fields, now)
            if until is not None:
                end, args = self._db.clock(now, plus=(until - now).total_seconds())
                self._x(tx, f"UPDATE items SET lease_until = {end} WHERE key = ?", (*args, key))

    # -- consumers: one worker per account ------------------------------------------------

    def hold_account(self, account: str, owner: str, until: datetime, now: datetime) -> bool:
        """Take (or renew) the lease that makes ``owner`` the one consumer of ``account``
        (its refreshes and sends) until ``until``; ``False`` while another holds it.

        As with `claim`, the lease lasts ``until - now``, measured on the database's clock
        on PostgreSQL. A consumer that dies keeps it until it expires. Taking or renewing
        the lease is the consumer's heartbeat (with its host and process id, for
        `status`): a consumer working longer than ``stale_after`` renews it meanwhile.
        """
        seconds = (until - now).total_seconds()
        expired, expired_args = self._db.clock(now)
        lease_end, lease_args = self._db.clock(now, plus=seconds)
        beat, beat_args = self._db.clock(now)
        with self._db.write() as tx:
            return bool(
                self._x(
                    tx,
                    "INSERT INTO consumers"
                    " (account, owner, lease_until, host, pid, heartbeat_at, released)"
                    f" VALUES (?, ?, {lease_end}, ?, ?, {beat}, 0)"
                    " ON CONFLICT (account) DO UPDATE SET owner = excluded.owner,"
                    " lease_until = excluded.lease_until, host = excluded.host,"
                    " pid = excluded.pid, heartbeat_at = excluded.heartbeat_at, released = 0"
                    f" WHERE consumers.lease_until < {expired} OR consumers.released = 1"
                    " OR consumers.owner = excluded.owner",
                    (
                        account,
                        owner,
                        *lease_args,
                        socket.gethostname(),
                        os.getpid(),
                        *beat_args,
                        *expired_args,
                    ),
                ).rowcount
            )

    def let_go_account(
        self, account: str, owner: str, *, tick: str | None = None, now: datetime | None = None
    ) -> bool:
        """Give back ``owner``'s lease on ``account``; ``False`` when it held none.

        With ``tick`` (what the round did, one line) the round is recorded as the
        account's last tick, for `status`. The account's row stays, let go: any consumer
        may take it at once.
        """
        moment, args = self._db.clock(now or datetime.now(UTC))
        done = ""
        report: tuple[str, ...] = ()
        if tick is not None:
            done = f", last_tick_at = {moment}, ticks = ticks + 1, last_report = ?"
            report = (*args, tick.splitlines()[0][:200] if tick else "")
        with self._db.write() as tx:
            return bool(
                self._x(
                    tx,
                    f"UPDATE consumers SET released = 1, lease_until = {moment},"
                    f" heartbeat_at = {moment}{done}"
                    " WHERE account = ? AND owner = ? AND released = 0",
                    (*args, *args, *report, account, owner),
                ).rowcount
            )

    def status(
        self, *, stale_after: timedelta = timedelta(minutes=2), now: datetime | None = None
    ) -> InboxStatus:
        """Which accounts' consumers are alive (a heartbeat within ``stale_after``, on the
        lease clock: the database's on PostgreSQL, ``now`` on SQLite), which accounts are
        held and until when, and how many approved replies wait, are being sent, are
        uncertain (their outcome unknown: reconciled at the next send) or failed."""
        clock, args = self._db.clock(now or datetime.now(UTC))
        with self._db.read() as tx:
            moment = datetime.fromisoformat(
                self._x(tx, f"SELECT {clock} AS now", args).fetchone()["now"]
            )
            rows = self._x(tx, "SELECT * FROM consumers ORDER BY account").fetchall()
            counts = self._x(
                tx,
                "SELECT send_state, live, COUNT(*) AS n FROM (SELECT send_state,"
                " CASE WHEN lease_until >= ? THEN 1 ELSE 0 END AS live"
                " FROM items WHERE status = 'approved') AS approved GROUP BY send_state, live",
                (_iso(moment),),
            ).fetchall()
            uncertain = self._x(
                tx,
                "SELECT key, account, error FROM items WHERE status = 'approved'"
                " AND send_state = 'sending' AND (lease_until IS NULL OR lease_until < ?)"
                " ORDER BY key",
                (_iso(moment),),
            ).fetchall()
        tally = {"unsent": 0, "sending": 0, "failed": 0}
        for row in counts:
            state = row["send_state"]
            if state == "failed":
                tally["failed"] += int(row["n"])
            elif state == "sending" and int(row["live"]):
                tally["sending"] += int(row["n"])
            elif state != "sending":
                tally["unsent"] += int(row["n"])
        return InboxStatus(
            consumers=tuple(
                sorted(
                    (consumer_status(row, moment, stale_after) for row in rows),
                    key=lambda c: c.heartbeat_at or _EPOCH,
                    reverse=True,
                )
            ),
            unsent=tally["unsent"],
            sending=tally["sending"],
            uncertain=tuple(
                UncertainReply(row["key"], row["account"], row["error"]) for row in uncertain
            ),
            failed=tally["failed"],
            stale_after=stale_after,
            now=moment,
        )

    def is_reply(self, platform: str, status_id: str) -> bool:
        """Whether ``status_id`` is a reply this store sent."""
        with self._db.read() as tx:
            row = self._x(
                tx,
                "SELECT 1 AS found FROM items WHERE platform = ? AND reply_id = ?",
                (platform, status_id),
            ).fetchone()
        return row is not None

    # -- cursors and settings --------------------------------------------------------------

    def cursor(self, scope: str, name: str) -> str | None:
        """A saved refresh cursor."""
        with self._db.read() as tx:
            row = self._x(
                tx, "SELECT value FROM cursors WHERE scope = ? AND name = ?", (scope, name)
            ).fetchone()
        return None if row is None else str(row["value"])

    def cursors(self, scope: str, prefix: str = "") -> dict[str, str]:
        """Every cursor of ``scope`` whose name starts with ``prefix``."""
        with self._db.read() as tx:
            rows = self._x(
                tx,
                "SELECT name, value FROM cursors WHERE scope = ? AND substr(name, 1, ?) = ?",
                (scope, len(prefix), prefix),
            )
            return {row["name"]: row["value"] for row in rows}

    def set_cursor(self, scope: str, name: str, value: str) -> None:
        """Save a refresh cursor."""
        with self._db.write() as tx:
            self._set_cursor(tx, scope, name, value)

    def _set_cursor(self, tx: _db.Tx, scope: str, name: str, value: str) -> None:
        self._x(
            tx,
            "INSERT INTO cursors (scope, name, value) VALUES (?, ?, ?)"
            " ON CONFLICT (scope, name) DO UPDATE SET value = excluded.value",
            (scope, name, value),
        )

    def _meta(self, tx: _db.Tx, name: str) -> str | None:
        row = self._x(tx, "SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row["value"])

    # -- retention and erasure (socialkit.privacy.DataStore) -------------------------------

    def delete_older_than(self, cutoff: datetime) -> int:
        """Delete items created before ``cutoff`` and their history; return how many items.

        The cutoff is kept as a watermark: a later refresh skips anything older.
        """
        bound = _iso(cutoff)
        with self._db.write() as tx:
            old = "coalesce(created_at, fetched_at) < ?"
            self._x(
                tx, f"DELETE FROM events WHERE key IN (SELECT key FROM items WHERE {old})", (bound,)
            )
            removed = self._x(tx, f"DELETE FROM items WHERE {old}", (bound,)).rowcount
            previous = self._meta(tx, "retention_cutoff")
            if previous is None or previous < bound:
                self._x(
                    tx,
                    "INSERT INTO meta (name, value) VALUES ('retention_cutoff', ?)"
                    " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                    (bound,),
                )
        self._deleted()
        return removed

    def erase_subject(self, platform: str, account_id: str) -> dict[str, int]:
        """Delete every item the account wrote, and its history; return counts per table.

        A digest of each erased key stays, so a later refresh does not fetch them again.
        """
        with self._db.write() as tx:
            keys = [
                row["key"]
                for row in self._x(
                    tx,
                    "SELECT key FROM items WHERE platform = ? AND author_id = ?",
                    (platform, account_id),
                ).fetchall()
            ]
            events = items = 0
            for key in keys:
                events += self._x(tx, "DELETE FROM events WHERE key = ?", (key,)).rowcount
                items += self._x(tx, "DELETE FROM items WHERE key = ?", (key,)).rowcount
                self._x(
                    tx,
                    "INSERT INTO tombstones (digest) VALUES (?) ON CONFLICT (digest) DO NOTHING",
                    (_digest(key),),
                )
        self._deleted()
        return {"items": items, "events": events}

    def _deleted(self) -> None:
        """On SQLite, empty the write-ahead log into the file (where ``secure_delete``
        overwrote the deleted rows), so they do not linger in the ``-wal`` file."""
        if isinstance(self._db, _db.SQLite):
            self._db.checkpoint()

    def close(self) -> None:
        """Close the database (a caller's own connection is left open)."""
        self._db.close()

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


def _item(row: Any) -> InboxItem:
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
