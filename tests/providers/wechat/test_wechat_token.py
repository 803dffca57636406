"""The access token: shared per app, fetched sparingly, refreshed once when WeChat says so."""

from __future__ import annotations

import time

import anyio
import httpx
import respx
from pydantic import SecretStr

import socialkit as sk
from socialkit.providers.wechat import StableToken, WeChat, shared_token

from .wechat_support import APP_ID, ARTICLE, FAST, SECRET, Driver, load, make_platform


def expiring_api(api: respx.MockRouter) -> respx.Route:
    """getarticle answers 42001 to the first token and succeeds with the second."""

    def article(request: httpx.Request) -> httpx.Response:
        if request.url.params["access_token"] == "ACCESS_TOKEN_2":
            return httpx.Response(200, json=load("getarticle"))
        return httpx.Response(200, json=load("error_42001"))

    return api.post("/cgi-bin/freepublish/getarticle").mock(side_effect=article)


def second_token(api: respx.MockRouter) -> respx.Route:
    route = api.routes["token"]
    route.side_effect = [
        httpx.Response(200, json=load("stable_token")),
        httpx.Response(200, json={"access_token": "ACCESS_TOKEN_2", "expires_in": 7200}),
    ]
    return route


def test_every_client_of_an_app_shares_one_token() -> None:
    assert make_platform().credential is make_platform().credential


def test_two_apps_have_two_tokens() -> None:
    assert make_platform().credential is not make_platform(app_id="wxother").credential


def test_two_clients_fetch_the_token_once(kind: str, api: respx.MockRouter) -> None:
    api.post("/cgi-bin/freepublish/getarticle").respond(200, json=load("getarticle"))
    Driver(kind)("get_post", ARTICLE)
    Driver(kind)("get_post", ARTICLE)
    assert api.routes["token"].call_count == 1


def test_an_expired_token_is_refreshed_once_and_the_call_replayed(
    driver: Driver, api: respx.MockRouter
) -> None:
    tokens = second_token(api)
    route = expiring_api(api)
    assert driver("get_post", ARTICLE).id == ARTICLE
    assert tokens.call_count == 2
    assert route.call_count == 2


def test_42001_under_50_concurrent_async_calls_refreshes_once(api: respx.MockRouter) -> None:
    tokens = second_token(api)

    async def article(request: httpx.Request) -> httpx.Response:
        await anyio.sleep(0.01)  # every call is in flight at once, holding the first token
        if request.url.params["access_token"] == "ACCESS_TOKEN_2":
            return httpx.Response(200, json=load("getarticle"))
        return httpx.Response(200, json=load("error_42001"))

    route = api.post("/cgi-bin/freepublish/getarticle").mock(side_effect=article)
    platform = make_platform()
    client = sk.AsyncClient(platform, retry=FAST)
    results: list[str] = []

    async def one() -> None:
        results.append((await client.get_post(ARTICLE)).id)

    async def main() -> None:
        await client.run(platform.token.refresh())  # ACCESS_TOKEN_1, valid until WeChat says
        async with anyio.create_task_group() as group:
            for _ in range(50):
                group.start_soon(one)

    anyio.run(main)
    assert len(results) == 50
    assert tokens.call_count == 2  # the first token, then one refresh for all 50 calls
    assert route.call_count == 100  # each call answered 42001 once, then replayed


def test_a_token_still_valid_is_not_asked_again_before_its_end() -> None:
    token = StableToken(APP_ID, SecretStr(SECRET), "https://api.weixin.qq.com/cgi-bin/stable_token")
    token.update({"access_token": "T", "expires_in": 7200})
    assert not token.expires_soon()
    token.update({"access_token": "T", "expires_in": 200})  # asked early: the same token
    assert not token.expires_soon()  # kept to its end, not asked again every call


def test_a_token_near_its_end_is_renewed_ahead() -> None:
    token = StableToken(APP_ID, SecretStr(SECRET), "https://api.weixin.qq.com/cgi-bin/stable_token")
    token.update({"access_token": "T", "expires_in": 200})
    assert token.expires_soon()


def test_a_seeded_token_is_used_without_a_fetch(kind: str, api: respx.MockRouter) -> None:
    route = api.post("/cgi-bin/freepublish/getarticle").respond(200, json=load("getarticle"))
    Driver(kind, make_platform(access_token="SEEDED"))("get_post", ARTICLE)
    assert route.calls[0].request.url.params["access_token"] == "SEEDED"
    assert api.routes["token"].call_count == 0


def test_a_rotated_secret_is_used_for_the_next_fetch() -> None:
    url = "https://api.weixin.qq.com/cgi-bin/stable_token"
    first = shared_token(APP_ID, SecretStr("old"), url)
    again = shared_token(APP_ID, SecretStr("new"), url)
    assert first is again
    assert again.app_secret.get_secret_value() == "new"


def test_the_token_repr_hides_the_token() -> None:
    token = StableToken(APP_ID, SecretStr(SECRET), "https://api.weixin.qq.com/cgi-bin/stable_token")
    token.update({"access_token": "VERY-SECRET", "expires_in": 7200})
    assert "VERY-SECRET" not in repr(token)
    assert SECRET not in repr(token)


def test_the_token_expiry_is_recorded() -> None:
    token = StableToken(APP_ID, SecretStr(SECRET), "https://api.weixin.qq.com/cgi-bin/stable_token")
    token.update({"access_token": "T", "expires_in": 7200})
    assert token.expires_at is not None
    assert 7190 < token.expires_at - time.time() <= 7200


def test_the_platform_repr_hides_secrets() -> None:
    shown = repr(WeChat(app_id=APP_ID, app_secret=SECRET)) + repr(make_platform().settings)
    assert SECRET not in shown
