"""The hourly budget: read lazily from rate_limit_status, counted down in the shared state."""

from __future__ import annotations

import pytest
import respx

from socialkit.errors import RateLimited
from socialkit.http import RATE_LIMITS
from socialkit.providers.weibo import Weibo

from .weibo_support import Driver, load, make_platform


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    RATE_LIMITS.clear()


def test_the_budget_is_read_once_per_hour_of_use(driver: Driver, api: respx.MockRouter) -> None:
    api.get("/2/statuses/show.json").respond(200, json=load("status"))
    driver("get_post", "1")
    driver("get_post", "2")
    assert api.routes["budget"].call_count == 1


def test_each_call_counts_down_the_shared_budget(driver: Driver, api: respx.MockRouter) -> None:
    api.get("/2/statuses/show.json").respond(200, json=load("status"))
    driver("get_post", "1")
    driver("get_post", "2")
    platform = driver.platform
    state = RATE_LIMITS.get((platform.name, platform.account_key, "default"))
    assert state is not None
    assert (state.limit, state.remaining) == (150, 148)


def test_an_exhausted_budget_raises_before_the_call(kind: str, api: respx.MockRouter) -> None:
    api.routes["budget"].respond(200, json=load("rate_limit_exhausted"))
    show = api.get("/2/statuses/show.json").respond(200, json=load("status"))
    driver = Driver(kind, rate_limit="raise")
    with pytest.raises(RateLimited) as raised:
        driver("get_post", "1")
    assert show.call_count == 0
    assert raised.value.reset_at is not None


def test_rate_limit_status_is_an_explicit_flow(driver: Driver, api: respx.MockRouter) -> None:
    status = driver.run(driver.platform.rate_limit_status())
    assert (status.user_limit, status.remaining_user_hits, status.ip_limit) == (150, 150, 10000)
    assert status.api_rate_limits[0]["api"] == "statuses_share"
    assert Weibo.budgets.fresh(driver.platform.account_key)


def test_tracking_can_be_turned_off(kind: str, api: respx.MockRouter) -> None:
    api.get("/2/statuses/show.json").respond(200, json=load("status"))
    Driver(kind, make_platform(track_rate_limit=False))("get_post", "1")
    assert api.routes["budget"].call_count == 0


def test_two_clients_of_one_account_share_the_budget(kind: str, api: respx.MockRouter) -> None:
    api.get("/2/statuses/show.json").respond(200, json=load("status"))
    Driver(kind)("get_post", "1")
    Driver(kind)("get_post", "2")
    assert api.routes["budget"].call_count == 1
