"""`Calendar`: the content calendar on one SQLite file.

```python
cal = Calendar("brand.db", tz="Europe/Berlin", approvals_required=1)
entry = cal.add("Spring sale starts now", ["brand", "sandbox://"],
                at=datetime(2025, 3, 31, 9), tz="Europe/Berlin")
cal.approve(entry.id, by="maria")                  # approved, then scheduled
cal.add_slot("FREQ=WEEKLY;BYDAY=TU,TH;BYHOUR=12;BYMINUTE=0", tz="Europe/Berlin")
cal.queue("Tip of the week: ...", ["brand"])       # the next free slot
report = cal.run_due({"brand": client})            # exactly once, across crashes
```
"""

from __future__ import annotations

import heapq
import os
import socket
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Self

import attrs

from .._records import Record
from ..client import AsyncClient, Client
from ..errors import ConfigError, NotFound
from ..events.types import Event
from ..models import DraftLike, Post
from ..utm import UTM
from ._sql import SQLLedger
from ._time import aware, from_epoch, now_utc, zone, zone_name
from .dispatch import (
    Dispatcher,
    apply_post_event,
    check_reviews_async,
    check_reviews_sync,
    off_loop,
    resume,
    run_async,
    run_sync,
    settle,
    wall_clock,
)
from .entries import (
    DeliveryState,
    Entry,
    State,
    as_draft,
    check_target,
    check_targets,
    check_transition,
    platform_of,
)
from .policy import Policy, default_owner
from .report import DispatchReport, Outcome
from .rules import Blackout, Planned, Rules, ScheduleConflict, Violation
from .slots import Slot
from .status import CalendarStatus, UncertainDelivery, worker_status
from .store import open_store
from .views import WeekView

if TYPE_CHECKING:
    from .suggest import SlotSuggestion

__all__ = ["Calendar", "Pause"]

QUEUE_HORIZON = timedelta(days=366)
_LIVE = (State.DRAFT, State.APPROVED, State.SCHEDULED, State.PUBLISHING)


@attrs.frozen
class Pause(Record):
    """Why and since when the calendar is paused, and until when (if set)."""

    reason: str
    since: datetime
    until: datetime | None = None


def _epoch(now: datetime | None) -> float:
    if now is None:
        return wall_clock()
    if now.tzinfo is None:
        raise ConfigError("now must be timezone-aware", field="now")
    return now.timestamp()


