"""Helpers for the YouTube tests: fixture bodies, a platform factory, and a small stateful
YouTube (one channel, its videos, comment threads, resumable uploads) behind respx.

Answers are shaped like the reference's examples (developers.google.com/youtube/v3/docs);
every request the fake receives is kept in ``requests`` for wire-format checks.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
from pathlib import Path
from typing import Any

import httpx

from socialkit.providers.youtube import YouTube, YouTubeSettings

FIXTURES = Path(__file__).parent / "fixtures"
TOKEN = "ya29.secret-google-token"
API = "https://www.googleapis.com/youtube/v3"
UPLOAD = "https://www.googleapis.com/upload/youtube/v3"
ANALYTICS = "https://youtubeanalytics.googleapis.com/v2/reports"
KIB256 = 256 * 1024


def load(name: str) -> Any:
    """A fixture body by name (``fixtures/<name>.json``)."""
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def make_platform(**settings: Any) -> YouTube:
    """A YouTube platform with a plain token, no processing wait, 256 KiB chunks."""
    values = {"access_token": TOKEN, "processing_timeout": 0, "chunk_size": KIB256, **settings}
    return YouTube(YouTubeSettings(**values))


def google_error(status: int, reason: str, message: str = "", domain: str = "youtube.api"
                 ) -> httpx.Response:
    """An error answer in Google's JSON shape."""
    message = message or reason
    return httpx.Response(status, json={"error": {
        "code": status, "message": message,
        "errors": [{"message": message, "domain": domain, "reason": reason}],
    }})


