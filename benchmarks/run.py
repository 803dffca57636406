"""Side-by-side benchmarks on a loopback sandbox: socialkit against raw httpx and Mastodon.py.

    python benchmarks/run.py [--calls 300] [--markdown docs/performance.md]

Every figure is measured in this one run, on the same server, and reported as
a ratio to raw httpx (the floor: the same HTTP exchange with no SDK around it).
"""

from __future__ import annotations

import argparse
import gc
import re
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import anyio
import httpx

import socialkit as sk
from socialkit.models import Page, Post
from socialkit.platform import Flow, Platform, PlatformSettings

HEADERS = {"Authorization": "Bearer brand"}


def per_call(fn: Callable[[], Any], calls: int) -> float:
    """Median seconds per call over five rounds of ``calls`` calls."""
    for _ in range(min(20, calls)):
        fn()
    rounds = []
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(calls):
            fn()
        rounds.append((time.perf_counter() - started) / calls)
    return statistics.median(rounds)


def once(fn: Callable[[], Any], repeat: int = 5) -> float:
    """Median seconds of one call of ``fn``."""
    fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def mastodon_py(url: str) -> Any | None:
    try:
        from mastodon import Mastodon
    except ImportError:
        return None
    return Mastodon(access_token="brand", api_base_url=url, version_check_mode="none")


def bench_calls(url: str, status_id: str, calls: int) -> dict[str, float]:
    """One GET of a status, parsed: the per-call overhead of each library."""
    results: dict[str, float] = {}
    with httpx.Client(base_url=url, headers=HEADERS, trust_env=False) as raw:
        results["raw httpx"] = per_call(
            lambda: raw.get(f"/api/v1/statuses/{status_id}").json(), calls
        )
    with sk.connect("mastodon", instance=url, access_token="brand") as client:
        results["socialkit (sync)"] = per_call(lambda: client.get_post(status_id), calls)
    peer = mastodon_py(url)
    if peer is not None:
        results["Mastodon.py"] = per_call(lambda: peer.status(status_id), calls)
    return results


def bench_page(url: str, account_id: str, calls: int) -> dict[str, float]:
    """A page of 40 statuses fetched and parsed into objects."""
    path = f"/api/v1/accounts/{account_id}/statuses"
    results: dict[str, float] = {}
    with httpx.Client(base_url=url, headers=HEADERS, trust_env=False) as raw:
        results["raw httpx"] = per_call(lambda: raw.get(path, params={"limit": 40}).json(), calls)
    with sk.connect("mastodon", instance=url, access_token="brand") as client:
        client.me()
        results["socialkit (sync)"] = per_call(
            lambda: next(iter(client.posts(account_id).pages())), calls
        )
    peer = mastodon_py(url)
    if peer is not None:
        results["Mastodon.py"] = per_call(
            lambda: peer.account_statuses(account_id, limit=40), calls
        )
    return results


def bench_fanout(url: str, status_id: str, n: int = 200) -> dict[str, float]:
    """``n`` concurrent calls at 20 ms server latency: total seconds."""
    results: dict[str, float] = {}

    async def raw_fanout() -> None:
        limits = httpx.Limits(max_connections=n)
        async with httpx.AsyncClient(
            base_url=url, headers=HEADERS, trust_env=False, limits=limits
        ) as raw, anyio.create_task_group() as group:
            for _ in range(n):
                group.start_soon(raw.get, f"/api/v1/statuses/{status_id}")

    async def sk_fanout() -> None:
        http = httpx.AsyncClient(limits=httpx.Limits(max_connections=n), trust_env=False)
        platform = sk.connect("mastodon", instance=url, access_token="brand").platform
        async with (
            sk.AsyncClient(platform, http_client=http) as client,
            anyio.create_task_group() as group,
        ):
            for _ in range(n):
                group.start_soon(client.get_post, status_id)
        await http.aclose()

    results["raw httpx (async)"] = once(lambda: anyio.run(raw_fanout), repeat=3)
    results["socialkit (async)"] = once(lambda: anyio.run(sk_fanout), repeat=3)
    peer = mastodon_py(url)
    if peer is not None:  # Mastodon.py is synchronous: its calls queue one after another
        results["Mastodon.py (sequential)"] = once(
            lambda: [peer.status(status_id) for _ in range(n)], repeat=1
        )
    return results


