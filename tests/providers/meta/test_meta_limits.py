"""Through both drivers: usage at 95 % makes the next call wait (or raise) before Meta blocks,
and rate-limit error codes become `RateLimited` with the time to regain access."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

import pytest
import respx

from socialkit.errors import RateLimited
from socialkit.models import Account
from socialkit.platform import Flow
from socialkit.providers.meta import GraphPlatform, GraphSettings

from .meta_support import TOKEN, Driver, graph_error, usage

BASE = "https://graph.example.com"


class ProbeSettings(GraphSettings):
    user_id: str = "1234567890"


class Probe(GraphPlatform):
    """The smallest Graph platform: one read."""

    name = "probe"
    Settings = ProbeSettings
    host: ClassVar[str] = "graph.example.com"
    settings: ProbeSettings

    @property
    def owner_id(self) -> str:
        return self.settings.user_id

    def me(self) -> Flow[Account]:
        response = yield self.get(self.owner_id, fields="id,name")
        data = self.json(response)
        return Account(platform=self.name, id=data["id"], handle=data["name"])


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        yield router


def drive(kind: str, mode: str = "wait") -> Driver:
    return Driver(kind, Probe(access_token=TOKEN), rate_limit=mode)


ME = {"id": "1234567890", "name": "Brand"}


def test_usage_below_the_threshold_does_not_wait(kind: str, api: respx.MockRouter) -> None:
    api.get("/v25.0/1234567890").respond(200, json=ME, headers=usage(60))
    driver = drive(kind)
    driver("me")
    driver("me")
    assert driver.sleeps == []


def test_usage_at_95_percent_makes_the_next_call_wait(kind: str, api: respx.MockRouter) -> None:
    route = api.get("/v25.0/1234567890").respond(200, json=ME, headers=usage(96))
    driver = drive(kind)
    driver("me")
    assert driver.sleeps == []
    driver("me")
    assert route.call_count == 2
    assert len(driver.sleeps) == 1
    assert 55 < driver.sleeps[0] <= 60


def test_usage_at_95_percent_makes_the_next_call_raise_in_raise_mode(
    kind: str, api: respx.MockRouter
) -> None:
    route = api.get("/v25.0/1234567890").respond(200, json=ME, headers=usage(97))
    driver = drive(kind, "raise")
    driver("me")
    with pytest.raises(RateLimited) as raised:
        driver("me")
    assert route.call_count == 1
    assert raised.value.retry_after is not None
    assert raised.value.reset_at is not None


def test_a_long_regain_estimate_raises_instead_of_hanging(kind: str, api: respx.MockRouter) -> None:
    route = api.get("/v25.0/1234567890").respond(200, json=ME, headers=usage(40, regain_minutes=15))
    driver = drive(kind)
    driver("me")
    with pytest.raises(RateLimited) as raised:
        driver("me")
    assert route.call_count == 1
    assert 890 < (raised.value.retry_after or 0) <= 900


@pytest.mark.parametrize("code", [4, 17, 32, 613, 80001])
def test_rate_limit_codes_raise_rate_limited_with_the_regain_time(
    kind: str, api: respx.MockRouter, code: int
) -> None:
    route = api.get("/v25.0/1234567890").mock(
        return_value=graph_error(
            code, "(#4) Application request limit reached", headers=usage(100, regain_minutes=5)
        )
    )
    with pytest.raises(RateLimited) as raised:
        drive(kind)("me")
    assert route.call_count == 1
    assert 290 < (raised.value.retry_after or 0) <= 300
    assert raised.value.code == code
    assert raised.value.request_id == "AbCtrace1"


def test_a_short_rate_limit_is_waited_out_and_retried(kind: str, api: respx.MockRouter) -> None:
    route = api.get("/v25.0/1234567890")
    route.side_effect = [
        graph_error(17, "(#17) User request limit reached", headers=usage(100)),
        respx.MockResponse(200, json=ME),
    ]
    driver = drive(kind)
    assert driver("me").id == "1234567890"
    assert route.call_count == 2
    assert driver.sleeps[0] == pytest.approx(60, abs=1)
