"""socialkit: one typed API, sync and async, over the social platforms a brand lives on.

```python
import socialkit as sk

client = sk.connect("sandbox://")
post = client.publish("Hello from socialkit")
for comment in client.comments(post.id):
    client.reply(comment, "Thank you!")
```
"""

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
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
    from .http import Limits, RetryPolicy
    from .models import (
        Account,
        Comment,
        Draft,
        Media,
        MediaUpload,
        Mention,
        Metric,
        Post,
        ResultPage,
    )
    from .platform import Call, Capability, Flow, Platform, PlatformSettings, Sleep, TextRules
    from .registry import aconnect, connect, platforms

# Each public name and the module it lives in. Nothing is imported until a name is used, so
# `import socialkit` costs almost nothing and `sk.connect(...)` loads only the core (httpx,
# pydantic, the drivers); providers, helpers and login flows load when first used.
_EXPORTS = {
    "Account": "models",
    "AsyncClient": "client",
    "AsyncPaginator": "client",
    "AuthError": "errors",
    "Call": "platform",
    "Capability": "platform",
    "Client": "client",
    "Comment": "models",
    "ConfigError": "errors",
    "Draft": "models",
    "Flow": "platform",
    "InvalidContent": "errors",
    "Limits": "http",
    "Media": "models",
    "MediaUpload": "models",
    "Mention": "models",
    "Metric": "models",
    "NotFound": "errors",
    "ResultPage": "models",
    "Paginator": "client",
    "ParseError": "errors",
    "PermissionDenied": "errors",
    "Platform": "platform",
    "PlatformError": "errors",
    "PlatformSettings": "platform",
    "Post": "models",
    "PublishUncertain": "errors",
    "RateLimited": "errors",
    "ReauthRequired": "errors",
    "RetryPolicy": "http",
    "Sleep": "platform",
    "SocialkitError": "errors",
    "StoreError": "errors",
    "TextRules": "platform",
    "TokenExpired": "errors",
    "TransportError": "errors",
    "Unsupported": "errors",
    "aconnect": "registry",
    "connect": "registry",
    "platforms": "registry",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is not None:
        value = getattr(importlib.import_module(f".{module}", __name__), name)
        globals()[name] = value
        return value
    if not name.startswith("_"):  # a subpackage: sk.auth, sk.calendar, sk.metrics, ...
        try:
            return importlib.import_module(f".{name}", __name__)
        except ModuleNotFoundError as missing:
            if missing.name != f"{__name__}.{name}":
                raise
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


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
    "Limits",
    "Media",
    "MediaUpload",
    "Mention",
    "Metric",
    "NotFound",
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
    "ResultPage",
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
