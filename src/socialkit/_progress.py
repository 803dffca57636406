"""Progress bars for long loops: tqdm when it is installed, silence otherwise.

```python
from socialkit._progress import progress

for post in progress(posts, total=len(posts), desc="metrics"):
    ...
```

tqdm is not a dependency. When it is installed, ``tqdm.auto`` picks a notebook
widget or a terminal bar; the bar is left out when the output is not a terminal
(tqdm's ``disable=None``), so logs and CI stay clean. ``SOCIALKIT_PROGRESS=0``
turns bars off, ``=1`` forces them on.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

__all__ = ["progress"]

T = TypeVar("T")


def _tqdm() -> Any | None:
    try:
        return importlib.import_module("tqdm.auto").tqdm
    except ImportError:
        return None


def progress(
    iterable: Iterable[T],
    total: int | None = None,
    desc: str | None = None,
    *,
    unit: str = "it",
) -> Iterator[T]:
    """Iterate ``iterable``, showing a progress bar when tqdm is installed.

    Without tqdm (or with ``SOCIALKIT_PROGRESS=0``) this is ``iter(iterable)``:
    no output, no overhead. ``total`` defaults to ``len(iterable)`` where it has one.
    """
    setting = os.environ.get("SOCIALKIT_PROGRESS", "").strip().lower()
    bar = None if setting in ("0", "false", "no", "off") else _tqdm()
    if bar is None:
        return iter(iterable)
    disable = False if setting in ("1", "true", "yes", "on") else None
    shown: Iterator[T] = bar(
        iterable, total=total, desc=desc, unit=unit, leave=False, disable=disable
    )
    return shown
