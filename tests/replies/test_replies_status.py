"""``Inbox.status`` and ``socialkit inbox status``: are the inbox's consumers running?"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from socialkit.cli import main
from socialkit.client import Client
from socialkit.errors import AuthError
from socialkit.replies import Bot, Inbox, InboxStore
from socialkit.replies.engines import consume
from socialkit.testing import Sandbox


def one_approved(client: Client, db: Path) -> Inbox:
    """An inbox on ``db`` with one approved reply waiting."""
    inbox = Inbox({"brand": client}, InboxStore(db), backfill=100)
    inbox.refresh()
    item = next(i for i in inbox.items() if "Canada" in i.text)
    inbox.draft_reply(item, "Yes, we ship to Canada!", by="sam", approve_as="lee")
    return inbox


def test_a_consumer_round_is_its_accounts_heartbeat_and_last_tick(client: Client, db: Path) -> None:
    inbox = one_approved(client, db)
    before = inbox.status()

    done = consume(
        lambda a: Inbox({a: client}, InboxStore(db)), "brand", lease=timedelta(minutes=1)
    )
    after = inbox.status()

    assert (before.consumers, before.unsent, before.running) == ((), 1, False)
    assert done == "0 new, 1 sent"
    (brand,) = after.consumers
    assert (brand.account, brand.state, brand.alive, brand.ticks) == ("brand", "idle", True, 1)
    assert brand.last_report == "0 new, 1 sent"
    assert (after.unsent, after.running) == (0, True)
    inbox.store.close()


def test_a_failed_round_is_recorded_as_its_last_tick(sandbox: Sandbox, db: Path) -> None:
    sandbox.fail_next(401, times=20)
    with sandbox.client() as client:
        inbox = Inbox({"brand": client}, InboxStore(db))
        with pytest.raises(AuthError):
            consume(lambda a: Bot(client, InboxStore(db)), "brand", lease=timedelta(minutes=1))
        (brand,) = inbox.status().consumers
    assert brand.last_report.startswith("failed: ")
    assert "Bearer" not in brand.last_report
    assert (brand.ticks, brand.state) == (1, "idle")
    inbox.store.close()


def test_the_status_command_prints_the_consumers_and_the_ledger(
    client: Client, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one_approved(client, db).store.close()
    consume(lambda a: Inbox({a: client}, InboxStore(db)), "brand", lease=timedelta(minutes=1))

    code = main(["inbox", "status", "--store", str(db)])

    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith("consumers: running (1 of 1 accounts alive;")
    assert "unsent: 0  sending: 0  uncertain: 0  failed: 0" in out
    assert "brand (inbox-" in out
    assert "let go; 0 new, 1 sent" in out


def test_the_status_command_exits_3_when_replies_wait_and_no_consumer_is_alive(
    client: Client, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = one_approved(client, db)
    long_ago = datetime.now(UTC) - timedelta(hours=1)
    assert inbox.store.hold_account("brand", "gone", long_ago + timedelta(seconds=30), long_ago)
    inbox.store.close()

    code = main(["inbox", "status", "--store", str(db), "--stale-after", "60"])

    out = capsys.readouterr().out
    assert code == 3
    assert out.startswith("consumers: NOT RUNNING (0 of 1 accounts alive;")
    assert "unsent: 1" in out
    assert "never let go" in out


def test_the_status_command_never_creates_a_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOCIALKIT_INBOX", raising=False)
    missing = tmp_path / "typo.db"

    assert main(["inbox", "status", "--store", str(missing)]) == 1
    assert main(["inbox", "status"]) == 1

    err = capsys.readouterr().err
    assert f"no inbox store at {missing}" in err
    assert "--store" in err
    assert not missing.exists()
