"""``python -m socialkit calendar list | add | run | status | utm``.

The file is ``--file``, else ``$SOCIALKIT_CALENDAR``, else ``socialkit-calendar.db`` (a
``postgresql://`` URL opens the calendar in PostgreSQL).
Targets are profile names or connection targets without credentials; ``run``
connects to each with `socialkit.connect` (settings from ``SOCIALKIT_*`` variables).
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from .._status import add_stale_after, run_alone
from ..errors import ConfigError
from ..models import Draft
from ..utm import UTM
from ._time import aware, zone
from .core import Calendar
from .entries import State
from .views import preview

__all__ = ["DEFAULT_FILE", "add_calendar_commands"]

DEFAULT_FILE = "socialkit-calendar.db"
PAST_TOLERANCE = timedelta(minutes=5)
"""How far in the past ``add --at`` may be without ``--force`` (clock skew, slow typing)."""


def _file(args: argparse.Namespace) -> str:
    return str(args.file or os.environ.get("SOCIALKIT_CALENDAR") or DEFAULT_FILE)


def _open(args: argparse.Namespace) -> Calendar:
    return Calendar(_file(args), tz=args.tz or "UTC")


def _datetime(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not an ISO 8601 time: {value!r} (e.g. 2025-03-31T09:00)"
        ) from None


def _list(args: argparse.Namespace) -> int:
    with _open(args) as cal:
        if args.week is not None:
            start = None if args.week == "this" else _datetime(args.week)
            print(cal.week_view(start).text())
            return 0
        entries = cal.entries(state=args.state)
        if not entries:
            print(f"no entries in {_file(args)}")
        for entry in entries:
            when = entry.at.astimezone(zone(args.tz)) if entry.at and args.tz else entry.at
            shown = f"{when:%Y-%m-%d %H:%M %Z}" if when else "unplanned"
            print(
                f"#{entry.id:<4} {shown:<22} {entry.state.value:<10} "
                f"{', '.join(entry.targets):<20} {preview(entry.text)}"
            )
    return 0


def _add(args: argparse.Namespace) -> int:
    with _open(args) as cal:
        if args.at is not None and not args.force:
            _refuse_the_past(aware(args.at, args.tz or cal.tz))
        options: dict[str, Any] = {}
        if args.no_utm:
            options["utm"] = False
        if args.keep_link:
            options["keep_links"] = list(args.keep_link)
        entry = cal.add(
            Draft(text=args.text, options=options),
            args.target,
            args.at,
            tz=args.tz,
            tags=args.tag or (),
            campaign=args.campaign,
            approvals_required=args.approvals,
            force=args.force,
        )
        when = entry.at.isoformat() if entry.at else "no time yet"
        targets = ", ".join(entry.targets)
        print(f"added entry #{entry.id} ({entry.state.value}) for {targets} at {when}")
    return 0


def _utm(args: argparse.Namespace) -> int:
    with _open(args) as cal:
        if args.off:
            cal.set_utm(None)
        elif args.campaign is not None or args.medium is not None or args.keep:
            current = cal.utm or UTM()
            cal.set_utm(
                UTM(
                    campaign=args.campaign if args.campaign is not None else current.campaign,
                    medium=args.medium or current.medium,
                    keep=current.keep | frozenset(args.keep or ()),
                )
            )
        utm = cal.utm
        if utm is None:
            print("UTM tagging: off")
        else:
            keep = ", ".join(sorted(utm.keep)) or "none"
            campaign = utm.campaign or "the entry's"
            print(
                f"UTM tagging: on (campaign: {campaign}, medium: {utm.medium}, links kept: {keep})"
            )
    return 0


def _refuse_the_past(at: datetime) -> None:
    """A time typed in the past is a mistake more often than a wish to publish at once."""
    if at < datetime.now(UTC) - PAST_TOLERANCE:
        raise ConfigError(
            f"--at {at.isoformat()} is in the past: add --force to publish it at the next run",
            field="at",
        )


def _run(args: argparse.Namespace) -> int:
    from ..registry import connect

    with _open(args) as cal:
        while True:
            report = cal.run_due(lambda target: connect(target), limit=args.limit)
            stamp = datetime.now().astimezone().strftime("%H:%M:%S")
            print(f"[{stamp}] {report}", flush=True)
            if args.every is None:
                return 1 if report.failed else 0
            try:
                time.sleep(args.every)
            except KeyboardInterrupt:
                return 0


def _status(args: argparse.Namespace) -> int:
    with _open(args) as cal:
        status = cal.status(stale_after=timedelta(seconds=args.stale_after))
    print(status)
    return 0 if status.running or not status.due else 3


def _common(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument(
        "--file",
        default=default,
        help=f"the calendar file (default: $SOCIALKIT_CALENDAR or {DEFAULT_FILE})",
    )
    parser.add_argument(
        "--tz", default=default, help="time zone to show times in and read naive ones in"
    )


def add_calendar_commands(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``calendar list | add | run | status | utm`` to a CLI's subparsers; returns the
    ``calendar`` parser.

    Each command sets ``run`` (``args.run(args)`` returns the exit status).
    """
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "calendar", help="the content calendar: list, add and publish scheduled posts"
    )
    _common(parser, None)
    shared = argparse.ArgumentParser(add_help=False)
    _common(shared, argparse.SUPPRESS)  # also accepted after the command, without overriding
    commands = parser.add_subparsers(dest="calendar_command", required=True)

    listing = commands.add_parser("list", parents=[shared], help="entries in time order, or a week")
    listing.add_argument(
        "--state", choices=[s.value for s in State], help="only entries in this state"
    )
    listing.add_argument(
        "--week",
        nargs="?",
        const="this",
        help="show the week holding this date (default: this week)",
    )
    listing.set_defaults(run=_list)

    add = commands.add_parser("add", parents=[shared], help="add an entry")
    add.add_argument("text")
    add.add_argument(
        "--target", action="append", required=True, help="a profile or connection target (repeat)"
    )
    add.add_argument("--at", type=_datetime, help="when, ISO 8601 (naive times need --tz)")
    add.add_argument("--tag", action="append", help="a tag (repeat)")
    add.add_argument("--campaign")
    add.add_argument("--approvals", type=int, help="approvals needed (default 0)")
    add.add_argument("--no-utm", action="store_true", help="never UTM-tag this entry's links")
    add.add_argument("--keep-link", action="append", help="a link never to UTM-tag (repeat)")
    add.add_argument(
        "--force", action="store_true", help="schedule even if rules object or --at is past"
    )
    add.set_defaults(run=_add)

    run = commands.add_parser(
        "run", parents=[shared], help="publish what is due (once, or every N seconds)"
    )
    run.add_argument("--every", type=float, help="keep running, checking every N seconds")
    run.add_argument("--limit", type=int, help="the most deliveries per round")
    run.set_defaults(run=_run)

    status = commands.add_parser(
        "status",
        parents=[shared],
        help="which workers are alive; what is due, overdue, in flight, uncertain",
        description="Exit status 3 when deliveries are due and no worker is alive.",
    )
    add_stale_after(status)
    status.set_defaults(run=_status)

    utm = commands.add_parser(
        "utm", parents=[shared], help="show or set UTM tagging of links at dispatch"
    )
    utm.add_argument("--campaign", help="utm_campaign when an entry has no campaign")
    utm.add_argument("--medium", help="utm_medium (default: social)")
    utm.add_argument("--keep", action="append", help="a link (or prefix) never to tag (repeat)")
    utm.add_argument("--off", action="store_true", help="turn tagging off")
    utm.set_defaults(run=_utm)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the calendar commands alone (``python -m socialkit.calendar.cli``)."""
    return run_alone(add_calendar_commands, argv)


if __name__ == "__main__":
    raise SystemExit(main())
