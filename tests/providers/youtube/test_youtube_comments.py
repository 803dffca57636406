"""Comments: threads with their replies (more fetched by ``comments.list``), replying,
moderation and deletion."""

from __future__ import annotations

import copy
import json

import pytest

import socialkit as sk
from socialkit.testing.driver import Driver

from .youtube_support import FakeYouTube, load

VIDEO_ID = "Ks-_Mh1QhMc"
THREAD_ID = "UgzDE2tasfmrYLyNkGt4AaABAg"


def sent(fake: FakeYouTube, method: str, path: str) -> list[dict[str, str]]:
    return [dict(r.url.params) for r in fake.requests
            if r.method == method and r.url.path == path]


def reply(n: int) -> dict[str, object]:
    body = copy.deepcopy(load("comment_thread")["replies"]["comments"][0])
    body["id"] = f"{THREAD_ID}.extra{n}"
    body["snippet"]["textOriginal"] = f"extra {n}"
    del body["snippet"]["videoId"]
    return body


def test_comments_list_threads_with_their_included_replies(
    yt: Driver, fake: FakeYouTube
) -> None:
    fake.add_thread(load("comment_thread"))
    comments = yt.items("comments", VIDEO_ID)
    assert sent(fake, "GET", "/youtube/v3/commentThreads") == [{
        "part": "snippet,replies", "videoId": VIDEO_ID, "textFormat": "plainText",
        "maxResults": "100"}]
    assert sent(fake, "GET", "/youtube/v3/comments") == []
    top, answer = comments
    assert (top.id, top.thread_root_id, top.reply_to_id, top.text) == (
        THREAD_ID, VIDEO_ID, VIDEO_ID, "Great video!")
    assert top.author is not None
    assert top.author.id == "UCviewer0000000000000000"
    assert top.url == f"https://www.youtube.com/watch?v={VIDEO_ID}&lc={THREAD_ID}"
    assert (answer.reply_to_id, answer.thread_root_id) == (THREAD_ID, VIDEO_ID)


def test_replies_beyond_those_included_come_from_comments_list(
    yt: Driver, fake: FakeYouTube
) -> None:
    thread = load("comment_thread")
    thread["snippet"]["totalReplyCount"] = 3
    fake.add_thread(thread, extra=[reply(1), reply(2)])
    comments = yt.items("comments", VIDEO_ID)
    assert sent(fake, "GET", "/youtube/v3/comments") == [{
        "part": "snippet", "parentId": THREAD_ID, "textFormat": "plainText",
        "maxResults": "100"}]
    assert [c.text for c in comments] == ["Great video!", "Thank you!", "extra 1", "extra 2"]
    assert all(c.thread_root_id == VIDEO_ID for c in comments)
    assert [c.reply_to_id for c in comments[1:]] == [THREAD_ID] * 3


def test_reply_to_a_video_starts_a_thread(yt: Driver, fake: FakeYouTube) -> None:
    post = yt.get_post(VIDEO_ID)
    comment = yt.reply(post, "Thanks for watching")
    request = next(r for r in fake.requests if r.method == "POST")
    assert request.url.path == "/youtube/v3/commentThreads"
    assert dict(request.url.params) == {"part": "snippet"}
    assert json.loads(request.content) == {"snippet": {
        "channelId": "UC_x5XG1OV2P6uZZ5FSM9Ttw",
        "videoId": VIDEO_ID,
        "topLevelComment": {"snippet": {"textOriginal": "Thanks for watching"}},
    }}
    assert (comment.thread_root_id, comment.reply_to_id) == (VIDEO_ID, VIDEO_ID)
    assert comment.id in [c.id for c in yt.items("comments", VIDEO_ID)]


def test_reply_to_a_video_id_string_reads_its_channel_first(
    yt: Driver, fake: FakeYouTube
) -> None:
    yt.reply(VIDEO_ID, "By id")
    assert sent(fake, "GET", "/youtube/v3/videos") == [{"part": "snippet", "id": VIDEO_ID}]
    request = next(r for r in fake.requests if r.method == "POST")
    assert request.url.path == "/youtube/v3/commentThreads"
    assert json.loads(request.content)["snippet"]["channelId"] == "UC_x5XG1OV2P6uZZ5FSM9Ttw"


