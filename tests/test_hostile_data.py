"""Hostile payloads end in a typed error or are handled: half characters, wrong-typed ids."""

from __future__ import annotations

from pathlib import Path

import httpx

from socialkit.client import Client
from socialkit.http import RetryPolicy
from socialkit.models import clean_text
from socialkit.providers.mastodon import Mastodon
from socialkit.replies import Inbox, InboxStore
from socialkit.testing import Sandbox

FAST = RetryPolicy(attempts=2, backoff=0.0, max_backoff=0.0)
MARK = "HALF-A-CHARACTER"


def _surrogate_server(sandbox: Sandbox) -> httpx.MockTransport:
    """The sandbox, except that its JSON carries a lone surrogate escape where ``MARK`` was."""

    def answer(request: httpx.Request) -> httpx.Response:
        response = sandbox.handle(request)
        body = response.read().replace(MARK.encode(), b"\\udc00")
        return httpx.Response(response.status_code, headers=response.headers, content=body)

    return httpx.MockTransport(answer)


# -- 7: a lone surrogate ---------------------------------------------------------------------


def test_clean_text_replaces_lone_surrogates_and_joins_pairs() -> None:
    assert clean_text("a\udc00b\ud83d\ude00c\ud800") == "a\ufffdb\U0001f600c\ufffd"
    assert clean_text("plain ünïcode 中文") == "plain ünïcode 中文"


def test_a_mention_holding_a_lone_surrogate_is_stored_and_the_cursor_moves(
    tmp_path: Path,
) -> None:
    sandbox = Sandbox()
    sandbox.simulate_mention(f"is this {MARK} a bug?", author="eve")
    platform = Mastodon(instance=sandbox.base_url, access_token=sandbox.brand_token)
    with (
        Client(platform, transport=_surrogate_server(sandbox), retry=FAST) as client,
        InboxStore(tmp_path / "inbox.db") as store,
    ):
        inbox = Inbox([client], store)

        report = inbox.sync()
        again = inbox.sync()

    texts = [item.text for item in report.new if "a bug?" in item.text]
    assert texts == ["@brand is this \ufffd a bug?"]
    assert len(again) == 0
