"""Real time: typed events from streams and webhook receivers.

An event is a hint: handle it idempotently by its ``key``, commit its checkpoint
after handling, and let a REST backfill fill what a channel lost.

```python
from socialkit.events import MetaReceiver, XReceiver, webhook_app

app = webhook_app([MetaReceiver(APP_SECRET, VERIFY_TOKEN), XReceiver(CONSUMER_SECRET)], handle)
```

- `Event`, `MentionEvent`, `CommentEvent`, `ReactionEvent`, `PostEvent`: the events,
  each carrying the unified record where there is one; `EVENT_ADAPTER` reads any of
  them back from JSON.
- `Receiver` and its platforms (`MetaReceiver`, `XReceiver`, `LinkedInReceiver`,
  `TikTokReceiver`, `WeiboReceiver`), `WeChatReceiver`: ``receive(method, headers,
  query, body)`` → `Receipt`, signature checked before anything is parsed.
- `SeenStore`, `MemorySeenStore`: replayed deliveries are dropped within a window.
- `webhook_app`: one ASGI (Starlette) app mounting the receivers (``webhooks`` extra).
- `StreamSpec`, `SSEDecoder`, `SSEMessage`: the sans-I/O stream contract a platform
  answers `Platform.stream` with; `WatchPolicy`: how `watch()` keeps a stream alive.
"""

from .asgi import EventHandler, webhook_app
from .linkedin import LinkedInReceiver, linkedin_signature
from .meta import MetaReceiver
from .receiver import (
    AnyEventT,
    MalformedDelivery,
    MemorySeenStore,
    Receipt,
    Receiver,
    SeenStore,
    WebhookReceiver,
    hmac_sha256,
)
from .stream import SSEDecoder, SSEMessage, StreamSpec
from .tiktok import TikTokReceiver, tiktok_signature
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
from .wechat import WeChatReceiver
from .weibo import WeiboReceiver, weibo_signature
from .x import XReceiver, crc_response_token, x_signature

__all__ = [
    "EVENT_ADAPTER",
    "AnyEvent",
    "AnyEventT",
    "CommentAction",
    "CommentEvent",
    "Event",
    "EventHandler",
    "LinkedInReceiver",
    "MalformedDelivery",
    "MemorySeenStore",
    "MentionEvent",
    "MetaReceiver",
    "PostEvent",
    "PostStatus",
    "ReactionEvent",
    "Receipt",
    "Receiver",
    "SSEDecoder",
    "SSEMessage",
    "SeenStore",
    "StreamSpec",
    "TikTokReceiver",
    "WatchPolicy",
    "WeChatReceiver",
    "WebhookReceiver",
    "WeiboReceiver",
    "XReceiver",
    "crc_response_token",
    "hmac_sha256",
    "linkedin_signature",
    "tiktok_signature",
    "webhook_app",
    "weibo_signature",
    "x_signature",
]
