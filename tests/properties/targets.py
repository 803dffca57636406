"""Every shipped provider behind its stateful test fake, ready to have its answers mutated.

A `Target` makes a fresh fake server (a request -> response function) and a platform
configured for it; `MutatingServer` serves the fake's answers, each JSON body replaced by a
hypothesis-drawn mutation of it while ``mutating`` is on.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import respx
from hypothesis import strategies as st

import socialkit as sk

from .hostile_json import hostile_body, hostile_headers

PROVIDERS = Path(__file__).resolve().parent.parent / "providers"

Handler = Callable[[httpx.Request], httpx.Response]
# Mostly the fake's own status; sometimes one a broken or throttling server sends instead.
STATUSES = st.one_of(
    st.just(0), st.sampled_from([200, 201, 204, 400, 401, 403, 404, 429, 500, 503])
)


@dataclass(frozen=True)
class Target:
    """One provider: how to make its fake server and a platform that talks to it."""

    name: str
    make: Callable[[], tuple[Handler, sk.Platform]]  # a fresh fake server and its platform
    fixtures: str  # the folder under tests/providers/ whose fixtures/*.json are valid bodies


@cache
def fixtures(folder: str) -> tuple[Any, ...]:
    """The provider's valid JSON fixtures (bodies another answer may be swapped for)."""
    found = sorted((PROVIDERS / folder / "fixtures").glob("*.json"))
    return tuple(json.loads(path.read_text(encoding="utf-8")) for path in found)


class MutatingServer:
    """The fake's answers, JSON bodies mutated by ``data`` draws while ``mutating`` is on."""

    def __init__(self, handler: Handler, data: st.DataObject, others: tuple[Any, ...]) -> None:
        self.handler = handler
        self.data = data
        self.others = others
        self.mutating = False

    def __call__(self, request: httpx.Request) -> httpx.Response:
        try:
            answer = self.handler(request)
        except AssertionError:  # a route the fake lacks
            answer = httpx.Response(404, json={"error": "no such route"})
        except (ValueError, KeyError, TypeError, IndexError, AttributeError):  # a fake choked
            answer = httpx.Response(400, json={"error": "bad request"})  # or id it was fed
        if not self.mutating:
            return answer
        if (
            answer.status_code >= 400
            and self.others
            and self.data.draw(st.booleans(), label="a fixture instead of the fake's 4xx")
        ):  # reach parsers the fake has no route for
            fixture = self.data.draw(st.sampled_from(self.others), label="fixture")
            answer = httpx.Response(200, json=fixture)
        body = answer.read()
        try:
            value = json.loads(body) if body else None
        except ValueError:
            value = None
        if value is not None:
            body = self.data.draw(hostile_body(value, self.others), label=request.url.path)
        extra = self.data.draw(hostile_headers(), label="headers")
        status = self.data.draw(STATUSES, label="status") or answer.status_code
        names = {name for name, _ in extra} | {"content-length", "content-encoding"}
        headers = [(k, v) for k, v in answer.headers.multi_items() if k.lower() not in names]
        odd = [(name, value.encode("latin-1")) for name, value in extra]  # not all ASCII
        return httpx.Response(status, headers=[*headers, *odd], content=body)


def _respx(mount: Callable[[respx.MockRouter], None]) -> Handler:
    router = respx.MockRouter(assert_all_called=False)
    mount(router)
    return router.handler


def _mastodon() -> tuple[Handler, sk.Platform]:
    from socialkit.providers.mastodon import Mastodon
    from socialkit.testing import Sandbox

    sandbox = Sandbox()
    sandbox.simulate_mention("hello @brand, a question", author="alice")
    return sandbox.handle, Mastodon(instance=sandbox.base_url, access_token=sandbox.brand_token)


def _targets() -> list[Target]:
    from ..providers.bilibili.bilibili_support import FakeBilibili
    from ..providers.bilibili.bilibili_support import make_platform as bilibili
    from ..providers.bluesky.bsky_fake import FakeBluesky
    from ..providers.bluesky.bsky_support import platform as bluesky
    from ..providers.douyin.douyin_support import FakeDouyin
    from ..providers.douyin.douyin_support import make_platform as douyin
    from ..providers.facebook.facebook_fake import FakePage
    from ..providers.facebook.facebook_support import make as facebook
    from ..providers.instagram.instagram_fake import FakeInstagram
    from ..providers.instagram.instagram_support import make as instagram
    from ..providers.linkedin.linkedin_support import FakeLinkedIn
    from ..providers.linkedin.linkedin_support import make_platform as linkedin
    from ..providers.reddit.reddit_support import FakeReddit
    from ..providers.reddit.reddit_support import make_platform as reddit
    from ..providers.threads.threads_fake import FakeThreads
    from ..providers.threads.threads_support import make as threads
    from ..providers.tiktok.tiktok_support import FakeTikTok
    from ..providers.tiktok.tiktok_support import make_platform as tiktok
    from ..providers.wechat.wechat_fake import FakeWeChat
    from ..providers.wechat.wechat_support import make_platform as wechat
    from ..providers.weibo.weibo_fake import FakeWeibo
    from ..providers.weibo.weibo_support import make_platform as weibo
    from ..providers.x.conftest import FakeX
    from ..providers.x.conftest import make_platform as x
    from ..providers.youtube.youtube_support import FakeYouTube
    from ..providers.youtube.youtube_support import make_platform as youtube

    def on_host(host: str, fake: Callable[[], Any]) -> Callable[[], Handler]:
        return lambda: _respx(lambda r: r.route(host=host).mock(side_effect=fake().handle))

    def bilibili_server() -> Handler:
        fake = FakeBilibili()

        def mount(router: respx.MockRouter) -> None:
            for host in ("member.bilibili.com", "openupos.bilivideo.com"):
                router.route(host=host).mock(side_effect=fake.handle)

        return _respx(mount)

    def pair(
        server: Callable[[], Handler], platform: Callable[[], sk.Platform]
    ) -> Callable[[], tuple[Handler, sk.Platform]]:
        return lambda: (server(), platform())

    return [
        Target("mastodon", _mastodon, "mastodon"),
        Target("bluesky", pair(lambda: FakeBluesky().handle, bluesky), "bluesky"),
        Target("x", pair(lambda: FakeX().handle, lambda: x(access_token="t")), "x"),
        Target("facebook", pair(lambda: FakePage().router.handler, facebook), "facebook"),
        Target("instagram", pair(lambda: FakeInstagram().router.handler, instagram), "instagram"),
        Target("threads", pair(lambda: FakeThreads().router.handler, threads), "threads"),
        Target("linkedin", pair(on_host("api.linkedin.com", FakeLinkedIn), linkedin), "linkedin"),
        Target("tiktok", pair(on_host("open.tiktokapis.com", FakeTikTok), tiktok), "tiktok"),
        Target("youtube", pair(on_host("www.googleapis.com", FakeYouTube), youtube), "youtube"),
        Target("reddit", pair(on_host("oauth.reddit.com", FakeReddit), reddit), "reddit"),
        Target("weibo", pair(lambda: _respx(FakeWeibo().mount), weibo), "weibo"),
        Target("wechat", pair(lambda: _respx(FakeWeChat().mount), wechat), "wechat"),
        Target("douyin", pair(on_host("open.douyin.com", FakeDouyin), douyin), "douyin"),
        Target("bilibili", pair(bilibili_server, bilibili), "bilibili"),
    ]


TARGETS = _targets()
