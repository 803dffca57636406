"""The methods and records we use exist in the Lexicons, with the types we use them as.

(Every request the other tests send is also checked against its Lexicon by the ``api``
fixture; these tests check the checker and the provider's own tables.)
"""

from __future__ import annotations

import json

import httpx
import pytest

from socialkit.providers.bluesky.ids import is_nsid
from socialkit.providers.bluesky.xrpc import METHODS, RECORDS

from .bsky_lexicon import available, check_request, lexicon


@pytest.fixture(autouse=True)
def _specs() -> None:
    if not available():
        pytest.skip("the Bluesky Lexicons (../shared/specs) are not present")


@pytest.mark.parametrize("nsid", sorted(METHODS))
def test_called_method_has_a_lexicon_of_its_type(nsid: str) -> None:
    doc = lexicon(nsid)
    assert doc is not None, f"no Lexicon for {nsid}"
    assert (doc["id"], doc["defs"]["main"]["type"]) == (nsid, METHODS[nsid])


@pytest.mark.parametrize("nsid", [*sorted(METHODS), *RECORDS])
def test_nsid_is_well_formed(nsid: str) -> None:
    assert is_nsid(nsid)


@pytest.mark.parametrize("collection", RECORDS)
def test_written_collection_is_a_record_keyed_by_tid(collection: str) -> None:
    doc = lexicon(collection)
    assert doc is not None
    assert (doc["defs"]["main"]["type"], doc["defs"]["main"]["key"]) == ("record", "tid")


def create_record(record: dict[str, object]) -> httpx.Request:
    return httpx.Request(
        "POST", "https://pds.example/xrpc/com.atproto.repo.createRecord",
        json={"repo": "did:plc:brand", "collection": "app.bsky.feed.post",
              "rkey": "3kgt2ttvf6c2a", "record": record},
    )


def test_checker_accepts_a_valid_post() -> None:
    record = {"$type": "app.bsky.feed.post", "text": "hi", "createdAt": "2024-11-05T18:32:07.451Z"}
    assert check_request(create_record(record)) == []


def test_checker_finds_an_unknown_record_field() -> None:
    record = {"$type": "app.bsky.feed.post", "text": "hi",
              "createdAt": "2024-11-05T18:32:07.451Z", "visibility": "public"}
    assert check_request(create_record(record)) == ["$.record: unknown property 'visibility'"]


def test_checker_finds_a_facet_with_a_wrong_feature_type() -> None:
    record = {
        "$type": "app.bsky.feed.post", "text": "hi", "createdAt": "2024-11-05T18:32:07.451Z",
        "facets": [{"index": {"byteStart": 0, "byteEnd": 2},
                    "features": [{"$type": "app.bsky.richtext.facet#hashtag", "tag": "hi"}]}],
    }
    (problem,) = check_request(create_record(record))
    assert "app.bsky.richtext.facet#hashtag" in problem


def test_checker_finds_a_query_sent_as_post() -> None:
    request = httpx.Request("POST", "https://pds.example/xrpc/app.bsky.feed.getPosts",
                            content=json.dumps({"uris": []}))
    assert "app.bsky.feed.getPosts: POST, not GET" in check_request(request)


def test_checker_finds_a_missing_required_parameter() -> None:
    request = httpx.Request("GET", "https://pds.example/xrpc/app.bsky.actor.getProfile")
    assert check_request(request) == ["app.bsky.actor.getProfile: missing parameter 'actor'"]
