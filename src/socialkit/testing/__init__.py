"""Testing support: the sandbox server and the provider contract.

```python
from socialkit.testing import Sandbox

sandbox = Sandbox()                  # an in-process Mastodon-compatible server with demo data
client = sandbox.client()            # a Client signed in as the demo brand
```
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .clock import FakeClock
    from .contract import PlatformContract
    from .driver import Driver
    from .sandbox import Sandbox

__all__ = ["Driver", "FakeClock", "PlatformContract", "Sandbox"]


def __getattr__(name: str) -> Any:
    # Loaded on first use, so `python -m socialkit.testing.sandbox` does not import it twice.
    if name == "Sandbox":
        from .sandbox import Sandbox

        return Sandbox
    if name == "FakeClock":
        from .clock import FakeClock

        return FakeClock
    if name == "Driver":
        from .driver import Driver

        return Driver
    if name == "PlatformContract":
        from .contract import PlatformContract

        return PlatformContract
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
