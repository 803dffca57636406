"""What the calendar's and the inbox's commands share: how a worker's liveness is
printed, the ``status`` command's ``--stale-after`` option, and running a parsed
command, on the main command line or one helper's alone (``python -m
socialkit.calendar.cli``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from .errors import SocialkitError

__all__ = ["add_stale_after", "liveness", "run_alone", "run_command", "stamp", "worker_line"]


def stamp(moment: datetime | None, never: str = "never") -> str:
    """A time as the status reports print it (UTC, to the second), or ``never``."""
    return f"{moment:%Y-%m-%d %H:%M:%S}" if moment is not None else never


def liveness(what: str, alive: int, total: int, workers: str, stale_after: timedelta) -> str:
    """The first line of a status: ``"dispatcher: running (1 of 2 workers alive; ...)"``."""
    return (
        f"{what}: {'running' if alive else 'NOT RUNNING'} "
        f"({alive} of {total} {workers} alive; "
        f"alive = a heartbeat in the last {stale_after.total_seconds():g} s)"
    )


def worker_line(
    name: str,
    state: str,
    heartbeat_at: datetime | None,
    last_tick_at: datetime | None,
    ticks: int,
    report: str,
) -> str:
    """One worker's line: its name, state, heartbeat, last tick and what it last did."""
    return (
        f"  {name:<40} {state:<8} heartbeat {stamp(heartbeat_at)} "
        f"last tick {stamp(last_tick_at)} ({ticks} rounds) {report}"
    ).rstrip()


def add_stale_after(parser: argparse.ArgumentParser, what: str = "a worker") -> None:
    """Add ``--stale-after SECONDS`` (default 120) to a ``status`` command."""
    parser.add_argument(
        "--stale-after",
        type=float,
        default=120.0,
        help=f"seconds after its last heartbeat {what} counts as gone (default 120)",
    )


def run_alone(add_commands: Callable[[Any], object], argv: list[str] | None) -> int:
    """Parse ``argv`` for the commands ``add_commands`` adds and run the one asked for; a
    socialkit error is printed as ``error: ...`` with exit status 1."""
    parser = argparse.ArgumentParser(prog="socialkit")
    add_commands(parser.add_subparsers(dest="command", required=True))
    return run_command(parser.parse_args(argv))


def run_command(args: argparse.Namespace) -> int:
    """Run the command ``args`` were parsed for (its ``run``); a socialkit error is printed
    as ``error: ...`` with exit status 1."""
    try:
        code: int = args.run(args)
    except SocialkitError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return code
