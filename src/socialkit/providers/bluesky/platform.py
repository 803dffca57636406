"""The Bluesky provider: every unified operation as a flow over XRPC.

Wire format: the AT Protocol and Bluesky Lexicons (https://github.com/bluesky-social/atproto,
``lexicons/``): com.atproto.server.createSession / refreshSession / getSession /
getServiceAuth, com.atproto.identity.resolveHandle, com.atproto.repo.createRecord /
putRecord / deleteRecord / getRecord / uploadBlob, app.bsky.feed.post (with
app.bsky.richtext.facet, app.bsky.embed.images / external / video), app.bsky.feed.like /
repost / threadgate, app.bsky.feed.getPosts / getAuthorFeed / getPostThread / searchPosts,
app.bsky.notification.listNotifications, app.bsky.actor.getProfile and
app.bsky.video.uploadVideo / getJobStatus.
"""

from __future__ import annotations

import functools
import importlib.util
import logging
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from ...errors import (
    InvalidContent,
    NotFound,
    PermissionDenied,
    PlatformError,
    PublishUncertain,
    SocialkitError,
    TransportError,
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
    page_limit,
)
from ...text import TextRules, count_graphemes
from . import drafts, media, moderation, parse, records, refs, xrpc
from . import facets as rich
from .ids import (
    POST_COLLECTION,
    AtUri,
    is_did,
    new_tid,
    parse_at_uri,
    permalink,
    post_uri,
    profile_url,
)
from .records import StrongRef
from .session import BlueskySession
from .settings import BlueskySettings, settings_from_url

logger = logging.getLogger("socialkit.events")

if TYPE_CHECKING:
    from ...events.stream import StreamSpec
    from ...steps import Response

__all__ = ["Bluesky"]

_REMEMBERED = 512  # posts and handles remembered per client


