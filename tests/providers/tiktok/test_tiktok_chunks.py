"""The pieces of an upload: chunk ranges as TikTok's media transfer guide counts them, and
the duration read from an MP4 before anything is sent."""

from __future__ import annotations

import itertools

import pytest

from socialkit.providers.tiktok.mp4 import duration_seconds
from socialkit.providers.tiktok.posting import chunk_ranges

from .tiktok_support import mp4

MB = 1024 * 1024


def test_a_video_no_larger_than_a_chunk_is_one_range() -> None:
    assert chunk_ranges(3 * MB, 10 * MB) == [(0, 3 * MB - 1)]


def test_the_chunk_count_is_the_size_divided_by_the_chunk_size_rounded_down() -> None:
    ranges = chunk_ranges(50_000_123, 10_000_000)
    assert len(ranges) == 5
    assert ranges[0] == (0, 9_999_999)


def test_the_last_chunk_takes_the_trailing_bytes() -> None:
    ranges = chunk_ranges(25 * MB + 7, 10 * MB)
    assert ranges == [(0, 10 * MB - 1), (10 * MB, 25 * MB + 6)]


def test_the_ranges_cover_every_byte_once() -> None:
    size = 123_456_789
    ranges = chunk_ranges(size, 7 * MB)
    assert ranges[0][0] == 0
    assert ranges[-1][1] == size - 1
    assert all(a[1] + 1 == b[0] for a, b in itertools.pairwise(ranges))


@pytest.mark.parametrize("version", [0, 1])
def test_the_duration_is_read_from_the_movie_header(version: int) -> None:
    assert duration_seconds(mp4(42.5, version=version)) == 42.5


def test_bytes_that_are_no_mp4_have_no_duration() -> None:
    assert duration_seconds(b"not a video at all") is None


def test_a_truncated_mp4_has_no_duration() -> None:
    assert duration_seconds(mp4(10.0)[:30]) is None
