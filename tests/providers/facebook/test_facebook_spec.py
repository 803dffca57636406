"""The fields and parameters sent exist on the Graph API nodes (v25.0 node specs).

Skipped when ``../shared/specs`` is absent.
"""

from __future__ import annotations

import pytest

from socialkit.providers.facebook import fields
from socialkit.providers.meta.fields import roots

from ..meta.meta_support import params_of, readable


@pytest.mark.parametrize(
    ("selection", "node"),
    [
        (fields.PAGE, "Page"),
        (fields.POST, "PagePost"),
        (fields.TAGGED, "PagePost"),
        (fields.COMMENT, "Comment"),
    ],
)
def test_selected_fields_exist_on_the_node(selection: str, node: str) -> None:
    assert set(roots(selection)) <= readable(node)


@pytest.mark.parametrize(
    ("node", "endpoint", "sent"),
    [
        ("Page", "feed", {"message", "link", "attached_media", "published"}),
        ("Page", "photos", {"url", "message", "published", "alt_text_custom"}),
        ("Page", "videos", {"file_url", "source", "description", "title"}),
        ("PagePost", "comments", {"message"}),
        ("Comment", "comments", {"message"}),
        ("Comment", None, {"is_hidden"}),
        ("PagePost", None, {"message"}),
    ],
)
def test_posted_parameters_exist_on_the_edge(
    node: str, endpoint: str | None, sent: set[str]
) -> None:
    assert sent <= params_of(node, "POST", endpoint)


@pytest.mark.parametrize("node", ["Page", "PagePost"])
def test_insights_take_metric_period_since_until(node: str) -> None:
    assert {"metric", "period", "since", "until"} <= params_of(node, "GET", "insights")


def test_comments_take_the_stream_filter() -> None:
    assert "filter" in params_of("PagePost", "GET", "comments")
