"""Developer sessions: ``nox -s tests lint typecheck docs bench``."""

from __future__ import annotations

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
    """mypy --strict on the package."""
    session.install("-e", ".[lint]")
    session.run("mypy", "--strict", "src")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation site, failing on any warning."""
    session.install("-e", ".[docs]")
    session.run("mkdocs", "build", "--strict")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks side by side against raw httpx and peer libraries."""
    session.install("-e", ".[bench,pandas]")
    session.run("python", "benchmarks/run.py", *session.posargs)


@nox.session
def wheel(session: nox.Session) -> None:
    """Build the wheel and sdist, install the wheel in a clean venv, run the tests against it."""
    session.install("build")
    session.run("python", "-m", "build", "--outdir", "dist")
    wheels = sorted(__import__("glob").glob("dist/socialkit-*.whl"))
    session.install(f"{wheels[-1]}[test]")
    session.run("python", "-m", "pytest", "-p", "no:cacheprovider")
