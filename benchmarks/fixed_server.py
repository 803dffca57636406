"""A minimal asyncio HTTP/1.1 server that answers every request with one canned status.

The sandbox spends milliseconds of Python per request, which would make a
fan-out benchmark measure the server. This one answers in microseconds after a
fixed latency, so the figures measure the clients.

    python benchmarks/fixed_server.py --latency-ms 20     # prints its URL
"""

from __future__ import annotations

import argparse
import asyncio

import httpx

from socialkit.testing import Sandbox


def canned_status() -> bytes:
    """A real Mastodon-shaped status body, rendered once by the sandbox."""
    sandbox = Sandbox()
    auth = {"Authorization": "Bearer brand"}
    with httpx.Client(
        transport=sandbox.transport(), base_url=sandbox.base_url, headers=auth
    ) as http:
        latest = http.get("/api/v1/accounts/1/statuses", params={"limit": 1}).json()[0]
        return http.get(f"/api/v1/statuses/{latest['id']}").content


async def serve(latency: float) -> None:
    body = canned_status()
    head = (
        "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    response = head + body

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                request_head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in request_head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                if length:
                    await reader.readexactly(length)
                if latency:
                    await asyncio.sleep(latency)
                writer.write(response)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
    host, port = server.sockets[0].getsockname()[:2]
    print(f"fixed server at http://{host}:{port}", flush=True)
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    args = parser.parse_args()
    asyncio.run(serve(args.latency_ms / 1000))


if __name__ == "__main__":
    main()
