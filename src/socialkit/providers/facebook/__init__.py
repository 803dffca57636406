"""Facebook Pages: a Page's posts, comments, tags and insights through the Graph API.

```python
import socialkit as sk

client = sk.connect("facebook", page_id="1234567890", access_token="EAAB...")
client = sk.connect("facebook://PAGE_TOKEN@1234567890")
```
"""

from .platform import Facebook
from .settings import FacebookSettings

__all__ = ["Facebook", "FacebookSettings"]
