"""The formulas: exact values on hand-computed cases, None propagation, zero denominators."""

from __future__ import annotations

from datetime import timedelta

import pytest

from socialkit.metrics import (
    DEFAULT_ENGAGEMENTS,
    Measure,
    amplification_rate,
    conversion_rate,
    ctr,
    engagement_rate,
    engagements,
    growth_rate,
    metric_values,
    rate_base,
    sentiment_ratio,
    share_of_voice,
)
from socialkit.models import Account, Metric, Post

from .conftest import T0

FULL = {
    "likes": 30,
    "comments": 4,
    "shares": 5,
    "quotes": 1,
    "saves": 10,
    "impressions": 1000,
    "reach": 400,
}  # engagements = 30 + 4 + 5 + 1 + 10 = 50


def test_default_engagements_are_likes_comments_shares_quotes_saves() -> None:
    assert DEFAULT_ENGAGEMENTS == ("likes", "comments", "shares", "quotes", "saves")


def test_engagements_sum_the_components() -> None:
    assert engagements(FULL).value == 50


def test_engagement_rate_by_impressions() -> None:
    assert engagement_rate(FULL).value == 0.05


def test_engagement_rate_by_reach() -> None:
    assert engagement_rate(FULL, by="reach").value == 0.125


def test_engagement_rate_by_followers_given_as_a_number() -> None:
    assert engagement_rate(FULL, by="followers", followers=200).value == 0.25


def test_engagement_rate_by_followers_of_an_account() -> None:
    account = Account(platform="x", id="1", handle="brand", followers=500)
    assert engagement_rate(FULL, by="followers", followers=account).value == 0.1


def test_engagement_rate_by_followers_falls_back_to_the_post_author() -> None:
    author = Account(platform="x", id="1", handle="brand", followers=100)
    post = Post(platform="x", id="9", author=author, metrics={"likes": 8, "comments": 2})
    assert engagement_rate(post, by="followers").value == 0.1


def test_engagement_rate_records_its_inputs() -> None:
    rate = engagement_rate(FULL)
    assert dict(rate.inputs) == {
        "likes": 30,
        "comments": 4,
        "shares": 5,
        "quotes": 1,
        "saves": 10,
        "impressions": 1000,
    }
    assert rate.missing == ()
    assert rate.name == "engagement_rate"


def test_engagement_rate_without_impressions_is_none_not_zero() -> None:
    rate = engagement_rate({"likes": 3}, by="impressions")
    assert rate.value is None
    assert "impressions" in rate.missing


def test_engagement_rate_with_zero_impressions_is_none() -> None:
    rate = engagement_rate({"likes": 3, "impressions": 0})
    assert rate.value is None
    assert rate.note == "zero denominator"


def test_unreported_component_is_left_out_and_named_missing() -> None:
    rate = engagement_rate({"likes": 10, "comments": 2, "impressions": 100})
    assert rate.value == 0.12
    assert rate.missing == ("shares", "quotes", "saves")


def test_component_reported_as_none_is_missing() -> None:
    rate = engagement_rate({"likes": 10, "saves": None, "impressions": 100})
    assert rate.value == 0.1
    assert "saves" in rate.missing


def test_strict_engagement_rate_needs_every_component() -> None:
    assert engagement_rate({"likes": 10, "impressions": 100}, strict=True).value is None


def test_engagement_rate_with_no_component_reported_is_none() -> None:
    assert engagement_rate({"impressions": 100}).value is None


def test_include_chooses_the_components() -> None:
    assert engagement_rate(FULL, include=("likes", "shares")).value == 0.035


def test_engagement_rate_of_a_post_reads_its_public_metrics() -> None:
    post = Post(platform="mastodon", id="1", metrics={"likes": 3, "shares": 1, "comments": 1})
    assert engagements(post).value == 5
    assert engagement_rate(post).value is None  # Mastodon reports no impressions


def test_engagement_rate_of_metric_snapshots_uses_the_latest() -> None:
    def metric(name: str, value: int, hours: int) -> Metric:
        collected = T0 + timedelta(hours=hours)
        return Metric(
            platform="x",
            subject="post",
            subject_id="1",
            name=name,
            value=value,
            collected_at=collected,
        )

    snapshots = [metric("likes", 5, 0), metric("likes", 9, 1), metric("impressions", 100, 0)]
    assert engagement_rate(snapshots).value == 0.09


