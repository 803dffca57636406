"""Conversions in: clicks, conversions, revenue and spend per UTM tag, joined to the posts.

An analytics export (a CSV file) gives, per UTM campaign and content, how many
visits (clicks) came in and how many converted. `read_conversions` reads it;
`Conversions.join` matches its rows to the posts whose links carry the same
tags (see `socialkit.utm`) and gives, per post and per platform, the
conversion rate, the cost per conversion and the revenue, as `Measure` values.

**Columns**: the generic name first, then what GA4 and other exports call it
(matched case-insensitively; the first found wins):

- source: ``utm_source`` (optional); ``Session source``, ``Source``,
  ``Session source / medium``;
- campaign: ``utm_campaign``; ``Session campaign``, ``Session manual campaign name``,
  ``Campaign``;
- content: ``utm_content``; ``Session manual ad content``, ``Manual ad content``,
  ``Ad content``, ``Content``;
- clicks: ``clicks``; ``Sessions``;
- conversions: ``conversions``; ``Key events``, ``Session key events``;
- revenue: ``revenue``; ``Total revenue``, ``Purchase revenue``;
- spend: ``spend``; ``Cost``, ``Ads cost``, ``Ad spend``.

The generic format is one header line ``utm_campaign,utm_content,clicks,conversions,revenue,spend``
(``utm_source`` may be added), then one row per tag combination. Lines starting
with ``#`` (GA4 writes a few before the header) and blank lines are skipped; so
are rows with neither campaign nor content (totals, ``(not set)``).

**Null is not zero.** An empty cell, or a column the export does not have, is
``None``; so is every measure that needs it. A post that no row names has no
figures (``None``): exports leave out rows outside their date range.
A row matches a post when every tag the row gives (source, campaign, content)
equals the post's link tags; several rows matching one post are added up, and a
row matching several posts (a campaign-only export) is counted once per platform
and flagged ``shared`` on each post.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Final

import attrs

from .._records import Record
from ..errors import ConfigError
from ..models import Post
from ..utm import links_tags
from .formulas import _ratio, conversion_rate
from .measure import Measure, Number

__all__ = [
    "COLUMN_NAMES",
    "ConversionReport",
    "ConversionRow",
    "Conversions",
    "PlatformConversions",
    "PostConversions",
    "cost_per_conversion",
    "read_conversions",
    "revenue_per_post",
]

COLUMN_NAMES: Final[Mapping[str, tuple[str, ...]]] = {
    "source": ("utm_source", "session source", "source", "session source / medium"),
    "campaign": ("utm_campaign", "session campaign", "session manual campaign name", "campaign"),
    "content": (
        "utm_content",
        "session manual ad content",
        "manual ad content",
        "ad content",
        "content",
    ),
    "clicks": ("clicks", "sessions"),
    "conversions": ("conversions", "key events", "session key events"),
    "revenue": ("revenue", "total revenue", "purchase revenue"),
    "spend": ("spend", "cost", "ads cost", "ad spend"),
}
"""The header names read for each field, in order of preference (lower case)."""

_NOT_SET: Final = frozenset({"", "(not set)", "(none)", "(direct)", "(other)"})
_NUMBER_JUNK = re.compile(r"[\s,$€£¥%]")


def cost_per_conversion(
    spend: Number | Measure | None, conversions: Number | Measure | None
) -> Measure:
    """What one conversion cost. Definition: ``spend / conversions``."""
    return _ratio(
        "cost_per_conversion",
        "spend / conversions",
        ("spend", _value(spend)),
        ("conversions", _value(conversions)),
    )


def revenue_per_post(revenue: Number | Measure | None, posts: int = 1) -> Measure:
    """Revenue per post. Definition: ``revenue / posts``."""
    return _ratio(
        "revenue_per_post", "revenue / posts", ("revenue", _value(revenue)), ("posts", posts)
    )


def _value(value: Number | Measure | None) -> Number | None:
    return value.value if isinstance(value, Measure) else value


@attrs.frozen
class ConversionRow(Record):
    """One row of an export: the tags it is for and its numbers (``None``: not given)."""

    source: str | None
    campaign: str | None
    content: str | None
    clicks: Number | None = None
    conversions: Number | None = None
    revenue: Number | None = None
    spend: Number | None = None

    def matches(self, tags: Mapping[str, str]) -> bool:
        """Whether every tag this row gives equals the link's ``tags`` (``source``, ...)."""
        given = {"source": self.source, "campaign": self.campaign, "content": self.content}
        return all(tags.get(k) == v for k, v in given.items() if v is not None)


