"""Post and comment ids carry what WeChat needs to find them again."""

from __future__ import annotations

import pytest

from socialkit.errors import NotFound
from socialkit.providers.wechat import ArticleRef, CommentRef

from .wechat_support import ARTICLE


def test_a_bare_article_id_is_the_first_article() -> None:
    assert ArticleRef.parse(ARTICLE) == ArticleRef(ARTICLE, 1, None)


def test_a_full_post_id_round_trips() -> None:
    ref = ArticleRef(ARTICLE, 2, "2247483655")
    assert ArticleRef.parse(str(ref)) == ref
    assert str(ref) == f"{ARTICLE}/2@2247483655"


def test_datacubes_msgid_is_a_post_id() -> None:
    ref = ArticleRef.parse("2247483655_3")
    assert (ref.article_id, ref.idx, ref.msgid) == (None, 3, "2247483655_3")


def test_a_msgid_only_reference_cannot_be_read_as_an_article() -> None:
    with pytest.raises(NotFound):
        ArticleRef.parse("2247483655_3").require_article()


def test_a_comment_id_round_trips_with_the_zero_based_index() -> None:
    ref = CommentRef.parse("2247483655_2:1001")
    assert str(ref) == "2247483655_2:1001"
    assert ref.body == {"msg_data_id": 2247483655, "index": 1, "user_comment_id": 1001}


def test_an_answer_id_ends_in_reply() -> None:
    assert CommentRef.parse("2247483655_1:1001/reply").reply


def test_a_malformed_comment_id_is_not_found() -> None:
    with pytest.raises(NotFound):
        CommentRef.parse("1001")
