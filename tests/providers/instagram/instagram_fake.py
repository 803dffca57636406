"""An in-memory Instagram professional account for the contract tests: containers, media,
comments and replies."""

from __future__ import annotations

from typing import Any

import httpx

from ..meta.meta_support import GraphFake
from .instagram_support import USER

_ID = r"(?P<object_id>\d+)"
_EDGE = rf"^/v25.0/{_ID}/(?P<edge>comments|replies)$"


class FakeInstagram(GraphFake):
    """Publishing goes through containers that finish at once; media can be read, listed,
    commented on and deleted."""

    def __init__(self, host: str = "graph.facebook.com", seeded: int = 3) -> None:
        super().__init__(f"https://{host}")
        self.containers: dict[str, dict[str, str]] = {}
        self.media: dict[str, dict[str, Any]] = {}
        self.comments: dict[str, dict[str, Any]] = {}
        for n in range(seeded):
            self._create_media(f"Archive post {n}")
        route = self.router.route
        route(method="GET", path=f"/v25.0/{USER}/content_publishing_limit").mock(
            return_value=httpx.Response(
                200, json={"data": [{"quota_usage": 0, "config": {"quota_total": 100}}]}
            )
        )
        route(method="POST", path=f"/v25.0/{USER}/media").mock(side_effect=self.create)
        route(method="POST", path=f"/v25.0/{USER}/media_publish").mock(side_effect=self.publish)
        route(method="GET", path=f"/v25.0/{USER}/media").mock(side_effect=self.list_media)
        route(method="POST", path__regex=_EDGE).mock(side_effect=self.comment)
        route(method="GET", path__regex=rf"^/v25.0/{_ID}/comments$").mock(side_effect=self.thread)
        route(method="GET", path__regex=rf"^/v25.0/{_ID}$").mock(side_effect=self.read)
        route(method="DELETE", path__regex=rf"^/v25.0/{_ID}$").mock(side_effect=self.remove)

    def _create_media(self, caption: str) -> str:
        media_id = self.new_id()
        self.media[media_id] = {
            "id": media_id,
            "caption": caption,
            "media_type": "IMAGE",
            "timestamp": "2026-03-01T10:00:00+0000",
            "username": "brandcoffee",
            "owner": {"id": USER},
        }
        return media_id

    def create(self, request: httpx.Request) -> httpx.Response:
        container_id = self.new_id()
        self.containers[container_id] = self.form(request)
        return httpx.Response(200, json={"id": container_id})

    def publish(self, request: httpx.Request) -> httpx.Response:
        container = self.containers.pop(self.form(request)["creation_id"])
        return httpx.Response(200, json={"id": self._create_media(container.get("caption", ""))})

    def list_media(self, request: httpx.Request) -> httpx.Response:
        return self.listing(list(reversed(self.media.values())), request)

    def read(self, request: httpx.Request, object_id: str) -> httpx.Response:
        if object_id in self.containers:
            return httpx.Response(200, json={"id": object_id, "status_code": "FINISHED"})
        found = self.media.get(object_id)
        return httpx.Response(200, json=found) if found else self.missing(object_id)

    def remove(self, request: httpx.Request, object_id: str) -> httpx.Response:
        if self.media.pop(object_id, None) or self.comments.pop(object_id, None):
            return httpx.Response(200, json={"success": True})
        return self.missing(object_id)

    def comment(self, request: httpx.Request, object_id: str, edge: str) -> httpx.Response:
        parent = self.comments.get(object_id) if edge == "replies" else None
        media_id = parent["media_id"] if parent else object_id
        if media_id not in self.media:
            return self.missing(object_id)
        comment_id = self.new_id()
        self.comments[comment_id] = {
            "id": comment_id,
            "media_id": media_id,
            "text": self.form(request)["message"],
            "username": "brandcoffee",
            "from": {"id": USER, "username": "brandcoffee"},
            "timestamp": "2026-03-01T10:05:00+0000",
            **({"parent_id": object_id} if parent else {}),
        }
        return httpx.Response(200, json={"id": comment_id})

    def thread(self, request: httpx.Request, object_id: str) -> httpx.Response:
        mine = [c for c in self.comments.values() if c["media_id"] == object_id]
        top = [
            {**c, "replies": {"data": [r for r in mine if r.get("parent_id") == c["id"]]}}
            for c in mine
            if "parent_id" not in c
        ]
        return self.listing(top, request)
