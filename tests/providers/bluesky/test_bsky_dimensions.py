"""Image and video sizes from file headers, for the aspect ratios of embeds."""

from __future__ import annotations

import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socialkit.providers.bluesky.dimensions import image_size, video_size

from .bsky_support import jpeg, mp4, png


def test_png_size() -> None:
    assert image_size(png(1200, 675)) == (1200, 675)


def test_jpeg_size() -> None:
    assert image_size(jpeg(4032, 3024)) == (4032, 3024)


@pytest.mark.parametrize("orientation", [5, 6, 7, 8])
def test_jpeg_turned_by_exif_has_its_sides_swapped(orientation: int) -> None:
    assert image_size(jpeg(4032, 3024, orientation)) == (3024, 4032)


@pytest.mark.parametrize("orientation", [1, 2, 3, 4])
def test_jpeg_not_turned_by_exif_keeps_its_sides(orientation: int) -> None:
    assert image_size(jpeg(4032, 3024, orientation)) == (4032, 3024)


def test_gif_size() -> None:
    assert image_size(b"GIF89a" + struct.pack("<HH", 320, 240) + b"\x00" * 8) == (320, 240)


def test_webp_lossy_size() -> None:
    frame = b"\x9d\x01\x2a" + struct.pack("<HH", 640, 480)
    data = b"RIFF" + struct.pack("<I", 30) + b"WEBPVP8 " + struct.pack("<I", 20) + b"\x00" * 3
    assert image_size(data + frame + b"\x00" * 8) == (640, 480)


def test_webp_lossless_size() -> None:
    bits = (640 - 1) | ((480 - 1) << 14)
    data = b"RIFF" + struct.pack("<I", 30) + b"WEBPVP8L" + struct.pack("<I", 10) + b"\x2f"
    assert image_size(data + struct.pack("<I", bits) + b"\x00" * 4) == (640, 480)


def test_webp_extended_size() -> None:
    data = b"RIFF" + struct.pack("<I", 30) + b"WEBPVP8X" + struct.pack("<I", 10) + b"\x00" * 4
    sizes = (1999).to_bytes(3, "little") + (999).to_bytes(3, "little")
    assert image_size(data + sizes) == (2000, 1000)


def test_unknown_bytes_have_no_size() -> None:
    assert image_size(b"hello world, not an image") is None


def test_truncated_png_has_no_size() -> None:
    assert image_size(png(10, 10)[:20]) is None


def test_mp4_size_is_its_video_tracks() -> None:
    assert video_size(mp4(1920, 1080)) == (1920, 1080)


def test_mp4_rotated_by_its_matrix_has_its_sides_swapped() -> None:
    assert video_size(mp4(1920, 1080, rotated=True)) == (1080, 1920)


def test_file_without_a_movie_box_has_no_video_size() -> None:
    assert video_size(b"\x00\x00\x00\x10ftypisom\x00\x00\x02\x00") is None


def test_deeply_nested_boxes_are_not_followed() -> None:
    data = b""
    for _ in range(5000):
        data = struct.pack(">I", len(data) + 8) + b"moov" + data
    assert video_size(data) is None


@given(st.binary(max_size=300))
def test_no_bytes_make_the_readers_fail(data: bytes) -> None:
    for prefix in (b"", b"\x89PNG\r\n\x1a\n", b"\xff\xd8", b"GIF89a", b"RIFF\x00\x00\x00\x00WEBP"):
        image_size(prefix + data)
    video_size(data)
    video_size(b"\x00\x00\x00\x08moov" + data)
