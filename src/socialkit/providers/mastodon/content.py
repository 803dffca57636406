"""Mastodon status HTML → plain text, in one linear pass.

Mastodon sends a status's ``content`` as a small HTML subset: ``<p>`` per
paragraph, ``<br>`` for line breaks, ``<a>`` for links, mentions and hashtags,
and, inside links, ``<span class="invisible">`` / ``<span class="ellipsis">``
parts that shorten long URLs on screen. Remote servers may add lists, quotes
and code. The rules here:

- paragraphs (and other blocks) are separated by a blank line, ``<br>`` is a newline;
- a link keeps all of its text, the invisible parts included, so a shortened URL
  comes out whole; mentions and hashtags stay ``@user`` / ``#tag``; a link whose
  text is not its URL (``<a href="https://x">read this</a>``, from remote servers)
  becomes ``read this (https://x)`` so the URL is not lost;
- character references are unescaped; runs of whitespace collapse as in HTML,
  except inside ``<pre>``; ``<img>`` contributes its ``alt``;
- the ``<p class="quote-inline">RE: <link></p>`` that Mastodon 4.4+ adds to a quote
  post for old clients is dropped: the quote is structured data (``quote``), not text.

The work is linear in the size of the content whatever it holds: well-formed markup
goes through a strict tokenizer, anything else through a lenient one (comments,
stray ``<``, unclosed tags and quotes never make it rescan what it has read), never
through ``html.parser``, whose handling of some malformed input is quadratic.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

__all__ = ["html_to_text"]

_BLOCKS = frozenset(
    {"p", "div", "blockquote", "pre", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "hr"}
)
_SKIP = frozenset({"script", "style", "template"})
_VOID = frozenset({"br", "img", "hr", "wbr"})
_SPACES = re.compile(r"[ \t\r\n\f]+")
_PARAGRAPH = "\x00P"  # placeholders resolved once the whole document is read
_LINE = "\x00L"
_LINK_PARTS = 64  # a link's text in more pieces than this is not a shortened URL


class _TextBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self._pre = 0
        self._skipping: list[str] = []  # the open tags of an element being left out
        self._links: list[tuple[str | None, bool, int]] = []  # (href, is_tag_or_mention, start)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skipping:
            if tag == self._skipping[-1]:
                self._skipping.append(tag)
            return
        found = dict(attrs)
        classes = set((found.get("class") or "").split())
        if tag in _SKIP or "quote-inline" in classes:
            self._skipping.append(tag)
        elif tag in _BLOCKS:
            self.out.append(_PARAGRAPH)
            if tag == "pre":
                self._pre += 1
        elif tag in ("br", "li"):
            self.out.append(_LINE)
        elif tag == "a":
            social = bool({"mention", "hashtag"} & classes)
            self._links.append((found.get("href"), social, len(self.out)))
        elif tag == "img" and found.get("alt"):
            self.handle_data(found.get("alt") or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._skipping:
            if tag == self._skipping[-1]:
                self._skipping.pop()
            return
        if tag in _BLOCKS:
            self.out.append(_PARAGRAPH)
            if tag == "pre":
                self._pre = max(0, self._pre - 1)
        elif tag == "a" and self._links:
            self._close_link(*self._links.pop())

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        self.out.append(data if self._pre else _SPACES.sub(" ", data))

    def _close_link(self, href: str | None, social: bool, start: int) -> None:
        if len(self.out) - start > _LINK_PARTS:  # not a URL shown shortened: keep it all
            if href and not social:
                self.out.append(f" ({href})")
            return
        shown = "".join(p for p in self.out[start:] if not p.startswith("\x00")).strip()
        if social or not href or shown.startswith(("@", "#")):
            return
        if not shown:
            self.out.append(href)
        elif _same_link(shown, href):
            del self.out[start:]
            self.out.append(href)
        else:
            self.out.append(f" ({href})")


def _same_link(shown: str, href: str) -> bool:
    shown = shown.rstrip("…").rstrip(".")
    bare = re.sub(r"^[a-z][a-z0-9+.-]*://", "", href, flags=re.IGNORECASE)
    return href.startswith(shown) or bare.startswith(shown) or shown == href


_TOKEN = re.compile(
    r"<(?P<end>/?)(?P<tag>[a-zA-Z][a-zA-Z0-9]*)"
    r"(?P<attrs>(?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*\s*=\s*(?:\"[^\"<]*\"|'[^'<]*'))*)"
    r"\s*(?P<selfclose>/?)>"
    r"|(?P<text>[^<]+)"
)
_ATTR = re.compile(r"([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_ONLY_P_AND_BR = re.compile(r"(?:[^<]|</?p>|<br\s*/?>)*")
_P_OR_BR = re.compile(r"(</?p>|<br\s*/?>)")
_INLINE = (
    r"</a>|</span>|<(?:a|span)"
    r"(?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*\s*=\s*(?:\"[^\"<]*\"|'[^'<]*'))*\s*>"
)
_ONLY_SOCIAL = re.compile(rf"(?:[^<]|</?p>|<br\s*/?>|{_INLINE})*")
_SOCIAL_PIECE = re.compile(rf"(</?p>|<br\s*/?>|{_INLINE})")


def html_to_text(content: str) -> str:
    """The plain text of a status's HTML ``content``."""
    if "<" not in content and "&" not in content:
        return content.strip()
    if _ONLY_P_AND_BR.fullmatch(content):
        return _paragraphs_to_text(content)
    text = _social_to_text(content)
    if text is not None:
        return text
    builder = _TextBuilder()
    content = content.replace("\x00", "")
    if not _feed_simple(builder, content):
        builder = _TextBuilder()
        _feed_lenient(builder, content)
    return _join("".join(builder.out))


