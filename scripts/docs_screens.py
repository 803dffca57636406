"""Screenshot the built docs site in headless Chromium: ``python scripts/docs_screens.py SITE OUT``.

Serves ``SITE`` on a loopback port and saves two pictures in ``OUT``: the API
reference of ``socialkit.replies`` (once the ``InboxItem`` entry is on the page)
and the search results for "InboxItem" (once the search index has answered).
Playwright drives Debian's ``chromium`` (``apt-get install chromium``); no
browser is downloaded. Run it through ``nox -s docs-screens``, which builds the
site first.
"""

from __future__ import annotations

import functools
import shutil
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

# (file, path, a selector that is there only once the page shows what we want)
SHOTS = [
    (
        "reference-replies.png",
        "reference/replies/#socialkit.replies.InboxItem",
        "[id='socialkit.replies.InboxItem']",
    ),
    ("search-inboxitem.png", "reference/replies/?q=InboxItem", ".md-search-result__item"),
]
# No background networking: this machine reaches no outside host.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main(site: str, out: str) -> int:
    browser_path = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser_path is None:
        raise SystemExit("chromium is not installed: apt-get install chromium")
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(_Quiet, directory=site)
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server, sync_playwright() as pw:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        root = f"http://127.0.0.1:{server.server_address[1]}/"
        browser = pw.chromium.launch(executable_path=browser_path, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        for name, path, ready in SHOTS:
            page.goto(root + path)
            page.wait_for_selector(ready, timeout=30_000)
            page.screenshot(path=str(target / name))
            print(f"{target / name}: {root + path}")
        browser.close()
        server.shutdown()
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    raise SystemExit(main(sys.argv[1], sys.argv[2]))
