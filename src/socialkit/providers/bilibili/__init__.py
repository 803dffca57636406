"""Bilibili (哔哩哔哩开放平台): video archives with review, edits, deletion and data.

```python
import socialkit as sk

client = sk.connect("bilibili", access_token="...", client_id="...", app_secret="...")
```
"""

from .auth import BilibiliToken, signature, signed_headers
from .platform import UNSUPPORTED, Bilibili
from .settings import BilibiliSettings

__all__ = ["UNSUPPORTED", "Bilibili", "BilibiliSettings", "BilibiliToken", "signature",
           "signed_headers"]
