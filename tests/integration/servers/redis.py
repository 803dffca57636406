"""A throwaway Redis for the tests: Debian's ``redis-server``, our own process, a Unix
socket in a temporary directory and no TCP port (``--port 0``), nothing saved."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
from pathlib import Path

__all__ = ["RedisServer", "RedisUnavailable", "binary"]


class RedisUnavailable(RuntimeError):
    """Redis cannot be started here; the message says why."""


def binary() -> str | None:
    """The ``redis-server`` on PATH, or ``None``."""
    return shutil.which("redis-server")


class RedisServer:
    """One ``redis-server`` serving ``root/redis.sock``."""

    def __init__(self, executable: str, root: Path) -> None:
        self.executable = executable
        self.root = root
        self.socket = root / "redis.sock"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The broker URL of the socket (kombu's and redis-py's form)."""
        return f"redis+socket://{self.socket}"

    def start(self, timeout: float = 20.0) -> None:
        """Start the server and wait until it answers PING."""
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / "redis.log").open("wb") as log:
            self.process = subprocess.Popen(
                [self.executable, "--port", "0", "--unixsocket", str(self.socket),
                 "--unixsocketperm", "700", "--save", "", "--appendonly", "no",
                 "--dir", str(self.root)],
                stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX) as conn:
                conn.connect(str(self.socket))
                conn.sendall(b"PING\r\n")
                if conn.recv(16).startswith(b"+PONG"):
                    return
            time.sleep(0.05)
        self.stop()
        raise RedisUnavailable((self.root / "redis.log").read_text()[-2000:])

    def stop(self) -> None:
        """Stop the server and remove its directory."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)
