"""Side-by-side benchmarks on loopback servers: socialkit against raw httpx, raw aiohttp,
Mastodon.py and tweepy.

    python benchmarks/run.py [--calls 300] [--fanout 1000] [--rounds 5] [--repeat 3]
                             [--install-size] [--markdown FILE]

Every figure is measured in this one run and reported as a ratio to the floor
for the job: raw httpx for sync calls, raw aiohttp for async fan-out, tweepy
for import time and install size. ``--install-size`` measures only install sizes,
in fresh venvs (slow).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
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

import httpx

import socialkit as sk
from socialkit.models import Post, ResultPage
from socialkit.platform import Flow, Platform, PlatformSettings

HEADERS = {"Authorization": "Bearer brand"}


def per_call(fn: Callable[[], Any], calls: int) -> tuple[float, float]:
    """Median (wall, client CPU) seconds per call over five rounds of ``calls`` calls.

    On a shared machine the wall clock also measures the neighbours; the CPU time
    of this process (the server runs in its own) is the client's own cost.
    """
    for _ in range(min(20, calls)):
        fn()
    walls, cpus = [], []
    for _ in range(5):
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(calls):
            fn()
        walls.append((time.perf_counter() - wall) / calls)
        cpus.append((time.process_time() - cpu) / calls)
    return statistics.median(walls), statistics.median(cpus)


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


def bench_calls(url: str, status_id: str, calls: int) -> dict[str, tuple[float, float]]:
    """One GET of a status, parsed: the per-call overhead of each library."""
    results: dict[str, tuple[float, float]] = {}
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


def bench_page(url: str, account_id: str, calls: int) -> dict[str, tuple[float, float]]:
    """A page of 40 statuses fetched and parsed into objects."""
    path = f"/api/v1/accounts/{account_id}/statuses"
    results: dict[str, tuple[float, float]] = {}
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


def bench_fanout(
    url: str, status_id: str, calls: int, rounds: int
) -> tuple[dict[str, tuple[float, float]], list[float]]:
    """``calls`` concurrent GETs + parse at 20 ms server latency: (wall, client CPU) seconds.

    The variants take turns, ``rounds`` rounds of one run each, so a change in the
    machine's load falls on all of them alike; each figure is the median of its rounds
    (raw httpx on its default transport, tens of seconds a run, runs once, after the
    rounds). Also returns socialkit's wall ratio to raw aiohttp in each round.
    """
    import aiohttp
    from httpx_aiohttp import HttpxAiohttpClient

    path = f"/api/v1/statuses/{status_id}"

    async def raw_aiohttp(n: int) -> None:
        async with aiohttp.ClientSession(headers=HEADERS) as session:

            async def one() -> Any:
                async with session.get(url + path) as response:
                    return await response.json()

            await asyncio.gather(*(one() for _ in range(n)))

    async def raw_httpx(client: httpx.AsyncClient, n: int) -> None:
        async with client:
            await asyncio.gather(*(_json(client.get(path)) for _ in range(n)))

    async def socialkit(http: str, n: int) -> None:
        async with sk.aconnect("mastodon", instance=url, access_token="brand", http=http) as c:
            await asyncio.gather(*(c.get_post(status_id) for _ in range(n)))

    def httpx_default() -> httpx.AsyncClient:  # no pool timeout: it queues for seconds
        return httpx.AsyncClient(base_url=url, headers=HEADERS, trust_env=False, timeout=None)

    def httpx_on_aiohttp() -> httpx.AsyncClient:
        return HttpxAiohttpClient(base_url=url, headers=HEADERS, trust_env=False)

    ours = "socialkit AsyncClient, http='aiohttp'"
    variants: dict[str, Callable[[int], Any]] = {
        "raw aiohttp": raw_aiohttp,
        ours: lambda k: socialkit("aiohttp", k),
        "raw httpx on httpx-aiohttp": lambda k: raw_httpx(httpx_on_aiohttp(), k),
        "socialkit AsyncClient, http='httpx'": lambda k: socialkit("httpx", k),
    }
    slow = {"raw httpx (default transport)": lambda k: raw_httpx(httpx_default(), k)}

    def run(make: Callable[[int], Any]) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        asyncio.run(make(calls))
        return time.perf_counter() - wall, time.process_time() - cpu

    for make in [*variants.values(), *slow.values()]:
        asyncio.run(make(20))  # warm up: imports, first connections
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in [*variants, *slow]}
    for number in range(1, rounds + 1):
        for name, make in variants.items():
            runs[name].append(run(make))
        base, mine = runs["raw aiohttp"][-1], runs[ours][-1]
        print(
            f"  round {number}: raw aiohttp {base[0]:.2f} s, socialkit {mine[0]:.2f} s "
            f"({mine[0] / base[0]:.2f}x wall, {mine[1] / base[1]:.2f}x CPU)",
            flush=True,
        )
    for name, make in slow.items():
        runs[name].append(run(make))
    results = {
        name: (statistics.median(w for w, _ in got), statistics.median(c for _, c in got))
        for name, got in runs.items()
    }
    pairs = zip(runs["raw aiohttp"], runs[ours], strict=True)
    per_round = [mine[0] / base[0] for base, mine in pairs]
    return results, per_round


async def _json(response: Any) -> Any:
    return (await response).json()


IMPORTS = {
    "socialkit (import only)": "import socialkit",
    "socialkit (import + the core: socialkit.Client)": "import socialkit; socialkit.Client",
    "socialkit (import + connect('mastodon', ...))": (
        "import socialkit as sk; "
        "sk.connect('mastodon', instance='https://mastodon.example', access_token='t')"
    ),
    "tweepy": "import tweepy",
    "Mastodon.py": "import mastodon",
    "httpx + pydantic (the floor of the core)": "import httpx, pydantic",
}


def bench_imports(repeat: int) -> dict[str, float]:
    """Seconds to import, from ``python -X importtime`` in fresh interpreters: the sum of the
    top-level imports' cumulative times, median of ``repeat`` runs.

    Each snippet first runs once with bytecode writing on, so every module loads from its
    ``.pyc`` as after ``pip install`` (which compiles them): an editable install under
    ``PYTHONDONTWRITEBYTECODE`` would otherwise compile socialkit from source every run.
    """
    results: dict[str, float] = {}
    for name, code in IMPORTS.items():
        if not _compiled(code):
            continue  # not installed
        runs = []
        for _ in range(repeat):
            done = subprocess.run(
                [sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True
            )
            runs.append(_top_level_us(done.stderr) / 1e6)
        results[name] = statistics.median(runs)
    return results


def _compiled(code: str) -> bool:
    """Run ``code`` once with bytecode writing on; whether it ran (its imports exist)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True)
    return done.returncode == 0


