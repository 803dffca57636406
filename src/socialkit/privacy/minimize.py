"""Field-level data minimisation: keep only what a use needs.

A :class:`Profile` says what happens to the text, the authors, the URLs and the
raw payload of each record. Three are built in (:data:`PROFILES`):

| profile | text | authors | URLs | raw |
| --- | --- | --- | --- | --- |
| ``"analytics"`` | dropped | pseudonymous | dropped | dropped |
| ``"support"`` | personal data redacted | kept | kept | dropped |
| ``"none"`` | kept | kept | kept | kept |

Ids, platform, timestamps, metrics and the links between records (``thread_root_id``,
``reply_to_id``, ...) are always kept. A profile returns copies of the models.
A custom set of fields (``keep={"id", "created_at", "author.id"}``) returns
plain dicts instead, because a model cannot lack its required fields.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from types import MappingProxyType
from typing import Any, Final, Literal, cast, overload

import attrs

from socialkit.models import Account, Comment, Mention, Metric, Post
from socialkit.privacy._records import AnyRecord, RecordT
from socialkit.privacy.pii import redact
from socialkit.privacy.pseudonym import Pseudonymizer

__all__ = ["PROFILES", "Profile", "minimize", "project"]

TextPolicy = Literal["keep", "redact", "drop"]
AuthorPolicy = Literal["keep", "pseudonymize"]


@attrs.frozen
class Profile:
    """What a minimisation keeps of each record.

    Attributes:
        name: The profile's name, for messages.
        text: ``"keep"``, ``"redact"`` (personal data replaced; with pseudonymous
            authors, @handles pseudonymised too) or ``"drop"`` (text and media
            descriptions emptied).
        authors: ``"keep"`` or ``"pseudonymize"`` (needs a :class:`Pseudonymizer`).
        urls: Keep permalinks, profile, avatar and media URLs.

    With pseudonymous authors, ``urls`` must be ``False`` (a permalink usually
    names its author) and ``text`` must not be ``"keep"`` (it names people too).
        raw: Keep the platform's raw payload.
    """

    name: str
    text: TextPolicy = "keep"
    authors: AuthorPolicy = "keep"
    urls: bool = True
    raw: bool = False

    def __attrs_post_init__(self) -> None:
        if self.authors == "pseudonymize" and self.urls:
            raise ValueError("a profile with pseudonymous authors must drop URLs (urls=False)")
        if self.authors == "pseudonymize" and self.text == "keep":
            raise ValueError("a profile with pseudonymous authors must redact or drop the text")

    def apply(self, record: RecordT, pseudonymizer: Pseudonymizer | None = None) -> RecordT:
        """A minimised copy of ``record`` (the record itself when nothing is removed).

        Raises:
            ValueError: The profile makes authors pseudonymous and no pseudonymizer is given.
        """
        if (self.text, self.authors, self.urls, self.raw) == ("keep", "keep", True, True):
            return record
        changes = self._changes(record, self._pseudonymizer(pseudonymizer))
        if not changes:
            return record
        # model_copy keeps the type; mypy cannot see it through the union bound
        return cast(RecordT, record.model_copy(update=changes))

    def _changes(self, record: AnyRecord, pseudo: Pseudonymizer | None) -> dict[str, Any]:
        if isinstance(record, Metric):
            if pseudo and record.subject == "account":
                return {"subject_id": pseudo.pseudonym(record.subject_id, platform=record.platform)}
            return {}
        if isinstance(record, Account):
            return dict(self._account(record, pseudo))
        author = record.author
        update: dict[str, Any] = {
            "author": self._account(author, pseudo) if author else None,
            "text": self._text(record.text, record.platform, pseudo, author) or "",
        }
        if not self.urls:
            update["url"] = None
        if not self.raw:
            update["raw"] = None
        if isinstance(record, Post):
            media_changes: dict[str, Any] = {} if self.urls else {"url": None, "preview_url": None}
            update["media"] = tuple(
                m.model_copy(
                    update={
                        "alt_text": self._text(m.alt_text, record.platform, pseudo, author),
                        **media_changes,
                    }
                )
                for m in record.media
            )
        return update

    def _pseudonymizer(self, pseudonymizer: Pseudonymizer | None) -> Pseudonymizer | None:
        if self.authors != "pseudonymize":
            return None
        if pseudonymizer is None:
            raise ValueError(
                f"the {self.name!r} profile makes authors pseudonymous: "
                "pass pseudonymizer=Pseudonymizer(key)"
            )
        return pseudonymizer

    def _account(self, account: Account, pseudo: Pseudonymizer | None) -> Account:
        if pseudo is not None:
            return pseudo.pseudonymize_account(account)
        update: dict[str, Any] = {}
        if not self.urls:
            update.update(url=None, avatar_url=None)
        if not self.raw:
            update["raw"] = None
        return account.model_copy(update=update) if update else account

    def _text(
        self,
        text: str | None,
        platform: str,
        pseudo: Pseudonymizer | None,
        author: Account | None,
    ) -> str | None:
        if not text or self.text == "keep":
            return text
        if self.text == "drop":
            return None
        if pseudo is not None:
            return pseudo.pseudonymize_text(text, platform=platform, author=author)
        return redact(text)


PROFILES: Final[Mapping[str, Profile]] = MappingProxyType(
    {
        "analytics": Profile("analytics", text="drop", authors="pseudonymize", urls=False),
        "support": Profile("support", text="redact"),
        "none": Profile("none", raw=True),
    }
)
"""The built-in profiles, by name."""

_MODELS: Final = (Account, Post, Comment, Mention, Metric)
_FIELDS: Final = frozenset({"type"}.union(*(m.model_fields for m in _MODELS)))


def _profile(profile: str | Profile) -> Profile:
    if isinstance(profile, Profile):
        return profile
    try:
        return PROFILES[profile]
    except KeyError:
        raise ValueError(
            f"unknown profile {profile!r}; built-in profiles are {sorted(PROFILES)}"
        ) from None


def _keep_paths(keep: Iterable[str]) -> list[str]:
    paths = sorted(keep) if isinstance(keep, Set) else list(keep)
    unknown = sorted(p for p in paths if p.split(".", 1)[0] not in _FIELDS)
    if unknown:
        raise ValueError(f"unknown field(s) {unknown}; known fields are {sorted(_FIELDS)}")
    return paths


def project(record: AnyRecord, keep: Iterable[str]) -> dict[str, Any]:
    """The fields ``keep`` of ``record`` as a dict.

    ``keep`` names fields (``"id"``), nested fields (``"author.id"``,
    ``"metrics.likes"``, giving nested dicts) or ``"type"`` (the record type in
    lower case: ``"post"``, ``"comment"``, ...). Fields the record lacks are
    left out. A set is output in sorted order, a sequence in its own order.

    Raises:
        ValueError: A name is not a field of any record type.
    """
    data = record.model_dump(context={"raw": True})
    data["type"] = type(record).__name__.lower()
    out: dict[str, Any] = {}
    for path in _keep_paths(keep):
        *parents, leaf = path.split(".")
        source: Any = data
        for part in parents:
            source = source.get(part) if isinstance(source, Mapping) else None
        if not isinstance(source, Mapping) or leaf not in source:
            continue
        target = out
        for part in parents:
            target = target.setdefault(part, {})
        target[leaf] = source[leaf]
    return out


@overload
def minimize(
    records: Iterable[RecordT],
    keep: None = None,
    *,
    profile: str | Profile | None = None,
    pseudonymizer: Pseudonymizer | None = None,
) -> list[RecordT]: ...
@overload
def minimize(
    records: Iterable[AnyRecord],
    keep: Iterable[str],
    *,
    profile: str | Profile | None = None,
    pseudonymizer: Pseudonymizer | None = None,
) -> list[dict[str, Any]]: ...
def minimize(
    records: Iterable[AnyRecord],
    keep: Iterable[str] | None = None,
    *,
    profile: str | Profile | None = None,
    pseudonymizer: Pseudonymizer | None = None,
) -> list[Any]:
    """Minimise records by a profile, or to a custom set of fields.

    Args:
        records: Posts, comments, mentions, accounts or metrics, in any mix.
        keep: Fields to keep (see :func:`project`); the result is then a list of
            dicts. The profile, if one is given, is applied first.
        profile: A name from :data:`PROFILES` or a :class:`Profile`. Defaults to
            ``"analytics"`` without ``keep`` and to ``"none"`` with it.
        pseudonymizer: Required by profiles that make authors pseudonymous.

    Returns:
        Minimised copies of the models, in order; dicts when ``keep`` is given.

    Raises:
        ValueError: Unknown profile or field, or no pseudonymizer where one is needed.

    Example:
        ```python
        rows = minimize(posts, pseudonymizer=p)                 # analytics copies
        rows = minimize(posts, keep={"id", "created_at"})       # [{"created_at": ..., "id": ...}]
        ```
    """
    chosen = _profile(profile if profile is not None else "analytics" if keep is None else "none")
    minimised = [chosen.apply(r, pseudonymizer) for r in records]
    if keep is None:
        return minimised
    paths = _keep_paths(keep)
    return [project(r, paths) for r in minimised]
