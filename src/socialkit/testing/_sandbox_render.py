"""Rendering sandbox state as Mastodon API JSON (the shapes of the official entities)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from ._sandbox_store import Account, Media, Notification, Poll, Status, Store
from ._sandbox_text import MAX_CHARACTERS, URL_RESERVED, escape, to_html

__all__ = ["MEDIA_TYPES", "Renderer", "iso"]

JSON = dict[str, Any]

MEDIA_TYPES = (
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/heic",
    "image/heif",
    "image/webp",
    "image/avif",
    "video/webm",
    "video/mp4",
    "video/quicktime",
    "video/ogg",
    "audio/wave",
    "audio/wav",
    "audio/x-wav",
    "audio/ogg",
    "audio/mpeg",
    "audio/mp3",
    "audio/webm",
    "audio/flac",
    "audio/aac",
    "audio/m4a",
    "audio/mp4",
)
_EXTENSIONS = {"jpeg": "jpg", "quicktime": "mov", "mpeg": "mp3", "x-wav": "wav", "wave": "wav"}


def iso(value: datetime) -> str:
    """Mastodon's timestamp format: UTC, milliseconds, ``Z``."""
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


class Renderer:
    """Renders entities for one request: its origin (scheme://host), viewer and time."""

    def __init__(self, store: Store, origin: str, viewer: Account | None, now: datetime) -> None:
        self.store = store
        self.origin = origin
        self.viewer = viewer
        self.now = now

    def _mention_url(self, username: str, domain: str | None) -> str | None:
        if domain not in (None, self.store.domain):
            return None
        acc = self.store.by_username(username)
        return f"{self.origin}/@{acc.username}" if acc else None

    def account(self, acc: Account, *, credentials: bool = False) -> JSON:
        """An ``Account`` (a ``CredentialAccount`` with ``source`` when ``credentials``)."""
        last = self.store.last_status_at(acc.id)
        missing = f"{self.origin}/avatars/original/missing.png"
        header = f"{self.origin}/headers/original/missing.png"
        out: JSON = {
            "id": acc.id,
            "username": acc.username,
            "acct": acc.username,
            "display_name": acc.display_name,
            "locked": False,
            "bot": acc.bot,
            "discoverable": True,
            "indexable": True,
            "group": False,
            "created_at": iso(acc.created_at),
            "note": f"<p>{escape(acc.note)}</p>" if acc.note else "",
            "url": f"{self.origin}/@{acc.username}",
            "uri": f"{self.origin}/users/{acc.username}",
            "avatar": missing,
            "avatar_static": missing,
            "header": header,
            "header_static": header,
            "followers_count": acc.followers_count,
            "following_count": acc.following_count,
            "statuses_count": self.store.statuses_count(acc.id),
            "last_status_at": last.strftime("%Y-%m-%d") if last else None,
            "hide_collections": False,
            "noindex": False,
            "emojis": [],
            "roles": [],
            "fields": [],
        }
        if credentials:
            out["source"] = {
                "privacy": "public",
                "sensitive": False,
                "language": "en",
                "note": acc.note,
                "fields": [],
                "follow_requests_count": 0,
                "hide_collections": False,
                "discoverable": True,
                "indexable": True,
            }
            out["role"] = {
                "id": "-99",
                "name": "",
                "permissions": "0",
                "color": "",
                "highlighted": False,
            }
        return out

    def media(self, item: Media) -> JSON:
        """A ``MediaAttachment``; ``url`` is null until processing finishes."""
        ext = item.mime.split("/", 1)[1].split(";")[0]
        ext = _EXTENSIONS.get(ext, ext)
        digits = f"{int(item.id) % 10**9:09d}"
        base = (
            f"{self.origin}/system/media_attachments/files/{digits[:3]}/{digits[3:6]}/{digits[6:]}"
        )
        meta: JSON = {}
        if item.focus is not None:
            meta["focus"] = {"x": item.focus[0], "y": item.focus[1]}
        return {
            "id": item.id,
            "type": item.kind,
            "url": f"{base}/original/{item.file_key}.{ext}" if item.processed else None,
            "preview_url": f"{base}/small/{item.file_key}.png",
            "remote_url": None,
            "preview_remote_url": None,
            "text_url": None,
            "meta": meta,
            "description": item.description,
            "blurhash": None,
        }

    def poll(self, poll: Poll) -> JSON:
        """A ``Poll`` with no votes."""
        return {
            "id": poll.id,
            "expires_at": iso(poll.expires_at),
            "expired": poll.expires_at <= self.now,
            "multiple": poll.multiple,
            "votes_count": 0,
            "voters_count": 0 if poll.multiple else None,
            "voted": False if self.viewer else None,
            "own_votes": [] if self.viewer else None,
            "options": [{"title": o, "votes_count": 0} for o in poll.options],
            "emojis": [],
        }

    def status(self, st: Status, *, source: bool = False) -> JSON:
        """A ``Status``; with ``source`` it also carries the plain ``text`` (as on delete)."""
        store = self.store
        author = store.accounts[st.account_id]
        url = f"{self.origin}/@{author.username}/{st.id}"
        uri = f"{self.origin}/users/{author.username}/statuses/{st.id}"
        original = store.statuses.get(st.reblog_of_id) if st.reblog_of_id else None
        viewer_id = self.viewer.id if self.viewer else None
        out: JSON = {
            "id": st.id,
            "created_at": iso(st.created_at),
            "in_reply_to_id": st.in_reply_to_id,
            "in_reply_to_account_id": st.in_reply_to_account_id,
            "sensitive": st.sensitive,
            "spoiler_text": st.spoiler_text,
            "visibility": st.visibility,
            "language": st.language,
            "uri": f"{uri}/activity" if original else uri,
            "url": f"{uri}/activity" if original else url,
            "replies_count": store.replies_count(st.id),
            "reblogs_count": len(st.reblogs),
            "favourites_count": len(st.favourited_by),
            "quotes_count": 0,
            "edited_at": iso(st.edited_at) if st.edited_at else None,
            "favourited": viewer_id in st.favourited_by if viewer_id else None,
            "reblogged": viewer_id in st.reblogs if viewer_id else None,
            "muted": False if viewer_id else None,
            "bookmarked": False if viewer_id else None,
            "content": to_html(st.text, self.origin, self._mention_url),
            "filtered": [],
            "reblog": self.status(original) if original else None,
            "application": {"name": "socialkit", "website": None},
            "account": self.account(author),
            "media_attachments": [
                self.media(store.media[m]) for m in st.media_ids if m in store.media
            ],
            "mentions": [
                self._mention(store.accounts[a]) for a in st.mention_ids if a in store.accounts
            ],
            "tags": [{"name": t, "url": f"{self.origin}/tags/{quote(t)}"} for t in st.tags],
            "emojis": [],
            "quote": None,
            "card": None,
            "poll": self.poll(st.poll) if st.poll else None,
        }
        if viewer_id == st.account_id and not original:
            out["pinned"] = False
        if source:
            out["text"] = st.text
        return out

    def _mention(self, acc: Account) -> JSON:
        return {
            "id": acc.id,
            "username": acc.username,
            "url": f"{self.origin}/@{acc.username}",
            "acct": acc.username,
        }

    def notification(self, note: Notification) -> JSON:
        """A ``Notification`` (ungrouped)."""
        status = self.store.statuses.get(note.status_id) if note.status_id else None
        return {
            "id": note.id,
            "type": note.type,
            "created_at": iso(note.created_at),
            "group_key": f"ungrouped-{note.id}",
            "account": self.account(self.store.accounts[note.from_account_id]),
            "status": self.status(status) if status else None,
        }

    def tag(self, name: str) -> JSON:
        """A ``Tag`` with a week of daily usage history (``day`` is a UNIX timestamp)."""
        history = []
        today = self.now.replace(hour=0, minute=0, second=0, microsecond=0)
        for back in range(7):
            start = today - timedelta(days=back)
            end = start + timedelta(days=1)
            used = [
                s
                for s in self.store.statuses.values()
                if name in s.tags and start <= s.created_at < end
            ]
            history.append(
                {
                    "day": str(int(start.timestamp())),
                    "uses": str(len(used)),
                    "accounts": str(len({s.account_id for s in used})),
                }
            )
        return {
            "id": name,
            "name": name,
            "url": f"{self.origin}/tags/{quote(name)}",
            "history": history,
            "following": False,
            "featuring": False,
        }

    def instance_v1(self) -> JSON:
        """The v1 ``V1::Instance`` (deprecated on Mastodon, still served): identity,
        version and status limits."""
        v2 = self.instance()
        statuses = v2["configuration"]["statuses"]
        return {
            "uri": v2["domain"],
            "title": v2["title"],
            "version": v2["version"],
            "description": v2["description"],
            "languages": v2["languages"],
            "configuration": {"statuses": statuses},
        }

    def instance(self) -> JSON:
        """The v2 ``Instance``."""
        domain = self.origin.split("://", 1)[-1]
        brand = self.store.by_username("brand")
        return {
            "domain": domain,
            "title": "socialkit sandbox",
            "version": "4.3.0",
            "source_url": "https://github.com/mastodon/mastodon",
            "description": "An in-process Mastodon-compatible sandbox for testing socialkit.",
            "usage": {"users": {"active_month": len(self.store.accounts)}},
            "thumbnail": {"url": f"{self.origin}/packs/media/images/preview.png"},
            "icon": [],
            "languages": ["en"],
            "configuration": {
                "urls": {
                    "streaming": f"{'ws' if self.origin.startswith('http:') else 'wss'}://{domain}",
                    "status": None,
                    "about": f"{self.origin}/about",
                    "privacy_policy": None,
                    "terms_of_service": None,
                },
                "vapid": {"public_key": ""},
                "accounts": {
                    "max_featured_tags": 10,
                    "max_pinned_statuses": 5,
                    "max_display_name_length": 30,
                    "max_note_length": 500,
                    "max_profile_fields": 4,
                    "profile_field_name_limit": 255,
                    "profile_field_value_limit": 255,
                },
                "statuses": {
                    "max_characters": MAX_CHARACTERS,
                    "max_media_attachments": 4,
                    "characters_reserved_per_url": URL_RESERVED,
                },
                "media_attachments": {
                    "supported_mime_types": list(MEDIA_TYPES),
                    "description_limit": 1500,
                    "image_size_limit": 16_777_216,
                    "image_matrix_limit": 33_177_600,
                    "video_size_limit": 103_809_024,
                    "video_frame_rate_limit": 120,
                    "video_matrix_limit": 8_294_400,
                },
                "polls": {
                    "max_options": 4,
                    "max_characters_per_option": 50,
                    "min_expiration": 300,
                    "max_expiration": 2_629_746,
                },
                "translation": {"enabled": False},
            },
            "registrations": {
                "enabled": True,
                "approval_required": False,
                "message": None,
                "url": None,
            },
            "api_versions": {"mastodon": 2},
            "contact": {"email": "", "account": self.account(brand) if brand else None},
            "rules": [],
        }
