"""Keyed pseudonyms (HMAC-SHA256) for account ids and handles.

A pseudonym is stable for a key, in every process and on every machine, so
records pseudonymised on different days still join; without the key it cannot
be reversed or recomputed. Keep the key out of the data set (a secrets manager,
an environment variable) and rotate it with :meth:`Pseudonymizer.rotate`.

Account ids and handles are pseudonymised as they are: the pair ``(platform,
pseudonym)`` identifies a pseudonymous account, as ``(platform, id)`` does a
real one. Handles are compared case-insensitively and without a leading ``@``.
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

    The key never appears in ``repr`` or ``str``.

    Example:
        ```python
        p = Pseudonymizer(os.environ["SOCIALKIT_PSEUDONYM_KEY"])
        safe_post = p.pseudonymize(post)
        p.matches(post.author.id, safe_post.author.id)  # True
        ```
    """

    __slots__ = ("_key", "_previous")

    def __init__(self, key: bytes | str, *, previous_keys: Iterable[bytes | str] = ()) -> None:
        self._key = _key_bytes(key)
        self._previous = tuple(_key_bytes(k) for k in previous_keys)

    def __repr__(self) -> str:
        return f"Pseudonymizer(key=<redacted>, previous_keys={len(self._previous)})"

    __str__ = __repr__

    @staticmethod
    def generate_key() -> bytes:
        """A fresh random 32-byte key."""
        return secrets.token_bytes(32)

    @staticmethod
    def _token(key: bytes, value: str, namespace: str) -> str:
        if namespace == "handle":
            value = value.lstrip("@").casefold()
        message = namespace.encode() + b"\x1f" + value.encode()
        digest = hmac.new(key, message, hashlib.sha256).hexdigest()[:_TOKEN_HEX_CHARS]
        return f"{_PREFIXES.get(namespace, 'p')}_{digest}"

    def pseudonym(self, value: str, *, namespace: str = "account") -> str:
        """The pseudonym of ``value`` under the current key.

        Args:
            value: An account id, a handle (``"@Alice"`` and ``"alice"`` are the
                same handle) or any other identifier.
            namespace: What ``value`` is: ``"account"`` (prefix ``u_``),
                ``"handle"`` (``h_``) or a name of your own (``p_``). Equal values
                in different namespaces get unrelated pseudonyms.
        """
        return self._token(self._key, value, namespace)

    def matches(self, value: str, pseudonym: str, *, namespace: str = "account") -> bool:
        """Whether ``pseudonym`` is ``value``'s pseudonym under the current or a previous key."""
        return any(
            hmac.compare_digest(self._token(key, value, namespace), pseudonym)
            for key in (self._key, *self._previous)
        )

    def rotate(self, new_key: bytes | str) -> Pseudonymizer:
        """A Pseudonymizer for ``new_key`` that still recognises this one's pseudonyms."""
        return Pseudonymizer(new_key, previous_keys=(self._key, *self._previous))

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
        pattern = _UNICODE_HANDLE if platform in _UNICODE_HANDLE_PLATFORMS else _ASCII_HANDLE
        text = pattern.sub(lambda m: "@" + self.pseudonym(m["handle"], namespace="handle"), text)
        if author is None:
            return text
        handle_token = self.pseudonym(author.handle, namespace="handle")
        literals = [  # (literal, pseudonym); ids shorter than 6 and names than 3 are too common
            *([(author.id, self.pseudonym(author.id))] if len(author.id) >= 6 else []),
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
            "id": self.pseudonym(account.id),
            "handle": self.pseudonym(account.handle, namespace="handle"),
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
            return {"subject_id": self.pseudonym(record.subject_id)}
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
