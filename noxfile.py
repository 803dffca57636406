"""Developer sessions: ``nox -s tests lint typecheck docs bench integration mutation``.

Every session installs the tools at the versions pinned in ``constraints.txt``
(``nox -s pins`` refreshes them), so a release upstream cannot change a result.
"""

from __future__ import annotations

import os
import re
import shutil
import tarfile
import time
import zipfile
from pathlib import Path

import nox

nox.options.sessions = ["tests", "lint", "typecheck"]

HERE = Path(__file__).parent
CONSTRAINTS = HERE / "constraints.txt"
# Everything CI, the docs, the integration and bench sessions install: the pins cover all of it.
PINNED_EXTRAS = "test,lint,docs,aiohttp,postgres,procrastinate,celery,bench,pandas"
PINNED_TOOLS = ["nox", "hatchling", "editables", "build", "twine", "playwright"]


def install(session: nox.Session, *args: str) -> None:
    """``pip install`` under the pinned constraints."""
    session.install("-c", str(CONSTRAINTS), *args)


@nox.session
def tests(session: nox.Session) -> None:
    """The whole test suite."""
    install(session, "-e", ".[test]")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session
def hunt(session: nox.Session) -> None:
    """The hostile-payload property tests with many more examples (default 500 per
    provider, ``nox -s hunt -- 2000``), randomised: a search for new parser bugs."""
    install(session, "-e", ".[test]")
    examples = session.posargs[0] if session.posargs else "500"
    session.run("python", "-m", "pytest", "-q", "tests/properties",
                env={"SOCIALKIT_PROPERTY_EXAMPLES": examples, "CI": ""})


@nox.session
def lint(session: nox.Session) -> None:
    """ruff on sources and tests."""
    install(session, "ruff")
    session.run("ruff", "check", "src", "tests", "examples", "scripts", "benchmarks", "noxfile.py")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the package (the aiohttp, postgres and procrastinate extras too: their
    modules are typed)."""
    install(session, "-e", ".[lint,aiohttp,postgres,procrastinate]")
    session.run("mypy", "--strict", "src")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation site, failing on any warning."""
    install(session, "-e", ".[docs]")
    session.run("mkdocs", "build", "--strict", env={"NO_MKDOCS_2_WARNING": "1"})


@nox.session(name="docs-latest")
def docs_latest(session: nox.Session) -> None:
    """Build the docs with the newest releases of the docs toolchain, ignoring the pins.

    CI runs it as an early warning of drift: it may fail, loudly, without failing CI.
    """
    session.install("--upgrade", "-e", ".[docs]")
    session.run(
        "mkdocs",
        "build",
        "--strict",
        "--site-dir",
        session.create_tmp() + "/site",
        env={"NO_MKDOCS_2_WARNING": "1"},
    )


@nox.session(name="docs-screens")
def docs_screens(session: nox.Session) -> None:
    """Build the site and screenshot two pages in headless Chromium (Debian's ``chromium``).

    Playwright drives the system browser; nothing is downloaded. Not in the default run.

    Writes ``docs-screens/reference-replies.png`` and ``docs-screens/search-inboxitem.png``.
    """
    install(session, "-e", ".[docs]", "playwright")
    site = Path(session.create_tmp()) / "site"
    session.run(
        "mkdocs",
        "build",
        "--strict",
        "--quiet",
        "--site-dir",
        str(site),
        env={"NO_MKDOCS_2_WARNING": "1"},
    )
    session.run("python", "scripts/docs_screens.py", str(site), "docs-screens", *session.posargs)


