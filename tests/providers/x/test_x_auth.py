"""Authentication on the wire: Bearer for OAuth 2.0 and app-only, an OAuth 1.0a signature,
refresh of an expired OAuth 2.0 user token, and writes refused to app-only tokens."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
import respx

import socialkit as sk

TWEET = "1346889436626259968"
TOKEN_URL = "https://api.x.com/2/oauth2/token"


def _tweet_route(router: respx.MockRouter, body: Callable[[str], Any]) -> respx.Route:
    return router.get(f"/2/tweets/{TWEET}").mock(
        return_value=httpx.Response(200, json=body("tweet"))
    )


def test_oauth2_user_token_is_sent_as_bearer(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = _tweet_route(router, body)
    x.get_post(TWEET)
    assert route.calls.last.request.headers["Authorization"] == "Bearer user-token"


def test_app_only_token_is_sent_as_bearer(
    connect: Any, platform_factory: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = _tweet_route(router, body)
    connect(platform_factory(bearer_token="app-token")).get_post(TWEET)
    assert route.calls.last.request.headers["Authorization"] == "Bearer app-token"


def test_oauth1_requests_carry_an_oauth_signature_header(
    connect: Any, platform_factory: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = _tweet_route(router, body)
    client = connect(platform_factory(
        consumer_key="consumer-key", consumer_secret="cs", token="user-t", token_secret="ts"
    ))
    client.get_post(TWEET)
    header = route.calls.last.request.headers["Authorization"]
    assert header.startswith("OAuth ")
    assert 'oauth_consumer_key="consumer-key"' in header
    assert 'oauth_token="user-t"' in header
    assert 'oauth_signature_method="HMAC-SHA1"' in header
    assert "oauth_signature=" in header


@pytest.mark.parametrize(
    ("operation", "args"),
    [
        ("publish", ("Hello",)),
        ("delete_post", (TWEET,)),
        ("hide_comment", (TWEET,)),
        ("react", (TWEET,)),
        ("repost", (TWEET,)),
        ("reply", (TWEET, "Thanks")),
    ],
)
def test_app_only_writes_are_refused_before_sending(
    connect: Any, platform_factory: Any, router: respx.MockRouter, operation: str,
    args: tuple[Any, ...],
) -> None:
    client = connect(platform_factory(bearer_token="app-token", user_id="2244994945"))
    with pytest.raises(sk.PermissionDenied, match="app-only"):
        getattr(client, operation)(*args)
    assert not router.calls


def _refreshable(platform_factory: Any, **extra: Any) -> Any:
    return platform_factory(
        access_token="old-token", refresh_token="old-refresh", client_id="app-id", **extra
    )


def _expiring_tweet_route(router: respx.MockRouter, body: Callable[[str], Any]) -> respx.Route:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.headers["Authorization"] == "Bearer fresh-access-token":
            return httpx.Response(200, json=body("tweet"))
        return httpx.Response(401, json=body("problem_unauthorized"))

    return router.get(f"/2/tweets/{TWEET}").mock(side_effect=answer)


def test_expired_oauth2_token_refreshes_once_and_replays(
    connect: Any, platform_factory: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    api = _expiring_tweet_route(router, body)
    token = router.post(TOKEN_URL).mock(return_value=httpx.Response(200, json=body("token")))
    post = connect(_refreshable(platform_factory, client_secret="app-secret")).get_post(TWEET)
    assert post.id == TWEET
    assert token.call_count == 1
    assert api.call_count == 2


def test_refresh_authenticates_a_confidential_client_with_http_basic(
    connect: Any, platform_factory: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    _expiring_tweet_route(router, body)
    token = router.post(TOKEN_URL).mock(return_value=httpx.Response(200, json=body("token")))
    connect(_refreshable(platform_factory, client_secret="app-secret")).get_post(TWEET)
    request = token.calls.last.request
    assert request.headers["Authorization"] == "Basic " + base64.b64encode(
        b"app-id:app-secret"
    ).decode()
    form = parse_qs(request.content.decode())
    assert form == {"grant_type": ["refresh_token"], "refresh_token": ["old-refresh"]}


def test_refresh_of_a_public_client_sends_its_client_id(
    connect: Any, platform_factory: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    _expiring_tweet_route(router, body)
    token = router.post(TOKEN_URL).mock(return_value=httpx.Response(200, json=body("token")))
    connect(_refreshable(platform_factory)).get_post(TWEET)
    form = parse_qs(token.calls.last.request.content.decode())
    assert form["client_id"] == ["app-id"]
    assert "Authorization" not in token.calls.last.request.headers


def test_a_spent_refresh_token_asks_for_a_new_login(
    connect: Any, platform_factory: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    _expiring_tweet_route(router, body)
    router.post(TOKEN_URL).mock(return_value=httpx.Response(400, json=body("token_invalid")))
    with pytest.raises(sk.ReauthRequired, match="token was invalid"):
        connect(_refreshable(platform_factory)).get_post(TWEET)


def test_a_token_refused_again_after_refresh_is_an_auth_error(
    connect: Any, platform_factory: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(f"/2/tweets/{TWEET}").mock(
        return_value=httpx.Response(401, json=body("problem_unauthorized"))
    )
    token = router.post(TOKEN_URL).mock(return_value=httpx.Response(200, json=body("token")))
    with pytest.raises(sk.AuthError):
        connect(_refreshable(platform_factory)).get_post(TWEET)
    assert token.call_count == 1


def test_401_with_oauth1_is_an_auth_error_without_refresh(
    connect: Any, platform_factory: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(f"/2/tweets/{TWEET}").mock(
        return_value=httpx.Response(401, json=body("problem_unauthorized"))
    )
    client = connect(platform_factory(
        consumer_key="ck", consumer_secret="cs", token="t", token_secret="ts"
    ))
    with pytest.raises(sk.AuthError) as raised:
        client.get_post(TWEET)
    assert not isinstance(raised.value, sk.TokenExpired)
    assert raised.value.status == 401
