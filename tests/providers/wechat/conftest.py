"""Fixtures of the WeChat tests: a fresh token cache, a respx router, a sync/async driver."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import respx

from socialkit.providers.wechat import clear_tokens

from .wechat_support import BASE, Driver, load


@pytest.fixture(autouse=True)
def _fresh_tokens() -> Iterator[None]:
    clear_tokens()
    yield
    clear_tokens()


@pytest.fixture
def driver(kind: str) -> Driver:
    return Driver(kind)


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    """WeChat's API; ``stable_token`` (route ``token``) answers ACCESS_TOKEN_1."""
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.post("/cgi-bin/stable_token", name="token").respond(200, json=load("stable_token"))
        yield router
