"""`auth login bilibili`, and the saved single-use refresh token replaced at each refresh."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode

import httpx
import pytest
import respx

import socialkit as sk
from socialkit.auth import MemoryTokenStore, login_bilibili

RETURN = "https://brand.example.com/bilibili/callback"
TOKEN = "https://api.bilibili.com/x/account-oauth2/v1/token"
REFRESH = "https://api.bilibili.com/x/account-oauth2/v1/refresh_token"


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as mock:
        yield mock


def login(router: respx.MockRouter, store: MemoryTokenStore) -> tuple[str, respx.Route]:
    route = router.post(TOKEN).respond(json={"code": 0, "message": "0", "data": {
        "access_token": "access-1", "refresh_token": "refresh-1", "expires_in": 2592000}})
    shown: list[str] = []

    def paste(_: str) -> str:
        url = next(line.strip() for line in shown[0].splitlines() if "passport" in line)
        state = parse_qs(url.split("#/?", 1)[1])["state"][0]
        return f"{RETURN}?{urlencode({'code': 'THE-CODE', 'state': state})}"

    login_bilibili("cid-1", "app-secret", return_url=RETURN, store=store, prompt=paste,
                   echo=shown.append)
    return shown[0], route


def test_the_authorization_url_and_the_exchange_follow_the_reference(
    router: respx.MockRouter,
) -> None:
    shown, token = login(router, MemoryTokenStore())
    url = next(line.strip() for line in shown.splitlines() if "passport" in line)
    assert url.startswith("https://passport.bilibili.com/register/pc_oauth2.html#/?")
    params = {k: v[0] for k, v in parse_qs(url.split("#/?", 1)[1]).items()}
    assert (params["client_id"], params["return_url"], params["response_type"]) == (
        "cid-1", RETURN, "code")
    assert dict(token.calls.last.request.url.params) == {
        "client_id": "cid-1", "client_secret": "app-secret",
        "grant_type": "authorization_code", "code": "THE-CODE"}


def test_a_refresh_saves_the_next_single_use_token(router: respx.MockRouter) -> None:
    store = MemoryTokenStore()
    login(router, store)
    router.get("https://member.bilibili.com/arcopen/fn/user/account/info").mock(side_effect=[
        httpx.Response(200, json={"code": 127001, "message": "access_token验证错误"}),
        httpx.Response(200, json={"code": 0, "data": {"openid": "o-1", "name": "brand"}}),
    ])
    refresh = router.post(REFRESH).respond(json={"code": 0, "message": "0", "data": {
        "access_token": "access-2", "refresh_token": "refresh-2", "expires_in": 2592000}})
    with sk.connect("bilibili", profile="bilibili", store=store) as client:
        assert client.me().handle == "brand"
    assert dict(refresh.calls.last.request.url.params)["refresh_token"] == "refresh-1"
    saved = store.load("bilibili")
    assert saved is not None
    assert saved.token is not None
    assert saved.token.refresh_token is not None
    assert saved.token.refresh_token.get_secret_value() == "refresh-2"
    assert saved.plain_settings()["access_token"] == "access-2"


def test_a_refused_code_is_an_auth_error(router: respx.MockRouter) -> None:
    router.post(TOKEN).respond(json={"code": 122002, "message": "code未找到"})
    with pytest.raises(sk.AuthError, match="code"):
        login_bilibili("cid-1", "s", return_url=RETURN, store=MemoryTokenStore(),
                       prompt=lambda _: "BARE-CODE", echo=lambda _: None)
