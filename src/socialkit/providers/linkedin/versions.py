"""The ``LinkedIn-Version`` months LinkedIn has released, as its own pages list them.

LinkedIn releases Marketing API versions monthly but skips months (there is no 202512), and
a month that was never released is refused like a sunset one (HTTP 426). Only months read on
these pages are listed; add new ones from the same pages:

- https://learn.microsoft.com/en-us/linkedin/marketing/integrations/migrations (API Migration
  Status: 202510, 202511, 202601, 202602, 202603, each "Active"; no 202512)
- https://learn.microsoft.com/en-us/linkedin/marketing/integrations/recent-changes
  ("August 2026 - Version 202608 (Latest)")
- https://learn.microsoft.com/en-us/linkedin/marketing/versioning (the latest version table)
"""

from __future__ import annotations

__all__ = ["RELEASED_VERSIONS", "is_released"]

RELEASED_VERSIONS = frozenset(
    {
        "202510",
        "202511",
        "202601",
        "202602",
        "202603",
        "202608",
    }
)
"""Released ``LinkedIn-Version`` months this package has read on LinkedIn's pages (not every
released month: a month missing here may exist, but every month here does)."""


def is_released(version: str) -> bool:
    """Whether ``version`` (``YYYYMM``, or ``YYYYMM.RR`` for a patch of it) is a month listed
    in `RELEASED_VERSIONS`."""
    return version.split(".", 1)[0] in RELEASED_VERSIONS
