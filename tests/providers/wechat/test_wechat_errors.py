"""WeChat answers errors with HTTP 200 and an errcode: each becomes the right exception."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
import respx

from socialkit.errors import (
    AuthError,
    InvalidContent,
    NotFound,
    PermissionDenied,
    PlatformError,
    RateLimited,
    SocialkitError,
)
from socialkit.providers.wechat.errors import BEIJING, next_beijing_midnight

from .wechat_support import ARTICLE, SECRET, TOKEN, Driver, load


def answer(api: respx.MockRouter, path: str, fixture: str) -> respx.Route:
    return api.post(path).respond(200, json=load(fixture))


def test_an_errcode_in_a_200_is_raised(driver: Driver, api: respx.MockRouter) -> None:
    answer(api, "/cgi-bin/freepublish/getarticle", "error_53600")
    with pytest.raises(NotFound) as raised:
        driver("get_post", ARTICLE)
    assert (raised.value.status, raised.value.code) == (200, 53600)


def test_the_rid_becomes_the_request_id(driver: Driver, api: respx.MockRouter) -> None:
    answer(api, "/cgi-bin/freepublish/getarticle", "error_53600")
    with pytest.raises(NotFound) as raised:
        driver("get_post", ARTICLE)
    assert raised.value.request_id == "6475b1b4-6b8e1ef6-13f9a6d3"


def test_daily_quota_is_rate_limited_until_midnight_beijing(
    driver: Driver, api: respx.MockRouter
) -> None:
    answer(api, "/cgi-bin/freepublish/getarticle", "error_45009")
    with pytest.raises(RateLimited) as raised:
        driver("get_post", ARTICLE)
    reset = raised.value.reset_at
    assert reset is not None
    local = reset.astimezone(BEIJING)
    assert (local.hour, local.minute, local.second) == (0, 0, 0)
    assert timedelta(0) < reset - datetime.now(UTC) <= timedelta(days=1)


def test_next_beijing_midnight_is_utc_16_00() -> None:
    now = datetime(2024, 5, 1, 15, 59, tzinfo=UTC)  # 23:59 in Beijing
    assert next_beijing_midnight(now) == datetime(2024, 5, 1, 16, 0, tzinfo=UTC)


def test_an_ip_off_the_whitelist_is_permission_denied_with_the_hint(
    driver: Driver, api: respx.MockRouter
) -> None:
    answer(api, "/cgi-bin/freepublish/getarticle", "error_40164")
    with pytest.raises(PermissionDenied) as raised:
        driver("get_post", ARTICLE)
    assert "IP白名单" in raised.value.message


def test_a_token_refused_for_the_ip_names_the_whitelist(
    driver: Driver, api: respx.MockRouter
) -> None:
    api.routes["token"].respond(200, json=load("error_40164"))
    with pytest.raises(PermissionDenied) as raised:
        driver("get_post", ARTICLE)
    assert "IP白名单" in raised.value.message


def test_an_unauthorised_api_is_permission_denied(driver: Driver, api: respx.MockRouter) -> None:
    answer(api, "/cgi-bin/freepublish/batchget", "error_48001")
    with pytest.raises(PermissionDenied):
        driver.items("posts")


def test_no_comment_privilege_is_permission_denied(driver: Driver, api: respx.MockRouter) -> None:
    answer(api, "/cgi-bin/comment/list", "error_88000")
    with pytest.raises(PermissionDenied):
        driver.items("comments", "2247483655_1")


def test_a_data_format_error_is_invalid_content(driver: Driver, api: respx.MockRouter) -> None:
    answer(api, "/cgi-bin/comment/reply/add", "error_47001")
    with pytest.raises(InvalidContent) as raised:
        driver("reply", "2247483655_1:1001", "谢谢")
    assert raised.value.code == 47001


def test_a_wrong_secret_is_an_auth_error(driver: Driver, api: respx.MockRouter) -> None:
    api.routes["token"].respond(200, json=load("error_40125"))
    with pytest.raises(AuthError):
        driver("get_post", ARTICLE)


def test_an_out_of_window_message_is_permission_denied(
    driver: Driver, api: respx.MockRouter
) -> None:
    answer(api, "/cgi-bin/message/custom/send", "error_45015")
    with pytest.raises(PermissionDenied):
        driver.run(driver.platform.send_message("oOPENID", "hi"))


def test_an_unknown_errcode_is_a_platform_error(driver: Driver, api: respx.MockRouter) -> None:
    api.post("/cgi-bin/freepublish/getarticle").respond(
        200, json={"errcode": 99999, "errmsg": "something new"}
    )
    with pytest.raises(PlatformError) as raised:
        driver("get_post", ARTICLE)
    assert raised.value.code == 99999


def test_an_errcode_with_text_plain_is_still_read(driver: Driver, api: respx.MockRouter) -> None:
    api.post("/cgi-bin/freepublish/getarticle").mock(
        return_value=httpx.Response(
            200,
            content=b'{"errcode":53600,"errmsg":"Article ID invalid"}',
            headers={"Content-Type": "text/plain"},
        )
    )
    with pytest.raises(NotFound):
        driver("get_post", ARTICLE)


def test_an_http_error_maps_by_status(driver: Driver, api: respx.MockRouter) -> None:
    api.post("/cgi-bin/freepublish/getarticle").respond(403, content=b"forbidden")
    with pytest.raises(PermissionDenied):
        driver("get_post", ARTICLE)


def test_errors_never_show_the_token_or_secret(driver: Driver, api: respx.MockRouter) -> None:
    answer(api, "/cgi-bin/freepublish/getarticle", "error_48001")
    with pytest.raises(SocialkitError) as raised:
        driver("get_post", ARTICLE)
    shown = str(raised.value) + repr(raised.value) + repr(driver.platform.token)
    assert TOKEN not in shown
    assert SECRET not in shown
