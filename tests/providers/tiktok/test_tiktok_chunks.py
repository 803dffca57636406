"""The pieces of an upload: chunk ranges as TikTok's media transfer guide counts them, and
the duration read from an MP4 before anything is sent."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from socialkit.errors import InvalidContent
from socialkit.providers.tiktok.mp4 import duration_seconds
from socialkit.providers.tiktok.posting import (
    MAX_CHUNK,
    MAX_LAST_CHUNK,
    MIN_CHUNK,
    chunk_ranges,
)

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


@pytest.mark.parametrize("size", [65 * MB, 100 * MB, 127 * MB, 128 * MB - 1])
def test_a_video_over_64_mb_is_never_one_chunk(size: int) -> None:
    ranges = chunk_ranges(size, 64 * MB)
    assert len(ranges) >= 2
    assert all(last - first + 1 <= MAX_CHUNK for first, last in ranges)


def test_a_video_that_needs_over_1000_chunks_gets_larger_ones() -> None:
    size = 6 * 1024 * MB  # 6 GB in 5 MB chunks would be 1228 chunks
    ranges = chunk_ranges(size, 5 * MB)
    assert len(ranges) == 1000


def test_a_video_too_large_for_1000_chunks_of_64_mb_is_refused() -> None:
    with pytest.raises(InvalidContent) as raised:
        chunk_ranges(1001 * 64 * MB, 64 * MB)
    assert raised.value.rule == "max_chunks"


def test_an_empty_video_is_refused() -> None:
    with pytest.raises(InvalidContent):
        chunk_ranges(0, 10 * MB)


@given(
    size=st.integers(min_value=1, max_value=1000 * MAX_CHUNK),
    chunk_size=st.integers(min_value=MIN_CHUNK, max_value=MAX_CHUNK),
)
@example(size=MIN_CHUNK + 1, chunk_size=MIN_CHUNK)  # once two chunks under 5 MB: now whole
def test_every_chunk_obeys_the_media_transfer_guide(size: int, chunk_size: int) -> None:
    ranges = chunk_ranges(size, chunk_size)
    lengths = [last - first + 1 for first, last in ranges]
    chunk = lengths[0]
    # The chunks cover the file exactly, in order.
    assert ranges[0][0] == 0
    assert ranges[-1][1] == size - 1
    assert all(a[1] + 1 == b[0] for a, b in itertools.pairwise(ranges))
    # total_chunk_count = floor(video_size / chunk_size), 1 to 1000 chunks.
    assert len(ranges) == size // chunk
    assert 1 <= len(ranges) <= 1000
    if size < MIN_CHUNK:
        assert ranges == [(0, size - 1)]  # a video under 5 MB goes whole
    else:
        # Every chunk 5-64 MB but the last, which is at least a chunk and at most 128 MB.
        assert all(MIN_CHUNK <= n <= MAX_CHUNK for n in lengths[:-1])
        assert MIN_CHUNK <= chunk <= MAX_CHUNK
        assert chunk <= lengths[-1] <= MAX_LAST_CHUNK
    if size > MAX_CHUNK:
        assert len(ranges) >= 2  # a video over 64 MB goes in several chunks
    # A chunk larger than asked only for a video sent whole (one chunk, at most 64 MB) or
    # where 1000 chunks of the asked size would not do.
    assert chunk <= chunk_size or len(ranges) == 1 or size // chunk_size > 1000


@pytest.mark.parametrize("version", [0, 1])
def test_the_duration_is_read_from_the_movie_header(version: int) -> None:
    assert duration_seconds(mp4(42.5, version=version)) == 42.5


def test_bytes_that_are_no_mp4_have_no_duration() -> None:
    assert duration_seconds(b"not a video at all") is None


def test_a_truncated_mp4_has_no_duration() -> None:
    assert duration_seconds(mp4(10.0)[:30]) is None
