"""Property: the platforms' JSON reader (pydantic-core first, the standard library where they
differ) reads every document exactly as ``json.loads`` does, and fails where it fails."""

from __future__ import annotations

import json
import sys
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from socialkit.platform import _loads

_TOKENS = [
    "{", "}", "[", "]", ",", ":", " ", '"', "\\", "a", "é", "\\u00e9", "\\ud83d", "\\ude00",
    "\\udc00", "0", "-", "1", ".", "e", "E", "+", "9" * 40, "true", "null", "NaN",
    "Infinity", "\t", "\x00", "\ufeff",
]  # fmt: skip

_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


def _outcome(read: Any, body: bytes) -> tuple[str, str]:
    try:
        return "ok", json.dumps(read(body))  # NaN and -0.0 compare by their text
    except RecursionError:
        return "error", "RecursionError"
    except ValueError:
        return "error", "ValueError"


@example(b'"\\udc00"')  # a lone surrogate: json.loads keeps it
@example(b"\xef\xbb\xbf{}")  # a byte-order mark
@example(b"9" * 500)  # an integer of 500 digits
@example(b"[" * 300 + b"]" * 300)  # deeper than pydantic-core reads
@example(b"[" * 100_000 + b"]" * 100_000)  # deeper than either reads
@example('{"a": "é"}'.encode("utf-16"))
@given(st.lists(st.sampled_from(_TOKENS), max_size=40).map(lambda t: "".join(t).encode()))
def test_the_reader_agrees_with_json_loads_on_any_bytes(body: bytes) -> None:
    assert _outcome(_loads, body) == _outcome(json.loads, body)


@given(_values, st.booleans())
def test_the_reader_agrees_with_json_loads_on_any_document(value: Any, ascii_only: bool) -> None:
    body = json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    assert _outcome(_loads, body) == _outcome(json.loads, body)


def test_the_reader_keeps_no_value_alive() -> None:
    # pydantic-core can cache the strings it reads; a cache of values would keep thousands
    # of them alive across a long pagination (the memory benchmark saw it)
    body = b'["a value the reader must not keep", {"key": "another value to let go"}]'
    ours, theirs = _loads(body), json.loads(body)
    assert sys.getrefcount(ours[0]) == sys.getrefcount(theirs[0])
    assert sys.getrefcount(ours[1]["key"]) == sys.getrefcount(theirs[1]["key"])
