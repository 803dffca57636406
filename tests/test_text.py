"""Length counting per platform, entity finding, and thread splitting."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialkit.errors import InvalidContent
from socialkit.models import Draft, MediaUpload
from socialkit.text import (
    TextRules,
    count_chars,
    count_graphemes,
    count_mastodon,
    count_utf8,
    count_utf16,
    count_x,
    find_hashtags,
    find_mentions,
    find_urls,
    split_thread,
)

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # man, woman, girl, boy
THUMBS_UP_MEDIUM = "\U0001f44d\U0001f3fd"  # thumbs up + skin tone modifier
FLAG_JP = "\U0001f1ef\U0001f1f5"  # two regional indicators
E_DECOMPOSED = "e\u0301"  # e + combining acute accent
CJK = "\u65e5\u672c\u8a9e"  # 3 ideographs
FULL_STOP = "\u3002"  # ideographic full stop

SAMPLES = {
    "ascii": "Hello",
    "cjk": CJK,
    "zwj-family": FAMILY,
    "skin-tone": THUMBS_UP_MEDIUM,
    "decomposed-e": E_DECOMPOSED,
    "flag": FLAG_JP,
}


def _cases(expected: dict[str, int]) -> list[tuple[str, int]]:
    return list(expected.items())


def _spans(text: str, spans: list[tuple[int, int]]) -> list[str]:
    return [text[start:end] for start, end in spans]


# --- Counters on the sample texts ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("sample", "expected"),
    _cases({"ascii": 5, "cjk": 3, "zwj-family": 7, "skin-tone": 2, "decomposed-e": 1, "flag": 2}),
)
def test_count_chars_counts_code_points_after_nfc(sample: str, expected: int) -> None:
    assert count_chars(SAMPLES[sample]) == expected


@pytest.mark.parametrize(
    ("sample", "expected"),
    _cases({"ascii": 5, "cjk": 3, "zwj-family": 1, "skin-tone": 1, "decomposed-e": 1, "flag": 1}),
)
def test_count_graphemes_counts_user_perceived_characters(sample: str, expected: int) -> None:
    assert count_graphemes(SAMPLES[sample]) == expected


@pytest.mark.parametrize(
    ("sample", "expected"),
    _cases({"ascii": 5, "cjk": 3, "zwj-family": 11, "skin-tone": 4, "decomposed-e": 2, "flag": 4}),
)
def test_count_utf16_counts_code_units(sample: str, expected: int) -> None:
    assert count_utf16(SAMPLES[sample]) == expected


@pytest.mark.parametrize(
    ("sample", "expected"),
    _cases({"ascii": 5, "cjk": 9, "zwj-family": 25, "skin-tone": 8, "decomposed-e": 3, "flag": 8}),
)
def test_count_utf8_counts_bytes(sample: str, expected: int) -> None:
    assert count_utf8(SAMPLES[sample]) == expected


@pytest.mark.parametrize(
    ("sample", "expected"),
    _cases({"ascii": 5, "cjk": 6, "zwj-family": 2, "skin-tone": 2, "decomposed-e": 1, "flag": 2}),
)
def test_count_x_weighs_samples_per_twitter_text_v3(sample: str, expected: int) -> None:
    assert count_x(SAMPLES[sample]) == expected


@pytest.mark.parametrize(
    ("sample", "expected"),
    _cases({"ascii": 5, "cjk": 3, "zwj-family": 7, "skin-tone": 2, "decomposed-e": 1, "flag": 2}),
)
def test_count_mastodon_counts_code_points_of_plain_text(sample: str, expected: int) -> None:
    assert count_mastodon(SAMPLES[sample]) == expected


# --- X: the published examples ------------------------------------------------------------------


def test_count_x_counts_hello_as_5() -> None:
    assert count_x("Hello") == 5


def test_count_x_counts_280_ascii_characters_as_280() -> None:
    assert count_x("a" * 280) == 280


def test_count_x_counts_140_cjk_characters_as_280() -> None:
    assert count_x("\u6f22" * 140) == 280


def test_count_x_counts_a_zwj_family_as_one_emoji() -> None:
    assert count_x(FAMILY) == 2


def test_count_x_counts_composed_and_decomposed_cafe_alike() -> None:
    assert count_x("caf\u00e9") == count_x("cafe\u0301") == 4


def test_count_x_counts_a_long_url_as_23() -> None:
    assert count_x("https://example.com/" + "a" * 200) == 23


def test_count_x_counts_urls_as_the_given_url_length() -> None:
    assert count_x("see https://example.com/a", url_length=30) == 34


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hi http://test.co", 26),
        ("Test https://test.com test https://test.com test.com test", 86),
        ("https://www.twitter.com/aloha " * 10, 240),
        ("H\U0001f431\u263a" + FAMILY, 7),
        ("\U0001f64b\U0001f3fd\U0001f468\u200d\U0001f3a4", 4),
        ("A\ufb2c", 4),  # NFC decomposes the Hebrew ligature into 3 code points
        ("\u00c1B", 2),
        ("randomurl" * 7 + "s.com", 68),  # a 64-letter label is no domain
    ],
)
def test_count_x_matches_twitter_text_conformance_examples(text: str, expected: int) -> None:
    assert count_x(text) == expected


def test_count_x_counts_general_punctuation_ranges_as_1() -> None:
    text = "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b"
    text += "\u2010\u2011\u2012\u2013\u2014\u2015\u2016\u2017\u2018\u2019\u201a\u201b"
    text += "\u201c\u201d\u201e\u201f\u2032\u2033\u2034\u2035\u2036\u2037"
    assert count_x(text) == len(text)


def test_count_x_counts_code_points_outside_the_ranges_as_2() -> None:
    assert count_x("\u2020\u2030\u2038") == 6  # dagger, per mille, caret: just outside


def test_count_x_counts_a_keycap_sequence_as_2() -> None:
    assert count_x("1\ufe0f\u20e3") == 2


def test_count_x_counts_copyright_sign_as_text_unless_emoji_presentation() -> None:
    assert (count_x("\u00a9"), count_x("\u00a9\ufe0f")) == (1, 2)


def test_count_x_counts_a_subdivision_flag_as_2() -> None:
    england = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"
    assert count_x(england) == 2


def test_count_x_counts_combining_marks_that_do_not_compose_separately() -> None:
    assert count_x("x\u0303") == 2


# --- Mastodon ------------------------------------------------------------------------------------


def test_count_mastodon_counts_every_url_as_23() -> None:
    text = "a https://example.com/" + "x" * 100 + " b http://t.co"
    assert count_mastodon(text) == 2 + 23 + 3 + 23


def test_count_mastodon_counts_urls_as_the_given_url_length() -> None:
    assert count_mastodon("https://example.com/abc", url_length=10) == 10


def test_count_mastodon_counts_a_remote_mention_as_its_local_part() -> None:
    assert count_mastodon("@alice@mastodon.example.social") == len("@alice")


def test_count_mastodon_counts_a_local_mention_in_full() -> None:
    assert count_mastodon("@alice hi") == 9


def test_count_mastodon_counts_a_bare_domain_as_characters() -> None:
    assert count_mastodon("example.com") == 11


def test_count_mastodon_combines_urls_mentions_and_text() -> None:
    text = "Hi @alice@mastodon.social, see https://example.com/a/long/path"
    assert count_mastodon(text) == len("Hi @alice, see ") + 23


# --- Entity finders ------------------------------------------------------------------------------


def test_find_urls_finds_http_and_https_urls() -> None:
    text = "a http://example.com/x b HTTPS://Example.org/y?q=1&r=2#frag c"
    assert _spans(text, find_urls(text)) == [
        "http://example.com/x",
        "HTTPS://Example.org/y?q=1&r=2#frag",
    ]


@pytest.mark.parametrize("punctuation", [".", ",", ";", ":", "!", "?", ")", "...", ")."])
def test_find_urls_leaves_trailing_punctuation_out(punctuation: str) -> None:
    text = f"see https://example.com/page{punctuation} next"
    assert _spans(text, find_urls(text)) == ["https://example.com/page"]


def test_find_urls_keeps_balanced_parentheses() -> None:
    text = "(see https://en.wikipedia.org/wiki/Mercury_(planet))."
    assert _spans(text, find_urls(text)) == ["https://en.wikipedia.org/wiki/Mercury_(planet)"]


def test_find_urls_finds_bare_domains_with_paths() -> None:
    text = "go to example.com/path?x=1, www.example.co.uk and bsky.app."
    assert _spans(text, find_urls(text)) == [
        "example.com/path?x=1",
        "www.example.co.uk",
        "bsky.app",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "e.g. this",
        "i.e. that",
        "version v1.2.3",
        "Python 3.11.4",
        "run setup.py and read README.md",
        "Mr.Smith",
        "U.S.A.",
        "write to bob@example.com",
        "hello.World",
    ],
)
def test_find_urls_ignores_abbreviations_versions_files_and_email(text: str) -> None:
    assert find_urls(text) == []


def test_find_urls_ends_a_url_at_adjoining_cjk_text() -> None:
    text = "\u770b https://example.com/a\u8fd9\u662f" + FULL_STOP
    assert _spans(text, find_urls(text)) == ["https://example.com/a"]


def test_find_urls_returns_code_point_spans_of_the_given_text() -> None:
    text = FAMILY + " https://example.com"
    assert find_urls(text) == [(len(FAMILY) + 1, len(text))]


def test_find_mentions_finds_local_remote_and_domain_handles() -> None:
    text = "hi @alice, @bob@mastodon.social. and @handle.bsky.social's post"
    assert _spans(text, find_mentions(text)) == [
        "@alice",
        "@bob@mastodon.social",
        "@handle.bsky.social",
    ]


def test_find_mentions_ignores_email_addresses() -> None:
    assert find_mentions("mail bob@example.com") == []


def test_find_mentions_ignores_at_signs_inside_urls() -> None:
    assert find_mentions("https://mastodon.social/@alice") == []


def test_find_hashtags_finds_hashtags_in_any_script() -> None:
    text = "#tag #1st #\u65e5\u672c #caf\u00e9_2024, end"
    assert _spans(text, find_hashtags(text)) == ["#tag", "#1st", "#\u65e5\u672c", "#caf\u00e9_2024"]


def test_find_hashtags_ignores_numbers_fragments_and_entities() -> None:
    assert find_hashtags("#123 https://example.com/#anchor a#b &#39;") == []


# --- TextRules.check -----------------------------------------------------------------------------


def test_check_raises_max_length_with_count_and_limit() -> None:
    rules = TextRules(max_length=10)
    with pytest.raises(InvalidContent) as caught:
        rules.check(Draft(text="x" * 11), platform="mastodon")
    error = caught.value
    assert (error.rule, error.count, error.limit, error.platform) == (
        "max_length",
        11,
        10,
        "mastodon",
    )


def test_check_raises_max_images_with_count_and_limit() -> None:
    draft = Draft(text="photos", media=(MediaUpload(data=b"x", filename="a.png"),) * 5)
    with pytest.raises(InvalidContent) as caught:
        TextRules(max_length=500, max_images=4).check(draft)
    assert (caught.value.rule, caught.value.count, caught.value.limit) == ("max_images", 5, 4)


def test_check_raises_empty_for_a_draft_without_text_or_media() -> None:
    with pytest.raises(InvalidContent) as caught:
        TextRules(max_length=500).check(Draft(text="  "))
    assert caught.value.rule == "empty"


def test_check_measures_with_the_platform_counter() -> None:
    rules = TextRules(max_length=280, count=count_x)
    with pytest.raises(InvalidContent) as caught:
        rules.check(Draft(text="\u6f22" * 141))
    assert (caught.value.count, caught.value.limit) == (282, 280)


def test_check_accepts_a_draft_within_limits() -> None:
    image = MediaUpload(data=b"x", filename="a.png")
    rules = TextRules(max_length=5, max_images=4)
    rules.check(Draft(text="hello", media=(image,) * 4))  # exactly at both limits: no error
    with pytest.raises(InvalidContent) as longer:
        rules.check(Draft(text="hello!", media=(image,) * 4))
    with pytest.raises(InvalidContent) as more:
        rules.check(Draft(text="hello", media=(image,) * 5))
    assert (longer.value.rule, more.value.rule) == ("max_length", "max_images")


# --- split_thread --------------------------------------------------------------------------------


def test_split_thread_returns_a_text_that_fits_unchanged() -> None:
    text = "  short enough  "
    assert split_thread(text, TextRules(max_length=20), numbered=True) == [text]


def test_split_thread_prefers_a_paragraph_break() -> None:
    text = "One. Two.\n\nThree four. Five six."  # "four." also ends within the first 25
    assert split_thread(text, TextRules(max_length=25)) == ["One. Two.", "Three four. Five six."]


def test_split_thread_prefers_a_sentence_end_over_a_space() -> None:
    text = "First sentence here. Second sentence is longer"
    assert split_thread(text, TextRules(max_length=30)) == [
        "First sentence here.",
        "Second sentence is longer",
    ]


def test_split_thread_does_not_end_a_sentence_before_a_lowercase_word() -> None:
    text = "Use tools, e.g. hammers and saws"
    assert split_thread(text, TextRules(max_length=25)) == ["Use tools, e.g. hammers", "and saws"]


def test_split_thread_breaks_at_a_space_without_sentence_ends() -> None:
    text = "alpha beta gamma delta epsilon"
    assert split_thread(text, TextRules(max_length=12)) == ["alpha beta", "gamma delta", "epsilon"]


def test_split_thread_cuts_a_word_longer_than_a_part() -> None:
    assert split_thread("abcdefghij", TextRules(max_length=4)) == ["abcd", "efgh", "ij"]


def test_split_thread_cuts_only_at_grapheme_boundaries() -> None:
    text = FAMILY * 3
    rules = TextRules(max_length=12, count=count_utf16)  # one family is 11 UTF-16 units
    assert split_thread(text, rules) == [FAMILY, FAMILY, FAMILY]


# Without spaces around an entity, only a hard cut could split it: these texts force one.


def test_split_thread_never_cuts_a_url() -> None:
    url = "https://example.com/" + "p" * 30
    before, after = "\u770b\u8fd9\u4e2a", "\u5f88\u597d"
    parts = split_thread(before + url + after, TextRules(max_length=len(url)))
    assert parts == [before, url, after]


def test_split_thread_never_cuts_a_bare_domain_url() -> None:
    parts = split_thread("(example.com/path)", TextRules(max_length=16))
    assert parts == ["(", "example.com/path", ")"]


def test_split_thread_never_cuts_a_mention() -> None:
    mention = "@somebody@mastodon.example"
    parts = split_thread(f"\u300c{mention}\u300d", TextRules(max_length=len(mention)))
    assert parts == ["\u300c", mention, "\u300d"]


def test_split_thread_never_cuts_a_hashtag() -> None:
    parts = split_thread("(#longhashtag)", TextRules(max_length=12))
    assert parts == ["(", "#longhashtag", ")"]


def test_split_thread_counts_urls_as_the_platform_does() -> None:
    url = "https://example.com/" + "p" * 300  # 320 characters, 23 for X
    words = ("word " * 55).strip()
    parts = split_thread(f"{words} {url}", TextRules(max_length=280, count=count_x))
    assert parts == [words, url]


def test_split_thread_splits_cjk_at_ideographic_full_stops() -> None:
    first = "\u4eca\u5929\u5929\u6c14\u5f88\u597d" + FULL_STOP
    second = "\u6211\u4eec\u53bb\u516c\u56ed\u6563\u6b65\u5427" + FULL_STOP
    rules = TextRules(max_length=20, count=count_x)
    assert split_thread(first + second, rules) == [first, second]


def test_split_thread_splits_cjk_at_commas_before_cutting() -> None:
    first = "\u6211\u4eec\u53bb\u516c\u56ed\uff0c"
    text = first + "\u7136\u540e\u53bb\u5403\u996d" + FULL_STOP
    assert split_thread(text, TextRules(max_length=8)) == [first, text[len(first) :]]


def test_split_thread_numbered_parts_end_with_their_number() -> None:
    parts = split_thread("one two three four five six", TextRules(max_length=16), numbered=True)
    assert [part.rsplit(" ", 1)[1] for part in parts] == [
        f"({i}/{len(parts)})" for i in range(1, len(parts) + 1)
    ]


def test_split_thread_numbered_suffix_counts_within_the_limit() -> None:
    rules = TextRules(max_length=20)
    parts = split_thread(" ".join(["abcd"] * 28), rules, numbered=True)
    assert all(rules.fits(part) for part in parts)


def test_split_thread_numbered_total_grows_until_stable() -> None:
    # 7 parts unnumbered; " (i/7)" makes 10, whose longer " (i/10)" makes 14, which holds.
    parts = split_thread(" ".join(["abcd"] * 28), TextRules(max_length=20), numbered=True)
    assert len(parts) == 14
    assert parts[-1] == "abcd abcd (14/14)"


def test_split_thread_raises_unsplittable_for_a_url_longer_than_a_part() -> None:
    url = "https://example.com/" + "p" * 100
    with pytest.raises(InvalidContent) as caught:
        split_thread(f"see {url}", TextRules(max_length=50, count=count_graphemes))
    assert (caught.value.rule, caught.value.count, caught.value.limit) == ("unsplittable", 120, 50)


def test_split_thread_raises_unsplittable_for_a_hashtag_longer_than_a_part() -> None:
    with pytest.raises(InvalidContent) as caught:
        split_thread("#" + "a" * 20, TextRules(max_length=10))
    assert caught.value.rule == "unsplittable"


# --- split_thread properties ---------------------------------------------------------------------

_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCXYZ", min_size=1, max_size=12)
_SENTENCE_WORDS = st.builds(lambda w, p: w + p, _WORDS, st.sampled_from([".", "!", "?", ","]))
_URLS = st.builds(
    lambda host, path: f"https://{host}.com/{path}",
    st.text(alphabet="abcxyz", min_size=1, max_size=8),
    st.text(alphabet="abc123-_/", max_size=10),
)
_BARE_URLS = st.builds(
    lambda host: f"{host}.org/x", st.text(alphabet="abcxyz", min_size=1, max_size=8)
)
_MENTIONS = st.builds(
    lambda user, domain: f"@{user}{domain}",
    st.text(alphabet="abc_xyz", min_size=1, max_size=8),
    st.sampled_from(["", "@mastodon.social", "@example.org", ".bsky.social"]),
)
_HASHTAGS = st.builds(
    lambda tag: "#" + tag, st.text(alphabet="abc\u65e5\u672c\u00e9", min_size=1, max_size=10)
)
_CJK_WORDS = st.builds(
    lambda chars, stop: chars + stop,
    st.text(alphabet="\u4eca\u5929\u6c14\u5f88\u597d\u65e5\u672c\u8a9e", min_size=1, max_size=8),
    st.sampled_from(["", FULL_STOP, "\uff01"]),
)
_EMOJI = st.sampled_from([FAMILY, THUMBS_UP_MEDIUM, FLAG_JP, E_DECOMPOSED + "t\u00e9"])
_ENTITIES = st.one_of(_URLS, _BARE_URLS, _MENTIONS, _HASHTAGS)
_TOKENS = st.one_of(_WORDS, _SENTENCE_WORDS, _CJK_WORDS, _EMOJI, _ENTITIES)
_SEPARATORS = st.sampled_from([" ", " ", " ", "\n", "\n\n", "  "])

_COUNTERS: list[Callable[[str], int]] = [count_chars, count_graphemes, count_x, count_mastodon]


@st.composite
def _texts(draw: st.DrawFn) -> str:
    tokens = draw(st.lists(_TOKENS, min_size=5, max_size=80))
    separators = draw(st.lists(_SEPARATORS, min_size=len(tokens), max_size=len(tokens)))
    return "".join(token + separator for token, separator in zip(tokens, separators, strict=True))


_RULES = st.builds(
    lambda limit, count: TextRules(max_length=limit, count=count),
    st.integers(min_value=40, max_value=160),
    st.sampled_from(_COUNTERS),
)


@settings(max_examples=150, deadline=None)
@given(text=_texts(), rules=_RULES)
def test_split_thread_parts_all_fit(text: str, rules: TextRules) -> None:
    assert all(rules.fits(part) for part in split_thread(text, rules))


@settings(max_examples=150, deadline=None)
@given(text=_texts(), rules=_RULES)
def test_split_thread_preserves_words_in_order(text: str, rules: TextRules) -> None:
    assert " ".join(split_thread(text, rules)).split() == text.split()


@settings(max_examples=100, deadline=None)
@given(text=_texts(), rules=_RULES)
def test_split_thread_numbered_parts_all_fit(text: str, rules: TextRules) -> None:
    assert all(rules.fits(part) for part in split_thread(text, rules, numbered=True))


@settings(max_examples=100, deadline=None)
@given(tokens=st.lists(st.one_of(_WORDS, _ENTITIES), min_size=1, max_size=40), rules=_RULES)
def test_split_thread_keeps_every_entity_whole(tokens: list[str], rules: TextRules) -> None:
    parts = split_thread(" ".join(tokens), rules)
    words = [word for part in parts for word in part.split()]
    assert words == tokens


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(list("ab .\n\u65e5" + FULL_STOP + "\u0301"))),
    limit=st.integers(min_value=3, max_value=30),
)
def test_split_thread_keeps_every_non_space_character_in_order(text: str, limit: int) -> None:
    parts = split_thread(text, TextRules(max_length=limit, count=count_graphemes))
    assert "".join("".join(parts).split()) == "".join(text.split())


# --- what users see when a rule is broken --------------------------------------------------------

IMAGE = MediaUpload(data=b"x", filename="a.png")
GIF = MediaUpload(data=b"x", filename="a.gif")
VIDEO = MediaUpload(data=b"x", filename="a.mp4")


def _broken(rules: TextRules, draft: Draft) -> InvalidContent:
    with pytest.raises(InvalidContent) as raised:
        rules.check(draft, platform="toy")
    return raised.value


def test_check_names_the_length_rule() -> None:
    error = _broken(TextRules(max_length=3), Draft(text="four"))
    assert (error.rule, error.count, error.limit, error.platform) == ("max_length", 4, 3, "toy")
    assert str(error) == "[toy] text is 4 characters long; the limit is 3"


def test_check_applies_the_byte_limit_beyond_the_character_limit() -> None:
    rules = TextRules(max_length=100, max_bytes=6)
    rules.check(Draft(text="\u4f60\u597d"))  # 2 characters, 6 bytes: at the limit
    error = _broken(rules, Draft(text="\u4f60\u597d!"))
    assert (error.rule, error.count, error.limit, error.platform) == ("max_bytes", 7, 6, "toy")
    assert str(error) == "[toy] text is 7 bytes of UTF-8; the limit is 6"
    assert rules.fits("\u4f60\u597d")
    assert not rules.fits("\u4f60\u597d!")


def test_check_counts_gifs_as_images() -> None:
    error = _broken(TextRules(max_length=10, max_images=1), Draft(text="x", media=(IMAGE, GIF)))
    assert (error.rule, error.count, error.limit) == ("max_images", 2, 1)
    assert str(error) == "[toy] 2 images attached; the limit is 1"


def test_check_limits_videos() -> None:
    rules = TextRules(max_length=10, max_videos=1, mixed_media=True)
    rules.check(Draft(text="x", media=(VIDEO, IMAGE)))
    error = _broken(rules, Draft(text="x", media=(VIDEO, VIDEO)))
    assert (error.rule, error.count, error.limit, error.platform) == ("max_videos", 2, 1, "toy")
    assert str(error) == "[toy] 2 videos attached; the limit is 1"


def test_check_refuses_mixed_media_unless_allowed() -> None:
    draft = Draft(text="x", media=(IMAGE, VIDEO))
    error = _broken(TextRules(max_length=10), draft)
    assert (error.rule, error.platform) == ("mixed_media", "toy")
    assert str(error) == "[toy] images and videos cannot be mixed in one post"
    TextRules(max_length=10, mixed_media=True).check(draft)


def test_check_refuses_an_empty_draft_but_not_media_alone() -> None:
    error = _broken(TextRules(max_length=10), Draft(text="  "))
    assert (error.rule, error.platform) == ("empty", "toy")
    assert str(error) == "[toy] the draft has no text and no media"
    TextRules(max_length=10).check(Draft(text="", media=(IMAGE,)))
    TextRules(max_length=10).check(Draft(text="text alone"))


def test_utf16_count_is_a_whole_number() -> None:
    count = count_utf16("a\U0001f600")
    assert (count, type(count)) == (3, int)


# --- mentions and hashtags next to links ---------------------------------------------------------


def test_mentions_and_hashtags_are_found_in_a_text_with_a_link() -> None:
    text = "@alice look at https://example.com/page #launch and example.org/x @bob"
    assert [text[s:e] for s, e in find_mentions(text)] == ["@alice", "@bob"]
    assert [text[s:e] for s, e in find_hashtags(text)] == ["#launch"]


def test_a_mention_or_hashtag_inside_a_link_is_not_one() -> None:
    text = "https://example.com/@carol/#tag and https://mastodon.social/@dave"
    assert find_mentions(text) == []
    assert find_hashtags(text) == []


# --- thread splitting: numbering and whitespace --------------------------------------------------


def _fills(parts: list[str], rules: TextRules) -> None:
    """Every part fits, and no part could also hold the next part's first word."""
    assert all(rules.fits(p) for p in parts)
    for index, (part, following) in enumerate(itertools.pairwise(parts), 1):
        body, _, suffix = part.rpartition(" (")
        grown = f"{body} {following.split()[0]} ({suffix}"
        assert not rules.fits(grown), f"part {index} could hold more"


