"""Are the inbox's consumers running? `InboxStatus`: the consumers, the held accounts and
the send ledger at a glance.

A consumer (`socialkit.replies.engines.consume`, or your own loop) records a heartbeat in
the store when it takes or renews an account's lease (`InboxStore.hold_account`) and its
last tick when it lets go (`InboxStore.let_go_account` with ``tick=``), on the lease clock;
`InboxStore.status` (or `Inbox.status`) reads them back with the counts of the send ledger.
``python -m socialkit inbox status --store PATH_OR_URL`` prints it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import attrs

from .._records import Record
from .._status import liveness, stamp, worker_line

__all__ = ["ConsumerStatus", "InboxStatus", "UncertainReply", "consumer_status"]


@attrs.frozen
class ConsumerStatus(Record):
    """The consumer of one account: the one holding it now, else the last one that did.

    Attributes:
        account: The account's name.
        owner: The consumer's name in leases (``Inbox.owner``).
        host: The machine it ran on.
        pid: Its process id there.
        heartbeat_at: Its latest heartbeat (``None``: none recorded yet).
        last_tick_at: When a consumer of the account last finished a round (``None``: never).
        ticks: How many rounds the account's consumers finished.
        last_report: What the last round did (or why it failed).
        lease_until: When the lease ends (or ended).
        held: Whether the lease is live: no other consumer may take the account now.
        let_go: Whether the consumer gave the account back (``False`` with ``held``
            false: it died holding it, and its lease expired).
        alive: Whether the heartbeat is recent (within ``stale_after``).
    """

    account: str
    owner: str
    host: str
    pid: int
    heartbeat_at: datetime | None
    last_tick_at: datetime | None
    ticks: int
    last_report: str
    lease_until: datetime
    held: bool
    let_go: bool
    alive: bool

    @property
    def held_until(self) -> datetime | None:
        """When the lease ends, while it is held; else ``None``."""
        return self.lease_until if self.held else None

    @property
    def state(self) -> str:
        """``consuming`` (holding it), ``idle`` (let go), or ``expired`` (its consumer
        never let go and the lease ran out: it died or hung)."""
        return "consuming" if self.held else "idle" if self.let_go else "expired"


@attrs.frozen
class UncertainReply(Record):
    """An approved reply marked sending whose outcome is unknown (its sender died, or the
    platform's answer was lost): the next send reconciles it before any new attempt."""

    key: str
    account: str
    error: str | None


@attrs.frozen
class InboxStatus(Record):
    """The inbox's consumers and send ledger at a glance.

    Attributes:
        consumers: One per account a consumer ever held, the most recent heartbeat first.
        unsent: Approved replies not sent yet (no attempt yet).
        sending: Replies being sent now, under a live lease.
        uncertain: Replies marked sending with no live lease: their outcome is unknown.
        failed: Replies the platform refused (``send(retry_failed=True)`` tries again).
        stale_after: How old a heartbeat may be for its consumer to count as alive.
        now: The lease clock's time the status was read at.
    """

    consumers: tuple[ConsumerStatus, ...]
    unsent: int
    sending: int
    uncertain: tuple[UncertainReply, ...]
    failed: int
    stale_after: timedelta
    now: datetime

    @property
    def alive(self) -> tuple[ConsumerStatus, ...]:
        """The accounts whose consumer's heartbeat is recent."""
        return tuple(c for c in self.consumers if c.alive)

    @property
    def held(self) -> tuple[ConsumerStatus, ...]:
        """The accounts held by a consumer now."""
        return tuple(c for c in self.consumers if c.held)

    @property
    def running(self) -> bool:
        """Whether at least one consumer is alive: "are the inbox workers running?"."""
        return bool(self.alive)

    def __str__(self) -> str:
        lines = [
            liveness(
                "consumers", len(self.alive), len(self.consumers), "accounts", self.stale_after
            ),
            f"unsent: {self.unsent}  sending: {self.sending}  uncertain: {len(self.uncertain)}  "
            f"failed: {self.failed}",
        ]
        for c in self.consumers:
            state = "alive" if c.alive else "silent"
            lease = {
                "consuming": f"held until {stamp(c.lease_until)}",
                "idle": "let go",
                "expired": f"lease expired {stamp(c.lease_until)} (never let go)",
            }[c.state]
            report = f"{lease}; {c.last_report}" if c.last_report else lease
            name = f"{c.account} ({c.owner}@{c.host}:{c.pid})"
            lines.append(worker_line(name, state, c.heartbeat_at, c.last_tick_at, c.ticks, report))
        for u in self.uncertain:
            lines.append(f"  uncertain: {u.key} ({u.account}){': ' + u.error if u.error else ''}")
        return "\n".join(lines)


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def consumer_status(
    row: Mapping[str, Any], now: datetime, stale_after: timedelta
) -> ConsumerStatus:
    """A `ConsumerStatus` from a row of the store's ``consumers``, at ``now`` (lease clock)."""
    heartbeat = _time(row["heartbeat_at"])
    lease_until = datetime.fromisoformat(row["lease_until"])
    let_go = bool(row["released"])
    return ConsumerStatus(
        account=str(row["account"]),
        owner=str(row["owner"]),
        host=str(row["host"]),
        pid=int(row["pid"]),
        heartbeat_at=heartbeat,
        last_tick_at=_time(row["last_tick_at"]),
        ticks=int(row["ticks"]),
        last_report=str(row["last_report"]),
        lease_until=lease_until,
        held=not let_go and lease_until >= now,
        let_go=let_go,
        alive=heartbeat is not None and now - heartbeat <= stale_after,
    )
