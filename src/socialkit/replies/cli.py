"""``python -m socialkit inbox status``: are the inbox's consumers running?

The store is ``--store`` (a SQLite file or a ``postgresql://`` URL), else
``$SOCIALKIT_INBOX``.
"""

from __future__ import annotations

import argparse
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from .._db import POSTGRES_SCHEMES
from .._status import add_stale_after, run_alone
from ..errors import ConfigError
from .store import InboxStore

__all__ = ["add_inbox_commands"]


def _open(args: argparse.Namespace) -> InboxStore:
    where = args.store or os.environ.get("SOCIALKIT_INBOX")
    if not where:
        raise ConfigError("give the inbox's store: --store PATH_OR_URL", field="store")
    if not where.startswith(POSTGRES_SCHEMES) and not Path(where).is_file():
        raise ConfigError(f"no inbox store at {where}", field="store")  # never create one
    return InboxStore(where, schema=args.schema)


def _status(args: argparse.Namespace) -> int:
    with _open(args) as store:
        status = store.status(stale_after=timedelta(seconds=args.stale_after))
    print(status)
    waiting = status.unsent or status.uncertain
    return 0 if status.running or not waiting else 3


def add_inbox_commands(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``inbox status`` to a CLI's subparsers; returns the ``inbox`` parser.

    Each command sets ``run`` (``args.run(args)`` returns the exit status).
    """
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "inbox", help="the reply inbox: are its consumers running?"
    )
    commands = parser.add_subparsers(dest="inbox_command", required=True)
    status = commands.add_parser(
        "status",
        help="which consumers are alive, which accounts are held; unsent, uncertain replies",
        description="Exit status 3 when replies wait to be sent and no consumer is alive.",
    )
    status.add_argument(
        "--store", help="the inbox's SQLite file or postgresql:// URL (default: $SOCIALKIT_INBOX)"
    )
    status.add_argument(
        "--schema", default="socialkit_inbox", help="its PostgreSQL schema (default: %(default)s)"
    )
    add_stale_after(status, "an account's consumer")
    status.set_defaults(run=_status)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the inbox commands alone (``python -m socialkit.replies.cli``)."""
    return run_alone(add_inbox_commands, argv)


if __name__ == "__main__":
    raise SystemExit(main())
