"""What Mastodon is sent: draft options checked, status bodies built, replies addressed."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ...errors import InvalidContent
from ...models import Account, Comment, Draft, Mention, Post
from ...platform import ReplyTarget
from ...text import find_mentions

__all__ = [
    "EDIT_REFUSES",
    "OPTIONS",
    "check_options",
    "content_warning",
    "keeps_private",
    "reply_target",
    "status_body",
    "with_mention",
]

OPTIONS = frozenset(
    {"spoiler_text", "sensitive", "poll", "media_ids", "quoted_status_id", "quote_approval_policy"}
)
"""The keys `Draft.options` may carry on Mastodon; any other is refused."""

EDIT_REFUSES = frozenset({"quoted_status_id"})
"""Options ``PUT /api/v1/statuses/:id`` does not take."""

_POLL_KEYS = frozenset({"options", "expires_in", "multiple", "hide_totals"})
_QUOTE_POLICIES = frozenset({"public", "followers", "nobody"})
_RANK = {"public": 0, "unlisted": 1, "private": 2, "direct": 3}


def check_options(draft: Draft, platform: str) -> None:
    """Raise `InvalidContent` for an unknown option or a malformed value."""
    options = draft.options
    unknown = sorted(set(options) - OPTIONS)
    if unknown:
        raise InvalidContent(
            f"unknown {platform} option(s): {', '.join(unknown)} "
            f"(known: {', '.join(sorted(OPTIONS))})",
            rule="options",
            platform=platform,
        )

    def bad(message: str) -> InvalidContent:
        return InvalidContent(message, rule="options", platform=platform)

    if "spoiler_text" in options and not isinstance(options["spoiler_text"], str):
        raise bad("option spoiler_text must be a string")
    if (
        draft.content_warning is not None
        and options.get("spoiler_text") not in (None, draft.content_warning)
    ):
        raise bad("content_warning and option spoiler_text differ; set content_warning only")
    if "sensitive" in options and not isinstance(options["sensitive"], bool):
        raise bad("option sensitive must be true or false")
    if "quoted_status_id" in options and not isinstance(options["quoted_status_id"], str):
        raise bad("option quoted_status_id must be a status id (a string)")
    policy = options.get("quote_approval_policy")
    if policy is not None and policy not in _QUOTE_POLICIES:
        known = ", ".join(sorted(_QUOTE_POLICIES))
        raise bad(f"option quote_approval_policy must be one of {known}")
    media_ids = options.get("media_ids")
    if media_ids is not None and (
        isinstance(media_ids, str | bytes) or not isinstance(media_ids, Sequence)
    ):
        raise bad("option media_ids must be a list of attachment ids")
    if "poll" in options:
        _check_poll(options["poll"], bad)
        if draft.media or media_ids:
            raise bad("a poll cannot be combined with media on Mastodon")


def _check_poll(poll: Any, bad: Callable[[str], InvalidContent]) -> None:
    if not isinstance(poll, Mapping):
        raise bad('option poll must be {"options": [...], "expires_in": seconds}')
    unknown = sorted(set(poll) - _POLL_KEYS)
    if unknown:
        raise bad(f"unknown poll field(s): {', '.join(unknown)}")
    choices = poll.get("options")
    if (
        not isinstance(choices, Sequence)
        or isinstance(choices, str)
        or len(choices) < 2
        or not all(isinstance(c, str) and c for c in choices)
    ):
        raise bad("poll options must be a list of at least two non-empty strings")
    expires = poll.get("expires_in")
    if not isinstance(expires, int) or isinstance(expires, bool) or expires <= 0:
        raise bad("poll expires_in must be a positive number of seconds")
    for flag in ("multiple", "hide_totals"):
        if flag in poll and not isinstance(poll[flag], bool):
            raise bad(f"poll {flag} must be true or false")


def status_body(draft: Draft, media_ids: Sequence[str], *, edit: bool) -> dict[str, Any]:
    """The JSON body of ``POST /api/v1/statuses`` (or, with ``edit``, of ``PUT``)."""
    options = draft.options
    body: dict[str, Any] = {}
    ids = [str(i) for i in options.get("media_ids", ())] + list(media_ids)
    if draft.text or not ids:
        body["status"] = draft.text
    if ids:
        body["media_ids"] = ids
    if draft.reply_to_id and not edit:
        body["in_reply_to_id"] = draft.reply_to_id
    if draft.visibility and not edit:
        body["visibility"] = draft.visibility
    if draft.language:
        body["language"] = draft.language
    for key in sorted(OPTIONS - {"media_ids"}):
        if key in options:
            body[key] = dict(options[key]) if key == "poll" else options[key]
    if draft.content_warning is not None:
        body["spoiler_text"] = draft.content_warning
    return body


def content_warning(draft: Draft) -> str:
    """The warning the status will carry: `Draft.content_warning` or the
    ``spoiler_text`` option (the older spelling)."""
    if draft.content_warning is not None:
        return draft.content_warning
    spoiler = draft.options.get("spoiler_text")
    return spoiler if isinstance(spoiler, str) else ""


def reply_target(target: ReplyTarget, platform: str) -> tuple[str, str, Account | None, str | None]:
    """(status to answer, root post id, its author, its visibility), as far as the target says."""
    if isinstance(target, Post):
        return target.id, target.thread_root_id or target.id, target.author, target.visibility
    if isinstance(target, Comment):
        return target.id, target.thread_root_id, target.author, _visibility(target.raw or {})
    if isinstance(target, Mention):
        if target.post_id is None:
            raise InvalidContent(
                f"mention {target.id} has no status to reply to", rule="reply", platform=platform
            )
        status = (target.raw or {}).get("status")
        visibility = _visibility(status) if isinstance(status, Mapping) else None
        return target.post_id, target.post_id, target.author, visibility
    return str(target), str(target), None, None


def _visibility(status: Mapping[str, Any]) -> str | None:
    value = status.get("visibility")
    return value if isinstance(value, str) else None


def keeps_private(visibility: str | None) -> bool:
    """Whether a reply must inherit ``visibility`` (``private`` or ``direct``) by default."""
    return _RANK.get(visibility or "", 0) >= _RANK["private"]


def with_mention(text: str, author: Account | None, me: Account) -> str:
    """``text`` starting with ``@author``, unless it mentions them already or it is ``me``."""
    if author is None or author.id == me.id or not author.handle:
        return text
    handle = author.handle.lstrip("@")
    mentioned = {text[start + 1 : end].lower() for start, end in find_mentions(text)}
    if handle.lower() in mentioned:
        return text
    return f"@{handle} {text}" if text else f"@{handle}"
