"""Keyed pseudonyms (HMAC-SHA256) for account ids and handles.

A pseudonym is stable for a key, in every process and on every machine, so
records pseudonymised on different days still join; without the key it cannot
be reversed or recomputed. Keep the key out of the data set (a secrets manager,
an environment variable) and rotate it with :meth:`Pseudonymizer.rotate`.

A pseudonym is scoped by the record's platform and by the Pseudonymizer's
``instance`` (for platforms where ids are per server, such as Mastodon): account
``1`` on X, on mastodon.social and on another Mastodon server get three unrelated
pseudonyms, so analytics never merge different people. Handles are compared
case-insensitively and without a leading ``@``.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from typing import Any, Final, cast

from socialkit.models import Account, Media, Metric, Post
from socialkit.privacy._records import AnyRecord, RecordT
from socialkit.privacy.pii import redact

__all__ = ["Pseudonymizer"]

_PREFIXES: Final = {"account": "u", "handle": "h"}
_TOKEN_HEX_CHARS: Final = 16  # 64 bits: collisions stay negligible below ~10^7 accounts
_MIN_KEY_BYTES: Final = 16

# @alice, @alice.bsky.social, @alice@mastodon.social. On Weibo and WeChat a
# handle may be written in Chinese and ends at a space or punctuation.
_ASCII_HANDLE = re.compile(
    r"(?<![A-Za-z0-9_.@])@(?P<handle>[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_])?"
    r"(?:@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)?)"
)
_UNICODE_HANDLE = re.compile(r"(?<![A-Za-z0-9_.@])@(?P<handle>[\w\-]+)")
_UNICODE_HANDLE_PLATFORMS: Final = frozenset({"weibo", "wechat"})


def _key_bytes(key: bytes | str) -> bytes:
    raw = key.encode() if isinstance(key, str) else bytes(key)
    if len(raw) < _MIN_KEY_BYTES:
        raise ValueError(
            f"a pseudonymisation key needs at least {_MIN_KEY_BYTES} bytes "
            "(make one with Pseudonymizer.generate_key())"
        )
    return raw


class Pseudonymizer:
    """Replaces account ids and handles by keyed pseudonyms (``"u_3f9a0c..."``).

    Args:
        key: The secret (at least 16 bytes; ``str`` is UTF-8 encoded).
        previous_keys: Keys retired by rotation, still accepted by :meth:`matches`.
        instance: The server the records come from, where ids are per server
            (``"mastodon.social"``); use :meth:`for_instance` for each server.

    The key never appears in ``repr`` or ``str``.

    Example:
        ```python
        p = Pseudonymizer(os.environ["SOCIALKIT_PSEUDONYM_KEY"])
        safe_post = p.pseudonymize(post)
        p.matches(post.author.id, safe_post.author.id)  # True
        ```
    """

    __slots__ = ("_instance", "_key", "_previous")

    def __init__(
        self,
        key: bytes | str,
        *,
        previous_keys: Iterable[bytes | str] = (),
        instance: str | None = None,
    ) -> None:
        self._key = _key_bytes(key)
        self._previous = tuple(_key_bytes(k) for k in previous_keys)
        self._instance = (instance or "").casefold()

    def __repr__(self) -> str:
        instance = f", instance={self._instance!r}" if self._instance else ""
        return f"Pseudonymizer(key=<redacted>, previous_keys={len(self._previous)}{instance})"

    __str__ = __repr__

    @staticmethod
    def generate_key() -> bytes:
        """A fresh random 32-byte key."""
        return secrets.token_bytes(32)

    def _token(self, key: bytes, value: str, namespace: str, platform: str) -> str:
        if namespace == "handle":
            value = value.lstrip("@").casefold()
        scope = (namespace, platform.casefold(), self._instance, value)
        message = b"\x1f".join(part.encode() for part in scope)
        digest = hmac.new(key, message, hashlib.sha256).hexdigest()[:_TOKEN_HEX_CHARS]
        return f"{_PREFIXES.get(namespace, 'p')}_{digest}"

    def pseudonym(self, value: str, *, platform: str = "", namespace: str = "account") -> str:
        """The pseudonym of ``value`` under the current key.

        Args:
            value: An account id, a handle (``"@Alice"`` and ``"alice"`` are the
                same handle) or any other identifier.
            platform: The platform ``value`` belongs to, as on the records
                (``"mastodon"``); records are always pseudonymised with theirs.
            namespace: What ``value`` is: ``"account"`` (prefix ``u_``),
                ``"handle"`` (``h_``) or a name of your own (``p_``). Equal values
                in different namespaces get unrelated pseudonyms.
        """
        return self._token(self._key, value, namespace, platform)

    def matches(
        self, value: str, pseudonym: str, *, platform: str = "", namespace: str = "account"
    ) -> bool:
        """Whether ``pseudonym`` is ``value``'s pseudonym under the current or a previous key."""
        return any(
            hmac.compare_digest(self._token(key, value, namespace, platform), pseudonym)
            for key in (self._key, *self._previous)
        )

    def rotate(self, new_key: bytes | str) -> Pseudonymizer:
        """A Pseudonymizer for ``new_key`` that still recognises this one's pseudonyms."""
        return Pseudonymizer(
            new_key, previous_keys=(self._key, *self._previous), instance=self._instance
        )

    def for_instance(self, instance: str) -> Pseudonymizer:
        """The same keys, scoped to records read from ``instance`` (e.g. ``"fosstodon.org"``)."""
        pseudonymizer = Pseudonymizer(self._key, previous_keys=self._previous)
        pseudonymizer._instance = instance.casefold()
        return pseudonymizer

    def pseudonymize_text(
        self, text: str, *, platform: str | None = None, author: Account | None = None
    ) -> str:
        """Redact the personal data in ``text`` and replace its @handles by pseudonyms.

        Args:
            text: The text of a post, comment, message or media description.
            platform: On ``"weibo"`` and ``"wechat"`` handles may be written in Chinese.
            author: The text's author: their handle and display name become their
                handle pseudonym, and their account id their account pseudonym,
                wherever these stand in the text (names shorter than 3 characters
                and ids shorter than 6 are left alone).
        """
        text = redact(text)
        scope = platform or ""
        pattern = _UNICODE_HANDLE if platform in _UNICODE_HANDLE_PLATFORMS else _ASCII_HANDLE
        text = pattern.sub(
            lambda m: "@" + self.pseudonym(m["handle"], platform=scope, namespace="handle"), text
        )
        if author is None:
            return text
        handle_token = self.pseudonym(author.handle, platform=author.platform, namespace="handle")
        author_token = self.pseudonym(author.id, platform=author.platform)
        literals = [  # (literal, pseudonym); ids shorter than 6 and names than 3 are too common
            *([(author.id, author_token)] if len(author.id) >= 6 else []),
            *((name, handle_token) for name in (author.handle.lstrip("@"), author.display_name)),
        ]
        for literal, token in sorted(literals, key=lambda pair: -len(pair[0] or "")):
            if literal and len(literal) >= 3:
                text = re.sub(
                    rf"(?<![A-Za-z0-9_]){re.escape(literal)}(?![A-Za-z0-9_])",
                    token,
                    text,
                    flags=re.IGNORECASE,
                )
        return text

    def pseudonymize_account(self, account: Account) -> Account:
        """A copy of ``account`` with pseudonymous id and handle, and no name, URLs, follower
        count (an exact count can single a person out) or raw payload."""
        return account.model_copy(update=self._account_changes(account))

    def _account_changes(self, account: Account) -> dict[str, Any]:
        return {
            "id": self.pseudonym(account.id, platform=account.platform),
            "handle": self.pseudonym(account.handle, platform=account.platform, namespace="handle"),
            "display_name": None,
            "url": None,
            "avatar_url": None,
            "followers": None,
            "raw": None,
        }

    def pseudonymize(self, record: RecordT) -> RecordT:
        """A pseudonymous copy of a record (an Account, Post, Comment, Mention or Metric).

        The author (id, handle, display name, profile and avatar URLs) becomes
        pseudonymous; in the text and media descriptions, personal data is
        redacted, @handles become ``@h_...`` and the author's handle, display
        name and id become their pseudonyms. The permalink (it names the author
        on most platforms), media URLs and ``raw`` are dropped. Ids of the
        record itself and of the posts it refers to are kept. A ``Metric``
        about an account gets a pseudonymous ``subject_id``.
        """
        # model_copy keeps the type; mypy cannot see it through the union bound
        return cast(RecordT, record.model_copy(update=self._changes(record)))

    def _changes(self, record: AnyRecord) -> dict[str, Any]:
        if isinstance(record, Account):
            return self._account_changes(record)
        if isinstance(record, Metric):
            if record.subject != "account":
                return {}
            return {"subject_id": self.pseudonym(record.subject_id, platform=record.platform)}
        author = record.author
        update: dict[str, Any] = {
            "author": self.pseudonymize_account(author) if author else None,
            "text": self.pseudonymize_text(record.text, platform=record.platform, author=author),
            "url": None,
            "raw": None,
        }
        if isinstance(record, Post):
            update["media"] = tuple(self._media(m, record.platform, author) for m in record.media)
        return update

    def _media(self, media: Media, platform: str, author: Account | None) -> Media:
        alt = media.alt_text
        if alt:
            alt = self.pseudonymize_text(alt, platform=platform, author=author)
        return media.model_copy(update={"url": None, "preview_url": None, "alt_text": alt})
