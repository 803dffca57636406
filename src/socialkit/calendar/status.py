"""Is the dispatcher running? `CalendarStatus`: the workers and what is due, overdue, uncertain.

Every `Calendar.run_due` records a heartbeat of its worker (``Calendar.owner``) when it
starts and a tick when it ends, on the store's clock; `Calendar.status` reads them back
with the counts of the ledger. ``python -m socialkit calendar status`` prints it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import attrs

from .._records import Record
from .._status import liveness, worker_line
from ._time import from_epoch

__all__ = ["CalendarStatus", "UncertainDelivery", "WorkerStatus", "worker_status"]


@attrs.frozen
class WorkerStatus(Record):
    """One worker that dispatched from the calendar.

    Attributes:
        owner: Its id in leases (host, pid and a random suffix by default).
        host: The machine it ran on.
        pid: Its process id there.
        started_at: Its first heartbeat.
        heartbeat_at: Its latest heartbeat.
        last_tick_at: When it last finished a dispatch round (``None``: never yet).
        ticks: How many rounds it finished.
        last_report: What its last round did (`DispatchReport` as text).
        alive: Whether its heartbeat is recent (within ``stale_after``) and it did not stop.
        stopped: Whether it stopped on purpose (its calendar was closed).
    """

    owner: str
    host: str
    pid: int
    started_at: datetime
    heartbeat_at: datetime
    last_tick_at: datetime | None
    ticks: int
    last_report: str
    alive: bool
    stopped: bool


@attrs.frozen
class UncertainDelivery(Record):
    """A delivery whose last attempt's outcome is unknown: it is reconciled before any new
    attempt (``state`` pending or publishing), or it failed that way (check the account)."""

    entry_id: int
    target: str
    state: str
    attempts: int
    error: str | None


@attrs.frozen
class CalendarStatus(Record):
    """The calendar's workers and its ledger at a glance.

    Attributes:
        workers: Every worker seen, the most recent heartbeat first.
        due: Deliveries due now and not yet claimed.
        overdue: Of those, the ones due for longer than the policy's ``grace``.
        in_flight: Deliveries a worker holds under a live lease.
        expired_leases: Deliveries whose worker's lease expired (it died or hangs): the
            next round reconciles them.
        uncertain: Deliveries whose last outcome is unknown.
        failed: Deliveries that failed for good.
        paused: Why the calendar is paused, or ``None``.
        stale_after: How old a heartbeat may be for its worker to count as alive.
    """

    workers: tuple[WorkerStatus, ...]
    due: int
    overdue: int
    in_flight: int
    expired_leases: int
    uncertain: tuple[UncertainDelivery, ...]
    failed: int
    paused: str | None
    stale_after: timedelta

    @property
    def alive(self) -> tuple[WorkerStatus, ...]:
        """The workers whose heartbeat is recent."""
        return tuple(w for w in self.workers if w.alive)

    @property
    def running(self) -> bool:
        """Whether at least one worker is alive: "is the dispatcher running?"."""
        return bool(self.alive)

    def __str__(self) -> str:
        lines = [
            liveness("dispatcher", len(self.alive), len(self.workers), "workers", self.stale_after)
        ]
        if self.paused is not None:
            lines.append(f"paused: {self.paused}")
        lines.append(
            f"due: {self.due}  overdue: {self.overdue}  in flight: {self.in_flight}  "
            f"expired leases: {self.expired_leases}  uncertain: {len(self.uncertain)}  "
            f"failed: {self.failed}"
        )
        for w in self.workers:
            state = "alive" if w.alive else ("stopped" if w.stopped else "silent")
            lines.append(
                worker_line(
                    w.owner, state, w.heartbeat_at, w.last_tick_at, w.ticks, w.last_report
                )
            )
        for u in self.uncertain:
            lines.append(
                f"  uncertain: entry #{u.entry_id} -> {u.target} ({u.state}, "
                f"{u.attempts} attempts){': ' + u.error if u.error else ''}"
            )
        return "\n".join(lines)


def worker_status(row: Mapping[str, Any], stale_after: timedelta) -> WorkerStatus:
    """A `WorkerStatus` from a row of the store's ``workers`` (with its ``age``)."""
    stopped = row["stopped_at"] is not None
    age = float(row["age"])
    last_tick = row["last_tick_at"]
    return WorkerStatus(
        owner=str(row["owner"]),
        host=str(row["host"]),
        pid=int(row["pid"]),
        started_at=from_epoch(float(row["started_at"])),
        heartbeat_at=from_epoch(float(row["heartbeat_at"])),
        last_tick_at=None if last_tick is None else from_epoch(float(last_tick)),
        ticks=int(row["ticks"]),
        last_report=str(row["last_report"]),
        alive=not stopped and age <= stale_after.total_seconds(),
        stopped=stopped,
    )