@nox.session
def pins(session: nox.Session) -> None:
    """Refresh ``constraints.txt``: the newest releases of every tool, resolved together.

    Run it on purpose and commit the result on its own, after CI passes with it.
    """
    session.install("--upgrade", "pip")
    session.install("--upgrade", "-e", f".[{PINNED_EXTRAS}]", *PINNED_TOOLS)
    frozen = session.run(
        "python", "-m", "pip", "freeze", "--all", "--exclude-editable", silent=True
    )
    assert isinstance(frozen, str)
    lines = sorted(
        (line for line in frozen.splitlines() if line and not line.startswith("#")),
        key=str.lower,
    )
    header = (
        "# Pinned tools and libraries for CI, the docs and the nox sessions.\n"
        "# The package keeps ranges (pyproject.toml); this file pins what we test with.\n"
        "# Refresh on purpose with `nox -s pins`, in a commit of its own.\n"
    )
    CONSTRAINTS.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    session.log(f"{len(lines)} pins written to {CONSTRAINTS.name}")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks side by side against raw httpx, raw aiohttp and peer libraries
    (``nox -s bench -- --install-size`` measures install sizes instead, slowly)."""
    install(session, "-e", ".[bench,pandas]")
    session.run("python", "benchmarks/run.py", *session.posargs)
    session.run("python", "benchmarks/bench_metrics.py")


@nox.session
def wheel(session: nox.Session) -> None:
    """Build the wheel and sdist, check them, and run the tests against the installed wheel.

    The session's virtualenv holds only the wheel (with its ``test`` extra) and the
    example provider, never ``src/``: the tests import what users would install.
    """
    install(session, "build", "twine")
    dist = Path(session.create_tmp()) / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    session.run("python", "-m", "build", "--outdir", str(dist))
    (wheel_file,) = dist.glob("socialkit-*.whl")
    (sdist_file,) = dist.glob("socialkit-*.tar.gz")
    _check_wheel(wheel_file)
    _check_sdist(sdist_file)
    session.run("python", "-m", "twine", "check", "--strict", str(wheel_file), str(sdist_file))

    session.install(f"{wheel_file}[test]")
    # a reused venv may hold an older build of the same version: replace it
    session.install("--force-reinstall", "--no-deps", str(wheel_file))
    session.install("--force-reinstall", "--no-deps", "./examples/socialkit-microblog")
    session.run(
        "python",
        "-c",
        "import socialkit, sys; f = socialkit.__file__; "
        "sys.exit(0 if 'site-packages' in f else f'tests would import {f}, not the wheel')",
    )
    session.run("python", "-m", "pytest", "-p", "no:cacheprovider", *session.posargs)
    session.run("python", "-m", "pytest", "-p", "no:cacheprovider", "examples/socialkit-microblog")


# The safety-critical modules and the fast tests that own each of them.
MUTATION_TARGETS: dict[str, tuple[str, tuple[str, ...]]] = {
    "dispatch": (
        "src/socialkit/calendar/dispatch.py",
        (
            "tests/calendar/test_calendar_dispatch.py",
            "tests/calendar/test_dispatch_protocol.py",
            "tests/calendar/test_calendar_pause.py",  # resume() and auto_resume()
            "tests/calendar/test_calendar_review.py",  # posts pending review
            "tests/calendar/test_calendar_utm.py",  # the draft sent
            "tests/calendar/test_calendar_rules.py",  # deferral by the rules at claim time
            "tests/calendar/test_calendar_approvals.py",  # approvals re-checked at claim time
            "tests/calendar/test_hostile_calendar.py",  # a scan that breaks off
            "tests/calendar/test_calendar_pushed.py",  # post status events pushed by webhooks
            "tests/calendar/test_calendar_quota.py",  # deferral for a platform's quota
        ),
    ),
    "http": (
        "src/socialkit/http.py",
        (
            "tests/test_core_drivers.py",
            "tests/test_http.py",
            "tests/test_hostile_net.py",  # deadlines, oversized and unreadable answers
            "tests/test_hostile_logs.py",  # the redacting log filter
            "tests/test_url_forms.py",  # the TLS-to-plain-HTTP hint
        ),
    ),
    "text": ("src/socialkit/text.py", ("tests/test_text.py",)),
    # The inbox's store: claims, send leases (one reply per comment), history, erasure.
    "inbox": (
        "src/socialkit/replies/store.py",
        (
            "tests/replies/test_replies_store.py",
            "tests/replies/test_inbox_store_edges.py",
            "tests/replies/test_replies_status.py",
            "tests/replies/test_replies_items.py",
            "tests/replies/test_replies_sync.py",
            "tests/replies/test_replies_approval.py",
            "tests/replies/test_replies_bot.py",
            "tests/replies/test_hostile_replies.py",
            "tests/replies/test_hostile_bot.py",
            "tests/test_hostile_stores.py",
            "tests/integration/test_inbox_stores.py",  # the conformance suite, on SQLite
        ),
    ),
    "pii": ("src/socialkit/privacy/pii.py", ("tests/privacy/test_pii.py",)),
    # Every receiver's order (handshake, size, signature before parsing, replays) and the
    # constant-time comparison of signatures.
    "webhooks": (
        "src/socialkit/webhooks/receiver.py",
        (
            "tests/events/test_receivers.py",
            "tests/events/test_seen.py",
            "tests/events/test_asgi.py",
        ),
    ),
}
MUTATION_EQUIVALENTS = Path("tests/mutation_equivalents.md")


@nox.session
def mutation(session: nox.Session) -> None:
    """Mutation testing (mutmut 3) of the safety-critical modules, each against its own tests.

    ``nox -s mutation`` runs every module of ``MUTATION_TARGETS``, one after another;
    ``nox -s mutation -- http pii`` only those. ``MUTMUT_MAX_CHILDREN`` (default 2) bounds
    the parallel test processes. Each module runs in a scratch copy of the project under
    ``.nox/mutation/tmp/<module>`` (its own ``[tool.mutmut]``), so ``mutmut show <id>`` and
    ``mutmut browse`` work there afterwards. Surviving mutants listed in
    ``tests/mutation_equivalents.md`` are equivalent and left out of the survival rate.
    """
    if session.venv_backend != "none":  # --no-venv: use the current environment as it is
        session.install("-e", ".[test,mutation]")
    names = session.posargs or list(MUTATION_TARGETS)
    unknown = sorted(set(names) - set(MUTATION_TARGETS))
    if unknown:
        session.error(f"unknown module(s) {unknown}; choose from {sorted(MUTATION_TARGETS)}")
    children = os.environ.get("MUTMUT_MAX_CHILDREN", "2")
    equivalents = _equivalent_mutants(MUTATION_EQUIVALENTS.read_text(encoding="utf-8"))
    project = Path.cwd()
    rows = []
    for name in names:
        module, tests = MUTATION_TARGETS[name]
        workdir = Path(session.create_tmp()) / name
        shutil.rmtree(workdir, ignore_errors=True)
        workdir.mkdir(parents=True)
        shutil.copytree(project / "src", workdir / "src")
        shutil.copytree(project / "tests", workdir / "tests")
        config = project.joinpath("pyproject.toml").read_text(encoding="utf-8")
        config += _mutmut_config(module, tuple(t for t in tests if (project / t).exists()))
        workdir.joinpath("pyproject.toml").write_text(config, encoding="utf-8")
        started = time.monotonic()
        with session.chdir(workdir):
            session.run("mutmut", "run", "--max-children", children)
            results = session.run("mutmut", "results", "--all", "true", silent=True)
        minutes = (time.monotonic() - started) / 60
        rows.append((*_survival(name, str(results), equivalents), minutes))
    session.log("module      mutants  survived  equivalent  survival  minutes")
    for name, total, survived, equivalent, minutes in rows:
        counted = total - equivalent
        rate = 100 * (survived - equivalent) / counted if counted else 0.0
        session.log(
            f"{name:<10} {total:>8} {survived:>9} {equivalent:>11} {rate:>8.1f} % {minutes:>8.1f}"
        )


def _mutmut_config(module: str, tests: tuple[str, ...]) -> str:
    quoted = ", ".join(f'"{t}"' for t in tests)
    return (
        "\n[tool.mutmut]\n"
        'source_paths = ["src"]\n'
        f'only_mutate = ["{module}"]\n'
        f"pytest_add_cli_args_test_selection = [{quoted}]\n"
        # the conformance suites' PostgreSQL half would start a server for every mutant
        'pytest_add_cli_args = ["-k", "not postgres"]\n'
    )


def _equivalent_mutants(listing: str) -> frozenset[str]:
    """The mutant ids in backticks at the start of the list items of the equivalents file."""
    return frozenset(re.findall(r"^- `([\w.ǁ]+__mutmut_\d+)`", listing, re.MULTILINE))


def _survival(name: str, results: str, equivalents: frozenset[str]) -> tuple[str, int, int, int]:
    """(module, mutants, survived, survived but equivalent) from ``mutmut results --all``."""
    verdicts = dict(re.findall(r"^\s*(\S+__mutmut_\d+): (.+)$", results, re.MULTILINE))
    survived = {m for m, verdict in verdicts.items() if verdict.strip() in ("survived", "no tests")}
    return name, len(verdicts), len(survived), len(survived & equivalents)


def _check_wheel(path: Path) -> None:
    """The wheel ships the package with its ``py.typed`` marker, and nothing else."""
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
    top = {name.split("/")[0] for name in names}
    unexpected = {t for t in top if t != "socialkit" and not t.endswith(".dist-info")}
    problems = [f"unexpected top-level entries {sorted(unexpected)}"] if unexpected else []
    if "socialkit/py.typed" not in names:
        problems.append("socialkit/py.typed is missing")
    if any("/tests/" in n or n.startswith(("tests/", "docs/", "examples/")) for n in names):
        problems.append("tests, docs or examples are in the wheel")
    if problems:
        raise nox.command.CommandFailed(f"{path.name}: " + "; ".join(problems))


def _check_sdist(path: Path) -> None:
    """The sdist can rebuild the wheel and run the tests: sources, tests, licence, README."""
    with tarfile.open(path) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    needed = ["pyproject.toml", "README.md", "src/socialkit/__init__.py", "src/socialkit/py.typed"]
    missing = [n for n in needed if n not in names]
    if missing:
        raise nox.command.CommandFailed(f"{path.name} lacks {missing}")


@nox.session
def integration(session: nox.Session) -> None:
    """Integration tests against real servers on loopback, which the tests start themselves
    (``SOCIALKIT_IT_START=1``): snac2, a Mastodon-API server (Debian trixie's package,
    fetched with apt into ``~/.cache/socialkit-it/snac2`` on first use), and Bluesky's
    reference stack (installed into ``~/.cache/socialkit-it/atproto`` on first use; needs
    PostgreSQL, Redis and npm). The calendar's stores and engines run here too: PostgreSQL
    and Redis from Debian's packages, started by the tests as their own processes; the
    chaos test with 1,000 deliveries."""
    install(session, "-e", ".[test,postgres,procrastinate,celery]")
    session.run(
        "python",
        "-m",
        "pytest",
        "tests/integration",
        "-m",
        "integration",
        *session.posargs,
        env={"SOCIALKIT_IT_START": "1"},
    )
    # The calendar's and the inbox's own suites once more, each `cal` and inbox `store` on
    # a PostgreSQL schema instead of a file.
    session.run(
        "python",
        "tests/integration/servers/postgres.py",
        "python",
        "-m",
        "pytest",
        "-q",
        "tests/calendar",
        "tests/replies",
    )
