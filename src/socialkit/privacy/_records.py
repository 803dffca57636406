"""The record types the privacy helpers accept."""

from __future__ import annotations

from typing import TypeAlias, TypeVar

from socialkit.models import Account, Comment, Mention, Metric, Post

__all__ = ["AnyRecord", "RecordT"]

AnyRecord: TypeAlias = Account | Post | Comment | Mention | Metric
"""The records the privacy helpers accept (annotate mixed lists with it: mypy joins them)."""

RecordT = TypeVar("RecordT", bound=AnyRecord)
