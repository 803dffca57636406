"""LinkedIn: member and organization posts through LinkedIn's versioned REST API.

```python
import socialkit as sk

client = sk.connect("linkedin", access_token="...", author="urn:li:organization:2414183")
```
"""

from .little import escape, from_little, to_little
from .platform import REACTIONS, UNSUPPORTED, LinkedIn
from .settings import DEFAULT_API_VERSION, LinkedInSettings
from .versions import RELEASED_VERSIONS, is_released

__all__ = [
    "DEFAULT_API_VERSION",
    "REACTIONS",
    "RELEASED_VERSIONS",
    "UNSUPPORTED",
    "LinkedIn",
    "LinkedInSettings",
    "escape",
    "from_little",
    "is_released",
    "to_little",
]
