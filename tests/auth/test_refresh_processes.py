"""Two processes (or threads) refreshing one saved profile at once: both end with a valid token."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from socialkit.auth import (
    FileTokenStore,
    MemoryTokenStore,
    StoredProfile,
    StoredToken,
    TokenStore,
)
from socialkit.auth.profiles import open_profile
from socialkit.client import Client
from socialkit.errors import SocialkitError
from tests.auth._authserver import CLIENT_ID, USER, AuthServer, Token
from tests.auth.refresh_worker import Toy

WORKER = Path(__file__).with_name("refresh_worker.py")


def test_two_processes_share_one_rotating_refresh_token(
    auth_server: AuthServer, tmp_path: Path
) -> None:
    # the server rotates refresh tokens and refuses a used one; the saved access token expired
    auth_server.db.tokens.append(
        Token("A0", "R0", CLIENT_ID, "read write offline", USER, 3600, issued_at=0.0)
    )
    store = FileTokenStore(tmp_path / "tokens.json")
    token = StoredToken(
        access_token="A0",
        refresh_token="R0",
        expires_at=time.time() - 60,
        token_endpoint=f"{auth_server.url}/token",
        client_id=CLIENT_ID,
    )
    store.save("brand", StoredProfile(platform="toy", settings={"access_token": "A0"}, token=token))
    sync = tmp_path / "sync"
    sync.mkdir()

    workers = [
        subprocess.Popen(
            [sys.executable, str(WORKER), str(store.path), auth_server.url, str(sync), name],
            stdout=subprocess.PIPE,
            text=True,
        )
        for name in ("one", "two")
    ]
    answers = [worker.communicate(timeout=60)[0].strip() for worker in workers]

    assert answers == [USER, USER]  # no ReauthRequired
    assert auth_server.db.log.count(("POST", "/token")) == 1
    saved = store.load("brand")
    assert saved is not None
    assert saved.token is not None
    assert saved.token.access_token is not None
    current = auth_server.db.by_access(saved.token.access_token.get_secret_value())
    assert current is not None
    assert not current.is_expired()
    assert not current.revoked


@pytest.mark.parametrize("kind", ["memory", "file"])
def test_two_threads_share_one_rotating_refresh_token(
    auth_server: AuthServer, tmp_path: Path, kind: str
) -> None:
    auth_server.db.tokens.append(
        Token("A0", "R0", CLIENT_ID, "read write offline", USER, 3600, issued_at=0.0)
    )
    store: TokenStore = (
        MemoryTokenStore() if kind == "memory" else FileTokenStore(tmp_path / "tokens.json")
    )
    token = StoredToken(
        access_token="A0",
        refresh_token="R0",
        expires_at=time.time() - 60,
        token_endpoint=f"{auth_server.url}/token",
        client_id=CLIENT_ID,
    )
    store.save("brand", StoredProfile(platform="toy", settings={"access_token": "A0"}, token=token))
    platforms = []
    for _ in range(2):  # two connections, each with its own credential, opened before either runs
        binding = open_profile("brand", "toy", store)
        platform = Toy(base_url=auth_server.url, **binding.settings_for(Toy))
        binding.bind(platform)
        platforms.append(platform)
    start = threading.Barrier(2)

    def run(platform: Toy) -> str:
        with Client(platform, transport=httpx.HTTPTransport()) as client:
            start.wait()
            try:
                return client.run(platform.whoami())
            except SocialkitError as error:
                return type(error).__name__

    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(run, platforms))

    assert answers == [USER, USER]
    assert auth_server.db.log.count(("POST", "/token")) == 1
