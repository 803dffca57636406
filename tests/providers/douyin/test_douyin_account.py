"""`me()` through ``POST /oauth/userinfo/``, and a refreshed (or renewed) token written back
to the saved profile, so the next process starts from it."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest
import respx

import socialkit as sk
from socialkit.auth import MemoryTokenStore, StoredProfile

from .douyin_support import OPEN_ID, TOKEN, failed, make_platform

USERINFO = "https://open.douyin.com/oauth/userinfo/"
REFRESH = "https://open.douyin.com/oauth/refresh_token/"
RENEW = "https://open.douyin.com/oauth/renew_refresh_token/"


def userinfo(open_id: str = OPEN_ID) -> dict[str, Any]:
    """Shaped like the response example of get-account-open-info."""
    return {"err_msg": "", "err_no": 0, "log_id": "2025032716200991A1xxxxx30A01C4DF",
            "data": {"open_id": open_id, "nickname": "品牌官方", "description": "",
                     "e_account_role": "", "error_code": "0",
                     "avatar": "https://p3.douyinpic.com/aweme/100x100/brand.jpeg",
                     "client_key": "tt-key", "log_id": "2025032716200991A1xxxxx30A01C4DF",
                     "union_id": "eVBXUMlnek"}}


def refreshed(token: str = "act.renewed") -> dict[str, Any]:
    return {"data": {"access_token": token, "description": "", "error_code": 0,
                     "expires_in": 1296000, "open_id": OPEN_ID, "refresh_expires_in": 2592000,
                     "refresh_token": "rft.same", "scope": "user_info"}, "message": "success"}


def sent_token(request: httpx.Request) -> str:
    return str(json.loads(request.content)["access_token"])


def test_me_sends_the_token_and_open_id_in_a_json_body(
    connect: Any, router: respx.MockRouter
) -> None:
    route = router.post(USERINFO).respond(200, json=userinfo())
    account = connect(make_platform()).me()
    request = route.calls.last.request
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.content) == {"access_token": TOKEN, "open_id": OPEN_ID}
    assert (account.id, account.handle, account.display_name) == (OPEN_ID, OPEN_ID, "品牌官方")
    assert account.avatar_url == "https://p3.douyinpic.com/aweme/100x100/brand.jpeg"


def test_an_expired_token_is_refreshed_and_the_new_one_goes_in_the_body(
    connect: Any, router: respx.MockRouter
) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if sent_token(request) == "act.renewed":
            return httpx.Response(200, json=userinfo())
        return httpx.Response(200, json=failed(28001008, "access_token过期,请刷新或重新授权"))

    route = router.post(USERINFO).mock(side_effect=answer)
    refresh = router.post(REFRESH).respond(200, json=refreshed())
    account = connect(make_platform(refresh_token="rft.same", client_key="tt-key")).me()
    assert account.display_name == "品牌官方"
    assert refresh.call_count == 1
    assert sent_token(route.calls.last.request) == "act.renewed"


def test_a_token_about_to_expire_is_refreshed_before_it_goes_into_the_body(
    connect: Any, router: respx.MockRouter
) -> None:
    route = router.post(USERINFO).respond(200, json=userinfo())
    refresh = router.post(REFRESH).respond(200, json=refreshed())
    platform = make_platform(refresh_token="rft.same", client_key="tt-key",
                             expires_at=time.time() - 1)
    connect(platform).me()
    assert refresh.call_count == 1
    assert [sent_token(c.request) for c in route.calls] == ["act.renewed"]


def test_a_permission_the_user_did_not_grant_is_permission_denied(
    connect: Any, router: respx.MockRouter
) -> None:
    router.post(USERINFO).respond(200, json=failed(28001012, "用户未授权该OpenAPI"))
    with pytest.raises(sk.PermissionDenied):
        connect(make_platform()).me()


# -- the saved profile ----------------------------------------------------------------------


def saved(store: MemoryTokenStore, **settings: Any) -> None:
    """A profile as `auth login douyin` saves it: the tokens are settings."""
    store.save("dy", StoredProfile(platform="douyin", settings={
        "access_token": "act.old", "open_id": OPEN_ID, "client_key": "tt-key",
        "client_secret": "app-secret", "refresh_token": "rft.same", "scope": "user_info",
        "expires_at": time.time() - 1, "refresh_expires_at": time.time() + 20 * 86_400,
        **settings}))


@pytest.fixture
def douyin() -> Any:
    with respx.mock(assert_all_called=False) as router:
        router.post(USERINFO).respond(200, json=userinfo())
        yield router


def test_a_refreshed_token_is_written_back_to_the_profile(douyin: respx.MockRouter) -> None:
    store = MemoryTokenStore()
    saved(store)
    douyin.post(REFRESH).respond(200, json=refreshed("act.fresh"))
    with sk.connect("douyin", profile="dy", store=store) as client:
        client.me()
    settings = store.load("dy").plain_settings()  # type: ignore[union-attr]
    assert settings["access_token"] == "act.fresh"
    assert settings["expires_at"] > time.time() + 86_400


def test_a_renewed_refresh_token_is_written_back_and_used_by_the_next_process(
    douyin: respx.MockRouter,
) -> None:
    store = MemoryTokenStore()
    saved(store, refresh_token="rft.old", refresh_expires_at=time.time() + 3600)
    douyin.post(RENEW).respond(200, json={"data": {
        "error_code": 0, "description": "", "expires_in": 2592000,
        "refresh_token": "rft.renewed"}, "message": "success"})
    refresh = douyin.post(REFRESH).respond(200, json={"data": {
        "access_token": "act.fresh", "error_code": 0, "expires_in": 1296000, "open_id": OPEN_ID,
        "scope": "user_info"}, "message": "success"})
    with sk.connect("douyin", profile="dy", store=store) as client:
        client.me()
    settings = store.load("dy").plain_settings()  # type: ignore[union-attr]
    assert settings["refresh_token"] == "rft.renewed"
    assert settings["refresh_expires_at"] > time.time() + 29 * 86_400
    later = store.load("dy")
    assert later is not None  # fifteen days later, the access token has expired:
    store.save("dy", later.model_copy(update={"settings": {
        **later.settings, "expires_at": time.time() - 1}}))
    with sk.connect("douyin", profile="dy", store=store) as client:
        client.me()
    asked = [dict(httpx.QueryParams(c.request.content.decode())) for c in refresh.calls]
    assert [a["refresh_token"] for a in asked] == ["rft.renewed", "rft.renewed"]
