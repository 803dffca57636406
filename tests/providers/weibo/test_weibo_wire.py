"""Every Weibo operation on the wire, through both drivers: method, path, query, body."""

from __future__ import annotations

import httpx
import respx

from socialkit.models import Comment, Draft, MediaUpload, Mention, Post

from .weibo_support import TOKEN, USER_IP, Driver, form, load, query


def sent(route: respx.Route, index: int = 0) -> httpx.Request:
    """The request a route got, after checking it carried the token as Weibo documents."""
    request: httpx.Request = route.calls[index].request
    assert request.url.params["access_token"] == TOKEN
    return request


def test_publish_shares_the_text_with_the_users_ip(driver: Driver, api: respx.MockRouter) -> None:
    route = api.post("/2/statuses/share.json").respond(200, json=load("share"))
    post = driver("publish", "新品上线 https://brand.example.com/launch")
    request = sent(route)
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert form(request) == {"status": "新品上线 https://brand.example.com/launch", "rip": USER_IP}
    assert isinstance(post, Post)
    assert post.id == "3504803600502731"


def test_publish_with_a_picture_is_multipart_pic(driver: Driver, api: respx.MockRouter) -> None:
    route = api.post("/2/statuses/share.json").respond(200, json=load("share"))
    upload = MediaUpload(data=b"\x89PNG-bytes", filename="poster.png")
    driver("publish", Draft(text="海报 https://brand.example.com/p").with_media(upload))
    request = sent(route)
    assert request.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert b'name="pic"; filename="poster.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG' in (
        request.content
    )
    assert f'name="rip"\r\n\r\n{USER_IP}\r\n'.encode() in request.content


def test_rip_can_come_from_the_draft(driver: Driver, api: respx.MockRouter) -> None:
    route = api.post("/2/statuses/share.json").respond(200, json=load("share"))
    draft = Draft(text="看 https://brand.example.com", options={"rip": "221.7.13.20"})
    driver("publish", draft)
    assert form(sent(route))["rip"] == "221.7.13.20"


def test_get_post_reads_statuses_show(driver: Driver, api: respx.MockRouter) -> None:
    route = api.get("/2/statuses/show.json").respond(200, json=load("status"))
    post = driver("get_post", "3504803600502730")
    assert query(sent(route)) == {"id": "3504803600502730", "access_token": TOKEN}
    assert post.text == "分组定向图片微博"
    assert post.metrics == {"shares": 8, "comments": 9, "likes": 12}
    assert post.url == "https://weibo.com/1404376560/z20XK26My"
    assert post.media[0].url == "http://ww2.sinaimg.cn/large/71666d49jw1dy6q8t3p0rj.jpg"


def test_posts_page_the_user_timeline_by_max_id(driver: Driver, api: respx.MockRouter) -> None:
    route = api.get("/2/statuses/user_timeline.json")
    route.side_effect = [
        httpx.Response(200, json=load("user_timeline")),
        httpx.Response(200, json=load("user_timeline_last")),
    ]
    posts = driver.items("posts")
    assert [p.text for p in posts] == ["第一条", "第二条", "第三条"]
    assert query(sent(route, 0)) == {"count": "50", "access_token": TOKEN}
    assert query(sent(route, 1))["max_id"] == "3504803600502719"


def test_posts_of_a_named_account_send_its_screen_name(
    driver: Driver, api: respx.MockRouter
) -> None:
    route = api.get("/2/statuses/user_timeline.json").respond(200, json=load("user_timeline_last"))
    driver.items("posts", "@zaku")
    assert query(sent(route))["screen_name"] == "zaku"


def test_comments_read_comments_show_with_their_parents(
    driver: Driver, api: respx.MockRouter
) -> None:
    route = api.get("/2/comments/show.json").respond(200, json=load("comments_show"))
    comments = driver.items("comments", "3504803600502730")
    assert query(sent(route)) == {"id": "3504803600502730", "count": "50", "access_token": TOKEN}
    assert [(c.id, c.reply_to_id) for c in comments] == [
        ("3504803700000002", "3504803700000001"),
        ("3504803700000001", "3504803600502730"),
    ]
    assert comments[0].thread_root_id == "3504803600502730"


def test_reply_to_a_post_creates_a_comment(driver: Driver, api: respx.MockRouter) -> None:
    route = api.post("/2/comments/create.json").respond(200, json=load("comment_create"))
    post = Post(platform="weibo", id="3504803600502730")
    comment = driver("reply", post, "感谢支持")
    assert form(sent(route)) == {"comment": "感谢支持", "id": "3504803600502730", "rip": USER_IP}
    assert (comment.id, comment.reply_to_id) == ("3504803700000010", "3504803600502730")


