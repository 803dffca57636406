"""Facets: mentions, links and hashtags with UTF-8 byte offsets, on text that makes it hard."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from socialkit.providers.bluesky.facets import Entity, detect, facets, link_uri

TRICKY = "こんにちは @alice.bsky.social 👋🏽 see https://example.com/ä #日本"


def entity(text: str, kind: str) -> Entity:
    return next(e for e in detect(text) if e.kind == kind)


def covered(text: str, found: Entity) -> str:
    return text.encode()[found.byte_start : found.byte_end].decode()


def test_mention_after_japanese_has_byte_offsets() -> None:
    mention = entity(TRICKY, "mention")
    assert (mention.byte_start, mention.byte_end) == (16, 34)
    assert covered(TRICKY, mention) == "@alice.bsky.social"


def test_link_after_a_skin_toned_emoji_has_byte_offsets() -> None:
    link = entity(TRICKY, "link")
    assert (link.byte_start, link.byte_end) == (48, 70)
    assert covered(TRICKY, link) == "https://example.com/ä"


def test_tag_after_a_non_ascii_link_has_byte_offsets() -> None:
    tag = entity(TRICKY, "tag")
    assert (tag.byte_start, tag.byte_end) == (71, 78)
    assert covered(TRICKY, tag) == "#日本"
    assert tag.value == "日本"


def test_facets_come_in_text_order() -> None:
    assert [e.kind for e in detect(TRICKY)] == ["mention", "link", "tag"]


def test_combining_marks_stay_inside_the_tag() -> None:
    text = "e\u0301te\u0301 #re\u0301sume\u0301 ok"
    tag = entity(text, "tag")
    assert (tag.byte_start, tag.byte_end) == (8, 19)
    assert covered(text, tag) == "#re\u0301sume\u0301"


def test_combining_marks_before_a_mention_shift_its_bytes() -> None:
    text = "cafe\u0301\u0301 @bob.test"  # 4 + 2 x 2 bytes of marks + 1 space
    mention = entity(text, "mention")
    assert (mention.byte_start, mention.byte_end) == (9, 18)
    assert covered(text, mention) == "@bob.test"


def test_bare_domain_link_gets_https() -> None:
    assert entity("see example.com/path.", "link").value == "https://example.com/path"


def test_non_ascii_link_is_encoded_but_keeps_its_text() -> None:
    text = "https://bücher.example/ä?q=é"
    link = entity(text, "link")
    assert link.value == "https://xn--bcher-kva.example/%C3%A4?q=%C3%A9"
    assert covered(text, link) == text


def test_link_uri_keeps_ascii_urls_as_they_are() -> None:
    url = "https://example.com/a_(b)?x=1&y=%20#frag"
    assert link_uri(url) == url


def test_short_mention_is_not_a_facet() -> None:
    assert [e.kind for e in detect("hi @alice")] == []


def test_mastodon_style_mention_is_not_a_facet() -> None:
    assert not [e for e in detect("hi @bob@mastodon.social") if e.kind == "mention"]


def test_email_address_is_not_a_mention() -> None:
    assert not [e for e in detect("write to me@alice.bsky.social") if e.kind == "mention"]


def test_domain_inside_a_word_is_not_linked() -> None:
    assert not [e for e in detect("bücher.de is great") if e.kind == "link"]


def test_number_only_tag_is_not_a_facet() -> None:
    assert not [e for e in detect("#2024 was good") if e.kind == "tag"]


def test_tag_over_64_graphemes_is_not_a_facet() -> None:
    assert not [e for e in detect("#" + "a" * 65) if e.kind == "tag"]


def test_unresolved_mentions_get_no_facet() -> None:
    found = detect("@alice.bsky.social @bob.test")
    built = facets(found, {"bob.test": "did:plc:bob"})
    assert [f["features"][0]["did"] for f in built] == ["did:plc:bob"]


PIECES = st.sampled_from([
    "@alice.bsky.social", "#tag", "#日本語", "https://example.com/ä", "example.org",
    "👋🏽", "👨‍👩‍👧‍👦", "e\u0301", "こんにちは", " ", "\n", "(", ").", "!", "x",
])


@given(st.lists(PIECES, max_size=20).map(" ".join))
def test_every_facet_covers_whole_utf8_characters(text: str) -> None:
    encoded = text.encode()
    for found in detect(text):
        piece = encoded[found.byte_start : found.byte_end].decode()  # never cuts a character
        assert piece[0] in "@#h" or piece[0].isalnum()
        if found.kind == "mention":
            assert piece == "@" + found.value
        if found.kind == "tag":
            assert piece == "#" + found.value
