"""Figures that show themselves in Jupyter, built without pyplot (imports matplotlib).

A plain ``matplotlib.figure.Figure`` made without pyplot shows in a notebook only
as ``<Figure size 800x400 with 1 Axes>``: IPython draws figures inline only once
pyplot has set up its inline backend. `ShownFigure` adds ``_repr_png_``, which
IPython's display machinery calls on any object, so a plot renders as an image
whether or not the user imported pyplot (with pyplot's inline backend active,
its formatter draws it instead: once, not twice). No global pyplot state is
touched, so figures never pile up in memory.

Import this module only after ``require("matplotlib", ...)``: matplotlib is an extra.
"""

from __future__ import annotations

import io

from matplotlib.figure import Figure

__all__ = ["ShownFigure"]


class ShownFigure(Figure):
    """A matplotlib ``Figure`` that Jupyter renders as a PNG without pyplot."""

    def _repr_png_(self) -> bytes:
        """The figure as PNG bytes (what a notebook shows)."""
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", bbox_inches="tight")
        return buffer.getvalue()