class Bluesky(Platform):
    """Bluesky (and any AT Protocol PDS serving the ``app.bsky`` Lexicons).

    ```python
    client = sk.connect("bluesky", handle="brand.bsky.social", app_password="xxxx-xxxx-xxxx-xxxx")
    ```

    Choices worth knowing:

    - **Session**: logs in on first use, refreshes before the access JWT expires (its
      ``exp`` claim) and once on ``ExpiredToken``, then talks to the account's own PDS.
    - **Ids** are ``at://`` URIs; ``bsky.app`` permalinks are accepted wherever an id is.
    - **Facets** (mentions, links, hashtags) are computed from the text, with UTF-8 byte
      offsets; a mention becomes a facet only when its handle resolves.
    - **Publishing never posts twice**: each record gets a client-chosen record key (a
      TID), so a create retried after a 5xx or a timeout cannot make a second record, and
      a failed create is checked with ``getRecord`` before it is reported.
    - **Quotes**: ``options={"quote": post_id}`` embeds the post (with the draft's media or
      link card, if any).
    - **Fresh posts**: a post the AppView has not indexed yet is read from its author's PDS
      (``getRecord``), so replying to, liking, reposting or quoting it works at once.
    - **Media**: up to 4 images (2 MB each, aspect ratio read from the file) or one MP4
      video through the video service; ``options={"link_card": {...}}`` adds a link card.
    - **Moderation**: ``hide_comment`` edits the thread's ``app.bsky.feed.threadgate``
      (``hiddenReplies``); ``delete_comment`` deletes the account's own replies only.
    - **Editing** is not part of Bluesky: ``edit_post`` raises `Unsupported`.
    """

    name = "bluesky"
    Settings = BlueskySettings
    capabilities = frozenset(Capability) - {Capability.EDIT}
    rules = TextRules(
        max_length=300, count=count_graphemes, max_bytes=3000, max_images=4, unit="graphemes"
    )
    url_host_setting = "service"

    page_size: ClassVar[int] = 100
    """Items asked for per page (the most getAuthorFeed, searchPosts and listNotifications give)."""
    thread_depth: ClassVar[int] = 100
    """How many levels of replies ``comments`` reads."""
    video_wait: ClassVar[float] = 300.0
    """The most seconds spent waiting for the video service to process one video."""
    max_empty_pages: ClassVar[int] = 10
    """Pages read in a row that hold nothing to return (only reposts, say) before giving up."""

    settings: BlueskySettings

    def __init__(self, settings: PlatformSettings | None = None, /, **values: Any) -> None:
        super().__init__(settings, **values)
        # Posts this client created: URI -> (its strong ref, its thread root). A thread's next
        # part must not wait for the AppView to index the previous one.
        self._refs: OrderedDict[str, tuple[StrongRef, StrongRef]] = OrderedDict()
        self._dids: OrderedDict[str, str] = OrderedDict()
        self.pds_of: OrderedDict[str, str] = OrderedDict()
        """Other accounts' PDS by DID, as their DID documents say (``""`` for ours)."""

    @classmethod
    def settings_from_url(cls, url: str) -> dict[str, Any]:
        """Settings from ``bluesky://HANDLE:APP_PASSWORD@host``."""
        return settings_from_url(url)

    # -- wiring ------------------------------------------------------------------------------

    @functools.cached_property
    def credential(self) -> BlueskySession:
        """The session: logs in on first use, refreshes itself."""
        return BlueskySession(
            self.settings.handle, self.settings.app_password, self.base_url, platform=self.name
        )

    @property
    def session(self) -> BlueskySession:
        """The same object as `credential`."""
        return self.credential

    @property
    def base_url(self) -> str:
        """The login service (or the ``base_url`` override)."""
        return (self.settings.base_url or self.settings.service).rstrip("/")

    @property
    def account_key(self) -> str:
        """The service and the handle: each account has its own rate limits."""
        return f"{self.base_url}#{self.settings.handle}"

    def rate_limit(self, response: Response) -> RateLimitInfo | None:
        """``RateLimit-Limit``, ``-Remaining``, ``-Reset`` (epoch seconds) and ``-Policy``."""
        return xrpc.rate_limit(response)

    def map_error(self, response: Response) -> SocialkitError:
        """The XRPC error name first (``ExpiredToken`` → `TokenExpired`, ...), then the status."""
        return xrpc.map_error(self.name, response)

    def query(self, nsid: str, params: Any = None, **kwargs: Any) -> Call:
        """``GET /xrpc/<nsid>``: a Lexicon query."""
        return Call("GET", xrpc.path(nsid), params=params, bucket=xrpc.bucket(nsid), **kwargs)

    def procedure(self, nsid: str, body: Any = None, **kwargs: Any) -> Call:
        """``POST /xrpc/<nsid>`` with a JSON body: a Lexicon procedure."""
        return Call("POST", xrpc.path(nsid), json=body, bucket=xrpc.bucket(nsid), **kwargs)

    # -- who we are --------------------------------------------------------------------------

    def _actor(self) -> str:
        """The account as the at-identifier it was configured with (handle or DID), so every
        page of a listing asks for the same actor."""
        return self.settings.handle

    def account_did(self) -> Flow[str]:
        """The account's DID, asking ``getSession`` (which logs in) when not yet known."""
        if self.session.did is not None:
            return self.session.did
        if is_did(self.settings.handle):
            return self.settings.handle
        response = yield self.query("com.atproto.server.getSession")
        did = native_id(self.json(response)["did"])
        self.session.did = did
        return did

    def _own(self, authority: str) -> bool:
        return authority in (self.session.did, self.session.handle, self.settings.handle)

    def me(self) -> Flow[Account]:
        """``app.bsky.actor.getProfile`` of the account."""
        response = yield self.query("app.bsky.actor.getProfile", {"actor": self._actor()})
        return parse.account(self.json(response))

    # -- ids ---------------------------------------------------------------------------------

    def _uri(self, post_id: str) -> Flow[AtUri]:
        """A post id as a DID-based AT-URI (a handle in a permalink is resolved first)."""
        uri = post_uri(post_id)
        if uri is None:
            raise NotFound(
                f"{post_id!r} is not a Bluesky post (an at:// URI or a bsky.app link)",
                platform=self.name,
            )
        if is_did(uri.authority):
            return uri
        handle = uri.authority.lower()
        dids = yield from self._resolve([handle])
        if handle not in dids:
            raise NotFound(f"no Bluesky account has the handle {handle!r}", platform=self.name)
        return AtUri(dids[handle], uri.collection, uri.rkey)

    def _target(self, target: ReplyTarget) -> str:
        if isinstance(target, Mention):
            return target.post_id or target.id
        return target if isinstance(target, str) else target.id

    def _remember(self, ref: StrongRef, root: StrongRef) -> None:
        self._refs[ref.uri] = (ref, root)
        while len(self._refs) > _REMEMBERED:
            self._refs.popitem(last=False)

    def view(self, uri: AtUri) -> Flow[Mapping[str, Any]]:
        """The ``postView`` of one post (``app.bsky.feed.getPosts``)."""
        response = yield self.query("app.bsky.feed.getPosts", [("uris", str(uri))])
        views = self.json(response)["posts"]
        if not views:
            raise NotFound(f"post not found: {uri}", platform=self.name)
        view: Mapping[str, Any] = views[0]
        return view

    def strong_refs(self, uri: AtUri) -> Flow[tuple[StrongRef, StrongRef]]:
        """A post's strong ref and its thread root's: from memory, from its view, or (not
        indexed yet) from its record on the author's PDS."""
        known = self._refs.get(str(uri))
        if known is not None:
            return known
        return (yield from refs.refs_of(self, uri))

    def remember_pds(self, did: str, pds: str) -> None:
        """Keep which PDS hosts ``did`` (``""``: the account's own)."""
        self.pds_of[did] = pds
        while len(self.pds_of) > _REMEMBERED:
            self.pds_of.popitem(last=False)

    # -- validation --------------------------------------------------------------------------

    def validate(self, draft: DraftLike) -> Draft:
        """Check a draft before any request: text length (graphemes and bytes), media,
        options, languages and visibility."""
        draft = super().validate(draft)
        drafts.check(draft)
        return draft

    # -- publishing --------------------------------------------------------------------------

    def publish(self, draft: Draft) -> Flow[Post]:
        """Create an ``app.bsky.feed.post``: facets, embeds and reply refs resolved first."""
        draft = Draft.of(draft)
        drafts.check(draft)
        reply = None
        if draft.reply_to_id is not None:
            parent_uri = yield from self._uri(draft.reply_to_id)
            parent, root = yield from self.strong_refs(parent_uri)
            reply = (root, parent)
        entities = rich.detect(draft.text)
        dids = yield from self._resolve(e.value for e in entities if e.kind == "mention")
        embed = yield from media.embed(self, draft)
        if draft.options.get("quote") is not None:
            quoted_uri = yield from self._uri(str(draft.options["quote"]))
            quoted, _root = yield from self.strong_refs(quoted_uri)
            embed = records.quote_embed(quoted, embed)
        record = records.post_record(
            draft.text, created_at=records.now(), facets=rich.facets(entities, dids),
            langs=drafts.langs(draft), reply=reply, embed=embed,
        )
        ref = yield from self._create(POST_COLLECTION, record, draft.idempotency_key)
        self._remember(ref, reply[0] if reply else ref)
        return self._published(ref, record)

    def _published(self, ref: StrongRef, record: Mapping[str, Any]) -> Post:
        uri = parse_at_uri(ref.uri)
        handle = self.session.handle or self.settings.handle
        did = uri.authority if uri else self.session.did or self._actor()
        reply = record.get("reply") or {}
        return Post(
            platform=self.name,
            id=ref.uri,
            author=Account(platform=self.name, id=did, handle=handle,
                           url=profile_url(handle)),
            text=record["text"],
            created_at=parse.parse_datetime(record["createdAt"]),
            url=permalink(handle, uri.rkey) if uri and uri.rkey else None,
            reply_to_id=reply.get("parent", {}).get("uri"),
            thread_root_id=reply.get("root", {}).get("uri"),
            visibility="public",
            raw={"uri": ref.uri, "cid": ref.cid, "record": record},
        )

    def _create(self, collection: str, record: Mapping[str, Any], key: str | None = None
                ) -> Flow[StrongRef]:
        """``createRecord`` under a fresh TID record key, so a retry can never create twice.

        After a failure that may hide a success (a 5xx, a timeout, or an error answering a
        retry whose first attempt landed), ``getRecord`` on that key tells what happened.
        """
        did = yield from self.account_did()
        rkey = new_tid()
        body = {"repo": did, "collection": collection, "rkey": rkey, "record": record}
        try:
            response = yield self.procedure(
                "com.atproto.repo.createRecord", body, idempotent=True, idempotency_key=key
            )
        except (TransportError, PlatformError, InvalidContent) as error:
            found = yield from self._reconcile(did, collection, rkey, error, key)
            if found is None:
                raise error
            return found
        data = self.json(response)
        return StrongRef(native_id(data["uri"]), native_id(data["cid"]))

    def _reconcile(
        self, did: str, collection: str, rkey: str, error: SocialkitError, key: str | None
    ) -> Flow[StrongRef | None]:
        try:
            response = yield self.query(
                "com.atproto.repo.getRecord", {"repo": did, "collection": collection, "rkey": rkey}
            )
        except NotFound:
            return None
        except SocialkitError:
            raise PublishUncertain(
                f"creating a {collection} record failed ({error.message}) and checking for it "
                "failed too; reconcile before trying again",
                platform=self.name, idempotency_key=key,
            ) from error
        data = self.json(response)
        return StrongRef(native_id(data["uri"]), native_id(data["cid"]))

    def _resolve(self, handles: Iterable[str]) -> Flow[dict[str, str]]:
        """Handles → DIDs (``com.atproto.identity.resolveHandle``); unknown handles are left out."""
        dids: dict[str, str] = {}
        for handle in dict.fromkeys(handles):
            known = self._dids.get(handle)
            if known is None:
                try:
                    response = yield self.query(
                        "com.atproto.identity.resolveHandle", {"handle": handle}
                    )
                except NotFound:
                    continue
                except PlatformError as error:  # 400 "Unable to resolve handle"
                    if error.status != 400:
                        raise
                    continue
                known = str(self.json(response).get("did") or "")
                if not is_did(known):
                    continue
                self._dids[handle] = known
                while len(self._dids) > _REMEMBERED:
                    self._dids.popitem(last=False)
            dids[handle] = known
        return dids

    def edit_post(self, post_id: str, draft: Draft) -> Flow[Post]:
        """Bluesky has no editing: raises `Unsupported` (delete and publish again)."""
        raise self.unsupported(Capability.EDIT, "Bluesky posts cannot be edited")

    def delete_post(self, post_id: str) -> Flow[None]:
        """``com.atproto.repo.deleteRecord`` (repo, collection and rkey from the URI)."""
        uri = yield from self._uri(post_id)
        yield self.procedure(
            "com.atproto.repo.deleteRecord",
            {"repo": uri.authority, "collection": uri.collection, "rkey": uri.rkey},
            idempotent=True,  # deleting a deleted record succeeds
        )
        self._refs.pop(str(uri), None)

    # -- reading -----------------------------------------------------------------------------

    def get_post(self, post_id: str) -> Flow[Post]:
        """``app.bsky.feed.getPosts`` of one URI; `NotFound` when the answer is empty."""
        uri = yield from self._uri(post_id)
        view = yield from self.view(uri)
        return parse.post(view)

    def _pages(self, fetch: Any, cursor: str | None) -> PageFlow[Any]:
        """Read pages until one has items to return (or the listing ends)."""
        items: list[Any] = []
        for _ in range(self.max_empty_pages):
            items, cursor = yield from fetch(cursor)
            if items or not cursor:
                break
        return ResultPage(items=items, next_cursor=cursor)

    def posts(
        self, account: str | None, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Post]:
        """``app.bsky.feed.getAuthorFeed``: the account's posts and replies, reposts left out."""
        actor = account.strip().removeprefix("@") if account else self._actor()

        def fetch(cursor: str | None) -> Flow[tuple[list[Post], str | None]]:
            size = page_limit(limit, self.page_size)
            params = {"actor": actor, "limit": size} | ({"cursor": cursor} if cursor else {})
            data = self.json((yield self.query("app.bsky.feed.getAuthorFeed", params)))
            items = [
                parse.post(item["post"]) for item in data["feed"]
                if not str((item.get("reason") or {}).get("$type", "")).endswith("#reasonRepost")
            ]
            return items, data.get("cursor")

        return self._pages(fetch, cursor)

    def search(
        self, query: str, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Post]:
        """``app.bsky.feed.searchPosts`` (Lucene-like syntax; ``from:``, ``#tag`` ...)."""

        def fetch(cursor: str | None) -> Flow[tuple[list[Post], str | None]]:
            size = page_limit(limit, self.page_size)
            params = {"q": query, "limit": size} | ({"cursor": cursor} if cursor else {})
            data = self.json((yield self.query("app.bsky.feed.searchPosts", params)))
            return [parse.post(view) for view in data["posts"]], data.get("cursor")

        return self._pages(fetch, cursor)

    def comments(
        self, post_id: str, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Comment]:
        """``app.bsky.feed.getPostThread``: every reply, depth-first, in one page."""
        uri = yield from self._uri(post_id)
        response = yield self.query(
            "app.bsky.feed.getPostThread",
            {"uri": str(uri), "depth": self.thread_depth, "parentHeight": 0},
        )
        output = self.json(response)
        thread = output["thread"]
        if thread.get("notFound"):
            raise NotFound(f"post not found: {uri}", platform=self.name)
        if thread.get("blocked"):
            raise PermissionDenied(f"the thread of {uri} is blocked", platform=self.name)
        return ResultPage(items=list(parse.comments(thread, parse.hidden_replies(output))))

    def mentions(
        self, since_id: str | None, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Mention]:
        """``app.bsky.notification.listNotifications`` for mentions, replies and quotes;
        the listing stops at the mention whose id is ``since_id``."""

        def fetch(cursor: str | None) -> Flow[tuple[list[Mention], str | None]]:
            params: list[tuple[str, Any]] = [("reasons", r) for r in ("mention", "reply", "quote")]
            params.append(("limit", page_limit(limit, self.page_size)))
            if cursor:
                params.append(("cursor", cursor))
            data = self.json((yield self.query("app.bsky.notification.listNotifications", params)))
            items: list[Mention] = []
            for notification in data["notifications"]:
                found = parse.mention(notification)
                if found is not None and found.id == since_id:
                    return items, None
                if found is not None:
                    items.append(found)
            return items, data.get("cursor")

        return self._pages(fetch, cursor)

    def stream(self, kinds: frozenset[str]) -> Flow[StreamSpec | None]:
        """Mentions from Jetstream (``settings.jetstream``), found client-side (see
        `jetstream`); ``None`` (polling) without the setting, without ``"mention"`` in
        ``kinds``, or without the ``websockets`` package (the ``streaming`` extra)."""
        from ...events.stream import StreamSpec
        from . import jetstream  # events load with the first watch()

        endpoint = self.settings.jetstream
        if endpoint is None or "mention" not in kinds:
            return None
        if importlib.util.find_spec("websockets") is None:
            logger.info("bluesky: Jetstream needs websockets (socialkit[streaming]); polling")
            return None
        did = yield from self.account_did()
        call = Call("GET", jetstream.subscribe_url(endpoint), authenticated=False,
                    bucket="jetstream")
        return StreamSpec(call, lambda: jetstream.decoder(did), jetstream.HEARTBEAT)

    def post_metrics(self, post_id: str) -> Flow[list[Metric]]:
        """Likes, reposts (``shares``), replies (``comments``), quotes (and bookmarks) of a post."""
        uri = yield from self._uri(post_id)
        view = yield from self.view(uri)
        return parse.post_metrics(view)

    def account_metrics(self, since: datetime | None, until: datetime | None) -> Flow[list[Metric]]:
        """Followers, following and posts now (Bluesky keeps no history: ``since``/``until``
        are ignored)."""
        response = yield self.query("app.bsky.actor.getProfile", {"actor": self._actor()})
        return parse.account_metrics(self.json(response))

    # -- answering and moderating ------------------------------------------------------------

    def reply(self, target: ReplyTarget, draft: Draft) -> Flow[Comment]:
        """Publish ``draft`` as a reply (``root`` and ``parent`` strong refs)."""
        parent = self._target(target)
        post = yield from self.publish(Draft.of(draft).model_copy(update={"reply_to_id": parent}))
        return Comment.from_post(
            post,
            thread_root_id=post.thread_root_id or parent,
            reply_to_id=post.reply_to_id or parent,
        )

    def delete_comment(self, comment_id: str) -> Flow[None]:
        """Delete one of the account's own replies (others' replies can only be hidden)."""
        uri = yield from self._uri(comment_id)
        did = yield from self.account_did()
        if uri.authority != did and not self._own(uri.authority):
            raise PermissionDenied(
                "Bluesky lets an account delete only its own replies; use hide_comment",
                platform=self.name,
            )
        yield from self.delete_post(comment_id)

    def hide_comment(self, comment_id: str, hidden: bool) -> Flow[None]:
        """Add (or remove) a reply in the ``hiddenReplies`` of the thread's threadgate.

        Only the author of the thread's root post can do so; the gate's other rules are kept.
        """
        uri = yield from self._uri(comment_id)
        yield from moderation.set_hidden(self, uri, hidden)

    # -- reacting ----------------------------------------------------------------------------

    def react(self, post_id: str, kind: str) -> Flow[None]:
        """An ``app.bsky.feed.like`` record of the post (Bluesky has no other reaction)."""
        if kind != "like":
            raise self.unsupported(Capability.REACT, f"Bluesky has only 'like', not {kind!r}")
        uri = yield from self._uri(post_id)
        ref, _root = yield from self.strong_refs(uri)
        yield from self._create(records.LIKE, records.subject_record(records.LIKE, ref,
                                                                     records.now()))

    def repost(self, post_id: str) -> Flow[None]:
        """An ``app.bsky.feed.repost`` record of the post."""
        uri = yield from self._uri(post_id)
        ref, _root = yield from self.strong_refs(uri)
        yield from self._create(records.REPOST, records.subject_record(records.REPOST, ref,
                                                                       records.now()))
