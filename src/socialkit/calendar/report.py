"""What a dispatcher run did: an `Outcome` per delivery, gathered in a `DispatchReport`."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime
from typing import Literal

import attrs

from .._records import Record

__all__ = ["DispatchReport", "Outcome", "OutcomeKind", "report_html"]

OutcomeKind = Literal[
    "published",
    "reconciled",
    "pending",
    "rejected",
    "retrying",
    "failed",
    "deferred",
    "missed",
    "skipped",
]
"""What happened to a delivery. ``pending``: just published, the platform is reviewing or
processing it (it is never sent again; later runs report only a change); ``rejected``: the
platform refused a post that was sent (an outcome to report, never retried); ``published``
also reports a pending post that became public."""


@attrs.frozen
class Outcome(Record):
    """What happened to one delivery in a dispatcher run."""

    entry_id: int
    target: str
    kind: OutcomeKind
    post_id: str | None = None
    url: str | None = None
    error: str | None = None
    until: datetime | None = None

    def __str__(self) -> str:
        detail = self.post_id or self.error or (self.until.isoformat() if self.until else "")
        return f"entry {self.entry_id} → {self.target}: {self.kind}" + (
            f" ({detail})" if detail else ""
        )


@attrs.define
class DispatchReport(Record):
    """What a dispatcher run did, delivery by delivery."""

    outcomes: list[Outcome] = attrs.field(factory=list)
    paused: str | None = None

    def _of(self, *kinds: OutcomeKind) -> list[Outcome]:
        return [o for o in self.outcomes if o.kind in kinds]

    @property
    def published(self) -> list[Outcome]:
        """Deliveries published (reconciled ones and those pending review included)."""
        return self._of("published", "reconciled", "pending")

    @property
    def pending(self) -> list[Outcome]:
        """Deliveries published and still under the platform's review or processing."""
        return self._of("pending")

    @property
    def rejected(self) -> list[Outcome]:
        """Deliveries published and then refused by the platform's review."""
        return self._of("rejected")

    @property
    def reconciled(self) -> list[Outcome]:
        """Deliveries whose lost attempt was found among the account's recent posts."""
        return self._of("reconciled")

    @property
    def failed(self) -> list[Outcome]:
        """Deliveries that failed for good."""
        return self._of("failed")

    @property
    def retrying(self) -> list[Outcome]:
        """Deliveries that failed and will be tried again."""
        return self._of("retrying")

    @property
    def deferred(self) -> list[Outcome]:
        """Deliveries the rules pushed back."""
        return self._of("deferred")

    @property
    def missed(self) -> list[Outcome]:
        """Deliveries held back by a pause and skipped after it."""
        return self._of("missed")

    @property
    def skipped(self) -> list[Outcome]:
        """Due deliveries left alone, e.g. for want of a client."""
        return self._of("skipped")

    def summary(self) -> str:
        """One line: the counts."""
        counts = [
            (len(self.published), "published"),
            (len(self.pending), "pending review"),
            (len(self.rejected), "rejected"),
            (len(self.retrying), "retrying"),
            (len(self.failed), "failed"),
            (len(self.deferred), "deferred"),
            (len(self.missed), "missed"),
            (len(self.skipped), "skipped"),
        ]
        text = ", ".join(f"{n} {what}" for n, what in counts if n)
        if self.paused is None:
            return text or "nothing due"
        if not self.outcomes:
            return f"paused ({self.paused}): nothing published"
        return f"{text}; then paused ({self.paused})"

    def __str__(self) -> str:
        return "\n".join([self.summary(), *(f"  {o}" for o in self.outcomes)])

    def _repr_html_(self) -> str:
        return report_html(self)


def report_html(report: DispatchReport) -> str:
    """A dispatcher report as an HTML table."""
    e = html.escape
    rows: Sequence[str] = [
        f"<tr><td>{o.entry_id}</td><td>{e(o.target)}</td><td>{e(o.kind)}</td>"
        f"<td>{e(o.post_id or o.error or (o.until.isoformat() if o.until else ''))}</td></tr>"
        for o in report.outcomes
    ]
    return (
        f"<p>{e(report.summary())}</p><table><tr><th>entry</th><th>target</th>"
        f"<th>outcome</th><th>detail</th></tr>{''.join(rows)}</table>"
    )