def test_reply_to_a_comment_uses_comments_reply(driver: Driver, api: respx.MockRouter) -> None:
    route = api.post("/2/comments/reply.json").respond(200, json=load("comment_reply"))
    target = Comment(platform="weibo", id="3504803700000001", thread_root_id="3504803600502730")
    comment = driver("reply", target, "谢谢")
    assert form(sent(route)) == {
        "comment": "谢谢",
        "id": "3504803600502730",
        "cid": "3504803700000001",
        "rip": USER_IP,
    }
    assert comment.reply_to_id == "3504803700000001"


def test_reply_to_a_comment_mention_answers_that_comment(
    driver: Driver, api: respx.MockRouter
) -> None:
    route = api.post("/2/comments/reply.json").respond(200, json=load("comment_reply"))
    mention = Mention(
        platform="weibo", id="3504803800000020", kind="mention", post_id="3504803800000020",
        thread_root_id="3504803600502730",
    )
    driver("reply", mention, "明天发货")
    assert (form(sent(route))["cid"], form(sent(route))["id"]) == (
        "3504803800000020", "3504803600502730"
    )


def test_reply_to_a_status_mention_comments_on_it(driver: Driver, api: respx.MockRouter) -> None:
    route = api.post("/2/comments/create.json").respond(200, json=load("comment_create"))
    mention = Mention(
        platform="weibo", id="3504803800000030", kind="mention", post_id="3504803800000030"
    )
    driver("reply", mention, "好用")
    assert form(sent(route))["id"] == "3504803800000030"


def test_delete_comment_destroys_it_by_cid(driver: Driver, api: respx.MockRouter) -> None:
    route = api.post("/2/comments/destroy.json").respond(200, json=load("comment_destroy"))
    driver("delete_comment", "3504803700000001")
    assert form(sent(route)) == {"cid": "3504803700000001"}


def test_post_metrics_read_statuses_count(driver: Driver, api: respx.MockRouter) -> None:
    route = api.get("/2/statuses/count.json").respond(200, json=load("count")[:1])
    metrics = driver("post_metrics", "3504803600502730")
    assert query(sent(route)) == {"ids": "3504803600502730", "access_token": TOKEN}
    assert {(m.name, m.value, m.native_name) for m in metrics} == {
        ("shares", 8, "reposts"),
        ("comments", 9, "comments"),
        ("likes", 12, "attitudes"),
    }


def test_metrics_of_many_posts_go_100_ids_per_call(driver: Driver, api: respx.MockRouter) -> None:
    route = api.get("/2/statuses/count.json").respond(200, json=[])
    ids = [str(3504803600500000 + n) for n in range(250)]
    driver.run(driver.platform.posts_metrics(ids))
    sizes = [len(call.request.url.params["ids"].split(",")) for call in route.calls]
    assert sizes == [100, 100, 50]


def test_account_metrics_read_users_show(driver: Driver, api: respx.MockRouter) -> None:
    api.get("/2/account/get_uid.json").respond(200, json=load("get_uid"))
    route = api.get("/2/users/show.json").respond(200, json=load("users_show"))
    metrics = driver("account_metrics")
    assert query(sent(route))["uid"] == "1404376560"
    assert {(m.name, m.value) for m in metrics} == {
        ("followers", 1204),
        ("following", 447),
        ("posts", 2908),
    }


def test_me_reads_the_uid_then_the_user(driver: Driver, api: respx.MockRouter) -> None:
    uid = api.get("/2/account/get_uid.json").respond(200, json=load("get_uid"))
    api.get("/2/users/show.json").respond(200, json=load("users_show"))
    account = driver("me")
    sent(uid)
    assert (account.id, account.handle, account.followers) == ("1404376560", "zaku", 1204)
    assert account.url == "https://weibo.com/zaku"


def test_token_info_posts_the_token_in_the_form(driver: Driver, api: respx.MockRouter) -> None:
    route = api.post("https://api.weibo.com/oauth2/get_token_info").respond(
        200, json=load("token_info")
    )
    info = driver.run(driver.platform.token_info())
    request = route.calls[0].request
    assert form(request) == {"access_token": TOKEN}
    assert "access_token" not in request.url.params
    assert (info.uid, info.app_key) == ("1073880650", "1352222456")
    assert info.expires_at is not None
