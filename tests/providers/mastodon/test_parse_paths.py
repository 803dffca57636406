"""The shortcuts of the Mastodon parser read what the general checks read."""

from __future__ import annotations

from collections import UserDict
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from socialkit.providers.mastodon import parse

_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=3),
    st.builds(dict),
    st.builds(UserDict),
    st.lists(st.integers(), max_size=2),
)


@given(st.dictionaries(st.sampled_from([n for n, _ in parse._POST_COUNTS]), _VALUES))
def test_metrics_keep_the_counts_count_keeps(data: dict[str, Any]) -> None:
    expected = {
        name: parse._count(data.get(native))
        for native, name in parse._POST_COUNTS
        if parse._count(data.get(native)) is not None
    }
    assert parse._metrics(data) == expected
    assert list(parse._metrics(data)) == list(expected)


@given(_VALUES)
def test_a_mapping_is_told_as_isinstance_tells_it(value: Any) -> None:
    from collections.abc import Mapping

    assert parse._mapping(value) == isinstance(value, Mapping)


def test_a_boost_of_a_mapping_that_is_no_dict_is_read_as_the_boosted_status() -> None:
    inner = UserDict({"id": "2", "content": "<p>boosted</p>"})
    post = parse.post({"id": "1", "reblog": inner, "account": UserDict({"id": "9"})})
    assert (post.id, post.text, post.author) == ("2", "boosted", None)


# -- rate-limit headers ----------------------------------------------------------------------

_LIMITS = {
    "X-RateLimit-Limit": "300",
    "X-RateLimit-Remaining": "299",
    "X-RateLimit-Reset": "2026-12-07T21:00:00.000Z",
}


def _answer(url: str, headers: dict[str, str]) -> Any:
    import httpx

    return httpx.Response(200, headers=headers, request=httpx.Request("GET", url))


def test_rate_limit_headers_are_read_from_the_instance_only() -> None:
    from .mastodon_support import BASE, make_platform

    platform = make_platform()
    info = platform.rate_limit(_answer(f"{BASE}/api/v1/statuses/1", _LIMITS))
    assert info is not None
    assert (info.limit, info.remaining, info.reset_at.isoformat()) == (  # type: ignore[union-attr]
        300,
        299,
        "2026-12-07T21:00:00+00:00",
    )
    assert platform.rate_limit(_answer("https://elsewhere.example/x", _LIMITS)) is None


def test_one_rate_limit_header_is_enough_and_none_is_nothing() -> None:
    from .mastodon_support import BASE, make_platform

    platform = make_platform()
    reset_only = {"X-RateLimit-Reset": _LIMITS["X-RateLimit-Reset"]}
    info = platform.rate_limit(_answer(f"{BASE}/api/v1/statuses/1", reset_only))
    assert info is not None
    assert (info.limit, info.remaining) == (None, None)
    assert info.reset_at is not None
    assert platform.rate_limit(_answer(f"{BASE}/api/v1/statuses/1", {})) is None
    garbled = {"X-RateLimit-Limit": "many", "X-RateLimit-Reset": "soon"}
    assert platform.rate_limit(_answer(f"{BASE}/api/v1/statuses/1", garbled)) is None
