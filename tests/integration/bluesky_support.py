"""What the Bluesky integration tests share: the dev network's addresses, account creation
through the PDS, a driver running sync or async clients behind one calling convention, and
polling for what the AppView indexes with a lag."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import attrs
import httpx
from anyio.from_thread import BlockingPortal, start_blocking_portal

import socialkit as sk
from socialkit.http import RetryPolicy

T = TypeVar("T")

PDS = "http://127.0.0.1:2583"
SCRIPTS = Path(__file__).parent / "servers" / "atproto"
START_ENV = "SOCIALKIT_IT_START"
DEV_JWT_SECRET = b"jwt-secret"  # @atproto/dev-env's published test secret (dist/const.js)
FAST = RetryPolicy(backoff=0.05, max_backoff=0.2)


def pds_up(timeout: float = 2.0) -> bool:
    """True when the dev network's PDS answers its health check."""
    try:
        return httpx.get(f"{PDS}/xrpc/_health", timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False


def run_script(name: str, timeout: float) -> str:
    """Run one of the stack's scripts; its output, or `RuntimeError` with it when it fails."""
    done = subprocess.run(["bash", str(SCRIPTS / name)], capture_output=True, text=True,
                          timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{name} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def wants_start() -> bool:
    """True when the session was asked to start the servers itself (``nox -s integration``)."""
    return os.environ.get(START_ENV) == "1"


@attrs.frozen
class Account:
    """An account made on the dev PDS: its handle, DID, app password and main password."""

    handle: str
    did: str
    app_password: str
    password: str


def xrpc(method: str, nsid: str, *, token: str | None = None, **kwargs: Any) -> Any:
    """One raw XRPC call to the PDS (for what socialkit does not do: making accounts)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = httpx.request(method, f"{PDS}/xrpc/{nsid}", headers=headers, timeout=30, **kwargs)
    response.raise_for_status()
    return response.json() if response.content else None


def create_account(prefix: str) -> Account:
    """A fresh account (``com.atproto.server.createAccount``: the dev PDS needs no invite)
    and an app password for it (``com.atproto.server.createAppPassword``), once the
    AppView knows it."""
    handle = f"{prefix}{secrets.token_hex(4)}.test"
    password = secrets.token_urlsafe(12)
    made = xrpc("POST", "com.atproto.server.createAccount", json={
        "handle": handle, "email": f"{handle}@example.com", "password": password,
    })
    app = xrpc("POST", "com.atproto.server.createAppPassword", token=made["accessJwt"],
               json={"name": "socialkit-it"})

    def indexed() -> bool | None:  # the AppView learns of a new account with a lag
        response = httpx.get(f"{PDS}/xrpc/app.bsky.actor.getProfile",
                             params={"actor": made["did"]}, timeout=30,
                             headers={"Authorization": f"Bearer {made['accessJwt']}"})
        return True if response.status_code == 200 else None

    eventually(indexed, timeout=60)
    return Account(handle=handle, did=made["did"], app_password=app["password"],
                   password=password)


def expired_copy(token: str) -> str:
    """The dev PDS's access JWT re-signed with an ``exp`` in the past (HS256, the dev secret)."""

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header, payload, _ = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    now = int(time.time())
    claims.update(iat=now - 3600, exp=now - 60)
    signing = f"{header}.{b64(json.dumps(claims).encode())}"
    signature = hmac.new(DEV_JWT_SECRET, signing.encode(), hashlib.sha256).digest()
    return f"{signing}.{b64(signature)}"


def eventually(probe: Callable[[], T | None], *, timeout: float = 30.0,
               every: float = 0.25) -> T:
    """Poll ``probe`` until it returns something (the AppView indexes with a lag: until
    then it answers `NotFound` for what the PDS already holds)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            found = probe()
        except sk.NotFound:
            found = None
        if found is not None:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"nothing after {timeout} s of polling")
        time.sleep(every)


class Driver:
    """A sync `Client` or an `AsyncClient` (run on one event loop in a portal thread) behind
    one calling convention: operations return their results, listings a list of items."""

    def __init__(self, client: sk.Client | sk.AsyncClient, portal: BlockingPortal | None):
        self.client = client
        self.portal = portal

    @property
    def platform(self) -> Any:
        """The client's provider (its session, its page size)."""
        return self.client.platform

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self.client, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            if self.portal is None:
                result = method(*args, **kwargs)
                return list(result) if isinstance(result, sk.Paginator) else result

            async def run() -> Any:
                result = method(*args, **kwargs)
                if isinstance(result, sk.AsyncPaginator):
                    return [item async for item in result]
                return await result

            return self.portal.call(run)

        return call

    def pages(self, name: str, *args: Any, **kwargs: Any) -> list[sk.ResultPage[Any]]:
        """Every page of a listing."""
        if self.portal is None:
            return list(getattr(self.client, name)(*args, **kwargs).pages())

        async def gather() -> list[sk.ResultPage[Any]]:
            return [page async for page in getattr(self.client, name)(*args, **kwargs).pages()]

        return self.portal.call(gather)


@contextmanager
def driver(kind: str, account: Account, **settings: Any) -> Iterator[Driver]:
    """A client of ``account`` on the dev PDS, sync or async, closed afterwards."""
    values = {"handle": account.handle, "app_password": account.app_password,
              "service": PDS, "retry": FAST} | settings
    if kind == "sync":
        with sk.connect("bluesky", **values) as client:
            yield Driver(client, None)
        return
    with start_blocking_portal() as portal:
        aclient = sk.aconnect("bluesky", **values)
        try:
            yield Driver(aclient, portal)
        finally:
            portal.call(aclient.aclose)


__all__ = ["PDS", "Account", "Driver", "create_account", "driver", "eventually",
           "expired_copy", "pds_up", "run_script", "wants_start", "xrpc"]
