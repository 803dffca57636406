"""Pagination on servers without ``Link`` headers (snac), through both drivers."""

from __future__ import annotations

from typing import Any

import httpx
import respx

from .mastodon_support import Driver, load

NOTIFICATIONS = "/api/v1/notifications"


def _notifications(first_id: int, count: int, kind: str = "mention") -> list[dict[str, Any]]:
    template = load("notifications")[0]
    return [
        {**template, "id": str(first_id - i), "type": kind, "status": {**template["status"]}}
        for i in range(count)
    ]


def _by_max_id(pages: dict[str | None, list[dict[str, Any]]]) -> Any:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=pages[request.url.params.get("max_id")])

    return answer


def test_a_full_page_without_link_continues_with_max_id(
    driver: Driver, api: respx.MockRouter
) -> None:
    api.get("/api/v1/accounts/verify_credentials").respond(200, json=load("account"))
    route = api.get(NOTIFICATIONS).mock(
        side_effect=_by_max_id(
            {None: _notifications(1000, 80), "921": _notifications(920, 5)}
        )
    )
    mentions = driver.items("mentions")
    assert len(mentions) == 85
    assert [c.request.url.params.get("max_id") for c in route.calls] == [None, "921"]
    assert [c.request.url.params["limit"] for c in route.calls] == ["80", "80"]


def test_a_page_of_other_notifications_does_not_end_the_mentions(
    driver: Driver, api: respx.MockRouter
) -> None:
    # The server ignored types[]: the first page holds favourites only.
    api.get("/api/v1/accounts/verify_credentials").respond(200, json=load("account"))
    api.get(NOTIFICATIONS).mock(
        side_effect=_by_max_id(
            {
                None: _notifications(1000, 80, kind="favourite"),
                "921": _notifications(920, 3),
            }
        )
    )
    assert [m.id for m in driver.items("mentions")] == ["920", "919", "918"]


def test_the_limit_hint_asks_for_a_smaller_page(driver: Driver, api: respx.MockRouter) -> None:
    api.get("/api/v1/accounts/verify_credentials").respond(200, json=load("account"))
    route = api.get(NOTIFICATIONS).respond(200, json=_notifications(1000, 2))
    assert len(driver.items("mentions", limit=5)) == 2
    assert route.calls[0].request.url.params["limit"] == "5"


def test_a_short_page_without_link_is_the_last(driver: Driver, api: respx.MockRouter) -> None:
    api.get("/api/v1/accounts/verify_credentials").respond(200, json=load("account"))
    route = api.get(NOTIFICATIONS).respond(200, json=_notifications(1000, 79))
    assert len(driver.items("mentions")) == 79
    assert route.call_count == 1


def test_a_server_that_ignores_max_id_ends_the_listing_without_repeats(
    driver: Driver, api: respx.MockRouter
) -> None:
    status = load("status_created")
    path = "/api/v1/accounts/109302/statuses"
    same = [{**status, "id": str(100 - i)} for i in range(40)]
    route = api.get(path).respond(200, json=same)
    posts = driver.items("posts", "109302")
    assert [p.id for p in posts] == [s["id"] for s in same]
    assert route.calls[1].request.url.params["max_id"] == "61"
    assert route.call_count == 2
