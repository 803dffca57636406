"""Uploads in parts, sans-I/O: chunk sizing, byte ranges, resuming from what the server holds.

A `ChunkedUpload` tracks one upload: which bytes the server acknowledged, which
chunk to send next, and progress. It never sends anything; a provider's flow
asks it for the next range, yields the `Call`, and tells it what the server
acknowledged. After an interruption the flow asks the server how much arrived
and calls `ChunkedUpload.acknowledge` with that offset, so acknowledged bytes
are never sent again. For numbered parts that the server acknowledges one by one
(Douyin, Bilibili, TikTok, X), `send_parts` is that flow: it sends each part, and sends a
failed one again after a pause.

Who uses it: YouTube (resumable upload, 256 KiB multiples, resumed from the ``Range`` of
a 308), Douyin (5–20 MB parts), Bilibili (8 MB parts), TikTok (5–64 MB chunks, the last
one taking the trailing bytes: ``last_takes_rest``), X (APPEND segments of up to 5 MB,
numbered from 0).

```python
from socialkit.uploads import ChunkedUpload

upload = ChunkedUpload(total=1_000_000, chunk_size=262_144, multiple=262_144)
while (span := upload.next_range()) is not None:
    first, last = span
    # ... PUT data[first:last + 1] with Content-Range: upload.content_range(span)
    upload.acknowledge(last + 1)       # or the offset the server reported
```
"""

from __future__ import annotations

import re
from collections.abc import Callable

import attrs

from .errors import PlatformError, RateLimited, SocialkitError, TransportError
from .platform import Call, Flow, Sleep

__all__ = [
    "PART_RETRIES",
    "ChunkedUpload",
    "ProgressCallback",
    "chunk_size_within",
    "offset_from_range",
    "send_parts",
    "transient",
]

PART_RETRIES = 3
"""How many times `send_parts` sends a failed part again before giving up."""

ProgressCallback = Callable[[int, int], object]
"""Called with (bytes acknowledged, total bytes) whenever the acknowledged offset moves."""

_RANGE = re.compile(r"^\s*bytes\s*=\s*0-(\d+)\s*$")


def chunk_size_within(preferred: int, *, minimum: int = 1, maximum: int | None = None,
                      multiple: int = 1) -> int:
    """``preferred`` moved into ``[minimum, maximum]`` and rounded down to a ``multiple``
    (never below one ``multiple``)."""
    if multiple < 1 or minimum < 1:
        raise ValueError("minimum and multiple must be positive")
    size = max(preferred, minimum)
    if maximum is not None:
        size = min(size, maximum)
    return max(multiple, size - size % multiple)


def offset_from_range(value: str | None) -> int:
    """The number of bytes a ``Range: bytes=0-N`` answer acknowledges (``N + 1``); no header
    means nothing arrived yet (0)."""
    if not value:
        return 0
    found = _RANGE.match(value)
    if found is None:
        raise ValueError(f"not a 'bytes=0-N' range: {value!r}")
    return int(found.group(1)) + 1


@attrs.define
class ChunkedUpload:
    """The state of one upload of ``total`` bytes sent in chunks.

    Attributes:
        total: The size of the whole upload in bytes.
        chunk_size: Bytes per chunk; every chunk but the last has exactly this size.
        multiple: Chunk sizes the platform accepts are multiples of this (YouTube:
            256 KiB); a chunk that starts after a partial acknowledgement is shortened to
            end on such a boundary.
        offset: Bytes the server acknowledged so far; the next chunk starts here.
        progress: Called with (acknowledged, total) when the offset moves.
        chunks_sent: How many chunks `next_range` handed out (for reports and tests).
        last_takes_rest: A chunk followed by fewer than ``chunk_size`` bytes takes them
            too (TikTok: ``size // chunk_size`` chunks, the last one larger), instead of
            leaving them to a short last chunk.
    """

    total: int
    chunk_size: int
    multiple: int = 1
    offset: int = 0
    progress: ProgressCallback | None = attrs.field(default=None, repr=False)
    chunks_sent: int = 0
    last_takes_rest: bool = False

    def __attrs_post_init__(self) -> None:
        if self.total < 0 or self.chunk_size < 1 or self.multiple < 1:
            raise ValueError("total must be >= 0; chunk_size and multiple positive")
        if self.chunk_size % self.multiple:
            raise ValueError(f"chunk_size {self.chunk_size} is not a multiple of {self.multiple}")

    @property
    def done(self) -> bool:
        """Whether the server holds every byte."""
        return self.offset >= self.total

    def next_range(self) -> tuple[int, int] | None:
        """The inclusive byte range of the next chunk, or ``None`` when all bytes arrived."""
        if self.done:
            return None
        end = self.offset + self.chunk_size
        if self.offset % self.multiple:  # resume on a boundary so later chunks stay aligned
            end -= self.offset % self.multiple
        if self.last_takes_rest and self.total - end < self.chunk_size:
            end = self.total
        self.chunks_sent += 1
        return self.offset, min(end, self.total) - 1

    def content_range(self, span: tuple[int, int]) -> str:
        """The ``Content-Range`` header of a chunk: ``bytes first-last/total``."""
        return f"bytes {span[0]}-{span[1]}/{self.total}"

    def status_range(self) -> str:
        """The ``Content-Range`` of an empty request asking how much arrived: ``bytes */total``."""
        return f"bytes */{self.total}"

    def acknowledge(self, offset: int) -> None:
        """Record that the server holds bytes ``[0, offset)``; the next chunk starts there.

        The server is the authority: an offset below the current one (it lost data)
        moves back, one past ``total`` is refused.
        """
        if not 0 <= offset <= self.total:
            raise ValueError(f"acknowledged offset {offset} is outside 0..{self.total}")
        moved = offset != self.offset
        self.offset = offset
        if moved and self.progress is not None:
            self.progress(offset, self.total)

    def finish(self) -> None:
        """Record that the server completed the upload (it holds every byte)."""
        self.acknowledge(self.total)


def transient(error: BaseException) -> bool:
    """Whether a failed part is worth sending again: the connection failed, or the server
    answered 5xx (a 4xx would fail the same way again)."""
    if isinstance(error, TransportError):
        return True
    return isinstance(error, PlatformError) and error.status is not None and error.status >= 500


def _any_failure(error: BaseException) -> bool:
    return isinstance(error, TransportError | PlatformError | RateLimited)


def send_parts(
    upload: ChunkedUpload,
    call_for: Callable[[int, tuple[int, int]], Call],
    *,
    retries: int = PART_RETRIES,
    pause: float = 2.0,
    first: int = 1,
    resend: Callable[[BaseException], bool] | None = None,
) -> Flow[None]:
    """Send the parts of ``upload`` the server does not hold yet, numbered from ``first``.

    ``call_for(number, (first, last))`` builds the `Call` of one part (an inclusive byte
    range). A part that still fails after the driver's own retries is sent again, up to
    ``retries`` times, after ``pause`` × the failures so far, when ``resend(error)`` says
    so (by default: a transport error, any platform error, a rate limit; `transient` is
    the stricter choice); a part the server answered is acknowledged and never sent
    again. Parts must all have ``upload.chunk_size`` bytes but the last.
    """
    worth_resending = resend or _any_failure
    failures = 0
    while (span := upload.next_range()) is not None:
        number = span[0] // upload.chunk_size + first
        try:
            yield call_for(number, span)
        except SocialkitError as error:
            if not worth_resending(error):
                raise
            failures += 1
            if failures > retries:
                raise
            yield Sleep(pause * failures)
            continue  # the same part again: the offset did not move
        failures = 0
        upload.acknowledge(span[1] + 1)
