"""WeChat Official Accounts (微信公众号 / 服务号): articles, comments, follower messages, stats.

```python
import socialkit as sk

client = sk.connect("wechat", app_id="wx...", app_secret="...", cover_media_id="...")
post = client.publish(sk.Draft(text="<p>新品上线</p>", options={"title": "新品发布"}))
```

Reference: https://developers.weixin.qq.com/doc/offiaccount/ (and doc/service/api/).
Follower messages arrive by push: see `WeChatWebhook`.
"""

from .crypto import MessageCipher, sign
from .errors import PublishFailed, PublishPending
from .ids import ArticleRef, CommentRef
from .platform import PublishStatus, WeChat
from .settings import WeChatSettings
from .token import StableToken, clear_tokens, shared_token
from .webhook import WebhookResult, WeChatWebhook, passive_text

__all__ = [
    "ArticleRef",
    "CommentRef",
    "MessageCipher",
    "PublishFailed",
    "PublishPending",
    "PublishStatus",
    "StableToken",
    "WeChat",
    "WeChatSettings",
    "WeChatWebhook",
    "WebhookResult",
    "clear_tokens",
    "passive_text",
    "shared_token",
    "sign",
]