_SUMMED: Final = ("clicks", "conversions", "revenue", "spend")


def _total(rows: Sequence[ConversionRow], field: str) -> Number | None:
    """The sum of ``field`` over ``rows``; ``None`` when there are none or one is unknown."""
    values = [getattr(row, field) for row in rows]
    if not values or any(v is None for v in values):
        return None
    total: Number = sum(values)
    return total


class _Totals:
    """The sums of conversion rows (``None``: no row says), and the figures made of them."""

    rows: tuple[ConversionRow, ...]

    @property
    def clicks(self) -> Number | None:
        """Visits from the links."""
        return _total(self.rows, "clicks")

    @property
    def conversions(self) -> Number | None:
        """Conversions from those visits."""
        return _total(self.rows, "conversions")

    @property
    def revenue(self) -> Number | None:
        """Revenue from those conversions."""
        return _total(self.rows, "revenue")

    @property
    def spend(self) -> Number | None:
        """What was spent (promotion), when the export says."""
        return _total(self.rows, "spend")

    @property
    def conversion_rate(self) -> Measure:
        """``conversions / clicks``."""
        return conversion_rate(self.conversions, self.clicks)

    @property
    def cost_per_conversion(self) -> Measure:
        """``spend / conversions``."""
        return cost_per_conversion(self.spend, self.conversions)


@attrs.frozen
class PostConversions(_Totals, Record):
    """The conversions of one post, from the rows its link tags match.

    Attributes:
        post: The post. ``tags``: its link's UTM tags (without ``utm_``).
        rows: The export rows that matched. ``shared``: whether one of them also
            matched another post (then the numbers are the link's, not the post's alone).
        clicks, conversions, revenue, spend: Summed over ``rows`` (``None``: unknown).
    """

    post: Post
    tags: Mapping[str, str]
    rows: tuple[ConversionRow, ...]
    shared: bool = False

    @property
    def revenue_per_post(self) -> Measure:
        """The post's revenue, as a measure."""
        return revenue_per_post(self.revenue)


@attrs.frozen
class PlatformConversions(_Totals, Record):
    """The conversions of one platform's posts (each matching row counted once)."""

    platform: str
    posts: int
    rows: tuple[ConversionRow, ...]

    @property
    def revenue_per_post(self) -> Measure:
        """``revenue / posts``."""
        return revenue_per_post(self.revenue, self.posts)


def _cell(value: Number | Measure | None, spec: str = "g") -> str:
    return format(value, spec) if value is not None else "n/a"


@attrs.frozen
class ConversionReport(Record):
    """Conversions per post (``posts``, best conversion rate first) and per platform.

    ``unmatched`` holds the rows no post's links carry (another channel, another
    period). ``str()`` gives a table.
    """

    posts: tuple[PostConversions, ...]
    unmatched: tuple[ConversionRow, ...]

    def by_platform(self) -> dict[str, PlatformConversions]:
        """Per platform: its posts and the rows they matched (each row once)."""
        grouped: dict[str, tuple[int, dict[int, ConversionRow]]] = {}
        for item in self.posts:
            count, rows = grouped.get(item.post.platform, (0, {}))
            rows.update({id(row): row for row in item.rows})
            grouped[item.post.platform] = (count + 1, rows)
        return {
            name: PlatformConversions(name, count, tuple(rows.values()))
            for name, (count, rows) in sorted(grouped.items())
        }

    def post(self, post_id: str) -> PostConversions:
        """The conversions of the post ``post_id``; `KeyError` when it was not joined."""
        for item in self.posts:
            if item.post.id == post_id:
                return item
        raise KeyError(post_id)

    def __str__(self) -> str:
        lines = ["platform   post                 clicks  conv.  rate    revenue  cost/conv."]
        for item in self.posts:
            lines.append(
                f"{item.post.platform:<10} {item.post.id[:20]:<20} {_cell(item.clicks):>6} "
                f"{_cell(item.conversions):>6} {item.conversion_rate:>6.1%} "
                f"{_cell(item.revenue, '.2f'):>8} {item.cost_per_conversion:>10.2f}"
            )
        for name, group in self.by_platform().items():
            lines.append(
                f"{name:<10} {'(all ' + str(group.posts) + ' posts)':<20} "
                f"{_cell(group.clicks):>6} {_cell(group.conversions):>6} "
                f"{group.conversion_rate:>6.1%} {_cell(group.revenue, '.2f'):>8} "
                f"{group.cost_per_conversion:>10.2f}"
            )
        return "\n".join(lines)