def test_metrics_of_two_posts_are_refused() -> None:
    metrics = [
        Metric(platform="x", subject="post", subject_id=i, name="likes", value=1) for i in "12"
    ]
    with pytest.raises(ValueError, match="more than one subject"):
        metric_values(metrics)


def test_unknown_rate_base_is_refused() -> None:
    with pytest.raises(ValueError, match="by must be"):
        engagement_rate(FULL, by="clicks")  # type: ignore[arg-type]


def test_amplification_rate_is_shares_over_followers() -> None:
    assert amplification_rate(5, 200).value == 0.025


def test_amplification_rate_reads_shares_and_followers_from_metrics() -> None:
    assert amplification_rate({"shares": 6, "followers": 300}).value == 0.02


def test_amplification_rate_without_followers_is_none() -> None:
    rate = amplification_rate(5)
    assert rate.value is None
    assert rate.missing == ("followers",)


def test_amplification_rate_with_zero_followers_is_none() -> None:
    assert amplification_rate(5, 0).value is None


def test_growth_rate_up() -> None:
    assert growth_rate(200, 250).value == 0.25


def test_growth_rate_down() -> None:
    assert growth_rate(200, 150).value == -0.25


def test_growth_rate_from_zero_is_none() -> None:
    assert growth_rate(0, 10).value is None


def test_growth_rate_with_unknown_start_is_none() -> None:
    growth = growth_rate(None, 10)
    assert growth.value is None
    assert growth.missing == ("start",)
    assert dict(growth.inputs) == {"start": None, "end": 10}


def test_conversion_rate_is_conversions_over_clicks() -> None:
    assert conversion_rate(3, 60).value == 0.05


def test_conversion_rate_without_clicks_is_none() -> None:
    assert conversion_rate(3, 0).value is None


def test_ctr_is_clicks_over_impressions() -> None:
    assert ctr(12, 400).value == 0.03


def test_ctr_with_unknown_impressions_is_none() -> None:
    assert ctr(12, None).missing == ("impressions",)


def test_formulas_accept_figures_as_inputs() -> None:
    assert ctr(Measure(12), 400).value == 0.03


def test_share_of_voice_is_the_brand_share_of_all_mentions() -> None:
    assert share_of_voice({"us": 30, "them": 60, "others": 10}, "us").value == 0.3


def test_share_of_voice_of_an_absent_brand_is_none() -> None:
    share = share_of_voice({"them": 60}, "us")
    assert share.value is None
    assert share.missing == ("us",)


def test_share_of_voice_with_an_unknown_competitor_count_is_none() -> None:
    share = share_of_voice({"us": 30, "them": None}, "us")
    assert share.value is None
    assert share.missing == ("them",)


def test_share_of_voice_with_no_mentions_at_all_is_none() -> None:
    assert share_of_voice({"us": 0, "them": 0}, "us").value is None


def test_sentiment_ratio_of_polarised_mentions() -> None:
    assert sentiment_ratio(30, 10).value == 0.75


def test_sentiment_ratio_counts_neutral_mentions() -> None:
    assert sentiment_ratio(30, 10, 60).value == 0.3


def test_sentiment_ratio_of_no_mentions_is_none() -> None:
    assert sentiment_ratio(0, 0, 0).value is None


def test_sentiment_ratio_with_unknown_count_is_none() -> None:
    assert sentiment_ratio(None, 1).missing == ("positive",)


def test_booleans_are_not_numbers() -> None:
    with pytest.raises(TypeError, match="clicks must be a number"):
        ctr(True, 10)


def test_strings_are_not_numbers() -> None:
    with pytest.raises(TypeError):
        growth_rate("10", 20)  # type: ignore[arg-type]


def test_auto_rate_base_is_what_the_platform_reports() -> None:
    mastodon = engagement_rate(
        Post(platform="mastodon", id="1", text="", metrics={"likes": 4, "comments": 1}),
        followers=100,
    )
    x = engagement_rate(
        Post(platform="x", id="1", text="", metrics={"likes": 4, "impressions": 200}),
        followers=100,
    )
    assert mastodon.value == 0.05
    assert "/ followers" in mastodon.formula
    assert x.value == 0.02
    assert "/ impressions" in x.formula


def test_auto_rate_base_falls_back_to_what_was_reported() -> None:
    assert rate_base("x", {"reach": 10}) == "reach"
    assert rate_base("x", {}) == "followers"
    assert rate_base(None, {"views": 5}) == "views"
    assert rate_base("mastodon", {"impressions": 5}) == "followers"
