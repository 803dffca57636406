"""Mastodon: the client API of Mastodon and compatible servers.

```python
import socialkit as sk

client = sk.connect("mastodon", instance="https://mastodon.social", access_token="...")
client = sk.connect("mastodon://TOKEN@mastodon.social")
```
"""

from .content import html_to_text
from .errors import MediaNotReady
from .platform import Mastodon
from .settings import MastodonSettings

__all__ = ["Mastodon", "MastodonSettings", "MediaNotReady", "html_to_text"]
