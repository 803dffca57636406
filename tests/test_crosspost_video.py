"""A YouTube video with its Reddit link post: the link is known only after the upload."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs

import pytest
import respx

import socialkit as sk
from socialkit.crosspost import After, DependencyFailed, acrosspost, crosspost
from socialkit.providers.youtube import QUOTAS
from tests.providers.reddit.reddit_support import FakeReddit
from tests.providers.reddit.reddit_support import make_platform as reddit
from tests.providers.youtube.youtube_support import FakeYouTube, google_error
from tests.providers.youtube.youtube_support import make_platform as youtube

FAST = sk.RetryPolicy(backoff=0.0, max_backoff=0.0)
FILM = sk.MediaUpload(data=b"\0\0\0\x18ftypmp42 launch film" * 100, filename="launch.mp4")
LAUNCH = sk.Draft(text="Our launch film\nWhat we built this year.", media=(FILM,))
VARIANTS = {"reddit": After.link("youtube", "Our launch film is out", flair_id="f1")}


@pytest.fixture(autouse=True)
def _fresh_quota() -> Iterator[None]:
    QUOTAS.clear()
    yield
    QUOTAS.clear()


def _submits(router: respx.MockRouter) -> list[dict[str, list[str]]]:
    return [parse_qs(call.request.content.decode()) for call in router.calls
            if call.request.url.path == "/api/submit"]


def _mount(router: respx.MockRouter, yt: FakeYouTube, rd: FakeReddit) -> None:
    router.route(host="www.googleapis.com").mock(side_effect=yt.handle)
    router.route(host="oauth.reddit.com").mock(side_effect=rd.handle)


def test_the_reddit_link_post_carries_the_uploaded_video_watch_url() -> None:
    yt, rd = FakeYouTube(), FakeReddit()
    with respx.mock(assert_all_called=False) as router:
        _mount(router, yt, rd)
        clients = {"youtube": sk.Client(youtube(), retry=FAST),
                   "reddit": sk.Client(reddit(), retry=FAST)}
        result = crosspost(LAUNCH, clients, variants=VARIANTS)
        submits = _submits(router)
    assert result.ok, str(result)
    video = result["youtube"].post
    assert video is not None
    assert video.id in yt.videos
    assert submits == [{
        "api_type": ["json"], "sr": ["brand"], "title": ["Our launch film is out"],
        "sendreplies": ["true"], "nsfw": ["false"], "spoiler": ["false"], "flair_id": ["f1"],
        "kind": ["link"], "url": [f"https://www.youtube.com/watch?v={video.id}"],
        "resubmit": ["true"],
    }]
    assert result["reddit"].post is not None


def test_a_failed_upload_leaves_reddit_unposted_and_says_why() -> None:
    yt, rd = FakeYouTube(), FakeReddit()
    with respx.mock(assert_all_called=False) as router:
        router.post(url__startswith="https://www.googleapis.com/upload/youtube/v3/videos").mock(
            return_value=google_error(403, "uploadLimitExceeded", "The user has exceeded the "
                                      "number of videos they may upload."))
        _mount(router, yt, rd)
        clients = {"youtube": sk.Client(youtube(), retry=FAST),
                   "reddit": sk.Client(reddit(), retry=FAST)}
        result = crosspost(LAUNCH, clients, variants=VARIANTS)
        submits = _submits(router)
    assert submits == []
    assert not result["youtube"].ok
    error = result["reddit"].error
    assert isinstance(error, DependencyFailed)
    assert "youtube" in str(error)
    assert "RateLimited" in str(error)
    assert result["reddit"].posts == ()


@pytest.mark.anyio
async def test_the_async_crosspost_waits_for_the_video_too() -> None:
    yt, rd = FakeYouTube(), FakeReddit()
    with respx.mock(assert_all_called=False) as router:
        _mount(router, yt, rd)
        async with sk.AsyncClient(youtube(), retry=FAST) as a, \
                sk.AsyncClient(reddit(), retry=FAST) as b:
            result = await acrosspost(LAUNCH, {"youtube": a, "reddit": b}, variants=VARIANTS)
        submits = _submits(router)
    assert result.ok, str(result)
    video = result["youtube"].post
    assert video is not None
    assert submits[0]["url"] == [f"https://www.youtube.com/watch?v={video.id}"]


def test_the_plan_says_reddit_waits_for_the_video() -> None:
    clients = {"youtube": sk.Client(youtube()), "reddit": sk.Client(reddit())}
    the_plan = crosspost(LAUNCH, clients, variants=VARIANTS, dry_run=True)
    assert the_plan["reddit"].action == "after"
    assert the_plan["reddit"].waits_for == "youtube"
    assert "after youtube's post" in str(the_plan)
    assert "built from youtube&#x27;s post" in the_plan._repr_html_()


def test_a_build_that_raises_is_reported_for_its_target_only() -> None:
    yt, rd = FakeYouTube(), FakeReddit()

    def broken(post: sk.Post) -> sk.Draft:
        raise KeyError("title")

    with respx.mock(assert_all_called=False) as router:
        _mount(router, yt, rd)
        clients = {"youtube": sk.Client(youtube(), retry=FAST),
                   "reddit": sk.Client(reddit(), retry=FAST)}
        result = crosspost(LAUNCH, clients, variants={"reddit": After("youtube", broken)})
        submits = _submits(router)
    assert result["youtube"].ok
    assert isinstance(result["reddit"].error, KeyError)
    assert submits == []


def test_waiting_for_a_target_that_is_not_there_is_refused() -> None:
    with pytest.raises(ValueError, match="not another target"):
        crosspost(LAUNCH, {"reddit": sk.Client(reddit())}, variants=VARIANTS, dry_run=True)


def test_targets_waiting_for_each_other_are_refused() -> None:
    clients = {"a": sk.Client(reddit()), "b": sk.Client(reddit())}
    circle = {"a": After.link("b", "x"), "b": After.link("a", "y")}
    with pytest.raises(ValueError, match="circle"):
        crosspost("hi", clients, variants=circle, dry_run=True)


def test_a_post_without_url_cannot_be_linked() -> None:
    post = sk.Post(platform="youtube", id="v1")
    with pytest.raises(sk.InvalidContent, match="no URL"):
        After.link("youtube", "t").build(post)


