"""Real time: typed events from `watch()` streams (and webhook receivers).

An event is a hint: handle it idempotently by its ``key`` (the platform's object id),
commit its ``checkpoint`` after handling, and let the REST backfill fill any gap.

```python
async with sk.aconnect("sandbox://") as client:
    async for event in client.watch(kinds={"mention"}, checkpoint=saved):
        handle(event)
        saved = event.checkpoint
```

The names load on first use, so importing one module of the package (the drivers
import `socialkit.events.watch`) never pulls in the others.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "Backoff",
    "Event",
    "EventKind",
    "MentionEvent",
    "PostEvent",
    "ReactionEvent",
    "SSEDecoder",
    "SSEMessage",
    "Seen",
    "StreamSpec",
    "WatchPolicy",
]

_WHERE = {
    "Event": "types",
    "EventKind": "types",
    "MentionEvent": "types",
    "PostEvent": "types",
    "ReactionEvent": "types",
    "SSEDecoder": "stream",
    "SSEMessage": "stream",
    "StreamSpec": "stream",
    "Backoff": "watch",
    "Seen": "watch",
    "WatchPolicy": "watch",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
