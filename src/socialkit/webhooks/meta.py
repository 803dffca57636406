"""Meta webhooks: Facebook Pages, Instagram and Threads on one callback URL.

The handshake is ``GET ?hub.mode=subscribe&hub.verify_token=...&hub.challenge=...``,
answered with the challenge when the token is yours. Deliveries are signed with
``X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>``.

Payloads, as the references give them:

- Pages (``"object": "page"``), ``entry[].changes[]`` with ``field: feed``: ``value.item``
  ``comment`` (→ `CommentEvent`, ``verb`` add/edited/remove/hide/unhide), ``reaction`` and
  ``like`` (→ `ReactionEvent`), ``status``/``post``/``photo``/``video``/``share``
  (→ `PostEvent`); ``field: mention`` (→ `MentionEvent`); ``entry[].messaging[]``
  messages (→ `MentionEvent` of kind ``message``).
  https://developers.facebook.com/docs/graph-api/webhooks/reference/page/#feed
- Instagram (``"object": "instagram"``): ``comments``/``live_comments`` (→ `CommentEvent`),
  ``mentions`` (``{media_id, comment_id}`` → `MentionEvent`), ``messaging[]``.
  https://developers.facebook.com/docs/instagram-platform/webhooks/examples
- Threads: ``{app_id, topic, target_id, time, values: {field, value}}`` (one object or a
  list of them): ``replies`` (→ `CommentEvent`), ``mentions`` (→ `MentionEvent`),
  ``publish``/``delete`` (→ `PostEvent`).
  https://developers.facebook.com/docs/threads/webhooks

Meta sends no delivery id: a replay is recognised by a digest of the change itself (the
same change re-sent is the same bytes of JSON), so two different edits of one comment are
two events, and the same edit delivered twice is one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..events.types import (
    CommentAction,
    CommentEvent,
    MentionEvent,
    PostEvent,
    PostStatus,
    ReactionEvent,
)
from ..models import Account, Comment, Mention, Post, native_id
from ..providers.meta.parse import parse_time
from ..providers.threads import parse as threads_parse
from .receiver import (
    AnyEventT,
    MalformedDelivery,
    Parsed,
    Receipt,
    Receiver,
    digest,
    hmac_sha256,
    json_body,
    same,
    text_answer,
)

__all__ = ["MetaReceiver", "meta_signature"]

_COMMENT_ACTIONS: dict[str, CommentAction] = {
    "add": "created",
    "edited": "edited",
    "edit": "edited",
    "remove": "deleted",
    "delete": "deleted",
    "hide": "hidden",
    "unhide": "unhidden",
}
_POST_STATUS: dict[str, PostStatus] = {
    "add": "created",
    "edited": "edited",
    "edit": "edited",
    "update": "edited",
    "remove": "deleted",
    "delete": "deleted",
}
_POST_ITEMS = frozenset({"status", "post", "photo", "video", "share"})
_OBJECT_PLATFORM = {"page": "facebook", "instagram": "instagram"}


def meta_signature(app_secret: str, body: bytes) -> str:
    """The ``X-Hub-Signature-256`` Meta sends with ``body`` (to test your own handlers)."""
    return "sha256=" + hmac_sha256(app_secret, body).hex()


class MetaReceiver(Receiver):
    """Receives Facebook Page, Instagram and Threads webhooks of one Meta app.

    Args:
        app_secret: The app secret (App Dashboard → App settings → Basic); for Threads,
            the Threads app secret.
        verify_token: The token you typed into the webhook configuration.
        max_body: The largest accepted body in bytes.
        seen: Where delivery keys are remembered.
    """

    platform = "meta"

    def __init__(self, app_secret: str, verify_token: str, **options: Any) -> None:
        super().__init__(**options)
        self._secret = app_secret
        self._verify_token = verify_token

    def handshake(self, query: Mapping[str, str]) -> Receipt:
        """Echo ``hub.challenge`` when ``hub.mode`` is subscribe and the token matches."""
        challenge = query.get("hub.challenge")
        if (
            query.get("hub.mode") != "subscribe"
            or challenge is None
            or not same(self._verify_token, query.get("hub.verify_token"))
        ):
            return Receipt(403, reason="bad verify token")
        return text_answer(challenge)

    def verify(self, headers: Mapping[str, str], query: Mapping[str, str], body: bytes) -> bool:
        """``X-Hub-Signature-256`` is ``sha256=`` and the hex HMAC-SHA256 of the body."""
        return same(meta_signature(self._secret, body), headers.get("x-hub-signature-256"))

    def parse(self, headers: Mapping[str, str], query: Mapping[str, str], body: bytes) -> Parsed:
        """Every change of the batch that socialkit has an event type for."""
        payload = json_body(body)
        if isinstance(payload, list) or "values" in _mapping(payload):
            items = payload if isinstance(payload, list) else [payload]
            return [found for item in items for found in _threads(_mapping(item))]
        payload = _mapping(payload)
        if "entry" not in payload:
            raise MalformedDelivery("no entry list")
        platform = _OBJECT_PLATFORM.get(str(payload.get("object")))
        if platform is None:  # another object this app subscribes to: acknowledged, skipped
            return []
        found: Parsed = []
        for entry in _list(payload.get("entry")):
            entry = _mapping(entry)
            account_id = native_id(entry["id"])
            changes = _list(entry.get("changes"))
            if "field" in entry and "value" in entry:  # Instagram's Business Login examples
                changes = [*changes, {"field": entry["field"], "value": entry["value"]}]
            for change in changes:
                change = _mapping(change)
                event = _change(platform, account_id, change)
                if event is not None:
                    found.append((digest(account_id, change), event))
            for message in _list(entry.get("messaging")):
                event = _message(platform, account_id, _mapping(message))
                if event is not None:
                    found.append((f"message:{event.key}", event))
        return found


def _mapping(value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise MalformedDelivery(f"expected an object, got {type(value).__name__}")
    return value


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise MalformedDelivery(f"expected a list, got {type(value).__name__}")
    return value


def _author(platform: str, data: Any) -> Account | None:
    """``from`` ({id, name} on Pages, {id, username} on Instagram) as an Account."""
    if not isinstance(data, Mapping) or not data.get("id"):
        return None
    ident = native_id(data["id"])
    name = data.get("name")
    return Account(
        platform=platform,
        id=ident,
        handle=str(data.get("username") or name or ident),
        display_name=name,
    )


def _change(platform: str, account_id: str, change: Mapping[str, Any]) -> AnyEventT | None:
    field = change.get("field")
    value = _mapping(change.get("value"))
    if platform == "facebook":
        if field == "feed":
            return _feed(account_id, value)
        if field == "mention":
            return _page_mention(account_id, value)
        return None
    if field in ("comments", "live_comments"):
        return _instagram_comment(account_id, value)
    if field == "mentions":
        return _instagram_mention(account_id, value)
    return None


def _feed(page_id: str, value: Mapping[str, Any]) -> AnyEventT | None:
    """A Pages ``feed`` change."""
    item: Any = value.get("item")
    verb = str(value.get("verb", "add"))
    author = _author("facebook", value.get("from"))
    when = parse_time(value.get("created_time"))
    if item == "comment":
        comment_id = native_id(value["comment_id"])
        post_id = native_id(value["post_id"])
        parent = value.get("parent_id")
        comment = Comment(
            platform="facebook",
            id=comment_id,
            thread_root_id=post_id,
            reply_to_id=native_id(parent) if parent else post_id,
            author=author,
            text=str(value.get("message") or ""),
            created_at=when,
            hidden=verb == "hide",
            raw=value,
        )
        action = _COMMENT_ACTIONS.get(verb)
        if action is None:
            return None
        return CommentEvent(
            platform="facebook", key=comment_id, comment=comment, action=action,
            account_id=page_id, raw=value,
        )
    if item in ("reaction", "like"):
        target = value.get("comment_id") or value.get("post_id") or value.get("parent_id")
        if target is None:  # a like of the Page itself, not of content
            return None
        who = value.get("user_id") or value.get("sender_id")
        sender = author or _author("facebook", {"id": who})
        return ReactionEvent(
            platform="facebook",
            key=native_id(target),
            post_id=native_id(target),
            reaction=str(value.get("reaction_type") or "like").lower(),
            author=sender,
            removed=verb == "remove",
            account_id=page_id,
            raw=value,
        )
    if item in _POST_ITEMS:
        status = _POST_STATUS.get(verb)
        given = value.get("post_id")
        if status is None or given is None:
            return None
        ident = native_id(given)
        post = None
        if status != "deleted":
            post = Post(
                platform="facebook",
                id=ident,
                author=author,
                text=str(value.get("message") or ""),
                created_at=when,
                url=value.get("link") if item == "share" else None,
                raw=value,
            )
        return PostEvent(
            platform="facebook", key=ident, status=status, post=post, post_id=ident,
            account_id=page_id, raw=value,
        )
    return None


def _page_mention(page_id: str, value: Mapping[str, Any]) -> MentionEvent | None:
    """The Page ``mention`` field: the Page was mentioned in a post or a comment."""
    if value.get("verb", "add") != "add":
        return None
    post_id = native_id(value["post_id"])
    ident = native_id(value.get("comment_id") or post_id)
    sender = {"id": value.get("sender_id"), "name": value.get("sender_name")}
    mention = Mention(
        platform="facebook",
        id=ident,
        kind="mention",
        author=_author("facebook", sender),
        text=str(value.get("message") or ""),
        created_at=parse_time(value.get("created_time")),
        post_id=ident,
        thread_root_id=post_id,
        raw=value,
    )
    return MentionEvent(platform="facebook", key=ident, mention=mention, account_id=page_id,
                        raw=value)


def _instagram_comment(user_id: str, value: Mapping[str, Any]) -> CommentEvent:
    media = _mapping(value.get("media") or {})
    media_id = native_id(media["id"])
    comment_id = native_id(value["id"])
    parent = value.get("parent_id")
    comment = Comment(
        platform="instagram",
        id=comment_id,
        thread_root_id=media_id,
        reply_to_id=native_id(parent) if parent else media_id,
        author=_author("instagram", value.get("from")),
        text=str(value.get("text") or ""),
        raw=value,
    )
    return CommentEvent(platform="instagram", key=comment_id, comment=comment, account_id=user_id,
                        raw=value)


def _instagram_mention(user_id: str, value: Mapping[str, Any]) -> MentionEvent:
    """``{media_id, comment_id}`` (a comment mention) or ``{media_id}`` (a caption mention);
    the text is read with ``GET /{ig-user-id}?fields=mentioned_comment...``."""
    media_id = native_id(value["media_id"])
    ident = native_id(value.get("comment_id") or media_id)
    mention = Mention(platform="instagram", id=ident, kind="mention", post_id=ident,
                      thread_root_id=media_id, raw=value)
    return MentionEvent(platform="instagram", key=ident, mention=mention, account_id=user_id,
                        raw=value)


def _message(platform: str, account_id: str, data: Mapping[str, Any]) -> MentionEvent | None:
    """A Messenger / Instagram Direct message (``entry[].messaging[]``); echoes are skipped."""
    message = data.get("message")
    if not isinstance(message, Mapping) or message.get("is_echo") or not message.get("mid"):
        return None
    mid = native_id(message["mid"])
    sender = _mapping(data.get("sender") or {})
    stamp = data.get("timestamp")
    mention = Mention(
        platform=platform,
        id=mid,
        kind="message",
        author=_author(platform, sender),
        text=str(message.get("text") or ""),
        created_at=parse_time(stamp / 1000) if isinstance(stamp, int | float) else None,
        raw=data,
    )
    return MentionEvent(platform=platform, key=mid, mention=mention, account_id=account_id,
                        raw=data)


def _threads(item: Mapping[str, Any]) -> Parsed:
    """One Threads notification: ``values: {field, value}``."""
    values = _mapping(item.get("values"))
    field = values.get("field")
    value = _mapping(values.get("value"))
    target = item.get("target_id")
    account_id = native_id(target) if target else None
    event: AnyEventT | None = None
    if field == "replies":
        root = value.get("root_post")
        post_id = native_id(root["id"]) if isinstance(root, Mapping) else native_id(
            _mapping(value.get("replied_to"))["id"]
        )
        comment = threads_parse.comment(value, post_id)
        event = CommentEvent(platform="threads", key=comment.id, comment=comment,
                             account_id=account_id, raw=value)
    elif field == "mentions":
        mention = threads_parse.mention(value)
        event = MentionEvent(platform="threads", key=mention.id, mention=mention,
                             account_id=account_id, raw=value)
    elif field in ("publish", "delete"):
        ident = native_id(value["id"])
        status: PostStatus = "created" if field == "publish" else "deleted"
        post = threads_parse.post(value) if field == "publish" else None
        event = PostEvent(platform="threads", key=ident, status=status, post=post, post_id=ident,
                          account_id=account_id, raw=value)
    if event is None:
        return []
    return [(digest(field, value), event)]
