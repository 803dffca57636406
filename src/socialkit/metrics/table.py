"""`MetricTable`: metric snapshots stored by column, optionally persisted (SQLite or
PostgreSQL)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any, Literal

from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

from .._db import POSTGRES_SCHEMES
from ..models import Metric, Post
from . import frames, series, store, summaries
from ._columns import PostInfo
from ._snapshots import Snapshots
from .formulas import DEFAULT_ENGAGEMENTS, RateBase
from .html import escape
from .measure import Measure
from .report import Report
from .store import MetricStore
from .summaries import SummaryBy

__all__ = ["MetricTable", "Row", "SummaryBy"]

Row = tuple[Any, ...] | Mapping[str, Any] | Metric
"""A row for `MetricTable.from_rows`: a tuple in `COLUMNS` order (the last four
optional), a mapping with those keys, or a `Metric`."""


def _head(m: Metric) -> tuple[str, str, str, str, float | int | None]:
    return (m.platform, m.subject, m.subject_id, m.name, m.value)


class MetricTable(Snapshots):
    """Metric snapshots (rows are `Metric` values with their ``collected_at``).

    Rows are kept by column (dictionary-encoded strings, flat numeric arrays),
    so a million rows are compact and summaries are vectorised. The table also
    remembers the posts it has seen (publish time, URL, text, author) for
    period summaries, rankings and best times.

    ```python
    table = MetricTable.open("metrics.db")       # a SQLite file (or a PostgreSQL URL)
    table.add(client.post_metrics(post.id))
    table.save()                                  # appends the new rows
    table.summary(by="platform")
    table.growth("followers", platform="mastodon", since=date(2025, 1, 1))
    ```
    """

    def __init__(self, metrics: Iterable[Metric] = (), *, posts: Iterable[Post] = ()) -> None:
        super().__init__()
        self._where: MetricStore | None = None
        self._schema = store.DEFAULT_SCHEMA
        self._saved = 0
        self._unsaved_posts: set[tuple[str, str]] = set()
        self.add(metrics)
        self.add_posts(posts)

    # -- building ------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: MetricStore, *, schema: str = store.DEFAULT_SCHEMA) -> MetricTable:
        """The table stored at ``path`` (created, with its schema, when new).

        ``path`` is a SQLite file, a ``postgresql://`` URL (tables in ``schema``,
        ``socialkit_metrics`` by default; a connection per load and save), or a psycopg
        connection: each save then writes in that connection's current transaction and
        commits or rolls back with the application's own writes (open the table again
        after a rollback: the table counts those rows as saved). New rows are written by
        [`save`][socialkit.metrics.MetricTable.save].
        """
        table = cls()
        table._bind(path, schema)
        rows, posts = store.load(path, schema=schema)
        table._cols.add_raw(rows)
        table._posts = posts
        table._saved = len(table._cols)
        return table

    @classmethod
    def from_rows(cls, rows: Iterable[Row], *, posts: Iterable[Post] = ()) -> MetricTable:
        """A table from rows in bulk: tuples in ``COLUMNS`` order, mappings or `Metric`s.

        ``("mastodon", "post", "1", "likes", 3, collected_at)`` is a row; period,
        start, end and native name may follow. Times must be timezone-aware.
        """
        table = cls(posts=posts)
        table.add_rows(rows)
        return table

    def add(self, metrics: Iterable[Metric], *, collected_at: datetime | None = None) -> int:
        """Append metrics (all stamped ``collected_at`` when given); returns how many."""
        if collected_at is None:
            return self._cols.add_rows(metrics)
        return self._cols.add_rows(
            (*_head(m), collected_at, m.period, m.start, m.end, m.native_name) for m in metrics
        )

    def add_rows(self, rows: Iterable[Row]) -> int:
        """Append rows in bulk (see `from_rows`); returns how many. All or none are added."""
        return self._cols.add_rows(rows)

    def add_posts(self, posts: Iterable[Post]) -> None:
        """Remember posts' publish time, URL, text and author (used by period summaries)."""
        for post in posts:
            key = (post.platform, post.id)
            info = PostInfo.of(post)
            known = self._posts.get(key)
            self._posts[key] = info if known is None else known.update(info)
            self._unsaved_posts.add(key)

    # -- persistence ---------------------------------------------------------------------------

    @property
    def path(self) -> Path | None:
        """The SQLite file the table is saved to, if any (``None`` for PostgreSQL)."""
        where = self._where
        if isinstance(where, str) and where.startswith(POSTGRES_SCHEMES):
            return None
        return Path(where) if isinstance(where, str | os.PathLike) else None

    @property
    def location(self) -> str | None:
        """Where the table is saved (a file, or a database URL without its password and
        the schema), or ``None`` for a table in memory."""
        return None if self._where is None else store.describe(self._where, self._schema)

    @property
    def unsaved(self) -> int:
        """How many rows `save` would write."""
        return len(self._cols) - self._saved

    def save(self, path: MetricStore | None = None, *, schema: str | None = None) -> int:
        """Append the rows added since the last save to the store; returns how many.

        An in-memory table is bound to ``path`` (and ``schema``, see
        [`open`][socialkit.metrics.MetricTable.open]) by its first save (its rows are
        appended to whatever the store holds). The rows and the posts are written in
        one transaction: a failed save writes nothing and leaves the rows unsaved.
        """
        if path is not None:
            wanted = self._schema if schema is None else schema
            if self._where is not None and not self._same(path, wanted):
                raise ValueError(
                    f"this table is saved to {self.location}, not {store.describe(path, wanted)}"
                )
            self._bind(path, wanted)
        elif schema is not None and self.path is None and schema != self._schema:
            raise ValueError(f"this table is saved to {self.location}, not schema {schema}")
        if self._where is None:
            raise ValueError("an in-memory table needs a path: table.save('metrics.db')")
        end = len(self._cols)
        rows = (self._cols.raw(i) for i in range(self._saved, end))
        posts = {key: self._posts[key] for key in self._unsaved_posts}
        store.write(self._where, rows, posts, schema=self._schema)
        written, self._saved = end - self._saved, end
        self._unsaved_posts.clear()
        return written

    def _bind(self, where: MetricStore, schema: str) -> None:
        self._where, self._schema = where, schema

    def _same(self, where: MetricStore, schema: str) -> bool:
        """Whether ``where`` is the store this table is bound to."""
        mine = self._where
        if self.path is not None:  # a SQLite file: schemas do not apply
            is_url = isinstance(where, str) and where.startswith(POSTGRES_SCHEMES)
            return isinstance(where, str | os.PathLike) and not is_url and Path(where) == self.path
        return schema == self._schema and (mine is where or mine == where)

    # -- reading -------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._cols)

    def __iter__(self) -> Iterator[Metric]:
        """Every row as a `Metric` (builds one object per row: prefer summaries on big tables)."""
        for i in range(len(self._cols)):
            yield self._cols.metric(i)

    @property
    def platforms(self) -> tuple[str, ...]:
        """The platforms with rows, sorted."""
        values = self._cols.platform.values
        return tuple(sorted({values[c] for c in set(self._cols.platform.codes)}))

    @property
    def names(self) -> tuple[str, ...]:
        """The metric names with rows, sorted."""
        values = self._cols.name.values
        return tuple(sorted({values[c] for c in set(self._cols.name.codes)}))

    def post_info(self, platform: str, post_id: str) -> PostInfo | None:
        """What the table knows about a post (publish time, URL, text, author), if anything."""
        return self._posts.get((platform, post_id))

    # -- analysis ------------------------------------------------------------------------------

    def summary(
        self,
        by: SummaryBy = "platform",
        *,
        platform: str | None = None,
        since: date | datetime | None = None,
        until: date | datetime | None = None,
        include: Sequence[str] = DEFAULT_ENGAGEMENTS,
        rate_by: RateBase = "auto",
        tz: str | tzinfo = "UTC",
    ) -> Report:
        """Totals and engagement rate per platform, per post, or per day / week of publishing.

        Each post counts with the latest snapshot of each of its metrics. Totals
        are ``None`` where no post reported the metric. ``engagement_rate`` is the
        sum of engagements over the sum of ``rate_by`` across the posts that
        report both. ``since``/``until`` select posts by publish time (a ``date``
        is its whole day in ``tz``; a datetime must be timezone-aware); day and
        week use the publish time in ``tz``, an IANA name or a ``tzinfo`` (weeks
        start on Monday).
        """
        return summaries.summary(
            self,
            by,
            platform=platform,
            since=since,
            until=until,
            include=include,
            rate_by=rate_by,
            tz=tz,
        )

    def top_posts(
        self,
        n: int = 10,
        by: str = "engagements",
        *,
        platform: str | None = None,
        since: date | datetime | None = None,
        until: date | datetime | None = None,
        include: Sequence[str] = DEFAULT_ENGAGEMENTS,
        rate_by: RateBase = "auto",
    ) -> Report:
        """The ``n`` posts with the highest ``by``: ``"engagements"``, ``"engagement_rate"``
        or a metric name. Posts without that figure are not ranked."""
        return summaries.top_posts(
            self,
            n,
            by,
            platform=platform,
            since=since,
            until=until,
            include=include,
            rate_by=rate_by,
        )

    def growth(
        self,
        name: str,
        *,
        platform: str | None = None,
        subject: Literal["account", "post"] = "account",
        subject_id: str | None = None,
        since: date | datetime | None = None,
        until: date | datetime | None = None,
    ) -> Measure:
        """Growth rate of a metric between its first and last snapshot in the window.

        Definition: ``(end - start) / start``, where start and end are the first
        and last snapshot of each matching account (or post) in the window,
        summed over them. ``None`` with fewer than two snapshots.
        """
        return series.growth(
            self,
            name,
            platform=platform,
            subject=subject,
            subject_id=subject_id,
            since=since,
            until=until,
        )

    def to_pandas(self) -> Any:
        """Every row as a ``pandas.DataFrame`` (long format; the ``pandas`` extra)."""
        return frames.table_to_pandas(self)

    def to_polars(self) -> Any:
        """Every row as a ``polars.DataFrame`` (long format; the ``polars`` extra)."""
        return frames.table_to_polars(self)

    def __eq__(self, other: object) -> bool:
        """Equal when the rows (in order) and the known posts are."""
        if not isinstance(other, MetricTable):
            return NotImplemented
        return self._posts == other._posts and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]  # rows can be added: not hashable

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        """In JSON (a `Collection`'s table): ``{"rows": [Metric, ...], "posts": [...]}``.

        The SQLite path is not kept: the table read back is in memory.
        """
        rows = handler.generate_schema(list[Metric])
        posts = handler.generate_schema(list[tuple[str, str, PostInfo]])
        shape = core_schema.typed_dict_schema(
            {
                "rows": core_schema.typed_dict_field(rows),
                "posts": core_schema.typed_dict_field(posts),
            }
        )

        def build(data: dict[str, Any]) -> MetricTable:
            table = cls(data["rows"])
            table._posts = {(p, i): info for p, i, info in data["posts"]}
            return table

        def dump(table: MetricTable) -> dict[str, Any]:
            posts = [(p, i, info) for (p, i), info in table._posts.items()]
            return {"rows": list(table), "posts": posts}

        built = core_schema.no_info_after_validator_function(build, shape)
        return core_schema.json_or_python_schema(
            json_schema=built,
            python_schema=core_schema.union_schema([core_schema.is_instance_schema(cls), built]),
            serialization=core_schema.plain_serializer_function_ser_schema(
                dump, return_schema=shape
            ),
        )

    def __repr__(self) -> str:
        where = f", path={self.location!r}" if self._where is not None else ""
        return f"<MetricTable {len(self):,} rows, platforms={list(self.platforms)}{where}>"

    def _repr_html_(self) -> str:
        head = f"<p><b>MetricTable</b>: {len(self):,} rows"
        head += f" in {escape(self.location)}</p>" if self._where is not None else "</p>"
        return head + (self.summary()._repr_html_() if len(self) else "")
