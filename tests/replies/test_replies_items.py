"""The item state machine and item identity."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from replies_support import make_item

from socialkit.models import Comment, Mention
from socialkit.providers.instagram import parse as instagram_parse
from socialkit.providers.reddit import parse as reddit_parse
from socialkit.providers.weibo import parse as weibo_parse
from socialkit.replies import TRANSITIONS, InboxStore, InvalidTransition, Stage
from socialkit.replies.items import detect_language, item_key


@pytest.mark.parametrize(
    "path",
    [
        ["triaged", "drafted", "approved", "replied"],
        ["triaged", "drafted", "drafted", "approved", "drafted", "approved", "replied"],
        ["ignored", "triaged", "escalated", "drafted"],
        ["escalated", "triaged", "ignored"],
    ],
)
def test_legal_paths(store: InboxStore, path: list[str]) -> None:
    store.add([make_item()])
    for stage in path:
        store.transition("mastodon:1", Stage(stage), now=make_item().created_at)

    assert store.get("mastodon:1").stage == Stage(path[-1])


@pytest.mark.parametrize(
    ("path", "illegal"),
    [
        ([], "approved"),
        ([], "replied"),
        (["triaged"], "approved"),
        (["triaged", "drafted", "approved", "replied"], "drafted"),
        (["ignored"], "drafted"),
    ],
)
def test_illegal_transitions_raise(store: InboxStore, path: list[str], illegal: str) -> None:
    store.add([make_item()])
    for stage in path:
        store.transition("mastodon:1", Stage(stage), now=make_item().created_at)

    with pytest.raises(InvalidTransition, match=f"to {illegal}"):
        store.transition("mastodon:1", Stage(illegal), now=make_item().created_at)


def test_replied_is_final() -> None:
    assert TRANSITIONS[Stage.REPLIED] == frozenset()


def test_a_comment_and_its_mention_notification_share_a_key() -> None:
    comment = Comment(platform="mastodon", id="99", thread_root_id="1", text="hi")
    mention = Mention(platform="mastodon", id="5", kind="reply", post_id="99", text="hi")

    assert item_key(comment) == item_key(mention) == "mastodon:99"


def _weibo_comment(cid: str) -> dict[str, object]:
    return {"idstr": cid, "text": "@brand 发货吗", "user": {"idstr": "9", "screen_name": "u"},
            "status": {"idstr": "3504803600502730"}}


def _instagram_comment(cid: str) -> dict[str, object]:
    return {"id": cid, "text": "@brand ship?", "media": {"id": "17920112008063024"}}


def _reddit_comment(cid: str) -> dict[str, object]:
    return {"name": f"t1_{cid}", "type": "username_mention", "body": "u/brand hi",
            "context": f"/r/gadgets/comments/9gad01/best/{cid}/?context=3"}


@pytest.mark.parametrize(
    ("parse", "make"),
    [
        (weibo_parse.comment_mention, _weibo_comment),
        (lambda data: instagram_parse.comment_mention(data, "17920112008063024"),
         _instagram_comment),
        (reddit_parse.mention, _reddit_comment),
    ],
    ids=["weibo", "instagram", "reddit"],
)
def test_two_comment_mentions_under_one_post_are_two_items(
    parse: Callable[[dict[str, object]], Mention], make: Callable[[str], dict[str, object]]
) -> None:
    first, second = parse(make("1001")), parse(make("1002"))

    assert item_key(first) != item_key(second)
    assert first.thread_root_id == second.thread_root_id is not None


def test_a_mention_without_a_status_keeps_its_own_key() -> None:
    message = Mention(platform="wechat", id="m1", kind="message", text="你好")

    assert item_key(message) == "wechat:mention:m1"


@pytest.mark.parametrize(
    ("text", "hint", "language"),
    [
        ("请问会在中国发货吗？", "en", "zh"),
        ("今日は配送されますか", None, "ja"),
        ("배송 되나요?", None, "ko"),
        ("Do you ship to Canada?", None, "en"),
        ("Livrez-vous au Canada ?", "fr-CA", "fr"),
        ("@brand 太好了", "en", "zh"),
    ],
)
def test_language_detection(text: str, hint: str | None, language: str) -> None:
    assert detect_language(text, hint) == language