class Calendar:
    """A content calendar stored in a SQLite file (``":memory:"`` for a notebook), or in
    PostgreSQL when several machines share it.

    Args:
        path: The calendar file; created (and migrated) when needed. Several
            processes may share it. Or a ``postgresql://`` URL, or a store
            (`socialkit.calendar.postgres.PostgresStore` with the app's connection,
            a `Store`): the calendar then owns it and closes it.
        tz: The time zone entries are shown in, and naive times are read in when
            an entry gives no ``tz``.
        approvals_required: How many approvals a new entry needs by default (0:
            it is approved when added).
        rules: Posting rules to store in the file (they then apply to every
            process using it); without it, the file's rules are used.
        policy: How the dispatcher claims, retries and reconciles (per process).
        lease: Shortcut for ``policy.lease``.
        max_attempts: Shortcut for ``policy.max_attempts``.
        on_resume: Shortcut for ``policy.on_resume``.
        grace: Shortcut for ``policy.grace``.
        owner: This worker's id in leases; unique per process by default.
        utm: UTM tagging to store in the file (see `set_utm`); without it, the file's.
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | SQLLedger,
        *,
        tz: str = "UTC",
        approvals_required: int = 0,
        rules: Rules | None = None,
        policy: Policy | None = None,
        lease: timedelta | None = None,
        max_attempts: int | None = None,
        on_resume: Literal["publish", "skip"] | None = None,
        grace: timedelta | None = None,
        owner: str | None = None,
        utm: UTM | None = None,
    ) -> None:
        zone(tz)
        if approvals_required < 0:
            raise ConfigError("approvals_required cannot be negative", field="approvals_required")
        shortcuts: dict[str, Any] = {
            "lease": lease,
            "max_attempts": max_attempts,
            "on_resume": on_resume,
            "grace": grace,
        }
        self.tz = tz
        self.approvals_required = approvals_required
        self.policy = attrs.evolve(
            policy or Policy(), **{k: v for k, v in shortcuts.items() if v is not None}
        )
        self.owner = owner or default_owner()
        self._store = open_store(path)
        self._beating = False
        if rules is not None:
            self.set_rules(rules)
        if utm is not None:
            self.set_utm(utm)

    @classmethod
    def in_memory(cls, **options: Any) -> Calendar:
        """A calendar that lives only as long as the object (for notebooks and tests)."""
        return cls(":memory:", **options)

    def close(self) -> None:
        """Close the file (a worker that dispatched from it is recorded as stopped)."""
        try:
            if self._beating:
                with self._store.write() as conn:
                    self._store.stopped(conn, self.owner, wall_clock())
        except Exception:  # bookkeeping only: the status shows it silent instead of stopped
            pass
        finally:
            self._store.close()

    # -- workers -----------------------------------------------------------------------------

    def heartbeat(self, report: DispatchReport | None = None) -> None:
        """Record that this worker (``owner``) is alive; with the ``report`` of a dispatch
        round, that it finished one (its last tick). `run_due` does both by itself; a
        worker that waits long between rounds calls it to stay listed as alive."""
        self._beating = True
        with self._store.write() as conn:
            self._store.beat(
                conn,
                self.owner,
                wall_clock(),
                host=socket.gethostname(),
                pid=os.getpid(),
                tick=report is not None,
                report=None if report is None else str(report).splitlines()[0][:200],
            )

    def status(self, *, stale_after: timedelta = timedelta(minutes=2)) -> CalendarStatus:
        """Which workers are alive (a heartbeat within ``stale_after``, on the store's clock),
        and how many deliveries are due, overdue (later than ``policy.grace``), in flight,
        held by an expired lease, uncertain or failed."""
        wall = wall_clock()
        with self._store.read() as conn:
            rows = self._store.workers(conn, wall)
            counts = self._store.counts(conn, wall, wall, wall - self.policy.grace.total_seconds())
            uncertain = self._store.uncertain(conn)
            pause = self._store.setting(conn, "pause")
        return CalendarStatus(
            workers=tuple(worker_status(r, stale_after) for r in rows),
            due=counts["due"],
            overdue=counts["overdue"],
            in_flight=counts["in_flight"],
            expired_leases=counts["expired_leases"],
            uncertain=tuple(
                UncertainDelivery(
                    int(u["entry_id"]), u["target"], u["state"], int(u["attempts"]), u["error"]
                )
                for u in uncertain
            ),
            failed=counts["failed"],
            paused=None if pause is None else pause["reason"],
            stale_after=stale_after,
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Calendar({self._store.path!r}, tz={self.tz!r})"

    # -- targets and rules -------------------------------------------------------------------

    def register_target(self, name: str, platform: str) -> None:
        """Say which platform a profile-name target is on (for the daily caps).

        The dispatcher learns it by itself from the first client it gets.
        """
        with self._store.write() as conn:
            self._store.set_platform(conn, check_target(name), platform)

    @property
    def rules(self) -> Rules:
        """The posting rules stored in the file."""
        with self._store.read() as conn:
            return self._rules(conn)

    def set_rules(self, rules: Rules) -> None:
        """Replace the posting rules (for every process using the file)."""
        with self._store.write() as conn:
            self._store.set_setting(conn, "rules", rules.to_json())

    @property
    def utm(self) -> UTM | None:
        """The UTM tagging stored in the file (``None``: links are sent as written)."""
        with self._store.read() as conn:
            data = self._store.setting(conn, "utm")
        return UTM.from_json(data) if data is not None else None

    def set_utm(self, utm: UTM | None) -> None:
        """Tag the links of every delivery at dispatch time (for every process using the
        file); ``None`` turns it off.

        ``utm_source`` is the platform, ``utm_campaign`` the entry's campaign (else
        ``utm.campaign``), ``utm_content`` ``entry-<id>-<variant or platform>``. A draft's
        ``{"utm": False}`` option opts it out, ``{"utm": {...}}`` opts it in or overrides
        fields, ``{"keep_links": [...]}`` leaves links alone (see `socialkit.utm`).
        """
        with self._store.write() as conn:
            self._store.set_setting(conn, "utm", None if utm is None else utm.to_json())

    def add_blackout(
        self,
        start: datetime,
        end: datetime,
        reason: str = "",
        *,
        targets: Iterable[str] = (),
        tz: str | None = None,
    ) -> Blackout:
        """Add a window in which nothing (or nothing for ``targets``) goes out."""
        window = Blackout(
            aware(start, tz, what="start"), aware(end, tz, what="end"), reason, tuple(targets)
        )
        if window.end <= window.start:
            raise ConfigError("a blackout must end after it starts", field="end")
        with self._store.write():
            rules = self.rules
            self.set_rules(attrs.evolve(rules, blackouts=(*rules.blackouts, window)))
        return window

    # -- entries -----------------------------------------------------------------------------

    def add(
        self,
        draft: DraftLike,
        targets: str | Iterable[str],
        at: datetime | date | None = None,
        *,
        tz: str | None = None,
        variants: Mapping[str, DraftLike] | None = None,
        tags: Iterable[str] = (),
        campaign: str | None = None,
        approvals_required: int | None = None,
        force: bool = False,
        now: datetime | None = None,
    ) -> Entry:
        """Add an entry. It starts as a draft; when it needs no approval it is approved
        at once, and an approved entry with a time is scheduled.

        Args:
            draft: The text or `Draft` to publish.
            targets: Profile names or connection targets (never with credentials).
            at: When to publish: an aware datetime, or a naive one with ``tz``.
            tz: The entry's time zone (a naive ``at`` is read in it).
            variants: Drafts that replace ``draft`` on some platforms or targets
                (``{"x": "a shorter text"}``).
            tags: Labels for filtering.
            campaign: The campaign the entry belongs to.
            approvals_required: Overrides the calendar's default.
            force: Schedule even if the rules object (see `conflicts`).

        Raises:
            ConfigError: a naive ``at`` without ``tz``, an unknown zone, a target
                with a credential.
            ScheduleConflict: the entry would be scheduled but breaks a rule.
        """
        names = check_targets(targets)
        when, zone_key = self._when(at, tz)
        needed = self.approvals_required if approvals_required is None else approvals_required
        if needed < 0:
            raise ConfigError("approvals_required cannot be negative", field="approvals_required")
        entry = Entry(
            id=0,
            draft=as_draft(draft),
            targets=names,
            at=when,
            tz=zone_key,
            state=State.DRAFT,
            variants={k: as_draft(v) for k, v in (variants or {}).items()},
            tags=tuple(tags),
            campaign=campaign,
            approvals_required=needed,
        )
        stamp = _epoch(now)
        keys = {target: uuid.uuid4().hex for target in names}
        with self._store.write() as conn:
            entry_id = self._store.insert_entry(conn, entry, keys, stamp)
            self._store.log(conn, entry_id, "draft", stamp, "added")
            if needed == 0:
                self._move(conn, entry_id, State.APPROVED, stamp)
                if when is not None:
                    self._schedule(conn, entry_id, force=force, now=stamp)
        return self.get(entry_id)

    def _when(self, at: datetime | date | None, tz: str | None) -> tuple[datetime | None, str]:
        if at is None:
            return None, tz or self.tz
        when = aware(at, tz)
        return when, tz or zone_name(when.tzinfo) or self.tz

    def get(self, entry_id: int) -> Entry:
        """One entry; `NotFound` when there is none."""
        with self._store.read() as conn:
            entry = self._store.entry(conn, entry_id)
        if entry is None:
            raise NotFound(f"the calendar has no entry {entry_id}")
        return entry

    def entries(
        self,
        *,
        state: State | str | Iterable[State | str] | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        target: str | None = None,
        tag: str | None = None,
        campaign: str | None = None,
    ) -> list[Entry]:
        """Entries in time order (unplanned last), filtered."""
        states: list[State] | None = None
        if state is not None:
            items = [state] if isinstance(state, str) else list(state)
            states = [State(s) for s in items]
        with self._store.read() as conn:
            found = self._store.entries(
                conn,
                states=states,
                start=start.timestamp() if start else None,
                end=end.timestamp() if end else None,
            )
        return [
            e
            for e in found
            if (target is None or target in e.targets)
            and (tag is None or tag in e.tags)
            and (campaign is None or e.campaign == campaign)
        ]

    def history(self, entry_id: int) -> list[tuple[datetime, str, str]]:
        """The entry's audit trail: (when, what, detail), oldest first."""
        with self._store.read() as conn:
            return self._store.events(conn, entry_id)

    # -- the state machine -------------------------------------------------------------------

    def _state(self, conn: Any, entry_id: int) -> State:
        return self._store.entry_state(conn, entry_id)

    def _move(self, conn: Any, entry_id: int, wanted: State, now: float, note: str = "") -> None:
        check_transition(entry_id, self._state(conn, entry_id), wanted)
        self._store.set_state(conn, entry_id, wanted, now, note=note or None)

    def approve(self, entry_id: int, by: str, *, now: datetime | None = None) -> Entry:
        """Record ``by``'s approval. With enough approvals the entry is approved, and
        scheduled if it has a time (checked against the rules; on a conflict it stays
        approved and `ScheduleConflict` is raised after the approval is saved).
        """
        if not by.strip():
            raise ConfigError("an approval needs the approver's name", field="by")
        stamp = _epoch(now)
        conflict: ScheduleConflict | None = None
        with self._store.write() as conn:
            current = self._state(conn, entry_id)
            if current is not State.DRAFT:
                check_transition(entry_id, current, State.APPROVED)
            self._store.approve(conn, entry_id, by, stamp)
            entry = self._store.entry(conn, entry_id)
            assert entry is not None
            if entry.needs_approvals == 0:
                self._move(conn, entry_id, State.APPROVED, stamp)
                if entry.at is not None:
                    try:
                        self._schedule(conn, entry_id, force=False, now=stamp)
                    except ScheduleConflict as exc:
                        conflict = exc
        if conflict is not None:
            raise conflict
        return self.get(entry_id)

    def reject(self, entry_id: int, by: str, comment: str, *, now: datetime | None = None) -> Entry:
        """Send an entry back to draft (or keep it there) with a comment; approvals given
        so far are cleared."""
        if not comment.strip():
            raise ConfigError("a rejection needs a comment", field="comment")
        stamp = _epoch(now)
        with self._store.write() as conn:
            if self._state(conn, entry_id) is not State.DRAFT:
                self._move(conn, entry_id, State.DRAFT, stamp, note=f"rejected by {by}")
            self._store.reject(conn, entry_id, by, comment, stamp)
        return self.get(entry_id)

    def schedule(
        self,
        entry_id: int,
        at: datetime | None = None,
        *,
        tz: str | None = None,
        force: bool = False,
        now: datetime | None = None,
    ) -> Entry:
        """Schedule an approved entry (or move a scheduled one) to ``at``, or its own time.

        Raises:
            ScheduleConflict: the time breaks a rule (``force=True`` overrides).
            IllegalTransition: the entry is not approved or scheduled.
        """
        stamp = _epoch(now)
        with self._store.write() as conn:
            if at is not None:
                when, zone_key = self._when(at, tz)
                assert when is not None
                current = self._state(conn, entry_id)
                if current not in (State.APPROVED, State.SCHEDULED):
                    check_transition(entry_id, current, State.SCHEDULED)
                self._store.set_time(conn, entry_id, when.timestamp(), zone_key)
            self._schedule(conn, entry_id, force=force, now=stamp)
        return self.get(entry_id)

    def _schedule(self, conn: Any, entry_id: int, *, force: bool, now: float) -> None:
        entry = self._store.entry(conn, entry_id)
        if entry is None:
            raise NotFound(f"the calendar has no entry {entry_id}")
        if entry.at is None:
            raise ConfigError(f"entry {entry_id} has no time; pass at=", field="at")
        if entry.state is not State.SCHEDULED:
            check_transition(entry_id, entry.state, State.SCHEDULED)
        if not force:
            broken = self._check(conn, entry.id, entry.targets, entry.at)
            if broken:
                raise ScheduleConflict(broken)
        if entry.state is not State.SCHEDULED:
            self._store.set_state(conn, entry_id, State.SCHEDULED, now)
        else:
            self._store.log(conn, entry_id, "rescheduled", now, entry.at.isoformat())

    def unschedule(self, entry_id: int, *, now: datetime | None = None) -> Entry:
        """Take a scheduled entry off the schedule (back to approved)."""
        with self._store.write() as conn:
            self._move(conn, entry_id, State.APPROVED, _epoch(now))
        return self.get(entry_id)

    def cancel(self, entry_id: int, reason: str = "", *, now: datetime | None = None) -> Entry:
        """Cancel an entry that is not being published."""
        with self._store.write() as conn:
            self._move(conn, entry_id, State.CANCELLED, _epoch(now), note=reason)
            self._store.set_deliveries(
                conn,
                entry_id,
                DeliveryState.CANCELLED,
                where=(DeliveryState.PENDING,),
                error=reason or "cancelled",
            )
        return self.get(entry_id)

    def retry(self, entry_id: int, *, now: datetime | None = None) -> Entry:
        """Schedule a failed entry's failed deliveries again, now, with the same keys.

        A delivery that was tried before is reconciled first, so a post that did go
        out is found rather than made twice.
        """
        stamp = _epoch(now)
        with self._store.write() as conn:
            self._move(conn, entry_id, State.SCHEDULED, stamp, note="retry")
            self._store.set_deliveries(
                conn,
                entry_id,
                DeliveryState.PENDING,
                where=(DeliveryState.FAILED,),
                reset_attempts=True,
            )
            self._store.set_due(conn, entry_id, stamp)
        return self.get(entry_id)

    # -- rules -------------------------------------------------------------------------------

    def _platform(self, known: Mapping[str, str], target: str) -> str:
        return known.get(target) or platform_of(target) or target

    def _planned(
        self, conn: Any, around: datetime | None = None, span: timedelta = timedelta(0)
    ) -> list[Planned]:
        """Posts made, or planned by live entries, as the rules see them (within ``span``
        of ``around`` when given)."""
        known = self._store.platforms(conn)
        window = (
            ((around - span).timestamp(), (around + span).timestamp()) if around else (None, None)
        )
        return [
            Planned(
                row["entry_id"],
                row["target"],
                from_epoch(row["t"]),
                row["platform"] or self._platform(known, row["target"]),
            )
            for row in self._store.planned(conn, *window)
        ]

    def _rules(self, conn: Any) -> Rules:
        data = self._store.setting(conn, "rules")
        return Rules.from_json(data) if data is not None else Rules()

    def _check(
        self, conn: Any, entry_id: int | None, targets: Sequence[str], at: datetime
    ) -> list[Violation]:
        known = self._store.platforms(conn)
        rules = self._rules(conn)
        planned = self._planned(conn, at, rules.horizon)
        broken: list[Violation] = []
        for target in targets:
            item = Planned(entry_id, target, at, self._platform(known, target))
            broken += rules.check(item, planned)
        return broken

    def check(self, targets: str | Iterable[str], at: datetime) -> list[Violation]:
        """The rules a post to ``targets`` at ``at`` would break."""
        with self._store.read() as conn:
            return self._check(conn, None, check_targets(targets), aware(at, None))

    def conflicts(self) -> list[Violation]:
        """Every rule broken by a live entry (draft to publishing) with a time."""
        with self._store.read() as conn:
            planned = self._planned(conn)
            rules = self._rules(conn)
            live = self._store.entry_ids(conn, _LIVE)
        return [v for v in rules.conflicts(planned) if v.entry_id in live]

    # -- slots -------------------------------------------------------------------------------

    def add_slot(
        self,
        rrule: str,
        *,
        tz: str | None = None,
        targets: Iterable[str] = (),
        start: datetime | date | None = None,
        label: str = "",
    ) -> Slot:
        """Add a recurring slot (an RFC 5545 RRULE read in ``tz``, the calendar's by default).

        ``start`` (a naive local time, or a date) is the rule's DTSTART: it sets the
        first possible occurrence and any time of day the rule leaves out. It
        defaults to today at midnight in ``tz``.
        """
        zone_key = tz or self.tz
        if start is None:
            local = now_utc().astimezone(zone(zone_key))
            begin = datetime(local.year, local.month, local.day)
        elif isinstance(start, datetime):
            begin = start.astimezone(zone(zone_key)).replace(tzinfo=None) if start.tzinfo else start
        else:
            begin = datetime(start.year, start.month, start.day)
        slot = Slot(rrule, zone_key, begin, check_targets(targets) if targets else (), label)
        with self._store.write() as conn:
            slot_id = self._store.insert_slot(conn, slot)
        return attrs.evolve(slot, id=slot_id)

    def slots(self) -> list[Slot]:
        """Every slot."""
        with self._store.read() as conn:
            return self._store.slots(conn)

    def remove_slot(self, slot_id: int) -> None:
        """Remove a slot (entries already queued in it stay)."""
        with self._store.write() as conn:
            self._store.delete_slot(conn, slot_id)

    def next_free_slot(
        self, targets: str | Iterable[str], *, after: datetime | None = None
    ) -> tuple[Slot, datetime] | None:
        """The first slot occurrence after ``after`` (now) that is free for every target
        and that the rules allow; ``None`` within a year."""
        names = check_targets(targets)
        start = after or now_utc()
        with self._store.read() as conn:
            return self._free(conn, names, start)

    def _free(
        self, conn: Any, names: Sequence[str], start: datetime
    ) -> tuple[Slot, datetime] | None:
        slots = [s for s in self._store.slots(conn) if s.covers(names)]
        if not slots:
            raise ConfigError(
                f"no slot covers {', '.join(names)}; add one with add_slot()", field="targets"
            )
        taken = {
            (d.target, entry.at.timestamp())
            for entry in self._store.entries(conn, states=_LIVE)
            if entry.at is not None
            for d in entry.deliveries
        }
        until = start + QUEUE_HORIZON

        def stream(slot: Slot) -> Iterator[tuple[datetime, int, Slot]]:
            for at in slot.occurrences(start, until, inclusive=False):
                yield at, slot.id or 0, slot

        for at, _, slot in heapq.merge(*(stream(s) for s in slots), key=lambda x: x[:2]):
            if any((t, at.timestamp()) in taken for t in names):
                continue
            if not self._check(conn, None, names, at):
                return slot, at
        return None

    def queue(
        self,
        draft: DraftLike,
        targets: str | Iterable[str],
        *,
        after: datetime | None = None,
        **options: Any,
    ) -> Entry:
        """Add a draft in the next free slot of its targets (see `next_free_slot`).

        ``options`` are those of `add` (``variants``, ``tags``, ``approvals_required``...).

        Raises:
            ConfigError: no slot covers the targets, or none is free within a year.
        """
        names = check_targets(targets)
        with self._store.write() as conn:
            found = self._free(conn, names, after or now_utc())
            if found is None:
                raise ConfigError(f"no free slot for {', '.join(names)} within a year")
            slot, at = found
            entry = self.add(draft, names, at, tz=slot.tz, **options)
            self._store.set_slot(conn, entry.id, slot.id)
        return self.get(entry.id)

    def suggest_slots(self, posts: Iterable[Post], **options: Any) -> list[SlotSuggestion]:
        """Best posting times from past engagement (see `socialkit.calendar.suggest_slots`)."""
        from .suggest import suggest_slots

        options.setdefault("tz", self.tz)
        return suggest_slots(posts, **options)

    # -- pause -------------------------------------------------------------------------------

    def pause(
        self, reason: str, until: datetime | None = None, *, now: datetime | None = None
    ) -> Pause:
        """Stop publishing (crisis mode). Nothing goes out until `resume`, or ``until``.

        A dispatcher that is running stops before its next delivery. Pausing again
        while paused changes the reason and ``until`` but keeps the start.
        """
        if until is not None and until.tzinfo is None:
            raise ConfigError("until must be timezone-aware", field="until")
        stamp = _epoch(now)
        with self._store.write() as conn:
            current = self._store.setting(conn, "pause")
            since = current["since"] if current else stamp  # a new reason keeps the start
            state = {
                "reason": reason,
                "since": since,
                "until": until.timestamp() if until else None,
            }
            self._store.set_setting(conn, "pause", state)
            self._store.log(conn, None, "pause", stamp, reason)
        return Pause(reason, from_epoch(since), until)

    def resume(self, *, now: datetime | None = None) -> list[Outcome]:
        """Publish again. With ``on_resume="skip"``, what fell due during the pause and is
        more than ``grace`` late is marked missed (and returned); the rest goes out."""
        return resume(self._store, self.policy, _epoch(now))

    @property
    def paused(self) -> Pause | None:
        """The current pause, or ``None``."""
        with self._store.read() as conn:
            state = self._store.setting(conn, "pause")
        if state is None:
            return None
        until = from_epoch(state["until"]) if state.get("until") is not None else None
        return Pause(state["reason"], from_epoch(state["since"]), until)

    # -- dispatch ----------------------------------------------------------------------------

    def run_due(
        self,
        clients: Mapping[str, Client] | Callable[[str], Client],
        now: datetime | None = None,
        *,
        limit: int | None = None,
    ) -> DispatchReport:
        """Publish what is due, exactly once per entry and target (see `.dispatch`).

        Args:
            clients: A client per target, or a factory called once per target per run
                (``lambda t: sk.connect(t)``; the run closes what it makes).
            now: The time to dispatch at (aware); the wall clock by default.
            limit: The most deliveries to handle in this run.
        """
        dispatcher = Dispatcher(
            self._store,
            self.policy,
            self.rules,
            self.owner,
            clients,
            _fixed(now),
            wall_clock,
            utm=self.utm,
        )
        self.heartbeat()
        report = run_sync(dispatcher, limit=limit)
        self.heartbeat(report)
        return report

    def run_one(
        self,
        delivery_id: int,
        clients: Mapping[str, Client] | Callable[[str], Client],
        now: datetime | None = None,
    ) -> DispatchReport:
        """Publish one delivery if it is due (or its lease expired), exactly as `run_due`
        would: it is claimed from the ledger first, so a task engine's duplicate or stale
        job for it does nothing. See `due_deliveries`."""
        with self._store.only(delivery_id):
            return self.run_due(clients, now, limit=1)

    def due_deliveries(self, now: datetime | None = None) -> list[int]:
        """The ids of the deliveries due now, or held by an expired lease, most overdue
        first: what a periodic sweep hands to an engine's workers (`run_one` each)."""
        stamp = _epoch(now)
        with self._store.read() as conn:
            return [int(r["id"]) for r in self._store.due(conn, stamp, wall_clock())]

    async def arun_due(
        self,
        clients: Mapping[str, AsyncClient] | Callable[[str], AsyncClient],
        now: datetime | None = None,
        *,
        limit: int | None = None,
        concurrency: int = 4,
    ) -> DispatchReport:
        """`run_due` with async clients, ``concurrency`` deliveries at a time. Each store
        transaction runs in a worker thread: the event loop is never blocked by the
        store (a disk, or PostgreSQL across the network)."""
        dispatcher = Dispatcher(
            self._store,
            self.policy,
            self.rules,
            self.owner,
            clients,
            _fixed(now),
            wall_clock,
            utm=self.utm,
        )
        await off_loop(self.heartbeat)
        report = await run_async(dispatcher, limit=limit, concurrency=concurrency)
        await off_loop(self.heartbeat, report)
        return report

    def refresh_pending(
        self,
        clients: Mapping[str, Client] | Callable[[str], Client],
        now: datetime | None = None,
    ) -> DispatchReport:
        """Read again every published post the platform still reviews or processes.

        `run_due` does this too, every ``policy.review_interval``; this reads them all
        now. A post that became public is reported ``published``, a refused one
        ``rejected`` (with the platform's reason; the delivery is never retried), one
        still under review ``pending``. The deliveries stay published either way.
        """
        dispatcher = Dispatcher(
            self._store, self.policy, self.rules, self.owner, clients, _fixed(now), wall_clock
        )
        try:
            check_reviews_sync(dispatcher, every=0.0)
        finally:
            for client in dispatcher.made():
                client.close()
        return dispatcher.report

    async def arefresh_pending(
        self,
        clients: Mapping[str, AsyncClient] | Callable[[str], AsyncClient],
        now: datetime | None = None,
    ) -> DispatchReport:
        """`refresh_pending` with async clients (the store off the event loop)."""
        dispatcher = Dispatcher(
            self._store, self.policy, self.rules, self.owner, clients, _fixed(now), wall_clock
        )
        try:
            await check_reviews_async(dispatcher, every=0.0)
        finally:
            for client in dispatcher.made():
                await client.aclose()
        return dispatcher.report

    def apply_event(self, event: Event, *, now: datetime | None = None) -> list[Outcome]:
        """Record a post status a platform pushed (a `PostEvent` from a webhook receiver,
        e.g. TikTok's ``post.publish.failed``) for the pending posts it names, without
        waiting for the next read; other events are ignored (see
        `.dispatch.apply_post_event`).

        ```python
        receipt = tiktok_receiver.receive("POST", headers, {}, body)
        for event in receipt.events:
            calendar.apply_event(event)
        ```

        It is also a handler for `socialkit.webhooks.webhook_app`.
        """
        return apply_post_event(self._store, event, _epoch(now))

    def settle(self, entry_id: int) -> State:
        """Recompute an entry's state from its deliveries (after a manual repair)."""
        stamp = wall_clock()
        with self._store.write() as conn:
            return settle(self._store, conn, self.get(entry_id), stamp)

    # -- views -------------------------------------------------------------------------------

    def week_view(self, start: date | datetime | None = None, *, tz: str | None = None) -> WeekView:
        """The week from ``start``'s Monday: text with ``str()``, HTML in notebooks."""
        return WeekView.build(self, start, tz=tz or self.tz)

    def to_ical(self) -> bytes:
        """The calendar as iCalendar (RFC 5545): one event per entry and target."""
        from .ical import to_ical

        return to_ical(self.entries())


def _fixed(now: datetime | None) -> datetime | None:
    if now is not None and now.tzinfo is None:
        raise ConfigError("now must be timezone-aware", field="now")
    return now