def test_numbered_parts_reserve_room_for_their_own_number_across_nine_to_ten() -> None:
    rules = TextRules(max_length=30)
    text = " ".join(f"w{i:02d}" for i in range(60))
    parts = split_thread(text, rules, numbered=True)
    assert len(parts) >= 10
    numbers = [f"({i}/{len(parts)})" for i in range(1, len(parts) + 1)]
    assert [p.rsplit(" ", 1)[1] for p in parts] == numbers
    _fills(parts, rules)
    assert " ".join(p.rsplit(" ", 1)[0] for p in parts) == text


def test_unnumbered_parts_are_filled_greedily_over_many_parts() -> None:
    rules = TextRules(max_length=17)
    text = " ".join(f"word{i:03d}" for i in range(200))
    parts = split_thread(text, rules)
    assert all(len(p) == 15 for p in parts[:-1])  # two words of seven and a space
    assert " ".join(parts) == text


def test_a_text_too_long_only_for_its_spaces_is_one_part_without_a_number() -> None:
    text = "hello" + " " * 30
    assert split_thread(text, TextRules(max_length=10), numbered=True) == ["hello"]


def test_trailing_and_leading_whitespace_never_makes_an_empty_part() -> None:
    text = "   " + "one two three four five six seven eight" + "  \n  "
    parts = split_thread(text, TextRules(max_length=10))
    assert "" not in parts
    assert " ".join(parts) == text.strip()


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("@" + "a" * 29 + " hi", "mention"),
        ("#" + "a" * 29 + " hi", "hashtag"),
        ("\uff03" + "a" * 29 + " hi", "hashtag"),
        ("https://example.com/" + "a" * 20 + " hi", "URL"),
    ],
)
def test_an_entity_too_long_for_one_part_is_named_in_the_error(text: str, kind: str) -> None:
    with pytest.raises(InvalidContent) as raised:
        split_thread(text, TextRules(max_length=10))
    length = len(text) - 3
    assert (raised.value.rule, raised.value.count, raised.value.limit) == (
        "unsplittable",
        length,
        10,
    )
    assert str(raised.value) == (
        f"the {kind} at character 0 counts {length} characters, more than one part can hold (10)"
    )


