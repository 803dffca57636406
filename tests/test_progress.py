"""Progress bars: a widget in Jupyter, a text line where widgets are missing, tqdm in a
terminal, nothing in logs; and the long jobs that show them."""

from __future__ import annotations

import importlib
import io
import sys
import types
import warnings
from typing import Any, ClassVar

import anyio
import pytest

from socialkit import _progress
from socialkit._progress import NoBar, TextBar, bar, progress
from socialkit.crosspost import acrosspost, crosspost
from socialkit.metrics import acollect
from socialkit.models import ResultPage
from socialkit.pagination import LONG_LISTING, AsyncPaginator, Paginator
from socialkit.platform import Flow
from socialkit.testing import Sandbox


class FakeTqdm:
    """Records how tqdm was called (tqdm is not installed in the test environment)."""

    made: ClassVar[list[FakeTqdm]] = []

    def __init__(self, *args: Any, **options: Any) -> None:
        self.options = options
        self.total = options.get("total")
        self.n = 0
        self.closed = False
        FakeTqdm.made.append(self)

    def update(self, n: int = 1) -> None:
        self.n += n

    def refresh(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True


@pytest.fixture(autouse=True)
def clean(monkeypatch: pytest.MonkeyPatch) -> None:
    FakeTqdm.made = []
    monkeypatch.delenv("SOCIALKIT_PROGRESS", raising=False)
    monkeypatch.setitem(sys.modules, "IPython", None)  # not in a notebook unless a test says so


def tqdm_installed(monkeypatch: pytest.MonkeyPatch, *, widgets: bool) -> None:
    std = types.SimpleNamespace(tqdm=FakeTqdm)
    notebook = types.SimpleNamespace(tqdm=type("NotebookTqdm", (FakeTqdm,), {}))
    monkeypatch.setitem(sys.modules, "tqdm.std", std)
    monkeypatch.setitem(sys.modules, "tqdm.notebook", notebook)
    widget_module = types.ModuleType("ipywidgets") if widgets else None
    monkeypatch.setitem(sys.modules, "ipywidgets", widget_module)


def in_jupyter(monkeypatch: pytest.MonkeyPatch) -> None:
    shell = types.SimpleNamespace(kernel=object())  # a kernel's shell has .kernel
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: shell))


