"""Progress bars for long work: collection, cross-posting, long paginations.

```python
from socialkit._progress import bar, progress

for post in progress(posts, total=len(posts), desc="metrics"):
    ...
with bar(total=3, desc="crosspost", unit="target") as shown:
    shown.update()          # one done; shown.grow(n) when more work turns up
```

Which bar, where:

- in Jupyter with tqdm and ipywidgets installed: tqdm's notebook widget;
- in Jupyter without them: a plain-text line (``crosspost: 2/3 targets``) that
  rewrites itself; never "TqdmWarning: IProgress not found" and nothing;
- in a terminal with tqdm installed: tqdm's text bar;
- otherwise (logs, CI, pipes, a terminal without tqdm): nothing, at no cost.

``SOCIALKIT_PROGRESS=0`` turns bars off, ``=1`` forces them on (a text line where
tqdm is missing).
"""

from __future__ import annotations

import importlib
import os
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import Any, Protocol, Self, TextIO, TypeVar

__all__ = ["Bar", "NoBar", "TextBar", "bar", "in_notebook", "progress"]

T = TypeVar("T")


class Bar(Protocol):
    """A progress bar: `update` when work is done, `grow` when more turns up, then `close`."""

    def update(self, n: int = 1) -> None:
        """``n`` more units done."""

    def grow(self, n: int) -> None:
        """``n`` more units to do (the total was not known at the start)."""

    def close(self) -> None:
        """Take the bar down (a finished text line ends with a newline)."""

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class _Base:
    def update(self, n: int = 1) -> None:
        return None

    def grow(self, n: int) -> None:
        return None

    def close(self) -> None:
        return None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class NoBar(_Base):
    """No bar: every call does nothing."""


class TextBar(_Base):
    """A one-line text bar (``desc: 3/10 posts``), rewritten at most every ``every`` seconds.

    Needs no widget and no terminal: notebooks show ``\\r`` rewrites in place.
    """

    def __init__(
        self,
        total: int | None,
        desc: str | None,
        unit: str = "it",
        stream: TextIO | None = None,
        every: float = 0.2,
    ) -> None:
        self.total = total
        self.desc = desc
        self.unit = unit
        self.done = 0
        self._stream = stream if stream is not None else sys.stderr
        self._every = every
        self._shown_at = float("-inf")
        self._closed = False
        self._lock = threading.Lock()  # crosspost updates from its threads

    def line(self) -> str:
        """The current text: ``desc: done/total units``."""
        head = f"{self.desc}: " if self.desc else ""
        of = f"/{self.total}" if self.total is not None else ""
        units = "" if self.unit == "it" else f" {self.unit}s"
        return f"{head}{self.done}{of}{units}"

    def _show(self, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._shown_at >= self._every:
            self._stream.write("\r" + self.line())
            self._stream.flush()
            self._shown_at = now

    def update(self, n: int = 1) -> None:
        with self._lock:
            self.done += n
            self._show(force=self.total is not None and self.done >= self.total)

    def grow(self, n: int) -> None:
        with self._lock:
            self.total = (self.total or 0) + n
            self._show()

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self._show(force=True)
                self._stream.write("\n")
                self._stream.flush()


class _Tqdm(_Base):
    """tqdm's bar (widget or text) behind the `Bar` calls."""

    def __init__(self, tqdm: Any, total: int | None, desc: str | None, unit: str, **kw: Any):
        self._bar = tqdm(total=total, desc=desc, unit=unit, leave=False, **kw)

    def update(self, n: int = 1) -> None:
        self._bar.update(n)

    def grow(self, n: int) -> None:
        self._bar.total = (self._bar.total or 0) + n
        self._bar.refresh()

    def close(self) -> None:
        self._bar.close()


def _setting() -> str | None:
    """``"off"``, ``"on"`` or ``None`` (decide by where we run) from ``SOCIALKIT_PROGRESS``."""
    value = os.environ.get("SOCIALKIT_PROGRESS", "").strip().lower()
    if value in ("0", "false", "no", "off"):
        return "off"
    if value in ("1", "true", "yes", "on"):
        return "on"
    return None


def in_notebook() -> bool:
    """Whether this runs in a Jupyter kernel (IPython is never imported for this)."""
    ipython = sys.modules.get("IPython")
    shell = getattr(ipython, "get_ipython", lambda: None)() if ipython is not None else None
    return shell is not None and hasattr(shell, "kernel")


def _module(name: str) -> Any | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def bar(total: int | None = None, desc: str | None = None, *, unit: str = "it") -> Bar:
    """The progress bar for where this runs (see the module's docs); use it as a context."""
    setting = _setting()
    if setting == "off":
        return NoBar()
    if in_notebook():
        notebook = _module("tqdm.notebook") if _module("ipywidgets") is not None else None
        if notebook is not None:
            return _Tqdm(notebook.tqdm, total, desc, unit)
        return TextBar(total, desc, unit)
    std = _module("tqdm.std")
    if std is not None:
        return _Tqdm(std.tqdm, total, desc, unit, disable=False if setting == "on" else None)
    return TextBar(total, desc, unit) if setting == "on" else NoBar()


def progress(
    iterable: Iterable[T],
    total: int | None = None,
    desc: str | None = None,
    *,
    unit: str = "it",
) -> Iterator[T]:
    """Iterate ``iterable`` with a `bar` (``total`` defaults to its length where it has one).

    Where no bar shows, this is ``iter(iterable)``: no output, no overhead.
    """
    if total is None and hasattr(iterable, "__len__"):
        total = len(iterable)  # type: ignore[arg-type]
    shown = bar(total, desc, unit=unit)
    if isinstance(shown, NoBar):
        return iter(iterable)
    return _counted(iterable, shown)


def _counted(iterable: Iterable[T], shown: Bar) -> Iterator[T]:
    with shown:
        for item in iterable:
            yield item
            shown.update()
