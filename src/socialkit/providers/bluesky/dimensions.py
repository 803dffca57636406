"""Width and height of images and videos, read from their headers (no imaging library).

Bluesky shows media in the shape its ``aspectRatio`` gives, so we send the displayed
shape: a JPEG's EXIF orientation and an MP4 track's rotation matrix swap the sides. An
unknown or damaged file gives ``None`` and the aspect ratio is left out.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

__all__ = ["image_size", "video_size"]

Size = tuple[int, int]

_PNG = b"\x89PNG\r\n\x1a\n"
# SOF markers carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not.
_JPEG_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_JPEG_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})
_EXIF_ORIENTATION = 0x0112
_MP4_CONTAINERS = frozenset({b"moov", b"trak"})
_MP4_MAX_DEPTH = 4  # moov/trak/tkhd is two deep; a hostile file cannot make us recurse further


def _positive(width: int, height: int) -> Size | None:
    return (width, height) if width > 0 and height > 0 else None


def image_size(data: bytes) -> Size | None:
    """The displayed ``(width, height)`` of a PNG, JPEG, GIF or WebP image, or ``None``."""
    try:
        if data.startswith(_PNG) and data[12:16] == b"IHDR":
            return _positive(*struct.unpack(">II", data[16:24]))
        if data.startswith(b"\xff\xd8"):
            return _jpeg_size(data)
        if data[:6] in (b"GIF87a", b"GIF89a"):
            return _positive(*struct.unpack("<HH", data[6:10]))
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return _webp_size(data)
    except (struct.error, IndexError):
        return None
    return None


def _jpeg_size(data: bytes) -> Size | None:
    size: Size | None = None
    rotated = False
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in _JPEG_STANDALONE:
            position += 2
            continue
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        segment = data[position + 4 : position + 2 + length]
        if marker == 0xE1 and segment.startswith(b"Exif\x00\x00"):
            rotated = _exif_orientation(segment[6:]) in (5, 6, 7, 8)
        elif marker in _JPEG_SOF:
            height, width = struct.unpack(">HH", segment[1:5])
            size = _positive(width, height)
            break
        elif marker == 0xDA:  # start of scan: no frame header came first
            break
        position += 2 + length
    if size is None:
        return None
    return (size[1], size[0]) if rotated else size


def _exif_orientation(tiff: bytes) -> int | None:
    """The orientation tag (1-8) of a TIFF structure, from its first IFD."""
    order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if order is None:
        return None
    (offset,) = struct.unpack(order + "I", tiff[4:8])
    (count,) = struct.unpack(order + "H", tiff[offset : offset + 2])
    for index in range(count):
        entry = tiff[offset + 2 + 12 * index : offset + 14 + 12 * index]
        tag, _type, _count, value = struct.unpack(order + "HHIH", entry[:10])
        if tag == _EXIF_ORIENTATION:
            return int(value)
    return None


def _webp_size(data: bytes) -> Size | None:
    chunk = data[12:16]
    if chunk == b"VP8 ":  # lossy: 14-bit sizes after the frame tag and start code
        width, height = struct.unpack("<HH", data[26:30])
        return _positive(width & 0x3FFF, height & 0x3FFF)
    if chunk == b"VP8L":  # lossless: 14-bit sizes minus one, packed after the signature
        (bits,) = struct.unpack("<I", data[21:25])
        return _positive((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    if chunk == b"VP8X":  # extended: 24-bit canvas sizes minus one
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return _positive(width, height)
    return None


def _boxes(data: bytes, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """The ``(type, body start, body end)`` of each ISO-BMFF box between two offsets."""
    position = start
    while position + 8 <= end:
        size, kind = struct.unpack(">I4s", data[position : position + 8])
        header = 8
        if size == 1:
            (size,) = struct.unpack(">Q", data[position + 8 : position + 16])
            header = 16
        elif size == 0:
            size = end - position
        if size < header or position + size > end:
            return
        yield kind, position + header, position + size
        position += size


def _track_size(data: bytes, start: int, end: int) -> Size | None:
    """The displayed size in a ``tkhd`` box: 16.16 fixed-point, swapped when rotated ±90°."""
    version = data[start]
    matrix = start + (4 + 32 + 8 + 8 if version == 1 else 4 + 20 + 8 + 8)
    a, b, _u, c, d = struct.unpack(">iiiii", data[matrix : matrix + 20])
    width, height = struct.unpack(">II", data[matrix + 36 : matrix + 44])
    size = _positive(width >> 16, height >> 16)
    if size is not None and a == 0 and d == 0 and b != 0 and c != 0:
        return size[1], size[0]
    return size


def _find_track(data: bytes, start: int, end: int, depth: int = 0) -> Size | None:
    for kind, body, stop in _boxes(data, start, end):
        if kind == b"tkhd":
            size = _track_size(data, body, stop)
            if size is not None:
                return size
        elif kind in _MP4_CONTAINERS and depth < _MP4_MAX_DEPTH:
            size = _find_track(data, body, stop, depth + 1)
            if size is not None:
                return size
    return None


def video_size(data: bytes) -> Size | None:
    """The displayed ``(width, height)`` of an MP4/QuickTime video (its first visual track)."""
    try:
        return _find_track(data, 0, len(data))
    except (struct.error, IndexError):
        return None
