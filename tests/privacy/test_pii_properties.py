"""Properties of find_pii and redact on arbitrary text."""

from __future__ import annotations

import itertools
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialkit.privacy import find_pii, redact

# Text built from the pieces PII is made of, so that near-misses are common.
pieces = st.sampled_from(
    [
        "13812345678",
        "138-1234-5678",
        "+86 ",
        "+1 650-253-0000",
        "4111 1111 1111 1111",
        "11010519491231002X",
        "abc@qq.com",
        "192.168.1.1",
        "2001:db8::1",
        "v",
        "版本",
        "订单号",
        "￥",
        "元",
        "@",
        ".",
        "-",
        " ",
        ":",
        "电话",
        "谢谢",
    ]
)
fragments = st.lists(st.one_of(pieces, st.text(alphabet="0123456789 -.:", max_size=6)), max_size=25)
texts = st.one_of(st.text(max_size=200), fragments.map("".join))
# Words separated by spaces: redacting one cannot glue its neighbours into another.
sentences = st.one_of(st.text(max_size=200), fragments.map(" ".join))


@given(texts)
@settings(max_examples=300, deadline=None, database=None)
def test_matches_are_ordered_disjoint_slices_of_the_text(text: str) -> None:
    matches = find_pii(text)
    for m in matches:
        assert text[m.start : m.end] == m.value
    for first, second in itertools.pairwise(matches):
        assert first.end <= second.start


@given(sentences)
@settings(max_examples=300, deadline=None, database=None)
def test_redaction_is_idempotent(text: str) -> None:
    once = redact(text)
    assert redact(once) == once


def test_a_megabyte_of_text_is_scanned_in_reasonable_time() -> None:
    text = ("订单号202401151234 电话13812345678，版本1.2.3.4 价格￥199 " * 20_000)[:1_000_000]
    started = time.perf_counter()
    found = find_pii(text)
    assert time.perf_counter() - started < 20
    assert len(found) >= 10_000


def _cpu_cost(text: str) -> float:
    """The least CPU time of three scans: process time, so other processes' load does not count."""
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        assert find_pii(text) == []
        best = min(best, time.process_time() - started)
    return best


@pytest.mark.parametrize(
    ("unit", "tail"),
    [("1 ", ""), ("138-", ""), ("4111 ", ""), ("a.", "@x"), ("1:", "")],
    ids=["digits-and-spaces", "dashed-groups", "groups-of-four", "dotted-local-part", "colons"],
)
def test_pathological_input_is_scanned_in_linear_time(unit: str, tail: str) -> None:
    # Four times the input costs about four times the work when the scan is linear,
    # sixteen times when it is quadratic: compare the two, not a number of seconds.
    small = _cpu_cost(unit * 25_000 + tail)
    large = _cpu_cost(unit * 100_000 + tail)
    assert large < 8 * small
