"""Collection through the real drivers (`Client`, `AsyncClient`) with an in-process transport."""

from __future__ import annotations

import httpx
import pytest

from socialkit import AsyncClient, Client
from socialkit.errors import NotFound, Unsupported
from socialkit.metrics import acollect, collect
from socialkit.models import Metric
from socialkit.platform import Capability, Flow, Platform, PlatformSettings


class Toy(Platform):
    """Post metrics over HTTP; no account metrics (so they are Unsupported)."""

    name = "toy"
    capabilities = frozenset({Capability.POST_METRICS})
    default_base_url = "https://toy.example"

    def post_metrics(self, post_id: str) -> Flow[list[Metric]]:
        response = yield self.call("GET", f"/posts/{post_id}")
        data = self.json(response)
        return [
            Metric(platform=self.name, subject="post", subject_id=post_id, name=k, value=v)
            for k, v in data.items()
        ]


def handler(request: httpx.Request) -> httpx.Response:
    post_id = request.url.path.rsplit("/", 1)[-1]
    if post_id == "gone":
        return httpx.Response(404, json={"error": "Record not found"})
    return httpx.Response(200, json={"likes": 7, "impressions": 100})


def test_collect_with_a_client() -> None:
    with Client(Toy(PlatformSettings()), transport=httpx.MockTransport(handler)) as client:
        run = collect(client, ["1", "gone"])
    assert run.table.summary()["engagement_rate"] == (0.07,)
    assert {type(f.error) for f in run.errors} == {NotFound, Unsupported}


@pytest.mark.anyio
async def test_acollect_with_an_async_client() -> None:
    transport = httpx.MockTransport(handler)
    async with AsyncClient(Toy(PlatformSettings()), transport=transport) as client:
        run = await acollect(client, ["1", "2", "gone"], accounts=False)
    assert run.posts == 2
    assert [f.subject_id for f in run.errors] == ["gone"]
