"""Statistics from datacube: ranges split to each API's limit, names normalised."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import respx

from socialkit.errors import NotFound
from socialkit.providers.wechat import datacube
from socialkit.providers.wechat.errors import BEIJING

from .wechat_support import APP_ID, ARTICLE, TOKEN, Driver, body, load


def beijing(day: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), datetime.min.time(), BEIJING)


def test_a_range_is_cut_into_windows_of_the_api_limit() -> None:
    assert datacube.windows(date(2024, 5, 1), date(2024, 5, 16), 7) == [
        (date(2024, 5, 1), date(2024, 5, 7)),
        (date(2024, 5, 8), date(2024, 5, 14)),
        (date(2024, 5, 15), date(2024, 5, 16)),
    ]


def test_the_period_ends_yesterday_in_beijing() -> None:
    now = datetime(2024, 5, 10, 17, 0, tzinfo=UTC)  # 01:00 on 11 May in Beijing
    assert datacube.period(None, None, now) == (date(2024, 5, 4), date(2024, 5, 10))


def test_account_metrics_split_each_api_to_its_window(
    driver: Driver, api: respx.MockRouter
) -> None:
    routes = {
        name: api.post(f"/datacube/{name}").respond(200, json={"list": []})
        for name in ("getusersummary", "getusercumulate", "getuserread", "getusershare")
    }
    driver("account_metrics", beijing("2024-05-01"), beijing("2024-05-10"))
    spans = {
        name: [(body(c.request)["begin_date"], body(c.request)["end_date"]) for c in r.calls]
        for name, r in routes.items()
    }
    assert spans["getusersummary"] == [("2024-05-01", "2024-05-07"), ("2024-05-08", "2024-05-10")]
    assert spans["getuserread"] == [
        ("2024-05-01", "2024-05-03"),
        ("2024-05-04", "2024-05-06"),
        ("2024-05-07", "2024-05-09"),
        ("2024-05-10", "2024-05-10"),
    ]
    assert routes["getusershare"].calls[0].request.url.params["access_token"] == TOKEN


def test_account_metrics_are_named_and_summed_per_day(
    driver: Driver, api: respx.MockRouter
) -> None:
    for name in ("getusersummary", "getusercumulate", "getuserread", "getusershare"):
        api.post(f"/datacube/{name}").respond(200, json=load(name))
    metrics = driver("account_metrics", beijing("2024-05-01"), beijing("2024-05-02"))
    first = {m.name: m for m in metrics if m.start == beijing("2024-05-01").astimezone(UTC)}
    assert first["new_followers"].value == 15  # two user sources summed
    assert first["lost_followers"].value == 2
    assert first["followers"].value == 1217056
    assert first["views"].value == 1200  # the all-sources row, not the sum
    assert (first["views"].native_name, first["saves"].value) == ("int_page_read_count", 6)
    assert first["shares"].value == 42  # two scenes summed
    assert {m.subject_id for m in metrics} == {APP_ID}
    assert first["views"].end - first["views"].start == timedelta(days=1)


def test_post_metrics_read_the_published_articles_totals(
    driver: Driver, api: respx.MockRouter
) -> None:
    route = api.post("/datacube/getarticletotaldetail").respond(
        200, json=load("getarticletotaldetail")
    )
    metrics = driver("post_metrics", f"{ARTICLE}@2247483655")
    by_name = {m.name: m for m in metrics}
    yesterday = (datetime.now(BEIJING) - timedelta(days=1)).date().isoformat()
    assert body(route.calls[0].request) == {"begin_date": yesterday, "end_date": yesterday}
    assert route.calls[0].request.url.params["access_token"] == TOKEN
    assert {name: m.value for name, m in by_name.items()} == {
        "reach": 4123,
        "shares": 366,
        "likes": 386,
        "hearts": 191,
        "comments": 28,
        "saves": 97,
    }
    assert by_name["reach"].native_name == "read_user"
    assert by_name["reach"].period == "lifetime"
    assert by_name["reach"].end == beijing("2025-11-03").astimezone(UTC)  # end of stat_date


def test_post_metrics_of_a_freepublish_article_do_not_read_the_mass_send_totals(
    driver: Driver, api: respx.MockRouter
) -> None:
    detail = api.post("/datacube/getarticletotaldetail").respond(
        200, json=load("getarticletotaldetail")
    )
    mass_sent = api.post("/datacube/getarticletotal").respond(200, json={"list": []})
    driver("post_metrics", "2247483655_1")
    assert detail.call_count == 1
    assert mass_sent.call_count == 0


def test_post_metrics_look_back_day_by_day(driver: Driver, api: respx.MockRouter) -> None:
    route = api.post("/datacube/getarticletotaldetail").respond(
        200, json={"list": [], "is_delay": False}
    )
    with pytest.raises(NotFound):
        driver("post_metrics", "2247483655_1")
    assert route.call_count == 7
    days = [body(c.request)["begin_date"] for c in route.calls]
    assert days == sorted(days, reverse=True)


def test_post_metrics_need_the_msg_data_id(driver: Driver, api: respx.MockRouter) -> None:
    with pytest.raises(NotFound) as raised:
        driver("post_metrics", ARTICLE)
    assert "msg_data_id" in raised.value.message


def test_article_summary_goes_one_day_per_call(driver: Driver, api: respx.MockRouter) -> None:
    route = api.post("/datacube/getarticlesummary").respond(200, json=load("getarticlesummary"))
    flow = driver.platform.article_summary(beijing("2024-05-01"), beijing("2024-05-03"))
    metrics = driver.run(flow)
    assert [body(c.request)["begin_date"] for c in route.calls] == [
        "2024-05-01",
        "2024-05-02",
        "2024-05-03",
    ]
    assert {m.subject_id for m in metrics} == {"2247483655_1"}
    assert {m.period for m in metrics} == {"day"}
