"""Identifiers and datetimes against the atproto interop vectors; permalinks; settings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from socialkit.providers.bluesky import Bluesky, BlueskySettings
from socialkit.providers.bluesky.ids import (
    is_did,
    is_handle,
    is_language,
    is_nsid,
    is_record_key,
    is_tid,
    new_tid,
    parse_at_uri,
    permalink,
    post_uri,
)
from socialkit.providers.bluesky.parse import parse_datetime, post_url

from .bsky_lexicon import INTEROP
from .bsky_support import platform

SYNTAX = INTEROP / "syntax"


def vectors(name: str) -> list[str]:
    path: Path = SYNTAX / name
    if not path.is_file():
        pytest.skip("the atproto interop vectors (../shared/specs) are not present")
    return [line for line in path.read_text().split("\n") if line and not line.startswith("#")]


CHECKS: dict[str, Callable[[str], bool]] = {
    "handle": is_handle,
    "did": is_did,
    "nsid": is_nsid,
    "recordkey": is_record_key,
    "tid": is_tid,
    "language": is_language,
    "aturi": lambda value: parse_at_uri(value) is not None,
}


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_valid_interop_vectors_are_accepted(name: str) -> None:
    refused = [v[:80] for v in vectors(f"{name}_syntax_valid.txt") if not CHECKS[name](v)]
    assert refused == []


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_invalid_interop_vectors_are_refused(name: str) -> None:
    accepted = [v[:80] for v in vectors(f"{name}_syntax_invalid.txt") if CHECKS[name](v)]
    assert accepted == []


def test_interop_datetimes_parse_to_utc() -> None:
    unread = [v for v in vectors("datetime_syntax_valid.txt") if parse_datetime(v) is None]
    assert unread == []


def test_impossible_datetimes_parse_to_none() -> None:
    read = [v for v in vectors("datetime_parse_invalid.txt") if parse_datetime(v) is not None]
    assert read == []


def test_datetime_offset_is_converted_to_utc() -> None:
    assert parse_datetime("1985-04-12T23:20:50.123456789-07:00") == datetime(
        1985, 4, 13, 6, 20, 50, 123456, tzinfo=UTC
    )


def test_new_tids_are_valid_and_increasing() -> None:
    tids = [new_tid() for _ in range(1000)]
    assert all(is_tid(t) for t in tids)
    assert tids == sorted(set(tids))


def test_at_uri_maps_to_the_bsky_app_permalink() -> None:
    uri = "at://did:plc:alicex3c6l5ewbqkxn2fyy7m/app.bsky.feed.post/3kgt2ttvf6c2a"
    author = {"handle": "alice.bsky.social"}
    assert post_url(uri, author) == "https://bsky.app/profile/alice.bsky.social/post/3kgt2ttvf6c2a"


def test_permalink_falls_back_to_the_did_without_a_valid_handle() -> None:
    uri = "at://did:plc:alicex3c6l5ewbqkxn2fyy7m/app.bsky.feed.post/3kgt2ttvf6c2a"
    assert post_url(uri, {"handle": "handle.invalid"}) == permalink(
        "did:plc:alicex3c6l5ewbqkxn2fyy7m", "3kgt2ttvf6c2a"
    )


def test_bsky_app_permalink_is_read_as_a_post_uri() -> None:
    uri = post_uri("https://bsky.app/profile/alice.bsky.social/post/3kgt2ttvf6c2a")
    assert str(uri) == "at://alice.bsky.social/app.bsky.feed.post/3kgt2ttvf6c2a"


@pytest.mark.parametrize("value", [
    "at://did:plc:alicex3c6l5ewbqkxn2fyy7m/app.bsky.feed.like/3kgt2ttvf6c2a",
    "at://did:plc:alicex3c6l5ewbqkxn2fyy7m/app.bsky.feed.post",
    "https://example.com/profile/alice.bsky.social/post/3kgt2ttvf6c2a",
    "3kgt2ttvf6c2a",
])
def test_what_is_not_a_post_is_no_post_uri(value: str) -> None:
    assert post_uri(value) is None


def test_handle_setting_drops_the_at_sign_and_case() -> None:
    settings = BlueskySettings(handle="@Brand.BSKY.social", app_password="x")
    assert settings.handle == "brand.bsky.social"


def test_handle_setting_refuses_an_email() -> None:
    with pytest.raises(ValidationError, match="handle"):
        BlueskySettings(handle="me@brand.example", app_password="x")


def test_access_token_setting_is_refused() -> None:
    with pytest.raises(ValidationError, match="app_password"):
        BlueskySettings(handle="brand.bsky.social", app_password="x", access_token="t")


def test_service_setting_takes_a_bare_host() -> None:
    assert platform(service="pds.example.com/").settings.service == "https://pds.example.com"


def test_settings_from_a_url() -> None:
    assert Bluesky.settings_from_url("bluesky://brand.bsky.social:abcd-efgh@bsky.social") == {
        "handle": "brand.bsky.social", "app_password": "abcd-efgh", "service": "https://bsky.social",
    }


def test_settings_repr_hides_the_app_password() -> None:
    settings = BlueskySettings(handle="brand.bsky.social", app_password="CANARY-PASSWORD")
    assert "CANARY" not in repr(settings) + str(settings)


def test_keyword_settings_errors_name_the_field() -> None:
    import socialkit as sk

    with pytest.raises(sk.ConfigError) as raised:
        Bluesky(handle="me@brand.example", app_password="x")
    assert raised.value.field == "handle"