FIRST_ANSWER = {
    "socialkit (import, connect, get_post)": (
        "import socialkit as sk; "
        "sk.connect('mastodon', instance=URL, access_token='brand').get_post(ID)"
    ),
    "Mastodon.py (import, Mastodon(), status)": (
        "import mastodon; mastodon.Mastodon(api_base_url=URL, access_token='brand', "
        "version_check_mode='none').status(ID)"
    ),
}


def bench_first_answer(url: str, status_id: str, repeat: int) -> dict[str, float]:
    """Seconds from a fresh interpreter's first import to the first parsed status from the
    loopback server, median of ``repeat`` runs taking turns (tweepy cannot be pointed at
    a loopback server, so it is not in this table)."""
    runs: dict[str, list[float]] = {}
    timed = "import time; _t = time.perf_counter(); {}; print(time.perf_counter() - _t)"
    setup = f"URL, ID = {url!r}, {status_id!r}; "
    codes = {name: setup + timed.format(code) for name, code in FIRST_ANSWER.items()}
    codes = {name: code for name, code in codes.items() if _compiled(code)}
    for _ in range(repeat):
        for name, code in codes.items():
            done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
            runs.setdefault(name, []).append(float(done.stdout.split()[-1]))
    return {name: statistics.median(got) for name, got in runs.items()}


def _top_level_us(importtime: str) -> int:
    total = 0
    for line in importtime.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit() and not parts[2][1:].startswith(" "):
            total += int(parts[1])
    return total


def bench_install_size(packages: dict[str, str]) -> dict[str, float]:
    """MiB a fresh venv's site-packages grows by when ``pip install``-ing each package (with its
    dependencies, from pip's configured indexes and cache)."""
    import tempfile

    results: dict[str, float] = {}
    for name, spec in packages.items():
        with tempfile.TemporaryDirectory() as folder:
            venv = Path(folder) / "venv"
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            site = next(venv.glob("lib/python*/site-packages"))
            before = _size(site)
            pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", spec]
            subprocess.run(pip, check=True, capture_output=True)
            results[name] = (_size(site) - before) / 2**20
            print(f"  {name}: {results[name]:.1f} MiB", flush=True)
    return results


def _size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())


class Synthetic(Platform):
    """A platform whose pages come from an in-process transport, for the memory benchmark."""

    name = "synthetic"
    default_base_url = "https://synthetic.example"

    def posts(
        self, account: str | None, cursor: str | None, limit: int | None = None
    ) -> Flow[ResultPage[Post]]:
        response = yield self.call("GET", "/posts", params={"page": cursor or "0"})
        data = self.json(response)
        items = [
            Post(platform=self.name, id=item["id"], text=item["text"]) for item in data["items"]
        ]
        return ResultPage(items=items, next_cursor=data["next"])


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


