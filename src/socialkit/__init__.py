"""socialkit: one typed API, sync and async, over the social platforms a brand lives on.

```python
import socialkit as sk

client = sk.connect("sandbox://")
post = client.publish("Hello from socialkit")
for comment in client.comments(post.id):
    client.reply(comment, "Thank you!")
```
"""

from ._version import __version__
from .client import AsyncClient, AsyncPaginator, Client, Paginator
from .errors import (
    AuthError,
    ConfigError,
    InvalidContent,
    NotFound,
    ParseError,
    PermissionDenied,
    PlatformError,
    PublishUncertain,
    RateLimited,
    ReauthRequired,
    SocialkitError,
    StoreError,
    TokenExpired,
    TransportError,
    Unsupported,
)
from .http import RetryPolicy
from .models import (
    Account,
    Comment,
    Draft,
    Media,
    MediaUpload,
    Mention,
    Metric,
    Page,
    Post,
)
from .platform import Call, Capability, Flow, Platform, PlatformSettings, Sleep, TextRules
from .registry import aconnect, connect, platforms

__all__ = [
    "Account",
    "AsyncClient",
    "AsyncPaginator",
    "AuthError",
    "Call",
    "Capability",
    "Client",
    "Comment",
    "ConfigError",
    "Draft",
    "Flow",
    "InvalidContent",
    "Media",
    "MediaUpload",
    "Mention",
    "Metric",
    "NotFound",
    "Page",
    "Paginator",
    "ParseError",
    "PermissionDenied",
    "Platform",
    "PlatformError",
    "PlatformSettings",
    "Post",
    "PublishUncertain",
    "RateLimited",
    "ReauthRequired",
    "RetryPolicy",
    "Sleep",
    "SocialkitError",
    "StoreError",
    "TextRules",
    "TokenExpired",
    "TransportError",
    "Unsupported",
    "__version__",
    "aconnect",
    "connect",
    "platforms",
]
