"""TikTok: Direct Post of videos and photos (Content Posting API) and the creator's videos
and stats (Display API).

```python
import socialkit as sk

client = sk.connect("tiktok", access_token="act....")
```
"""

from .auth import TikTokToken
from .platform import UNSUPPORTED, TikTok
from .settings import PRIVACY_LEVELS, TikTokSettings

__all__ = ["PRIVACY_LEVELS", "UNSUPPORTED", "TikTok", "TikTokSettings", "TikTokToken"]
