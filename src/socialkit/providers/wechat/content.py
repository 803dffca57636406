"""Article content: plain text to HTML, images to re-host, HTML back to text.

WeChat drops external images from article content (draft/add: 外部图片url将被过滤), so
every ``<img>`` not on WeChat's own image host is uploaded with ``media/uploadimg``
and its ``src`` replaced. Limits from https://developers.weixin.qq.com/doc/service/api/
draftbox/draftmanage/api_draft_add: title ≤ 32, author ≤ 16, digest ≤ 128 characters,
content < 20,000 characters and < 1 MB.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

__all__ = [
    "MAX_AUTHOR",
    "MAX_CONTENT",
    "MAX_DIGEST",
    "MAX_TITLE",
    "default_title",
    "html_to_text",
    "image_sources",
    "is_html",
    "is_wechat_image",
    "replace_sources",
    "to_html",
]

MAX_TITLE = 32
MAX_AUTHOR = 16
MAX_DIGEST = 128
MAX_CONTENT = 20_000

_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)(\s[^<>]*)?/?>")
_IMG_SRC = re.compile(r"""(<img\b[^>]*?\bsrc\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
_WECHAT_IMAGE_HOSTS = ("qpic.cn", "qlogo.cn")
_BLOCKS = frozenset({"p", "div", "br", "section", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr"})


def is_html(text: str) -> bool:
    """Whether ``text`` holds at least one HTML tag."""
    return _TAG.search(text) is not None


def to_html(text: str) -> str:
    """``text`` as article HTML: HTML is kept; plain text becomes escaped paragraphs."""
    if is_html(text):
        return text
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "".join(
        "<p>" + "<br/>".join(html.escape(line) for line in p.split("\n")) + "</p>"
        for p in paragraphs
    )


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """The readable text of article HTML: blocks become lines, tags and scripts go."""
    parser = _Text()
    parser.feed(markup)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).split("\n")]
    return "\n".join(line for line in lines if line)


def default_title(text: str) -> str:
    """The first line of the text, cut to WeChat's 32 characters."""
    plain = html_to_text(text) if is_html(text) else text
    first = next((line.strip() for line in plain.splitlines() if line.strip()), "")
    return first[:MAX_TITLE]


def is_wechat_image(url: str) -> bool:
    """Whether an image is already on WeChat's image hosts (``mmbiz.qpic.cn``)."""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in _WECHAT_IMAGE_HOSTS)


def image_sources(markup: str) -> list[str]:
    """The ``src`` of every ``<img>``, in order, each once."""
    return list(dict.fromkeys(html.unescape(m.group(3)) for m in _IMG_SRC.finditer(markup)))


def replace_sources(markup: str, urls: dict[str, str]) -> str:
    """``markup`` with each ``<img src>`` in ``urls`` replaced by its new URL."""

    def swap(match: re.Match[str]) -> str:
        old = html.unescape(match.group(3))
        new = urls.get(old)
        if new is None:
            return match.group(0)
        return f"{match.group(1)}{match.group(2)}{html.escape(new)}{match.group(2)}"

    return _IMG_SRC.sub(swap, markup)
