"""Helpers of the Meta tests (Facebook, Instagram, Threads): fixtures on disk, the reference
specs, request readers, Graph error responses, fixtures, a sync/async driver and a tiny
in-memory Graph API host for the contract tests.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qsl

import httpx
import pytest
import respx

from socialkit.http import RetryPolicy
from socialkit.platform import Platform
from socialkit.testing.driver import Driver as SharedDriver

P = TypeVar("P", bound=Platform)

FAST = RetryPolicy(backoff=0.0, max_backoff=0.0)
SSL = httpx.create_ssl_context()  # made once: building one per client costs ~0.1 s
TOKEN = "tok-secret-0123456789"
APP_SECRET = "app-secret-0123456789"
# <repo>/../shared/specs: present in the monorepo checkout, absent in a fresh clone.
SPECS = Path(__file__).resolve().parents[3].parent / "shared" / "specs"


def maker(cls: type[P], **defaults: str) -> Callable[..., P]:
    """A factory of ``cls`` with the test token and account, settings overridable."""

    def make(**settings: Any) -> P:
        return cls(**{"access_token": TOKEN, **defaults, **settings})

    return make


def load(folder: Path, name: str) -> Any:
    """A JSON fixture of a provider's test folder."""
    return json.loads((folder / "fixtures" / f"{name}.json").read_text(encoding="utf-8"))


def node_spec(node: str) -> Any:
    """A Graph API node spec (facebook-business-sdk-codegen); skips when the specs are absent."""
    path = SPECS / "meta-graph" / "specs" / f"{node}.json"
    if not path.exists():
        pytest.skip("the Meta Graph API specs are not available (../shared/specs)")
    return json.loads(path.read_text(encoding="utf-8"))


def readable(node: str) -> set[str]:
    """What a ``fields=`` selection may name on a node: its fields and its GET edges."""
    spec = node_spec(node)
    edges = {
        api["endpoint"] for api in spec["apis"] if api["method"] == "GET" and api.get("endpoint")
    }
    return {field["name"] for field in spec["fields"]} | edges


def params_of(node: str, method: str, endpoint: str | None) -> set[str]:
    """The parameters a node's ``method`` on ``endpoint`` (``None``: the node itself) takes."""
    spec = node_spec(node)
    for api in spec["apis"]:
        if api["method"] == method and api.get("endpoint") == endpoint:
            return {param["name"] for param in api.get("params", [])}
    raise AssertionError(f"{node} has no {method} {endpoint}")


def enum_values(name: str) -> set[str]:
    """The values of an enum of the node specs (e.g. a metric list)."""
    for enum in node_spec("enum_types"):
        if enum["name"] == name:
            return set(enum["values"])
    raise AssertionError(f"no enum {name}")


def postman_requests() -> list[dict[str, Any]]:
    """Every request of the official Threads Postman collection; skips when it is absent."""
    path = SPECS / "threads" / "threads-api.postman_collection.json"
    if not path.exists():
        pytest.skip("the Threads Postman collection is not available (../shared/specs)")
    collection = json.loads(path.read_text(encoding="utf-8"))

    def walk(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for item in items:
            if "item" in item:
                yield from walk(item["item"])
            else:
                yield item

    return list(walk(collection["item"]))


def postman_variable(name: str) -> str:
    """A collection variable (``fields_threads``, ``metrics_post``, ...)."""
    path = SPECS / "threads" / "threads-api.postman_collection.json"
    if not path.exists():
        pytest.skip("the Threads Postman collection is not available (../shared/specs)")
    collection = json.loads(path.read_text(encoding="utf-8"))
    return str(next(v["value"] for v in collection["variable"] if v["key"] == name))


def sent(route: respx.Route, index: int = -1) -> httpx.Request:
    """A request a route received, checked to carry the token in its header, not its query."""
    request: httpx.Request = route.calls[index].request
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert "access_token" not in request.url.params
    return request


def query(request: httpx.Request) -> dict[str, str]:
    """A request's query parameters."""
    return dict(request.url.params)


def form(request: httpx.Request) -> dict[str, str]:
    """A request's urlencoded form body."""
    return dict(parse_qsl(request.content.decode(), keep_blank_values=True))


def graph_error(
    code: int,
    message: str = "An error occurred",
    *,
    subcode: int | None = None,
    status: int = 400,
    kind: str = "OAuthException",
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """A Graph API error response, shaped like the "Handling Errors" reference."""
    error: dict[str, Any] = {
        "message": message,
        "type": kind,
        "code": code,
        "fbtrace_id": "AbCtrace1",
    }
    if subcode is not None:
        error["error_subcode"] = subcode
    return httpx.Response(status, json={"error": error}, headers=headers)


def usage(
    call_count: int = 0, *, regain_minutes: int = 0, header: str = "x-business-use-case-usage"
) -> dict[str, str]:
    """Usage headers: BUC form (with the regain estimate) or the app/page form."""
    figures = {"call_count": call_count, "total_cputime": 1, "total_time": 1}
    if header == "x-business-use-case-usage":
        entry = {**figures, "type": "pages", "estimated_time_to_regain_access": regain_minutes}
        return {header: json.dumps({"1234567890": [entry]})}
    return {header: json.dumps(figures)}


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    """Which driver a test runs through; every driver test runs with both."""
    return str(request.param)


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    """Every request must match a route, and every route must be called."""
    with respx.mock(assert_all_called=True) as router:
        yield router


@pytest.fixture
def driver(kind: str, platform: Platform) -> Driver:
    """The provider folder's ``platform`` behind the sync or the async client."""
    return Driver(kind, platform)


Driver = SharedDriver


class GraphFake:
    """A tiny in-memory Graph API host: respx routes whose side effects read and write dicts.

    Subclasses add their routes to ``router``; clients reach it through `transport`.
    """

    page_size = 2  # small, so that listings page

    def __init__(self, base: str) -> None:
        self.router = respx.MockRouter(base_url=base, assert_all_called=False)
        self._ids = itertools.count(17900000000000001)

    def new_id(self) -> str:
        return str(next(self._ids))

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.router.handler)

    def listing(self, items: Sequence[Any], request: httpx.Request) -> httpx.Response:
        """A page of ``items`` after the request's ``after`` cursor, with Graph paging."""
        start = int(request.url.params.get("after", "0"))
        limit = min(int(request.url.params.get("limit", "25")), self.page_size)
        end = start + limit
        paging: dict[str, Any] = {"cursors": {"before": str(start), "after": str(end)}}
        if end < len(items):
            paging["next"] = str(request.url.copy_set_param("after", str(end)))
        return httpx.Response(200, json={"data": list(items[start:end]), "paging": paging})

    @staticmethod
    def missing(object_id: str) -> httpx.Response:
        return graph_error(
            100,
            f"Unsupported get request. Object with ID '{object_id}' does not exist",
            subcode=33,
        )

    @staticmethod
    def form(request: httpx.Request) -> dict[str, str]:
        return form(request)
