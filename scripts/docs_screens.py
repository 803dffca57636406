"""Screenshot the built docs site in headless Chromium: ``python scripts/docs_screens.py SITE OUT``.

Serves ``SITE`` on a loopback port and saves two pictures in ``OUT``: the API
reference of ``socialkit.replies`` and the search results for "InboxItem". It
needs Debian's ``chromium`` (``apt-get install chromium``). Run it through
``nox -s docs-screens``, which builds the site first.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGES = {
    "reference-replies.png": "reference/replies/",
    "search-inboxitem.png": "reference/replies/?q=InboxItem",
}
# No background networking: this machine reaches no outside host (see the env notes).
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--window-size=1280,1400",
    "--virtual-time-budget=10000",
]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def screenshot(browser: str, url: str, out: Path) -> None:
    """Save a screenshot of ``url`` to ``out`` with a fresh, empty profile."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--screenshot={out}", url],
            check=True,
            capture_output=True,
            timeout=120,
        )
    if not out.is_file():
        raise SystemExit(f"chromium wrote no screenshot for {url}")


def main(site: str, out: str) -> int:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise SystemExit("chromium is not installed: apt-get install chromium")
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(_Quiet, directory=site)
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        root = f"http://127.0.0.1:{server.server_address[1]}/"
        for name, path in PAGES.items():
            screenshot(browser, root + path, target / name)
            print(f"{target / name}: {root + path}")
        server.shutdown()
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    raise SystemExit(main(sys.argv[1], sys.argv[2]))
