"""socialkit-microblog: a socialkit provider for Microblog, installed as a plugin.

The package registers ``microblog`` under the ``socialkit.platforms`` entry-point
group (see its ``pyproject.toml``), so once it is installed:

```python
import socialkit as sk

client = sk.connect("microblog", access_token="...")
```
"""

from .platform import Microblog, MicroblogSettings
from .webhooks import SIGNATURE_HEADER, sign, verify_signature

__all__ = ["SIGNATURE_HEADER", "Microblog", "MicroblogSettings", "sign", "verify_signature"]
