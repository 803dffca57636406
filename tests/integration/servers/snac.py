"""snac2, a Mastodon-client-API server in C, on loopback for the integration tests.

Installed without root-wide changes: Debian trixie's ``snac2`` package is fetched with
``apt-get download`` (a private sources list built from this machine's own Debian mirror)
and unpacked with ``dpkg -x`` into ``~/.cache/socialkit-it/snac2`` (``SOCIALKIT_IT_CACHE``
moves it). Each run gets a fresh data directory with three users, ``alice``, ``bob`` and
``carol``, and OAuth tokens for them, obtained through snac's own login form.

Known server gaps (the tests handle or skip them explicitly): delivery between local
users is asynchronous (poll), and under a burst it may deliver a status twice or lose
one (the tests compare with what the server lists); no ``DELETE /api/v1/statuses/:id``;
``/context`` returns direct replies only; ``types[]`` is ignored; no
``/api/v2/instance``; no ``Link`` headers; ``Idempotency-Key`` is ignored; a bad token
on ``verify_credentials`` answers 422; notifications list at most the newest 64 (across
pages); favourite and reblog answer 404 until the status has reached the actor's
timeline (follow, then poll); every connection is closed after its response without
``Connection: close``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

__all__ = ["SnacServer", "SnacUnavailable", "cache_dir", "install", "installed"]

USERS = {"alice": "alice-password", "bob": "bob-password", "carol": "carol-password"}
OOB = "urn:ietf:wg:oauth:2.0:oob"


class SnacUnavailable(RuntimeError):
    """snac2 cannot be installed or started here; the message says why."""


def cache_dir() -> Path:
    """Where the unpacked package is kept between runs."""
    root = os.environ.get("SOCIALKIT_IT_CACHE") or Path.home() / ".cache" / "socialkit-it"
    return Path(root) / "snac2"


def installed() -> Path | None:
    """The cached ``snac`` binary, if there is one."""
    binary = cache_dir() / "root" / "usr" / "bin" / "snac"
    return binary if binary.is_file() else None


def _mirror() -> str:
    """This machine's Debian mirror URI (deb822 sources first, then sources.list)."""
    sources = Path("/etc/apt/sources.list.d/debian.sources")
    if sources.is_file():
        found = re.search(r"^URIs:\s*(\S+)", sources.read_text(), re.MULTILINE)
        if found:
            return found.group(1)
    legacy = Path("/etc/apt/sources.list")
    if legacy.is_file():
        found = re.search(r"^deb\s+(?:\[[^]]*\]\s+)?(\S+)\s", legacy.read_text(), re.MULTILINE)
        if found:
            return found.group(1)
    return "http://deb.debian.org/debian"


