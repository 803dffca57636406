"""Throughput of the sandbox server on a loopback port: N concurrent requests.

    python benchmarks/bench_sandbox.py [--requests 2000] [--concurrency 50] [--repeat 3]

The sandbox runs in its own process (``python -m socialkit.testing.sandbox``), so the
client does not share its interpreter lock; the client is aiohttp (one pool of ``--concurrency``
connections; ``pip install -e ".[bench]"``). Two workloads: ``GET /api/v1/statuses/:id`` (a rendered
status) and ``POST /api/v2/media`` (a multipart upload of a small PNG). Prints requests
per second (wall clock) and the server's CPU time per request (read from ``/proc``: on a
shared machine the wall clock measures the neighbours too, the server's CPU does not), the
median of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time

import aiohttp

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) the server process has used (Linux)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_server() -> tuple[subprocess.Popen[str], str]:
    """Start the sandbox in a subprocess; its process and URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "socialkit.testing.sandbox", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    url = line.split("serving at ", 1)[1].split()[0]
    return proc, url


async def run(url: str, requests: int, concurrency: int, upload: bool) -> float:
    """Requests per second for ``requests`` calls, ``concurrency`` at a time (aiohttp: the
    cheapest async client, so the figure measures the server)."""
    connector = aiohttp.TCPConnector(limit=concurrency)
    headers = {"Authorization": "Bearer brand"}
    async with aiohttp.ClientSession(url, headers=headers, connector=connector) as http:
        async with http.get("/api/v1/accounts/1/statuses") as first:
            status_id = (await first.json())[0]["id"]
        queue = iter(range(requests))

        async def worker() -> None:
            for _ in queue:
                if upload:
                    form = aiohttp.FormData()
                    form.add_field("file", PNG, filename="a.png", content_type="image/png")
                    call = http.post("/api/v2/media", data=form)
                else:
                    call = http.get(f"/api/v1/statuses/{status_id}")
                async with call as resp:
                    await resp.read()
                    assert resp.status in (200, 202), resp.status

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return requests / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    proc, url = start_server()
    try:
        for name, upload in (("GET a status", False), ("POST a multipart upload", True)):
            rates, cpus = [], []
            for _ in range(args.repeat):
                before = server_cpu(proc.pid)
                rates.append(asyncio.run(run(url, args.requests, args.concurrency, upload)))
                cpus.append((server_cpu(proc.pid) - before) / (args.requests + 1))
            cpu = statistics.median(cpus)
            print(f"{name}: {statistics.median(rates):,.0f} req/s wall "
                  f"(runs: {', '.join(f'{r:,.0f}' for r in rates)}); "
                  f"server CPU {cpu * 1e3:.2f} ms/request = {1 / cpu:,.0f} req/s per core")
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
