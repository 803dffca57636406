"""Status HTML → plain text."""

from __future__ import annotations

import time

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from socialkit.providers.mastodon import html_to_text


@pytest.mark.parametrize(
    ("html", "text"),
    [
        pytest.param("<p>One</p><p>Two</p>", "One\n\nTwo", id="paragraphs"),
        pytest.param(
            "<p>line one<br>line two<br />line three</p>",
            "line one\nline two\nline three",
            id="line-breaks",
        ),
        pytest.param("<p>a</p><p>b<br>c</p><p>d</p>", "a\n\nb\nc\n\nd", id="mixed"),
        pytest.param(
            "<p>Fish &amp; chips &lt;3 &quot;yum&quot; &#39;ok&#39; &#x1F600;</p>",
            "Fish & chips <3 \"yum\" 'ok' 😀",
            id="entities",
        ),
        pytest.param(
            '<p><a href="https://example.com/blog/2022/08/launch-day" rel="nofollow noopener">'
            '<span class="invisible">https://</span><span class="ellipsis">example.com/blog/20'
            '22/08/la</span><span class="invisible">unch-day</span></a></p>',
            "https://example.com/blog/2022/08/launch-day",
            id="shortened-link",
        ),
        pytest.param(
            '<p>Hi <span class="h-card"><a href="https://mastodon.example/@alice" '
            'class="u-url mention">@<span>alice</span></a></span></p>',
            "Hi @alice",
            id="mention",
        ),
        pytest.param(
            '<p><a href="https://mastodon.example/tags/launch" class="mention hashtag" '
            'rel="tag">#<span>launch</span></a> day</p>',
            "#launch day",
            id="hashtag",
        ),
        pytest.param(
            '<p>Read <a href="https://example.com/post">this article</a> now</p>',
            "Read this article (https://example.com/post) now",
            id="link-with-words",
        ),
        pytest.param("<p>  lots   of\n  space  </p>", "lots of space", id="whitespace"),
        pytest.param("<pre>  code\n    block</pre>", "code\n    block", id="pre"),
        pytest.param("<ul><li>one</li><li>two</li></ul>", "one\ntwo", id="list"),
        pytest.param("<p>x</p><script>alert(1)</script>", "x", id="script-dropped"),
        pytest.param("plain &amp; simple", "plain & simple", id="no-tags"),
        pytest.param(
            '<p>So true</p><p class="quote-inline">RE: <a href="https://m.example/@a/1">'
            "m.example/@a/1</a></p>",
            "So true",
            id="quote-inline-dropped",
        ),
        pytest.param(
            '<div class="quote-inline">a<div>b</div>c</div><p>d</p>', "d", id="nested-skip"
        ),
        pytest.param(
            '<p>look <img src="x.png" alt=":blobcat:"> here</p>',
            "look :blobcat: here",
            id="img-alt",
        ),
        pytest.param("", "", id="empty"),
    ],
)
def test_html_to_text(html: str, text: str) -> None:
    assert html_to_text(html) == text


def test_a_link_showing_its_url_appears_once() -> None:
    html = '<a href="https://example.com/">https://example.com/</a>'
    assert html_to_text(html) == "https://example.com/"


def test_link_text_without_scheme_becomes_the_full_url() -> None:
    html = '<p><a href="https://example.com/a">example.com/a</a></p>'
    assert html_to_text(html) == "https://example.com/a"


_PIECES = [
    "a",
    "b c",
    " ",
    "\n",
    "\t",
    "é",
    "👋",
    "&amp;",
    "&lt;",
    "&#39;",
    "<p>",
    "</p>",
    "<br>",
    "<br />",
]


@given(st.lists(st.sampled_from(_PIECES), max_size=30))
def test_fast_path_for_paragraphs_agrees_with_the_parser(pieces: list[str]) -> None:
    from socialkit.providers.mastodon import content

    html = "".join(pieces)
    builder = content._TextBuilder()
    builder.feed(html)
    builder.close()
    assert content._paragraphs_to_text(html) == content._join("".join(builder.out))


_MARKUP = [
    *_PIECES,
    '<a href="https://example.com/x?a=1&amp;b=2" class="u-url mention">',
    "</a>",
    '<span class="invisible">',
    "</span>",
    '<span class="ellipsis">',
    "<pre>",
    "</pre>",
    "<ul>",
    "<li>",
    "</li>",
    "</ul>",
    "<img alt=\"cat\" src='x'>",
    "<B>",
    "</B>",
    '<p class="quote-inline">',
    "<script>",
    "</script>",
    "<!-- c -->",
    "<",
    "<input disabled>",
]


@given(st.lists(st.sampled_from(_MARKUP), max_size=30))
def test_simple_markup_reader_agrees_with_the_parser(pieces: list[str]) -> None:
    from socialkit.providers.mastodon import content

    html = "".join(pieces)
    fast, slow = content._TextBuilder(), content._TextBuilder()
    slow.feed(html)
    slow.close()
    if content._feed_simple(fast, html):
        assert content._join("".join(fast.out)) == content._join("".join(slow.out))


