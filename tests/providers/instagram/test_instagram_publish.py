"""Instagram's container publishing through both drivers: quota, containers, polling with
`Sleep` steps, ``media_publish``; and every way it stops before publishing."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import respx

from socialkit.client import Client
from socialkit.errors import InvalidContent, PublishUncertain, RateLimited, Unsupported
from socialkit.models import Draft, MediaUpload
from socialkit.providers.instagram import Instagram
from socialkit.providers.meta import ContainerFailed
from socialkit.testing.contract import NoNetwork

from ..meta.meta_support import Driver, form, graph_error, query, sent
from .instagram_support import GRAPH, USER, fixture, make

PHOTO = "https://cdn.example.com/spring.jpg"
CLIP = "https://cdn.example.com/pour.mp4"


def status(code: str, detail: str = "Finished: Media container is ready") -> httpx.Response:
    return httpx.Response(200, json={"status_code": code, "status": detail, "id": "c"})


@pytest.fixture
def graph() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as router:
        router.get(f"{GRAPH}/{USER}/content_publishing_limit", name="quota").respond(
            200, json=fixture("quota")
        )
        router.post(f"{GRAPH}/{USER}/media", name="create").respond(200, json={"id": "1790001"})
        router.get(f"{GRAPH}/1790001", name="status").mock(return_value=status("FINISHED"))
        router.post(f"{GRAPH}/{USER}/media_publish", name="publish").respond(
            200, json={"id": "17895695668004550"}
        )
        yield router


def photo_draft(**kw: object) -> Draft:
    return Draft(text="Spring blend ☕", media=(MediaUpload(url=PHOTO, alt_text="A cup"),), **kw)


def test_an_image_is_checked_created_polled_and_published(
    driver: Driver, graph: respx.MockRouter
) -> None:
    post = driver("publish", photo_draft(idempotency_key="k1"))
    assert query(sent(graph["quota"]))["fields"] == "quota_usage,config"
    assert form(sent(graph["create"])) == {
        "image_url": PHOTO,
        "alt_text": "A cup",
        "caption": "Spring blend ☕",
    }
    assert query(sent(graph["status"]))["fields"] == "status_code,status"
    assert form(sent(graph["publish"])) == {"creation_id": "1790001"}
    assert (post.id, post.text) == ("17895695668004550", "Spring blend ☕")
    assert driver.sleeps == []


def test_a_video_is_a_reel_polled_with_growing_sleeps(
    driver: Driver, graph: respx.MockRouter
) -> None:
    graph["status"].side_effect = [
        status("IN_PROGRESS", "In Progress"),
        status("IN_PROGRESS", "In Progress"),
        status("FINISHED"),
    ]
    driver("publish", Draft(text="Pouring", media=(MediaUpload(url=CLIP),)))
    assert form(sent(graph["create"])) == {
        "media_type": "REELS",
        "video_url": CLIP,
        "caption": "Pouring",
    }
    assert graph["status"].call_count == 3
    assert driver.sleeps == [1.0, 2.0]
    assert graph["publish"].call_count == 1


def test_several_items_are_a_carousel_of_item_containers(
    driver: Driver, graph: respx.MockRouter
) -> None:
    graph["create"].side_effect = [
        httpx.Response(200, json={"id": "item1"}),
        httpx.Response(200, json={"id": "item2"}),
        httpx.Response(200, json={"id": "1790001"}),
    ]
    items = graph.get(path__regex=r"^/v25.0/item[12]$").mock(return_value=status("FINISHED"))
    media = (MediaUpload(url=PHOTO), MediaUpload(url=CLIP))
    driver("publish", Draft(text="Two ways", media=media, options={"location_id": "7"}))
    assert [form(sent(graph["create"], i)) for i in range(3)] == [
        {"image_url": PHOTO, "is_carousel_item": "true"},
        {"media_type": "VIDEO", "video_url": CLIP, "is_carousel_item": "true"},
        {
            "media_type": "CAROUSEL",
            "children": "item1,item2",
            "caption": "Two ways",
            "location_id": "7",
        },
    ]
    assert items.call_count == 2
    assert form(sent(graph["publish"])) == {"creation_id": "1790001"}


@pytest.mark.parametrize("state", ["ERROR", "EXPIRED"])
def test_a_failed_container_is_never_published(
    driver: Driver, graph: respx.MockRouter, state: str
) -> None:
    detail = "Error: Media download has failed. The media URI doesn't meet our requirements."
    graph["status"].mock(return_value=status(state, detail))
    with pytest.raises(ContainerFailed) as raised:
        driver("publish", photo_draft())
    assert (raised.value.container_id, raised.value.state) == ("1790001", state)
    assert "Media download has failed" in raised.value.message
    assert not graph["publish"].called


def test_a_container_still_in_progress_after_the_wait_is_a_pending_post(
    driver: Driver, graph: respx.MockRouter
) -> None:
    graph["status"].mock(return_value=status("IN_PROGRESS", "In Progress"))
    post = driver("publish", photo_draft())
    assert sum(driver.sleeps) <= Instagram.container_wait
    assert (post.id, post.state) == ("container:1790001", "pending")
    assert post.state_reason is not None
    assert "IN_PROGRESS" in post.state_reason
    assert not graph["publish"].called


def test_a_pending_container_still_in_progress_stays_pending(
    driver: Driver, graph: respx.MockRouter
) -> None:
    graph["status"].mock(return_value=status("IN_PROGRESS", "In Progress"))
    post = driver("get_post", "container:1790001")
    assert (post.id, post.state, post.state_reason) == (
        "container:1790001", "pending", "processing (IN_PROGRESS)")
    assert query(sent(graph["status"]))["fields"] == "status_code,status"
    assert not graph["publish"].called


@pytest.mark.parametrize("state", ["ERROR", "EXPIRED"])
def test_a_pending_container_that_failed_is_rejected_with_the_reason(
    driver: Driver, graph: respx.MockRouter, state: str
) -> None:
    detail = "Error: Media download has failed. The media URI doesn't meet our requirements."
    graph["status"].mock(return_value=status(state, detail))
    post = driver("get_post", "container:1790001")
    assert (post.state, post.state_reason) == ("rejected", f"{state}: {detail}")
    assert not graph["publish"].called


def test_a_pending_container_that_finished_is_published_by_get_post(
    driver: Driver, graph: respx.MockRouter
) -> None:
    media = graph.get(f"{GRAPH}/17895695668004550").respond(200, json={
        "id": "17895695668004550", "caption": "Spring blend ☕", "media_type": "IMAGE",
        "permalink": "https://www.instagram.com/p/Cabc123/",
        "timestamp": "2026-12-07T10:00:00+0000"})
    post = driver("get_post", "container:1790001")
    assert form(sent(graph["publish"])) == {"creation_id": "1790001"}
    assert media.called
    assert (post.id, post.state) == ("17895695668004550", "published")
    assert post.url == "https://www.instagram.com/p/Cabc123/"


def test_a_used_quota_refuses_before_creating_anything(
    driver: Driver, graph: respx.MockRouter
) -> None:
    graph["quota"].respond(200, json=fixture("quota_used"))
    with pytest.raises(RateLimited) as raised:
        driver("publish", photo_draft())
    assert raised.value.retry_after == 86400
    assert raised.value.reset_at is not None
    assert "100 of 100" in raised.value.message
    assert not graph["create"].called
    assert not graph["publish"].called


def test_the_publishing_limit_error_is_rate_limited(
    driver: Driver, graph: respx.MockRouter
) -> None:
    graph["publish"].mock(
        return_value=graph_error(
            9, "Application request limit reached", subcode=2207042, status=403
        )
    )
    with pytest.raises(RateLimited) as raised:
        driver("publish", photo_draft())
    assert raised.value.retry_after == 86400
    assert graph["publish"].call_count == 1


def test_an_ambiguous_failure_of_media_publish_is_not_retried(
    driver: Driver, graph: respx.MockRouter
) -> None:
    graph["publish"].respond(502)
    with pytest.raises(PublishUncertain) as raised:
        driver("publish", photo_draft(idempotency_key="draft-9"))
    assert graph["publish"].call_count == 1
    assert raised.value.idempotency_key == "draft-9"


@pytest.fixture
def offline() -> Client:
    return Client(make(), transport=NoNetwork())


def test_a_local_file_is_refused_with_an_explanation(offline: Client) -> None:
    upload = MediaUpload(data=b"\xff\xd8", filename="cup.jpg")
    with pytest.raises(InvalidContent) as raised:
        offline.publish(Draft(text="x", media=(upload,)))
    assert raised.value.rule == "media_url"
    assert "public URL" in raised.value.message


def test_text_alone_is_unsupported(offline: Client) -> None:
    with pytest.raises(Unsupported, match="needs an image or a video"):
        offline.publish("just words")


@pytest.mark.parametrize(
    ("text", "count", "rule"),
    [
        (" ".join(f"#tag{n}" for n in range(31)), 1, "max_hashtags"),
        (" ".join(f"@user{n}" for n in range(21)), 1, "max_mentions"),
        ("a" * 2201, 1, "max_length"),
        ("fine", 11, "max_images"),
    ],
)
def test_caption_rules_are_checked_before_io(
    offline: Client, text: str, count: int, rule: str
) -> None:
    media = tuple(MediaUpload(url=f"https://cdn.example.com/{n}.jpg") for n in range(count))
    with pytest.raises(InvalidContent) as raised:
        offline.publish(Draft(text=text, media=media))
    assert raised.value.rule == rule


def test_thirty_hashtags_are_allowed(offline: Client) -> None:
    text = " ".join(f"#tag{n}" for n in range(30))
    assert offline.validate(Draft(text=text, media=(MediaUpload(url=PHOTO),))).text == text


def test_unknown_options_are_refused(offline: Client) -> None:
    with pytest.raises(InvalidContent, match="does not know the option"):
        offline.publish(photo_draft(options={"spoiler": True}))
