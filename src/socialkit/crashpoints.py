"""Named crash points for chaos tests: ``SOCIALKIT_CRASH_POINTS`` kills the process there.

``SOCIALKIT_CRASH_POINTS="after-response=0.02,before-commit=0.01"`` makes the process
SIGKILL itself, with that probability, each time it passes the named point:

- ``after-response``: the platform answered a publish (a post, an inbox reply); nothing
  is recorded yet.
- ``before-commit``: a store write ran but is not committed (the database rolls it back).
- ``after-commit``: a store write was committed (a claim: the request never goes out).

Unset (the normal case) every point is a dictionary look-up and nothing else. The
exactly-once protocol must hold whichever point a worker dies at: the chaos tests set
this variable in their worker processes.
"""

from __future__ import annotations

import os
import random
import signal
from functools import lru_cache

__all__ = ["POINTS", "VARIABLE", "crash_point"]

VARIABLE = "SOCIALKIT_CRASH_POINTS"
POINTS = frozenset({"after-response", "before-commit", "after-commit"})


@lru_cache(maxsize=8)
def _parse(spec: str) -> dict[str, float]:
    chances: dict[str, float] = {}
    for item in spec.split(","):
        name, _, chance = item.strip().partition("=")
        if name not in POINTS:
            raise ValueError(f"{VARIABLE}: unknown crash point {name!r}; known: {sorted(POINTS)}")
        chances[name] = float(chance or 1.0)
    return chances


def crash_point(name: str) -> None:
    """SIGKILL this process here, with the chance ``SOCIALKIT_CRASH_POINTS`` gives ``name``."""
    spec = os.environ.get(VARIABLE)
    if not spec:
        return
    chance = _parse(spec).get(name, 0.0)
    if chance and random.random() < chance:
        os.kill(os.getpid(), signal.SIGKILL)
