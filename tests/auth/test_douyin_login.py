"""`auth login douyin`: the authorization URL, the code exchange, the saved profile."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
import respx

import socialkit as sk
from socialkit.auth import MemoryTokenStore, login_douyin
from socialkit.providers.douyin import Douyin, DouyinSettings

REDIRECT = "https://brand.example.com/douyin/callback"
# Shaped like the response example of the access_token reference page.
ANSWER = {
    "data": {
        "access_token": "act.f7094fbffab2ecbfc45e9af9c32bc241oYdckvBKe82BPx8T",
        "captcha": "", "desc_url": "", "description": "", "error_code": 0,
        "expires_in": 1296000, "log_id": "20230525105733ED3ED7AC56A",
        "open_id": "b9b71865-7fea-44cc-a2b6-1c0a6a7f6d2b",
        "refresh_expires_in": 2592000,
        "refresh_token": "rft.713900b74edde9f30ec4e246b706da30t",
        "scope": "user_info,video.create.bind,video.list.bind",
    },
    "message": "success",
}


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as mock:
        yield mock


def run(router: respx.MockRouter, answer: dict[str, object] = ANSWER,
        tamper: bool = False) -> tuple[sk.auth.StoredProfile, str, respx.Route]:
    token = router.post("https://open.douyin.com/oauth/access_token/").respond(json=answer)
    shown: list[str] = []

    def paste(_: str) -> str:
        url = next(line.strip() for line in shown[0].splitlines() if "oauth/connect" in line)
        state = "forged" if tamper else parse_qs(urlsplit(url).query)["state"][0]
        return f"{REDIRECT}?{urlencode({'code': 'THE-CODE', 'state': state})}"

    stored = login_douyin("tt-key", "app-secret", redirect_uri=REDIRECT, store=MemoryTokenStore(),
                          prompt=paste, echo=shown.append)
    return stored, shown[0], token


def test_the_authorization_url_follows_the_reference(router: respx.MockRouter) -> None:
    _, shown, _ = run(router)
    url = next(line.strip() for line in shown.splitlines() if "oauth/connect" in line)
    assert url.startswith("https://open.douyin.com/platform/oauth/connect/?")
    params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert params["client_key"] == "tt-key"
    assert params["response_type"] == "code"
    assert params["redirect_uri"] == REDIRECT
    assert params["scope"].split(",")[:2] == ["user_info", "video.create.bind"]
    assert params["state"]


def test_the_code_is_exchanged_with_the_client_key(router: respx.MockRouter) -> None:
    _, _, token = run(router)
    request = token.calls.last.request
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert dict(httpx.QueryParams(request.content.decode())) == {
        "client_key": "tt-key", "client_secret": "app-secret", "code": "THE-CODE",
        "grant_type": "authorization_code"}


def test_the_profile_holds_what_connect_needs(router: respx.MockRouter) -> None:
    stored, _, _ = run(router)
    settings = stored.plain_settings()
    assert settings["open_id"] == "b9b71865-7fea-44cc-a2b6-1c0a6a7f6d2b"
    assert settings["access_token"] == ANSWER["data"]["access_token"]  # type: ignore[index]
    assert settings["refresh_token"] == "rft.713900b74edde9f30ec4e246b706da30t"
    assert settings["scope"] == "user_info,video.create.bind,video.list.bind"
    assert settings["refresh_expires_at"] > settings["expires_at"]
    known = DouyinSettings.model_fields
    client = sk.Client(Douyin(DouyinSettings(**{k: v for k, v in settings.items() if k in known})))
    assert sk.Capability.READ_COMMENTS not in client.capabilities  # item.comment not granted
    assert sk.Capability.PUBLISH_VIDEO in client.capabilities


def test_a_forged_state_is_refused(router: respx.MockRouter) -> None:
    with pytest.raises(sk.AuthError):
        run(router, tamper=True)


def test_a_refused_code_is_an_auth_error(router: respx.MockRouter) -> None:
    refused = {"data": {"error_code": 10007, "description": "code 过期"}, "message": "error"}
    with pytest.raises(sk.AuthError, match="code"):
        run(router, refused)
