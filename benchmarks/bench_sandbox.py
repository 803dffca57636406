"""Throughput of the sandbox server on a loopback port: N concurrent requests.

    python benchmarks/bench_sandbox.py [--requests 2000] [--concurrency 50] [--repeat 3]

The sandbox runs in its own process (``python -m socialkit.testing.sandbox``), so the
client does not share its interpreter lock; the client is raw httpx (async, one pool of
``--concurrency`` connections). Two workloads: ``GET /api/v1/statuses/:id`` (a rendered
status) and ``POST /api/v2/media`` (a multipart upload of a small PNG). Prints requests
per second, the median of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time

import httpx

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)


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
    """Requests per second for ``requests`` calls, ``concurrency`` at a time."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    headers = {"Authorization": "Bearer brand"}
    async with httpx.AsyncClient(
        base_url=url, headers=headers, limits=limits, trust_env=False, timeout=60
    ) as http:
        status_id = (await http.get("/api/v1/accounts/1/statuses")).json()[0]["id"]
        queue = iter(range(requests))

        async def worker() -> None:
            for _ in queue:
                if upload:
                    files = {"file": ("a.png", PNG, "image/png")}
                    resp = await http.post("/api/v2/media", files=files)
                else:
                    resp = await http.get(f"/api/v1/statuses/{status_id}")
                assert resp.status_code in (200, 202), resp.status_code

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
            rates = [
                asyncio.run(run(url, args.requests, args.concurrency, upload))
                for _ in range(args.repeat)
            ]
            print(f"{name}: {statistics.median(rates):,.0f} req/s "
                  f"(runs: {', '.join(f'{r:,.0f}' for r in rates)})")
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
