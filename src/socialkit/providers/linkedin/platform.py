"""The LinkedIn provider: posts, comments, reactions and statistics over the versioned REST API.

Built from LinkedIn's Community Management API reference on learn.microsoft.com
(``/linkedin/marketing/community-management/``): shares/posts-api, shares/images-api,
shares/videos-api, shares/comments-api, shares/reactions-api, shares/little-text-format,
organizations/share-statistics, organizations/follower-statistics,
organizations/organization-lookup-api (networkSizes),
organizations/organization-social-action-notifications, members/post-statistics,
members/follower-statistics. Every call carries ``LinkedIn-Version`` and
``X-Restli-Protocol-Version: 2.0.0``.
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

from ...credentials.core import BearerToken, Credential, OAuth2Token
from ...errors import InvalidContent, NotFound, ParseError, SocialkitError
from ...models import Account, Comment, Draft, DraftLike, Mention, Metric, Post
from ...platform import (
    Call,
    Capability,
    Flow,
    PageFlow,
    Platform,
    PlatformSettings,
    ReplyTarget,
)
from ...text import TextRules
from . import comments, insights, parse
from .errors import map_error
from .little import mentions_of, to_little
from .media import MediaPolicy, upload_image, upload_video
from .settings import LinkedInSettings
from .urns import (
    encode,
    post_url,
    require_post,
    require_target,
    with_query,
)

if TYPE_CHECKING:
    from ...steps import Response

__all__ = ["REACTIONS", "UNSUPPORTED", "LinkedIn"]

REACTIONS = {
    "like": "LIKE",
    "celebrate": "PRAISE",
    "praise": "PRAISE",
    "support": "APPRECIATION",
    "appreciation": "APPRECIATION",
    "love": "EMPATHY",
    "empathy": "EMPATHY",
    "insightful": "INTEREST",
    "interest": "INTEREST",
    "funny": "ENTERTAINMENT",
    "entertainment": "ENTERTAINMENT",
}
"""Reaction kinds (LinkedIn's button names and its API names) → ``reactionType``."""

UNSUPPORTED = {
    Capability.PUBLISH_THREAD: "LinkedIn has no threads; answer a post with reply()",
    Capability.MODERATE: "LinkedIn has no API to hide comments (delete_comment works)",
    Capability.SEARCH: "LinkedIn has no public API to search posts",
}
"""Why each capability LinkedIn lacks is missing."""

_VISIBILITY = {"public": "PUBLIC", "private": "CONNECTIONS"}
_PERSON_OR_ORG = ("urn:li:person:", "urn:li:organization:")
_FINDER = {"X-RestLi-Method": "FINDER"}
_DELETE = {"X-RestLi-Method": "DELETE"}


class LinkedIn(Platform):
    """LinkedIn members and organization pages.

    ```python
    client = sk.connect("linkedin", access_token="...", author="urn:li:organization:2414183")
    ```

    Draft options: ``mentions`` (``{"Acme Corp": "urn:li:organization:1234"}``: each
    ``@Acme Corp`` of the text becomes a mention), ``hashtags`` (``False`` keeps ``#`` as
    plain text), ``reshare_disabled`` (``True`` forbids reshares), ``video_title``.
    """

    name = "linkedin"
    Settings: ClassVar[type[PlatformSettings]] = LinkedInSettings
    default_base_url = "https://api.linkedin.com"
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
        Capability.MENTIONS,
        Capability.POST_METRICS,
        Capability.ACCOUNT_METRICS,
        Capability.REACT,
        Capability.REPOST,
    })
    rules = TextRules(max_length=3000, max_images=20, max_videos=1, mixed_media=False)
    upload_hosts: ClassVar[frozenset[str]] = frozenset({"www.linkedin.com"})
    """Hosts of Images API upload URLs, which LinkedIn documents as taking the token."""

    settings: LinkedInSettings

    def __init__(self, settings: PlatformSettings) -> None:
        if not isinstance(settings, LinkedInSettings):
            settings = LinkedInSettings.model_validate(dict(settings))
        super().__init__(settings)
        self.media_policy = MediaPolicy()
        self.page_size = 50

    # -- wiring ----------------------------------------------------------------------------

    @functools.cached_property
    def trusted_hosts(self) -> frozenset[str]:
        """The API host, plus LinkedIn's image upload host (the Images API asks for the token)."""
        return super().trusted_hosts | self.upload_hosts

    @functools.cached_property
    def credential(self) -> Credential | None:
        """A bearer token; refreshable when a refresh token and the app's client are given."""
        settings = self.settings
        if settings.refresh_token is None:
            return BearerToken(settings.access_token)
        return OAuth2Token(
            settings.access_token,
            refresh_token=settings.refresh_token,
            expires_at=settings.expires_at,
            token_endpoint=settings.token_endpoint,
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            platform=self.name,
        )

    @property
    def account_key(self) -> str:
        """The API root and the author: LinkedIn's limits are per member and application."""
        return f"{self.base_url}|{self.settings.author}"

    def call(self, method: str, url: str, **kwargs: Any) -> Call:
        """A `Call` with ``LinkedIn-Version`` and ``X-Restli-Protocol-Version`` for API paths."""
        if "://" not in url:
            path = urlsplit(url).path
            kwargs.setdefault("bucket", path.removeprefix("/rest/").split("/")[0] or "default")
            kwargs["headers"] = {
                "LinkedIn-Version": self.settings.api_version,
                "X-Restli-Protocol-Version": "2.0.0",
                **kwargs.get("headers", {}),
            }
        return super().call(method, url, **kwargs)

    def map_error(self, response: Response) -> SocialkitError:
        """``{"status", "serviceErrorCode", "code", "message"}`` → our exceptions."""
        return map_error(response)

    # -- validation ------------------------------------------------------------------------

    def validate(self, draft: DraftLike) -> Draft:
        """Length (3,000 characters), 1 video or up to 20 images, local media, visibility,
        and the ``mentions`` option; a post never replies (use ``reply``)."""
        draft = super().validate(draft)
        if draft.reply_to_id:
            raise InvalidContent(
                "LinkedIn posts cannot reply to posts; answer with client.reply()",
                rule="reply_to_id",
                platform=self.name,
            )
        if any(m.url is not None for m in draft.media):
            raise InvalidContent(
                "LinkedIn uploads media from bytes or files, not from URLs",
                rule="media_source",
                platform=self.name,
            )
        self._visibility(draft)
        mentions_of(draft)
        return draft

    def _visibility(self, draft: Draft) -> str:
        wanted = draft.visibility or "public"
        native = _VISIBILITY.get(wanted)
        if native is None or (native == "CONNECTIONS" and self.settings.is_organization):
            raise InvalidContent(
                f"LinkedIn has no {wanted!r} visibility for this author (public"
                + (")" if self.settings.is_organization else ", or private: connections only)"),
                rule="visibility",
                platform=self.name,
            )
        return native

    # -- the account -----------------------------------------------------------------------

    def me(self) -> Flow[Account]:
        """The author: ``GET /rest/organizations/{id}``, or ``GET /v2/userinfo`` for a member."""
        author = self.settings.author
        if self.settings.is_organization:
            response = yield self.call("GET", f"/rest/organizations/{author.rsplit(':', 1)[1]}")
            data = self.json(response)
            vanity = data.get("vanityName")
            return Account(
                platform=self.name,
                id=author,
                handle=str(vanity or author),
                display_name=data.get("localizedName"),
                url=f"https://www.linkedin.com/company/{vanity}/" if vanity else None,
                raw=data,
            )
        response = yield self.call("GET", "/v2/userinfo")
        data = self.json(response)
        return Account(
            platform=self.name,
            id=author,
            handle=author,
            display_name=data.get("name"),
            avatar_url=data.get("picture"),
            raw=data,
        )

    # -- publishing ------------------------------------------------------------------------

    def _post_body(self, draft: Draft, commentary: str) -> dict[str, Any]:
        return {
            "author": self.settings.author,
            "commentary": commentary,
            "visibility": self._visibility(draft),
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": bool(draft.options.get("reshare_disabled", False)),
        }

    def _content(self, draft: Draft) -> Flow[dict[str, Any] | None]:
        owner = self.settings.author
        images: list[dict[str, Any]] = []
        for upload in draft.media:
            if upload.kind == "video":
                urn = yield from upload_video(self, upload, owner, self.media_policy)
                media: dict[str, Any] = {"id": urn}
                if draft.options.get("video_title"):
                    media["title"] = str(draft.options["video_title"])
                return {"media": media}
            urn = yield from upload_image(self, upload, owner)
            images.append({"id": urn, **({"altText": upload.alt_text} if upload.alt_text else {})})
        if len(images) == 1:
            return {"media": images[0]}
        return {"multiImage": {"images": images}} if images else None

    def _created(self, response: Response | None) -> str:
        urn = response.headers.get("x-restli-id") if response is not None else None
        if not isinstance(urn, str) or not urn:
            raise ParseError("LinkedIn created the post without an x-restli-id", platform=self.name)
        return urn

    def publish(self, draft: Draft) -> Flow[Post]:
        """``POST /rest/posts`` with the little-escaped commentary and uploaded media; the
        new post's URN comes from the ``x-restli-id`` header."""
        content = yield from self._content(draft)
        body = self._post_body(draft, to_little(draft))
        if content is not None:
            body["content"] = content
        response = yield self.call("POST", "/rest/posts", json=body)
        urn = self._created(response)
        return Post(
            platform=self.name,
            id=urn,
            author=parse.account(self.settings.author),
            text=draft.text,
            url=post_url(urn),
            visibility=body["visibility"].lower(),
        )

    def edit_post(self, post_id: str, draft: Draft) -> Flow[Post]:
        """Replace the commentary (``PARTIAL_UPDATE``); LinkedIn cannot change a post's media."""
        urn = require_post(post_id)
        if draft.media:
            raise InvalidContent(
                "LinkedIn can edit a post's text only, not its media",
                rule="edit_media",
                platform=self.name,
            )
        yield self.call(
            "POST",
            f"/rest/posts/{encode(urn)}",
            json={"patch": {"$set": {"commentary": to_little(draft)}}},
            headers={"X-RestLi-Method": "PARTIAL_UPDATE"},
            idempotent=True,
        )
        return (yield from self.get_post(urn))

    def delete_post(self, post_id: str) -> Flow[None]:
        """``DELETE /rest/posts/{urn}``."""
        yield self.call("DELETE", f"/rest/posts/{encode(require_post(post_id))}", headers=_DELETE)

    def repost(self, post_id: str) -> Flow[None]:
        """A reshare: ``POST /rest/posts`` with ``reshareContext.parent`` and no commentary."""
        body = self._post_body(Draft(), "")
        body["reshareContext"] = {"parent": require_post(post_id)}
        response = yield self.call("POST", "/rest/posts", json=body)
        self._created(response)

    # -- reading ---------------------------------------------------------------------------

    def get_post(self, post_id: str) -> Flow[Post]:
        """``GET /rest/posts/{urn}``."""
        response = yield self.call("GET", f"/rest/posts/{encode(require_post(post_id))}")
        return parse.post(self.json(response))

    def posts(
        self, account: str | None, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Post]:
        """A page of ``GET /rest/posts?q=author`` (the author's, or ``account``: a person or
        organization URN)."""
        author = account or self.settings.author
        if not author.startswith(_PERSON_OR_ORG):
            raise NotFound(f"{author!r} is not a person or organization URN", platform=self.name)
        start = int(cursor or 0)
        url = with_query(
            "/rest/posts",
            ("author", encode(author)),
            ("q", "author"),
            ("count", self.page_size),
            ("start", start),
        )
        response = yield self.call("GET", url, headers=_FINDER)
        body = self.json(response)
        posts = (parse.post(e) for e in parse.elements(body))
        return parse.page(body, posts, start, self.page_size)

    def comments(
        self, post_id: str, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Comment]:
        """A page of ``GET /rest/socialActions/{urn}/comments``; each comment that has
        replies is followed by them (LinkedIn nests one level), ``parent_id`` set."""
        return comments.listing(self, post_id, cursor, self.page_size)

    def mentions(
        self, since_id: str | None, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Mention]:
        """An organization's ``SHARE_MENTION`` notifications (``organizationalEntityNotifications``,
        kept 60 days); newer than mention id ``since_id``. Members: `Unsupported`."""
        if not self.settings.is_organization:
            raise self.unsupported(
                Capability.MENTIONS,
                "LinkedIn reports mentions of organization pages only (organization social "
                "action notifications); a member's mentions have no public API",
            )
        return self._mentions(since_id, cursor)

    def _mentions(self, since_id: str | None, cursor: str | None) -> PageFlow[Mention]:
        start = int(cursor or 0)
        url = with_query(
            "/rest/organizationalEntityNotifications",
            ("q", "criteria"),
            ("actions", "List(SHARE_MENTION)"),
            ("organizationalEntity", encode(self.settings.author)),
            ("start", start),
            ("count", self.page_size),
        )
        response = yield self.call("GET", url, headers=_FINDER)
        body = self.json(response)
        found: list[Mention] = []
        for element in parse.elements(body):
            item = parse.mention(element)
            if since_id is not None and item.id == since_id:
                return parse.page({}, found, start, self.page_size)
            found.append(item)
        return parse.page(body, found, start, self.page_size)

    # -- answering -------------------------------------------------------------------------

    def reply(self, target: ReplyTarget, draft: Draft) -> Flow[Comment]:
        """``POST /rest/socialActions/{urn}/comments`` as the author; on a comment, a reply
        with ``parentComment``. Mentions from the ``mentions`` option become attributes."""
        if draft.media:
            raise InvalidContent(
                "socialkit posts LinkedIn comments as text only", rule="media", platform=self.name
            )
        return (yield from comments.create(self, self.settings.author, target, draft))

    def delete_comment(self, comment_id: str) -> Flow[None]:
        """``DELETE /rest/socialActions/{target}/comments/{id}?actor=…``: the author's own
        comments, or any comment on the organization's posts. Not `MODERATE`: LinkedIn
        cannot hide comments."""
        yield from comments.delete(self, self.settings.author, comment_id)

    def react(self, post_id: str, kind: str) -> Flow[None]:
        """``POST /rest/reactions?actor=…`` with ``root`` and ``reactionType``."""
        reaction = REACTIONS.get(kind.lower())
        if reaction is None:
            raise self.unsupported(
                Capability.REACT,
                f"LinkedIn has no {kind!r} reaction; use one of {', '.join(sorted(REACTIONS))}",
            )
        url = with_query("/rest/reactions", ("actor", encode(self.settings.author)))
        body = {"root": require_target(post_id), "reactionType": reaction}
        yield self.call("POST", url, json=body, idempotent=True)

    # -- metrics ---------------------------------------------------------------------------

    def post_metrics(self, post_id: str) -> Flow[list[Metric]]:
        """Organization posts: ``organizationalEntityShareStatistics`` (lifetime). Member
        posts: ``memberCreatorPostAnalytics`` (needs ``r_member_postAnalytics``)."""
        urn = require_post(post_id)
        if self.settings.is_organization:
            return (yield from insights.organization_post(self, self.settings.author, urn))
        return (yield from insights.member_post(self, urn))

    def account_metrics(self, since: datetime | None, until: datetime | None) -> Flow[list[Metric]]:
        """Followers now; with ``since``, daily follower gains (and, for organizations,
        daily share statistics) from ``since`` to ``until`` (now by default)."""
        author = self.settings.author
        if self.settings.is_organization:
            return (yield from insights.organization(self, author, since, until))
        return (yield from insights.member(self, author, since, until))
