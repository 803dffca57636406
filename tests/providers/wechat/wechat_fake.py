"""A small stateful WeChat for the contract tests: drafts, publishes and articles via respx."""

from __future__ import annotations

import itertools
import json
from typing import Any

import httpx
import respx

from .wechat_support import BASE, TOKEN

OK = {"errcode": 0, "errmsg": "ok"}


def _error(code: int, message: str) -> httpx.Response:
    return httpx.Response(200, json={"errcode": code, "errmsg": f"{message} rid: fake-{code}"})


class FakeWeChat:
    """Publishes drafts at once (after one 'publishing' poll); errors come with HTTP 200."""

    def __init__(self, seed: int = 25) -> None:
        self._ids = itertools.count(1)
        self.drafts: dict[str, list[dict[str, Any]]] = {}
        self.tasks: dict[str, dict[str, Any]] = {}
        self.articles: dict[str, dict[str, Any]] = {}
        for n in range(seed):
            article_id = f"SEEDED{n:04d}"
            item = {"title": f"旧文 {n}", "content": f"<p>旧文 {n}</p>", "is_deleted": False}
            self.articles[article_id] = {"news_item": [item], "create_time": 1_650_000_000 + n}

    def mount(self, router: respx.MockRouter) -> None:
        """Route the endpoints the contract uses to this fake."""
        router.post(f"{BASE}/cgi-bin/stable_token").respond(
            200, json={"access_token": TOKEN, "expires_in": 7200}
        )
        for path, handler in {
            "draft/add": self.add_draft,
            "freepublish/submit": self.submit,
            "freepublish/get": self.status,
            "freepublish/getarticle": self.get_article,
            "freepublish/batchget": self.batchget,
            "freepublish/delete": self.delete,
        }.items():
            router.post(f"{BASE}/cgi-bin/{path}").mock(side_effect=self._guarded(handler))

    def _guarded(self, handler: Any) -> Any:
        def answer(request: httpx.Request) -> httpx.Response:
            if request.url.params.get("access_token") != TOKEN:
                return _error(40001, "invalid credential")
            try:
                payload = json.loads(request.content)
            except ValueError:
                return _error(47001, "data format error")
            result: httpx.Response = handler(payload)
            return result

        return answer

    def add_draft(self, payload: dict[str, Any]) -> httpx.Response:
        articles = payload.get("articles") or []
        if not articles or any(not a.get("title") or not a.get("thumb_media_id") for a in articles):
            return _error(40007, "invalid media_id")
        media_id = f"DRAFT{next(self._ids)}"
        self.drafts[media_id] = articles
        return httpx.Response(200, json={"media_id": media_id})

    def submit(self, payload: dict[str, Any]) -> httpx.Response:
        articles = self.drafts.pop(payload.get("media_id", ""), None)
        if articles is None:
            return _error(40007, "invalid media_id")
        n = next(self._ids)
        publish_id, article_id = str(100_000_000 + n), f"ARTICLE{n:06d}"
        items = [{**a, "url": f"https://mp.weixin.qq.com/s/{article_id}", "is_deleted": False}
                 for a in articles]  # fmt: skip
        self.tasks[publish_id] = {"article_id": article_id, "items": items, "polls": 0}
        body = {**OK, "publish_id": publish_id, "msg_data_id": str(2_247_480_000 + n)}
        return httpx.Response(200, json=body)

    def status(self, payload: dict[str, Any]) -> httpx.Response:
        task = self.tasks.get(str(payload.get("publish_id")))
        if task is None:
            return _error(40001, "invalid publish_id")
        task["polls"] += 1
        if task["polls"] == 1:
            return httpx.Response(200, json={"publish_id": payload["publish_id"],
                                             "publish_status": 1, "fail_idx": []})  # fmt: skip
        article_id = task["article_id"]
        self.articles.setdefault(
            article_id, {"news_item": task["items"], "create_time": 1_700_000_000}
        )
        detail = [{"idx": i, "article_url": a["url"]} for i, a in enumerate(task["items"], 1)]
        return httpx.Response(
            200,
            json={
                "publish_id": payload["publish_id"],
                "publish_status": 0,
                "article_id": article_id,
                "article_detail": {"count": len(detail), "item": detail},
                "fail_idx": [],
            },
        )

    def get_article(self, payload: dict[str, Any]) -> httpx.Response:
        found = self.articles.get(payload.get("article_id", ""))
        if found is None:
            return _error(53600, "Article ID 无效")
        return httpx.Response(200, json={"news_item": found["news_item"]})

    def batchget(self, payload: dict[str, Any]) -> httpx.Response:
        newest = sorted(self.articles.items(), key=lambda kv: -kv[1]["create_time"])
        offset, count = int(payload["offset"]), min(int(payload["count"]), 20)
        page = newest[offset : offset + count]
        items = [
            {"article_id": article_id, "content": article, "update_time": article["create_time"]}
            for article_id, article in page
        ]
        body = {"total_count": len(newest), "item_count": len(items), "item": items}
        return httpx.Response(200, json=body)

    def delete(self, payload: dict[str, Any]) -> httpx.Response:
        article = self.articles.get(payload.get("article_id", ""))
        if article is None:
            return _error(53600, "Article ID 无效")
        index = int(payload.get("index") or 0)
        for number, item in enumerate(article["news_item"], 1):
            if index in (0, number):
                item["is_deleted"] = True
        return httpx.Response(200, json=OK)
