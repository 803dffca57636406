"""Records as the Lexicons define them: posts, embeds, likes, reposts, threadgates.

Pure functions from values to JSON-ready dicts; the flows in `platform` send them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import attrs

__all__ = [
    "ImageBlob",
    "StrongRef",
    "external_embed",
    "images_embed",
    "now",
    "post_record",
    "quote_embed",
    "subject_record",
    "threadgate_record",
    "video_embed",
]

POST = "app.bsky.feed.post"
LIKE = "app.bsky.feed.like"
REPOST = "app.bsky.feed.repost"
THREADGATE = "app.bsky.feed.threadgate"
MAX_HIDDEN_REPLIES = 300


@attrs.frozen
class StrongRef:
    """A ``com.atproto.repo.strongRef``: a record's URI and the CID of its content."""

    uri: str
    cid: str

    def json(self) -> dict[str, str]:
        """The wire form."""
        return {"uri": self.uri, "cid": self.cid}


@attrs.frozen
class ImageBlob:
    """An uploaded image and what its embed says about it."""

    blob: Mapping[str, Any]
    alt: str
    size: tuple[int, int] | None


def now() -> str:
    """The current time as a Lexicon ``datetime`` (UTC, milliseconds, ``Z``)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _aspect(size: tuple[int, int] | None) -> dict[str, Any]:
    return {"aspectRatio": {"width": size[0], "height": size[1]}} if size else {}


def images_embed(images: Sequence[ImageBlob]) -> dict[str, Any]:
    """An ``app.bsky.embed.images``: each blob with its alt text and aspect ratio."""
    return {
        "$type": "app.bsky.embed.images",
        "images": [{"image": i.blob, "alt": i.alt, **_aspect(i.size)} for i in images],
    }


def video_embed(
    blob: Mapping[str, Any], alt: str | None, size: tuple[int, int] | None
) -> dict[str, Any]:
    """An ``app.bsky.embed.video``."""
    embed: dict[str, Any] = {"$type": "app.bsky.embed.video", "video": blob}
    if alt:
        embed["alt"] = alt
    return embed | _aspect(size)


def external_embed(card: Mapping[str, Any], thumb: Mapping[str, Any] | None) -> dict[str, Any]:
    """An ``app.bsky.embed.external`` link card (``uri``, ``title``, ``description``)."""
    external = {key: str(card.get(key) or "") for key in ("uri", "title", "description")}
    if thumb is not None:
        external["thumb"] = thumb  # type: ignore[assignment]
    return {"$type": "app.bsky.embed.external", "external": external}


def quote_embed(quoted: StrongRef, media: Mapping[str, Any] | None) -> dict[str, Any]:
    """An ``app.bsky.embed.record`` of ``quoted``, or an ``app.bsky.embed.recordWithMedia``
    when the post also carries ``media`` (images, a video or a link card)."""
    record = {"$type": "app.bsky.embed.record", "record": quoted.json()}
    if media is None:
        return record
    return {"$type": "app.bsky.embed.recordWithMedia", "record": record, "media": dict(media)}


def post_record(
    text: str,
    *,
    created_at: str,
    facets: Sequence[Mapping[str, Any]] = (),
    langs: Sequence[str] = (),
    reply: tuple[StrongRef, StrongRef] | None = None,
    embed: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """An ``app.bsky.feed.post``; ``reply`` is ``(root, parent)``."""
    record: dict[str, Any] = {"$type": POST, "text": text, "createdAt": created_at}
    if facets:
        record["facets"] = list(facets)
    if langs:
        record["langs"] = list(langs)
    if reply is not None:
        record["reply"] = {"root": reply[0].json(), "parent": reply[1].json()}
    if embed is not None:
        record["embed"] = dict(embed)
    return record


def subject_record(collection: str, subject: StrongRef, created_at: str) -> dict[str, Any]:
    """A like or repost record of ``subject``."""
    return {"$type": collection, "subject": subject.json(), "createdAt": created_at}


def threadgate_record(
    existing: Mapping[str, Any] | None, root_uri: str, reply_uri: str, hidden: bool, created_at: str
) -> dict[str, Any]:
    """The thread's gate with ``reply_uri`` added to (or removed from) ``hiddenReplies``.

    Everything else in an existing gate (its ``allow`` rules above all) is kept as it is:
    a missing ``allow`` means anyone may reply, an empty one that nobody may.
    """
    record: dict[str, Any] = (
        dict(existing) if existing else {"$type": THREADGATE, "post": root_uri,
                                         "createdAt": created_at}
    )
    current = [u for u in record.get("hiddenReplies") or [] if isinstance(u, str)]
    updated = [u for u in current if u != reply_uri] + ([reply_uri] if hidden else [])
    record["hiddenReplies"] = updated
    return record
