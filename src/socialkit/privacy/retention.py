"""Retention and erasure across socialkit's stores.

The stores that keep what people wrote (the inbox's store, :class:`SQLiteRecordStore`,
:class:`PostgresRecordStore`) implement the small :class:`DataStore` protocol, and so
can yours: one :class:`RetentionPolicy` and one :func:`erase_subject` call cover them
all:

```python
stores = {"records": SQLiteRecordStore("records.db"), "inbox": inbox.store}
RetentionPolicy(days=90).apply(stores)                 # {"records": 120, "inbox": 7}
report = erase_subject(stores, "mastodon", "109876")   # right to erasure
report.removed  # {"records": {"posts": 3, "comments": 5, "mentions": 1}, "inbox": {...}}
```
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable

import attrs

from socialkit.errors import SocialkitError

from .._records import Record

__all__ = [
    "DataStore",
    "ErasureError",
    "ErasureReport",
    "RetentionPolicy",
    "Stores",
    "erase_subject",
]


@runtime_checkable
class DataStore(Protocol):
    """What a store of personal data offers for retention and erasure.

    Implementations delete for real and count what they removed: in SQLite with
    ``PRAGMA secure_delete`` on, so freed pages are overwritten; in PostgreSQL the
    rows are gone at once and ``VACUUM`` frees their space (see
    `socialkit.privacy.store`). A store may carry a ``name`` attribute, used in reports.
    """

    def delete_older_than(self, cutoff: datetime) -> int:
        """Delete every row created before ``cutoff`` (timezone-aware); return how many."""
        ...

    def erase_subject(self, platform: str, account_id: str) -> dict[str, int]:
        """Delete everything the account wrote or is; return the count removed per table."""
        ...


Stores = Mapping[str, DataStore] | Iterable[DataStore]
"""Stores by name, or an iterable of stores (named by their ``name`` or class)."""


def _named(stores: Stores) -> dict[str, DataStore]:
    if isinstance(stores, Mapping):
        return dict(stores)
    named: dict[str, DataStore] = {}
    for store in stores:
        base = getattr(store, "name", None) or type(store).__name__
        name, n = str(base), 2
        while name in named:
            name, n = f"{base}#{n}", n + 1
        named[name] = store
    return named


@attrs.frozen
class RetentionPolicy:
    """Keep records for ``days`` days, then delete them.

    Attributes:
        days: How long records are kept (at least 1).
    """

    days: int = attrs.field(validator=attrs.validators.ge(1))

    def cutoff(self, now: datetime | None = None) -> datetime:
        """The moment before which records are deleted (``now`` defaults to the current time)."""
        now = datetime.now(UTC) if now is None else now
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        return now.astimezone(UTC) - timedelta(days=self.days)

    def apply(self, stores: Stores, now: datetime | None = None) -> dict[str, int]:
        """Delete what is older than the policy in every store; return the count per store."""
        cutoff = self.cutoff(now)
        return {name: store.delete_older_than(cutoff) for name, store in _named(stores).items()}


@attrs.frozen
class ErasureReport(Record):
    """What :func:`erase_subject` removed.

    Attributes:
        platform: The subject's platform.
        account_id: The subject's account id (left out of ``repr``).
        removed: Counts per store, then per table.
        completed_at: When the erasure finished (UTC).
        failed: Stores that raised, with the error's message.
    """

    platform: str
    account_id: str = attrs.field(repr=False)
    removed: dict[str, dict[str, int]]
    completed_at: datetime
    failed: dict[str, str] = attrs.field(factory=dict)

    @property
    def total(self) -> int:
        """How many rows were removed in all."""
        return sum(sum(tables.values()) for tables in self.removed.values())

    @property
    def complete(self) -> bool:
        """Whether every store erased the subject."""
        return not self.failed


class ErasureError(SocialkitError):
    """Some stores could not erase the subject; ``report`` says what was and was not done."""

    def __init__(self, message: str, *, report: ErasureReport) -> None:
        super().__init__(message, platform=report.platform)
        self.report = report


def erase_subject(stores: Stores, platform: str, account_id: str) -> ErasureReport:
    """Erase one person's data from every store.

    Every store is tried even when one fails.

    Returns:
        What was removed, per store and table.

    Raises:
        ErasureError: A store failed; its ``report`` holds what the others removed.
    """
    removed: dict[str, dict[str, int]] = {}
    failed: dict[str, str] = {}
    for name, store in _named(stores).items():
        try:
            removed[name] = dict(store.erase_subject(platform, account_id))
        except Exception as exc:
            failed[name] = f"{type(exc).__name__}: {exc}"
    report = ErasureReport(platform, account_id, removed, datetime.now(UTC), failed)
    if failed:
        raise ErasureError(f"erasure incomplete in {sorted(failed)}", report=report)
    return report
