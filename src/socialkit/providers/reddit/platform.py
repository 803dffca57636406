"""The Reddit provider: posts to subreddits, the comment trees under them, the inbox, karma.

Built from Reddit's API reference, https://www.reddit.com/dev/api (``/api/submit``,
``/api/submit_gallery_post.json``, ``/api/editusertext``, ``/api/del``, ``/api/info``,
``/comments/{article}``, ``/api/morechildren``, ``/api/comment``, ``/api/remove``,
``/api/approve``, ``/message/{where}``, ``/search``, ``/user/{username}/submitted``,
``/api/v1/me``, ``/subreddits/mine/{where}``), the OAuth2 wiki
(https://github.com/reddit-archive/reddit/wiki/OAuth2) and the API rules
(https://github.com/reddit-archive/reddit/wiki/API,
https://support.reddithelp.com/hc/en-us/articles/16160319875092-Reddit-Data-API-Wiki).
Calls go to ``https://oauth.reddit.com`` with ``Authorization: bearer`` and the app's own
User-Agent; answers are asked with ``raw_json=1`` so text comes unescaped.
"""

from __future__ import annotations

import functools
import hashlib
import re
import time
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote

from ...errors import (
    InvalidContent,
    NotFound,
    ParseError,
    PermissionDenied,
    PublishUncertain,
    SocialkitError,
)
from ...models import (
    Account,
    Comment,
    Draft,
    DraftLike,
    Mention,
    Metric,
    Post,
    ResultPage,
    native_id,
)
from ...platform import (
    Call,
    Capability,
    Flow,
    PageFlow,
    Platform,
    PlatformSettings,
    RateLimitInfo,
    ReplyTarget,
    Sleep,
    page_limit,
)
from ...text import TextRules
from . import comments as tree
from . import parse
from .auth import RedditToken, credential_for
from .errors import error_in_body, map_error, rate_limit_info
from .media import Asset, check, upload
from .settings import RedditSettings

if TYPE_CHECKING:
    from ...steps import Response

__all__ = ["MAX_BODY", "MAX_COMMENT", "MAX_TITLE", "UNSUPPORTED", "Reddit", "tree_article"]

MAX_TITLE = 300
"""The most characters a post title has."""
MAX_BODY = 40_000
"""The most characters a self post's text has."""
MAX_COMMENT = 10_000
"""The most characters a comment has."""
MAX_GALLERY = 20
PAGE_MAX = 100  # the most items a listing returns at once
_USERNAME = re.compile(r"^[A-Za-z0-9_-]{3,20}$")
COMMENTS_MAX = 500  # the most comments one /comments/{article} answer is asked for

UNSUPPORTED = {
    Capability.REACT: (
        "Reddit's rules forbid automated voting (bots must not vote), so socialkit does "
        "not vote"
    ),
    Capability.REPOST: (
        "a Reddit crosspost needs a target subreddit and a title: publish a Draft with "
        "options={'crosspost': post_id, 'subreddit': ...}"
    ),
    Capability.PUBLISH_THREAD: "Reddit posts are not chained; answer a post with reply()",
}
"""Why each capability Reddit lacks is missing."""


def _flag(value: object) -> str:
    return "true" if value else "false"