def test_a_character_too_wide_for_a_part_is_named_in_the_error() -> None:
    with pytest.raises(InvalidContent) as raised:
        split_thread("ab\u6f22", TextRules(max_length=1, count=count_x))
    assert (raised.value.rule, raised.value.limit) == ("unsplittable", 1)
    assert str(raised.value) == "a part cannot hold even the character at 2"


def test_split_thread_does_not_end_a_sentence_at_an_abbreviation() -> None:
    text = "We met Dr. Smith at 10 a.m. on Saturday. It was a good talk about things."
    parts = split_thread(text, TextRules(max_length=30))
    assert parts[0] == "We met Dr. Smith at 10 a.m. on"  # not "We met Dr."
    assert split_thread(text, TextRules(max_length=40))[0].endswith("Saturday.")


def test_split_thread_does_not_end_a_sentence_at_an_initial() -> None:
    text = "Thanks to J. Doe for the photos. The next show is in May."
    assert split_thread(text, TextRules(max_length=25))[0] == "Thanks to J. Doe for the"


def test_split_thread_never_emits_a_tiny_first_part() -> None:
    text = "Hi!\n\nThis is a much longer paragraph that goes on and on for a while."
    parts = split_thread(text, TextRules(max_length=40))
    assert parts[0] != "Hi!"
    assert all(len(part) >= 40 / 3 for part in parts[:-1])
