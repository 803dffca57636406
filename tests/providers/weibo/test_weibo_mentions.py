"""Mentions merge two timelines, de-duplicated, newest first across pages."""

from __future__ import annotations

import httpx
import respx

from .weibo_support import Driver, load


def test_mentions_merge_statuses_and_comments_newest_first(
    driver: Driver, api: respx.MockRouter
) -> None:
    statuses = api.get("/2/statuses/mentions.json")
    statuses.side_effect = [
        httpx.Response(200, json=load("statuses_mentions")),
        httpx.Response(200, json=load("statuses_mentions_2")),
    ]
    api.get("/2/comments/mentions.json").respond(200, json=load("comments_mentions"))
    mentions = driver.items("mentions")
    assert [m.id for m in mentions] == [
        "3504803800000030",  # 12:00 status
        "3504803800000020",  # 11:00 comment
        "3504803800000010",  # 09:00 status (a repost: quote)
        "3504803800000005",  # 08:00 comment
        "3504803800000001",  # 07:00 status, second page
    ]
    times = [m.created_at for m in mentions]
    assert times == sorted(times, reverse=True)


def test_the_second_page_resumes_each_timeline(driver: Driver, api: respx.MockRouter) -> None:
    statuses = api.get("/2/statuses/mentions.json")
    statuses.side_effect = [
        httpx.Response(200, json=load("statuses_mentions")),
        httpx.Response(200, json=load("statuses_mentions_2")),
    ]
    comments = api.get("/2/comments/mentions.json").respond(200, json=load("comments_mentions"))
    pages = driver.pages("mentions")
    assert len(pages) == 2
    assert statuses.calls[1].request.url.params["max_id"] == "3504803800000009"
    assert comments.call_count == 1  # exhausted on the first page


def test_a_mention_seen_twice_is_kept_once(driver: Driver, api: respx.MockRouter) -> None:
    page = load("statuses_mentions")
    page["statuses"].append(page["statuses"][0])
    page["next_cursor"] = 0
    api.get("/2/statuses/mentions.json").respond(200, json=page)
    api.get("/2/comments/mentions.json").respond(200, json={"comments": [], "next_cursor": 0})
    ids = [m.id for m in driver.items("mentions")]
    assert len(ids) == len(set(ids)) == 2


def test_kinds_and_posts_of_mentions(driver: Driver, api: respx.MockRouter) -> None:
    api.get("/2/statuses/mentions.json").respond(200, json=load("statuses_mentions_2"))
    api.get("/2/comments/mentions.json").respond(200, json=load("comments_mentions"))
    by_id = {m.id: m for m in driver.items("mentions")}
    comment = by_id["3504803800000020"]
    status = by_id["3504803800000001"]
    assert (comment.kind, comment.post_id, comment.thread_root_id) == (
        "mention", "3504803800000020", "3504803600502730"
    )
    assert (status.kind, status.post_id) == ("mention", "3504803800000001")


def test_a_repost_mentioning_the_account_is_a_quote(driver: Driver, api: respx.MockRouter) -> None:
    api.get("/2/statuses/mentions.json").respond(200, json=load("statuses_mentions"))
    api.get("/2/comments/mentions.json").respond(200, json={"comments": [], "next_cursor": 0})
    first_page = driver.pages("mentions")[0]
    assert {m.id: m.kind for m in first_page.items}["3504803800000010"] == "quote"


def test_since_is_sent_as_since_id_to_both(driver: Driver, api: respx.MockRouter) -> None:
    statuses = api.get("/2/statuses/mentions.json").respond(
        200, json={"statuses": [], "next_cursor": 0}
    )
    comments = api.get("/2/comments/mentions.json").respond(
        200, json={"comments": [], "next_cursor": 0}
    )
    assert driver.items("mentions", "3504803800000001") == []
    assert statuses.calls[0].request.url.params["since_id"] == "3504803800000001"
    assert comments.calls[0].request.url.params["since_id"] == "3504803800000001"
