"""The labelled topic set (tests/monitoring/data/topics_labelled.tsv) and how to score a clustering.

226 short mentions written for these tests, English and Chinese, in seven topics
(refund, delivery, battery, login, price, support, camera; 30 each, half in each
language) and 16 pieces of unrelated chatter labelled ``noise``.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

DATA = Path(__file__).parent / "data" / "topics_labelled.tsv"


def labelled() -> tuple[list[str], list[str]]:
    """``(texts, topics)`` of the labelled set."""
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [row["text"] for row in rows], [row["topic"] for row in rows]


def purity(labels: Sequence[int], truth: Sequence[str]) -> float:
    """Share of the clustered texts (label >= 0) whose cluster's majority topic is theirs."""
    clusters: dict[int, Counter[str]] = {}
    for found, topic in zip(labels, truth, strict=True):
        if found >= 0:
            clusters.setdefault(found, Counter())[topic] += 1
    clustered = sum(sum(c.values()) for c in clusters.values())
    return sum(c.most_common(1)[0][1] for c in clusters.values()) / clustered


def confusion(labels: Sequence[int], truth: Sequence[str]) -> dict[int, Counter[str]]:
    """Per found topic (``-1``: none), how many texts of each true topic it holds."""
    table: dict[int, Counter[str]] = {}
    for found, topic in zip(labels, truth, strict=True):
        table.setdefault(found, Counter())[topic] += 1
    return table
