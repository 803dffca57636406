"""Fixtures of the Threads tests: the shared Meta helpers and the platform under test."""

from __future__ import annotations

import pytest

from socialkit.providers.threads import Threads

from ..meta.meta_support import api, driver, kind
from .threads_support import make

__all__ = ["api", "driver", "kind"]


@pytest.fixture
def platform() -> Threads:
    return make()
