"""Bluesky: the AT Protocol's ``app.bsky`` Lexicons, logged in with an app password.

```python
import socialkit as sk

client = sk.connect("bluesky", handle="brand.bsky.social", app_password="xxxx-xxxx-xxxx-xxxx")
client = sk.connect("bluesky://brand.bsky.social:xxxx-xxxx-xxxx-xxxx@bsky.social")
```
"""

from .platform import Bluesky
from .session import BlueskySession
from .settings import BlueskySettings
from .xrpc import VideoJobExists

__all__ = ["Bluesky", "BlueskySession", "BlueskySettings", "VideoJobExists"]
