"""Export of minimised records to CSV, JSON, JSON Lines and Parquet."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest

from socialkit.models import Comment, Post
from socialkit.privacy import Pseudonymizer, export

from .conftest import ALICE


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_csv_holds_one_flat_row_per_record(
    tmp_path: Path, pseudonymizer: Pseudonymizer, alice_post: Post, alice_comment: Comment
) -> None:
    path = tmp_path / "out.csv"
    assert export([alice_post, alice_comment], path, pseudonymizer=pseudonymizer) == 2
    rows = read_csv(path)
    assert [(r["type"], r["id"], r["author.id"]) for r in rows] == [
        ("post", "p-100", pseudonymizer.pseudonym(ALICE.id, platform="mastodon")),
        ("comment", "c-200", pseudonymizer.pseudonym(ALICE.id, platform="mastodon")),
    ]


def test_csv_analytics_rows_keep_metrics_and_time_without_text(
    tmp_path: Path, pseudonymizer: Pseudonymizer, alice_post: Post
) -> None:
    path = tmp_path / "out.csv"
    export([alice_post], path, pseudonymizer=pseudonymizer)
    [row] = read_csv(path)
    assert (row["metrics.likes"], row["created_at"], row["text"], row["url"]) == (
        "5",
        "2024-01-10T12:00:00Z",
        "",
        "",
    )


def test_csv_never_holds_the_original_identity(
    tmp_path: Path, pseudonymizer: Pseudonymizer, alice_post: Post, alice_comment: Comment
) -> None:
    path = tmp_path / "out.csv"
    export([alice_post, alice_comment], path, pseudonymizer=pseudonymizer)
    content = path.read_text(encoding="utf-8")
    for secret in (ALICE.id, ALICE.handle, "Wonderland", "example.com", "4111"):
        assert secret not in content


def test_csv_with_keep_has_only_those_columns(tmp_path: Path, alice_post: Post) -> None:
    path = tmp_path / "ids.csv"
    export([alice_post], path, profile="none", keep=["id", "created_at", "metrics.shares"])
    assert path.read_text(encoding="utf-8").splitlines() == [
        "id,created_at,metrics.shares",
        "p-100,2024-01-10T12:00:00Z,2",
    ]


def test_csv_neutralises_spreadsheet_formulas(tmp_path: Path, alice_comment: Comment) -> None:
    comment = alice_comment.model_copy(update={"text": '=HYPERLINK("http://evil.example")'})
    path = tmp_path / "support.csv"
    export([comment], path, profile="support", keep=["text"])
    assert read_csv(path) == [{"text": '\'=HYPERLINK("http://evil.example")'}]


def test_json_holds_nested_records(
    tmp_path: Path, pseudonymizer: Pseudonymizer, alice_post: Post
) -> None:
    path = tmp_path / "out.json"
    export([alice_post], path, pseudonymizer=pseudonymizer)
    [row] = json.loads(path.read_text(encoding="utf-8"))
    assert row["author"] == {
        "platform": "mastodon",
        "id": pseudonymizer.pseudonym(ALICE.id, platform="mastodon"),
        "handle": pseudonymizer.pseudonym(ALICE.handle, platform="mastodon", namespace="handle"),
        "display_name": None,
        "url": None,
        "avatar_url": None,
        "followers": None,  # an exact count can single a person out
    }
    assert (row["type"], row["text"], row["metrics"]) == ("post", "", {"likes": 5, "shares": 2})
    assert "raw" not in row


def test_json_support_export_keeps_redacted_chinese_text(
    tmp_path: Path, alice_comment: Comment
) -> None:
    comment = alice_comment.model_copy(update={"text": "我的手机13812345678谢谢"})
    path = tmp_path / "support.json"
    export([comment], path, profile="support")
    [row] = json.loads(path.read_text(encoding="utf-8"))
    assert row["text"] == "我的手机[PHONE]谢谢"


def test_jsonl_holds_one_record_per_line(
    tmp_path: Path, pseudonymizer: Pseudonymizer, alice_post: Post, alice_comment: Comment
) -> None:
    path = tmp_path / "out.jsonl"
    export([alice_post, alice_comment], path, pseudonymizer=pseudonymizer)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["p-100", "c-200"]


def test_unknown_suffix_is_refused(tmp_path: Path, alice_post: Post) -> None:
    with pytest.raises(ValueError, match=r"\.csv"):
        export([alice_post], tmp_path / "out.xlsx", profile="support")


def test_failed_export_leaves_no_file(tmp_path: Path, alice_post: Post) -> None:
    path = tmp_path / "out.csv"
    with pytest.raises(ValueError, match="pseudonymizer"):
        export([alice_post], path)
    assert list(tmp_path.iterdir()) == []


def test_parquet_without_pyarrow_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, alice_post: Post
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ModuleNotFoundError, match=r"socialkit\[parquet\]"):
        export([alice_post], tmp_path / "out.parquet", profile="support")


def test_parquet_round_trips_when_pyarrow_is_installed(
    tmp_path: Path, pseudonymizer: Pseudonymizer, alice_post: Post
) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "out.parquet"
    export([alice_post], path, pseudonymizer=pseudonymizer)
    rows = pq.read_table(path).to_pylist()
    assert [(r["id"], r["author.id"], r["metrics.likes"]) for r in rows] == [
        ("p-100", pseudonymizer.pseudonym(ALICE.id, platform="mastodon"), 5)
    ]
