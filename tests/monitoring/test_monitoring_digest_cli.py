"""``python -m socialkit digest --store FILE`` on an inbox store."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

pytest.importorskip("sklearn")
pytest.importorskip("jieba")

from topic_data import labelled

from socialkit.cli import main
from socialkit.models import Mention
from socialkit.replies import InboxItem, InboxStore, Stage

END = datetime(2026, 3, 15, tzinfo=UTC)


def _store(path: Path) -> Path:
    texts, truth = labelled()
    items = []
    for n, (text, topic) in enumerate(zip(texts, truth, strict=True)):
        at = END - timedelta(hours=1 + n % 150)
        target = Mention(platform="mastodon", id=str(n), kind="mention", text=text, created_at=at)
        items.append(
            InboxItem(
                key=f"mastodon:{n}", platform="mastodon", account="brand",
                sources=frozenset({"mention"}), kind="mention", target=target, text=text,
                author=None, created_at=at, url=None, thread_root_id=None, language="en",
                sentiment=0.0, stage=Stage.REPLIED if topic == "refund" else Stage.NEW,
                fetched_at=at, updated_at=at,
            )
        )
    with InboxStore(path) as store:
        store.add(items)
    return path


def test_digest_prints_topics_and_what_needs_an_answer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = _store(tmp_path / "inbox.db")
    assert main(["digest", "--store", str(store), "--end", "2026-03-15T00:00:00"]) == 0
    out = capsys.readouterr().out
    assert "226 items" in out
    assert "Top topics:" in out
    assert "Needs an answer:" in out


def test_digest_as_json_leaves_answered_items_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = _store(tmp_path / "inbox.db")
    assert main(["digest", "--store", str(store), "--period", "month", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["total"] == 226
    assert report["needs_answer"]
    refunds = {t for t, topic in zip(*labelled(), strict=True) if topic == "refund"}
    assert not refunds & {item["text"] for item in report["needs_answer"]}


def test_digest_saves_a_plot(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib")
    store = _store(tmp_path / "inbox.db")
    plot = tmp_path / "topics.png"
    assert main(["digest", "--store", str(store), "--plot", str(plot)]) == 0
    assert plot.stat().st_size > 1000


def test_digest_without_a_store_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["digest", "--store", str(tmp_path / "missing.db")]) == 1
    assert "no inbox store" in capsys.readouterr().err
    assert not (tmp_path / "missing.db").exists()
