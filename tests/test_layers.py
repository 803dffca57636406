"""The house: imports only go down the layers of DESIGN.md, and no module circles back.

Every ``import`` in ``src/socialkit`` counts, type-only ones and imports inside functions
too (a circle through ``TYPE_CHECKING`` or a late import is still two modules that must
know each other). There is no list of allowed exceptions: there are none.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

# Lowest first. A module belongs to the first layer with a prefix of its name.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    (
        "ground",
        (
            "models",
            "errors",
            "clock",
            "_html",
            "_records",
            "_figures",
            "_version",
            "_progress",
            "_optional",
            "_sqlite",
            "_db",
            "_status",
            "crashpoints",
            "steps",
        ),
    ),
    # the types drivers apply and refresh: below the platform, which names its credential
    ("credentials", ("credentials",)),
    ("interface", ("platform", "text", "uploads", "utm", "events.types", "events.stream")),
    ("http", ("http", "events.watch", "events", "_aiohttp", "_pool", "_websocket")),
    ("drivers", ("client", "pagination", "registry", "auth")),
    ("providers", ("providers",)),
    ("testing", ("testing",)),
    (
        "helpers",
        (
            "calendar",
            "replies",
            "monitoring",
            "crosspost",
            "metrics",
            "privacy",
            "webhooks",
            "engines",
        ),
    ),
    (
        "face",
        (
            "cli",
            "__main__",
            "demo",
            "auth.cli",
            "calendar.cli",
            "calendar.demo",
            "replies.cli",
            "replies.demo",
        ),
    ),
]


def _module(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module(path): path for path in SRC.rglob("*.py")}


def _targets(module: str, is_package: bool, node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    base = module.split(".") if is_package else module.split(".")[:-1]
    if node.level:
        base = base[: len(base) - node.level + 1]
        prefix = ".".join([*base, *([node.module] if node.module else [])])
    else:
        prefix = node.module or ""
    for alias in node.names:
        name = f"{prefix}.{alias.name}"
        yield name if name in MODULES else prefix


def imports() -> dict[str, set[str]]:
    """Each module and the socialkit modules it imports (the nearest existing module)."""
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for target in _targets(module, path.name == "__init__.py", node):
                    while target not in MODULES and "." in target:
                        target = target.rsplit(".", 1)[0]
                    if target.startswith("socialkit") and target != module:
                        found.add(target)
        graph[module] = found
    return graph


def layer(module: str) -> int:
    """The layer's index (0 = ground); the top-level package is above everything."""
    if module == "socialkit":
        return len(LAYERS)
    name = module.removeprefix("socialkit.")
    best = (-1, 0)  # (length of the longest matching prefix, layer)
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > best[0]:
                best = (len(prefix), index)
    assert best[0] >= 0, f"{module} is in no layer: add it to LAYERS"
    return best[1]


def crossings(graph: dict[str, set[str]]) -> set[tuple[str, str]]:
    """Imports that reach a higher layer."""
    return {(a, b) for a, targets in graph.items() for b in targets if layer(b) > layer(a)}


def circles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(frozenset(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


GRAPH = imports()


def test_every_module_has_a_layer() -> None:
    for module in MODULES:
        layer(module)


def test_no_import_reaches_up_a_layer() -> None:
    found = crossings(GRAPH)
    assert not found, f"imports reaching a higher layer: {sorted(found)}"


def test_no_circle() -> None:
    found = circles(GRAPH)
    assert not found, f"modules importing each other: {[sorted(c) for c in found]}"


def test_an_upward_import_is_caught() -> None:
    """The check itself: a model importing the client is a crossing and a circle."""
    graph = {module: set(targets) for module, targets in GRAPH.items()}
    graph["socialkit.models"].add("socialkit.client")
    assert ("socialkit.models", "socialkit.client") in crossings(graph)
    assert any({"socialkit.models", "socialkit.client"} <= c for c in circles(graph))


def drivers_reached_by_providers(graph: dict[str, set[str]]) -> set[tuple[str, str]]:
    """Provider imports of a driver, a login or a token store (DESIGN: a provider never
    imports a driver: its credential types come from ``socialkit.credentials``)."""
    drivers = next(index for index, (name, _) in enumerate(LAYERS) if name == "drivers")
    return {
        (a, b)
        for a, targets in graph.items()
        if a.startswith("socialkit.providers.")
        for b in targets
        if layer(b) == drivers
    }


def test_a_provider_imports_no_driver() -> None:
    found = drivers_reached_by_providers(GRAPH)
    assert not found, f"providers importing the drivers' floor: {sorted(found)}"


def test_a_provider_importing_the_auth_package_is_caught() -> None:
    graph = {module: set(targets) for module, targets in GRAPH.items()}
    graph["socialkit.providers.x.auth"].add("socialkit.auth")
    assert ("socialkit.providers.x.auth", "socialkit.auth") in drivers_reached_by_providers(graph)
