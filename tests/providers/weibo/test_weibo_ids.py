"""Ids, times and permalinks: big ids stay exact, times become UTC."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest
import respx

from socialkit.errors import ParseError
from socialkit.models import Post
from socialkit.providers.weibo import parse

from .weibo_support import Driver, load


def test_an_id_above_2_to_the_53_survives_a_round_trip(
    driver: Driver, api: respx.MockRouter
) -> None:
    big = "9876543210987655"
    assert float(big) != int(big)  # a float would change it
    show = api.get("/2/statuses/show.json").respond(200, json=load("status_big_id"))
    reply = api.post("/2/comments/create.json").respond(200, json=load("comment_create"))
    post = driver("get_post", big)
    driver("reply", post, "收到")
    assert show.calls[0].request.url.params["id"] == big
    assert post.id == big
    assert f"id={big}".encode() in reply.calls[0].request.content


def test_a_big_integer_id_without_idstr_is_read_exactly() -> None:
    status = json.loads('{"id": 9876543210987655, "text": "x"}')
    assert parse.item_id(status) == "9876543210987655"


def test_idstr_wins_over_the_number() -> None:
    assert parse.item_id({"id": 1, "idstr": "9876543210987655"}) == "9876543210987655"


def test_a_float_id_is_refused() -> None:
    with pytest.raises(ParseError):
        parse.item_id({"id": 9.876543210987655e15})


def test_big_ids_in_counts_stay_exact() -> None:
    metrics = parse.count_metrics(load("count")[1])
    assert {m.subject_id for m in metrics} == {"9876543210987655"}


def test_weibo_time_is_parsed_to_utc() -> None:
    assert parse.parse_time("Wed Oct 24 23:49:17 +0800 2012") == datetime(
        2012, 10, 24, 15, 49, 17, tzinfo=UTC
    )


def test_an_unreadable_time_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        parse.parse_time("2012-10-24 23:49:17")


def test_the_permalink_uses_weibos_base62_mid() -> None:
    assert parse.mid_to_base62("3501756485200075") == "z0JH2lOMb"


def test_a_status_is_public_with_its_author() -> None:
    post = parse.post(load("status"))
    assert isinstance(post, Post)
    assert post.author is not None
    assert post.author.id == "1404376560"
    assert post.created_at == datetime(2012, 10, 24, 15, 49, 17, tzinfo=UTC)


def test_a_malformed_json_answer_is_a_parse_error(driver: Driver, api: respx.MockRouter) -> None:
    api.get("/2/statuses/show.json").mock(return_value=httpx.Response(200, content=b"{oops"))
    with pytest.raises(ParseError):
        driver("get_post", "1")


@pytest.mark.parametrize("mid", ["-1", "12a", "", "１２"])
def test_mid_to_base62_refuses_what_is_not_digits_instead_of_looping(mid: str) -> None:
    with pytest.raises(ValueError, match="digits"):
        parse.mid_to_base62(mid)
