"""Webhook receivers: platforms that push deliver events here.

```python
from socialkit.webhooks import MetaReceiver, XReceiver, webhook_app

app = webhook_app([MetaReceiver(APP_SECRET, VERIFY_TOKEN), XReceiver(CONSUMER_SECRET)], handle)
```

- `Receiver` and its platforms (`MetaReceiver`, `XReceiver`, `LinkedInReceiver`,
  `TikTokReceiver`, `WeiboReceiver`), `WeChatReceiver`: ``receive(method, headers,
  query, body)`` → `Receipt`, signature checked before anything is parsed; the events
  are those of `socialkit.events`.
- `SeenStore`, `MemorySeenStore`: replayed deliveries are dropped within a window.
- `webhook_app`: one ASGI (Starlette) app mounting the receivers (``webhooks`` extra).
- `meta_signature`, `x_signature`, `crc_response_token`, `linkedin_signature`,
  `tiktok_signature`, `weibo_signature`: sign a delivery as the platform does, to test
  your own handlers end to end.
"""

from .asgi import EventHandler, webhook_app
from .linkedin import LinkedInReceiver, linkedin_signature
from .meta import MetaReceiver, meta_signature
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
from .tiktok import TikTokReceiver, tiktok_signature
from .wechat import WeChatReceiver
from .weibo import WeiboReceiver, weibo_signature
from .x import XReceiver, crc_response_token, x_signature

__all__ = [
    "AnyEventT",
    "EventHandler",
    "LinkedInReceiver",
    "MalformedDelivery",
    "MemorySeenStore",
    "MetaReceiver",
    "Receipt",
    "Receiver",
    "SeenStore",
    "TikTokReceiver",
    "WeChatReceiver",
    "WebhookReceiver",
    "WeiboReceiver",
    "XReceiver",
    "crc_response_token",
    "hmac_sha256",
    "linkedin_signature",
    "meta_signature",
    "tiktok_signature",
    "webhook_app",
    "weibo_signature",
    "x_signature",
]