def install() -> Path:
    """Fetch and unpack trixie's snac2 into the cache (a no-op when cached)."""
    binary = installed()
    if binary is not None:
        return binary
    if not (shutil.which("apt-get") and shutil.which("dpkg")):
        raise SnacUnavailable("snac2 needs apt-get and dpkg (a Debian-based machine) to install")
    work = cache_dir()
    lists = work / "aptlists" / "partial"
    lists.mkdir(parents=True, exist_ok=True)
    keyring = "/usr/share/keyrings/debian-archive-keyring.gpg"
    (work / "trixie.list").write_text(f"deb [signed-by={keyring}] {_mirror()} trixie main\n")
    apt = [
        "apt-get",
        "-o", f"Dir::Etc::sourcelist={work / 'trixie.list'}",
        "-o", "Dir::Etc::sourceparts=-",
        "-o", f"Dir::State::Lists={work / 'aptlists'}",
        "-o", "APT::Sandbox::User=root",
    ]  # fmt: skip
    try:
        subprocess.run([*apt, "update", "-qq"], check=True, capture_output=True, timeout=300)
        subprocess.run([*apt, "download", "snac2"], cwd=work, check=True, capture_output=True,
                       timeout=300)  # fmt: skip
        (package,) = sorted(work.glob("snac2_*.deb"))[-1:]
        subprocess.run(["dpkg", "-x", str(package), str(work / "root")], check=True,
                       capture_output=True, timeout=120)  # fmt: skip
    except (subprocess.SubprocessError, ValueError, OSError) as exc:
        detail = (getattr(exc, "stderr", b"") or b"").decode(errors="replace")[-300:]
        raise SnacUnavailable(f"could not fetch trixie's snac2 with apt: {exc} {detail}") from exc
    binary = installed()
    if binary is None:
        raise SnacUnavailable("the snac2 package holds no usr/bin/snac")
    return binary


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class SnacServer:
    """One running ``snac httpd`` with a fresh data dir; `tokens` maps user to token."""

    binary: Path
    data: Path
    port: int
    process: subprocess.Popen[bytes] | None = None
    tokens: dict[str, str] | None = None

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> SnacServer:
        """Initialise the data dir, add the users, start the server, log both users in."""
        missing = _missing_libraries(self.binary)
        if missing:
            raise SnacUnavailable(
                f"snac2 lacks shared libraries {missing}: `apt-get install libcurl4 libssl3`"
            )
        shutil.rmtree(self.data, ignore_errors=True)
        answers = f"127.0.0.1\n{self.port}\nlocalhost:{self.port}\n\n\n"
        self._snac(["init", str(self.data)], stdin=answers)
        config_path = self.data / "server.json"
        config = json.loads(config_path.read_text())
        config.update(protocol="http", num_threads=8, dbglevel=1, queue_retry_minutes=1)
        config_path.write_text(json.dumps(config, indent=4))
        for user, password in USERS.items():
            self._snac(["adduser", str(self.data), user], stdin="\n")
            user_path = self.data / "user" / user / "user.json"
            settings = json.loads(user_path.read_text())
            nonce = "0badc0de"
            digest = hashlib.sha1(f"{nonce}:{user}:{password}".encode()).hexdigest()
            settings["passwd"] = f"{nonce}:{digest}"
            user_path.write_text(json.dumps(settings, indent=4))
        log = (self.data.parent / "httpd.log").open("wb")
        self.process = subprocess.Popen(
            [str(self.binary), "httpd", str(self.data)], stdout=log, stderr=subprocess.STDOUT
        )
        self._wait_until_up()
        self.tokens = {user: self._login(user, password) for user, password in USERS.items()}
        return self

    def stop(self) -> None:
        """Stop the server (by its own process, never by name)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def _snac(self, args: list[str], *, stdin: str) -> None:
        subprocess.run(
            [str(self.binary), *args], input=stdin.encode(), check=True, capture_output=True,
            timeout=60,
        )  # fmt: skip

    def _wait_until_up(self, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise SnacUnavailable(f"snac httpd exited with {self.process.returncode}")
            try:
                if httpx.get(self.url + "/api/v1/instance", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise SnacUnavailable(f"snac httpd did not answer on {self.url} in {timeout:g} s")

    def _login(self, user: str, password: str) -> str:
        """An access token through snac's OAuth form (``/oauth/x-snac-login``)."""
        # snac closes each connection after its answer without saying so: no keep-alive.
        fresh = httpx.HTTPTransport(limits=httpx.Limits(max_keepalive_connections=0))
        with httpx.Client(base_url=self.url, timeout=10, transport=fresh) as http:
            app = http.post(
                "/api/v1/apps",
                data={"client_name": "socialkit-it", "redirect_uris": OOB,
                      "scopes": "read write follow push"},
            ).json()  # fmt: skip
            code = http.post(
                "/oauth/x-snac-login",
                data={"login": user, "passwd": password, "redir": OOB, "cid": app["client_id"]},
            ).text.strip()
            token = http.post(
                "/oauth/token",
                data={"grant_type": "authorization_code", "code": code,
                      "client_id": app["client_id"], "client_secret": app["client_secret"],
                      "redirect_uri": OOB},
            ).json()  # fmt: skip
        return str(token["access_token"])


def _missing_libraries(binary: Path) -> list[str]:
    if not shutil.which("ldd"):
        return []
    listing = subprocess.run(["ldd", str(binary)], capture_output=True, text=True, check=False)
    return re.findall(r"^\s*(\S+) => not found", listing.stdout, re.MULTILINE)
