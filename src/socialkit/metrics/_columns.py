"""Columnar storage of metric rows: dictionary-encoded strings and flat arrays.

A million rows are ten compact arrays, not a million objects: strings are
stored once and referenced by ``int32`` codes, values as ``float64`` (NaN marks
a value the platform did not report), times as ``int64`` microseconds since
the epoch, UTC (``NULL_TIME`` marks no time).
"""

from __future__ import annotations

import itertools
import threading
from array import array
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from operator import itemgetter
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from .._records import Record
from ..models import Metric, Post

COLUMNS = (
    "platform",
    "subject",
    "subject_id",
    "name",
    "value",
    "collected_at",
    "period",
    "start",
    "end",
    "native_name",
)
"""The columns of a metric row, in the order `MetricTable.from_rows` reads tuples."""
_OPTIONAL = ("lifetime", None, None, None)  # defaults of period, start, end, native_name
_STR_OR_NONE = frozenset({str, type(None)})
NULL_TIME = -(2**63)
NAN = float("nan")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)


def to_us(moment: datetime) -> int:
    """Microseconds since the epoch of a timezone-aware datetime."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment.isoformat()}: give a timezone-aware datetime")
    return (moment - EPOCH) // _US


def from_us(us: int) -> datetime:
    """The UTC datetime of microseconds since the epoch."""
    return EPOCH + timedelta(microseconds=us)


def bound(moment: date | datetime | None, *, end: bool, tz: tzinfo = UTC) -> int | None:
    """A window edge in microseconds; a ``date`` covers its whole day in ``tz``, inclusive."""
    if moment is None:
        return None
    if isinstance(moment, datetime):
        return to_us(moment)
    day = datetime.combine(moment + timedelta(days=1) if end else moment, time(), tzinfo=tz)
    return to_us(day) - (1 if end else 0)


def within(us: int | None, since: int | None, until: int | None) -> bool:
    """Whether a time lies in an inclusive window; an unknown time lies in no bounded one."""
    if us is None:
        return since is None and until is None
    return (since is None or us >= since) and (until is None or us <= until)


def zone(tz: str | tzinfo) -> tzinfo:
    """A time zone from its IANA name (``"Asia/Shanghai"``) or a ``tzinfo``."""
    if isinstance(tz, tzinfo):
        return tz
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {tz!r}: give an IANA name such as 'UTC'") from exc


class LocalClock:
    """Local wall time of instants, for grouping by day, week or hour.

    Results are floored to the quarter hour (every zone offset is a multiple of
    15 minutes) and cached, so grouping many posts converts few instants.
    """

    _QUARTER = 15 * 60 * 1_000_000

    def __init__(self, tz: str | tzinfo) -> None:
        self.tz = zone(tz)
        self._seen: dict[int, datetime] = {}

    def local(self, us: int) -> datetime:
        """The local time of ``us``, floored to the quarter hour."""
        quarter = us // self._QUARTER
        found = self._seen.get(quarter)
        if found is None:
            found = self._seen[quarter] = from_us(quarter * self._QUARTER).astimezone(self.tz)
        return found

    def day(self, us: int) -> date:
        """The local calendar day of ``us``."""
        return self.local(us).date()

    def week(self, us: int) -> date:
        """The Monday starting the local week of ``us``."""
        day = self.day(us)
        return day - timedelta(days=day.weekday())


_CODING = threading.Lock()


class Coded:
    """A dictionary-encoded string column: codes plus the distinct values.

    Values appended in bulk are coded when the column is first read (as pandas
    leaves hashing to the first ``groupby``), so building a table costs no
    hashing: until then the column keeps the values it was given (a view of
    the rows' fields: tuples, whose strings cannot change).
    """

    __slots__ = ("_codes", "_index", "_pending", "_values")

    def __init__(self) -> None:
        self._codes = array("i")
        self._values: list[Any] = []
        # A defaultdict only while coding runs (its factory hands out the next code), so a
        # column of a million values is coded in one pass in C; a plain mapping otherwise.
        self._index: defaultdict[Any, int] = defaultdict(None)
        self._pending: list[Iterable[Any]] = []

    @property
    def codes(self) -> array[int]:
        """The code of each row."""
        if self._pending:
            self._flush()
        return self._codes

    @property
    def values(self) -> list[Any]:
        """The distinct values, by code."""
        if self._pending:
            self._flush()
        return self._values

    @property
    def index(self) -> defaultdict[Any, int]:
        """The code of each distinct value."""
        if self._pending:
            self._flush()
        return self._index

    def code(self, value: Any) -> int:
        """The code of ``value``, adding it to the dictionary when new."""
        if self._pending:
            self._flush()
        found = self._index.get(value)
        if found is None:
            found = self._index[value] = len(self._values)
            self._values.append(value)
        return found

    def extend(self, values: Collection[Any] | None, n: int = 0, *, default: Any = None) -> None:
        """Append ``values`` (or ``n`` times ``default`` when ``values`` is None), coded when
        the column is next read. ``values`` must not change until then (a list of them, or
        a `_Field` of tuples). Values other than ``None`` are stored as ``str``."""
        if values is None:
            code = self.code(default)
            self._codes.extend(array("i", [code]) * n)
        else:
            self._pending.append(values)

    def _flush(self) -> None:
        with _CODING:  # a reader in another thread waits for the codes, never sees half
            while self._pending:
                self._code_all(self._pending[0])
                del self._pending[0]

    def _code_all(self, values: Iterable[Any]) -> None:
        index, known = self._index, len(self._values)
        index.default_factory = itertools.count(known).__next__  # codes in order of appearance
        try:
            codes = array("i", list(map(index.__getitem__, values)))
        finally:
            index.default_factory = None
        new = list(itertools.islice(index, known, None))
        if not set(map(type, new)) <= _STR_OR_NONE:  # rare: code them again as strings
            for value in new:
                del index[value]
            self._code_all([v if v is None else str(v) for v in values])
            return
        self._values.extend(new)
        self._codes.extend(codes)

    def __getitem__(self, row: int) -> Any:
        return self.values[self.codes[row]]


@attrs.frozen
class PostInfo(Record):
    """What the table knows about a post besides its metrics."""

    published_us: int | None = None
    url: str | None = None
    text: str = ""
    author_id: str | None = None

    @classmethod
    def of(cls, post: Post) -> PostInfo:
        published = None if post.created_at is None else to_us(post.created_at)
        author = post.author.id if post.author is not None else None
        return cls(published, post.url, post.text, author)

    @property
    def published_at(self) -> datetime | None:
        """When the post was published (UTC), if known."""
        return None if self.published_us is None else from_us(self.published_us)

    def update(self, newer: PostInfo) -> PostInfo:
        """This record with what ``newer`` knows (known fields are not forgotten)."""
        return PostInfo(
            self.published_us if newer.published_us is None else newer.published_us,
            newer.url or self.url,
            newer.text or self.text,
            newer.author_id or self.author_id,
        )


class Columns:
    """The rows of a metric table, one array per column."""

    __slots__ = (
        "collected_at",
        "end",
        "name",
        "native_name",
        "period",
        "platform",
        "start",
        "subject",
        "subject_id",
        "value",
    )

    def __init__(self) -> None:
        self.platform = Coded()
        self.subject = Coded()
        self.subject_id = Coded()
        self.name = Coded()
        self.period = Coded()
        self.native_name = Coded()
        self.value = array("d")
        self.collected_at = array("q")
        self.start = array("q")
        self.end = array("q")

    def __len__(self) -> int:
        return len(self.value)

    def add_rows(self, rows: Iterable[tuple[Any, ...] | Mapping[str, Any] | Metric]) -> int:
        """Append rows given as tuples (in `COLUMNS` order), mappings or `Metric`s.

        The rows are checked before any is added: all are added, or none.
        """
        batch: list[Any] = list(rows)  # our own list: string columns read it when first used
        if not batch:
            return 0
        if set(map(type, batch)) == {tuple} and set(map(len, batch)) == {6}:
            fields: list[Collection[Any]] = [_Field(batch, i) for i in range(6)]
            fields[4] = list(fields[4])  # values are read three times: copy them once
            return self._extend(fields, (None,) * 4, to_us)
        columns = _transpose(list(map(_fields, batch)), len(COLUMNS))
        return self._extend(columns[:6], columns[6:], to_us)

    def add_raw(self, rows: Sequence[tuple[Any, ...]]) -> int:
        """Append stored rows whose times are already microseconds (or None)."""
        if not rows:
            return 0
        columns = _transpose(rows, len(COLUMNS))
        return self._extend(columns[:6], columns[6:], int)

    def _extend(
        self,
        head: Sequence[Collection[Any]],
        tail: Sequence[Collection[Any] | None],
        us: Callable[[Any], int],
    ) -> int:
        """Append whole columns: the six required ones, then period, start, end and native
        name (``None`` for one of these means its default throughout)."""
        platform, subject, subject_id, name, value, collected = head
        period, start, end, native = tail
        n = len(platform)
        kinds = set(map(type, value)) - {int, float, type(None)}
        if kinds:
            wrong = ", ".join(sorted(k.__name__ for k in kinds))
            raise TypeError(f"value must be a number or None, not {wrong}")
        subjects = set(subject) - {"post", "account"}
        if subjects:
            wrong = ", ".join(sorted(map(repr, subjects)))
            raise ValueError(f"subject must be 'post' or 'account', not {wrong}")
        collected_us = _times(collected, us)
        if NULL_TIME in collected_us:
            raise ValueError("collected_at is required")
        starts = array("q", [NULL_TIME]) * n if start is None else _times(start, us)
        ends = array("q", [NULL_TIME]) * n if end is None else _times(end, us)
        values = array("d", [NAN if v is None else v for v in value] if None in value else value)
        self.platform.extend(platform)
        self.subject.extend(subject)
        self.subject_id.extend(subject_id)
        self.name.extend(name)
        self.period.extend(period, n, default="lifetime")
        self.native_name.extend(native, n, default=None)
        self.value.extend(values)
        self.collected_at.extend(collected_us)
        self.start.extend(starts)
        self.end.extend(ends)
        return n

    def raw(self, row: int) -> tuple[Any, ...]:
        """A row with times as microseconds and ``None`` for missing values and times."""
        value = self.value[row]

        def t(column: array[int]) -> int | None:
            return None if column[row] == NULL_TIME else column[row]

        return (
            self.platform[row],
            self.subject[row],
            self.subject_id[row],
            self.name[row],
            None if value != value else value,
            self.collected_at[row],
            self.period[row],
            t(self.start),
            t(self.end),
            self.native_name[row],
        )

    def metric(self, row: int) -> Metric:
        """A row as a `Metric` (integral values become ``int``)."""
        p, s, sid, name, value, collected, period, start, end, native = self.raw(row)
        if value is not None and value.is_integer():
            value = int(value)
        return Metric(
            platform=p,
            subject=s,
            subject_id=sid,
            name=name,
            value=value,
            collected_at=from_us(collected),
            period=period,
            start=None if start is None else from_us(start),
            end=None if end is None else from_us(end),
            native_name=native,
        )


class _Field:
    """One field of every row, read in place: a column without copying it."""

    __slots__ = ("_get", "_rows")

    def __init__(self, rows: Sequence[Any], field: int) -> None:
        self._rows = rows
        self._get = itemgetter(field)

    def __iter__(self) -> Iterator[Any]:
        return map(self._get, self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, value: object) -> bool:
        return value in iter(self)


def _transpose(rows: Sequence[Any], width: int) -> list[list[Any]]:
    return [list(map(itemgetter(i), rows)) for i in range(width)]


def _times(column: Collection[Any], us: Callable[[Any], int]) -> array[int]:
    """A column of times as microseconds, each distinct time converted once."""
    converted: dict[Any, int] = dict.fromkeys(column, NULL_TIME)  # one pass: the distinct times
    for moment in converted:
        if moment is not None:
            converted[moment] = us(moment)
    return array("q", list(map(converted.__getitem__, column)))


def _fields(row: Any) -> tuple[Any, ...]:
    if isinstance(row, tuple):
        if not 6 <= len(row) <= len(COLUMNS):
            raise ValueError(f"a row tuple has 6 to {len(COLUMNS)} fields ({COLUMNS}), not {row!r}")
        return row + _OPTIONAL[len(row) - 6 :] if len(row) < len(COLUMNS) else row
    if isinstance(row, Metric):
        return (
            row.platform,
            row.subject,
            row.subject_id,
            row.name,
            row.value,
            row.collected_at,
            row.period,
            row.start,
            row.end,
            row.native_name,
        )
    if isinstance(row, Mapping):
        unknown, absent = set(row) - set(COLUMNS), set(COLUMNS[:6]) - set(row)
        if unknown or absent:
            wrong = f"unknown {sorted(unknown)}" if unknown else f"missing {sorted(absent)}"
            raise ValueError(f"row fields {wrong}; the fields are {COLUMNS}")
        defaults = dict(zip(COLUMNS[6:], _OPTIONAL, strict=True))
        return tuple(row[c] if c in row else defaults[c] for c in COLUMNS)
    raise TypeError(f"a row is a tuple, a mapping or a Metric, not {type(row).__name__}")
