"""Reading: posts, timelines, search, comments, mentions and the account, with fields and
expansions on the wire and authors filled from ``includes.users``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import respx

import socialkit as sk

ME = "2244994945"
TWEET = "1346889436626259968"
FIELDS = {
    "tweet.fields": "attachments,author_id,conversation_id,created_at,in_reply_to_user_id,"
    "note_tweet,public_metrics,referenced_tweets",
    "expansions": "attachments.media_keys,author_id",
    "user.fields": "name,profile_image_url,public_metrics,username",
    "media.fields": "alt_text,preview_image_url,type,url",
}


def ok(body: Callable[[str], Any], name: str) -> httpx.Response:
    return httpx.Response(200, json=body(name))


def test_get_post_asks_for_fields_and_expansions(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.get(f"/2/tweets/{TWEET}").mock(return_value=ok(body, "tweet"))
    x.get_post(TWEET)
    assert dict(route.calls.last.request.url.params) == FIELDS


def test_get_post_fills_the_author_from_includes(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(f"/2/tweets/{TWEET}").mock(return_value=ok(body, "tweet"))
    author = x.get_post(TWEET).author
    assert (author.id, author.handle, author.display_name, author.followers) == (
        ME, "TwitterDev", "X Dev", 513958
    )
    assert author.url == "https://x.com/TwitterDev"


def test_get_post_reads_text_date_counts_and_permalink(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(f"/2/tweets/{TWEET}").mock(return_value=ok(body, "tweet"))
    post = x.get_post(TWEET)
    assert post.text.startswith("Learn how to use the user Tweet timeline")
    assert post.created_at == datetime(2021, 1, 6, 18, 40, 40, tzinfo=UTC)
    assert post.metrics == {"likes": 134, "shares": 27, "comments": 6, "quotes": 3,
                            "saves": 11, "impressions": 40321}
    assert post.url == f"https://x.com/TwitterDev/status/{TWEET}"
    assert post.thread_root_id == TWEET


def test_get_post_reads_expanded_media(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(f"/2/tweets/{TWEET}").mock(return_value=ok(body, "tweet"))
    (media,) = x.get_post(TWEET).media
    assert (media.kind, media.id, media.alt_text) == (
        "image", "3_1346889435326021632", "A diagram of the timelines endpoints"
    )


def test_a_missing_post_answered_with_200_errors_is_not_found(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get("/2/tweets/1346889436626259969").mock(return_value=ok(body, "tweet_not_found"))
    with pytest.raises(sk.NotFound) as raised:
        x.get_post("1346889436626259969")
    assert raised.value.code == "resource-not-found"


def test_posts_walks_the_timeline_with_pagination_token(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.get(f"/2/users/{ME}/tweets").mock(
        side_effect=[ok(body, "user_tweets"), ok(body, "user_tweets_last")])
    posts = x.items(x.posts())
    assert [p.id for p in posts] == [TWEET, "1346501219373449216", "1346133463145328640"]
    first, second = (dict(call.request.url.params) for call in route.calls)
    assert first == {**FIELDS, "max_results": "100"}
    assert second["pagination_token"] == "7140dibdnow9c7btw3w29grvxfcgvpb9n9coehpk7xz5i"


def test_posts_reads_replies_as_replies(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(f"/2/users/{ME}/tweets").mock(
        side_effect=[ok(body, "user_tweets"), ok(body, "user_tweets_last")])
    reply = x.items(x.posts())[1]
    assert reply.reply_to_id == "1346500967551795201"
    assert reply.thread_root_id == "1346500967551795201"


def test_the_user_id_comes_from_users_me_once(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(f"/2/users/{ME}/tweets").mock(return_value=ok(body, "user_tweets_last"))
    x.items(x.posts())
    x.items(x.posts())
    assert router.routes["me"].call_count == 1


def test_the_user_id_setting_spares_the_users_me_lookup(
    connect: Any, platform_factory: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.get("/2/users/42/tweets").mock(return_value=ok(body, "user_tweets_last"))
    client = connect(platform_factory(access_token="user-token", user_id="42"))
    client.items(client.posts())
    assert route.call_count == 1
    assert router.routes["me"].call_count == 0


def test_posts_of_a_handle_looks_the_handle_up(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    lookup = router.get("/2/users/by/username/X").mock(return_value=ok(body, "user_by_username"))
    timeline = router.get("/2/users/783214/tweets").mock(return_value=ok(body, "empty_page"))
    assert x.items(x.posts("@X")) == []
    assert dict(lookup.calls.last.request.url.params) == {
        "user.fields": "name,profile_image_url,public_metrics,username",
    }
    assert timeline.call_count == 1


def test_search_sends_the_query_and_reads_posts(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.get("/2/tweets/search/recent").mock(return_value=ok(body, "search_recent"))
    posts = x.items(x.search("#socialkit", limit=2))
    assert dict(route.calls[0].request.url.params) == {
        **FIELDS, "query": "#socialkit", "max_results": "10",  # limit 2; recent search's least
    }
    assert [p.author.handle for p in posts] == ["TwitterDev", "XAPI"]


def test_search_next_page_uses_next_token(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.get("/2/tweets/search/recent").mock(
        side_effect=[ok(body, "search_recent"), ok(body, "empty_page")])
    assert len(x.items(x.search("#socialkit"))) == 2
    assert route.calls[1].request.url.params["next_token"] == (
        "b26v89c19zqg8o3fosbuuxkm9n5p1s3ikwc9ezazkvzp"
    )


def test_comments_search_the_conversation(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.get("/2/tweets/search/recent").mock(return_value=ok(body, "conversation"))
    comments = x.items(x.comments(TWEET))
    assert route.calls.last.request.url.params["query"] == f"conversation_id:{TWEET}"
    assert [(c.thread_root_id, c.reply_to_id) for c in comments] == [
        (TWEET, TWEET), (TWEET, "1346891234567890001"),
    ]
    assert comments[1].author.handle == "X"


def test_mentions_tell_replies_quotes_and_mentions_apart(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(f"/2/users/{ME}/mentions").mock(
        side_effect=[ok(body, "mentions"), ok(body, "empty_page")])
    mentions = x.items(x.mentions())
    assert [m.kind for m in mentions] == ["reply", "quote", "mention"]
    assert mentions[0].post_id == mentions[0].id == "1375152598945312768"


def test_mentions_since_sends_since_id_and_pages_with_pagination_token(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.get(f"/2/users/{ME}/mentions").mock(
        side_effect=[ok(body, "mentions"), ok(body, "empty_page")])
    x.items(x.mentions(since_id="1375000000000000000"))
    first, second = (dict(call.request.url.params) for call in route.calls)
    assert first == {**FIELDS, "max_results": "100", "since_id": "1375000000000000000"}
    assert second == {**first, "pagination_token": "7140dibdnow9c7btw3w3y5b6jqjnk3k4g5zkmfkvqwa42"}


def test_me_reads_the_account(x: Any, router: respx.MockRouter) -> None:
    account = x.me()
    assert (account.id, account.handle, account.followers) == (ME, "TwitterDev", 513958)
    assert router.routes["me"].calls.last.request.url.params["user.fields"] == (
        "name,profile_image_url,public_metrics,username"
    )


def test_app_only_me_reads_the_configured_user(
    connect: Any, platform_factory: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.get(f"/2/users/{ME}").mock(return_value=ok(body, "users_me"))
    account = connect(platform_factory(bearer_token="app-token", user_id=ME)).me()
    assert account.handle == "TwitterDev"
    request = route.calls.last.request
    assert request.headers["Authorization"] == "Bearer app-token"
    assert dict(request.url.params) == {
        "user.fields": "name,profile_image_url,public_metrics,username",
    }
    assert router.routes["me"].call_count == 0


def test_app_only_mentions_without_user_id_is_a_config_error_before_io(
    connect: Any, platform_factory: Any, router: respx.MockRouter
) -> None:
    client = connect(platform_factory(bearer_token="app-token"))
    with pytest.raises(sk.ConfigError) as raised:
        client.items(client.mentions())
    assert raised.value.field == "user_id"
    assert not router.calls


def test_app_only_reads_mentions_of_the_configured_user(
    connect: Any, platform_factory: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.get(f"/2/users/{ME}/mentions").mock(return_value=ok(body, "empty_page"))
    client = connect(platform_factory(bearer_token="app-token", user_id=ME))
    assert client.items(client.mentions()) == []
    assert route.calls.last.request.headers["Authorization"] == "Bearer app-token"


@pytest.mark.parametrize(
    ("operation", "args"),
    [("get_post", ("../users/me",)), ("delete_post", ("12ab",)), ("react", ("",)),
     ("post_metrics", ("1 OR 2",))],
)
def test_an_id_that_cannot_exist_on_x_is_not_found_before_io(
    x: Any, router: respx.MockRouter, operation: str, args: tuple[str, ...]
) -> None:
    with pytest.raises(sk.NotFound):
        getattr(x, operation)(*args)
    assert not router.calls


def test_a_handle_that_cannot_exist_on_x_is_not_found_before_io(
    x: Any, router: respx.MockRouter
) -> None:
    with pytest.raises(sk.NotFound):
        x.items(x.posts("@not a/handle"))
    assert not router.calls
