"""`Snapshots`: metric rows by column and the posts they describe, as the analyses read them.

`MetricTable` builds on it; the summaries, series and DataFrame conversions take it, so
they sit below the table that offers them as methods.
"""

from __future__ import annotations

from ._columns import Columns, PostInfo
from ._engine import PostFrame, post_frame

__all__ = ["Snapshots"]


class Snapshots:
    """The rows (by column) and the posts seen (by platform and id) of a metric table."""

    def __init__(self) -> None:
        self._cols = Columns()
        self._posts: dict[tuple[str, str], PostInfo] = {}
        self._frame: tuple[int, PostFrame] | None = None

    def _post_frame(self) -> PostFrame:
        """The latest value of every metric of every post (cached until rows are added)."""
        if self._frame is None or self._frame[0] != len(self._cols):
            self._frame = (len(self._cols), post_frame(self._cols))
        return self._frame[1]
