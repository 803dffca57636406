"""Threads counts 500 characters with every emoji counting its UTF-8 bytes."""

from __future__ import annotations

import pytest

from socialkit.providers.threads import count_threads
from socialkit.providers.threads.text import is_emoji


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("hello", 5),
        ("日本語", 3),
        ("e\u0301", 1),
        ("ok 👍", 7),
        ("❤️", 6),
        ("👍🏽", 8),
        ("🇫🇷", 8),
        ("1️⃣", 7),
        ("👨\u200d👩\u200d👧", 18),
    ],
)
def test_count(text: str, count: int) -> None:
    assert count_threads(text) == count


def test_a_text_symbol_without_emoji_presentation_counts_one() -> None:
    assert not is_emoji("©")
    assert count_threads("© 2026") == 6


def test_emoji_presentation_selector_makes_a_symbol_an_emoji() -> None:
    assert is_emoji("©\ufe0f")
