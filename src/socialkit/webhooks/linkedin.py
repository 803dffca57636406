"""LinkedIn webhooks: organization social action notifications.

The validation is ``GET ?challengeCode=<uuid>``, answered with JSON
``{"challengeCode": ..., "challengeResponse": hex HMAC-SHA256(client secret, challengeCode)}``
within three seconds. Deliveries carry ``X-LI-Signature``, the hex HMAC-SHA256 with the
client secret of ``"hmacsha256=" + <raw body>`` (the literal is part of the signed string,
not of the header; a header that carries it as a prefix is accepted too).
A delivery is ``{"type": "ORGANIZATION_SOCIAL_ACTION_NOTIFICATIONS", "notifications":
[...]}``, up to ten, each with a ``notificationId`` (the de-duplication key), the
``organizationalEntity``, an ``action`` (``COMMENT``/``ADMIN_COMMENT``/``COMMENT_EDIT``/
``COMMENT_DELETE`` → `CommentEvent`, ``SHARE_MENTION`` → `MentionEvent`, ``LIKE`` →
`ReactionEvent`; ``SHARE`` is skipped), ``sourcePost``, ``generatedActivity`` and their
``decorated...`` forms. LinkedIn retries every 5 minutes for 8 hours.
https://learn.microsoft.com/en-us/linkedin/shared/api-guide/webhook-validation and
https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/organization-social-action-notifications
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..events.types import CommentAction, CommentEvent, MentionEvent, ReactionEvent
from ..models import Comment, native_id
from ..providers.linkedin import parse as linkedin_parse
from ..providers.linkedin.urns import post_url
from .receiver import (
    AnyEventT,
    MalformedDelivery,
    Parsed,
    Receipt,
    Receiver,
    hmac_sha256,
    json_answer,
    json_body,
    same,
)

__all__ = ["LinkedInReceiver", "linkedin_signature"]

_COMMENT_ACTIONS: dict[str, CommentAction] = {
    "COMMENT": "created",
    "ADMIN_COMMENT": "created",
    "COMMENT_EDIT": "edited",
    "COMMENT_DELETE": "deleted",
}
_PREFIX = "hmacsha256="


def linkedin_signature(client_secret: str, body: bytes) -> str:
    """The ``X-LI-Signature`` LinkedIn sends with ``body``."""
    return hmac_sha256(client_secret, _PREFIX.encode() + body).hex()


class LinkedInReceiver(Receiver):
    """Receives the organization social action notifications of one LinkedIn app.

    Args:
        client_secret: The app's Primary Client Secret.
        max_body: The largest accepted body in bytes.
        seen: Where delivery keys are remembered.
    """

    platform = "linkedin"

    def __init__(self, client_secret: str, **options: Any) -> None:
        super().__init__(**options)
        self._secret = client_secret

    def handshake(self, query: Mapping[str, str]) -> Receipt:
        """``{"challengeCode", "challengeResponse"}`` for ``challengeCode``."""
        code = query.get("challengeCode")
        if not code:
            return Receipt(400, reason="no challengeCode")
        answer = hmac_sha256(self._secret, code.encode()).hex()
        return json_answer({"challengeCode": code, "challengeResponse": answer})

    def verify(self, headers: Mapping[str, str], query: Mapping[str, str], body: bytes) -> bool:
        """``X-LI-Signature`` is the hex HMAC-SHA256 of ``hmacsha256=`` + the body."""
        given = headers.get("x-li-signature")
        if given is not None and given.startswith(_PREFIX):
            given = given[len(_PREFIX):]
        return same(linkedin_signature(self._secret, body), given)

    def parse(self, headers: Mapping[str, str], query: Mapping[str, str], body: bytes) -> Parsed:
        """Comments, mentions and likes of the organization's posts."""
        payload = json_body(body)
        if not isinstance(payload, Mapping):
            raise MalformedDelivery("the delivery is not an object")
        if payload.get("type") != "ORGANIZATION_SOCIAL_ACTION_NOTIFICATIONS":
            if not isinstance(payload.get("type"), str):
                raise MalformedDelivery("no notification type")
            return []  # another event family (LEAD_ACTION, ...): acknowledged, skipped
        notifications = payload.get("notifications")
        if not isinstance(notifications, list):
            raise MalformedDelivery("no notifications list")
        found: Parsed = []
        for data in notifications:
            if not isinstance(data, Mapping):
                raise MalformedDelivery("a notification is not an object")
            event = _notification(data)
            if event is not None:
                found.append((f"notification:{native_id(data['notificationId'])}", event))
        return found


def _owner(decorated: Any, name: str) -> Any:
    inner = decorated.get(name) if isinstance(decorated, Mapping) else None
    return inner if isinstance(inner, Mapping) else {}


def _notification(data: Mapping[str, Any]) -> AnyEventT | None:
    action = data.get("action")
    organization = data.get("organizationalEntity")
    account_id = native_id(organization) if organization else None
    source = data.get("sourcePost")
    if action in _COMMENT_ACTIONS:
        post_id = native_id(source)
        activity = native_id(data["generatedActivity"])
        decorated = _owner(data.get("decoratedGeneratedActivity"), "comment")
        owner = decorated.get("owner")
        comment = Comment(
            platform="linkedin",
            id=activity,
            thread_root_id=post_id,
            reply_to_id=post_id,
            author=linkedin_parse.account(owner) if isinstance(owner, str) else None,
            text=str(decorated.get("text") or ""),
            created_at=linkedin_parse.epoch_ms(data.get("lastModifiedAt")),
            url=post_url(post_id),
            raw=data,
        )
        return CommentEvent(platform="linkedin", key=activity, comment=comment,
                            action=_COMMENT_ACTIONS[str(action)], account_id=account_id, raw=data)
    if action == "SHARE_MENTION":
        mention = linkedin_parse.mention(data)
        text = _owner(data.get("decoratedGeneratedActivity"), "share").get("text")
        if text:
            mention = mention.model_copy(update={"text": str(text)})
        return MentionEvent(platform="linkedin", key=mention.id, mention=mention,
                            account_id=account_id, raw=data)
    if action == "LIKE":
        post_id = native_id(source)
        actor = data.get("actor") or _owner(data.get("decoratedGeneratedActivity"), "like").get(
            "owner"
        )
        return ReactionEvent(
            platform="linkedin",
            key=native_id(data.get("generatedActivity") or data["notificationId"]),
            post_id=post_id,
            author=linkedin_parse.account(actor) if isinstance(actor, str) else None,
            account_id=account_id,
            raw=data,
        )
    return None