def _join(text: str) -> str:
    """Resolve the paragraph and line placeholders into blank lines and newlines."""
    lines: list[str] = []
    # a run of placeholders splits into empty paragraphs, which are dropped below
    for paragraph in text.split(_PARAGRAPH):
        if _LINE in paragraph:
            block = "\n".join([part.strip(" ") for part in paragraph.split(_LINE)]).strip("\n")
        else:
            block = paragraph.strip(" ").strip("\n")
        if block.strip():
            lines.append(block)
    return "\n\n".join(lines)


def _social_to_text(content: str) -> str | None:
    """The fast path for statuses with hashtags and mentions: ``<p>``, ``<br>``, ``<span>``
    and ``<a class="mention|hashtag">`` tags only (what `_TextBuilder` does with them: a
    social link and a span leave their text as it is). ``None`` for any other tag or link,
    or a ``quote-inline`` element: those take the full builder.

    Content the split leaves no ``<`` in the text of is what `_ONLY_SOCIAL` matches: the
    split finds a tag at every ``<`` that starts one, so it is not matched first."""
    out: list[str] = []
    pieces = _SOCIAL_PIECE.split(content)  # text, tag, text, tag, ..., text
    for index, piece in enumerate(pieces):
        if not index % 2:  # text between tags
            if "<" in piece:  # a tag of another kind, or a stray "<"
                return None
            if piece:
                out.append(_SPACES.sub(" ", html.unescape(piece.replace("\x00", ""))))
        elif piece == "<p>" or piece == "</p>":
            out.append(_PARAGRAPH)
        elif piece[1] == "/" or piece == "<span>":  # </a>, </span>: their text stays
            continue
        elif piece.startswith("<br"):
            out.append(_LINE)
        else:  # <a ...> or <span ...>
            classes: set[str] = set()
            for name, double_quoted, single_quoted in _ATTR.findall(piece):
                if name.lower() == "class":  # the last one counts, as in dict(attrs)
                    classes = set(html.unescape(double_quoted or single_quoted).split())
            if "quote-inline" in classes:
                return None
            if piece[1] == "a" and not {"mention", "hashtag"} & classes:
                return None
    return _join("".join(out))


def _paragraphs_to_text(content: str) -> str:
    """The fast path for the commonest statuses: only ``<p>`` and ``<br>`` tags."""
    out: list[str] = []
    for piece in _P_OR_BR.split(content):
        if piece in ("<p>", "</p>"):
            out.append(_PARAGRAPH)
        elif piece.startswith("<br"):
            out.append(_LINE)
        elif piece:
            out.append(_SPACES.sub(" ", html.unescape(piece.replace("\x00", ""))))
    return _join("".join(out))


def _feed_simple(builder: _TextBuilder, content: str) -> bool:
    """Feed well-formed simple markup (tags with quoted attributes, text) straight to the
    builder's handlers, as ``HTMLParser`` would; ``False``, having fed nothing, otherwise."""
    events: list[tuple[str, str, list[tuple[str, str | None]]]] = []
    position = 0
    for token in _TOKEN.finditer(content):
        if token.start() != position:
            return False
        position = token.end()
        if token["text"] is not None:
            events.append(("data", html.unescape(token["text"]), []))
            continue
        tag = token["tag"].lower()
        if tag in ("script", "style"):  # raw-text elements: HTMLParser's own rules apply
            return False
        if token["end"]:
            if token["attrs"] or token["selfclose"]:
                return False
            events.append(("end", tag, []))
            continue
        attrs: list[tuple[str, str | None]] = []
        for name, double_quoted, single_quoted in _ATTR.findall(token["attrs"]):
            attrs.append((name.lower(), html.unescape(double_quoted or single_quoted)))
        events.append(("startend" if token["selfclose"] else "start", tag, attrs))
    if position != len(content):
        return False
    for kind, value, attrs in events:
        if kind == "data":
            builder.handle_data(value)
        elif kind == "end":
            builder.handle_endtag(value)
        elif kind == "start":
            builder.handle_starttag(value, attrs)
        else:
            builder.handle_startendtag(value, attrs)
    return True


# Every alternative stops at the next "<" (or consumes the rest), so no position is read twice.
_LENIENT = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<[!?][^<>]*>?"
    r"|<(?P<end>/?)(?P<tag>[a-zA-Z][^\s/<>]*)"
    r"(?P<attrs>(?:\"[^\"<]*\"|'[^'<]*'|[^'\"<>])*)>"
    r"|(?P<text>[^<]+|<)",
    re.DOTALL,
)
_LOOSE_ATTR = re.compile(
    r"([^\s\"'<>/=]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'<>`=]+)))?"
)


def _feed_lenient(builder: _TextBuilder, content: str) -> None:
    """Feed any markup to the builder's handlers: comments, doctypes and processing
    instructions are dropped, a ``<`` that starts no tag is text, attributes may be
    unquoted or valueless."""
    for token in _LENIENT.finditer(content):
        text = token["text"]
        if text is not None:
            builder.handle_data(html.unescape(text))
            continue
        tag = token["tag"]
        if tag is None:
            continue  # a comment, a doctype or a processing instruction
        tag = tag.lower()
        if token["end"]:
            builder.handle_endtag(tag)
            continue
        raw = token["attrs"]
        attrs: list[tuple[str, str | None]] = [
            (name.lower(), html.unescape(a or b or c) if (a or b or c) else None)
            for name, a, b, c in _LOOSE_ATTR.findall(raw)
        ]
        if raw.rstrip().endswith("/"):
            builder.handle_startendtag(tag, attrs)
        else:
            builder.handle_starttag(tag, attrs)
