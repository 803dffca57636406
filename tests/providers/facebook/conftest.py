"""Fixtures of the Facebook tests: the shared Meta helpers and the platform under test."""

from __future__ import annotations

import pytest

from socialkit.providers.facebook import Facebook

from ..meta.meta_support import api, driver, kind
from .facebook_support import make

__all__ = ["api", "driver", "kind"]


@pytest.fixture
def platform() -> Facebook:
    return make()
