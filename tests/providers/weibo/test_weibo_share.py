"""The rules of statuses/share refuse bad drafts before any request."""

from __future__ import annotations

import pytest

from socialkit.client import Client
from socialkit.errors import InvalidContent
from socialkit.models import Draft, MediaUpload
from socialkit.testing.contract import NoNetwork

from .weibo_support import FAST, make_platform


def offline(**settings: object) -> Client:
    """A client whose transport fails the test on any request."""
    return Client(make_platform(**settings), transport=NoNetwork(), retry=FAST)


def refused(client: Client, draft: Draft | str) -> InvalidContent:
    with pytest.raises(InvalidContent) as raised:
        client.publish(draft)
    return raised.value


def test_a_share_without_a_secure_domain_link_is_refused() -> None:
    error = refused(offline(), "新品上线 https://other.example.org/launch")
    assert error.rule == "share_domain"
    assert "brand.example.com" in error.message


def test_a_share_without_any_link_is_refused() -> None:
    assert refused(offline(), "新品上线").rule == "share_domain"


def test_a_share_without_a_configured_secure_domain_is_refused() -> None:
    error = refused(offline(share_domain=None), "看 https://brand.example.com")
    assert error.rule == "share_domain"
    assert "安全域名" in error.message


def test_a_link_under_a_subdomain_of_the_secure_domain_counts() -> None:
    platform = make_platform()
    draft = platform.check_share("看 https://shop.brand.example.com/a")
    assert draft.text.endswith("/a")


def test_a_lookalike_domain_does_not_count() -> None:
    assert refused(offline(), "看 https://evilbrand.example.com/a").rule == "share_domain"


def test_a_topic_is_refused() -> None:
    error = refused(offline(), "#新品# 上线 https://brand.example.com")
    assert error.rule == "topic"
    assert "#新品#" in error.message


def test_a_hash_inside_the_link_is_not_a_topic() -> None:
    platform = make_platform()
    platform.check_share("看 https://brand.example.com/#a#b")


def test_a_share_without_the_users_ip_is_refused() -> None:
    error = refused(offline(client_ip=None), "看 https://brand.example.com")
    assert error.rule == "rip"


def test_a_private_ip_is_not_the_users_real_ip() -> None:
    error = refused(offline(client_ip="192.168.1.10"), "看 https://brand.example.com")
    assert error.rule == "rip"


def test_a_malformed_rip_in_the_draft_is_refused() -> None:
    draft = Draft(text="看 https://brand.example.com", options={"rip": "not-an-ip"})
    assert refused(offline(), draft).rule == "rip"


def test_a_comment_needs_the_users_ip_too() -> None:
    with pytest.raises(InvalidContent) as raised:
        offline(client_ip=None).reply("3504803600502730", "谢谢")
    assert raised.value.rule == "rip"


def test_a_comment_needs_no_link() -> None:
    assert make_platform().validate("谢谢支持").text == "谢谢支持"


def test_a_picture_must_be_jpeg_gif_or_png() -> None:
    draft = Draft(text="看 https://brand.example.com").with_media(
        MediaUpload(data=b"x", filename="a.webp", mime_type="image/webp")
    )
    assert refused(offline(), draft).rule == "media_type"


def test_a_picture_must_be_under_5_mb() -> None:
    draft = Draft(text="看 https://brand.example.com").with_media(
        MediaUpload(data=b"\0" * (5 * 1024 * 1024), filename="big.jpg")
    )
    error = refused(offline(), draft)
    assert (error.rule, error.limit) == ("media_size", 5 * 1024 * 1024)


def test_only_one_picture_per_share() -> None:
    pictures = [MediaUpload(data=b"x", filename=f"{n}.png") for n in range(2)]
    draft = Draft(text="看 https://brand.example.com").with_media(*pictures)
    assert refused(offline(), draft).rule == "max_images"


def test_an_unknown_option_is_refused() -> None:
    draft = Draft(text="看 https://brand.example.com", options={"visible": 1})
    assert refused(offline(), draft).rule == "options"
