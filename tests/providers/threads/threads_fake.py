"""An in-memory Threads profile for the contract tests: containers, posts and replies."""

from __future__ import annotations

from typing import Any

import httpx

from ..meta.meta_support import GraphFake
from .threads_support import USER

_ID = r"(?P<object_id>\d+)"


class FakeThreads(GraphFake):
    """Containers finish at once; published posts and replies can be read, listed and
    deleted, and a post's conversation holds every reply under it."""

    def __init__(self) -> None:
        super().__init__("https://graph.threads.net")
        self.containers: dict[str, dict[str, str]] = {}
        self.media: dict[str, dict[str, Any]] = {}
        quota = {"quota_usage": 0, "config": {"quota_total": 250}}
        replies = {"reply_quota_usage": 0, "reply_config": {"quota_total": 1000}}
        route = self.router.route
        route(method="GET", path=f"/v1.0/{USER}/threads_publishing_limit").mock(
            return_value=httpx.Response(200, json={"data": [quota | replies]})
        )
        route(method="POST", path=f"/v1.0/{USER}/threads").mock(side_effect=self.create)
        route(method="POST", path=f"/v1.0/{USER}/threads_publish").mock(side_effect=self.publish)
        route(method="GET", path=f"/v1.0/{USER}/threads").mock(side_effect=self.list_posts)
        route(method="GET", path__regex=rf"^/v1.0/{_ID}/conversation$").mock(
            side_effect=self.conversation
        )
        route(method="GET", path__regex=rf"^/v1.0/{_ID}$").mock(side_effect=self.read)
        route(method="DELETE", path__regex=rf"^/v1.0/{_ID}$").mock(side_effect=self.remove)

    def create(self, request: httpx.Request) -> httpx.Response:
        container_id = self.new_id()
        self.containers[container_id] = self.form(request)
        return httpx.Response(200, json={"id": container_id})

    def publish(self, request: httpx.Request) -> httpx.Response:
        container = self.containers.pop(self.form(request)["creation_id"])
        media_id = self.new_id()
        parent = container.get("reply_to_id")
        root = self.media[parent].get("root_post", {"id": parent}) if parent else None
        self.media[media_id] = {
            "id": media_id,
            "media_type": "TEXT_POST",
            "text": container.get("text", ""),
            "username": "brandcoffee",
            "owner": {"id": USER},
            "timestamp": "2026-03-01T10:00:00+0000",
            **({"replied_to": {"id": parent}, "root_post": root} if parent else {}),
        }
        return httpx.Response(200, json={"id": media_id})

    def list_posts(self, request: httpx.Request) -> httpx.Response:
        posts = [m for m in reversed(self.media.values()) if "replied_to" not in m]
        return self.listing(posts, request)

    def conversation(self, request: httpx.Request, object_id: str) -> httpx.Response:
        replies = [m for m in self.media.values() if m.get("root_post") == {"id": object_id}]
        return self.listing(replies, request)

    def read(self, request: httpx.Request, object_id: str) -> httpx.Response:
        if object_id in self.containers:
            return httpx.Response(200, json={"id": object_id, "status": "FINISHED"})
        found = self.media.get(object_id)
        return httpx.Response(200, json=found) if found else self.missing(object_id)

    def remove(self, request: httpx.Request, object_id: str) -> httpx.Response:
        if self.media.pop(object_id, None) is None:
            return self.missing(object_id)
        return httpx.Response(200, json={"success": True, "deleted_id": object_id})