def no_tqdm(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("tqdm.std", "tqdm.notebook", "ipywidgets"):
        monkeypatch.setitem(sys.modules, name, None)  # importing it raises ImportError


def test_silent_outside_a_notebook_without_tqdm(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    no_tqdm(monkeypatch)
    assert isinstance(bar(3), NoBar)
    assert list(progress(range(3), desc="work")) == [0, 1, 2]
    captured = capsys.readouterr()
    assert captured.out == captured.err == ""


def test_a_terminal_with_tqdm_gets_its_text_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    tqdm_installed(monkeypatch, widgets=False)
    assert list(progress([1, 2], desc="metrics")) == [1, 2]
    (made,) = FakeTqdm.made
    assert type(made) is FakeTqdm
    assert (made.options["desc"], made.options["total"], made.n) == ("metrics", 2, 2)
    assert made.options["disable"] is None  # tqdm hides it when stderr is not a terminal
    assert made.closed


def test_a_notebook_with_widgets_gets_the_widget(monkeypatch: pytest.MonkeyPatch) -> None:
    tqdm_installed(monkeypatch, widgets=True)
    in_jupyter(monkeypatch)
    with bar(2, "crosspost") as shown:
        shown.update()
    assert type(FakeTqdm.made[0]).__name__ == "NotebookTqdm"


def test_a_notebook_without_widgets_gets_a_text_line_and_no_warning(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tqdm_installed(monkeypatch, widgets=False)
    in_jupyter(monkeypatch)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "TqdmWarning: IProgress not found"
        assert list(progress(range(3), desc="metrics", unit="post")) == [0, 1, 2]
    assert FakeTqdm.made == []
    err = capsys.readouterr().err
    assert "\rmetrics: 3/3 posts" in err
    assert err.endswith("\n")


def test_a_notebook_without_tqdm_still_gets_the_text_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    no_tqdm(monkeypatch)
    in_jupyter(monkeypatch)
    list(progress(range(2), desc="work"))
    assert "\rwork: 2/2" in capsys.readouterr().err


def test_bars_can_be_turned_off_and_forced_on(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tqdm_installed(monkeypatch, widgets=True)
    in_jupyter(monkeypatch)
    monkeypatch.setenv("SOCIALKIT_PROGRESS", "0")
    assert isinstance(bar(3), NoBar)
    no_tqdm(monkeypatch)
    monkeypatch.setitem(sys.modules, "IPython", None)
    monkeypatch.setenv("SOCIALKIT_PROGRESS", "1")
    assert isinstance(bar(3), TextBar)


def test_the_text_line_grows_when_more_work_turns_up() -> None:
    out = io.StringIO()
    shown = TextBar(None, "metrics", "call", stream=out, every=0)
    shown.grow(2)
    shown.update()
    shown.grow(1)
    shown.update(2)
    shown.close()
    assert out.getvalue().split("\r")[-1] == "metrics: 3/3 calls\n"


# -- the long jobs that show bars --------------------------------------------------------------


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> list[TextBar]:
    """Every bar made, as text bars writing to a buffer."""
    made: list[TextBar] = []

    def record(total: int | None = None, desc: str | None = None, *, unit: str = "it") -> TextBar:
        made.append(TextBar(total, desc, unit, stream=io.StringIO(), every=0))
        return made[-1]

    for name in ("socialkit._progress", "socialkit.crosspost", "socialkit.metrics.collect",
                 "socialkit.pagination"):
        monkeypatch.setattr(importlib.import_module(name), "bar", record)
    return made


def test_acollect_counts_every_call(seen: list[TextBar]) -> None:
    sandbox = Sandbox()

    async def main() -> None:
        async with sandbox.async_client() as client:
            await acollect([client], 3)

    anyio.run(main)
    (shown,) = seen
    # the listing, 3 posts and the account: the total grew as the posts were found
    assert (shown.desc, shown.done, shown.total) == ("metrics", 5, 5)
    assert shown._closed


def test_crosspost_counts_targets(seen: list[TextBar]) -> None:
    sandbox = Sandbox()
    with sandbox.client() as one, sandbox.client("other") as two:
        crosspost("Hello", {"a": one, "b": two})
    assert [(b.desc, b.done, b.total, b._closed) for b in seen] == [("crosspost", 2, 2, True)]


def test_acrosspost_counts_targets(seen: list[TextBar]) -> None:
    sandbox = Sandbox()

    async def main() -> None:
        async with sandbox.async_client() as one, sandbox.async_client("other") as two:
            await acrosspost("Hello", {"a": one, "b": two})

    anyio.run(main)
    assert [(b.desc, b.done, b.total) for b in seen] == [("crosspost", 2, 2)]


def ten_in_pages_of_two(cursor: str | None, wanted: int | None) -> Flow[ResultPage[int]]:
    start = int(cursor or 0)
    more = str(start + 2) if start + 2 < 10 else None
    return ResultPage(items=[start, start + 1], next_cursor=more)
    yield  # a flow with no I/O


@pytest.mark.parametrize("pages", [3, 5])
def test_a_long_listing_shows_a_bar_past_its_third_page(seen: list[TextBar], pages: int) -> None:
    with Sandbox().client() as client:
        listing = Paginator(client, ten_in_pages_of_two, limit=pages * 2, what="numbers()")
        assert list(listing) == list(range(pages * 2))
    if pages <= LONG_LISTING:
        assert seen == []
    else:
        (shown,) = seen
        assert (shown.desc, shown.done, shown.total, shown._closed) == ("numbers()", 10, 10, True)


def test_an_async_listing_shows_it_too(seen: list[TextBar]) -> None:
    async def main() -> list[int]:
        async with Sandbox().async_client() as client:
            return [n async for n in AsyncPaginator(client, ten_in_pages_of_two)]

    assert anyio.run(main) == list(range(10))
    assert [(b.done, b.total) for b in seen] == [(10, None)]


def test_bar_is_the_module_function() -> None:
    assert _progress.bar is bar
