"""The sans-I/O chunked-upload helper: ranges, alignment after a partial acknowledgement,
resume offsets, progress, sizing."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socialkit.errors import PlatformError, RateLimited, TransportError
from socialkit.uploads import ChunkedUpload, chunk_size_within, offset_from_range, transient

K = 1024


def test_ranges_cover_the_upload_in_chunks_the_last_taking_the_rest() -> None:
    upload = ChunkedUpload(total=10 * K, chunk_size=4 * K, multiple=K)
    spans = []
    while (span := upload.next_range()) is not None:
        spans.append(span)
        upload.acknowledge(span[1] + 1)
    assert spans == [(0, 4 * K - 1), (4 * K, 8 * K - 1), (8 * K, 10 * K - 1)]
    assert upload.done
    assert upload.chunks_sent == 3


def test_a_partial_acknowledgement_resumes_there_and_realigns() -> None:
    upload = ChunkedUpload(total=10 * K, chunk_size=4 * K, multiple=K)
    upload.next_range()
    upload.acknowledge(K + 100)  # the server kept part of the first chunk
    assert upload.next_range() == (K + 100, 5 * K - 1)  # ends on a multiple again
    upload.acknowledge(5 * K)
    assert upload.next_range() == (5 * K, 9 * K - 1)


def test_nothing_acknowledged_resends_from_zero() -> None:
    upload = ChunkedUpload(total=3 * K, chunk_size=K)
    upload.next_range()
    upload.acknowledge(0)
    assert upload.next_range() == (0, K - 1)


def test_headers_for_a_chunk_and_for_a_status_query() -> None:
    upload = ChunkedUpload(total=1000, chunk_size=512)
    assert upload.content_range((0, 511)) == "bytes 0-511/1000"
    assert upload.status_range() == "bytes */1000"


def test_progress_is_reported_when_the_offset_moves() -> None:
    seen: list[tuple[int, int]] = []
    upload = ChunkedUpload(total=2 * K, chunk_size=K, progress=lambda *p: seen.append(p))
    upload.acknowledge(K)
    upload.acknowledge(K)
    upload.finish()
    assert seen == [(K, 2 * K), (2 * K, 2 * K)]


@pytest.mark.parametrize("offset", [-1, 2 * K + 1])
def test_an_offset_outside_the_upload_is_refused(offset: int) -> None:
    with pytest.raises(ValueError, match="outside"):
        ChunkedUpload(total=2 * K, chunk_size=K).acknowledge(offset)


def test_a_chunk_size_off_the_multiple_is_refused() -> None:
    with pytest.raises(ValueError, match="multiple"):
        ChunkedUpload(total=10, chunk_size=300, multiple=256)


@pytest.mark.parametrize(
    ("value", "offset"), [(None, 0), ("", 0), ("bytes=0-0", 1), ("bytes=0-262143", 262144)]
)
def test_offset_from_a_range_header(value: str | None, offset: int) -> None:
    assert offset_from_range(value) == offset


def test_a_range_that_does_not_start_at_zero_is_refused() -> None:
    with pytest.raises(ValueError, match="range"):
        offset_from_range("bytes=5-9")


@pytest.mark.parametrize(
    ("preferred", "expected"),
    [(1000, 768), (100, 256), (10_000, 2048), (1024, 1024)],
)
def test_chunk_size_within_bounds_and_multiple(preferred: int, expected: int) -> None:
    assert chunk_size_within(preferred, minimum=200, maximum=2048, multiple=256) == expected


def _drive(flow: Any, outcomes: list[Exception | None]) -> list[Any]:
    """Run a flow by hand: each Call gets the next outcome (None: a plain 200)."""
    import httpx

    from socialkit.platform import Call, Sleep

    steps: list[Any] = []
    step = next(flow)
    try:
        while True:
            steps.append(step)
            if isinstance(step, Sleep):
                step = flow.send(None)
                continue
            assert isinstance(step, Call)
            outcome = outcomes.pop(0)
            if outcome is None:
                step = flow.send(httpx.Response(200, request=httpx.Request("POST", step.url)))
            else:
                step = flow.throw(outcome)
    except StopIteration:
        return steps


def test_send_parts_sends_a_failed_part_again_and_never_an_acknowledged_one() -> None:
    from socialkit.errors import TransportError
    from socialkit.platform import Call, Sleep
    from socialkit.uploads import send_parts

    seen: list[tuple[int, int]] = []
    upload = ChunkedUpload(total=25, chunk_size=10, progress=lambda a, t: seen.append((a, t)))
    flow = send_parts(upload, lambda n, span: Call("POST", f"/part/{n}/{span[0]}-{span[1]}"),
                      pause=1.5)
    steps = _drive(flow, [None, TransportError("reset"), TransportError("reset"), None, None])
    assert [s.url if isinstance(s, Call) else s.seconds for s in steps] == [
        "/part/1/0-9", "/part/2/10-19", 1.5, "/part/2/10-19", 3.0, "/part/2/10-19",
        "/part/3/20-24"]
    assert all(isinstance(s, Call | Sleep) for s in steps)
    assert seen == [(10, 25), (20, 25), (25, 25)]
    assert upload.done


def test_send_parts_gives_up_after_the_retries() -> None:
    from socialkit.errors import PlatformError
    from socialkit.platform import Call
    from socialkit.uploads import send_parts

    upload = ChunkedUpload(total=10, chunk_size=10)
    flow = send_parts(upload, lambda n, span: Call("POST", f"/part/{n}"), retries=1)
    with pytest.raises(PlatformError):
        _drive(flow, [PlatformError("boom", status=503), PlatformError("boom", status=503)])
    assert upload.offset == 0


def test_the_last_chunk_takes_the_rest_when_asked() -> None:
    upload = ChunkedUpload(total=25, chunk_size=10, last_takes_rest=True)
    spans = []
    while (span := upload.next_range()) is not None:
        spans.append(span)
        upload.acknowledge(span[1] + 1)
    assert spans == [(0, 9), (10, 24)]


@given(size=st.integers(min_value=1, max_value=10**10),
       chunk=st.integers(min_value=5 * 2**20, max_value=64 * 2**20))
def test_last_takes_rest_cuts_a_video_as_tiktoks_transfer_guide_does(size: int, chunk: int) -> None:
    from socialkit.errors import InvalidContent
    from socialkit.providers.tiktok.posting import chunk_ranges

    try:
        expected = chunk_ranges(size, chunk)
    except InvalidContent:
        return
    upload = ChunkedUpload(total=size, chunk_size=expected[0][1] + 1, last_takes_rest=True)
    spans = []
    while (span := upload.next_range()) is not None:
        spans.append(span)
        upload.acknowledge(span[1] + 1)
    assert spans == expected


@pytest.mark.parametrize(("error", "again"), [
    (TransportError("reset"), True),
    (PlatformError("busy", status=503), True),
    (PlatformError("bad range", status=400), False),
    (PlatformError("no status"), False),
    (RateLimited("slow down"), False),
])
def test_transient_failures_are_transport_errors_and_5xx(error: Exception, again: bool) -> None:
    assert transient(error) is again


def test_send_parts_with_transient_fails_at_once_on_a_4xx() -> None:
    from socialkit.platform import Call
    from socialkit.uploads import send_parts

    upload = ChunkedUpload(total=20, chunk_size=10)
    flow = send_parts(upload, lambda n, span: Call("POST", f"/part/{n}"), resend=transient)
    with pytest.raises(PlatformError):
        _drive(flow, [None, PlatformError("bad", status=400)])
    assert upload.offset == 10


def test_send_parts_numbers_from_first() -> None:
    from socialkit.platform import Call
    from socialkit.uploads import send_parts

    upload = ChunkedUpload(total=20, chunk_size=10)
    steps = _drive(send_parts(upload, lambda n, span: Call("POST", f"/part/{n}"), first=0),
                   [None, None])
    assert [s.url for s in steps] == ["/part/0", "/part/1"]
