"""Hiding replies: the ``hiddenReplies`` list of the thread's ``app.bsky.feed.threadgate``.

The gate lives in the repo of the thread's first post, under that post's record key, so
only its author can hide replies. A gate's other fields (its ``allow`` rules above all)
are kept as they are. Writes are compare-and-swap (``swapRecord``): when the gate changed
in between, it is read again and the change redone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...errors import InvalidContent, NotFound, PermissionDenied, PlatformError
from ...platform import Flow
from . import records
from ._api import BlueskyAPI
from .ids import AtUri, parse_at_uri

__all__ = ["set_hidden"]

ATTEMPTS = 3


def set_hidden(bsky: BlueskyAPI, reply: AtUri, hidden: bool) -> Flow[None]:
    """Hide (or show again) ``reply`` in the thread it belongs to."""
    ref, root_ref = yield from bsky.strong_refs(reply)
    root = parse_at_uri(root_ref.uri) if root_ref != ref else None
    if root is None or root.rkey is None:
        raise NotFound(f"{reply} is not a reply", platform=bsky.name)
    did = yield from bsky.account_did()
    if root.authority != did:
        raise PermissionDenied(
            "only the author of a thread's first post can hide its replies", platform=bsky.name
        )
    for attempt in range(1, ATTEMPTS + 1):
        existing, cid = yield from _gate(bsky, did, root.rkey)
        before = list((existing or {}).get("hiddenReplies") or [])
        record = records.threadgate_record(existing, str(root), str(reply), hidden, records.now())
        if record["hiddenReplies"] == before:
            return  # already as asked
        if len(record["hiddenReplies"]) > records.MAX_HIDDEN_REPLIES:
            raise InvalidContent(
                f"a thread can hide at most {records.MAX_HIDDEN_REPLIES} replies",
                rule="max_hidden_replies", limit=records.MAX_HIDDEN_REPLIES, platform=bsky.name,
            )
        body = {"repo": did, "collection": records.THREADGATE, "rkey": root.rkey,
                "record": record} | ({"swapRecord": cid} if cid else {})
        try:
            yield bsky.procedure("com.atproto.repo.putRecord", body, idempotent=True)
        except PlatformError as error:
            if error.code != "InvalidSwap" or attempt == ATTEMPTS:
                raise
            continue  # the gate changed under us: read it again and redo the change
        return


def _gate(
    bsky: BlueskyAPI, did: str, rkey: str
) -> Flow[tuple[Mapping[str, Any] | None, str | None]]:
    """The thread's gate record and its CID, or ``(None, None)`` when it has none."""
    try:
        response = yield bsky.query(
            "com.atproto.repo.getRecord",
            {"repo": did, "collection": records.THREADGATE, "rkey": rkey},
        )
    except NotFound:
        return None, None
    data = bsky.json(response)
    cid = data.get("cid")
    return data["value"], cid if isinstance(cid, str) else None
