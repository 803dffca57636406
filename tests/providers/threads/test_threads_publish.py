"""Threads' container publishing through both drivers: quota (posts or replies), containers,
``status`` polling with `Sleep` steps, ``threads_publish``; threads as reply chains; and
every way it stops before publishing."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import respx

from socialkit.client import Client
from socialkit.errors import InvalidContent, RateLimited
from socialkit.models import Comment, Draft, MediaUpload, Post
from socialkit.providers.meta import ContainerFailed, ContainerTimeout
from socialkit.providers.threads import Threads
from socialkit.testing.contract import NoNetwork

from ..meta.meta_support import Driver, form, query, sent
from .threads_support import API, POST, USER, fixture, make

PHOTO = "https://cdn.example.com/spring.jpg"
CLIP = "https://cdn.example.com/pour.mp4"


def status(state: str, error: str | None = None) -> httpx.Response:
    body = {"id": "c", "status": state, **({"error_message": error} if error else {})}
    return httpx.Response(200, json=body)


@pytest.fixture
def graph() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as router:
        router.get(f"{API}/{USER}/threads_publishing_limit", name="quota").respond(
            200, json=fixture("quota")
        )
        router.post(f"{API}/{USER}/threads", name="create").respond(200, json={"id": "c1"})
        router.get(path__regex=r"^/v1.0/c\d+$", name="status").mock(return_value=status("FINISHED"))
        router.post(f"{API}/{USER}/threads_publish", name="publish").respond(200, json={"id": POST})
        yield router


def test_text_is_checked_created_polled_and_published(
    driver: Driver, graph: respx.MockRouter
) -> None:
    post = driver("publish", "Spring blend drops Friday ☕")
    assert query(sent(graph["quota"]))["fields"] == "quota_usage,config"
    assert form(sent(graph["create"])) == {
        "media_type": "TEXT",
        "text": "Spring blend drops Friday ☕",
    }
    assert query(sent(graph["status"]))["fields"] == "status,error_message"
    assert form(sent(graph["publish"])) == {"creation_id": "c1"}
    assert (post.id, post.text) == (POST, "Spring blend drops Friday ☕")
    assert driver.sleeps == []


def test_an_image_with_alt_text_and_options(driver: Driver, graph: respx.MockRouter) -> None:
    upload = MediaUpload(url=PHOTO, alt_text="A cup")
    draft = Draft(text="New", media=(upload,), options={"reply_control": "accounts_you_follow"})
    driver("publish", draft)
    assert form(sent(graph["create"])) == {
        "media_type": "IMAGE",
        "image_url": PHOTO,
        "alt_text": "A cup",
        "text": "New",
        "reply_control": "accounts_you_follow",
    }


def test_a_video_is_polled_until_finished(driver: Driver, graph: respx.MockRouter) -> None:
    graph["status"].side_effect = [status("IN_PROGRESS"), status("FINISHED")]
    driver("publish", Draft(text="Pour", media=(MediaUpload(url=CLIP),)))
    assert form(sent(graph["create"]))["video_url"] == CLIP
    assert driver.sleeps == [1.0]


def test_a_carousel_is_made_of_item_containers(driver: Driver, graph: respx.MockRouter) -> None:
    graph["create"].side_effect = [httpx.Response(200, json={"id": f"c{n}"}) for n in (2, 3, 1)]
    media = (MediaUpload(url=PHOTO), MediaUpload(url=CLIP))
    driver("publish", Draft(text="Roastery", media=media))
    assert [form(sent(graph["create"], i)) for i in range(3)] == [
        {"media_type": "IMAGE", "image_url": PHOTO, "is_carousel_item": "true"},
        {"media_type": "VIDEO", "video_url": CLIP, "is_carousel_item": "true"},
        {"media_type": "CAROUSEL", "children": "c2,c3", "text": "Roastery"},
    ]
    assert form(sent(graph["publish"])) == {"creation_id": "c1"}


def test_a_reply_checks_the_reply_quota_and_sets_reply_to_id(
    driver: Driver, graph: respx.MockRouter
) -> None:
    graph["publish"].respond(200, json={"id": "18060000000000009"})
    parent = Comment(platform="threads", id="18060000000000001", thread_root_id=POST)
    comment = driver("reply", parent, "Ethiopian!")
    assert query(sent(graph["quota"]))["fields"] == "reply_quota_usage,reply_config"
    assert form(sent(graph["create"])) == {
        "media_type": "TEXT",
        "text": "Ethiopian!",
        "reply_to_id": "18060000000000001",
    }
    assert (comment.id, comment.reply_to_id, comment.thread_root_id) == (
        "18060000000000009",
        "18060000000000001",
        POST,
    )


def test_a_thread_is_a_chain_of_replies_with_the_quotas_checked_once(
    driver: Driver, graph: respx.MockRouter
) -> None:
    graph["publish"].side_effect = [httpx.Response(200, json={"id": f"p{n}"}) for n in (1, 2, 3)]
    posts = driver("publish_thread", ["1/ one", "2/ two", "3/ three"])
    assert [p.id for p in posts] == ["p1", "p2", "p3"]
    assert [p.reply_to_id for p in posts] == [None, "p1", "p2"]
    assert [form(sent(graph["create"], i)).get("reply_to_id") for i in range(3)] == [
        None,
        "p1",
        "p2",
    ]
    assert [query(sent(graph["quota"], i))["fields"] for i in range(2)] == [
        "quota_usage,config",
        "reply_quota_usage,reply_config",
    ]
    assert graph["quota"].call_count == 2


def test_a_thread_too_big_for_the_reply_quota_publishes_nothing(
    driver: Driver, graph: respx.MockRouter
) -> None:
    graph["quota"].side_effect = [
        httpx.Response(200, json=fixture("quota")),
        httpx.Response(
            200, json={"data": [{"reply_quota_usage": 999, "reply_config": {"quota_total": 1000}}]}
        ),
    ]
    with pytest.raises(RateLimited, match="reply publishing quota"):
        driver("publish_thread", ["one", "two", "three"])
    assert not graph["create"].called
    assert not graph["publish"].called


def test_an_error_container_is_never_published(driver: Driver, graph: respx.MockRouter) -> None:
    graph["status"].mock(return_value=status("ERROR", "FAILED_DOWNLOADING_VIDEO"))
    with pytest.raises(ContainerFailed, match="FAILED_DOWNLOADING_VIDEO") as raised:
        driver("publish", Draft(text="x", media=(MediaUpload(url=CLIP),)))
    assert raised.value.state == "ERROR"
    assert not graph["publish"].called


def test_a_container_that_never_finishes_times_out(driver: Driver, graph: respx.MockRouter) -> None:
    graph["status"].mock(return_value=status("IN_PROGRESS"))
    with pytest.raises(ContainerTimeout):
        driver("publish", "never ready")
    assert 0 < sum(driver.sleeps) <= Threads.container_wait
    assert not graph["publish"].called


def test_a_used_quota_refuses_before_creating_anything(
    driver: Driver, graph: respx.MockRouter
) -> None:
    used = {"data": [{"quota_usage": 250, "config": {"quota_total": 250, "quota_duration": 86400}}]}
    graph["quota"].respond(200, json=used)
    with pytest.raises(RateLimited) as raised:
        driver("publish", "one too many")
    assert raised.value.retry_after == 86400
    assert not graph["create"].called
    assert not graph["publish"].called


@pytest.fixture
def offline() -> Client:
    return Client(make(), transport=NoNetwork())


def test_emoji_count_their_utf8_bytes_against_500(offline: Client) -> None:
    assert offline.validate("👍" * 125).text == "👍" * 125
    with pytest.raises(InvalidContent) as raised:
        offline.publish("a" + "👍" * 125)
    assert (raised.value.rule, raised.value.count, raised.value.limit) == ("max_length", 501, 500)


def test_more_than_five_links_are_refused(offline: Client) -> None:
    text = " ".join(f"https://brand.example/{n}" for n in range(6))
    with pytest.raises(InvalidContent) as raised:
        offline.publish(text)
    assert raised.value.rule == "max_links"


def test_local_media_is_refused_with_an_explanation(offline: Client) -> None:
    with pytest.raises(InvalidContent, match="public URL"):
        offline.publish(Draft(text="x", media=(MediaUpload(data=b"..", filename="a.png"),)))


def test_a_published_post_records_its_reply_target(driver: Driver, graph: respx.MockRouter) -> None:
    post = driver("publish", Draft(text="+1", reply_to_id="18060000000000001"))
    assert isinstance(post, Post)
    assert post.reply_to_id == "18060000000000001"
    assert query(sent(graph["quota"]))["fields"] == "reply_quota_usage,reply_config"
