"""Integration tests against real servers on loopback (``nox -s integration``).

Each server's fixtures live in their own module and are imported here. A plain ``pytest``
skips these tests, with the reason, when a server cannot be started.
"""

from __future__ import annotations

from .conftest_snac import snac_kind, snac_server  # noqa: F401 (fixtures)
