"""Instagram's reads, conversation and insights on the wire, through both drivers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
import respx

from socialkit.client import Client
from socialkit.errors import InvalidContent, Unsupported
from socialkit.models import Comment, Mention, Post
from socialkit.platform import Capability
from socialkit.providers.instagram import fields
from socialkit.testing.contract import NoNetwork

from ..meta.meta_support import Driver, form, query, sent
from .instagram_support import GRAPH, IG_GRAPH, MEDIA, USER, fixture, make


def test_me_reads_the_ig_user(driver: Driver, api: respx.MockRouter) -> None:
    route = api.get(f"{GRAPH}/{USER}").respond(200, json=fixture("user"))
    account = driver("me")
    assert query(sent(route))["fields"] == fields.USER
    assert (account.handle, account.followers) == ("brandcoffee", 8200)
    assert account.url == "https://www.instagram.com/brandcoffee/"


def test_instagram_login_uses_graph_instagram_com(kind: str, api: respx.MockRouter) -> None:
    route = api.get(f"{IG_GRAPH}/{USER}").respond(200, json=fixture("user"))
    Driver(kind, make(login="instagram"))("me")
    assert sent(route).url.host == "graph.instagram.com"


def test_get_post_reads_the_media(driver: Driver, api: respx.MockRouter) -> None:
    route = api.get(f"{GRAPH}/{MEDIA}").respond(200, json=fixture("media"))
    post = driver("get_post", MEDIA)
    assert query(sent(route))["fields"] == fields.MEDIA
    assert (post.text, post.url) == (
        "Spring blend is here ☕ #coffee",
        "https://www.instagram.com/p/C4xYzAbCdEf/",
    )
    assert post.metrics == {"likes": 120, "comments": 8}
    assert post.author is not None
    assert (post.author.id, post.author.handle) == (USER, "brandcoffee")
    assert post.created_at == datetime(2026, 3, 1, 10, tzinfo=UTC)


def test_posts_list_the_media_with_carousel_children(driver: Driver, api: respx.MockRouter) -> None:
    route = api.get(f"{GRAPH}/{USER}/media")
    last = {"data": [], "paging": {"cursors": {"before": "X"}}}
    route.side_effect = [
        httpx.Response(200, json=fixture("media_list")),
        httpx.Response(200, json=last),
    ]
    posts = driver.items("posts")
    assert [p.id for p in posts] == ["17895695668004550", "17895695668004551"]
    assert [m.kind for m in posts[1].media] == ["image", "video"]
    assert query(sent(route, 1))["after"] == "QVFIUkx2"


def test_comments_come_with_their_replies(driver: Driver, api: respx.MockRouter) -> None:
    route = api.get(f"{GRAPH}/{MEDIA}/comments").respond(200, json=fixture("comments"))
    comments = driver.items("comments", MEDIA)
    assert query(sent(route))["fields"] == fields.COMMENTS
    assert [(c.id, c.reply_to_id, c.hidden) for c in comments] == [
        ("17870913679156914", MEDIA, False),
        ("17873440459141021", "17870913679156914", False),
        ("17870913679156915", MEDIA, True),
    ]
    assert comments[0].author is not None
    assert comments[0].author.handle == "ana.lima"


def test_reply_to_media_is_a_top_level_comment(driver: Driver, api: respx.MockRouter) -> None:
    route = api.post(f"{GRAPH}/{MEDIA}/comments").respond(200, json={"id": "17870000000000001"})
    comment = driver("reply", Post(platform="instagram", id=MEDIA), "Thanks everyone!")
    assert form(sent(route)) == {"message": "Thanks everyone!"}
    assert (comment.thread_root_id, comment.reply_to_id) == (MEDIA, MEDIA)


def test_reply_to_a_comment_uses_its_replies_edge(driver: Driver, api: respx.MockRouter) -> None:
    parent = Comment(
        platform="instagram", id="17870913679156914", thread_root_id=MEDIA, reply_to_id=MEDIA
    )
    route = api.post(f"{GRAPH}/17870913679156914/replies").respond(200, json={"id": "1787"})
    comment = driver("reply", parent, "@ana.lima glad you like it")
    assert form(sent(route)) == {"message": "@ana.lima glad you like it"}
    assert (comment.thread_root_id, comment.reply_to_id) == (MEDIA, "17870913679156914")


def test_reply_to_a_reply_answers_its_top_level_comment(
    driver: Driver, api: respx.MockRouter
) -> None:
    nested = Comment(
        platform="instagram",
        id="17873440459141021",
        thread_root_id=MEDIA,
        reply_to_id="17870913679156914",
    )
    route = api.post(f"{GRAPH}/17870913679156914/replies").respond(200, json={"id": "1788"})
    driver("reply", nested, "see above")
    assert route.call_count == 1


def test_reply_to_a_tag_is_unsupported_before_any_request(
    driver: Driver, api: respx.MockRouter
) -> None:
    tag = Mention(
        platform="instagram", id="18000000000000002", kind="tag", post_id="18000000000000002"
    )
    with pytest.raises(Unsupported, match="tagged in") as raised:
        driver("reply", tag, "Thanks for the visit!")
    assert raised.value.capability == "reply"
    assert api.calls.call_count == 0


def test_reply_to_a_caption_mention_sends_the_media_id(
    driver: Driver, api: respx.MockRouter
) -> None:
    mention = Mention(
        platform="instagram", id="17920112008063024", kind="mention", post_id="17920112008063024"
    )
    route = api.post(f"{GRAPH}/{USER}/mentions").respond(200, json={"id": "17870000000000005"})
    comment = driver("reply", mention, "Thanks for the dinosaur!")
    assert form(sent(route)) == {
        "message": "Thanks for the dinosaur!",
        "media_id": "17920112008063024",
    }
    assert (comment.id, comment.reply_to_id, comment.thread_root_id) == (
        "17870000000000005", "17920112008063024", "17920112008063024"
    )


def test_reply_to_a_comment_mention_sends_the_media_and_comment_ids(
    driver: Driver, api: respx.MockRouter
) -> None:
    mention = Mention(
        platform="instagram", id="17873440459141021", kind="mention", post_id="17920112008063024"
    )
    route = api.post(f"{GRAPH}/{USER}/mentions").respond(200, json={"id": "17870000000000006"})
    comment = driver("reply", mention, "Glad you liked it")
    assert form(sent(route)) == {
        "message": "Glad you liked it",
        "media_id": "17920112008063024",
        "comment_id": "17873440459141021",
    }
    ids = (comment.reply_to_id, comment.thread_root_id)
    assert ids == ("17873440459141021", "17920112008063024")


def test_a_caption_mention_is_read_from_the_webhooks_media_id(
    driver: Driver, api: respx.MockRouter
) -> None:
    route = api.get(f"{GRAPH}/{USER}").respond(
        200,
        json={
            "mentioned_media": {
                "id": "17920112008063024",
                "caption": "Best coffee in town @brandcoffee",
                "media_type": "IMAGE",
                "media_url": "https://scontent.cdninstagram.com/v/t51.29350-15/cup.jpg",
                "timestamp": "2026-03-04T09:00:00+0000",
                "username": "ana.lima",
                "like_count": 12,
                "comments_count": 1,
            },
            "id": USER,
        },
    )
    mention = driver.run(driver.platform.mentioned("17920112008063024"))
    assert query(sent(route))["fields"] == (
        f"mentioned_media.media_id(17920112008063024){{{fields.MENTIONED_MEDIA}}}"
    )
    assert (mention.id, mention.kind, mention.post_id, mention.author.handle) == (
        "17920112008063024", "mention", "17920112008063024", "ana.lima"
    )
    assert mention.text == "Best coffee in town @brandcoffee"


def test_a_comment_mention_is_read_from_the_webhooks_comment_id(
    driver: Driver, api: respx.MockRouter
) -> None:
    route = api.get(f"{GRAPH}/{USER}").respond(
        200,
        json={
            "mentioned_comment": {
                "id": "17873440459141021",
                "text": "@brandcoffee do you ship?",
                "timestamp": "2026-03-04T10:00:00+0000",
                "like_count": 0,
                "media": {"id": "17920112008063024"},
            },
            "id": USER,
        },
    )
    mention = driver.run(driver.platform.mentioned("17920112008063024", "17873440459141021"))
    assert query(sent(route))["fields"] == (
        f"mentioned_comment.comment_id(17873440459141021){{{fields.MENTIONED_COMMENT}}}"
    )
    assert (mention.id, mention.kind, mention.post_id, mention.thread_root_id) == (
        "17873440459141021", "mention", "17873440459141021", "17920112008063024"
    )
    assert mention.text == "@brandcoffee do you ship?"
    assert mention.created_at == datetime(2026, 3, 4, 10, tzinfo=UTC)


@pytest.mark.parametrize(("hidden", "value"), [(True, "true"), (False, "false")])
def test_hide_comment_posts_hide(
    driver: Driver, api: respx.MockRouter, hidden: bool, value: str
) -> None:
    route = api.post(f"{GRAPH}/17870913679156915").respond(200, json={"success": True})
    driver("hide_comment", "17870913679156915", hidden)
    assert form(sent(route)) == {"hide": value}


def test_delete_comment(driver: Driver, api: respx.MockRouter) -> None:
    route = api.delete(f"{GRAPH}/17870913679156915").respond(200, json={"success": True})
    driver("delete_comment", "17870913679156915")
    assert route.call_count == 1


def test_delete_post_with_facebook_login(driver: Driver, api: respx.MockRouter) -> None:
    route = api.delete(f"{GRAPH}/{MEDIA}").respond(200, json={"success": True})
    driver("delete_post", MEDIA)
    assert sent(route).method == "DELETE"


def test_instagram_login_cannot_delete_or_search_and_says_why() -> None:
    offline = Client(make(login="instagram"), transport=NoNetwork())
    assert {Capability.DELETE, Capability.SEARCH}.isdisjoint(offline.capabilities)
    with pytest.raises(Unsupported, match="Facebook Login"):
        offline.delete_post(MEDIA)
    with pytest.raises(Unsupported, match="Facebook Login"):
        offline.search("coffee")


def test_mentions_are_media_the_account_is_tagged_in(driver: Driver, api: respx.MockRouter) -> None:
    route = api.get(f"{GRAPH}/{USER}/tags").respond(200, json=fixture("tags"))
    mentions = driver.items("mentions", since_id="18000000000000001")
    assert query(sent(route))["fields"] == fields.TAGGED
    assert [(m.id, m.kind, m.author.handle) for m in mentions] == [
        ("18000000000000002", "tag", "ana.lima")
    ]
    assert isinstance(mentions[0], Mention)


def test_search_finds_the_hashtag_then_its_recent_media(
    driver: Driver, api: respx.MockRouter
) -> None:
    lookup = api.get(f"{GRAPH}/ig_hashtag_search").respond(200, json=fixture("hashtag_search"))
    recent = api.get(f"{GRAPH}/17843857450040591/recent_media")
    recent.side_effect = [
        httpx.Response(200, json=fixture("recent_media")),
        httpx.Response(200, json={"data": []}),
    ]
    posts = driver.items("search", "#coffee")
    assert query(sent(lookup)) == {"user_id": USER, "q": "coffee"}
    first, second = query(sent(recent, 0)), query(sent(recent, 1))
    assert (first["user_id"], first["fields"]) == (USER, fields.HASHTAG_MEDIA)
    assert second["after"] == "R2"
    assert lookup.call_count == 1
    assert [p.id for p in posts] == ["18011111111111111"]
    assert posts[0].author is None


def test_account_metrics_over_30_days_come_in_30_day_windows(
    driver: Driver, api: respx.MockRouter
) -> None:
    insights = api.get(f"{GRAPH}/{USER}/insights")
    insights.side_effect = [
        httpx.Response(200, json={"data": []}),
        httpx.Response(200, json={"data": []}),
        httpx.Response(200, json=fixture("account_totals")),
        httpx.Response(200, json=fixture("account_totals")),
    ]
    api.get(f"{GRAPH}/{USER}").respond(200, json={"id": USER, "followers_count": 1})
    since = datetime(2026, 1, 1, tzinfo=UTC)
    middle, until = since + timedelta(days=30), since + timedelta(days=45)
    found = driver("account_metrics", since, until)
    sent_spans = [
        (query(sent(insights, i))["since"], query(sent(insights, i)).get("metric_type"))
        for i in range(4)
    ]
    stamp = lambda moment: str(int(moment.timestamp()))  # noqa: E731
    assert sent_spans == [
        (stamp(since), None), (stamp(middle), None),
        (stamp(since), "total_value"), (stamp(middle), "total_value"),
    ]
    assert query(sent(insights, 1))["until"] == stamp(until)
    views = [(m.start, m.end, m.value) for m in found if m.name == "views"]
    assert views == [(since, middle, 5400), (middle, until, 5400)]


def test_search_reads_the_items_of_a_carousel(driver: Driver, api: respx.MockRouter) -> None:
    api.get(f"{GRAPH}/ig_hashtag_search").respond(200, json=fixture("hashtag_search"))
    recent = api.get(f"{GRAPH}/17843857450040591/recent_media").respond(
        200,
        json={
            "data": [
                {
                    "id": "18022222222222222",
                    "caption": "Two cups #coffee",
                    "media_type": "CAROUSEL_ALBUM",
                    "permalink": "https://www.instagram.com/p/C6two/",
                    "timestamp": "2026-03-03T08:00:00+0000",
                    "children": {
                        "data": [
                            {"media_type": "IMAGE", "media_url": "https://cdn.example/1.jpg",
                             "id": "18033333333333331"},
                            {"media_type": "VIDEO", "media_url": "https://cdn.example/2.mp4",
                             "id": "18033333333333332"},
                        ]
                    },
                }
            ]
        },
    )
    posts = driver.items("search", "coffee")
    assert "children{media_url,media_type}" in query(sent(recent))["fields"]
    assert [(m.kind, m.url) for m in posts[0].media] == [
        ("image", "https://cdn.example/1.jpg"), ("video", "https://cdn.example/2.mp4")
    ]


def test_search_of_an_unknown_hashtag_is_empty(driver: Driver, api: respx.MockRouter) -> None:
    api.get(f"{GRAPH}/ig_hashtag_search").respond(200, json={"data": []})
    assert driver.items("search", "nosuchtag") == []


def test_search_refuses_more_than_one_hashtag_before_io() -> None:
    with pytest.raises(InvalidContent):
        Client(make(), transport=NoNetwork()).search("coffee beans")


def test_post_metrics_read_media_insights(driver: Driver, api: respx.MockRouter) -> None:
    route = api.get(f"{GRAPH}/{MEDIA}/insights").respond(200, json=fixture("media_insights"))
    found = {m.name: m.value for m in driver("post_metrics", MEDIA)}
    assert query(sent(route))["metric"] == (
        "reach,likes,comments,shares,saved,views,total_interactions"
    )
    assert found == {
        "reach": 1800,
        "likes": 120,
        "comments": 8,
        "shares": 14,
        "saves": 33,
        "views": 2600,
        "engagements": 175,
    }


def test_account_metrics_read_series_totals_and_a_snapshot(
    driver: Driver, api: respx.MockRouter
) -> None:
    insights = api.get(f"{GRAPH}/{USER}/insights")
    insights.side_effect = [
        httpx.Response(200, json=fixture("account_series")),
        httpx.Response(200, json=fixture("account_totals")),
    ]
    snapshot = api.get(f"{GRAPH}/{USER}").respond(
        200, json={"followers_count": 8200, "follows_count": 150, "media_count": 312, "id": USER}
    )
    since, until = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 3, tzinfo=UTC)
    found = driver("account_metrics", since, until)
    series, totals = query(sent(insights, 0)), query(sent(insights, 1))
    assert (series["metric"], series["period"], series["since"], series["until"]) == (
        "reach,follower_count",
        "day",
        str(int(since.timestamp())),
        str(int(until.timestamp())),
    )
    assert "metric_type" not in series
    assert (totals["metric"], totals["metric_type"]) == (
        "views,profile_views,accounts_engaged,total_interactions",
        "total_value",
    )
    assert query(sent(snapshot))["fields"] == "followers_count,follows_count,media_count"
    values = {(m.name, m.end): m.value for m in found}
    assert values[("new_followers", datetime(2026, 3, 3, 8, tzinfo=UTC))] == 9
    assert values[("profile_views", until)] == 310
    assert values[("followers", None)] == 8200
