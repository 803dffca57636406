"""The sandbox's slow-drip and cycling-cursor faults, in process and on a loopback port."""

from __future__ import annotations

import time

import anyio
import httpx
import pytest

import socialkit as sk
from socialkit.errors import PublishUncertain, TransportError
from socialkit.providers.mastodon import Mastodon
from socialkit.testing import Sandbox

FAST = sk.RetryPolicy(attempts=1, backoff=0.0, max_backoff=0.0)
SHORT = sk.Limits(deadline=0.3)


def test_a_dripping_answer_sends_its_headers_then_a_byte_at_a_time() -> None:
    sandbox = Sandbox()
    path = f"/api/v1/statuses/{sandbox.statuses(account='brand')[0]['id']}"
    sandbox.drip_next(interval=0.01, path=path)
    with httpx.Client(transport=sandbox.transport(), base_url=sandbox.base_url,
                      headers={"Authorization": "Bearer brand"}) as http:
        started = time.monotonic()
        with http.stream("GET", path) as response:
            assert response.status_code == 200
            chunks = [chunk for _, chunk in zip(range(5), response.iter_raw(), strict=False)]
        assert chunks == [b"{", b'"', b"i", b"d", b'"']
        assert time.monotonic() - started >= 0.035
        assert http.get(path).json()["id"]  # only the next request dripped


def test_the_call_deadline_ends_a_dripping_read_and_the_next_call_works() -> None:
    sandbox = Sandbox()
    post_id = sandbox.statuses(account="brand")[0]["id"]
    sandbox.drip_next(interval=0.05, path="/api/v1/statuses/*")
    with sandbox.client(retry=FAST, limits=SHORT) as client:
        started = time.monotonic()
        with pytest.raises(TransportError, match="deadline"):
            client.get_post(post_id)
        assert time.monotonic() - started < 1.0
        assert client.get_post(post_id).id == post_id


def test_a_dripping_publish_over_a_loopback_port_is_uncertain_not_lost() -> None:
    class NoKey(Mastodon):
        honours_idempotency_key = False

    sandbox = Sandbox(seed=False)
    sandbox.drip_next(interval=0.05, path="/api/v1/statuses")
    with sandbox.serve() as url:
        platform = NoKey(instance=url, access_token="brand")
        with sk.Client(platform, retry=FAST, limits=SHORT) as client:
            started = time.monotonic()
            with pytest.raises(PublishUncertain):
                client.publish("slowly answered")
            assert time.monotonic() - started < 1.0
            assert client.get_post(client.posts().first(1)[0].id).text == "slowly answered"
    assert len(sandbox.statuses(account="brand")) == 1  # processed once, answered slowly


def test_async_reads_drip_too() -> None:
    sandbox = Sandbox()
    post_id = sandbox.statuses(account="brand")[0]["id"]
    sandbox.drip_next(interval=0.05, path="/api/v1/statuses/*")

    async def main() -> None:
        async with sandbox.async_client(retry=FAST, limits=SHORT) as client:
            with pytest.raises(TransportError, match="deadline"):
                await client.get_post(post_id)

    anyio.run(main)


def test_a_cycling_listing_links_two_empty_pages_to_each_other() -> None:
    sandbox = Sandbox()
    sandbox.cycle_next(path="/api/v1/accounts/*/statuses")
    account = sandbox.statuses(account="brand")[0]["account"]["id"]
    with httpx.Client(transport=sandbox.transport(), base_url=sandbox.base_url,
                      headers={"Authorization": "Bearer brand"}) as http:
        first = http.get(f"/api/v1/accounts/{account}/statuses", params={"limit": 2})
        assert len(first.json()) == 2
        cursors = []
        url = first.links["next"]["url"]
        for _ in range(4):
            page = http.get(url)
            assert page.json() == []
            cursors.append(httpx.URL(url).params["max_id"])
            url = page.links["next"]["url"]
    assert cursors[0] == cursors[2] != cursors[1] == cursors[3]


def test_a_client_stops_at_the_cycle_with_the_real_page() -> None:
    sandbox = Sandbox()
    sandbox.cycle_next(path="/api/v1/accounts/*/statuses")
    with sandbox.client(retry=FAST) as client:
        posts = list(client.posts(limit=500))
    listed = [r for r in sandbox.requests if r.path.endswith("/statuses") and r.method == "GET"]
    assert len(posts) == len(sandbox.statuses(account="brand"))  # the real page
    assert len(listed) == 3  # the page, then each cycling cursor once
