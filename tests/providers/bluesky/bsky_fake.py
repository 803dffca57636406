"""A tiny stateful PDS + AppView in memory, enough for the behavioural contract.

It keeps the posts created through it and answers the methods the contract exercises with
Lexicon-shaped views: createSession, getSession, createRecord, deleteRecord, getRecord,
getPosts, getAuthorFeed (two posts a page) and getPostThread.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import httpx

from .bsky_support import DID, HANDLE, jwt, session

PAGE = 2


def _error(status: int, name: str, message: str) -> httpx.Response:
    return httpx.Response(status, json={"error": name, "message": message})


class FakeBluesky:
    """The account's repo and what the AppView would show of it."""

    def __init__(self) -> None:
        self.records: dict[str, dict[str, Any]] = {}  # uri -> {"cid", "value", "indexedAt"}

    @property
    def transport(self) -> httpx.MockTransport:
        """An httpx transport answering as the service and the PDS."""
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        nsid = request.url.path.rsplit("/xrpc/", 1)[-1]
        params = request.url.params
        match nsid:
            case "com.atproto.server.createSession":
                return httpx.Response(200, json=session(jwt("access"), jwt("refresh")))
            case "com.atproto.server.getSession":
                return httpx.Response(200, json={"did": DID, "handle": HANDLE})
            case "com.atproto.repo.createRecord":
                return self._create(json.loads(request.content))
            case "com.atproto.repo.deleteRecord":
                body = json.loads(request.content)
                self.records.pop(f"at://{body['repo']}/{body['collection']}/{body['rkey']}", None)
                return httpx.Response(200, json={})
            case "com.atproto.repo.getRecord":
                uri = f"at://{params['repo']}/{params['collection']}/{params['rkey']}"
                if uri not in self.records:
                    return _error(400, "RecordNotFound", "Could not locate record")
                found = self.records[uri]
                return httpx.Response(200, json={"uri": uri, "cid": found["cid"],
                                                 "value": found["value"]})
            case "app.bsky.feed.getPosts":
                views = [self._view(u) for u in params.get_list("uris") if u in self.records]
                return httpx.Response(200, json={"posts": views})
            case "app.bsky.feed.getAuthorFeed":
                return self._feed(params.get("cursor"))
            case "app.bsky.feed.getPostThread":
                uri = params["uri"]
                if uri not in self.records:
                    return _error(400, "NotFound", f"Post not found: {uri}")
                return httpx.Response(200, json={"thread": self._thread(uri)})
            case "com.atproto.identity.resolveHandle":
                return _error(400, "InvalidRequest", "Unable to resolve handle")
        return _error(501, "MethodNotImplemented", f"{nsid} is not implemented here")

    def _create(self, body: dict[str, Any]) -> httpx.Response:
        uri = f"at://{body['repo']}/{body['collection']}/{body['rkey']}"
        if uri in self.records:
            return _error(400, "InvalidRequest", "Record already exists")
        cid = "bafyrei" + hashlib.sha256(json.dumps(body["record"]).encode()).hexdigest()[:52]
        self.records[uri] = {"cid": cid, "value": body["record"]}
        return httpx.Response(200, json={"uri": uri, "cid": cid})

    def _posts(self) -> list[str]:
        posts = [u for u in self.records if "/app.bsky.feed.post/" in u]
        return sorted(posts, reverse=True)  # TID keys sort by time: newest first

    def _parent(self, uri: str) -> str | None:
        reply = self.records[uri]["value"].get("reply", {})
        parent: str | None = reply.get("parent", {}).get("uri")
        return parent

    def _view(self, uri: str) -> dict[str, Any]:
        found = self.records[uri]
        replies = [u for u in self._posts() if self._parent(u) == uri]
        return {
            "uri": uri, "cid": found["cid"], "record": found["value"],
            "author": {"did": DID, "handle": HANDLE},
            "replyCount": len(replies), "repostCount": 0, "likeCount": 0, "quoteCount": 0,
            "indexedAt": found["value"]["createdAt"],
        }

    def _feed(self, cursor: str | None) -> httpx.Response:
        start = int(cursor or 0)
        posts = self._posts()
        page = posts[start : start + PAGE]
        answer: dict[str, Any] = {"feed": [{"post": self._view(u)} for u in page]}
        if start + PAGE < len(posts):
            answer["cursor"] = str(start + PAGE)
        return httpx.Response(200, json=answer)

    def _thread(self, uri: str) -> dict[str, Any]:
        children = [u for u in reversed(self._posts()) if self._parent(u) == uri]
        return {"$type": "app.bsky.feed.defs#threadViewPost", "post": self._view(uri),
                "replies": [self._thread(child) for child in children]}