_SOCIAL = [
    *_PIECES,
    '<a href="https://m.example/tags/cats" class="mention hashtag" rel="tag">',
    '<a href="https://m.example/@ann" class="u-url mention">',
    "<a href='https://m.example/@bo' class='mention' >",
    '<a class="hashtag" class="nofollow" href="https://m.example/tags/x">',
    '<a href="https://example.com/page" rel="nofollow">',
    '<a href="https://example.com/&amp;x" class="mention&#32;x">',
    "</a>",
    "<span>",
    '<span class="h-card" translate="no">',
    '<span class="invisible">',
    '<span class="quote-inline">',
    "</span>",
    "#",
    "@",
    "https://",
]


@example(['<a href="https://example.com/page" rel="nofollow">', "read", "</a>"])
@example(["<p>", '<span class="quote-inline">', "RE: x", "</span>", "</p>", "a"])
@example(['<a href="https://m.example/@ann" class="u-url mention">', "@", "<span>", "a"])
@given(st.lists(st.sampled_from(_SOCIAL), max_size=30))
def test_fast_path_for_hashtags_and_mentions_agrees_with_the_parser(pieces: list[str]) -> None:
    from socialkit.providers.mastodon import content

    html = "".join(pieces)
    slow = content._TextBuilder()
    slow.feed(html)
    slow.close()
    fast = content._social_to_text(html)
    if fast is not None:
        assert content._ONLY_SOCIAL.fullmatch(html)
        assert fast == content._join("".join(slow.out))


@example(["<p>", "a", "<", "b", "</p>"])
@example(["<b>", "x", "</b>"])
@given(st.lists(st.sampled_from([*_MARKUP, *_SOCIAL, "<a", "<span", "<br", "</p"]), max_size=30))
def test_the_hashtag_fast_path_takes_only_what_it_can_read(pieces: list[str]) -> None:
    """It declines any tag but its own (no regex matches the content first)."""
    from socialkit.providers.mastodon import content

    html = "".join(pieces)
    fast = content._social_to_text(html)
    assert (fast is not None) <= bool(content._ONLY_SOCIAL.fullmatch(html))
    if fast is not None:
        slow = content._TextBuilder()
        slow.feed(html)
        slow.close()
        assert fast == content._join("".join(slow.out))


def _join_by_regex(text: str) -> str:
    """The placeholders resolved as the first `content._join` did (a regex split on runs)."""
    import re

    from socialkit.providers.mastodon import content

    lines = []
    for paragraph in re.split(f"(?:{content._PARAGRAPH})+", text):
        block = "\n".join(part.strip(" ") for part in paragraph.split(content._LINE)).strip("\n")
        if block.strip():
            lines.append(block)
    return "\n\n".join(lines)


_PLACEHOLDED = ["\x00P", "\x00L", "a", " ", "\n", "b c", "\t", "\x00"]


@given(st.lists(st.sampled_from(_PLACEHOLDED), max_size=30))
def test_placeholders_resolve_as_a_regex_split_resolves_them(pieces: list[str]) -> None:
    from socialkit.providers.mastodon import content

    text = "".join(pieces)
    assert content._join(text) == _join_by_regex(text)


def test_a_status_with_a_hashtag_takes_the_fast_path() -> None:
    from socialkit.providers.mastodon import content

    html = (
        '<p>Spring <a href="https://m.example/tags/sale" class="mention hashtag" rel="tag">'
        "#<span>sale</span></a>  now!</p>"
    )
    assert content._ONLY_SOCIAL.fullmatch(html)
    assert content._social_to_text(html) == html_to_text(html) == "Spring #sale now!"


# -- linear work on hostile content (issue 16) -----------------------------------------------

HOSTILE = {
    "nested links": lambda n: "<a href='h'>" * (n // 20) + "x" + "</a>" * (n // 20),
    "unterminated comments": lambda n: "<!--" * (n // 4),
    "stray end tags": lambda n: "</" * (n // 2),
    "processing instructions": lambda n: "<?" * (n // 2),
    "unclosed tags": lambda n: "<a " * (n // 3),
    "spans": lambda n: "<p>" + "<span>x</span>" * (n // 14) + "</p>",
}


def _cpu(content: str) -> float:
    """The least CPU time (a process counter, not the wall clock) of three conversions."""
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        html_to_text(content)
        best = min(best, time.process_time() - started)
    return max(best, 1e-4)


@pytest.mark.parametrize("shape", sorted(HOSTILE))
def test_ten_times_the_content_costs_about_ten_times_the_work(shape: str) -> None:
    make = HOSTILE[shape]
    small, large = _cpu(make(5_000)), _cpu(make(50_000))
    assert large / small < 30  # quadratic work would be ~100 times