@attrs.frozen
class Conversions(Record):
    """The rows of a conversions export."""

    rows: tuple[ConversionRow, ...]

    def join(self, posts: Iterable[Post]) -> ConversionReport:
        """Match the rows to ``posts`` by their links' UTM tags (a post's first tagged link
        with a campaign or content). Posts without tags are left out."""
        joined: list[tuple[Post, dict[str, str], list[ConversionRow]]] = []
        for post in posts:
            tags = next(
                (t for t in links_tags(post.text) if {"campaign", "content"} & t.keys()), None
            )
            if tags is None:
                continue
            joined.append((post, tags, [row for row in self.rows if row.matches(tags)]))
        uses: dict[int, int] = {}
        for _, _, rows in joined:
            for row in rows:
                uses[id(row)] = uses.get(id(row), 0) + 1
        items = [
            PostConversions(post, tags, tuple(rows), any(uses[id(r)] > 1 for r in rows))
            for post, tags, rows in joined
        ]
        items.sort(key=lambda i: (i.conversion_rate.value is None, -(i.conversion_rate.value or 0)))
        used = set(uses)
        unmatched = tuple(row for row in self.rows if id(row) not in used)
        return ConversionReport(tuple(items), unmatched)


def _header_map(header: Sequence[str]) -> dict[str, int]:
    normal = [" ".join(name.strip().lower().split()) for name in header]
    found: dict[str, int] = {}
    for field, names in COLUMN_NAMES.items():
        for name in names:
            if name in normal:
                found[field] = normal.index(name)
                break
    return found


def _tag(value: str | None) -> str | None:
    text = (value or "").strip()
    return None if text.lower() in _NOT_SET else text


def _number(value: str | None, where: str) -> Number | None:
    text = _NUMBER_JUNK.sub("", value or "")
    if text == "":
        return None
    try:
        number = float(text)
    except ValueError:
        raise ConfigError(f"{where}: {value!r} is not a number", field="conversions") from None
    return int(number) if number.is_integer() else number


def read_conversions(source: str | PathLike[str] | io.TextIOBase) -> Conversions:
    """Read a conversions export: a CSV file path, an open text file, or CSV text (with a
    line break).

    Raises:
        ConfigError: no campaign or content column, or a cell that is not a number.
    """
    if isinstance(source, io.TextIOBase):
        text = source.read()
    elif isinstance(source, str) and "\n" in source:
        text = source
    else:
        text = Path(source).read_text(encoding="utf-8-sig")
    lines = [line for line in text.lstrip("\ufeff").splitlines() if line.strip()]
    lines = [line for line in lines if not line.lstrip().startswith("#")]
    reader = csv.reader(lines)
    header = next(reader, None)
    columns = _header_map(header or [])
    if not {"campaign", "content"} & columns.keys():
        raise ConfigError(
            "a conversions export needs a utm_campaign or utm_content column "
            "(or GA4's 'Session campaign' / 'Session manual ad content')",
            field="conversions",
        )
    rows = []
    for number, cells in enumerate(reader, 2):

        def get(field: str, cells: list[str] = cells) -> str | None:
            index = columns.get(field)
            return cells[index] if index is not None and index < len(cells) else None

        source_tag = _tag(get("source"))
        if source_tag is not None and " / " in source_tag:  # "mastodon / social"
            source_tag = source_tag.split(" / ")[0].strip()
        campaign, content = _tag(get("campaign")), _tag(get("content"))
        if campaign is None and content is None:
            continue
        where = f"row {number - 1}"
        rows.append(
            ConversionRow(
                source=source_tag,
                campaign=campaign,
                content=content,
                **{field: _number(get(field), where) for field in _SUMMED},
            )
        )
    return Conversions(tuple(rows))
