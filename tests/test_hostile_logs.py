"""No log line and no error holds a token (issue 16, items 6 and 13): every provider, every
logger at DEBUG, a server that echoes the request (URL and Authorization) in its errors."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest

import socialkit as sk
from socialkit.http import RATE_LIMITS, RetryPolicy
from socialkit.providers.bluesky import Bluesky
from socialkit.providers.facebook import Facebook
from socialkit.providers.instagram import Instagram
from socialkit.providers.linkedin import LinkedIn, LinkedInSettings
from socialkit.providers.mastodon import Mastodon
from socialkit.providers.threads import Threads
from socialkit.providers.tiktok import TikTok, TikTokSettings
from socialkit.providers.wechat import WeChat
from socialkit.providers.weibo import Weibo
from socialkit.providers.x import X, XSettings

CANARY = "CANARYtok3n9f2d"
ISSUED = "CANARYissued7a1b"  # a token the server hands out (WeChat, Bluesky)
FAST = RetryPolicy(attempts=2, backoff=0.0, max_backoff=0.0)


def _echo(request: httpx.Request) -> httpx.Response:
    """The hostile server: hands out tokens, then echoes every request into an error."""
    path = request.url.path
    if path.endswith(("/cgi-bin/token", "/cgi-bin/stable_token")):
        return httpx.Response(200, json={"access_token": ISSUED, "expires_in": 7200})
    if path.endswith("com.atproto.server.createSession"):
        return httpx.Response(
            200,
            json={
                "accessJwt": ISSUED,
                "refreshJwt": ISSUED + "r",
                "did": "did:plc:abc",
                "handle": "brand.bsky.social",
            },
        )
    said = f"{request.method} {request.url} {request.headers.get('authorization', '')}"
    body = {
        "error": {"message": said, "code": 1},
        "message": said,
        "detail": said,
        "errcode": 40001,
        "errmsg": said,
        "error_description": said,
        "title": said,
    }
    return httpx.Response(
        400, content=json.dumps(body).encode(), headers={"content-type": "application/json"}
    )


PLATFORMS: dict[str, Callable[[], sk.Platform]] = {
    "mastodon": lambda: Mastodon(instance="https://m.example", access_token=CANARY),
    "x": lambda: X(XSettings(access_token=CANARY, user_id="1")),
    "facebook": lambda: Facebook(page_id="1", access_token=CANARY, app_secret=CANARY + "s"),
    "instagram": lambda: Instagram(user_id="1", access_token=CANARY),
    "threads": lambda: Threads(user_id="1", access_token=CANARY),
    "linkedin": lambda: LinkedIn(LinkedInSettings(access_token=CANARY, author="urn:li:person:abc")),
    "tiktok": lambda: TikTok(TikTokSettings(access_token=CANARY)),
    "weibo": lambda: Weibo(access_token=CANARY),
    "wechat": lambda: WeChat(app_id="wx1", app_secret=CANARY),
    "bluesky": lambda: Bluesky(handle="brand.bsky.social", app_password=CANARY),
}

OPERATIONS: list[Callable[[sk.Client], Any]] = [
    lambda c: c.me(),
    lambda c: c.get_post("1"),
    lambda c: c.publish("hello"),
    lambda c: c.reply("1", "thanks"),
    lambda c: c.delete_post("1"),
    lambda c: list(c.posts(limit=1)),
    lambda c: list(c.comments("1", limit=1)),
    lambda c: list(c.mentions(limit=1)),
    lambda c: list(c.search("coffee", limit=1)),
    lambda c: c.post_metrics("1"),
    lambda c: c.request("GET", "/anything", params={"access_token": CANARY}),
]


@pytest.mark.parametrize("name", sorted(PLATFORMS))
def test_no_log_record_and_no_error_holds_a_token(
    name: str, caplog: pytest.LogCaptureFixture
) -> None:
    RATE_LIMITS.clear()
    errors: list[str] = []
    with (
        caplog.at_level(logging.DEBUG),
        sk.Client(PLATFORMS[name](), transport=httpx.MockTransport(_echo), retry=FAST) as client,
    ):
        for operation in OPERATIONS:
            try:
                operation(client)
            except sk.SocialkitError as exc:
                errors.append(" ".join([str(exc), repr(exc), str(exc.args), str(vars(exc))]))
    assert any(r.name.startswith("httpx") for r in caplog.records)  # the request lines
    logged = [
        record.getMessage() + (record.exc_text or "") + str(record.__dict__.get("args"))
        for record in caplog.records
    ]
    for secret in (CANARY, ISSUED):
        assert not [line for line in logged if secret in line], secret
        assert not [error for error in errors if secret in error], secret


def test_the_redacting_filter_sits_once_on_every_http_logger() -> None:
    from socialkit import http

    loggers = [logging.getLogger(name) for name in http._HTTP_LOGGERS]
    kept = [list(lg.filters) for lg in loggers]
    try:
        for lg in loggers:
            lg.filters = [f for f in lg.filters if not isinstance(f, http.RedactingFilter)]
        http._install_redaction()
        http._install_redaction()  # importing again adds nothing
        for lg in loggers:
            assert sum(isinstance(f, http.RedactingFilter) for f in lg.filters) == 1, lg.name
    finally:
        for lg, filters in zip(loggers, kept, strict=True):
            lg.filters = filters


def test_a_token_in_an_httpx_request_line_is_redacted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = f"https://api.weibo.com/2/statuses/show.json?id=1&access_token={CANARY}"
    with caplog.at_level(logging.INFO, logger="httpx"):
        logging.getLogger("httpx").info('HTTP Request: %s %s "%s"', "GET", url, "HTTP/1.1 200 OK")
    (line,) = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert CANARY not in line
    assert line.startswith("HTTP Request: GET https://api.weibo.com/2/statuses/show.json?id=1&")
