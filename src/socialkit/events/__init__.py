"""Real time: typed events, and the stream contract `watch()` runs on.

An event is a hint: handle it idempotently by its ``key``, commit its checkpoint
after handling, and let a REST backfill fill what a channel lost. Streams and the
webhook receivers (`socialkit.webhooks`) yield the same events.

```python
async for event in client.watch(kinds={"mention"}, checkpoint=saved):
    ...                       # handle it by event.key, then save event.checkpoint
```

- `Event`, `MentionEvent`, `CommentEvent`, `ReactionEvent`, `PostEvent`: the events,
  each carrying the unified record where there is one; `EVENT_ADAPTER` reads any of
  them back from JSON.
- `StreamSpec`, `SSEDecoder`, `SSEMessage`: the sans-I/O stream contract a platform
  answers `Platform.stream` with; `WatchPolicy`: how `watch()` keeps a stream alive.
"""

from .stream import SSEDecoder, SSEMessage, StreamSpec
from .types import (
    EVENT_ADAPTER,
    AnyEvent,
    CommentAction,
    CommentEvent,
    Event,
    MentionEvent,
    PostEvent,
    PostStatus,
    ReactionEvent,
)
from .watch import WatchPolicy

__all__ = [
    "EVENT_ADAPTER",
    "AnyEvent",
    "CommentAction",
    "CommentEvent",
    "Event",
    "MentionEvent",
    "PostEvent",
    "PostStatus",
    "ReactionEvent",
    "SSEDecoder",
    "SSEMessage",
    "StreamSpec",
    "WatchPolicy",
]
