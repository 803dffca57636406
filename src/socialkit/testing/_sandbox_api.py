"""The sandbox's Mastodon endpoints: a route table of small handlers over the store."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import unquote

import attrs
import httpx

from ._sandbox_http import Page, Reply, Router, Upload, link_header, paginate, parse_body
from ._sandbox_http import rails_params as _rails
from ._sandbox_render import MEDIA_TYPES, Renderer
from ._sandbox_store import Account, Draft, Media, SandboxError, Status, Store, not_found

__all__ = ["App", "Ctx", "origin_of"]

router = Router()


@attrs.define
class Ctx:
    """One request as handlers see it."""

    store: Store
    request: httpx.Request
    origin: str
    viewer: Account | None
    args: dict[str, str]
    params: dict[str, Any]
    files: dict[str, Upload]
    now: datetime
    video_polls: int
    render: Renderer

    @property
    def me(self) -> Account:
        """The authenticated account (routes needing it are authenticated)."""
        assert self.viewer is not None
        return self.viewer

    def s(self, key: str) -> str | None:
        """A scalar parameter as a string."""
        value = self.params.get(key)
        if value is None or isinstance(value, dict | list):
            return None
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    def flag(self, key: str) -> bool:
        """A boolean parameter (Rails truthiness)."""
        return _truthy(self.params.get(key))

    def strings(self, key: str) -> list[str]:
        """A list parameter (``key[]`` in forms and queries, a JSON array, or one value)."""
        value = self.params.get(key)
        if value is None:
            return []
        if isinstance(value, list):
            return [str(v) for v in value]
        return [str(value)]

    def page(self, *, default: int, maximum: int) -> Page:
        """The pagination parameters."""
        return Page.from_params(self.params, default=default, maximum=maximum)

    def listing(self, items: list[Any], ids: list[str], limit: int) -> Reply:
        """A JSON array with Mastodon's ``Link`` header."""
        query = self.request.url.params.multi_items()
        link = link_header(self.origin, self.request.url.path, query, ids, limit)
        return Reply(body=items, headers={"Link": link} if link else {})


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "t", "on", "yes")
    return bool(value)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def origin_of(request: httpx.Request) -> str:
    """``scheme://host[:port]`` of a request, used for every URL the sandbox renders."""
    return f"{request.url.scheme}://{request.url.netloc.decode('ascii')}"


def _draft(ctx: Ctx) -> Draft:
    poll = ctx.params.get("poll")
    poll = poll if isinstance(poll, dict) else {}
    options = poll.get("options") or []
    return Draft(
        text=ctx.s("status") or "",
        media_ids=tuple(ctx.strings("media_ids")),
        in_reply_to_id=ctx.s("in_reply_to_id") or None,
        visibility=ctx.s("visibility") or None,
        spoiler_text=ctx.s("spoiler_text") or "",
        sensitive=ctx.flag("sensitive"),
        language=ctx.s("language") or None,
        poll_options=tuple(str(o) for o in (options if isinstance(options, list) else [options])),
        poll_expires_in=_int(poll.get("expires_in")),
        poll_multiple=_truthy(poll.get("multiple")),
        poll_hide_totals=_truthy(poll.get("hide_totals")),
    )


# -- instance and accounts -----------------------------------------------------------------


@router.route("GET", r"/api/v2/instance", auth=False)
def instance(ctx: Ctx) -> Reply:
    """Server configuration and limits."""
    return Reply(body=ctx.render.instance())


@router.route("GET", r"/api/v1/instance", auth=False)
def instance_v1(ctx: Ctx) -> Reply:
    """The v1 instance document: a Mastodon version, so clients trust Idempotency-Key."""
    return Reply(body=ctx.render.instance_v1())


@router.route("GET", r"/api/v1/accounts/verify_credentials")
def verify_credentials(ctx: Ctx) -> Reply:
    """The token's own account, with ``source``."""
    return Reply(body=ctx.render.account(ctx.me, credentials=True))


