"""Field selections: the ``fields=`` parameter, written and read back.

A selection names a node's fields and edges, with nested selections (``from{id,name}``) and
modifiers (``comments.summary(total_count).limit(0)``).
"""

from __future__ import annotations

__all__ = ["roots", "select"]


def select(*fields: str) -> str:
    """The ``fields=`` value for these fields."""
    return ",".join(fields)


def roots(selection: str) -> list[str]:
    """The top-level field and edge names of a selection, without nesting or modifiers."""
    names: list[str] = []
    depth = 0
    current = ""
    for char in selection + ",":
        if char in "{(":
            depth += 1
        elif char in "})":
            depth -= 1
        elif char == "," and depth == 0:
            names.append(current.split(".")[0].strip())
            current = ""
            continue
        if depth == 0 and char not in "})":
            current += char
    return [name for name in names if name]
