"""MkDocs hook: the capability matrix is generated from the installed providers, never by hand."""

from __future__ import annotations

from typing import Any

MARKER = "<!-- capability-matrix -->"


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    if MARKER not in markdown:
        return markdown
    from socialkit.cli import capability_matrix

    return markdown.replace(MARKER, capability_matrix())
