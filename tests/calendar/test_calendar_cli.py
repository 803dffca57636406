"""``socialkit calendar list | add | run`` through `add_calendar_commands`."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from socialkit.calendar import Calendar, State
from socialkit.calendar.cli import add_calendar_commands
from socialkit.errors import ConfigError


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="socialkit")
    add_calendar_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    status: int = args.run(args)
    return status


def test_add_then_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "c.db")
    assert (
        run(
            "calendar",
            "--file",
            db,
            "add",
            "Hello CLI",
            "--target",
            "brand",
            "--at",
            "2025-03-31T09:00",
            "--tz",
            "Europe/Berlin",
            "--force",
        )
        == 0
    )
    assert (
        "added entry #1 (scheduled) for brand at 2025-03-31T09:00:00+02:00"
        in capsys.readouterr().out
    )
    assert run("calendar", "--file", db, "--tz", "Europe/Berlin", "list") == 0
    line = capsys.readouterr().out.strip()
    assert line.split() == [
        "#1",
        "2025-03-31",
        "09:00",
        "CEST",
        "scheduled",
        "brand",
        "Hello",
        "CLI",
    ]


def test_list_week(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "c.db")
    run(
        "calendar",
        "--file",
        db,
        "add",
        "Hello",
        "--target",
        "brand",
        "--at",
        "2025-03-31T09:00+00:00",
        "--force",
    )
    capsys.readouterr()
    assert run("calendar", "--file", db, "list", "--week", "2025-04-01") == 0
    assert capsys.readouterr().out.startswith("Week of Mon 31 Mar 2025 (UTC)")


def test_run_publishes_due_entries_through_connect(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "c.db")
    run(
        "calendar",
        "--file",
        db,
        "add",
        "Hello sandbox",
        "--target",
        "sandbox://",
        "--at",
        "2025-03-31T09:00+00:00",
        "--force",
    )
    assert run("calendar", "--file", db, "run") == 0
    assert "1 published" in capsys.readouterr().out
    with Calendar(db) as cal:
        assert cal.get(1).state is State.PUBLISHED


def test_file_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SOCIALKIT_CALENDAR", str(tmp_path / "env.db"))
    run("calendar", "add", "Hello", "--target", "brand")
    assert (tmp_path / "env.db").exists()


def test_add_with_a_credential_in_the_target_is_an_error(tmp_path: Path) -> None:
    from socialkit.calendar.cli import main

    status = main(
        [
            "calendar",
            "--file",
            str(tmp_path / "c.db"),
            "add",
            "Hi",
            "--target",
            "mastodon://tok@example.social",
        ]
    )
    assert status == 1


def test_add_at_a_past_time_is_refused_without_force(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    with pytest.raises(ConfigError, match="in the past: add --force"):
        run(
            "calendar",
            "--file",
            db,
            "add",
            "Old",
            "--target",
            "brand",
            "--at",
            "2020-01-01T09:00+00:00",
        )
    with Calendar(db) as cal:
        assert cal.entries() == []


def test_add_a_minute_ago_is_allowed(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    just_now = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    assert run("calendar", "--file", db, "add", "Now", "--target", "brand", "--at", just_now) == 0
