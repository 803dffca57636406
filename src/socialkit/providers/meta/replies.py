"""What a reply answers, and the `Comment` a reply created."""

from __future__ import annotations

from typing import NamedTuple

from ...models import Comment, Draft, Mention, Post
from ...platform import ReplyTarget

__all__ = ["ReplyIds", "replied", "reply_ids"]


class ReplyIds(NamedTuple):
    """What a reply answers (``parent``) and the post at the root of the conversation."""

    parent: str
    root: str


def reply_ids(target: ReplyTarget) -> ReplyIds:
    """The ids a reply target stands for; a bare id is taken as both parent and root."""
    if isinstance(target, Post):
        return ReplyIds(target.id, target.id)
    if isinstance(target, Comment):
        return ReplyIds(target.id, target.thread_root_id)
    if isinstance(target, Mention):
        post_id = target.post_id or target.id
        return ReplyIds(post_id, target.thread_root_id or post_id)
    return ReplyIds(target, target)


def replied(platform: str, comment_id: str, target: ReplyIds, draft: Draft) -> Comment:
    """The `Comment` a reply created, from what was sent."""
    return Comment(
        platform=platform,
        id=comment_id,
        thread_root_id=target.root,
        reply_to_id=target.parent,
        text=draft.text,
    )
