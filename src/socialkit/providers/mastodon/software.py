"""Which server software answers the Mastodon client API, read from its instance version.

Mastodon itself keeps an ``Idempotency-Key`` for an hour and answers a repeated key
with the status it already created; compatible servers need not: snac2 posts twice,
and GoToSocial, Pleroma and Akkoma are not known to de-duplicate. Only Mastodon (and
its forks, which keep its code: glitch-soc ``4.3.0+glitch``, Hometown
``4.0.2+hometown-1.1.1``) is trusted; anything else, or an unknown version, is not.

Version strings seen in ``GET /api/v1/instance``: Mastodon ``"4.3.2"``, snac2
``"4.0.0 (not true; really snac/2.75)"``, Pleroma ``"2.7.2 (compatible; Pleroma 2.6.0)"``,
Akkoma ``"2.7.2 (compatible; Akkoma 3.13.2)"``, GoToSocial ``"0.17.3+git-..."``.
"""

from __future__ import annotations

import re

__all__ = ["closes_connections", "honours_idempotency_key", "lacks_delete"]

# A bare semantic version, optionally with a fork suffix; no words, no parentheses.
_MASTODON = re.compile(r"(?P<major>\d+)\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?")
_OTHERS = ("snac", "gotosocial", "pleroma", "akkoma", "compatible")


def honours_idempotency_key(version: str | None) -> bool:
    """Whether the server that reported ``version`` is Mastodon, which de-duplicates
    on ``Idempotency-Key``; ``False`` for compatible servers and unknown versions."""
    if not version:
        return False
    match = _MASTODON.fullmatch(version.strip())
    if match is None or int(match["major"]) < 2:  # GoToSocial reports 0.x
        return False
    return not any(name in version.lower() for name in _OTHERS)


def lacks_delete(version: str | None) -> bool:
    """Whether the server has no ``DELETE /api/v1/statuses/:id`` (snac2 answers 404)."""
    return bool(version) and "snac" in str(version).lower()


def closes_connections(version: str | None) -> bool:
    """Whether the server closes each connection after its answer without sending
    ``Connection: close`` (snac2), so a pooled connection must not be reused."""
    return bool(version) and "snac" in str(version).lower()
