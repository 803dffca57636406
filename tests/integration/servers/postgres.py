"""A throwaway PostgreSQL cluster for the tests: Debian's binaries, our own process.

``initdb`` writes a cluster into a temporary directory and ``postgres`` serves it on a
Unix socket in that directory only (no TCP listener). ``initdb`` refuses to run as root,
so as root (CI) the cluster belongs to the ``postgres`` system user that Debian's
package creates, and the server runs as that user. Durability is off (``fsync=off``):
the tests kill workers, never the database.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import time
from pathlib import Path

__all__ = ["PostgresServer", "PostgresUnavailable", "bindir"]


class PostgresUnavailable(RuntimeError):
    """PostgreSQL cannot be started here; the message says why."""


def bindir() -> Path | None:
    """The newest ``/usr/lib/postgresql/<version>/bin`` with ``initdb`` and ``postgres``
    (``SOCIALKIT_PG_BINDIR`` overrides it), or ``None``."""
    override = os.environ.get("SOCIALKIT_PG_BINDIR")
    candidates = [Path(override)] if override else []
    root = Path("/usr/lib/postgresql")
    if root.is_dir():
        versions = sorted(
            (p for p in root.iterdir() if p.name.isdigit()), key=lambda p: int(p.name)
        )
        candidates += [p / "bin" for p in reversed(versions)]
    for path in candidates:
        if (path / "initdb").is_file() and (path / "postgres").is_file():
            return path
    return None


class PostgresServer:
    """One cluster in ``root`` (a directory the server's user can reach: not under a
    root-only one), served on a socket in ``root``."""

    def __init__(self, binaries: Path, root: Path) -> None:
        self.bin = binaries
        self.root = root
        self.data = root / "data"
        self.process: subprocess.Popen[bytes] | None = None
        self.user = "postgres" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name

    @property
    def conninfo(self) -> str:
        """libpq connection string of the cluster's ``postgres`` database."""
        return f"host={self.root} port=5432 user={self.user} dbname=postgres"

    def _as_owner(self) -> dict[str, object]:
        if os.geteuid() != 0:
            return {}
        account = pwd.getpwnam(self.user)
        return {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}

    def start(self, timeout: float = 30.0) -> None:
        """initdb, then start the server and wait until it accepts connections."""
        self.root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            try:
                account = pwd.getpwnam(self.user)
            except KeyError as exc:
                raise PostgresUnavailable("running as root and there is no postgres user") from exc
            os.chown(self.root, account.pw_uid, account.pw_gid)
            self.root.chmod(0o755)
        log = self.root / "initdb.log"
        with log.open("wb") as out:
            result = subprocess.run(
                [
                    str(self.bin / "initdb"),
                    "-D",
                    str(self.data),
                    "-A",
                    "trust",
                    "-U",
                    self.user,
                    "-E",
                    "UTF8",
                    "--no-instructions",
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                check=False,
                cwd=self.root,
                **self._as_owner(),  # type: ignore[call-overload]
            )
        if result.returncode != 0:
            raise PostgresUnavailable(f"initdb failed: {log.read_text()[-2000:]}")
        with (self.root / "server.log").open("wb") as server_log:
            self.process = subprocess.Popen(
                [
                    str(self.bin / "postgres"),
                    "-D",
                    str(self.data),
                    "-k",
                    str(self.root),
                    "-c",
                    "listen_addresses=",
                    "-c",
                    "fsync=off",
                    "-c",
                    "synchronous_commit=off",
                    "-c",
                    "full_page_writes=off",
                    "-c",
                    "max_connections=200",
                ],
                stdout=server_log,
                stderr=subprocess.STDOUT,
                cwd=self.root,
                **self._as_owner(),  # type: ignore[call-overload]
            )
        deadline = time.monotonic() + timeout
        import psycopg

        while True:
            try:
                psycopg.connect(self.conninfo, connect_timeout=2).close()
                return
            except psycopg.OperationalError as exc:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    tail = (self.root / "server.log").read_text()[-2000:]
                    raise PostgresUnavailable(f"postgres did not start: {exc}; {tail}") from exc
                time.sleep(0.05)

    def stop(self) -> None:
        """Stop the server (smart shutdown, then a kill) and remove its directory."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        with contextlib.suppress(OSError):
            shutil.rmtree(self.root)


def main(argv: list[str]) -> int:
    """``python tests/integration/servers/postgres.py COMMAND...``: run COMMAND with a
    throwaway cluster, its conninfo in ``SOCIALKIT_CALENDAR_PG`` and ``SOCIALKIT_INBOX_PG``."""
    import sys
    import tempfile

    binaries = bindir()
    if binaries is None:
        print(
            "PostgreSQL's binaries are not installed: apt-get install postgresql", file=sys.stderr
        )
        return 1
    server = PostgresServer(binaries, Path(tempfile.mkdtemp(prefix="socialkit-pg-")))
    server.start()
    try:
        pg = {"SOCIALKIT_CALENDAR_PG": server.conninfo, "SOCIALKIT_INBOX_PG": server.conninfo}
        env = {**os.environ, **pg}
        return subprocess.run(argv, env=env, check=False).returncode
    finally:
        server.stop()


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
