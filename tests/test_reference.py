"""Every public name has a docstring and an entry in the API reference (docs/reference/).

A name is covered when a ``::: target`` directive renders it: the target is the
object itself, or a module whose ``__all__`` holds it (unless the directive's
``members:`` option leaves it out). Re-exports count where the object they name
is covered, so ``socialkit.Post`` is covered by the models page.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import itertools
import os
import re
import zlib
from collections.abc import Iterator
from importlib.metadata import distribution
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REFERENCE = Path(__file__).resolve().parents[1] / "docs" / "reference"

PUBLIC_MODULES = [
    "socialkit",
    "socialkit.models",
    "socialkit.errors",
    "socialkit.platform",
    "socialkit.client",
    "socialkit.clock",
    "socialkit.auth",
    "socialkit.text",
    "socialkit.uploads",
    "socialkit.crosspost",
    "socialkit.utm",
    "socialkit.calendar",
    "socialkit.replies",
    "socialkit.monitoring",
    "socialkit.metrics",
    "socialkit.privacy",
    "socialkit.events",
    "socialkit.webhooks",
    "socialkit.testing",
]

_DIRECTIVE = re.compile(r"^::: *(?P<target>[\w.]+) *$")
_MEMBERS = re.compile(r"^ +members: *\[(?P<names>[^\]]*)\]")


def _resolve(path: str) -> Any:
    """The object at a dotted path: the longest importable module, then attributes."""
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            obj = getattr(obj, name)
        return obj
    raise LookupError(path)


def _needs_a_missing_extra(target: str) -> bool:
    """Whether ``target`` lives in a module whose extra is not installed here (it says
    which in its ImportError: ``pip install 'socialkit[...]'``)."""
    parts = target.split(".")
    for cut in range(2, len(parts) + 1):
        try:
            importlib.import_module(".".join(parts[:cut]))
        except ImportError as exc:
            return "socialkit[" in str(exc)
    return False


def _directives(text: str) -> Iterator[tuple[str, list[str] | None]]:
    """``(target, members or None)`` for each ``:::`` directive of a page."""
    lines = text.splitlines()
    for number, line in enumerate(lines):
        found = _DIRECTIVE.match(line)
        if not found:
            continue
        members = None
        for option in lines[number + 1 :]:
            if not option.startswith(" "):
                break
            listed = _MEMBERS.match(option)
            if listed:
                members = [n.strip(" '\"") for n in listed["names"].split(",") if n.strip()]
        yield found["target"], members


def covered_ids(pages: dict[str, str]) -> set[int]:
    """The ids of every object the reference pages render."""
    ids: set[int] = set()
    for text in pages.values():
        for target, members in _directives(text):
            if _needs_a_missing_extra(target):
                continue
            obj = _resolve(target)
            ids.add(id(obj))
            if isinstance(obj, ModuleType):
                names = members if members is not None else getattr(obj, "__all__", [])
                ids.update(id(getattr(obj, name)) for name in names)
    return ids


def _reference_pages() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(REFERENCE.glob("*.md"))}


def _settings_classes() -> list[tuple[str, type]]:
    """``(platform, Settings class)`` for every platform socialkit itself ships."""
    points = distribution("socialkit").entry_points.select(group="socialkit.platforms")
    return [(point.name, point.load().Settings) for point in points]


def _public_names() -> list[tuple[str, str]]:
    return [
        (module, name)
        for module in PUBLIC_MODULES
        for name in importlib.import_module(module).__all__
    ]


def _has_attribute_docstring(module: ModuleType, name: str) -> bool:
    """Whether ``name = ...`` in the module (or its submodules) is followed by a string."""
    files = [Path(inspect.getfile(module))]
    if files[0].name == "__init__.py":
        files = sorted(files[0].parent.rglob("*.py"))
    for file in files:
        body = ast.parse(file.read_text(encoding="utf-8")).body
        for statement, following in itertools.pairwise(body):
            targets = (
                statement.targets
                if isinstance(statement, ast.Assign)
                else [statement.target]
                if isinstance(statement, ast.AnnAssign)
                else []
            )
            named = any(isinstance(t, ast.Name) and t.id == name for t in targets)
            if named and isinstance(following, ast.Expr):
                value = following.value
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    return True
    if len(files) == 1:  # a module re-exporting a name from a lower module: its docstring is there
        for statement in ast.parse(files[0].read_text(encoding="utf-8")).body:
            if not (isinstance(statement, ast.ImportFrom) and statement.level and statement.module):
                continue
            if any(alias.name == name and alias.asname is None for alias in statement.names):
                source = importlib.util.resolve_name(
                    "." * statement.level + statement.module, module.__package__
                )
                if _has_attribute_docstring(importlib.import_module(source), name):
                    return True
    return False


PAGES = _reference_pages()
COVERED = covered_ids(PAGES)


@pytest.mark.parametrize(("module", "name"), _public_names())
def test_public_name_is_in_the_reference(module: str, name: str) -> None:
    obj = getattr(importlib.import_module(module), name)
    assert id(obj) in COVERED, f"{module}.{name} has no entry in docs/reference/"


@pytest.mark.parametrize(("module", "name"), _public_names())
def test_public_name_has_a_docstring(module: str, name: str) -> None:
    mod = importlib.import_module(module)
    obj = getattr(mod, name)
    if inspect.isclass(obj) or inspect.isroutine(obj):
        assert inspect.getdoc(obj), f"{module}.{name} has no docstring"
    else:
        assert _has_attribute_docstring(mod, name), f"{module}.{name} has no docstring"


@pytest.mark.parametrize(("platform", "settings"), _settings_classes())
def test_provider_settings_are_in_the_reference(platform: str, settings: type) -> None:
    assert id(settings) in COVERED, f"{platform}: {settings.__name__} is not in the reference"
    assert inspect.getdoc(settings), f"{platform}: {settings.__name__} has no docstring"


def test_a_name_left_out_of_the_reference_is_found() -> None:
    """The check itself: a page that stops rendering a public name leaves it uncovered."""
    pages = dict(PAGES)
    pages["replies.md"] = pages["replies.md"].replace(
        "::: socialkit.replies", "::: socialkit.replies\n    options:\n      members: [Inbox]"
    )
    covered = covered_ids(pages)
    from socialkit.replies import Inbox, InboxItem

    assert id(Inbox) in covered
    assert id(InboxItem) not in covered


def test_every_reference_page_is_in_the_navigation() -> None:
    nav = (REFERENCE.parents[1] / "mkdocs.yml").read_text(encoding="utf-8")
    missing = [page for page in PAGES if f"reference/{page}" not in nav]
    assert not missing, f"reference pages missing from mkdocs.yml nav: {missing}"


def _inventory(site: Path) -> set[str]:
    """The object names in a built site's ``objects.inv`` (Sphinx inventory v2)."""
    data = (site / "objects.inv").read_bytes()
    body = zlib.decompress(data.split(b"\n", 4)[4]).decode("utf-8")
    return {line.split(" ", 1)[0] for line in body.splitlines() if line}


@pytest.mark.skipif(
    not os.environ.get("SOCIALKIT_DOCS_SITE"),
    reason="needs a built site: SOCIALKIT_DOCS_SITE=DIR after `mkdocs build --site-dir DIR`",
)
def test_built_site_renders_every_public_name() -> None:
    """mkdocstrings really rendered every name: it is in the site's inventory."""
    rendered = _inventory(Path(os.environ["SOCIALKIT_DOCS_SITE"]))
    missing = []
    for module, name in _public_names():
        obj = getattr(importlib.import_module(module), name)
        home = getattr(obj, "__module__", None) or module
        candidates = {f"{module}.{name}", f"{home}.{name}"}
        if module == "socialkit":
            candidates |= {f"{m}.{name}" for m in PUBLIC_MODULES}
        if not candidates & rendered:
            missing.append(f"{module}.{name}")
    assert not missing, f"not rendered in the built site: {missing}"