class Synthetic(Platform):
    """A platform whose pages come from an in-process transport, for the memory benchmark."""

    name = "synthetic"
    default_base_url = "https://synthetic.example"

    def posts(
        self, account: str | None, cursor: str | None, limit: int | None = None
    ) -> Flow[Page[Post]]:
        response = yield self.call("GET", "/posts", params={"page": cursor or "0"})
        data = self.json(response)
        items = [
            Post(platform=self.name, id=item["id"], text=item["text"]) for item in data["items"]
        ]
        return Page(items=items, next_cursor=data["next"])


def synthetic_transport(total: int, per_page: int) -> httpx.MockTransport:
    pages = total // per_page

    def answer(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        items = [
            {"id": str(page * per_page + i), "text": f"post number {page * per_page + i} " * 4}
            for i in range(per_page)
        ]
        nxt = str(page + 1) if page + 1 < pages else None
        return httpx.Response(200, json={"items": items, "next": nxt})

    return httpx.MockTransport(answer)


def bench_memory(total: int = 100_000, per_page: int = 100) -> dict[str, float]:
    """Peak traced memory (MiB) walking ``total`` items lazily vs. materialising them."""
    platform = Synthetic(PlatformSettings(access_token="x"))
    results: dict[str, float] = {}
    with sk.Client(platform, transport=synthetic_transport(total, per_page)) as client:
        with traced() as peak:
            count = sum(1 for _ in client.posts())
        assert count == total
        results[f"Paginator over {total:,} items"] = peak()
        with traced() as peak:
            everything = list(client.posts())
        assert len(everything) == total
        results[f"list() of {total:,} items"] = peak()
        del everything
    return results


@contextmanager
def served(latency_ms: float, *, fixed: bool = False) -> Iterator[str]:
    """A server in its own process (so it does not share our GIL); yields its URL.

    The sandbox by default; with ``fixed`` a canned-answer server that costs
    microseconds per request, so a fan-out measures the clients, not the server.
    """
    program = (
        [str(Path(__file__).with_name("fixed_server.py"))]
        if fixed
        else ["-m", "socialkit.testing.sandbox"]
    )
    command = [sys.executable, *program, "--latency-ms", str(latency_ms)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        found = re.search(r"http://[\d.]+:\d+", server.stdout.readline())
        if found is None:
            raise RuntimeError("the sandbox did not start")
        yield found.group(0)
    finally:
        server.terminate()
        server.wait(timeout=10)


@contextmanager
def traced() -> Iterator[Callable[[], float]]:
    gc.collect()
    tracemalloc.start()
    peak = [0.0]
    try:
        yield lambda: peak[0]
    finally:
        peak[0] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()


def seed_statuses(url: str, n: int) -> tuple[str, str]:
    with httpx.Client(base_url=url, headers=HEADERS, trust_env=False) as raw:
        for i in range(n):
            raw.post("/api/v1/statuses", json={"status": f"Benchmark status {i} #bench"})
        me = raw.get("/api/v1/accounts/verify_credentials").json()
        latest = raw.get(f"/api/v1/accounts/{me['id']}/statuses", params={"limit": 1}).json()
    return latest[0]["id"], me["id"]


def table(title: str, results: dict[str, float], unit: str, baseline: str | None) -> str:
    base = results.get(baseline) if baseline else None
    lines = [f"### {title}", "", f"| library | {unit} | ratio |", "| --- | ---: | ---: |"]
    for name, value in results.items():
        scaled = value * 1e6 if unit == "µs/call" else value
        ratio = f"{value / base:.2f}×" if base else "—"
        lines.append(f"| {name} | {scaled:,.1f} | {ratio} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--markdown", help="write the tables to this file as well")
    args = parser.parse_args(argv)

    sections = []
    with served(latency_ms=0) as url:
        status_id, account_id = seed_statuses(url, 45)
        sections.append(
            table(
                "Per-call overhead: GET one status, parsed",
                bench_calls(url, status_id, args.calls),
                "µs/call",
                "raw httpx",
            )
        )
        sections.append(
            table(
                "A page of 40 statuses, fetched and parsed",
                bench_page(url, account_id, args.calls // 3),
                "µs/call",
                "raw httpx",
            )
        )
    with served(latency_ms=20, fixed=True) as url:
        status_id = "1"
        sections.append(
            table(
                "Async fan-out: 200 calls at 20 ms server latency",
                bench_fanout(url, status_id),
                "seconds",
                "raw httpx (async)",
            )
        )
    sections.append(
        table("Paginating 100,000 items: peak traced memory", bench_memory(), "MiB", None)
    )
    report = "\n".join(sections)
    print(report)
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as out:
            out.write(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
