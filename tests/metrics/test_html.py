"""Notebook HTML: tables render, and every piece of content is escaped."""

from __future__ import annotations

from datetime import date

from socialkit.metrics import Goal, Measure, MetricTable, Report, best_times

from .conftest import a_post, account_row, at, post_rows

EVIL = "<script>alert(1)</script>"


def test_report_html_escapes_cells_headers_title_and_notes() -> None:
    report = Report(EVIL, {EVIL: [EVIL]}, notes=[EVIL])
    html = report._repr_html_()
    assert "<script>" not in html
    assert html.count("&lt;script&gt;") == 4


def test_report_html_shows_na_for_missing_values() -> None:
    html = Report("t", {"rate": [None, 0.5]}, {"rate": ".0%"})._repr_html_()
    assert ">n/a<" in html
    assert ">50%<" in html


def test_top_posts_html_escapes_post_text() -> None:
    table = MetricTable.from_rows(post_rows("x", "1", likes=1), posts=[a_post("x", "1", text=EVIL)])
    html = table.top_posts(1)._repr_html_()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_table_html_escapes_platform_names_and_path(tmp_path: object) -> None:
    table = MetricTable.from_rows(post_rows(EVIL, "1", likes=1))
    assert "<script>" not in table._repr_html_()


def test_best_times_html_escapes_the_metric_name() -> None:
    best = best_times([a_post("x", "1", at(0), likes=1)], metric=EVIL)
    assert "<script>" not in best._repr_html_()


def test_goal_progress_html_escapes_the_platform() -> None:
    table = MetricTable.from_rows([account_row(EVIL, "1", 10, at(0))])
    goal = Goal("followers", 100, by=date(2025, 6, 30), platform=EVIL)
    assert "<script>" not in goal.progress(table, now=at(1))._repr_html_()


def test_figure_html_escapes_its_explanation() -> None:
    assert "<script>" not in Measure(1.0, {EVIL: 1}, name=EVIL)._repr_html_()