class FakeYouTube:
    """One channel on a stateful YouTube Data API (and the Analytics report)."""

    def __init__(self) -> None:
        self.channel = load("channel")
        self.videos: dict[str, dict[str, Any]] = {}
        self.threads: dict[str, dict[str, Any]] = {}  # thread id -> commentThread
        self.extra_replies: dict[str, list[dict[str, Any]]] = {}  # not included in threads
        self.moderation: dict[str, tuple[str, bool]] = {}
        self.ratings: dict[str, str] = {}
        self.thumbnails: dict[str, bytes] = {}
        self.requests: list[httpx.Request] = []
        self.sessions: dict[str, dict[str, Any]] = {}
        self.received: list[tuple[int, int]] = []  # byte ranges that reached the server
        self.drop_after: int | None = None  # drop the connection once this offset is held
        self.lose_final_answer = False  # the last chunk arrives but its answer is lost
        self.fail_next_chunk: int | None = None  # answer the next chunk with this 5xx, unstored
        self.fail_polls = False  # processing checks answer 500
        self.fail_status_queries = False  # "bytes */total" queries answer 503
        self.kept_private = False  # an unaudited project: every upload stays private
        self.processing_polls = 0
        self._ids = itertools.count(1)
        video = load("video")
        self.videos[video["id"]] = video

    # -- dispatch --------------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        url = request.url
        if url.host == "youtubeanalytics.googleapis.com":
            return httpx.Response(200, json=load("analytics_report"))
        path = url.path
        if path.startswith("/upload/youtube/v3/"):
            return self._upload(request, path.removeprefix("/upload/youtube/v3/"))
        name = path.removeprefix("/youtube/v3/")
        handler = getattr(self, f"_{request.method.lower()}_{name.replace('/', '_')}", None)
        if handler is None:
            return google_error(404, "notFound", f"no {request.method} {path}")
        response: httpx.Response = handler(request, dict(url.params))
        return response

    def _body(self, request: httpx.Request) -> Any:
        return json.loads(request.content)

    # -- videos ----------------------------------------------------------------------------

    def _parts(self, video: dict[str, Any], part: str) -> dict[str, Any]:
        shown = {"kind": video.get("kind", "youtube#video"), "id": video["id"]}
        for name in part.split(","):
            if name in video:
                shown[name] = video[name]
            elif name == "processingDetails":
                shown[name] = {"processingStatus": "succeeded"}
        return shown

    def _get_videos(self, request: httpx.Request, q: dict[str, str]) -> httpx.Response:
        found = [self._parts(self.videos[i], q["part"]) for i in q["id"].split(",")
                 if i in self.videos]
        if "processingDetails" in q["part"]:
            if self.fail_polls:
                return google_error(500, "backendError")
            self.processing_polls += 1
            for video in found:
                if self.processing_polls < 2:
                    video["processingDetails"] = {"processingStatus": "processing"}
                    video["status"] = {**video["status"], "uploadStatus": "uploaded"}
        return httpx.Response(200, json={"kind": "youtube#videoListResponse", "items": found})

    def _put_videos(self, request: httpx.Request, q: dict[str, str]) -> httpx.Response:
        body = self._body(request)
        video = self.videos.get(body["id"])
        if video is None:
            return google_error(404, "videoNotFound")
        for part in q["part"].split(","):
            video[part] = copy.deepcopy(body[part])  # replaces the whole part
        return httpx.Response(200, json=self._parts(video, q["part"]))

    def _delete_videos(self, request: httpx.Request, q: dict[str, str]) -> httpx.Response:
        if self.videos.pop(q["id"], None) is None:
            return google_error(404, "videoNotFound", "The video that you are trying to delete "
                                "cannot be found.")
        return httpx.Response(204)

    def _post_videos_rate(self, request: httpx.Request, q: dict[str, str]) -> httpx.Response:
        if q["id"] not in self.videos:
            return google_error(404, "videoNotFound")
        self.ratings[q["id"]] = q["rating"]
        return httpx.Response(204)

    def _get_search(self, request: httpx.Request, q: dict[str, str]) -> httpx.Response:
        items = [
            {"kind": "youtube#searchResult", "etag": "e",
             "id": {"kind": "youtube#video", "videoId": v["id"]}, "snippet": v["snippet"]}
            for v in self.videos.values() if q["q"].lower() in v["snippet"]["title"].lower()
        ]
        return httpx.Response(200, json={"kind": "youtube#searchListResponse", "items": items,
                                         "pageInfo": {"totalResults": len(items)}})

    # -- the channel and its uploads -------------------------------------------------------

    def _get_channels(self, request: httpx.Request, q: dict[str, str]) -> httpx.Response:
        mine = q.get("mine") == "true"
        ours = (q.get("id") == self.channel["id"]
                or q.get("forHandle", "").lower() == self.channel["snippet"]["customUrl"])
        items = [self._parts(self.channel, q["part"])] if mine or ours else []
        return httpx.Response(200, json={"kind": "youtube#channelListResponse", "items": items})

    def _get_playlistItems(self, request: httpx.Request, q: dict[str, str]) -> httpx.Response:
        if q["playlistId"] != self.channel["contentDetails"]["relatedPlaylists"]["uploads"]:
            return google_error(404, "playlistNotFound")
        ids = list(reversed(self.videos))
        start = int(q.get("pageToken") or 0)
        size = int(q.get("maxResults") or 5)
        page = ids[start : start + size]
        body: dict[str, Any] = {
            "kind": "youtube#playlistItemListResponse",
            "items": [{"kind": "youtube#playlistItem", "id": f"PLI{i}",
                       "contentDetails": {"videoId": i}} for i in page],
        }
        if start + size < len(ids):
            body["nextPageToken"] = str(start + size)
        return httpx.Response(200, json=body)

    # -- comments --------------------------------------------------------------------------

    def _comment(self, text: str, video_id: str, parent: str | None) -> dict[str, Any]:
        comment_id = f"Ugx{next(self._ids):022d}"
        snippet: dict[str, Any] = {
            "channelId": self.channel["id"], "videoId": video_id, "textOriginal": text,
            "textDisplay": text, "authorDisplayName": "@googledevelopers",
            "authorChannelId": {"value": self.channel["id"]},
            "publishedAt": "2026-12-07T10:00:00Z", "updatedAt": "2026-12-07T10:00:00Z",
        }
        if parent:
            snippet["parentId"] = parent
            del snippet["videoId"]  # replies come back without it
        return {"kind": "youtube#comment", "etag": "e", "id": comment_id, "snippet": snippet}

    def add_thread(self, thread: dict[str, Any], extra: list[dict[str, Any]] = ()) -> None:  # type: ignore[assignment]
        """Seed a thread, and replies YouTube did not include in it."""
        self.threads[thread["id"]] = thread
        self.extra_replies[thread["id"]] = list(extra)

    def _get_commentThreads(self, request: httpx.Request, q: dict[str, str]) -> httpx.Response:
        if "id" in q:  # commentThreads.list by thread id
            found = [self.threads[i] for i in q["id"].split(",") if i in self.threads]
            return httpx.Response(200, json={"kind": "youtube#commentThreadListResponse",
                                             "items": found})
        if q["videoId"] not in self.videos:
            return google_error(404, "videoNotFound")
        threads = [t for t in self.threads.values() if t["snippet"]["videoId"] == q["videoId"]]
        size = int(q.get("maxResults") or 20)
        start = int(q.get("pageToken") or 0)
        body: dict[str, Any] = {"kind": "youtube#commentThreadListResponse",
                                "items": threads[start : start + size]}
        if start + size < len(threads):
            body["nextPageToken"] = str(start + size)
        return httpx.Response(200, json=body)

    def _post_commentThreads(self, request: httpx.Request, q: dict[str, str]
                             ) -> httpx.Response:
        snippet = self._body(request)["snippet"]
        video_id = snippet["videoId"]
        if video_id not in self.videos:
            return google_error(404, "videoNotFound")
        top = self._comment(snippet["topLevelComment"]["snippet"]["textOriginal"], video_id,
                            None)
        thread = {"kind": "youtube#commentThread", "etag": "e", "id": top["id"],
                  "snippet": {"channelId": self.channel["id"], "videoId": video_id,
                              "topLevelComment": top, "canReply": True,
                              "totalReplyCount": 0, "isPublic": True}}
        self.threads[top["id"]] = thread
        return httpx.Response(200, json=thread)

    def _get_comments(self, request: httpx.Request, q: dict[str, str]) -> httpx.Response:
        thread = self.threads.get(q["parentId"])
        if thread is None:
            return google_error(404, "commentNotFound")
        replies = [*(thread.get("replies") or {}).get("comments", []),
                   *self.extra_replies.get(q["parentId"], [])]
        size = int(q.get("maxResults") or 20)
        start = int(q.get("pageToken") or 0)
        body: dict[str, Any] = {"kind": "youtube#commentListResponse",
                                "items": replies[start : start + size]}
        if start + size < len(replies):
            body["nextPageToken"] = str(start + size)
        return httpx.Response(200, json=body)

    def _post_comments(self, request: httpx.Request, q: dict[str, str]) -> httpx.Response:
        snippet = self._body(request)["snippet"]
        thread = self.threads.get(snippet["parentId"])
        if thread is None:
            return google_error(404, "commentNotFound")
        reply = self._comment(snippet["textOriginal"], thread["snippet"]["videoId"],
                              snippet["parentId"])
        thread.setdefault("replies", {"comments": []})["comments"].append(reply)
        thread["snippet"]["totalReplyCount"] += 1
        return httpx.Response(200, json=reply)

    def _delete_comments(self, request: httpx.Request, q: dict[str, str]) -> httpx.Response:
        if q["id"] in self.threads:
            top = self.threads[q["id"]]["snippet"]["topLevelComment"]
            if top["snippet"].get("authorChannelId", {}).get("value") != self.channel["id"]:
                return google_error(403, "forbidden", "The comment could not be deleted.")
            del self.threads[q["id"]]
            return httpx.Response(204)
        return google_error(404, "commentNotFound")

    def _post_comments_setModerationStatus(self, request: httpx.Request, q: dict[str, str]
                                           ) -> httpx.Response:
        self.moderation[q["id"]] = (q["moderationStatus"], q.get("banAuthor") == "true")
        return httpx.Response(204)

    # -- uploads ---------------------------------------------------------------------------

    def _upload(self, request: httpx.Request, name: str) -> httpx.Response:
        if name == "thumbnails/set":
            video_id = request.url.params["videoId"]
            self.thumbnails[video_id] = request.content
            return httpx.Response(200, json={"kind": "youtube#thumbnailSetResponse",
                                             "items": [{"default": {"url": "https://i.ytimg"
                                                                    ".com/t.jpg"}}]})
        if request.method == "POST":
            session_id = f"s{next(self._ids)}"
            self.sessions[session_id] = {
                "meta": self._body(request),
                "total": int(request.headers["X-Upload-Content-Length"]),
                "data": b"",
            }
            location = f"{UPLOAD}/videos?uploadType=resumable&upload_id={session_id}"
            return httpx.Response(200, headers={"Location": location})
        return self._chunk(request)

    def _chunk(self, request: httpx.Request) -> httpx.Response:
        session = self.sessions[request.url.params["upload_id"]]
        spec = request.headers["Content-Range"]
        held = len(session["data"])
        if spec.startswith("bytes */"):
            if self.fail_status_queries:
                return google_error(503, "backendError")
            return self._progress(session)
        first, last, total = map(int, re.fullmatch(r"bytes (\d+)-(\d+)/(\d+)", spec).groups())  # type: ignore[union-attr]
        assert total == session["total"]
        assert first == held, f"re-sent bytes {first}..{held - 1} the server had acknowledged"
        data = request.content
        assert len(data) == last - first + 1
        if self.drop_after is not None and held + len(data) > self.drop_after:
            keep = self.drop_after - held
            session["data"] += data[:keep]
            self.received.append((first, first + keep - 1))
            self.drop_after = None
            raise httpx.RemoteProtocolError("peer closed connection mid-chunk", request=request)
        if self.fail_next_chunk is not None:
            status, self.fail_next_chunk = self.fail_next_chunk, None
            return google_error(status, "backendError")
        session["data"] += data
        self.received.append((first, last))
        answer = self._progress(session)
        if self.lose_final_answer and answer.status_code == 201:
            self.lose_final_answer = False
            raise httpx.ReadTimeout("the answer never came", request=request)
        return answer

    def _progress(self, session: dict[str, Any]) -> httpx.Response:
        held = len(session["data"])
        if held < session["total"]:
            headers = {"Range": f"bytes=0-{held - 1}"} if held else {}
            return httpx.Response(308, headers=headers)
        if "video_id" not in session:
            session["video_id"] = self._create_video(session["meta"])
        return httpx.Response(201, json=self.videos[session["video_id"]])

    def _create_video(self, meta: dict[str, Any]) -> str:
        video_id = f"vid{next(self._ids):08d}"[:11]
        status = {**meta["status"], "uploadStatus": "uploaded"}
        if self.kept_private:
            status["privacyStatus"] = "private"
        self.videos[video_id] = {
            "kind": "youtube#video", "etag": "e", "id": video_id,
            "snippet": {**meta["snippet"], "channelId": self.channel["id"],
                        "channelTitle": self.channel["snippet"]["title"],
                        "publishedAt": "2026-12-07T10:00:00Z"},
            "status": status,
            "statistics": {"viewCount": "0", "likeCount": "0", "commentCount": "0"},
        }
        return video_id
