"""The command line: ``python -m socialkit demo | platforms | post | digest | auth | calendar |
inbox``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .platform import Capability, Platform
from .registry import connect, platforms

__all__ = ["build_parser", "capability_matrix", "command_lines", "main"]


def capability_matrix(installed: dict[str, type[Platform]] | None = None) -> str:
    """The capability matrix of the installed platforms, as a Markdown table."""
    installed = installed if installed is not None else platforms()
    names = sorted(installed)
    lines = [
        "| capability | " + " | ".join(names) + " |",
        "| --- | " + " | ".join(":---:" for _ in names) + " |",
    ]
    for capability in Capability:
        marks = ["✓" if capability in installed[n].capabilities else "—" for n in names]
        lines.append(f"| {capability.value} | " + " | ".join(marks) + " |")
    return "\n".join(lines)


def _platforms(_: argparse.Namespace) -> int:
    installed = platforms()
    print(f"{len(installed)} platform(s) installed: {', '.join(sorted(installed))}\n")
    print(capability_matrix(installed))
    return 0


def _post(args: argparse.Namespace) -> int:
    with connect(args.target) as client:
        post = client.publish(args.text)
    print(f"published {post.id}: {post.url or ''}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from .demo import run_demo

    run_demo(out=sys.stdout)
    return 0


def _digest(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime
    from pathlib import Path

    from .errors import ConfigError
    from .monitoring import digest
    from .replies import InboxStore

    if not Path(args.store).is_file():
        raise ConfigError(f"no inbox store at {args.store}", field="store")
    end = None
    if args.end:
        end = datetime.fromisoformat(args.end)
        end = end if end.tzinfo else end.replace(tzinfo=UTC)
    with InboxStore(args.store) as store:
        items = store.items()
    report = digest(items, args.period, end=end, top=args.top)
    print(report.to_json() if args.json else report)
    if args.plot:
        import warnings

        with warnings.catch_warnings():  # no Chinese font installed: boxes, not a warning each
            warnings.filterwarnings("ignore", "Glyph .* missing from font", UserWarning)
            report.plot().savefig(args.plot)
        print(f"plot saved to {args.plot}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The ``socialkit`` argument parser; its help lists every command and subcommand."""
    parser = argparse.ArgumentParser(
        prog="socialkit",
        description="socialkit: one typed API over social platforms, on the command line.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", help=argparse.SUPPRESS
    )
    parser.usage = "socialkit [-h] COMMAND ..."  # after the subparsers, which take prog from it

    demo = commands.add_parser("demo", help="an end-to-end story on the built-in sandbox")
    demo.set_defaults(run=_demo)

    listing = commands.add_parser("platforms", help="installed platforms and what they can do")
    listing.set_defaults(run=_platforms)

    post = commands.add_parser("post", help="publish a text, e.g. post sandbox:// 'Hello'")
    post.add_argument("target", help="a platform name or URL (settings from SOCIALKIT_* env)")
    post.add_argument("text")
    post.set_defaults(run=_post)

    summary = commands.add_parser(
        "digest",
        help="topics, what is new and what needs an answer in an inbox store (insights extra)",
    )
    summary.add_argument("--store", required=True, help="the inbox's SQLite file (InboxStore)")
    summary.add_argument("--period", choices=["day", "week", "month"], default="week")
    summary.add_argument("--end", help="end of the period, ISO 8601 (default: the newest item)")
    summary.add_argument("--top", type=int, default=10, help="how many topics to show")
    summary.add_argument("--json", action="store_true", help="print the digest as JSON")
    summary.add_argument("--plot", metavar="FILE", help="save topic volume over time (plots extra)")
    summary.set_defaults(run=_digest)

    from .auth.cli import add_auth_commands
    from .calendar.cli import add_calendar_commands
    from .replies.cli import add_inbox_commands

    add_auth_commands(commands)
    add_calendar_commands(commands)
    add_inbox_commands(commands)
    lines = command_lines(parser)
    width = max(len(name) for name, _ in lines) + 2
    parser.epilog = "commands:\n" + "\n".join(
        f"  {name:<{width}}{text}".rstrip() for name, text in lines
    ) + "\n\n'socialkit COMMAND --help' says more about each."
    return parser


def command_lines(parser: argparse.ArgumentParser) -> list[tuple[str, str]]:
    """``(command, help)`` for every command and subcommand of ``parser``, depth first."""
    lines: list[tuple[str, str]] = []
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
        for name, sub in action.choices.items():
            lines.append((f"{parser.prog.split()[0]} {name}", helps.get(name, "")))
            lines.extend((f"{parser.prog.split()[0]} {name} {n.split(' ', 1)[1]}", h)
                         for n, h in command_lines(sub))
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    from ._status import run_command

    return run_command(build_parser().parse_args(argv))