@router.route("GET", r"/api/v1/accounts/lookup")
def lookup_account(ctx: Ctx) -> Reply:
    """An account by ``acct`` (``user`` or ``user@this-domain``)."""
    user, _, domain = (ctx.s("acct") or "").lstrip("@").partition("@")
    acc = ctx.store.by_username(user) if domain in ("", ctx.store.domain) else None
    if acc is None:
        raise not_found()
    return Reply(body=ctx.render.account(acc))


@router.route("GET", r"/api/v1/accounts/(?P<id>\d+)")
def get_account(ctx: Ctx) -> Reply:
    """One account."""
    return Reply(body=ctx.render.account(ctx.store.account(ctx.args["id"])))


@router.route("GET", r"/api/v1/accounts/(?P<id>\d+)/statuses")
def account_statuses(ctx: Ctx) -> Reply:
    """An account's statuses, newest first, Link-paginated (default 20, max 40)."""
    store = ctx.store
    acc = store.account(ctx.args["id"])
    no_replies, no_reblogs = ctx.flag("exclude_replies"), ctx.flag("exclude_reblogs")
    only_media, tagged = ctx.flag("only_media"), (ctx.s("tagged") or "").lstrip("#").lower()

    def keep(st: Status) -> bool:
        if not store.visible(st, ctx.viewer):
            return False
        if no_replies and st.in_reply_to_id and st.in_reply_to_account_id != acc.id:
            return False
        if (no_reblogs or only_media or tagged) and st.reblog_of_id:
            return False
        return not (only_media and not st.media_ids) and not (tagged and tagged not in st.tags)

    items = [st for st in map(store.statuses.__getitem__, store.statuses_by(acc.id)) if keep(st)]
    page = ctx.page(default=20, maximum=40)
    found = paginate(items, lambda st: int(st.id), page)
    return ctx.listing([ctx.render.status(st) for st in found], [st.id for st in found], page.limit)


@router.route("GET", r"/api/v1/timelines/tag/(?P<tag>[^/]+)")
def tag_timeline(ctx: Ctx) -> Reply:
    """Public statuses with a hashtag, newest first, Link-paginated (default 20, max 40)."""
    store = ctx.store
    tag = unquote(ctx.args["tag"]).lstrip("#").lower()
    items = [
        st for st in store.statuses.values()
        if tag in st.tags and not st.reblog_of_id and st.visibility == "public"
        and store.visible(st, ctx.viewer)
    ]
    page = ctx.page(default=20, maximum=40)
    found = paginate(items, lambda st: int(st.id), page)
    return ctx.listing([ctx.render.status(st) for st in found], [st.id for st in found], page.limit)


# -- statuses ------------------------------------------------------------------------------


@router.route("POST", r"/api/v1/statuses")
def create_status(ctx: Ctx) -> Reply:
    """Post a status; the ``Idempotency-Key`` header de-duplicates per account."""
    key = ctx.request.headers.get("idempotency-key")
    status = ctx.store.post(ctx.me, _draft(ctx), ctx.now, idempotency_key=key)
    return Reply(body=ctx.render.status(status))


@router.route("GET", r"/api/v1/statuses/(?P<id>\d+)")
def get_status(ctx: Ctx) -> Reply:
    """One status."""
    return Reply(body=ctx.render.status(ctx.store.status(ctx.args["id"], ctx.viewer)))


@router.route("PUT", r"/api/v1/statuses/(?P<id>\d+)")
def edit_status(ctx: Ctx) -> Reply:
    """Edit one's own status (its media stay unless ``media_ids`` is given)."""
    draft = _draft(ctx)
    current = ctx.store.statuses.get(ctx.args["id"])
    if current is not None and "media_ids" not in ctx.params:
        draft = attrs.evolve(draft, media_ids=tuple(current.media_ids))
    status = ctx.store.edit(ctx.me, ctx.args["id"], draft, ctx.now)
    return Reply(body=ctx.render.status(status))


@router.route("DELETE", r"/api/v1/statuses/(?P<id>\d+)")
def delete_status(ctx: Ctx) -> Reply:
    """Delete one's own status; answers it with its source ``text``."""
    status = ctx.store.statuses.get(ctx.args["id"])
    if status is None or status.account_id != ctx.me.id:
        raise not_found()
    body = ctx.render.status(status, source=True)
    ctx.store.delete(ctx.me, status.id)
    return Reply(body=body)


