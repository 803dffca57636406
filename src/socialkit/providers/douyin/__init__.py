"""Douyin (抖音开放平台): videos and image-text posts with review, comments, fans data.

```python
import socialkit as sk

client = sk.connect("douyin", access_token="act....", open_id="...")
```
"""

from ...credentials.douyin import DouyinToken
from .platform import UNSUPPORTED, Douyin
from .settings import DouyinSettings

__all__ = ["UNSUPPORTED", "Douyin", "DouyinSettings", "DouyinToken"]
