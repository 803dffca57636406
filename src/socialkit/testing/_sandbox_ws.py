"""The sandbox's Mastodon multiplexed WebSocket: ``/api/v1/streaming``.

The client signs in with ``?access_token=`` (or an ``Authorization`` header), then sends
``{"type": "subscribe", "stream": "user"}`` (or ``"user:notification"``, or
``"hashtag"`` with ``"tag"``) and
``{"type": "unsubscribe", ...}``. Each event arrives as
``{"stream": ["user"], "event": "update", "payload": "<the JSON, as a string>"}``
(a ``delete`` payload is the bare id), as on Mastodon. The same `Hub` feeds the
server-sent-event streams.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Protocol

import anyio
from starlette.websockets import WebSocket, WebSocketDisconnect

if TYPE_CHECKING:
    from ._sandbox_stream import Closing, EventStream


class _Sandbox(Protocol):
    def stream_viewer(self, token: str) -> str | None: ...

    def open_stream(
        self, token: str, path: str, origin: str, tag: str | None = None
    ) -> EventStream | None: ...

__all__ = ["STREAM_PATHS", "streaming_socket"]

STREAM_PATHS = {
    "user": "/api/v1/streaming/user",
    "user:notification": "/api/v1/streaming/user/notification",
    "hashtag": "/api/v1/streaming/hashtag",
}
"""The WebSocket stream names the sandbox serves, and the SSE path of each."""


def _token(websocket: WebSocket) -> str | None:
    token = websocket.query_params.get("access_token")
    if token:
        return token
    scheme, _, value = websocket.headers.get("authorization", "").partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


def _frames(chunk: bytes) -> list[tuple[str, str]]:
    """The ``(event, data)`` messages of SSE bytes (heartbeat comments dropped)."""
    out = []
    for block in chunk.decode().split("\n\n"):
        fields = dict(
            line.split(": ", 1) for line in block.splitlines() if line and not line.startswith(":")
        )
        if "event" in fields:
            out.append((fields["event"], fields.get("data", "")))
    return out


async def streaming_socket(sandbox: _Sandbox, websocket: WebSocket, closing: Closing) -> None:
    """Serve one WebSocket connection until either side closes it."""
    token = _token(websocket)
    origin = f"{websocket.url.scheme.replace('ws', 'http')}://{websocket.url.netloc}"
    if token is None or sandbox.stream_viewer(token) is None:
        await websocket.close(code=1008)
        return
    await websocket.accept()
    open_streams: dict[str, EventStream] = {}

    async def pump(name: str, tag: str | None, stream: EventStream) -> None:
        label = [name, tag] if tag else [name]
        try:
            async for chunk in stream:
                for event, data in _frames(chunk):
                    message = {"stream": label, "event": event, "payload": data}
                    await websocket.send_text(json.dumps(message))
        finally:
            stream.close()

    async with anyio.create_task_group() as group:
        try:
            while not closing.event.is_set():
                message: Any = await websocket.receive_json()
                name = message.get("stream") if isinstance(message, dict) else None
                if name not in STREAM_PATHS:
                    await websocket.send_text(json.dumps({"error": "Unknown stream type"}))
                    continue
                tag = message.get("tag") if name == "hashtag" else None
                if name == "hashtag" and not isinstance(tag, str):
                    await websocket.send_text(json.dumps({"error": "Missing tag"}))
                    continue
                key = f"{name}:{tag}" if tag else name
                if message.get("type") == "subscribe" and key not in open_streams:
                    stream = sandbox.open_stream(token, STREAM_PATHS[name], origin, tag)
                    assert stream is not None
                    open_streams[key] = stream
                    group.start_soon(pump, name, tag, stream)
                elif message.get("type") == "unsubscribe" and key in open_streams:
                    open_streams.pop(key).close()
        except (WebSocketDisconnect, ValueError, KeyError):
            pass
        finally:
            for stream in open_streams.values():
                stream.close()
            group.cancel_scope.cancel()
