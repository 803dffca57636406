"""Threads reads, moderation, search and insights on the wire, through both drivers."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import httpx
import pytest
import respx

from socialkit.providers.threads import fields

from ..meta.meta_support import Driver, form, query, sent
from .threads_support import API, POST, USER, fixture


def test_me_reads_the_profile(driver: Driver, api: respx.MockRouter) -> None:
    route = api.get(f"{API}/{USER}").respond(200, json=fixture("profile"))
    account = driver("me")
    assert query(sent(route)) == {"fields": fields.PROFILE}
    assert (account.handle, account.display_name) == ("brandcoffee", "Brand Coffee")
    assert account.url == "https://www.threads.com/@brandcoffee"


def test_get_post(driver: Driver, api: respx.MockRouter) -> None:
    route = api.get(f"{API}/{POST}").respond(200, json=fixture("post"))
    post = driver("get_post", POST)
    assert query(sent(route))["fields"] == fields.POST
    assert (post.text, post.url) == (
        "Spring blend drops Friday ☕",
        "https://www.threads.com/@brandcoffee/post/DCkkKl_OGb1",
    )
    assert post.author is not None
    assert (post.author.id, post.author.handle) == (USER, "brandcoffee")
    assert post.created_at == datetime(2026, 3, 1, 10, tzinfo=UTC)


def test_posts_page_with_the_after_cursor(driver: Driver, api: respx.MockRouter) -> None:
    route = api.get(f"{API}/{USER}/threads")
    route.side_effect = [
        httpx.Response(200, json=fixture("threads")),
        httpx.Response(200, json={"data": [], "paging": {"cursors": {"before": "x"}}}),
    ]
    posts = driver.items("posts")
    assert [p.id for p in posts] == [POST, "18050206876707111"]
    assert [m.kind for m in posts[1].media] == ["image", "video"]
    assert query(sent(route, 0))["limit"] == "25"
    assert query(sent(route, 1))["after"] == "QVFIUjNb"


def test_comments_are_the_conversation_with_parents(driver: Driver, api: respx.MockRouter) -> None:
    route = api.get(f"{API}/{POST}/conversation").respond(200, json=fixture("conversation"))
    comments = driver.items("comments", POST)
    params = query(sent(route))
    assert (params["fields"], params["reverse"]) == (fields.REPLY, "false")
    assert [(c.id, c.reply_to_id, c.hidden) for c in comments] == [
        ("18060000000000001", POST, False),
        ("18060000000000002", "18060000000000001", False),
        ("18060000000000003", POST, True),
    ]


@pytest.mark.parametrize(("hidden", "value"), [(True, "true"), (False, "false")])
def test_hide_comment_manages_the_reply(
    driver: Driver, api: respx.MockRouter, hidden: bool, value: str
) -> None:
    route = api.post(f"{API}/18060000000000003/manage_reply").respond(200, json={"success": True})
    driver("hide_comment", "18060000000000003", hidden)
    assert form(sent(route)) == {"hide": value}


def test_delete_post(driver: Driver, api: respx.MockRouter) -> None:
    route = api.delete(f"{API}/{POST}").respond(200, json={"success": True, "deleted_id": POST})
    driver("delete_post", POST)
    assert sent(route).method == "DELETE"


def test_delete_comment_deletes_the_own_reply(driver: Driver, api: respx.MockRouter) -> None:
    route = api.delete(f"{API}/18060000000000002").respond(200, json={"success": True})
    driver("delete_comment", "18060000000000002")
    assert route.call_count == 1


def test_repost(driver: Driver, api: respx.MockRouter) -> None:
    route = api.post(f"{API}/{POST}/repost").respond(200, json={"id": "18090000000000001"})
    driver("repost", POST)
    assert sent(route).content == b""


def test_mentions_stop_at_the_known_one_and_mark_quotes(
    driver: Driver, api: respx.MockRouter
) -> None:
    route = api.get(f"{API}/{USER}/mentions").respond(200, json=fixture("mentions"))
    mentions = driver.items("mentions", since_id="18070000000000001")
    assert query(sent(route))["fields"] == fields.POST
    assert [(m.id, m.kind, m.author.handle) for m in mentions] == [
        ("18070000000000002", "quote", "ben.okafor")
    ]


def test_search_is_a_recent_keyword_search(driver: Driver, api: respx.MockRouter) -> None:
    route = api.get(f"{API}/keyword_search").respond(200, json=fixture("keyword_search"))
    posts = driver.items("search", "cold brew")
    params = query(sent(route))
    assert (params["q"], params["search_type"], params["fields"]) == (
        "cold brew",
        "RECENT",
        fields.POST,
    )
    assert [p.id for p in posts] == ["18080000000000001"]


def test_post_metrics_name_reposts_shares_and_shares_sends(
    driver: Driver, api: respx.MockRouter
) -> None:
    route = api.get(f"{API}/{POST}/insights").respond(200, json=fixture("post_insights"))
    found = {m.name: (m.value, m.native_name) for m in driver("post_metrics", POST)}
    assert query(sent(route))["metric"] == "views,likes,replies,reposts,quotes,shares"
    assert found == {
        "views": (2400, "views"),
        "likes": (96, "likes"),
        "comments": (12, "replies"),
        "shares": (7, "reposts"),
        "quotes": (3, "quotes"),
        "sends": (5, "shares"),
    }


def test_account_metrics_before_april_2024_start_at_1712991600(
    driver: Driver, api: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    route = api.get(f"{API}/{USER}/threads_insights").respond(200, json=fixture("account_insights"))
    until = datetime(2024, 6, 1, tzinfo=UTC)
    with caplog.at_level(logging.WARNING, logger="socialkit"):
        found = driver("account_metrics", datetime(2024, 1, 1, tzinfo=UTC), until)
    assert (query(sent(route))["since"], query(sent(route))["until"]) == (
        "1712991600", str(int(until.timestamp()))
    )
    likes = next(m for m in found if m.name == "likes")
    assert likes.start == datetime.fromtimestamp(1712991600, UTC)
    assert "threads insights start no earlier than 2024-04-13" in caplog.text


def test_account_metrics_ending_before_april_2024_read_nothing(
    driver: Driver, api: respx.MockRouter
) -> None:
    found = driver(
        "account_metrics", datetime(2024, 1, 1, tzinfo=UTC), datetime(2024, 3, 1, tzinfo=UTC)
    )
    assert found == []
    assert api.calls.call_count == 0


def test_account_metrics_read_threads_insights(driver: Driver, api: respx.MockRouter) -> None:
    route = api.get(f"{API}/{USER}/threads_insights").respond(200, json=fixture("account_insights"))
    since, until = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 3, tzinfo=UTC)
    found = driver("account_metrics", since, until)
    params = query(sent(route))
    assert params["metric"] == "views,likes,replies,reposts,quotes,clicks,followers_count"
    assert (params["since"], params["until"]) == (
        str(int(since.timestamp())),
        str(int(until.timestamp())),
    )
    values = {(m.name, m.end): m.value for m in found}
    assert values[("profile_views", datetime(2026, 3, 3, 7, tzinfo=UTC))] == 171
    assert values[("clicks", until)] == 42
    assert values[("followers", until)] == 2750
