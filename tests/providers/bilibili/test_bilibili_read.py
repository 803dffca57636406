"""Reading and managing Bilibili archives: review state, list, edit, delete, data, errors."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import respx

import socialkit as sk
from socialkit.testing.driver import Driver

from .bilibili_support import API, REQUEST_ID, FakeBilibili, failed, make_platform, ok

VIEW = f"{API}/arcopen/fn/archive/view"


def archive(state: int, **more: Any) -> dict[str, Any]:
    return {"resource_id": "BV1xx411c7mD", "title": "标题", "desc": "简介", "tid": 230,
            "cover": "https://i0.hdslb.com/c.jpg", "ctime": 1700000000,
            "addit_info": {"state": state, "state_desc": "", "reject_reason": ""}, **more}


@pytest.mark.parametrize(("state", "reason", "expected"), [
    (0, "", ("published", None)),
    (-1, "", ("pending", "under review (审核中)")),
    (-30, "", ("pending", "under review (审核中)")),
    (-2, "封面违规", ("rejected", "封面违规")),
    (-2, "", ("rejected", "sent back by the review (打回)")),
])
def test_get_post_reads_the_review_state(
    bl: Driver, router: respx.MockRouter, state: int, reason: str,
    expected: tuple[str, str | None],
) -> None:
    data = archive(state)
    data["addit_info"]["reject_reason"] = reason
    route = router.get(VIEW).respond(200, json=ok(data))
    post = bl.get_post("BV1xx411c7mD")
    assert dict(route.calls.last.request.url.params) == {"resource_id": "BV1xx411c7mD"}
    assert (post.state, post.state_reason) == expected
    assert post.text == "标题\n简介"


def test_posts_walk_pages_until_the_total(bl: Driver, fake: FakeBilibili) -> None:
    assert len(list(bl.items("posts"))) == 45
    lists = [dict(r.url.params) for r in fake.requests
             if r.url.path.endswith("/archive/viewlist")]
    assert lists == [{"pn": str(n), "ps": "20", "status": "all"} for n in (1, 2, 3)]


def test_an_edit_sends_every_field_and_is_reviewed_again(bl: Driver, fake: FakeBilibili) -> None:
    resource_id = next(iter(fake.archives))
    post = bl.edit_post(resource_id, sk.Draft(text="新标题\n新简介"))
    body = json.loads(fake.requests[-1].content)
    assert fake.requests[-1].url.path == "/arcopen/fn/archive/edit"
    assert body == {"resource_id": resource_id, "title": "新标题", "desc": "新简介",
                    "cover": "https://i0.hdslb.com/c.jpg", "tid": 230, "no_reprint": 0,
                    "copyright": 1, "tag": "a"}
    assert post.state == "pending"


def test_delete_then_get_is_not_found(bl: Driver, fake: FakeBilibili) -> None:
    resource_id = next(iter(fake.archives))
    bl.delete_post(resource_id)
    assert json.loads(fake.requests[-1].content) == {"resource_id": resource_id}
    with pytest.raises(sk.NotFound):
        bl.get_post(resource_id)


def test_post_and_account_metrics(bl: Driver, router: respx.MockRouter) -> None:
    router.get(f"{API}/arcopen/fn/data/arc/stat").respond(200, json=ok(
        {"ptime": 1700000000, "view": 120, "danmaku": 3, "reply": 4, "like": 9, "coin": 2,
         "favorite": 5, "share": 1}))
    router.get(f"{API}/arcopen/fn/data/user/stat").respond(200, json=ok(
        {"following": 10, "follower": 2300, "arc_passed_total": 45}))
    post = {m.name: m.value for m in bl.post_metrics("BV1xx411c7mD")}
    assert post == {"views": 120, "likes": 9, "comments": 4, "shares": 1, "saves": 5,
                    "coins": 2, "danmaku": 3}
    account = {m.name: m.value for m in bl.account_metrics()}
    assert account == {"followers": 2300, "following": 10, "posts": 45}


@pytest.mark.parametrize(("code", "error"), [
    (127009, sk.RateLimited), (127100, sk.InvalidContent), (127007, sk.PermissionDenied),
    (127124, sk.NotFound),
])
def test_body_codes_are_mapped_with_the_request_id(
    bl: Driver, router: respx.MockRouter, code: int, error: type[sk.SocialkitError]
) -> None:
    router.get(VIEW).respond(200, json=failed(code, "x"))
    with pytest.raises(error) as raised:
        bl.get_post("BV1xx411c7mD")
    assert (raised.value.code, raised.value.request_id) == (str(code), REQUEST_ID)


def test_a_refresh_spends_the_refresh_token_once_and_keeps_the_new_one(
    connect: Any, router: respx.MockRouter
) -> None:
    view = router.get(VIEW).mock(side_effect=[
        httpx.Response(200, json=failed(127001, "access_token验证错误")),
        httpx.Response(200, json=ok(archive(0))),
    ])
    refresh = router.post("https://api.bilibili.com/x/account-oauth2/v1/refresh_token").respond(
        200, json={"code": 0, "message": "0", "data": {
            "access_token": "new-access", "refresh_token": "next-refresh", "expires_in": 2592000}})
    platform = make_platform(refresh_token="first-refresh")
    saved: list[str] = []
    credential = platform.credential
    assert isinstance(credential, sk.auth.OAuth2Token)
    credential.on_refresh.append(lambda c: saved.append(c.refresh_token.get_secret_value()))
    connect(platform).get_post("BV1xx411c7mD")
    assert refresh.call_count == 1
    assert dict(refresh.calls.last.request.url.params) == {
        "client_id": "34c0f583f0414123", "client_secret": "abc7736bb78947d5a4a90690c861c456",
        "grant_type": "refresh_token", "refresh_token": "first-refresh"}
    assert saved == ["next-refresh"]
    assert view.calls.last.request.headers["access-token"] == "new-access"


def test_a_refused_refresh_asks_for_a_new_login(connect: Any, router: respx.MockRouter) -> None:
    router.get(VIEW).respond(200, json=failed(127001, "access_token验证错误"))
    router.post("https://api.bilibili.com/x/account-oauth2/v1/refresh_token").respond(
        200, json={"code": 122007, "message": "refreshToken不合法"})
    with pytest.raises(sk.ReauthRequired):
        connect(make_platform(refresh_token="spent")).get_post("BV1xx411c7mD")
