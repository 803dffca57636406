"""Douyin's capabilities follow the scopes the user granted (the token answer's ``scope``)."""

from __future__ import annotations

import pytest

import socialkit as sk
from socialkit.platform import Capability
from socialkit.testing.contract import NoNetwork

from .douyin_support import make_platform

CLIP = sk.MediaUpload(data=b"\0\0\0\x18ftypmp42", filename="v.mp4")


def offline(scope: str | None) -> sk.Client:
    return sk.Client(make_platform(scope=scope), transport=NoNetwork())


def test_capabilities_follow_the_granted_scopes() -> None:
    client = offline("user_info,video.list.bind,video.data.bind")
    assert client.capabilities == {Capability.READ_POSTS, Capability.POST_METRICS}


def test_publishing_without_the_capability_names_it_before_any_request() -> None:
    with pytest.raises(sk.Unsupported, match=r"video\.create\.bind") as raised:
        offline("user_info,video.list.bind").publish(sk.Draft(text="hi", media=(CLIP,)))
    assert raised.value.capability == "publish_video"


def test_comments_without_item_comment_are_refused_before_any_request() -> None:
    with pytest.raises(sk.Unsupported, match=r"item\.comment"):
        list(offline("user_info").comments("@item"))


def test_unknown_scopes_leave_every_capability() -> None:
    client = offline(None)
    assert client.capabilities == client.platform.capabilities