@router.route("GET", r"/api/v1/statuses/(?P<id>\d+)/context")
def status_context(ctx: Ctx) -> Reply:
    """Ancestors (root first) and descendants of every depth, in thread order."""
    status = ctx.store.status(ctx.args["id"], ctx.viewer)
    return Reply(
        body={
            "ancestors": [ctx.render.status(s) for s in ctx.store.ancestors(status, ctx.viewer)],
            "descendants": [
                ctx.render.status(s) for s in ctx.store.descendants(status, ctx.viewer)
            ],
        }
    )


def _action(name: str, op: Callable[[Ctx], Status]) -> None:
    def handler(ctx: Ctx) -> Reply:
        return Reply(body=ctx.render.status(op(ctx)))

    handler.__name__ = handler.__qualname__ = f"{name}_status"
    handler.__doc__ = f"``POST /api/v1/statuses/:id/{name}``."
    router.route("POST", rf"/api/v1/statuses/(?P<id>\d+)/{name}")(handler)


_action("favourite", lambda c: c.store.favourite(c.me, c.args["id"], c.now))
_action("unfavourite", lambda c: c.store.unfavourite(c.me, c.args["id"]))
_action("reblog", lambda c: c.store.reblog(c.me, c.args["id"], c.now, c.s("visibility")))
_action("unreblog", lambda c: c.store.unreblog(c.me, c.args["id"]))


# -- media ---------------------------------------------------------------------------------


def _focus(raw: str | None) -> tuple[float, float] | None:
    if not raw:
        return None
    try:
        x, y = (float(v) for v in raw.split(","))
    except ValueError as exc:
        raise SandboxError(422, "Validation failed: Focus is invalid") from exc
    return (x, y)


@router.route("POST", r"/api/v2/media")
def upload_media(ctx: Ctx) -> Reply:
    """Upload a file: images answer 200 with a URL, other kinds 202 with ``url: null``."""
    upload = ctx.files.get("file")
    if upload is None:
        raise SandboxError(400, "param is missing or the request is invalid: file")
    mime = upload.content_type.split(";")[0].strip().lower()
    if mime == "application/octet-stream":
        mime = mimetypes.guess_type(upload.filename)[0] or mime
    if mime not in MEDIA_TYPES:
        raise SandboxError(422, "Validation failed: File content type is invalid")
    item = ctx.store.add_media(
        ctx.me,
        mime=mime,
        data=upload.data,
        description=ctx.s("description"),
        focus=_focus(ctx.s("focus")),
        pending_polls=ctx.video_polls,
        at=ctx.now,
    )
    return Reply(200 if item.processed else 202, ctx.render.media(item))


def _own_media(ctx: Ctx) -> Media:
    item = ctx.store.media.get(ctx.args["id"])
    if item is None or item.account_id != ctx.me.id:
        raise not_found()
    return item


@router.route("GET", r"/api/v1/media/(?P<id>\d+)")
def get_media(ctx: Ctx) -> Reply:
    """206 while processing (each call counts as one poll), 200 once done."""
    item = _own_media(ctx)
    if item.processed:
        return Reply(body=ctx.render.media(item))
    body = ctx.render.media(item)
    item.pending_polls -= 1
    return Reply(206, body)


@router.route("PUT", r"/api/v1/media/(?P<id>\d+)")
def update_media(ctx: Ctx) -> Reply:
    """Change the description or focus of an attachment."""
    item = _own_media(ctx)
    if "description" in ctx.params:
        item.description = ctx.s("description")
    if "focus" in ctx.params:
        item.focus = _focus(ctx.s("focus"))
    return Reply(body=ctx.render.media(item))


@router.route(
    "GET",
    r"/system/media_attachments/files/\d{3}/\d{3}/\d{3}/(original|small)/(?P<key>\w+)\.\w+",
    auth=False,
)
def media_file(ctx: Ctx) -> Reply:
    """The stored bytes of an upload."""
    for item in ctx.store.media.values():
        if item.file_key == ctx.args["key"] and item.processed:
            return Reply(raw=item.data, headers={"Content-Type": item.mime})
    raise not_found()


# -- notifications and search ----------------------------------------------------------------


