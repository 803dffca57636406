"""Fixtures of the Instagram tests: the shared Meta helpers and the platform under test."""

from __future__ import annotations

import pytest

from socialkit.providers.instagram import Instagram

from ..meta.meta_support import api, driver, kind
from .instagram_support import make

__all__ = ["api", "driver", "kind"]


@pytest.fixture
def platform() -> Instagram:
    return make()
