"""UTM tagging: the links of a post carry where the click came from.

```python
from socialkit.utm import UTM, tag_links

tag_links("Spring sale: https://shop.example/sale?ref=a#top", source="mastodon",
          campaign="spring", content="entry-12-mastodon")
# 'Spring sale: https://shop.example/sale?ref=a&utm_source=mastodon&utm_medium=social
#  &utm_campaign=spring&utm_content=entry-12-mastodon#top'
```

Rules, so that the tagged text is the same every time it is made:

- only links written with ``http://`` or ``https://`` are tagged (a bare
  ``example.com`` is not a link everywhere);
- the link's own query and fragment are kept byte for byte; the tags are
  appended to the query in the order ``utm_source, utm_medium, utm_campaign,
  utm_content``, and a ``utm_*`` parameter the link already has is never
  overwritten;
- links in ``keep`` (an exact link, or a prefix such as ``https://example.com/legal``)
  are left alone.

A draft carries its own choices in `Draft.options` (removed before the draft
is sent, see `strip_options`): ``{"utm": False}`` turns tagging off for that
draft, ``{"utm": {"campaign": "x"}}`` turns it on (or overrides fields), and
``{"keep_links": ["https://..."]}`` names links to leave untouched.

Length rules apply after tagging: X and Mastodon count every link as 23
characters, so tags cost nothing there; platforms that count characters see
the longer text, and `socialkit.crosspost` threads or shortens it as usual.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any, Final
from urllib.parse import parse_qsl, quote, urlencode

import attrs

from .errors import ConfigError
from .models import Draft
from .text import TextRules, find_urls

__all__ = ["OPTION_KEYS", "UTM", "links_tags", "strip_options", "tag_draft", "tag_links", "utm_of"]

OPTION_KEYS: Final[frozenset[str]] = frozenset({"utm", "keep_links"})
"""The `Draft.options` keys that steer tagging; they never reach a platform."""

_ORDER: Final = ("utm_source", "utm_medium", "utm_campaign", "utm_content")
_log = logging.getLogger("socialkit")


def _keep(value: Iterable[str]) -> frozenset[str]:
    return frozenset(value)


@attrs.frozen
class UTM:
    """How to tag the links of a post.

    Attributes:
        campaign: ``utm_campaign`` (a calendar entry's own campaign wins over it).
        content: ``utm_content``; when ``None`` the caller derives one (the crosspost
            target, the calendar entry and variant).
        medium: ``utm_medium``.
        source: ``utm_source``; when ``None``, the platform's name.
        keep: Links (exact, or prefixes) never to tag.
    """

    campaign: str | None = None
    content: str | None = None
    medium: str = "social"
    source: str | None = None
    keep: frozenset[str] = attrs.field(default=frozenset(), converter=_keep)

    def to_json(self) -> dict[str, Any]:
        """The settings as JSON data."""
        data = attrs.asdict(self)
        data["keep"] = sorted(self.keep)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> UTM:
        """Settings from `to_json` data (unknown keys are a `ConfigError`)."""
        known = {f.name for f in attrs.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"unknown UTM setting(s) {unknown}", field=f"utm.{unknown[0]}")
        return cls(**dict(data))


def _tag_url(url: str, tags: Mapping[str, str]) -> str:
    head, hash_, fragment = url.partition("#")
    base, question, query = head.partition("?")
    present = {k.lower() for k, _ in parse_qsl(query, keep_blank_values=True)}
    added = [(k, v) for k, v in tags.items() if k not in present]
    if not added:
        return url
    extra = urlencode(added, quote_via=quote)
    if not question:
        query = extra
    elif not query or query.endswith("&"):
        query += extra
    else:
        query += "&" + extra
    return f"{base}?{query}{hash_}{fragment}"


def _kept(url: str, keep: Iterable[str]) -> bool:
    return any(url == k or url.startswith(k) for k in keep)


def tag_links(
    text: str,
    *,
    source: str,
    campaign: str | None = None,
    content: str | None = None,
    medium: str = "social",
    keep: Iterable[str] = (),
) -> str:
    """``text`` with UTM tags added to each ``http(s)`` link (see the module's rules).

    A tag whose value is ``None`` or empty is not added.
    """
    values = dict(zip(_ORDER, (source, medium, campaign, content), strict=True))
    tags = {k: v for k, v in values.items() if v}
    kept = tuple(keep)
    pieces: list[str] = []
    position = 0
    for start, end in find_urls(text):
        url = text[start:end]
        if not url.lower().startswith(("http://", "https://")) or _kept(url, kept):
            continue
        pieces += [text[position:start], _tag_url(url, tags)]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def links_tags(text: str) -> list[dict[str, str]]:
    """The ``utm_*`` parameters of each tagged link in ``text`` (keys without ``utm_``)."""
    found = []
    for start, end in find_urls(text):
        query = text[start:end].partition("#")[0].partition("?")[2]
        tags = {
            k.lower().removeprefix("utm_"): v
            for k, v in parse_qsl(query, keep_blank_values=True)
            if k.lower().startswith("utm_")
        }
        if tags:
            found.append(tags)
    return found


def strip_options(draft: Draft) -> Draft:
    """``draft`` without the tagging options (`OPTION_KEYS`), which no platform accepts."""
    if not OPTION_KEYS & set(draft.options):
        return draft
    options = {k: v for k, v in draft.options.items() if k not in OPTION_KEYS}
    return draft.model_copy(update={"options": options})


def utm_of(draft: Draft, default: UTM | None) -> UTM | None:
    """The tagging that applies to ``draft``: ``default`` as the draft's ``utm`` option
    changes it (``False`` turns it off, a mapping overrides fields), plus its ``keep_links``.

    Raises:
        ConfigError: the options are malformed.
    """
    option = draft.options.get("utm")
    settings = default
    if option is False:
        return None
    if isinstance(option, Mapping):
        base = (default or UTM()).to_json()
        settings = UTM.from_json({**base, **option})
    elif option not in (None, True):
        raise ConfigError("the 'utm' option must be true, false or a table", field="utm")
    elif option is True and settings is None:
        settings = UTM()
    keep_links = draft.options.get("keep_links", ())
    if isinstance(keep_links, str) or not all(isinstance(k, str) for k in keep_links):
        raise ConfigError("'keep_links' must be a list of links", field="keep_links")
    if settings is None:
        return None
    return attrs.evolve(settings, keep=settings.keep | frozenset(keep_links))


def tag_draft(
    draft: Draft,
    utm: UTM | None,
    *,
    platform: str,
    content: str | None = None,
    campaign: str | None = None,
    fit: TextRules | None = None,
) -> Draft:
    """``draft`` as it is sent: its links tagged per `utm_of` and the tagging options removed.

    Args:
        draft: The draft.
        utm: The default tagging (``None``: only a draft's own ``utm`` option tags).
        platform: ``utm_source`` unless ``utm.source`` is set.
        content: ``utm_content`` unless ``utm.content`` is set.
        campaign: A campaign that wins over ``utm.campaign`` (a calendar entry's).
        fit: The platform's rules, when the text cannot be adapted afterwards (the
            calendar): if the tagged text breaks them and the text as written does
            not, it is sent as written and a warning is logged, rather than fail.
    """
    settings = utm_of(draft, utm)
    sent = strip_options(draft)
    if settings is None:
        return sent
    text = tag_links(
        sent.text,
        source=settings.source or platform,
        campaign=campaign or settings.campaign,
        content=settings.content or content,
        medium=settings.medium,
        keep=settings.keep,
    )
    if fit is not None and not fit.fits(text) and fit.fits(sent.text):
        _log.warning(
            "UTM tags left out on %s: the tagged text counts %d %s, the limit is %d",
            platform,
            fit.measure(text),
            fit.unit,
            fit.max_length,
        )
        return sent
    return sent.model_copy(update={"text": text})
