"""Instagram: a professional account's media, comments, tags and insights.

```python
import socialkit as sk

client = sk.connect("instagram", user_id="17841400000000000", access_token="EAAB...")
client = sk.connect("instagram", user_id="...", access_token="IGAA...", login="instagram")
```
"""

from .platform import Instagram
from .settings import InstagramSettings

__all__ = ["Instagram", "InstagramSettings"]
