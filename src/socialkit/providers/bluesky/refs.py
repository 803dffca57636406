"""A post's strong ref and its thread root's: what a reply, a like, a repost or a quote needs.

The AppView (``app.bsky.feed.getPosts``) indexes a new post with a lag, so a post published a
moment ago is often not there yet. Then the record is read from its author's PDS
(``com.atproto.repo.getRecord``, which answers ``uri``, ``cid`` and ``value.reply.root``):
the account's own PDS for its own posts, else the PDS named in the author's DID document
(``com.atproto.identity.resolveDid``); a PDS without ``resolveDid`` leaves the question to the
account's own PDS, which reads its local repos and asks the AppView for the rest.
Only when the record is not there either is the post `NotFound`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...errors import NotFound, PlatformError, TransportError
from ...models import native_id
from ...platform import Call, Flow
from . import xrpc
from ._api import BlueskyAPI
from .ids import AtUri
from .records import StrongRef
from .session import pds_endpoint

__all__ = ["author_pds", "from_record", "from_view", "refs_of"]

GET_POSTS = "app.bsky.feed.getPosts"
GET_RECORD = "com.atproto.repo.getRecord"
RESOLVE_DID = "com.atproto.identity.resolveDid"


def from_view(view: Mapping[str, Any]) -> tuple[StrongRef, StrongRef]:
    """The strong refs of a ``postView``: the post's and its thread root's."""
    ref = StrongRef(native_id(view["uri"]), native_id(view["cid"]))
    return ref, _root(view.get("record"), ref)


def from_record(output: Mapping[str, Any]) -> tuple[StrongRef, StrongRef] | None:
    """The strong refs from a ``getRecord`` answer (``None`` when it carries no CID)."""
    cid = output.get("cid")
    if not isinstance(cid, str) or not cid:
        return None
    ref = StrongRef(native_id(output["uri"]), cid)
    return ref, _root(output.get("value"), ref)


def _root(record: object, ref: StrongRef) -> StrongRef:
    reply = record.get("reply") if isinstance(record, Mapping) else None
    root = reply.get("root") if isinstance(reply, Mapping) else None
    if isinstance(root, Mapping) and isinstance(root.get("uri"), str) and isinstance(
        root.get("cid"), str
    ):
        return StrongRef(root["uri"], root["cid"])
    return ref


def refs_of(bsky: BlueskyAPI, uri: AtUri) -> Flow[tuple[StrongRef, StrongRef]]:
    """The post's strong ref and its thread root's: AppView first, then the author's PDS."""
    response = yield bsky.query(GET_POSTS, [("uris", str(uri))])
    views = bsky.json(response)["posts"]
    if views:
        return from_view(views[0])
    pds = yield from author_pds(bsky, uri.authority)
    params = {"repo": uri.authority, "collection": uri.collection, "rkey": uri.rkey}
    try:
        if pds is None:
            response = yield bsky.query(GET_RECORD, params)
        else:  # another PDS: getRecord needs no auth, and our token stays with our PDS
            response = yield Call("GET", f"{pds}{xrpc.path(GET_RECORD)}", params=params,
                                  authenticated=False, bucket=xrpc.bucket(GET_RECORD))
    except NotFound:
        raise NotFound(f"post not found: {uri}", platform=bsky.name) from None
    found = from_record(bsky.json(response))
    if found is None:
        raise NotFound(f"post not found: {uri} (its record has no CID)", platform=bsky.name)
    return found


def author_pds(bsky: BlueskyAPI, did: str) -> Flow[str | None]:
    """The PDS hosting ``did``'s repo, or ``None`` for the account's own PDS (its own repo,
    or when the DID document cannot be had)."""
    own = yield from bsky.account_did()
    if did == own:
        return None
    known = bsky.pds_of.get(did)
    if known is not None:
        return known or None
    try:
        response = yield bsky.query(RESOLVE_DID, {"did": did})
    except (NotFound, PlatformError, TransportError):  # an older PDS, an unknown DID method
        return None
    found = pds_endpoint(bsky.json(response).get("didDoc"))
    own_pds = bsky.session.endpoint
    pds = None if found is None or found == own_pds else found
    bsky.remember_pds(did, pds or "")
    return pds
