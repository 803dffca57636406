"""YouTube: videos (resumable uploads), comments and moderation, search, ratings, and
metrics from the YouTube Data API v3 and the YouTube Analytics API v2.

```python
import socialkit as sk

client = sk.connect("youtube", access_token="ya29....")
```
"""

from .platform import MODERATION_STATUSES, UNSUPPORTED, YouTube
from .quota import QUOTAS, QuotaTally
from .settings import DAILY_QUOTA, LEGACY_QUOTA, QUOTA_COSTS, QUOTA_POOLS, SCOPES, YouTubeSettings
from .upload import PRIVATE_NOTE

__all__ = [
    "DAILY_QUOTA",
    "LEGACY_QUOTA",
    "MODERATION_STATUSES",
    "PRIVATE_NOTE",
    "QUOTAS",
    "QUOTA_COSTS",
    "QUOTA_POOLS",
    "SCOPES",
    "UNSUPPORTED",
    "QuotaTally",
    "YouTube",
    "YouTubeSettings",
]
