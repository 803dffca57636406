"""Hypothesis strategies for hostile JSON: a valid payload with a few of its values broken.

A mutation replaces one value anywhere in the tree (the root included) by ``None``, a
wrong-typed scalar, an absurd number, odd unicode, an empty or wrapping container, another
valid payload of the same platform or a 10,000-deep nesting, or drops a key. The result is
returned as the bytes a server would send (deep nesting cannot be built as Python data
and dumped: it is spliced into the text).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

from hypothesis import strategies as st

DEPTH = 10_000
_DEEP = "\x00deep\x00"
_DEEP_JSON = json.dumps(_DEEP)
_DELETE = object()
_MAX_PATHS = 300

Path = tuple[str | int, ...]

ODD_TEXT = [
    "",
    " ",
    "nan",
    "NaN",
    "inf",
    "-1",
    "0",
    "1e400",
    "9" * 5000,
    "null",
    "\udc00",  # half a character: json escapes it as \udc00
    "a\ud800b",
    "\u202eevil\u202c",  # right-to-left override
    "\u200b\u200d\ufeff",  # zero-width characters
    "\U0001f3f3\ufe0f\u200d\U0001f308",  # a ZWJ emoji sequence
    "١٢٣",  # Arabic-Indic digits: int() reads them
    "１３８",  # full-width digits
    "\x00",
    "2025-13-45T99:99:99Z",
    "0000-00-00T00:00:00Z",
    "9999-12-31T23:59:59+14:00",
    "at://",
    "https://",
    "a" * 3000,
]
ODD_NUMBERS: list[Any] = [
    0,
    -1,
    2**63,
    -(2**63) - 1,
    10**400,
    -(10**400),
    1e308,
    -1e308,
    1.5,
    math.inf,
    -math.inf,
    math.nan,
    True,
    False,
]


# Headers some provider turns into a time or a budget, and what a broken proxy puts there.
RATE_HEADERS = [
    "retry-after",
    "x-rate-limit-reset",
    "x-rate-limit-remaining",
    "x-rate-limit-limit",
    "x-ratelimit-reset",
    "x-ratelimit-remaining",
    "x-ratelimit-used",
    "ratelimit-reset",
    "ratelimit-remaining",
    "ratelimit-limit",
    "ratelimit-policy",
    "x-app-usage",
    "x-page-usage",
    "x-business-use-case-usage",
    "x-request-id",
    "x-restli-id",
]
ODD_HEADER_VALUES = [
    "",
    "nan",
    "inf",
    "-1",
    "1e400",
    "1e20",
    "1000000000000",
    "Fri, 31 Dec 9999 23:59:59 GMT",
    "Thu, 01 Jan 1970 00:00:00 GMT",
    "12;w=abc",
    '{"call_count": 1e400, "total_time": "nan"}',
    '{"1": [{"type": "pages", "estimated_time_to_regain_access": 1e12}]}',
    '{"1": [{"estimated_time_to_regain_access": "nan", "call_count": null}]}',
    '{"1": {"estimated_time_to_regain_access": []}}',
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    "\u00ff\u00fe",
]


def hostile_headers() -> st.SearchStrategy[list[tuple[str, str]]]:
    """Zero to two rate-limit headers with values no parser should believe."""
    pair = st.tuples(st.sampled_from(RATE_HEADERS), st.sampled_from(ODD_HEADER_VALUES))
    return st.lists(pair, max_size=2)


def hostile_values(others: Sequence[Any] = ()) -> st.SearchStrategy[Any]:
    """A value a hostile server puts where a valid one was expected."""
    choices: list[st.SearchStrategy[Any]] = [
        st.none(),
        st.sampled_from(ODD_NUMBERS),
        st.sampled_from(ODD_TEXT),
        st.text(max_size=20),
        st.just(_DEEP),
        st.sampled_from([{}, [], [None], {"": None}, [[]], {"data": None}]),
    ]
    if others:
        choices.append(st.sampled_from(list(others)))
    return st.one_of(choices)


def paths(value: Any, prefix: Path = ()) -> list[Path]:
    """Every place in ``value`` (the root first), at most a few hundred, breadth first."""
    found: list[Path] = []
    queue: list[tuple[Path, Any]] = [(prefix, value)]
    while queue and len(found) < _MAX_PATHS:
        where, node = queue.pop(0)
        found.append(where)
        if isinstance(node, dict):
            queue.extend(((*where, key), child) for key, child in node.items())
        elif isinstance(node, list):
            queue.extend(((*where, index), child) for index, child in enumerate(node))
    return found


def replaced(value: Any, where: Path, new: Any) -> Any:
    """A copy of ``value`` with the node at ``where`` replaced by ``new`` (or dropped)."""
    if not where:
        return None if new is _DELETE else new
    head, rest = where[0], where[1:]
    if isinstance(value, dict):
        copy = dict(value)
        if rest or new is not _DELETE:
            copy[head] = replaced(value[head], rest, new)  # type: ignore[index]
        else:
            copy.pop(head, None)  # type: ignore[arg-type]
        return copy
    items = list(value)
    if rest or new is not _DELETE:
        items[head] = replaced(items[head], rest, new)  # type: ignore[index]
    else:
        del items[head]  # type: ignore[arg-type]
    return items


@st.composite
def mutated(draw: st.DrawFn, value: Any, others: Sequence[Any] = ()) -> Any:
    """``value`` with one to three of its nodes replaced or dropped."""
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.sampled_from(paths(value)))
        new = draw(st.one_of(hostile_values(others), st.just(_DELETE)))
        value = replaced(value, where, new)
    return value


def encode(value: Any) -> bytes:
    """The JSON text of ``value``, the deep-nesting marker spliced in as ``[[[…]]]``."""
    text = json.dumps(value)  # NaN and Infinity go out as the bare words, as some servers do
    return text.replace(_DEEP_JSON, "[" * DEPTH + "]" * DEPTH).encode("utf-8")


def hostile_body(value: Any, others: Sequence[Any] = ()) -> st.SearchStrategy[bytes]:
    """The bytes of ``value`` as served, sometimes intact, mostly mutated."""
    return st.one_of(st.just(value), mutated(value, others)).map(encode)
