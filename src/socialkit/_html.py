"""Small HTML renderers for the models, for notebooks (``_repr_html_``) and reports.

Every piece of text that came from a platform is escaped, and only ``http(s)``
URLs become links or images, so a post cannot inject markup or script into a
notebook. The output is plain HTML with a few inline styles and no script.

```python
from socialkit._html import post_html, thread_html

html = post_html(post)                       # what a notebook shows for a Post
html = thread_html(client.comments(post.id))  # replies nested under their parents
```
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Protocol
from urllib.parse import urlsplit

__all__ = [
    "account_html",
    "comment_html",
    "mention_html",
    "metric_html",
    "metrics_html",
    "post_html",
    "record_html",
    "thread_html",
]


# The renderers read the records by their fields, not their classes, so the models can
# render themselves (``_repr_html_``) without this module importing them back.


class Account(Protocol):
    """The fields of `socialkit.Account` a card shows."""

    @property
    def platform(self) -> str: ...
    @property
    def handle(self) -> str: ...
    @property
    def display_name(self) -> str | None: ...
    @property
    def url(self) -> str | None: ...
    @property
    def avatar_url(self) -> str | None: ...
    @property
    def followers(self) -> int | None: ...


class Media(Protocol):
    """The fields of `socialkit.Media` a post card links."""

    @property
    def kind(self) -> str: ...
    @property
    def url(self) -> str | None: ...
    @property
    def alt_text(self) -> str | None: ...


class _Authored(Protocol):
    @property
    def platform(self) -> str: ...
    @property
    def id(self) -> str: ...
    @property
    def author(self) -> Account | None: ...
    @property
    def text(self) -> str: ...
    @property
    def created_at(self) -> datetime | None: ...
    @property
    def url(self) -> str | None: ...


class Post(_Authored, Protocol):
    """The fields of `socialkit.Post` a card shows."""

    @property
    def reply_to_id(self) -> str | None: ...
    @property
    def media(self) -> Sequence[Media]: ...
    @property
    def metrics(self) -> Mapping[str, int]: ...


class Comment(_Authored, Protocol):
    """The fields of `socialkit.Comment` a card and a thread show."""

    @property
    def reply_to_id(self) -> str | None: ...
    @property
    def hidden(self) -> bool: ...


class Mention(_Authored, Protocol):
    """The fields of `socialkit.Mention` a card shows."""

    @property
    def kind(self) -> str: ...


class Metric(Protocol):
    """The fields of `socialkit.Metric` a table row shows."""

    @property
    def platform(self) -> str: ...
    @property
    def subject(self) -> str: ...
    @property
    def subject_id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def value(self) -> float | None: ...
    @property
    def period(self) -> str: ...
    @property
    def collected_at(self) -> datetime: ...
    @property
    def native_name(self) -> str | None: ...


_BOX = "border:1px solid #d0d7de;border-radius:6px;padding:8px 12px;margin:4px 0;max-width:42em"
_MUTED = "color:#57606a;font-size:90%"
_TABLE = "border-collapse:collapse"
_CELL = "border:1px solid #d0d7de;padding:2px 8px"


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _safe_url(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) URL, else ``None`` (no ``javascript:``)."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def _link(url: str | None, label: str) -> str:
    safe = _safe_url(url)
    if safe is None:
        return _e(label)
    return f'<a href="{_e(safe)}" target="_blank" rel="noopener noreferrer">{_e(label)}</a>'


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value is not None else ""


def _text(text: str) -> str:
    return _e(text).replace("\n", "<br>")


def _number(value: float | None) -> str:
    if value is None:
        return "n/a"  # null is not zero
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.4g}"
    return f"{int(value):,}"


def _byline(
    author: Account | None, platform: str, created_at: datetime | None, url: str | None
) -> str:
    who = "unknown author"
    if author is not None:
        name = f"<b>{_e(author.display_name)}</b> " if author.display_name else ""
        who = name + _link(author.url, f"@{author.handle}")
    when = _link(url, _when(created_at) or "link") if (created_at or url) else ""
    parts = [who, f'<span style="{_MUTED}">{_e(platform)}</span>']
    if when:
        parts.append(f'<span style="{_MUTED}">{when}</span>')
    return " · ".join(parts)


def _chips(counts: Mapping[str, float | None]) -> str:
    if not counts:
        return ""
    chips = " · ".join(f"{_e(name)} {_number(value)}" for name, value in counts.items())
    return f'<div style="{_MUTED}">{chips}</div>'


def account_html(account: Account) -> str:
    """An account as a card: avatar, name, handle, followers."""
    avatar = _safe_url(account.avatar_url)
    image = (
        f'<img src="{_e(avatar)}" alt="" width="32" height="32" '
        'style="border-radius:50%;vertical-align:middle;margin-right:8px">'
        if avatar
        else ""
    )
    name = f"<b>{_e(account.display_name)}</b> " if account.display_name else ""
    followers = (
        f' · <span style="{_MUTED}">{_number(account.followers)} followers</span>'
        if account.followers is not None
        else ""
    )
    return (
        f'<div class="socialkit-account" style="{_BOX}">{image}{name}'
        f"{_link(account.url, '@' + account.handle)}"
        f' · <span style="{_MUTED}">{_e(account.platform)}</span>{followers}</div>'
    )


def post_html(post: Post) -> str:
    """A post as a card: byline, text, media, public counts."""
    media = ""
    if post.media:
        kinds = ", ".join(_link(m.url, m.alt_text or m.kind) for m in post.media)
        media = f'<div style="{_MUTED}">media: {kinds}</div>'
    reply = (
        f'<div style="{_MUTED}">in reply to {_e(post.reply_to_id)}</div>'
        if post.reply_to_id
        else ""
    )
    return (
        f'<div class="socialkit-post" style="{_BOX}">'
        f"<div>{_byline(post.author, post.platform, post.created_at, post.url)}</div>"
        f'{reply}<p style="margin:6px 0">{_text(post.text)}</p>{media}'
        f"{_chips(dict(post.metrics))}</div>"
    )


def comment_html(comment: Comment) -> str:
    """A comment as a card (marked when hidden)."""
    hidden = f' <span style="{_MUTED}">(hidden)</span>' if comment.hidden else ""
    return (
        f'<div class="socialkit-comment" style="{_BOX}">'
        f"<div>{_byline(comment.author, comment.platform, comment.created_at, comment.url)}"
        f'{hidden}</div><p style="margin:6px 0">{_text(comment.text)}</p></div>'
    )


def mention_html(mention: Mention) -> str:
    """A mention as a card, with how the brand was reached."""
    return (
        f'<div class="socialkit-mention" style="{_BOX}">'
        f"<div>{_byline(mention.author, mention.platform, mention.created_at, mention.url)}"
        f' · <span style="{_MUTED}">{_e(mention.kind)}</span></div>'
        f'<p style="margin:6px 0">{_text(mention.text)}</p></div>'
    )


def thread_html(comments: Iterable[Comment]) -> str:
    """Comments nested under their parents; those whose parent is not listed start the thread."""
    items = list(comments)
    ids = {c.id for c in items}
    children: dict[str | None, list[Comment]] = defaultdict(list)
    for comment in items:
        parent = comment.reply_to_id if comment.reply_to_id in ids else None
        children[parent].append(comment)
    shown: set[str] = set()

    def branch(parent: str | None) -> str:
        rows = []
        for comment in children.get(parent, []):
            if comment.id in shown:  # a cycle in bad data must not recurse forever
                continue
            shown.add(comment.id)
            rows.append(f"<li>{comment_html(comment)}{branch(comment.id)}</li>")
        if not rows:
            return ""
        return '<ul style="list-style:none;padding-left:1.5em;margin:0">' + "".join(rows) + "</ul>"

    body = branch(None)
    # comments caught in a parent cycle have no root: list them flat rather than drop them
    rest = "".join(f"<li>{comment_html(c)}</li>" for c in items if c.id not in shown)
    if rest:
        body += f'<ul style="list-style:none;padding-left:1.5em;margin:0">{rest}</ul>'
    count = f"{len(items)} comment" + ("" if len(items) == 1 else "s")
    return f'<div class="socialkit-thread"><div style="{_MUTED}">{count}</div>{body}</div>'


def metrics_html(metrics: Sequence[Metric]) -> str:
    """Metrics as a table: subject, name, value (``n/a`` when not reported), period, when."""
    head = "".join(
        f'<th style="{_CELL}">{h}</th>'
        for h in ("platform", "subject", "name", "value", "period", "collected")
    )
    rows = "".join(
        "<tr>"
        f'<td style="{_CELL}">{_e(m.platform)}</td>'
        f'<td style="{_CELL}">{_e(m.subject)} {_e(m.subject_id)}</td>'
        f'<td style="{_CELL}" title="{_e(m.native_name or "")}">{_e(m.name)}</td>'
        f'<td style="{_CELL};text-align:right">{_number(m.value)}</td>'
        f'<td style="{_CELL}">{_e(m.period)}</td>'
        f'<td style="{_CELL}">{_when(m.collected_at)}</td>'
        "</tr>"
        for m in metrics
    )
    return (
        f'<table class="socialkit-metrics" style="{_TABLE}">'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )


def metric_html(metric: Metric) -> str:
    """One metric as a one-row table."""
    return metrics_html([metric])


def record_html(record: object) -> str:
    """The HTML of a record with no card of its own: its escaped repr."""
    return f"<pre>{_e(repr(record))}</pre>"
