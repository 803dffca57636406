"""A launch on Douyin, Bilibili and Weibo at once, with a variant per platform."""

from __future__ import annotations

import json

import respx

import socialkit as sk
from socialkit.crosspost import crosspost
from tests.providers.bilibili.bilibili_support import FakeBilibili
from tests.providers.bilibili.bilibili_support import make_platform as bilibili
from tests.providers.douyin.douyin_support import FakeDouyin
from tests.providers.douyin.douyin_support import make_platform as douyin
from tests.providers.weibo.weibo_fake import FakeWeibo
from tests.providers.weibo.weibo_support import FAST
from tests.providers.weibo.weibo_support import make_platform as weibo

VIDEO = sk.MediaUpload(data=b"\0\0\0\x18ftypmp42 launch film", filename="launch.mp4")
COVER = sk.MediaUpload(data=b"\xff\xd8jpeg", filename="cover.jpg")


def test_a_launch_goes_to_each_platform_in_its_own_form() -> None:
    dy, bl = FakeDouyin(count=0), FakeBilibili(count=0)
    with respx.mock(assert_all_called=False) as router:
        router.route(host="open.douyin.com").mock(side_effect=dy.handle)
        router.route(host="member.bilibili.com").mock(side_effect=bl.handle)
        router.route(host="openupos.bilivideo.com").mock(side_effect=bl.handle)
        FakeWeibo().mount(router)
        clients = {
            "douyin": sk.Client(douyin(), retry=FAST),
            "bilibili": sk.Client(bilibili(), retry=FAST),
            "weibo": sk.Client(weibo(), retry=FAST),
        }
        launch = sk.Draft(text="春季新品今天发布! https://brand.example.com/spring")
        variants = {
            "douyin": sk.Draft(text="春季新品 #新品发布", media=(VIDEO,),
                               options={"cover_tsp": 1.5}),
            "bilibili": sk.Draft(text="春季新品发布会\n完整发布会视频", media=(VIDEO, COVER),
                                 options={"tags": ["新品", "发布会"]}),
        }
        result = crosspost(launch, clients, variants=variants)
    assert result.ok, str(result)
    by = {r.target: r for r in result.results}
    assert by["douyin"].post is not None
    assert by["douyin"].post.state == "pending"
    assert by["bilibili"].post is not None
    assert by["bilibili"].post.state == "pending"
    assert by["weibo"].post is not None
    assert by["weibo"].post.state == "published"
    create = next(r for r in dy.requests if r.url.path.endswith("/create_video/"))
    assert json.loads(create.content)["text"] == "春季新品 #新品发布"
    submit = next(r for r in bl.requests if r.url.path.endswith("/add-by-utoken"))
    assert json.loads(submit.content)["title"] == "春季新品发布会"


def test_a_variant_keeps_the_launch_idempotency_key() -> None:
    launch = sk.Draft(text="hello https://brand.example.com/x")
    the_plan = crosspost(launch, {"weibo": sk.Client(weibo())}, dry_run=True,
                            variants={"weibo": "another text https://brand.example.com/y"})
    (target,) = the_plan.targets
    assert target.parts[0].text == "another text https://brand.example.com/y"
    again = crosspost(launch, {"weibo": sk.Client(weibo())}, dry_run=True,
                         variants={"weibo": "another text https://brand.example.com/y"})
    assert again.targets[0].parts[0].idempotency_key == target.parts[0].idempotency_key