@router.route("GET", r"/api/v1/notifications")
def notifications(ctx: Ctx) -> Reply:
    """The viewer's notifications, filtered by ``types[]``/``exclude_types[]``/``account_id``."""
    types, excluded = set(ctx.strings("types")), set(ctx.strings("exclude_types"))
    from_id = ctx.s("account_id")
    items = [
        n
        for n in ctx.store.notifications_for(ctx.me)
        if (not types or n.type in types)
        and n.type not in excluded
        and (from_id is None or n.from_account_id == from_id)
    ]
    page = ctx.page(default=40, maximum=80)
    found = paginate(items, lambda n: int(n.id), page)
    body = [ctx.render.notification(n) for n in found]
    return ctx.listing(body, [n.id for n in found], page.limit)


@router.route("GET", r"/api/v2/search")
def search(ctx: Ctx) -> Reply:
    """Accounts, hashtags and statuses matching ``q`` (case-insensitive substring)."""
    store, q = ctx.store, (ctx.s("q") or "").strip()
    kind = ctx.s("type")
    limit = ctx.page(default=20, maximum=40).limit
    offset = (_int(ctx.s("offset")) or 0) if kind else 0
    result: dict[str, list[Any]] = {"accounts": [], "statuses": [], "hashtags": []}
    if not q:
        return Reply(body=result)
    if kind in (None, "accounts"):
        name = q.lstrip("@").removesuffix(f"@{store.domain}").lower()
        accs = [
            a
            for a in store.accounts.values()
            if name in a.username.lower() or name in a.display_name.lower()
        ]
        accs.sort(key=lambda a: (a.username.lower() != name, int(a.id)))
        result["accounts"] = [ctx.render.account(a) for a in accs[offset : offset + limit]]
    if kind in (None, "hashtags"):
        tag = q.lstrip("#").lower()
        names = sorted({t for s in store.statuses.values() for t in s.tags if tag in t})
        result["hashtags"] = [ctx.render.tag(t) for t in names[offset : offset + limit]]
    if kind in (None, "statuses"):
        needle = q.lower()
        author = ctx.s("account_id")
        items = [
            s
            for s in store.statuses.values()
            if not s.reblog_of_id
            and store.visible(s, ctx.viewer)
            and (author is None or s.account_id == author)
            and (needle in s.text.lower() or needle in s.spoiler_text.lower())
        ]
        page = ctx.page(default=20, maximum=40)
        window = attrs.evolve(page, since_id=None, limit=offset + limit)
        found = paginate(items, lambda s: int(s.id), window)[offset:]
        result["statuses"] = [ctx.render.status(s) for s in found]
    return Reply(body=result)


# -- the application ---------------------------------------------------------------------


class App:
    """Authenticates, routes and renders; errors become Mastodon error bodies."""

    def __init__(self, store: Store, *, video_polls: int) -> None:
        self.store = store
        self.video_polls = video_polls

    def viewer(self, request: httpx.Request, now: datetime) -> Account | None:
        """The account of a ``Bearer`` token, ``None`` without (valid) credentials."""
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return self.store.account_for_token(token.strip(), now)

    def __call__(self, request: httpx.Request, now: datetime) -> Reply:
        """Answer one request."""
        try:
            return self._dispatch(request, now)
        except SandboxError as exc:
            return Reply(exc.status, {"error": exc.message})

    def _dispatch(self, request: httpx.Request, now: datetime) -> Reply:
        found = router.match(request.method, request.url.path)
        if found is None:
            raise not_found()
        route, args = found
        viewer = self.viewer(request, now)
        if route.auth and viewer is None:
            raise SandboxError(401, "The access token is invalid")
        body = parse_body(request)
        params = _rails(request.url.params.multi_items())
        if isinstance(body.json, dict):
            params.update(body.json)
        elif body.form is not None:
            params.update(_rails(body.form))
        origin = origin_of(request)
        ctx = Ctx(
            store=self.store,
            request=request,
            origin=origin,
            viewer=viewer,
            args=args,
            params=params,
            files=body.files,
            now=now,
            video_polls=self.video_polls,
            render=Renderer(self.store, origin, viewer, now),
        )
        return route.handler(ctx)
