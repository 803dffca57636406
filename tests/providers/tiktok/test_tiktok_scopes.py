"""TikTok's capabilities follow the scopes the user granted, when the token says them."""

from __future__ import annotations

import pytest

import socialkit as sk
from socialkit.auth import OAuth2Token
from socialkit.platform import Capability
from socialkit.testing.contract import NoNetwork

from .tiktok_support import make_platform, mp4


def granted(scope: str) -> sk.Client:
    platform = make_platform(refresh_token="r", client_key="k", client_secret="s")
    credential = platform.credential
    assert isinstance(credential, OAuth2Token)
    credential.scope = scope  # as a refresh's answer sets it
    return sk.Client(platform, transport=NoNetwork())


def test_capabilities_leave_out_what_was_not_granted() -> None:
    client = granted("user.info.basic,video.list")
    assert Capability.READ_POSTS in client.capabilities
    assert Capability.PUBLISH_VIDEO not in client.capabilities
    assert Capability.ACCOUNT_METRICS not in client.capabilities


def test_publishing_without_video_publish_names_the_scope_before_any_request() -> None:
    client = granted("user.info.basic,video.list")
    video = sk.MediaUpload(data=mp4(3.0), filename="v.mp4")
    with pytest.raises(sk.Unsupported, match=r"video\.publish") as raised:
        client.publish(sk.Draft(text="hi", media=(video,)))
    assert raised.value.capability == "publish_video"


def test_account_metrics_without_user_info_stats_are_refused_before_any_request() -> None:
    with pytest.raises(sk.Unsupported, match=r"user\.info\.stats"):
        granted("user.info.basic,video.list").account_metrics()


def test_unknown_scopes_count_as_granted() -> None:
    client = sk.Client(make_platform(), transport=NoNetwork())
    assert client.capabilities == client.platform.capabilities
