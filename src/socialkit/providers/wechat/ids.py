"""Post and comment ids: what WeChat needs to find an article or a comment again.

A published article is ``article_id`` (freepublish) plus its place ``idx`` (first is 1);
its comments are keyed by ``msg_data_id`` (given only by ``freepublish/submit``, or
as the ``msgid`` ``"<msg_data_id>_<idx>"`` of the datacube article statistics) and a
0-based index. So a post id is ``<article_id>[/<idx>][@<msg_data_id>]`` (or a bare
``<msg_data_id>_<idx>``), and a comment id ``<msg_data_id>_<idx>:<user_comment_id>``,
with ``/reply`` for the account's answer to it.
"""

from __future__ import annotations

import re

import attrs

from ...errors import NotFound

__all__ = ["ArticleRef", "CommentRef"]

_MSGID = re.compile(r"^(\d+)_(\d+)$")
_ARTICLE = re.compile(r"^(?P<article>[^/@:\s]+)(?:/(?P<idx>\d+))?(?:@(?P<msg>\d+))?$")
_COMMENT = re.compile(r"^(?P<msg>\d+)_(?P<idx>\d+):(?P<cid>\d+)(?P<reply>/reply)?$")


@attrs.frozen
class ArticleRef:
    """One article of a publish: its ``article_id``, place and, when known, ``msg_data_id``."""

    article_id: str | None
    idx: int = 1
    msg_data_id: str | None = None

    def __str__(self) -> str:
        if self.article_id is None:
            return f"{self.msg_data_id}_{self.idx}"
        place = f"/{self.idx}" if self.idx != 1 else ""
        message = f"@{self.msg_data_id}" if self.msg_data_id else ""
        return f"{self.article_id}{place}{message}"

    @classmethod
    def parse(cls, value: str) -> ArticleRef:
        """A post id (see the module) as its parts; `NotFound` when it is none."""
        value = value.strip()
        msgid = _MSGID.match(value)
        if msgid:
            return cls(None, int(msgid.group(2)) or 1, msgid.group(1))
        match = _ARTICLE.match(value)
        if not match:
            raise NotFound(f"{value!r} is not a WeChat post id", platform="wechat")
        idx = int(match.group("idx") or 1)
        return cls(match.group("article"), max(idx, 1), match.group("msg"))

    @property
    def msgid(self) -> str | None:
        """``<msg_data_id>_<idx>``, as datacube names the article, when known."""
        return f"{self.msg_data_id}_{self.idx}" if self.msg_data_id else None

    def require_article(self) -> str:
        """The ``article_id``; `NotFound` for a datacube-only reference."""
        if self.article_id is None:
            raise NotFound(
                f"{self} names an article by msg_data_id only; WeChat finds published "
                "articles by article_id",
                platform="wechat",
            )
        return self.article_id

    def require_message(self) -> str:
        """The ``msg_data_id`` comments and statistics need."""
        if self.msg_data_id is None:
            raise NotFound(
                f"the msg_data_id of article {self} is unknown: WeChat gives it only when "
                "publishing (use the id of the Post that publish() returned) or as datacube's "
                "msgid '<msg_data_id>_<idx>'",
                platform="wechat",
            )
        return self.msg_data_id


@attrs.frozen
class CommentRef:
    """A comment under an article (or, with ``reply``, the account's answer to it)."""

    msg_data_id: str
    idx: int
    user_comment_id: str
    reply: bool = False

    def __str__(self) -> str:
        suffix = "/reply" if self.reply else ""
        return f"{self.msg_data_id}_{self.idx}:{self.user_comment_id}{suffix}"

    @classmethod
    def parse(cls, value: str) -> CommentRef:
        """A comment id as its parts; `NotFound` when it is none."""
        match = _COMMENT.match(value.strip())
        if not match:
            raise NotFound(f"{value!r} is not a WeChat comment id", platform="wechat")
        return cls(
            match.group("msg"),
            max(int(match.group("idx")), 1),
            match.group("cid"),
            bool(match.group("reply")),
        )

    @property
    def body(self) -> dict[str, int]:
        """The ``msg_data_id``/``index``/``user_comment_id`` of the comment APIs (index from 0)."""
        return {
            "msg_data_id": int(self.msg_data_id),
            "index": self.idx - 1,
            "user_comment_id": int(self.user_comment_id),
        }
