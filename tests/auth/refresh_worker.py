"""One process of the two-process refresh test: ``python refresh_worker.py STORE API SYNC NAME``.

It opens the saved profile ``brand`` from the token store at STORE, waits until every
process of the test has done the same (a file per process in the directory SYNC),
then calls ``GET API/api/me``: the saved access token has expired, so the call
refreshes it first. It prints the user it got, or the error's class.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import httpx

from socialkit.auth import FileTokenStore
from socialkit.auth.profiles import open_profile
from socialkit.client import Client
from socialkit.errors import SocialkitError
from socialkit.platform import Flow, Platform

PROCESSES = 2


class Toy(Platform):
    name = "toy"

    def whoami(self) -> Flow[str]:
        response = yield self.call("GET", "/api/me")
        return str(self.json(response)["username"])


def main(store_path: str, api: str, sync: str, name: str) -> None:
    binding = open_profile("brand", "toy", FileTokenStore(store_path))
    platform = Toy(base_url=api, **binding.settings_for(Toy))
    binding.bind(platform)
    Path(sync, name).touch()
    deadline = time.monotonic() + 30
    while len(list(Path(sync).iterdir())) < PROCESSES and time.monotonic() < deadline:
        time.sleep(0.005)
    with Client(platform, transport=httpx.HTTPTransport()) as client:
        try:
            print(client.run(platform.whoami()), flush=True)
        except SocialkitError as error:
            print(type(error).__name__, flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
