"""Threads: a profile's posts, replies, mentions, search and insights through the Threads API.

```python
import socialkit as sk

client = sk.connect("threads", user_id="1234567890", access_token="THAA...")
client = sk.connect("threads://TOKEN@1234567890")
```
"""

from .platform import Threads
from .settings import ThreadsSettings
from .text import count_threads

__all__ = ["Threads", "ThreadsSettings", "count_threads"]
