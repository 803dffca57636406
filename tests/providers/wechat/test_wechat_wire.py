"""Every WeChat operation on the wire, through both drivers: method, path, query, body."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import respx

from socialkit.models import Comment, Mention

from .wechat_support import APP_ID, ARTICLE, SECRET, TOKEN, Driver, body, load


def sent(route: respx.Route, index: int = 0) -> httpx.Request:
    """A request a route got, after checking it carried the token in the query."""
    request: httpx.Request = route.calls[index].request
    assert request.url.params["access_token"] == TOKEN
    return request


def test_the_token_is_fetched_from_stable_token(driver: Driver, api: respx.MockRouter) -> None:
    api.post("/cgi-bin/freepublish/getarticle").respond(200, json=load("getarticle"))
    driver("get_post", ARTICLE)
    request = api.routes["token"].calls[0].request
    assert body(request) == {
        "grant_type": "client_credential",
        "appid": APP_ID,
        "secret": SECRET,
        "force_refresh": False,
    }
    assert "access_token" not in request.url.params


def test_get_post_reads_freepublish_getarticle(driver: Driver, api: respx.MockRouter) -> None:
    route = api.post("/cgi-bin/freepublish/getarticle").respond(200, json=load("getarticle"))
    post = driver("get_post", ARTICLE)
    assert body(sent(route)) == {"article_id": ARTICLE}
    assert post.id == ARTICLE
    assert post.text == "新品上线，限时优惠"
    assert post.url == "https://mp.weixin.qq.com/s/8yzT20EvmDg37Jso9nsIIw"
    assert post.raw is not None
    assert post.raw["title"] == "新品发布"


def test_get_post_reads_the_nth_article_of_a_publish(driver: Driver, api: respx.MockRouter) -> None:
    api.post("/cgi-bin/freepublish/getarticle").respond(200, json=load("getarticle"))
    post = driver("get_post", f"{ARTICLE}/2@2247483655")
    assert (post.id, post.text) == (f"{ARTICLE}/2@2247483655", "第二篇正文")


def test_delete_post_deletes_its_index(driver: Driver, api: respx.MockRouter) -> None:
    route = api.post("/cgi-bin/freepublish/delete").respond(200, json=load("ok"))
    driver("delete_post", f"{ARTICLE}@2247483655")
    assert body(sent(route)) == {"article_id": ARTICLE, "index": 1}


def test_posts_page_freepublish_batchget_by_offset(driver: Driver, api: respx.MockRouter) -> None:
    route = api.post("/cgi-bin/freepublish/batchget")
    route.side_effect = [
        httpx.Response(200, json=load("batchget")),
        httpx.Response(200, json=load("batchget_last")),
    ]
    posts = driver.items("posts")
    assert [p.id for p in posts] == [ARTICLE, f"{ARTICLE}/2", "ARTICLE_ID_2", "ARTICLE_ID_3"]
    assert body(sent(route, 0)) == {"offset": 0, "count": 20, "no_content": 0}
    assert body(sent(route, 1))["offset"] == 2
    assert posts[0].created_at == datetime.fromtimestamp(1650896441, UTC)


def test_comments_read_comment_list(driver: Driver, api: respx.MockRouter) -> None:
    route = api.post("/cgi-bin/comment/list").respond(200, json=load("comment_list"))
    post_id = f"{ARTICLE}@2247483655"
    comments = driver.items("comments", post_id)
    assert body(sent(route)) == {
        "msg_data_id": 2247483655,
        "index": 0,
        "begin": 0,
        "count": 49,
        "type": 0,
    }
    assert [(c.id, c.reply_to_id) for c in comments] == [
        ("2247483655_1:1001", post_id),
        ("2247483655_1:1001/reply", "2247483655_1:1001"),
        ("2247483655_1:1002", post_id),
    ]
    assert comments[0].author is not None
    assert comments[0].author.id == "oV5CrjpxgaGXNHIQigzNlgLTnwic"


def test_comments_take_datacubes_msgid(driver: Driver, api: respx.MockRouter) -> None:
    route = api.post("/cgi-bin/comment/list").respond(200, json=load("comment_list"))
    driver.items("comments", "2247483655_2")
    assert (body(sent(route))["msg_data_id"], body(sent(route))["index"]) == (2247483655, 1)


def test_reply_answers_a_comment(driver: Driver, api: respx.MockRouter) -> None:
    route = api.post("/cgi-bin/comment/reply/add").respond(200, json=load("ok"))
    target = Comment(
        platform="wechat", id="2247483655_1:1002", thread_root_id=f"{ARTICLE}@2247483655"
    )
    answer = driver("reply", target, "谢谢支持")
    assert body(sent(route)) == {
        "msg_data_id": 2247483655,
        "index": 0,
        "user_comment_id": 1002,
        "content": "谢谢支持",
    }
    assert (answer.id, answer.reply_to_id) == ("2247483655_1:1002/reply", "2247483655_1:1002")


def test_hide_comment_unfeatures_it(driver: Driver, api: respx.MockRouter) -> None:
    route = api.post("/cgi-bin/comment/unmarkelect").respond(200, json=load("ok"))
    driver("hide_comment", "2247483655_1:1001")
    assert body(sent(route)) == {"msg_data_id": 2247483655, "index": 0, "user_comment_id": 1001}


def test_unhide_comment_features_it(driver: Driver, api: respx.MockRouter) -> None:
    route = api.post("/cgi-bin/comment/markelect").respond(200, json=load("ok"))
    driver("hide_comment", "2247483655_1:1001", hidden=False)
    assert body(sent(route))["user_comment_id"] == 1001


def test_delete_comment_uses_comment_delete(driver: Driver, api: respx.MockRouter) -> None:
    route = api.post("/cgi-bin/comment/delete").respond(200, json=load("ok"))
    driver("delete_comment", "2247483655_1:1002")
    assert body(sent(route)) == {"msg_data_id": 2247483655, "index": 0, "user_comment_id": 1002}


def test_deleting_an_answer_uses_comment_reply_delete(
    driver: Driver, api: respx.MockRouter
) -> None:
    route = api.post("/cgi-bin/comment/reply/delete").respond(200, json=load("ok"))
    driver("delete_comment", "2247483655_1:1001/reply")
    assert body(sent(route))["user_comment_id"] == 1001


def test_open_comments_uses_comment_open(driver: Driver, api: respx.MockRouter) -> None:
    route = api.post("/cgi-bin/comment/open").respond(200, json=load("ok"))
    driver.run(driver.platform.open_comments(f"{ARTICLE}/2@2247483655"))
    assert body(sent(route)) == {"msg_data_id": 2247483655, "index": 1}


def test_reply_to_a_message_sends_a_customer_service_text(
    driver: Driver, api: respx.MockRouter
) -> None:
    route = api.post("/cgi-bin/message/custom/send").respond(200, json=load("ok"))
    mention = Mention(
        platform="wechat",
        id="1234567890123456",
        kind="message",
        author={"platform": "wechat", "id": "oV5CrjpxgaGXNHIQigzNlgLTnwic", "handle": "o"},
        created_at=datetime.now(UTC) - timedelta(hours=1),
    )
    comment = driver("reply", mention, "您好，已收到")
    assert body(sent(route)) == {
        "touser": "oV5CrjpxgaGXNHIQigzNlgLTnwic",
        "msgtype": "text",
        "text": {"content": "您好，已收到"},
    }
    assert comment.reply_to_id == "1234567890123456"


def test_send_message_is_a_flow(driver: Driver, api: respx.MockRouter) -> None:
    route = api.post("/cgi-bin/message/custom/send").respond(200, json=load("ok"))
    driver.run(driver.platform.send_message("oOPENID", "hello"))
    assert body(sent(route))["touser"] == "oOPENID"


def test_the_token_is_fetched_once_for_many_calls(driver: Driver, api: respx.MockRouter) -> None:
    api.post("/cgi-bin/freepublish/getarticle").respond(200, json=load("getarticle"))
    for _ in range(3):
        driver("get_post", ARTICLE)
    assert api.routes["token"].call_count == 1
