"""Conversions in: exports read, joined to UTM-tagged posts, figures with null-vs-zero rules."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from socialkit import Post
from socialkit.client import Client
from socialkit.crosspost import crosspost
from socialkit.errors import ConfigError
from socialkit.metrics import (
    ConversionRow,
    Conversions,
    cost_per_conversion,
    read_conversions,
    revenue_per_post,
)
from socialkit.providers.mastodon import Mastodon
from socialkit.testing import Sandbox
from socialkit.utm import UTM, links_tags

GA4 = """\
# ----------------------------------------
# Traffic acquisition: Session manual ad content
# Start date: 20250301
# End date: 20250331
# ----------------------------------------

Session source,Session campaign,Session manual ad content,Sessions,Key events,Total revenue
mastodon,spring,entry-1-mastodon,"1,200",36,"1,440.50"
(direct),(not set),(not set),5000,80,9000
Grand total,,,6200,116,10440.5
"""


def post(post_id: str, text: str, platform: str = "mastodon") -> Post:
    when = datetime(2025, 3, 3, tzinfo=UTC)
    return Post(platform=platform, id=post_id, text=text, created_at=when)


def tagged(content: str, source: str = "mastodon", campaign: str = "spring") -> str:
    return (
        f"Sale https://shop.example/s?utm_source={source}&utm_medium=social"
        f"&utm_campaign={campaign}&utm_content={content}"
    )


def test_ga4_export_is_read_past_its_comment_lines_and_totals() -> None:
    (row,) = read_conversions(GA4).rows
    assert row == ConversionRow("mastodon", "spring", "entry-1-mastodon", 1200, 36, 1440.5)


def test_the_generic_format_is_read_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        "utm_campaign,utm_content,clicks,conversions,revenue,spend\nspring,a,100,5,250,50\n"
    )
    assert read_conversions(path).rows == (ConversionRow(None, "spring", "a", 100, 5, 250, 50),)


def test_an_export_without_tag_columns_is_refused() -> None:
    with pytest.raises(ConfigError, match="utm_campaign"):
        read_conversions("date,sessions\n2025-03-01,5\n")


def test_a_cell_that_is_not_a_number_names_its_row() -> None:
    with pytest.raises(ConfigError, match="row 2"):
        read_conversions("utm_content,clicks\na,1\nb,many\n")


def test_empty_cells_and_missing_columns_are_unknown_not_zero() -> None:
    conversions = read_conversions("utm_content,clicks,conversions\na,100,\nb,0,0\n")
    report = conversions.join([post("1", tagged("a")), post("2", tagged("b"))])
    a, b = report.post("1"), report.post("2")
    assert a.conversions is None
    assert a.conversion_rate.value is None
    assert a.conversion_rate.missing == ("conversions",)
    assert a.revenue is None  # no revenue column at all
    assert b.conversion_rate.value is None  # zero clicks: no rate
    assert b.conversion_rate.note == "zero denominator"


def test_a_post_no_row_names_has_no_figures() -> None:
    report = Conversions(()).join([post("1", tagged("a")), post("2", "no link here")])
    assert [p.post.id for p in report.posts] == ["1"]
    assert report.post("1").clicks is None


def test_rows_match_on_every_tag_they_give() -> None:
    rows = (
        ConversionRow("mastodon", "spring", "a", 10, 1),
        ConversionRow("bluesky", "spring", "a", 20, 2),
        ConversionRow(None, "spring", "a", 30, 3),
    )
    report = Conversions(rows).join([post("1", tagged("a"))])
    assert report.post("1").clicks == 40  # its source's row and the source-less one
    assert report.unmatched == (rows[1],)


def test_a_campaign_only_row_is_shared_and_counted_once_per_platform() -> None:
    rows = (ConversionRow(None, "spring", None, 100, 4, 200),)
    report = Conversions(rows).join([post("1", tagged("a")), post("2", tagged("b"))])
    assert all(p.shared for p in report.posts)
    (group,) = report.by_platform().values()
    assert group.clicks == 100
    assert group.revenue_per_post == 100


def test_cost_per_conversion_needs_spend() -> None:
    assert cost_per_conversion(50, 5) == 10
    unknown = cost_per_conversion(None, 5)
    assert unknown.value is None
    assert unknown.missing == ("spend",)
    assert revenue_per_post(300, 3) == 100


# -- the round trip through the sandbox -----------------------------------------------------------


class Pixelfed(Mastodon):
    """Pixelfed speaks the Mastodon client API: a second platform on the same sandbox."""

    name = "pixelfed"


@pytest.fixture
def clients() -> Iterator[dict[str, Client]]:
    sandbox = Sandbox()
    settings = {"instance": sandbox.base_url, "access_token": "brand"}
    pair = {
        "masto": sandbox.client(),
        "pix": Client(Pixelfed(**settings), transport=sandbox.transport()),
    }
    yield pair
    for client in pair.values():
        client.close()


def test_round_trip_publish_tagged_export_and_rates_per_post_and_platform(
    clients: dict[str, Client],
) -> None:
    posts = []
    for number, text in enumerate(["Spring sale", "New colours"], 1):
        utm = UTM(campaign="spring", content=f"p{number}")
        result = crosspost(f"{text}: https://shop.example/spring", clients, utm=utm)
        assert result.ok
        # the sandbox parses every post as Mastodon's: label each with its client's platform
        posts += [r.post.model_copy(update={"platform": r.platform}) for r in result if r.post]
    # what the analytics tool would export for those links (the generic format)
    lines = ["utm_source,utm_campaign,utm_content,clicks,conversions,revenue,spend"]
    numbers = {"mastodon": (200, 10, 500, 40), "pixelfed": (100, 2, 80, 40)}
    for p in posts:
        tags = links_tags(p.text)[0]
        clicks, conv, revenue, spend = numbers[tags["source"]]
        lines.append(
            f"{tags['source']},{tags['campaign']},{tags['content']},{clicks},{conv},{revenue},{spend}"
        )
    report = read_conversions("\n".join(lines) + "\n").join(posts)
    assert len(report.posts) == 4
    assert not report.unmatched
    best = report.posts[0]
    assert best.post.platform == "mastodon"
    assert best.conversion_rate == 0.05
    assert best.cost_per_conversion == 4
    platforms = report.by_platform()
    assert platforms["mastodon"].conversion_rate == 20 / 400
    assert platforms["pixelfed"].conversion_rate == 4 / 200
    assert platforms["pixelfed"].cost_per_conversion == 80 / 4
    assert platforms["mastodon"].revenue_per_post == 500
    assert "pixelfed" in str(report)
