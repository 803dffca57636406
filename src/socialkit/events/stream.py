"""The sans-I/O stream contract between a platform and the drivers.

A platform that streams answers `Platform.stream` with a `StreamSpec`: the
long-lived request to open (a `Call`), how often the server sends something
(``heartbeat``), and a decoder that turns the bytes received into events. The
driver owns the connection; the decoder never does I/O, so it is tested by
feeding it bytes.

`watch()` is itself a flow over a few more steps than `Call` and `Sleep`:
`Open` (the stream), `Receive` (the next bytes), `Close`, `Now` (the monotonic
time) and `Emit` (hand an event to the consumer).

Server-sent events (``text/event-stream``) are decoded by `SSEDecoder`, a
minimal parser of the WHATWG format (https://html.spec.whatwg.org/multipage/server-sent-events.html):
``event:``/``data:``/``id:`` fields, comment lines (``:thump``) ignored, a blank line
ends a message, CRLF, LF or CR line ends.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

import attrs

from ..steps import Call
from .types import Event

__all__ = [
    "Close",
    "Decoder",
    "Emit",
    "JsonLinesDecoder",
    "Now",
    "Open",
    "Receive",
    "SSEDecoder",
    "SSEMessage",
    "StreamSpec",
]

MAX_MESSAGE = 1 << 20
"""The largest message kept (1 MiB); a longer one is dropped, not buffered."""

logger = logging.getLogger("socialkit.events")


class Decoder(Protocol):
    """Turns the bytes of a stream, as they arrive, into events."""

    def feed(self, chunk: bytes) -> Iterable[Event]:
        """The events completed by ``chunk`` (possibly none)."""
        ...


@attrs.frozen
class StreamSpec:
    """How to open a platform's stream and read it.

    Attributes:
        call: The long-lived request (usually a GET; its URL may be on a streaming host).
        decoder: Makes a fresh decoder for each connection.
        heartbeat: Seconds between the keep-alives the server sends; `watch()`
            reconnects after ``3 * heartbeat`` without a byte (or its own setting).
    """

    call: Call
    decoder: Callable[[], Decoder]
    heartbeat: float = 15.0


@attrs.frozen
class Open:
    """Open the stream ``call``; the driver answers ``None`` once the headers are in
    (an error status is thrown into the flow as the mapped exception).
    ``read_timeout``: seconds without a byte before the read fails."""

    call: Call
    read_timeout: float


@attrs.frozen
class Receive:
    """The next bytes of the open stream; ``b""`` when the server closed it. A read
    that outlasts the open's ``read_timeout`` is thrown in as `TransportError`."""


@attrs.frozen
class Close:
    """Close the open stream (if any)."""


@attrs.frozen
class Now:
    """The driver answers its clock's monotonic time."""


@attrs.frozen
class Emit:
    """Hand ``event`` to the consumer; the flow resumes when the consumer asks for more."""

    event: Event


class JsonLinesDecoder:
    """One JSON object per line (X's filtered stream, Jetstream as the driver hands it)
    → the events ``parse`` makes of the objects. Blank lines (keep-alives), malformed
    lines and objects ``parse`` finds nothing in are skipped; a line that never ends is
    dropped past `MAX_MESSAGE`."""

    def __init__(self, parse: Callable[[Mapping[str, Any]], Event | None], name: str) -> None:
        self._parse = parse
        self._name = name
        self._buffer = b""

    def feed(self, chunk: bytes) -> list[Event]:
        """The events completed by ``chunk``."""
        self._buffer += chunk
        *lines, self._buffer = self._buffer.split(b"\n")
        if len(self._buffer) > MAX_MESSAGE:
            self._buffer = b""
        found: list[Event] = []
        for line in lines:
            if not line.strip():
                continue
            try:
                message = json.loads(line)
            except ValueError:
                logger.info("%s: a malformed line was skipped", self._name)
                continue
            if isinstance(message, Mapping) and (event := self._parse(message)):
                found.append(event)
        return found


@attrs.frozen
class SSEMessage:
    """One server-sent event: its ``event`` name (``"message"`` by default), ``data``
    (the ``data:`` lines joined by newlines) and ``id``."""

    event: str
    data: str
    id: str | None = None


class SSEDecoder:
    """Incremental ``text/event-stream`` parser: `feed` bytes, get complete messages.

    ```python
    decoder = SSEDecoder()
    list(decoder.feed(b":thump\\nevent: delete\\ndata: 42\\n\\n"))
    # [SSEMessage(event='delete', data='42', id=None)]
    ```
    """

    def __init__(self) -> None:
        self._buffer = b""
        self._event = ""
        self._data: list[str] = []
        self._size = 0
        self._id: str | None = None
        self._last_cr = False

    def feed(self, chunk: bytes) -> list[SSEMessage]:
        """The messages that ``chunk`` completes."""
        if self._last_cr and chunk.startswith(b"\n"):
            chunk = chunk[1:]  # the LF of a CRLF split across chunks
        self._last_cr = chunk.endswith(b"\r")
        data = self._buffer + chunk
        lines = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
        self._buffer = lines.pop()
        if len(self._buffer) > MAX_MESSAGE:  # a line that never ends: drop it
            self._buffer = b""
        out: list[SSEMessage] = []
        for raw in lines:
            message = self._line(raw.decode("utf-8", "replace"))
            if message is not None:
                out.append(message)
        return out

    def _line(self, line: str) -> SSEMessage | None:
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None  # a comment: a heartbeat
        field, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if field == "event":
            self._event = value
        elif field == "data":
            self._size += len(value)
            if self._size <= MAX_MESSAGE:
                self._data.append(value)
        elif field == "id" and "\0" not in value:
            self._id = value
        return None

    def _dispatch(self) -> SSEMessage | None:
        event, data, size = self._event or "message", self._data, self._size
        self._event, self._data, self._size = "", [], 0
        if not data or size > MAX_MESSAGE:
            return None
        return SSEMessage(event, "\n".join(data), self._id)
