"""The duration of an MP4/QuickTime file, read from its ``moov/mvhd`` box (ISO/IEC 14496-12).

Used to check a video against the creator's ``max_video_post_duration_sec`` before any
upload; a file whose duration cannot be read is left for TikTok to judge.
"""

from __future__ import annotations

import struct

__all__ = ["duration_seconds"]


def _boxes(data: bytes, start: int, end: int) -> list[tuple[bytes, int, int]]:
    """(type, payload start, box end) of the boxes between ``start`` and ``end``."""
    found = []
    position = start
    while position + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, position)
        header = 8
        if size == 1 and position + 16 <= end:
            size = struct.unpack_from(">Q", data, position + 8)[0]
            header = 16
        elif size == 0:
            size = end - position
        if size < header or position + size > end:
            break
        found.append((kind, position + header, position + size))
        position += size
    return found


def duration_seconds(data: bytes) -> float | None:
    """The movie's duration in seconds, or ``None`` when it is not a readable MP4."""
    for kind, start, end in _boxes(data, 0, len(data)):
        if kind != b"moov":
            continue
        for inner, body, body_end in _boxes(data, start, end):
            if inner != b"mvhd" or body_end - body < 20:
                continue
            version = data[body]
            if version == 1 and body_end - body >= 32:
                timescale, duration = struct.unpack_from(">IQ", data, body + 20)
            else:
                timescale, duration = struct.unpack_from(">II", data, body + 12)
            return duration / timescale if timescale else None
    return None
