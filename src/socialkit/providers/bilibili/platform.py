"""The Bilibili provider (哔哩哔哩开放平台): video archives with review, data.

Every call is signed (see `.auth`). A video goes up in parts to the upload host, then the
archive is submitted with its cover; Bilibili reviews it (not public meanwhile), so
`publish` returns it *pending* and `get_post` reads the verdict.

Reference: openhome.bilibili.com/doc (mirrored at apifox.com/apidoc/docs-site/1106400):
视频稿件投递 (archive/video/init, video/v2/part/upload, archive/video/complete,
archive/cover/upload, archive/add-by-utoken), 视频稿件查询/编辑/删除 (archive/view,
archive/viewlist, archive/edit, archive/delete), 用户管理 (user/account/info), 数据开放服务
(data/arc/stat, data/user/stat) and 专栏稿件管理 文章提交 (article/add: a multipart form, and
"文章稿件提交之后会存在审核过程,期间不对外开放"); the official demo
github.com/bilibili-openplatform/demo (its ATC_BASE constants list article/add).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from ...errors import InvalidContent, SocialkitError
from ...models import Account, Draft, DraftLike, MediaUpload, Metric, Post, ResultPage
from ...platform import Call, Capability, Flow, PageFlow, Platform, PlatformSettings
from ...text import TextRules
from ...uploads import ChunkedUpload, ProgressCallback, send_parts
from . import parse
from .auth import BilibiliToken
from .errors import error_in_body, map_error
from .settings import API, REFRESH_URL, UPLOAD_HOST, BilibiliSettings

if TYPE_CHECKING:
    from ...credentials.core import Credential
    from ...steps import Response

__all__ = ["UNSUPPORTED", "Bilibili"]

TITLE = 80
ARTICLE_TITLE = 40  # (secondary: "最多不超过40字", github.com/ArtisanCloud/MediaX)
ARTICLE_URL = "https://www.bilibili.com/read/cv{id}"
_ARTICLE_OPTIONS = ("banner_url", "list_id", "top_video_bvid")
DESC = 2000  # (secondary: the creative center's limit)
PAGE_SIZE = 20
_FN = "/arcopen/fn"
_ID = re.compile(r"^BV[0-9A-Za-z]{10}$")

UNSUPPORTED = {
    Capability.PUBLISH_TEXT: "Bilibili archives are videos and short texts (dynamics) have no "
    "open API; a long-form article (专栏) is Bilibili.publish_article",
    Capability.PUBLISH_IMAGE: "Bilibili archives are videos; an image is only their cover",
    Capability.PUBLISH_THREAD: "Bilibili has no threads",
    Capability.READ_COMMENTS: "Bilibili's open platform offers apps no comment API",
    Capability.REPLY: "Bilibili's open platform offers apps no comment API",
    Capability.MODERATE: "Bilibili's open platform offers apps no comment API",
    Capability.MENTIONS: "Bilibili's open platform reports no mentions",
    Capability.SEARCH: "Bilibili's open platform has no search",
    Capability.REACT: "Bilibili's open platform cannot like videos",
    Capability.REPOST: "Bilibili's open platform cannot repost",
}
"""Why each capability Bilibili lacks is missing."""


class Bilibili(Platform):
    """A Bilibili (哔哩哔哩) account, through an app of the Bilibili open platform.

    ```python
    client = sk.connect("bilibili", access_token="...", client_id="...", app_secret="...")
    ```

    A draft carries one video and one cover image (required by Bilibili). The text's first
    line is the title (at most 80 characters), the rest the description. Draft options:
    ``tid`` (category id; else the ``tid`` setting), ``tags`` (a list or a comma-separated
    string; required), ``copyright`` (1 original, the default; 2 repost, with ``source``),
    ``no_reprint`` (1 forbids reposts).
    """

    name = "bilibili"
    Settings: ClassVar[type[PlatformSettings]] = BilibiliSettings
    default_base_url = API
    unsupported_reasons = UNSUPPORTED
    capabilities = frozenset({
        Capability.PUBLISH_VIDEO,
        Capability.READ_POSTS,
        Capability.EDIT,
        Capability.DELETE,
        Capability.POST_METRICS,
        Capability.ACCOUNT_METRICS,
    })
    rules = TextRules(max_length=TITLE + 1 + DESC, max_images=1, max_videos=1,
                      mixed_media=True)

    settings: BilibiliSettings

    @functools.cached_property
    def credential(self) -> Credential | None:
        """The user token; every call it authenticates is signed with the app secret."""
        s = self.settings
        return BilibiliToken(
            s.access_token, app_secret=s.app_secret, client_id=s.client_id,
            refresh_token=s.refresh_token, expires_at=s.expires_at, token_endpoint=REFRESH_URL,
        )

    @property
    def account_key(self) -> str:
        """The API root and the app: Bilibili counts calls per app and user."""
        return f"{self.base_url}|{self.settings.client_id}"

    def map_error(self, response: Response) -> SocialkitError:
        """Bilibili's ``code`` (or the HTTP status) → our exceptions."""
        return map_error(response)

    def error_in_body(self, response: Response) -> SocialkitError | None:
        """A non-zero ``code`` in an HTTP 200."""
        return error_in_body(response)

    def _data(self, response: Response | None) -> Mapping[str, Any]:
        body = self.json(response)
        data = body.get("data") if isinstance(body, Mapping) else None
        return data if isinstance(data, Mapping) else {}

    # -- validation ------------------------------------------------------------------------

    def validate(self, draft: DraftLike) -> Draft:
        """One video and one JPEG/PNG cover; a title of 1 to 80 characters; tags; a
        category. A draft without media passes (an edit of the title and description)."""
        draft = Draft.of(draft)
        kinds = [m.kind for m in draft.media]
        title, _ = _split(draft.text)
        if not title:
            raise self._invalid("title", "a Bilibili video needs a title (the first line)")
        if len(title) > TITLE:
            raise InvalidContent(
                f"the title is {len(title)} characters long; the limit is {TITLE}",
                rule="max_length", count=len(title), limit=TITLE, platform=self.name,
            )
        if not kinds:
            return draft
        if kinds.count("video") != 1 or kinds.count("image") != 1 or len(kinds) != 2:
            raise self._invalid(
                "media_kind", "a Bilibili archive carries one video and one cover image"
            )
        self.require(Capability.PUBLISH_VIDEO)
        if not _tags(draft.options):
            raise self._invalid("tags", "Bilibili needs tags: options={'tags': [...]}")
        if self._tid(draft) is None:
            raise self._invalid("tid", "Bilibili needs a category: options={'tid': ...} or "
                                "the tid setting")
        self.rules.check(draft, platform=self.name)
        return draft

    def _invalid(self, rule: str, message: str) -> InvalidContent:
        return InvalidContent(message, rule=rule, platform=self.name)

    def _tid(self, draft: Draft) -> int | None:
        tid = draft.options.get("tid", self.settings.tid)
        return int(tid) if tid is not None else None

    # -- publishing ------------------------------------------------------------------------

    def publish(self, draft: Draft) -> Flow[Post]:
        """Upload the video in parts, upload the cover, submit the archive; Bilibili reviews
        it before it is public, so the post is *pending*."""
        return (yield from self.upload_and_publish(draft))

    def upload_and_publish(
        self, draft: Draft, progress: ProgressCallback | None = None
    ) -> Flow[Post]:
        """`publish` with a ``progress(acknowledged_bytes, total_bytes)`` callback."""
        video = next((m for m in draft.media if m.kind == "video"), None)
        cover = next((m for m in draft.media if m.kind == "image"), None)
        if video is None or cover is None:
            raise self.unsupported(Capability.PUBLISH_TEXT if not draft.media
                                   else Capability.PUBLISH_IMAGE)
        token = yield from self._upload_video(video, progress)
        cover_url = yield from self._upload_cover(cover)
        response = yield self.call(
            "POST", f"{_FN}/archive/add-by-utoken", params={"upload_token": token},
            json=self._archive(draft, cover_url), idempotency_key=draft.idempotency_key,
        )
        resource_id = str(self._data(response)["resource_id"])
        return Post(
            platform=self.name, id=resource_id, text=draft.text,
            url=parse.video_url(resource_id), state="pending", state_reason=parse.REVIEW,
            raw=dict(self._data(response)),
        )

    def _archive(self, draft: Draft, cover_url: str) -> dict[str, Any]:
        title, desc = _split(draft.text)
        options = draft.options
        body: dict[str, Any] = {
            "title": title, "cover": cover_url, "tid": self._tid(draft),
            "no_reprint": int(options.get("no_reprint", 0)), "desc": desc,
            "tag": ",".join(_tags(options)), "copyright": int(options.get("copyright", 1)),
        }
        if options.get("source"):
            body["source"] = str(options["source"])
        return body

    def _upload_video(self, video: MediaUpload, progress: ProgressCallback | None) -> Flow[str]:
        if video.url is not None:
            raise self._invalid("media_source", "Bilibili uploads bytes: give a path or data")
        content = video.read()
        started = yield self.call(
            "POST", f"{_FN}/archive/video/init", json={"name": video.filename, "utype": "0"},
            idempotent=True,
        )
        token = str(self._data(started)["upload_token"])
        state = ChunkedUpload(total=len(content), chunk_size=self.settings.part_size,
                              progress=progress)
        def part_call(number: int, span: tuple[int, int]) -> Call:
            return self.call(
                "POST", f"{UPLOAD_HOST}/video/v2/part/upload",
                params={"upload_token": token, "part_number": number},
                content=content[span[0] : span[1] + 1],
                headers={"Content-Type": "application/octet-stream"},
                authenticated=False, idempotent=True, bucket="upload",
            )

        yield from send_parts(state, part_call)
        yield self.call("POST", f"{_FN}/archive/video/complete", params={"upload_token": token},
                        json={}, idempotent=True)
        return token

    def _upload_cover(self, cover: MediaUpload) -> Flow[str]:
        if cover.url is not None:
            raise self._invalid("media_source", "Bilibili uploads the cover's bytes")
        response = yield self.call(
            "POST", f"{_FN}/archive/cover/upload",
            files={"file": (cover.filename, cover.read(), cover.mime_type)}, idempotent=True,
        )
        return str(self._data(response)["url"])

    # -- articles (专栏) ----------------------------------------------------------------------

    def publish_article(self, draft: DraftLike) -> Flow[Post]:
        """``POST /arcopen/fn/article/add``: a long-form article (专栏), reviewed before it
        is public, so the post is *pending*. Run it with ``client.run(...)``.

        The title is ``options["title"]``, else the first line (at most 40 characters);
        the content is the rest (HTML as Bilibili's editor writes it, or plain text).
        Options: ``category`` (the article sub-category id; else the
        ``article_category`` setting; required), ``summary`` (else the content's first
        200 characters), ``template_id`` (else 4 with a ``banner_url`` or
        ``top_video_bvid``, 3 with three ``image_urls``, else 5: a default cover),
        ``image_urls`` (from Bilibili's article image upload), ``tags``, ``original``,
        ``close_replies``, ``banner_url``, ``top_video_bvid``, ``list_id`` (文集).
        The account's app needs Bilibili's article permission (ATC_BASE).
        """
        draft = Draft.of(draft)
        form = self._article_form(draft)
        content = form.pop("content")
        response = yield self.call(
            "POST", f"{_FN}/article/add", data=form,
            files={"content": (None, content.encode())},
            idempotency_key=draft.idempotency_key,
        )
        data = self._data(response)
        article_id = str(data["id"])
        return Post(
            platform=self.name, id=article_id, text=draft.text,
            url=ARTICLE_URL.format(id=article_id), state="pending",
            state_reason=parse.REVIEW, raw=dict(data),
        )

    def _article_form(self, draft: Draft) -> dict[str, str]:
        """The form of ``article/add``, checked before any request. (Field names from the
        reference's form example; ``template_id`` values, ``tags``, ``original``,
        ``up_closed_reply``, ``image_urls`` and the comma joins are secondary, from
        github.com/ArtisanCloud/MediaX.)"""
        if draft.media:
            raise self._invalid(
                "media_source", "an article's images go by URL (options['image_urls'] from "
                "Bilibili's article image upload, or 'banner_url'), not as uploads")
        options = draft.options
        title = str(options.get("title") or "")
        content = draft.text
        if not title:
            title, _, content = draft.text.strip().partition("\n")
        title, content = title.strip(), content.strip()
        if not title or not content:
            raise self._invalid("title", "a Bilibili article needs a title (options['title'] "
                                "or the first line) and content")
        if len(title) > ARTICLE_TITLE:
            raise InvalidContent(
                f"the article title is {len(title)} characters long; the limit is "
                f"{ARTICLE_TITLE}", rule="max_length", count=len(title), limit=ARTICLE_TITLE,
                platform=self.name)
        category = options.get("category", self.settings.article_category)
        if category is None:
            raise self._invalid("category", "a Bilibili article needs a category: "
                                "options={'category': ...} or the article_category setting")
        images = _listed(options.get("image_urls"))
        form = {
            "title": title, "category": str(int(category)),
            "template_id": str(int(options.get("template_id") or _template(options, images))),
            "summary": str(options.get("summary") or content[:200]), "content": content,
            "original": "1" if options.get("original") else "0",
            "up_closed_reply": "1" if options.get("close_replies") else "0",
        }
        if images:
            form["image_urls"] = ",".join(images)
        if _tags(options):
            form["tags"] = ",".join(_tags(options))
        form.update({k: str(options[k]) for k in _ARTICLE_OPTIONS if options.get(k)})
        return form

    # -- reading and managing --------------------------------------------------------------

    def me(self) -> Flow[Account]:
        """``GET /arcopen/fn/user/account/info``."""
        return parse.account(self._data((yield self.call("GET", f"{_FN}/user/account/info"))))

    def _view(self, resource_id: str) -> Flow[Mapping[str, Any]]:
        response = yield self.call("GET", f"{_FN}/archive/view",
                                   params={"resource_id": resource_id})
        return self._data(response)

    def get_post(self, post_id: str) -> Flow[Post]:
        """``GET /arcopen/fn/archive/view``: one of the account's archives, with its review
        state."""
        return parse.post((yield from self._view(post_id)))

    def posts(
        self, account: str | None, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Post]:
        """A page of ``GET /arcopen/fn/archive/viewlist`` (``pn``/``ps``)."""
        if account is not None:
            raise self.unsupported(Capability.READ_POSTS,
                                   "the open platform lists the authorized account's videos only")
        return self._list(int(cursor or 1))

    def _list(self, page: int) -> PageFlow[Post]:
        response = yield self.call("GET", f"{_FN}/archive/viewlist",
                                   params={"pn": page, "ps": PAGE_SIZE, "status": "all"})
        data = self._data(response)
        items = [parse.post(a) for a in data.get("list") or [] if isinstance(a, Mapping)]
        total = (data.get("page") or {}).get("total")
        more = bool(items) and isinstance(total, int) and page * PAGE_SIZE < total
        return ResultPage(items=items, next_cursor=str(page + 1) if more else None)

    def edit_post(self, post_id: str, draft: Draft) -> Flow[Post]:
        """``POST /arcopen/fn/archive/edit`` with every field (the current ones read first);
        the title and description change, and Bilibili reviews the archive again."""
        current = yield from self._view(post_id)
        title, desc = _split(draft.text)
        body = {
            "resource_id": post_id, "title": title, "desc": desc,
            "cover": current.get("cover"), "tid": draft.options.get("tid", current.get("tid")),
            "no_reprint": current.get("no_reprint", 0), "copyright": current.get("copyright", 1),
            "tag": ",".join(_tags(draft.options)) or current.get("tag", ""),
        }
        if current.get("source"):
            body["source"] = current["source"]
        yield self.call("POST", f"{_FN}/archive/edit", json=body, idempotent=True)
        return parse.post({**current, **body, "addit_info": {"state": -1}}).model_copy(
            update={"state_reason": "re-review after the edit (审核中)"}
        )

    def delete_post(self, post_id: str) -> Flow[None]:
        """``POST /arcopen/fn/archive/delete``."""
        yield self.call("POST", f"{_FN}/archive/delete", json={"resource_id": post_id},
                        idempotent=True)

    def post_metrics(self, post_id: str) -> Flow[list[Metric]]:
        """``GET /arcopen/fn/data/arc/stat``: views, likes, comments, shares, saves, coins,
        danmaku (lifetime)."""
        response = yield self.call("GET", f"{_FN}/data/arc/stat",
                                   params={"resource_id": post_id})
        return parse.post_metrics(post_id, self._data(response))

    def account_metrics(self, since: datetime | None, until: datetime | None) -> Flow[list[Metric]]:
        """``GET /arcopen/fn/data/user/stat``: followers, following and open videos now
        (no history; ``since``/``until`` are ignored)."""
        response = yield self.call("GET", f"{_FN}/data/user/stat")
        return parse.account_metrics(self.settings.client_id, self._data(response))


def _listed(value: Any) -> list[str]:
    if not value:
        return []
    items = value.split(",") if isinstance(value, str) else value
    return [str(item).strip() for item in items if str(item).strip()]


def _template(options: Mapping[str, Any], images: Sequence[str]) -> int:
    """The article template: 4 (one head image or video), 3 (three cover images), 5 (a
    default cover). (Secondary: github.com/ArtisanCloud/MediaX.)"""
    if options.get("banner_url") or options.get("top_video_bvid"):
        return 4
    return 3 if len(images) >= 3 else 5


def _split(text: str) -> tuple[str, str]:
    title, _, desc = text.strip().partition("\n")
    return title.strip(), desc.strip()


def _tags(options: Mapping[str, Any]) -> Sequence[str]:
    tags = options.get("tags") or ()
    if isinstance(tags, str):
        tags = tags.split(",")
    return [str(t).strip() for t in tags if str(t).strip()]