def test_reply_to_a_comment_sets_its_parent(yt: Driver, fake: FakeYouTube) -> None:
    fake.add_thread(load("comment_thread"))
    top = yt.items("comments", VIDEO_ID)[0]
    answer = yt.reply(top, "Glad you liked it")
    request = next(r for r in fake.requests if r.method == "POST")
    assert request.url.path == "/youtube/v3/comments"
    assert dict(request.url.params) == {"part": "snippet"}
    assert json.loads(request.content) == {"snippet": {
        "parentId": THREAD_ID, "textOriginal": "Glad you liked it"}}
    assert (answer.reply_to_id, answer.thread_root_id) == (THREAD_ID, VIDEO_ID)


def test_an_answer_to_a_reply_goes_to_its_thread(yt: Driver, fake: FakeYouTube) -> None:
    fake.add_thread(load("comment_thread"))
    nested = yt.items("comments", VIDEO_ID)[1]
    yt.reply(nested, "Threads are one level deep")
    request = next(r for r in fake.requests if r.method == "POST")
    assert json.loads(request.content)["snippet"]["parentId"] == THREAD_ID


def test_reply_to_a_comment_id_string(yt: Driver, fake: FakeYouTube) -> None:
    fake.add_thread(load("comment_thread"))
    created = yt.reply(THREAD_ID, "By comment id")
    request = next(r for r in fake.requests if r.method == "POST")
    assert request.url.path == "/youtube/v3/comments"
    # the answer names no video: its thread does
    assert created.thread_root_id == load("comment_thread")["snippet"]["videoId"]
    assert fake.requests[-1].url.params["id"] == THREAD_ID


@pytest.mark.parametrize(("hidden", "status"), [(True, "rejected"), (False, "published")])
def test_hide_comment_rejects_and_unhide_publishes(
    yt: Driver, fake: FakeYouTube, hidden: bool, status: str
) -> None:
    yt.hide_comment(THREAD_ID, hidden=hidden)
    assert sent(fake, "POST", "/youtube/v3/comments/setModerationStatus") == [
        {"id": THREAD_ID, "moderationStatus": status}]


def test_moderate_holds_or_rejects_and_bans(yt: Driver, fake: FakeYouTube) -> None:
    platform = yt.platform
    yt.run(platform.moderate_comment(THREAD_ID, "heldForReview"))  # type: ignore[attr-defined]
    yt.run(platform.moderate_comment(THREAD_ID, "rejected", ban_author=True))  # type: ignore[attr-defined]
    assert sent(fake, "POST", "/youtube/v3/comments/setModerationStatus") == [
        {"id": THREAD_ID, "moderationStatus": "heldForReview"},
        {"id": THREAD_ID, "moderationStatus": "rejected", "banAuthor": "true"},
    ]


@pytest.mark.parametrize(("status", "ban"), [("spam", False), ("published", True)])
def test_bad_moderation_is_refused_before_io(
    yt: Driver, fake: FakeYouTube, status: str, ban: bool
) -> None:
    with pytest.raises(sk.InvalidContent):
        yt.run(yt.platform.moderate_comment(THREAD_ID, status, ban_author=ban))  # type: ignore[attr-defined]
    assert fake.requests == []


def test_delete_own_comment(yt: Driver, fake: FakeYouTube) -> None:
    own = yt.reply(VIDEO_ID, "Mine")
    yt.delete_comment(own.id)
    assert sent(fake, "DELETE", "/youtube/v3/comments") == [{"id": own.id}]
    assert own.id not in fake.threads


def test_deleting_someone_elses_comment_is_permission_denied(
    yt: Driver, fake: FakeYouTube
) -> None:
    fake.add_thread(load("comment_thread"))
    with pytest.raises(sk.PermissionDenied):
        yt.delete_comment(THREAD_ID)


def test_held_comments_read_as_hidden(yt: Driver, fake: FakeYouTube) -> None:
    thread = load("comment_thread")
    thread["snippet"]["topLevelComment"]["snippet"]["moderationStatus"] = "heldForReview"
    fake.add_thread(thread)
    assert yt.items("comments", VIDEO_ID)[0].hidden is True