def timed_table(
    title: str, results: dict[str, tuple[float, float]], baseline: str, per_call: bool = False
) -> str:
    """Wall and client-CPU figures with their ratios to ``baseline``."""
    wall0, cpu0 = results[baseline]
    unit, scale, digits = ("µs/call", 1e6, 0) if per_call else ("s", 1.0, 2)
    lines = [
        f"### {title}",
        "",
        f"| client | wall {unit} | ratio | client CPU {unit} | ratio |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, (wall, cpu) in results.items():
        lines.append(
            f"| {name} | {wall * scale:,.{digits}f} | {wall / wall0:.2f}× "
            f"| {cpu * scale:,.{digits}f} | {cpu / cpu0:.2f}× |"
        )
    return "\n".join(lines) + "\n"


def table(title: str, results: dict[str, float], unit: str, baseline: str | None) -> str:
    base = results.get(baseline) if baseline else None
    lines = [f"### {title}", "", f"| library | {unit} | ratio |", "| --- | ---: | ---: |"]
    for name, value in results.items():
        shown = {"µs/call": f"{value * 1e6:,.1f}", "seconds": f"{value:.3f}"}.get(
            unit, f"{value:,.1f}"
        )
        ratio = f"{value / base:.2f}×" if base else "—"
        lines.append(f"| {name} | {shown} | {ratio} |")
    return "\n".join(lines) + "\n"


def _load(averages: tuple[float, float, float]) -> str:
    return ", ".join(f"{value:.2f}" for value in averages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--fanout", type=int, default=1000, help="concurrent calls")
    parser.add_argument("--repeat", type=int, default=3, help="import-time runs (median of +2)")
    parser.add_argument(
        "--rounds", type=int, default=5, help="interleaved fan-out rounds (median)"
    )
    parser.add_argument(
        "--install-size", action="store_true", help="measure install sizes instead (slow)"
    )
    parser.add_argument("--markdown", help="write the tables to this file as well")
    args = parser.parse_args(argv)
    if args.install_size:  # its own run: it builds four venvs and installs into them
        here = str(Path(__file__).resolve().parent.parent)
        sizes = {
            "socialkit (core)": here,
            "socialkit[privacy]": f"{here}[privacy]",
            "tweepy": "tweepy",
            "Mastodon.py": "Mastodon.py",
        }
        print(table("Install size (fresh venv)", bench_install_size(sizes), "MiB", "tweepy"))
        return 0

    sections = []
    load_at_start = os.getloadavg()
    with served(latency_ms=0) as url:
        status_id, account_id = seed_statuses(url, 45)
        sections.append(
            timed_table(
                "Per-call overhead: GET one status, parsed",
                bench_calls(url, status_id, args.calls),
                "raw httpx",
                per_call=True,
            )
        )
        first = bench_first_answer(url, status_id, args.repeat + 2)
        sections.append(
            timed_table(
                "A page of 40 statuses, fetched and parsed",
                bench_page(url, account_id, args.calls // 3),
                "raw httpx",
                per_call=True,
            )
        )
    with served(latency_ms=20, fixed=True) as url:
        fanout, per_round = bench_fanout(url, "1", args.fanout, args.rounds)
        sections.append(
            timed_table(
                f"Async fan-out: {args.fanout:,} calls at 20 ms, median of {args.rounds} "
                "interleaved rounds",
                fanout,
                "raw aiohttp",
            )
            + "\nsocialkit (aiohttp) / raw aiohttp, wall, per round: "
            + ", ".join(f"{ratio:.2f}×" for ratio in per_round)
            + "\n"
        )
    sections.append(
        table("Paginating 100,000 items: peak traced memory", bench_memory(), "MiB", None)
    )
    sections.append(
        table(
            "Import time (python -X importtime)",
            bench_imports(args.repeat + 2),
            "seconds",
            "tweepy",
        )
    )
    sections.append(
        table(
            "First answer: a fresh interpreter's import to its first parsed status (loopback)",
            first,
            "seconds",
            "Mastodon.py (import, Mastodon(), status)",
        )
    )

    sections.append(
        f"Load average (1, 5, 15 min): {_load(load_at_start)} at the start, "
        f"{_load(os.getloadavg())} at the end, on {os.cpu_count()} cores.\n"
    )
    report = "\n".join(sections)
    print(report)
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as out:
            out.write(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