class Reddit(Platform):
    """A Reddit account.

    ```python
    client = sk.connect(
        "reddit", client_id="...", client_secret="...", username="brand", password="...",
        app_id="com.example.brandbot", subreddit="brand",
    )
    ```

    A post's title is ``options["title"]``, else the draft's first line; the rest of the
    text is the body of a self post. Draft options: ``subreddit`` (else the setting),
    ``title``, ``url`` (a link post), ``crosspost`` (the post to crosspost), ``flair_id``,
    ``flair_text``, ``nsfw``, ``spoiler``, ``sendreplies`` (default true). One image makes
    an image post, several a gallery (up to 20; each ``alt_text`` its caption), a video a
    video post (with one image as its poster).
    """

    name = "reddit"
    Settings: ClassVar[type[PlatformSettings]] = RedditSettings
    default_base_url = "https://oauth.reddit.com"
    unsupported_reasons = UNSUPPORTED
    capabilities = frozenset({
        Capability.PUBLISH_TEXT,
        Capability.PUBLISH_IMAGE,
        Capability.PUBLISH_VIDEO,
        Capability.READ_POSTS,
        Capability.EDIT,
        Capability.DELETE,
        Capability.READ_COMMENTS,
        Capability.REPLY,
        Capability.MODERATE,
        Capability.MENTIONS,
        Capability.SEARCH,
        Capability.POST_METRICS,
        Capability.ACCOUNT_METRICS,
    })
    rules = TextRules(max_length=MAX_BODY + MAX_TITLE + 2, max_images=MAX_GALLERY,
                      max_videos=1, mixed_media=True)

    settings: RedditSettings

    def __init__(self, settings: PlatformSettings | None = None, /, **values: Any) -> None:
        super().__init__(settings, **values)
        self._agent = self.settings.agent()
        self._username = self.settings.username

    # -- wiring ----------------------------------------------------------------------------

    @functools.cached_property
    def credential(self) -> RedditToken:
        """The bearer token, renewed by the password or refresh grant when configured."""
        return credential_for(self.settings)

    @property
    def account_key(self) -> str:
        """Reddit counts requests per OAuth client id: the app's id when known, else the
        account (a fingerprint, never a secret)."""
        who = self.settings.client_id or self.settings.username or (
            self.settings.access_token.get_secret_value() if self.settings.access_token else ""
        )
        return f"{self.base_url}|{hashlib.blake2b(who.encode(), digest_size=8).hexdigest()}"

    def call(self, method: str, url: str, **kwargs: Any) -> Call:
        """A `Call` carrying the app's User-Agent (Reddit throttles generic ones).

        Reddit's request window is one per app, so calls share the ``default`` bucket;
        submissions (``submit``) and comments (``comment``) have buckets of their own,
        so the per-account action limit (``RATELIMIT``) holds back only those.
        """
        kwargs["headers"] = {"User-Agent": self._agent, **dict(kwargs.get("headers") or {})}
        return super().call(method, url, **kwargs)

    def rate_limit(self, response: Response) -> RateLimitInfo | None:
        """``X-Ratelimit-Used``/``-Remaining``/``-Reset`` (seconds), clamped."""
        return rate_limit_info(response)

    def map_error(self, response: Response) -> SocialkitError:
        """Reddit's ``json.errors`` or HTTP error → our exceptions (401: `TokenExpired`)."""
        return map_error(response)

    def error_in_body(self, response: Response) -> SocialkitError | None:
        """``json.errors`` in a 200 answer (``RATELIMIT``, ``SUBREDDIT_NOEXIST``, ...)."""
        return error_in_body(response)

    # -- validation ------------------------------------------------------------------------

    def validate(self, draft: DraftLike) -> Draft:
        """The text rules, then what Reddit takes as media: files (not URLs) of JPEG, PNG,
        GIF, MP4 or MOV; one video (with at most one image, its poster) or up to 20 images."""
        draft = super().validate(draft)
        if draft.visibility not in (None, "public"):
            raise self._invalid("visibility", f"everything on Reddit is public; there is no "
                                f"{draft.visibility!r} post or comment")
        for media in draft.media:
            check(media)
        videos = [m for m in draft.media if m.kind == "video"]
        if videos and len(draft.media) > 2:
            raise self._invalid("max_videos", "a Reddit video post has one video and at most "
                                "one image (its poster)")
        return draft

    def _invalid(self, rule: str, message: str, **extra: Any) -> InvalidContent:
        return InvalidContent(message, rule=rule, platform=self.name, **extra)

    def _title_and_body(self, draft: Draft) -> tuple[str, str]:
        title = draft.options.get("title")
        if title is not None:
            title_text, body = str(title).strip(), draft.text.strip()
        else:
            first, _, rest = draft.text.strip().partition("\n")
            title_text, body = first.strip(), rest.strip()
        if not title_text:
            raise self._invalid("title", "a Reddit post needs a title: options['title'] or "
                                "the draft's first line")
        if len(title_text) > MAX_TITLE:
            raise self._invalid(
                "max_length",
                f"the title is {len(title_text)} characters long; the limit is {MAX_TITLE} "
                "(give a shorter first line, or options['title'])",
                count=len(title_text), limit=MAX_TITLE,
            )
        if len(body) > MAX_BODY:
            raise self._invalid("max_length", f"the text is {len(body)} characters long; the "
                                f"limit is {MAX_BODY}", count=len(body), limit=MAX_BODY)
        return title_text, body

    # -- the account -----------------------------------------------------------------------

    def me(self) -> Flow[Account]:
        """``GET /api/v1/me`` (scope ``identity``)."""
        response = yield self.call("GET", "/api/v1/me", params={"raw_json": 1})
        found = parse.account(self._object(response))
        self._username = found.handle
        return found

    def _name(self) -> Flow[str]:
        if self._username is None:
            yield from self.me()
        assert self._username is not None
        return self._username

    def _object(self, response: Response | None) -> Mapping[str, Any]:
        body = self.json(response)
        if not isinstance(body, Mapping):
            raise ParseError("Reddit answered with JSON that is not an object", platform=self.name)
        return body

    # -- publishing ------------------------------------------------------------------------

    def publish(self, draft: Draft) -> Flow[Post]:
        """``POST /api/submit`` (``self``, ``link``, ``crosspost``, ``image``, ``video``) or
        ``POST /api/submit_gallery_post.json``, to the draft's subreddit.

        An error in the answer (``RATELIMIT``: `RateLimited` with the wait Reddit asked for)
        is raised; an answer lost on the way is `PublishUncertain` (Reddit takes no
        idempotency key, so a submit is never sent twice). Image and video posts are
        processed before they show: the account's newest submissions are checked until the
        post appears (``media_checks`` times, ``media_wait`` seconds apart).
        """
        subreddit = self.settings.target(draft.options.get("subreddit"))
        title, body = self._title_and_body(draft)
        if draft.reply_to_id:
            raise self._invalid("reply_to_id", "a Reddit post answers nothing; use reply()")
        form: dict[str, Any] = {
            "api_type": "json",
            "sr": subreddit,
            "title": title,
            "sendreplies": _flag(draft.options.get("sendreplies", True)),
            "nsfw": _flag(draft.options.get("nsfw")),
            "spoiler": _flag(draft.options.get("spoiler")),
        }
        for key in ("flair_id", "flair_text"):
            if draft.options.get(key):
                form[key] = str(draft.options[key])
        images = [m for m in draft.media if m.kind in ("image", "gif")]
        videos = [m for m in draft.media if m.kind == "video"]
        if draft.media and body:
            raise self._invalid(
                "media_text", "Reddit image, video and gallery posts carry a title and no "
                "text: keep the draft to its title line (or give options['title'] and no text)",
            )
        if body and (draft.options.get("url") or draft.options.get("crosspost")):
            raise self._invalid(
                "link_text", "a Reddit link post or crosspost carries a title and no text: "
                "keep the draft to its title line",
            )
        if len(images) > 1 and not videos:
            return (yield from self._gallery(draft, form, images))
        if videos:
            if not images:
                raise self._invalid("video_poster", "a Reddit video post needs a poster "
                                    "image: attach one image with the video")
            video = yield from upload(self, videos[0])
            poster = yield from upload(self, images[0])
            form.update(kind="video", url=video.url, video_poster_url=poster.url)
        elif images:
            image = yield from upload(self, images[0])
            form.update(kind="image", url=image.url)
        elif draft.options.get("crosspost"):
            form.update(kind="crosspost",
                        crosspost_fullname=self._fullname(str(draft.options["crosspost"]), "t3"))
        elif draft.options.get("url"):
            form.update(kind="link", url=str(draft.options["url"]), resubmit="true")
        else:
            form.update(kind="self", text=body)
        since = time.time()
        response = yield self.call(
            "POST", "/api/submit", data=form, bucket="submit",
            idempotency_key=draft.idempotency_key,
        )
        data = self._json_data(response)
        if data.get("name") or data.get("id"):
            return self._submitted(data, form, body)
        return (yield from self._find_submitted(subreddit, title, since, draft.idempotency_key))

    def _json_data(self, response: Response | None) -> Mapping[str, Any]:
        body = self._object(response)
        outer = body.get("json")
        data = outer.get("data") if isinstance(outer, Mapping) else None
        return data if isinstance(data, Mapping) else {}

    def _submitted(self, data: Mapping[str, Any], form: Mapping[str, Any], body: str) -> Post:
        name = str(data.get("name") or f"t3_{data['id']}")
        author = None
        if self._username:
            author = Account(platform=self.name, id=self._username, handle=self._username,
                             url=f"{parse.SITE}/user/{self._username}/")
        text = str(form["title"])
        if body and form.get("kind") == "self":
            text = f"{text}\n\n{body}"
        return Post(platform=self.name, id=name, author=author, text=text,
                    url=str(data["url"]) if data.get("url") else None, raw=data)

    def _gallery(self, draft: Draft, form: dict[str, Any], images: list[Any]) -> Flow[Post]:
        assets: list[Asset] = []
        for image in images:
            assets.append((yield from upload(self, image)))
        if any(a.asset_id is None for a in assets):
            raise ParseError("Reddit's upload lease gave no asset id for the gallery",
                             platform=self.name)
        payload: dict[str, Any] = {
            **{k: v for k, v in form.items() if k not in ("nsfw", "spoiler", "sendreplies")},
            "nsfw": bool(draft.options.get("nsfw")),
            "spoiler": bool(draft.options.get("spoiler")),
            "sendreplies": bool(draft.options.get("sendreplies", True)),
            "show_error_list": True,
            "items": [
                {"media_id": a.asset_id, "caption": m.alt_text or "", "outbound_url": ""}
                for a, m in zip(assets, images, strict=True)
            ],
        }
        response = yield self.call(
            "POST", "/api/submit_gallery_post.json", json=payload, bucket="submit",
            idempotency_key=draft.idempotency_key,
        )
        data = self._json_data(response)
        url = data.get("url")
        article = tree_article(url) if isinstance(url, str) else None
        name = str(data.get("name") or data.get("id") or (f"t3_{article}" if article else ""))
        if not name:
            raise ParseError("Reddit accepted the gallery without naming it", platform=self.name)
        if not name.startswith("t3_"):
            name = f"t3_{name}"
        return Post(platform=self.name, id=name, text=str(form["title"]),
                    url=str(url) if url else None, raw=data)

    def _find_submitted(
        self, subreddit: str, title: str, since: float, key: str
    ) -> Flow[Post]:
        name = yield from self._name()
        for _ in range(self.settings.media_checks):
            yield Sleep(self.settings.media_wait)
            response = yield self.call(
                "GET", f"/user/{quote(name, safe='')}/submitted",
                params={"sort": "new", "limit": 10, "raw_json": 1},
            )
            for data in parse.things(self.json(response)):
                same_place = str(data.get("subreddit", "")).lower() == subreddit.lower()
                created = data.get("created_utc")
                recent = isinstance(created, int | float) and created >= since - 120
                if same_place and data.get("title") == title and recent:
                    return parse.post(data)
        raise PublishUncertain(
            f"Reddit accepted the media post to r/{subreddit} but it has not appeared among "
            "the account's submissions (it may still be processing, or processing failed); "
            "check before publishing again",
            platform=self.name,
            idempotency_key=key,
        )

    # -- posts -----------------------------------------------------------------------------

    def _fullname(self, thing_id: str, kind: str) -> str:
        try:
            return parse.fullname(thing_id, kind)
        except ValueError:
            raise NotFound(f"{thing_id!r} is not a Reddit id", platform=self.name) from None

    def _link(self, post_id: str) -> Flow[Mapping[str, Any]]:
        name = self._fullname(post_id, "t3")
        if not name.startswith("t3_"):
            raise NotFound(f"{post_id!r} is not a Reddit post", platform=self.name)
        response = yield self.call("GET", "/api/info", params={"id": name, "raw_json": 1})
        found = [t for t in parse.things(self.json(response)) if t.get("name") == name]
        if not found or found[0].get("removed_by_category") == "deleted":
            raise NotFound(f"Reddit has no post {name}", platform=self.name)
        return found[0]

    def get_post(self, post_id: str) -> Flow[Post]:
        """``GET /api/info?id=t3_...``; a post its author deleted is `NotFound`."""
        return parse.post((yield from self._link(post_id)))

    def edit_post(self, post_id: str, draft: Draft) -> Flow[Post]:
        """``POST /api/editusertext``: replaces a self post's text (a leading line equal to
        the title is taken as the title, which Reddit never changes). Link, image and video
        posts have no text to edit: `Unsupported`."""
        if draft.media:
            raise self._invalid("media", "Reddit cannot change a post's media")
        current = yield from self._link(post_id)
        if not current.get("is_self"):
            raise self.unsupported(
                Capability.EDIT, "Reddit edits the text of self posts only; a link, image or "
                "video post cannot be changed",
            )
        text = draft.text.strip()
        first, _, rest = text.partition("\n")
        if first.strip() == str(current.get("title") or "").strip():
            text = rest.strip()
        if len(text) > MAX_BODY:
            raise self._invalid("max_length", f"the text is {len(text)} characters long; the "
                                f"limit is {MAX_BODY}", count=len(text), limit=MAX_BODY)
        response = yield self.call(
            "POST", "/api/editusertext", params={"raw_json": 1},
            data={"api_type": "json", "thing_id": str(current["name"]), "text": text},
        )
        things = self._things(response)
        return parse.post(things[0]) if things else parse.post({**current, "selftext": text})

    def _things(self, response: Response | None) -> list[Mapping[str, Any]]:
        things = self._json_data(response).get("things")
        return [
            {**t["data"], "_kind": t.get("kind")}
            for t in things or []
            if isinstance(t, Mapping) and isinstance(t.get("data"), Mapping)
        ]

    def delete_post(self, post_id: str) -> Flow[None]:
        """``POST /api/del`` with the post's fullname."""
        yield self.call("POST", "/api/del", data={"id": self._fullname(post_id, "t3")})

    def posts(
        self, account: str | None, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Post]:
        """A page of ``GET /user/{username}/submitted`` (newest first; the cursor is the
        ``after`` fullname)."""
        name = account.removeprefix("/").removeprefix("u/") if account else None
        if name is None:
            name = yield from self._name()
        elif not _USERNAME.match(name):
            raise NotFound(f"{account!r} is not a Reddit username", platform=self.name)
        response = yield self.call(
            "GET", f"/user/{quote(name, safe='')}/submitted",
            params=self._page(cursor, limit) | {"sort": "new"},
        )
        return parse.page_of_posts(self.json(response))

    def _page(self, cursor: str | None, limit: int | None) -> dict[str, Any]:
        params: dict[str, Any] = {"limit": page_limit(limit, PAGE_MAX), "raw_json": 1}
        if cursor:
            params["after"] = self._fullname(cursor, "t3")
        return params

    # -- comments --------------------------------------------------------------------------

    def comments(
        self, post_id: str, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Comment]:
        """The comment tree under a post, depth-first, with "load more" expanded page by
        page (``/comments/{article}``, then ``/api/morechildren``)."""
        link = self._fullname(post_id, "t3")
        article = link.removeprefix("t3_")
        if cursor is None:
            response = yield self.call(
                "GET", f"/comments/{article}",
                params={"limit": page_limit(limit, COMMENTS_MAX), "raw_json": 1},
            )
            found = tree.flatten(self.json(response))
            return ResultPage(items=found.comments, next_cursor=tree.cursor_of(found.pending))
        try:
            batch, rest = tree.next_batch(cursor, page_limit(limit, tree.MORE_BATCH))
        except ValueError:
            raise NotFound("not a cursor of Reddit comments", platform=self.name) from None
        if batch[0].startswith("~"):
            parent = batch[0][1:]
            response = yield self.call(
                "GET", f"/comments/{article}",
                params={"comment": parent.removeprefix("t1_"), "raw_json": 1},
            )
            found = tree.flatten(self.json(response), skip=parent)
        else:
            response = yield self.call(
                "GET", "/api/morechildren",
                params={"api_type": "json", "link_id": link, "children": ",".join(batch),
                        "raw_json": 1},
            )
            found = tree.flatten_more(self.json(response))
        return ResultPage(items=found.comments, next_cursor=tree.cursor_of(found.pending + rest))

    def reply(self, target: ReplyTarget, draft: Draft) -> Flow[Comment]:
        """``POST /api/comment`` under a post, a comment or an inbox item."""
        if draft.media:
            raise self._invalid("media", "Reddit comments carry text only")
        if not draft.text.strip():
            raise self._invalid("text", "a Reddit comment needs text")
        if len(draft.text) > MAX_COMMENT:
            raise self._invalid("max_length", f"a comment is {len(draft.text)} characters long;"
                                f" the limit is {MAX_COMMENT}", count=len(draft.text),
                                limit=MAX_COMMENT)
        parent = self._parent(target)
        response = yield self.call(
            "POST", "/api/comment", params={"raw_json": 1},
            data={"api_type": "json", "thing_id": parent, "text": draft.text}, bucket="comment",
        )
        things = self._things(response)
        if not things:
            raise ParseError("Reddit answered /api/comment without the comment",
                             platform=self.name)
        data = things[0]
        if data.get("_kind") == "t1" and data.get("link_id"):
            return parse.comment(data)
        return Comment(platform=self.name, id=native_id(data.get("name")), thread_root_id=parent,
                       reply_to_id=parent, text=str(data.get("body") or draft.text), raw=data)

    def _parent(self, target: ReplyTarget) -> str:
        if isinstance(target, Post):
            return self._fullname(target.id, "t3")
        if isinstance(target, Comment | Mention):
            return self._fullname(target.id, "t1")
        return self._fullname(target, "t3")

    def hide_comment(self, comment_id: str, hidden: bool) -> Flow[None]:
        """``POST /api/remove`` (``spam=false``) or ``POST /api/approve``: moderators only
        (else `PermissionDenied`)."""
        name = self._fullname(comment_id, "t1")
        if hidden:
            yield self.call("POST", "/api/remove", data={"id": name, "spam": "false"})
        else:
            yield self.call("POST", "/api/approve", data={"id": name})

    def delete_comment(self, comment_id: str) -> Flow[None]:
        """``POST /api/del``: the account's own comments."""
        yield self.call("POST", "/api/del", data={"id": self._fullname(comment_id, "t1")})

    # -- the inbox and search --------------------------------------------------------------

    def mentions(
        self, since_id: str | None, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Mention]:
        """A page of ``GET /message/mentions`` (username mentions; ``mention_box="inbox"``:
        ``/message/inbox``, also replies and private messages), newest first, without
        marking them read; ends at mention id ``since_id``."""
        params: dict[str, Any] = {"limit": page_limit(limit, PAGE_MAX), "raw_json": 1,
                                  "mark": "false"}
        if cursor:
            params["after"] = self._fullname(cursor, "t1")
        response = yield self.call("GET", f"/message/{self.settings.mention_box}",
                                   params=params)
        items, after = parse.listing(self.json(response))
        found: list[Mention] = []
        for data in items:
            item = parse.mention(data)
            if since_id is not None and item.id == since_id:
                return ResultPage(items=found, next_cursor=None)
            found.append(item)
        return ResultPage(items=found, next_cursor=after)

    def search(
        self, query: str, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Post]:
        """A page of ``GET /search`` (``type=link``, ``sort=new``): posts across Reddit."""
        params = self._page(cursor, limit) | {"q": query, "type": "link", "sort": "new"}
        response = yield self.call("GET", "/search", params=params)
        return parse.page_of_posts(self.json(response))

    # -- metrics ---------------------------------------------------------------------------

    def post_metrics(self, post_id: str) -> Flow[list[Metric]]:
        """Score, upvote ratio, comments and crossposts (``/api/info``), as of now."""
        return parse.post_metrics((yield from self._link(post_id)))

    def account_metrics(self, since: datetime | None, until: datetime | None) -> Flow[list[Metric]]:
        """A snapshot: karma (``/api/v1/me``), the profile's followers, and the subscribers
        of the subreddits the account moderates (``/subreddits/mine/moderator``; left out
        when the token lacks the ``mysubreddits`` scope). Reddit keeps no history to query;
        ``since``/``until`` are ignored."""
        response = yield self.call("GET", "/api/v1/me", params={"raw_json": 1})
        me = self._object(response)
        try:
            response = yield self.call("GET", "/subreddits/mine/moderator",
                                       params={"limit": PAGE_MAX, "raw_json": 1})
        except PermissionDenied:  # a token without the mysubreddits scope: karma only
            return parse.account_metrics(me, [])
        return parse.account_metrics(me, parse.things(self.json(response)))


def tree_article(url: str) -> str | None:
    """The base-36 id in a post's URL (``.../comments/{id}/...``)."""
    found = parse.ARTICLE.search(url)
    return found.group(1) if found else None

