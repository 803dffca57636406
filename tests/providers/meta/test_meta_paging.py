"""Cursors come from ``paging.next`` and never hold the access token."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

from hypothesis import given
from hypothesis import strategies as st

from socialkit.models import Mention, ResultPage
from socialkit.providers.meta.paging import cursor_params, next_cursor, until_seen

NEXT = (
    "https://graph.facebook.com/v25.0/1/comments?access_token=SECRET&appsecret_proof=P"
    "&fields=id&limit=25&after=QVFIUmx"
)


def test_cursor_paging_keeps_only_the_after_cursor() -> None:
    payload = {"paging": {"cursors": {"before": "B", "after": "QVFIUmx"}, "next": NEXT}}
    assert next_cursor(payload) == "after=QVFIUmx"


def test_a_cursor_never_holds_the_token() -> None:
    cursor = next_cursor({"paging": {"next": NEXT}})
    assert cursor is not None
    assert "SECRET" not in cursor
    assert "appsecret_proof" not in cursor


def test_time_paging_keeps_until_and_the_paging_token() -> None:
    url = "https://graph.facebook.com/v25.0/1/tagged?access_token=T&until=1700000000&__paging_token=enc"
    assert cursor_params(next_cursor({"paging": {"next": url}})) == {
        "until": "1700000000",
        "__paging_token": "enc",
    }


def test_without_next_the_page_is_the_last_even_with_cursors() -> None:
    assert next_cursor({"data": [], "paging": {"cursors": {"before": "B", "after": "A"}}}) is None


def test_a_next_url_without_paging_parameters_falls_back_to_the_after_cursor() -> None:
    payload = {"paging": {"cursors": {"after": "A1"}, "next": "https://graph.threads.net/x"}}
    assert next_cursor(payload) == "after=A1"


def test_cursor_params_ignore_anything_but_paging_parameters() -> None:
    assert cursor_params("after=A&access_token=stolen&fields=x") == {"after": "A"}


def mention(mention_id: str) -> Mention:
    return Mention(platform="facebook", id=mention_id, kind="mention")


def test_until_seen_stops_at_the_known_mention() -> None:
    page: ResultPage[Mention] = ResultPage(
        items=[mention("3"), mention("2"), mention("1")], next_cursor="after=X"
    )
    seen = until_seen(page, "2")
    assert [m.id for m in seen.items] == ["3"]
    assert seen.next_cursor is None


def test_until_seen_keeps_a_page_without_the_known_mention() -> None:
    page: ResultPage[Mention] = ResultPage(items=[mention("3")], next_cursor="after=X")
    assert until_seen(page, "1") == page


@given(
    st.dictionaries(
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12),
        st.text(max_size=20),
        max_size=6,
    ),
    st.text(min_size=1, max_size=30),
)
def test_no_cursor_ever_carries_the_token(params: dict[str, str], token: str) -> None:
    query = urlencode({**params, "access_token": token, "appsecret_proof": token, "after": "A"})
    cursor = next_cursor({"paging": {"next": f"https://graph.facebook.com/v25.0/1/x?{query}"}})
    assert cursor is not None
    assert not {"access_token", "appsecret_proof"} & set(parse_qs(cursor))
