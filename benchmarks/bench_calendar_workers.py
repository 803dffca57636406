"""Deliveries per second with 1, 2 and 4 dispatcher processes on PostgreSQL.

The sandbox is served on a loopback port with 50 ms latency per request (a platform's
API is that slow or slower); N deliveries over ten accounts are due at once, and the
workers (separate processes, each one ``Calendar.run_due`` loop on the same schema)
publish them. The clock runs from the workers' start to the last delivery recorded.

    pip install -e ".[postgres]"            # and Debian's postgresql package
    python benchmarks/bench_calendar_workers.py [--deliveries 200] [--workers 1 2 4]
    python benchmarks/bench_calendar_workers.py --conninfo "host=... dbname=..."

Without ``--conninfo`` it starts a throwaway cluster with ``initdb`` (as the tests do).
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from socialkit.calendar import Calendar, Policy
from socialkit.calendar.postgres import PostgresStore
from socialkit.client import Client
from socialkit.providers.mastodon import Mastodon
from socialkit.testing import Sandbox

ACCOUNTS = [f"acct{n}" for n in range(10)]


def worker(conninfo: str, schema: str, url: str, owner: str, start: Any) -> None:
    """One dispatcher process: run rounds until nothing is left to publish."""
    http = httpx.Client(verify=False, timeout=10)
    clients = {
        t: Client(Mastodon(instance=url, access_token=t), http_client=http) for t in ACCOUNTS
    }
    policy = Policy(lease=timedelta(seconds=30))
    with Calendar(PostgresStore(conninfo, schema=schema), policy=policy, owner=owner) as cal:
        start.wait()
        while cal.run_due(clients).outcomes:
            pass


def run(conninfo: str, url: str, deliveries: int, workers: int) -> float:
    """Seconds for ``workers`` processes to publish ``deliveries`` due posts."""
    schema = f"bench_{workers}_{int(time.time() * 1000)}"
    due = datetime.now(UTC) - timedelta(minutes=1)
    with Calendar(PostgresStore(conninfo, schema=schema)) as cal:
        for n in range(deliveries):
            cal.add(f"bench post {n}", [ACCOUNTS[n % len(ACCOUNTS)]], at=due)
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    procs = [
        context.Process(target=worker, args=(conninfo, schema, url, f"w{i}", start))
        for i in range(workers)
    ]
    for p in procs:
        p.start()
    time.sleep(3)  # let every process import and connect before the clock starts
    began = time.perf_counter()
    start.set()
    for p in procs:
        p.join()
    took = time.perf_counter() - began
    with Calendar(PostgresStore(conninfo, schema=schema)) as cal:
        left = sum(1 for e in cal.entries() if e.state.value != "published")
    if left:
        raise SystemExit(f"{left} deliveries were not published")
    return took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=int, default=200)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--conninfo", help="a PostgreSQL to use (default: start one)")
    args = parser.parse_args()
    server = None
    conninfo = args.conninfo
    if conninfo is None:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "integration"))
        from servers import postgres  # the tests' throwaway cluster

        binaries = postgres.bindir()
        if binaries is None:
            raise SystemExit("no PostgreSQL binaries: apt-get install postgresql, or --conninfo")
        server = postgres.PostgresServer(binaries, Path(tempfile.mkdtemp(prefix="sk-bench-pg-")))
        server.start()
        conninfo = server.conninfo
    try:
        sandbox = Sandbox(latency=args.latency_ms / 1000, seed=False)
        with sandbox.serve() as url:
            print(f"{args.deliveries} deliveries, sandbox latency {args.latency_ms:g} ms")
            print("| workers | seconds | deliveries/s | speed-up |")
            print("| ---: | ---: | ---: | ---: |")
            base = None
            for n in args.workers:
                took = run(conninfo, url, args.deliveries, n)
                rate = args.deliveries / took
                base = base or rate
                print(f"| {n} | {took:.1f} | {rate:.1f} | {rate / base:.2f}× |", flush=True)
    finally:
        if server is not None:
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
