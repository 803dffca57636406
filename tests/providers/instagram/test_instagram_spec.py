"""The fields, parameters and metrics sent exist in the Instagram node specs (v25.0), for
both logins. Skipped when ``../shared/specs`` is absent."""

from __future__ import annotations

import pytest

from socialkit.providers.instagram import containers, fields
from socialkit.providers.meta.fields import roots

from ..meta.meta_support import enum_values, params_of, readable


@pytest.mark.parametrize(
    ("selection", "nodes"),
    [
        (fields.USER, ("IGUser", "IGUserForIGOnlyAPI")),
        (fields.MEDIA, ("IGMedia", "IGMediaForIGOnlyAPI")),
        (fields.TAGGED, ("IGMedia", "IGMediaForIGOnlyAPI")),
        (fields.HASHTAG_MEDIA, ("IGMedia",)),
        (fields.COMMENTS, ("IGComment",)),
        (fields.MENTIONED_MEDIA, ("IGMedia",)),
        (fields.MENTIONED_COMMENT, ("IGComment",)),
        ("mentioned_media,mentioned_comment", ("IGUser",)),
        (",".join(fields.ACCOUNT_SNAPSHOT), ("IGUser", "IGUserForIGOnlyAPI")),
        ("status_code,status", ("ShadowIGMediaBuilder",)),
        ("quota_usage,config", ("ContentPublishingLimitResponse",)),
    ],
)
def test_selected_fields_exist_on_every_node(selection: str, nodes: tuple[str, ...]) -> None:
    for node in nodes:
        assert set(roots(selection)) <= readable(node), node


@pytest.mark.parametrize("node", ["IGUser", "IGUserForIGOnlyAPI"])
def test_container_parameters_exist(node: str) -> None:
    sent = {
        "image_url",
        "alt_text",
        "caption",
        "media_type",
        "video_url",
        "is_carousel_item",
        "children",
        *containers.OPTIONS,
    }
    assert sent <= params_of(node, "POST", "media")


def test_publishing_takes_the_creation_id() -> None:
    assert params_of("IGUser", "POST", "media_publish") == {"creation_id"}
    assert params_of("IGUserForIGOnlyAPI", "POST", "mediapublish") == {"creation_id"}


@pytest.mark.parametrize(
    ("node", "method", "endpoint", "sent"),
    [
        ("IGMedia", "POST", "comments", {"message"}),
        ("IGComment", "POST", "replies", {"message"}),
        ("IGUser", "POST", "mentions", {"media_id", "comment_id", "message"}),
        ("IGComment", "POST", None, {"hide"}),
        ("ShadowIGHashtag", "GET", "recent_media", {"user_id"}),
        ("IGUser", "GET", "insights", {"metric", "period", "metric_type", "since", "until"}),
    ],
)
def test_parameters_exist_on_the_edge(
    node: str, method: str, endpoint: str | None, sent: set[str]
) -> None:
    assert sent <= params_of(node, method, endpoint)


def test_media_can_be_deleted_with_facebook_login_only() -> None:
    assert params_of("IGMedia", "DELETE", None) == set()
    with pytest.raises(AssertionError):
        params_of("IGMediaForIGOnlyAPI", "DELETE", None)


def test_media_metrics_are_current_metrics() -> None:
    assert set(fields.MEDIA_METRICS) <= enum_values("shadowigmediainsights_metric_enum_param")


def test_account_metrics_are_current_metrics() -> None:
    known = enum_values("shadowiguserinsights_metric_enum_param")
    assert set(fields.ACCOUNT_SERIES) | set(fields.ACCOUNT_TOTALS) <= known
    assert "total_value" in enum_values("shadowiguserinsights_metric_type_enum_param")
