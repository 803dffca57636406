"""An in-memory Facebook Page for the contract tests: feed posts and their comments."""

from __future__ import annotations

from typing import Any

import httpx

from ..meta.meta_support import GraphFake
from .facebook_support import PAGE

_ID = r"(?P<object_id>[0-9_]+)"


class FakePage(GraphFake):
    """Posts published to the feed can be read, listed, commented on and deleted."""

    def __init__(self) -> None:
        super().__init__("https://graph.facebook.com")
        self.posts: dict[str, dict[str, Any]] = {}
        self.comments: dict[str, dict[str, Any]] = {}
        route = self.router.route
        route(method="POST", path=f"/v25.0/{PAGE}/feed").mock(side_effect=self.publish)
        route(method="GET", path=f"/v25.0/{PAGE}/posts").mock(side_effect=self.list_posts)
        route(method="POST", path__regex=rf"^/v25.0/{_ID}/comments$").mock(side_effect=self.comment)
        route(method="GET", path__regex=rf"^/v25.0/{_ID}/comments$").mock(
            side_effect=self.list_comments
        )
        route(method="GET", path__regex=rf"^/v25.0/{_ID}$").mock(side_effect=self.read)
        route(method="DELETE", path__regex=rf"^/v25.0/{_ID}$").mock(side_effect=self.remove)

    def publish(self, request: httpx.Request) -> httpx.Response:
        post_id = f"{PAGE}_{self.new_id()}"
        self.posts[post_id] = {
            "id": post_id,
            "message": self.form(request).get("message", ""),
            "created_time": "2026-03-01T10:00:00+0000",
            "from": {"name": "Brand Coffee", "id": PAGE},
        }
        return httpx.Response(200, json={"id": post_id})

    def list_posts(self, request: httpx.Request) -> httpx.Response:
        return self.listing(list(reversed(self.posts.values())), request)

    def read(self, request: httpx.Request, object_id: str) -> httpx.Response:
        found = self.posts.get(object_id) or self.comments.get(object_id)
        return httpx.Response(200, json=found) if found else self.missing(object_id)

    def remove(self, request: httpx.Request, object_id: str) -> httpx.Response:
        if self.posts.pop(object_id, None) or self.comments.pop(object_id, None):
            return httpx.Response(200, json={"success": True})
        return self.missing(object_id)

    def comment(self, request: httpx.Request, object_id: str) -> httpx.Response:
        parent = self.comments.get(object_id)
        post_id = parent["post_id"] if parent else object_id
        if post_id not in self.posts:
            return self.missing(object_id)
        comment_id = f"{post_id.split('_')[-1]}_{self.new_id()}"
        self.comments[comment_id] = {
            "id": comment_id,
            "post_id": post_id,
            "message": self.form(request)["message"],
            "from": {"name": "Brand Coffee", "id": PAGE},
            "created_time": "2026-03-01T10:05:00+0000",
            **({"parent": {"id": object_id}} if parent else {}),
        }
        return httpx.Response(200, json={"id": comment_id})

    def list_comments(self, request: httpx.Request, object_id: str) -> httpx.Response:
        found = [c for c in self.comments.values() if c["post_id"] == object_id]
        return self.listing(found, request)
