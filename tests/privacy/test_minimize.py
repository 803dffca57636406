"""Field-level minimisation profiles and custom field sets."""

from __future__ import annotations

import pytest

from socialkit.models import Comment, Metric, Post
from socialkit.privacy import PROFILES, Profile, Pseudonymizer, minimize, project

from .conftest import ALICE, at


def test_analytics_drops_text(pseudonymizer: Pseudonymizer, alice_post: Post) -> None:
    [post] = minimize([alice_post], pseudonymizer=pseudonymizer)
    assert post.text == ""
    assert [m.alt_text for m in post.media] == [None]


def test_analytics_drops_raw_and_urls(pseudonymizer: Pseudonymizer, alice_post: Post) -> None:
    [post] = minimize([alice_post], profile="analytics", pseudonymizer=pseudonymizer)
    assert (post.raw, post.url, post.media[0].url) == (None, None, None)


def test_analytics_makes_authors_pseudonymous(
    pseudonymizer: Pseudonymizer, alice_post: Post
) -> None:
    [post] = minimize([alice_post], pseudonymizer=pseudonymizer)
    assert post.author is not None
    assert (post.author.id, post.author.display_name, post.author.avatar_url) == (
        pseudonymizer.pseudonym(ALICE.id, platform="mastodon"),
        None,
        None,
    )


def test_analytics_keeps_ids_platform_time_and_metrics(
    pseudonymizer: Pseudonymizer, alice_post: Post
) -> None:
    [post] = minimize([alice_post], pseudonymizer=pseudonymizer)
    assert (post.platform, post.id, post.created_at, post.metrics, post.visibility) == (
        "mastodon",
        "p-100",
        at(10),
        {"likes": 5, "shares": 2},
        "public",
    )


def test_analytics_is_the_default_profile(pseudonymizer: Pseudonymizer, alice_post: Post) -> None:
    assert minimize([alice_post], pseudonymizer=pseudonymizer) == minimize(
        [alice_post], profile="analytics", pseudonymizer=pseudonymizer
    )


def test_analytics_without_a_pseudonymizer_is_refused(alice_post: Post) -> None:
    with pytest.raises(ValueError, match="pseudonymizer="):
        minimize([alice_post])


def test_analytics_pseudonymizes_account_metrics(
    pseudonymizer: Pseudonymizer, account_metric: Metric
) -> None:
    [metric] = minimize([account_metric], pseudonymizer=pseudonymizer)
    assert metric.subject_id == pseudonymizer.pseudonym(ALICE.id, platform="mastodon")


def test_support_redacts_pii_in_text(alice_comment: Comment) -> None:
    [comment] = minimize([alice_comment], profile="support")
    assert comment.text == "My card [CARD] was charged twice!"


def test_support_keeps_the_author_and_drops_raw(alice_comment: Comment) -> None:
    [comment] = minimize([alice_comment], profile="support")
    assert comment.author == ALICE
    assert comment.author is not None
    assert (comment.raw, comment.author.raw) == (None, None)
    assert comment.url == alice_comment.url


def test_none_profile_returns_records_unchanged(alice_post: Post) -> None:
    [post] = minimize([alice_post], profile="none")
    assert post is alice_post


def test_minimize_keeps_order_and_mixed_types(
    pseudonymizer: Pseudonymizer, alice_post: Post, alice_comment: Comment
) -> None:
    records: list[Comment | Post] = [alice_comment, alice_post]
    out = minimize(records, pseudonymizer=pseudonymizer)
    assert [(type(r).__name__, r.id) for r in out] == [("Comment", "c-200"), ("Post", "p-100")]


def test_custom_keep_returns_dicts_with_only_those_fields(alice_post: Post) -> None:
    assert minimize([alice_post], keep={"id", "created_at"}) == [
        {"created_at": at(10), "id": "p-100"}
    ]


def test_custom_keep_follows_the_order_of_a_sequence(alice_post: Post) -> None:
    [row] = minimize([alice_post], keep=["platform", "id"])
    assert list(row) == ["platform", "id"]


def test_custom_keep_reaches_nested_fields(alice_post: Post) -> None:
    assert minimize([alice_post], keep=["type", "author.id", "metrics.likes"]) == [
        {"type": "post", "author": {"id": ALICE.id}, "metrics": {"likes": 5}}
    ]


def test_custom_keep_after_a_profile_sees_the_minimised_record(
    pseudonymizer: Pseudonymizer, alice_post: Post
) -> None:
    rows = minimize(
        [alice_post], keep={"author.id"}, profile="analytics", pseudonymizer=pseudonymizer
    )
    assert rows == [{"author": {"id": pseudonymizer.pseudonym(ALICE.id, platform="mastodon")}}]


def test_custom_keep_leaves_out_fields_the_record_lacks(alice_post: Post) -> None:
    assert minimize([alice_post], keep=["id", "post_id"]) == [{"id": "p-100"}]


def test_unknown_field_is_refused(alice_post: Post) -> None:
    with pytest.raises(ValueError, match="unknown field"):
        minimize([alice_post], keep={"id", "txt"})


def test_unknown_profile_is_refused(alice_post: Post) -> None:
    with pytest.raises(ValueError, match="unknown profile"):
        minimize([alice_post], profile="marketing")


def test_custom_profile_is_applied(alice_post: Post) -> None:
    text_only = Profile("redacted-public", text="redact", urls=False)
    [post] = minimize([alice_post], profile=text_only)
    assert "[EMAIL]" in post.text
    assert (post.url, post.raw, post.author and post.author.url) == (None, None, None)


def test_profile_with_pseudonymous_authors_must_drop_urls() -> None:
    with pytest.raises(ValueError, match="urls=False"):
        Profile("leaky", authors="pseudonymize", urls=True)


def test_profile_with_pseudonymous_authors_must_not_keep_text() -> None:
    with pytest.raises(ValueError, match="redact or drop"):
        Profile("leaky", authors="pseudonymize", urls=False)


def test_profile_with_pseudonymous_authors_and_redacted_text(
    pseudonymizer: Pseudonymizer, alice_post: Post
) -> None:
    research = Profile("research", text="redact", authors="pseudonymize", urls=False)
    [post] = minimize([alice_post], profile=research, pseudonymizer=pseudonymizer)
    bob = pseudonymizer.pseudonym("bob", platform="mastodon", namespace="handle")
    assert post.text.endswith(f"cc @{bob}")
    assert "Alice" not in post.text


def test_builtin_profiles_are_named() -> None:
    assert set(PROFILES) == {"analytics", "support", "none"}


def test_project_gives_the_record_type(alice_comment: Comment) -> None:
    projected = project(alice_comment, ["type", "thread_root_id"])
    assert projected == {"type": "comment", "thread_root_id": "p-1"}
