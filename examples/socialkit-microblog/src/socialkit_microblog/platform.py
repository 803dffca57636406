"""The Microblog provider: each operation is a flow over Microblog's JSON API.

A flow never does I/O: it yields a `Call` and gets the `httpx.Response` back
(already checked by `map_error` / `error_in_body`), or the mapped exception is
raised inside it. socialkit's drivers send the calls, sync or async, with
authentication, retries and rate limits.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from pydantic import SecretStr
from socialkit import (
    Account,
    Capability,
    Comment,
    Draft,
    Flow,
    Mention,
    Metric,
    Platform,
    PlatformSettings,
    Post,
    ResultPage,
    TextRules,
)
from socialkit.errors import (
    AuthError,
    InvalidContent,
    NotFound,
    ParseError,
    PermissionDenied,
    RateLimited,
    SocialkitError,
    TokenExpired,
)
from socialkit.platform import RateLimitInfo, ReplyTarget, parse_retry_after

from .webhooks import verify_signature

if TYPE_CHECKING:
    from socialkit.http import Response  # an httpx.Response

__all__ = ["Microblog", "MicroblogSettings"]

PAGE_SIZE = 50  # the most one page of Microblog holds
COUNTS = (("likes", "likes"), ("shares", "reposts"), ("comments", "replies"))
"""socialkit's normalised metric names, and Microblog's names for them."""

# Microblog's error codes, and the socialkit error each one is.
_ERRORS: dict[str, type[SocialkitError]] = {
    "unauthorized": AuthError,
    "token_expired": TokenExpired,
    "forbidden": PermissionDenied,
    "not_found": NotFound,
    "too_long": InvalidContent,
    "rate_limited": RateLimited,
}


class MicroblogSettings(PlatformSettings):
    """How to reach one Microblog account.

    Attributes:
        access_token: The account's API token (Settings → API on Microblog).
        webhook_secret: The secret Microblog signs webhooks with, to verify them.
        base_url: The API root; the public service by default.
    """

    access_token: SecretStr  # required here; optional in PlatformSettings
    webhook_secret: SecretStr | None = None


class Microblog(Platform):
    """Microblog through its JSON API; mentions arrive by webhook (`parse_webhook`).

    ```python
    client = sk.connect("microblog", access_token="...")
    client = sk.connect("microblog://TOKEN@api.microblog.example/v1")
    ```
    """

    name = "microblog"
    capabilities = frozenset(
        {
            Capability.PUBLISH_TEXT,
            Capability.PUBLISH_THREAD,  # the base class chains replies with `publish`
            Capability.READ_POSTS,
            Capability.DELETE,
            Capability.READ_COMMENTS,
            Capability.REPLY,
            Capability.POST_METRICS,
        }
    )
    Settings = MicroblogSettings
    default_base_url = "https://api.microblog.example/v1"
    honours_idempotency_key = True  # so a publish that timed out is retried safely
    rules = TextRules(max_length=280)
    settings: MicroblogSettings

    @property
    def account_key(self) -> str:
        """Microblog limits each token separately, so rate-limit state is kept per token."""
        token = self.settings.access_token.get_secret_value().encode()
        return f"{self.base_url}#{hashlib.sha256(token).hexdigest()[:12]}"

    # -- the operations ---------------------------------------------------------------------

    def me(self) -> Flow[Account]:
        response = yield self.call("GET", "/me")
        return self.to_account(self.json(response))

    def publish(self, draft: Draft) -> Flow[Post]:
        body: dict[str, Any] = {"text": draft.text}
        if draft.reply_to_id:
            body["reply_to"] = draft.reply_to_id
        response = yield self.call(
            "POST", "/posts", json=body, idempotency_key=draft.idempotency_key, bucket="write"
        )
        return self.to_post(self.json(response))

    def get_post(self, post_id: str) -> Flow[Post]:
        response = yield self.call("GET", f"/posts/{_segment(post_id)}")
        return self.to_post(self.json(response))

    def delete_post(self, post_id: str) -> Flow[None]:
        yield self.call("DELETE", f"/posts/{_segment(post_id)}", bucket="write")

    def posts(
        self, account: str | None, cursor: str | None, limit: int | None = None
    ) -> Flow[ResultPage[Post]]:
        params = _page_params(cursor, limit) | ({"author": account} if account else {})
        response = yield self.call("GET", "/posts", params=params)
        body = self.json(response)
        items = [self.to_post(p) for p in body["data"]]
        return ResultPage(items=items, next_cursor=body["next_cursor"])

    def comments(
        self, post_id: str, cursor: str | None, limit: int | None = None
    ) -> Flow[ResultPage[Comment]]:
        path = f"/posts/{_segment(post_id)}/replies"
        response = yield self.call("GET", path, params=_page_params(cursor, limit))
        body = self.json(response)
        items = [self.to_comment(p) for p in body["data"]]
        return ResultPage(items=items, next_cursor=body["next_cursor"])

    def reply(self, target: ReplyTarget, draft: Draft) -> Flow[Comment]:
        if isinstance(target, Mention):
            target_id = target.post_id or target.id  # a mention's id is the webhook event's
        else:
            target_id = target if isinstance(target, str) else target.id
        response = yield self.call(
            "POST",
            f"/posts/{_segment(target_id)}/replies",
            json={"text": draft.text},
            idempotency_key=draft.idempotency_key,
            bucket="write",
        )
        return self.to_comment(self.json(response))

    def post_metrics(self, post_id: str) -> Flow[list[Metric]]:
        post = yield from self.get_post(post_id)
        now = datetime.now(UTC)
        return [
            Metric(
                platform=self.name,
                subject="post",
                subject_id=post.id,
                name=name,
                value=post.metrics.get(name),
                collected_at=now,
                native_name=native,
            )
            for name, native in COUNTS
        ]

    # -- webhooks --------------------------------------------------------------------------

    def parse_webhook(self, body: bytes, signature: str | None) -> Mention:
        """Verify a webhook's ``X-Microblog-Signature`` and return its mention.

        Raises:
            AuthError: The signature is missing or wrong, or no webhook secret is set.
            ParseError: The signed body is not a Microblog event.
        """
        secret = self.settings.webhook_secret
        if secret is None:
            raise AuthError("set webhook_secret to verify webhooks", platform=self.name)
        verify_signature(body, signature, secret.get_secret_value(), platform=self.name)
        try:
            event = json.loads(body)
            post = self.to_post(event["post"])
        except (ValueError, KeyError, TypeError) as exc:
            raise ParseError(f"unreadable webhook: {exc!r}", platform=self.name) from None
        return Mention(
            platform=self.name,
            id=str(event["id"]),
            kind="reply" if post.reply_to_id else "mention",
            author=post.author,
            text=post.text,
            created_at=post.created_at,
            url=post.url,
            post_id=post.id,
            raw=event,
        )

    # -- errors and rate limits ------------------------------------------------------------

    def error_details(self, response: Response) -> tuple[str, str | None]:
        """Microblog's ``{"error": {"code": ..., "message": ...}}``; the status phrase otherwise."""
        fallback = response.reason_phrase or f"HTTP {response.status_code}"
        try:
            body = response.json()
        except ValueError:
            return fallback, None
        error = body.get("error") if isinstance(body, Mapping) else None
        if not isinstance(error, Mapping):
            return fallback, None
        code = error.get("code")
        return str(error.get("message") or fallback), code if isinstance(code, str) else None

    def map_error(self, response: Response) -> SocialkitError:
        """By Microblog's error code first, by the HTTP status otherwise."""
        message, code = self.error_details(response)
        kind = _ERRORS.get(code or "")
        if kind is None:
            return super().map_error(response)  # the status decides: 404 NotFound, ...
        status = response.status_code
        if kind is RateLimited:
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            return RateLimited(
                message, retry_after=retry_after, platform=self.name, status=status, code=code
            )
        return kind(message, platform=self.name, status=status, code=code)

    def error_in_body(self, response: Response) -> SocialkitError | None:
        """An error reported with a ``2xx`` status (Microblog's expired-token quirk)."""
        try:
            body = response.json()
        except ValueError:  # 204 No Content, or not JSON: the flow will say so
            return None
        if isinstance(body, Mapping) and isinstance(body.get("error"), Mapping):
            return self.map_error(response)
        return None

    def rate_limit(self, response: Response) -> RateLimitInfo | None:
        """``RateLimit-Limit``, ``-Remaining`` and ``-Reset`` (seconds until the reset)."""
        headers = response.headers
        remaining, reset = _int(headers.get("ratelimit-remaining")), headers.get("ratelimit-reset")
        if remaining is None or reset is None or not reset.isdigit():
            return None
        return RateLimitInfo(
            limit=_int(headers.get("ratelimit-limit")),
            remaining=remaining,
            reset_at=datetime.now(UTC) + timedelta(seconds=int(reset)),
        )

    # -- parsing ---------------------------------------------------------------------------

    def to_account(self, data: Mapping[str, Any]) -> Account:
        """An account payload as an `Account`."""
        return Account(
            platform=self.name,
            id=str(data["id"]),
            handle=data["handle"],
            display_name=data.get("name"),
            url=data.get("url"),
            followers=data.get("followers"),
            raw=data,
        )

    def to_post(self, data: Mapping[str, Any]) -> Post:
        """A post payload as a `Post`, with its public counts."""
        return Post(
            platform=self.name,
            id=str(data["id"]),
            author=self.to_account(data["author"]),
            text=data["text"],
            created_at=datetime.fromisoformat(data["created_at"]),
            url=data.get("url"),
            reply_to_id=data.get("reply_to"),
            thread_root_id=data.get("root"),
            metrics={name: data[native] for name, native in COUNTS if data.get(native) is not None},
            raw=data,
        )

    def to_comment(self, data: Mapping[str, Any]) -> Comment:
        """A reply payload as a `Comment` under its conversation's root post."""
        post = self.to_post(data)
        return Comment(
            platform=self.name,
            id=post.id,
            thread_root_id=post.thread_root_id or post.reply_to_id or post.id,
            reply_to_id=post.reply_to_id,
            author=post.author,
            text=post.text,
            created_at=post.created_at,
            url=post.url,
            raw=data,
        )


def _segment(value: str) -> str:
    """An id as one URL path segment: ``"1/../me"`` can never reach another endpoint."""
    return quote(str(value), safe="")


def _page_params(cursor: str | None, limit: int | None) -> dict[str, Any]:
    """A page no larger than the caller still wants (``limit`` is a hint)."""
    size = PAGE_SIZE if limit is None else max(1, min(limit, PAGE_SIZE))
    return {"limit": size} | ({"cursor": cursor} if cursor else {})


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
