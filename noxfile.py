"""Developer sessions: ``nox -s tests lint typecheck docs bench``."""

from __future__ import annotations

import shutil
import tarfile
import zipfile
from pathlib import Path

import nox

nox.options.sessions = ["tests", "lint", "typecheck"]


@nox.session
def tests(session: nox.Session) -> None:
    """The whole test suite."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff on sources and tests."""
    session.install("ruff")
    session.run("ruff", "check", "src", "tests")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the package (the aiohttp extra too: its transport module is typed)."""
    session.install("-e", ".[lint,aiohttp]")
    session.run("mypy", "--strict", "src")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation site, failing on any warning."""
    session.install("-e", ".[docs]")
    session.run("mkdocs", "build", "--strict")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks side by side against raw httpx, raw aiohttp and peer libraries
    (``nox -s bench -- --install-size`` adds install sizes, slowly)."""
    session.install("-e", ".[bench,pandas]")
    session.run("python", "benchmarks/run.py", *session.posargs)
    session.run("python", "benchmarks/bench_metrics.py")


@nox.session
def wheel(session: nox.Session) -> None:
    """Build the wheel and sdist, check them, and run the tests against the installed wheel.

    The session's virtualenv holds only the wheel (with its ``test`` extra) and the
    example provider, never ``src/``: the tests import what users would install.
    """
    session.install("build", "twine")
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
