"""Content rules beyond the text length: count limits (hashtags, links, media items) and the
draft options a platform knows, checked before any request."""

from __future__ import annotations

from collections.abc import Iterable

from ...errors import InvalidContent
from ...models import Draft

__all__ = ["Count", "check_counts", "check_options"]

Count = tuple[str, int, int, str]
"""``(rule, found, limit, what)``: e.g. ``("max_links", 6, 5, "distinct links")``."""


def check_counts(counts: Iterable[Count], *, platform: str, where: str) -> None:
    """Raise `InvalidContent` naming the first rule whose count is over its limit."""
    for rule, found, limit, what in counts:
        if found > limit:
            raise InvalidContent(
                f"{found} {what}; {where} allows at most {limit}",
                rule=rule,
                count=found,
                limit=limit,
                platform=platform,
            )


def check_options(draft: Draft, allowed: frozenset[str], *, platform: str) -> None:
    """Refuse draft options the platform does not know, rather than drop them."""
    unknown = sorted(set(draft.options) - allowed)
    if unknown:
        known = ", ".join(sorted(allowed)) or "none"
        raise InvalidContent(
            f"{platform} does not know the option(s) {', '.join(unknown)} (known: {known})",
            rule="options",
            platform=platform,
        )
