"""Weibo (新浪微博): the open API v2 for an ordinary app.

```python
import socialkit as sk

client = sk.connect("weibo", access_token="...", client_ip="211.156.0.1",
                    share_domain="brand.example.com")
client.publish("新品上线 https://brand.example.com/launch")
```

Reference: https://open.weibo.com/wiki/微博API (the ``2/...`` pages) and
https://open.weibo.com/wiki/Error_code.
"""

from .auth import (
    AUTHORIZE_URL,
    TOKEN_INFO_URL,
    TOKEN_URL,
    TokenInfo,
    WeiboToken,
    weibo_login_config,
)
from .content import WEIBO_RULES, count_weibo, find_topics, share_links
from .limits import RateLimitStatus
from .platform import Weibo
from .settings import WeiboSettings

__all__ = [
    "AUTHORIZE_URL",
    "TOKEN_INFO_URL",
    "TOKEN_URL",
    "WEIBO_RULES",
    "RateLimitStatus",
    "TokenInfo",
    "Weibo",
    "WeiboSettings",
    "WeiboToken",
    "count_weibo",
    "find_topics",
    "share_links",
    "weibo_login_config",
]
