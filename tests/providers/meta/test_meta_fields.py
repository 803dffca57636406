"""Field selections are read back to their top-level names."""

from __future__ import annotations

from socialkit.providers.meta.fields import roots, select


def test_select_joins_fields() -> None:
    assert select("id", "message") == "id,message"


def test_roots_drop_nesting_and_modifiers() -> None:
    selection = "id,from{id,name},comments.summary(total_count).limit(0),replies{id,text}"
    assert roots(selection) == ["id", "from", "comments", "replies"]
