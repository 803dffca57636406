"""Reddit: self, link, image, video and gallery posts to subreddits, comment trees with
"load more" expanded, replies and moderation, the inbox, search, and karma.

```python
import socialkit as sk

client = sk.connect(
    "reddit", client_id="...", client_secret="...", username="brand", password="...",
    app_id="com.example.brandbot", subreddit="brand",
)
```
"""

from .auth import RedditToken
from .platform import UNSUPPORTED, Reddit
from .settings import RedditSettings

__all__ = ["UNSUPPORTED", "Reddit", "RedditSettings", "RedditToken"]
