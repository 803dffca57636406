"""Keyed pseudonyms: stable per key, unlinkable across keys, rotatable, never leaking."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from socialkit.models import Account, Comment, Mention, Metric, Post
from socialkit.privacy import AnyRecord, Pseudonymizer

from .conftest import ALICE, BOB, BRAND, KEY, OTHER_KEY

SRC = Path(__file__).resolve().parents[2] / "src"


def pseudonym_in_subprocess(key: str, value: str, namespace: str) -> str:
    code = (
        "import sys; from socialkit.privacy import Pseudonymizer; "
        "print(Pseudonymizer(sys.argv[1]).pseudonym(sys.argv[2], namespace=sys.argv[3]))"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC), "PYTHONHASHSEED": "random"}
    result = subprocess.run(
        [sys.executable, "-c", code, key, value, namespace],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return result.stdout.strip()


def test_pseudonym_is_stable_across_processes(pseudonymizer: Pseudonymizer) -> None:
    assert pseudonym_in_subprocess(KEY, ALICE.id, "account") == pseudonymizer.pseudonym(ALICE.id)


def test_handle_pseudonym_is_stable_across_processes(pseudonymizer: Pseudonymizer) -> None:
    assert pseudonym_in_subprocess(KEY, "alice_w", "handle") == pseudonymizer.pseudonym(
        "alice_w", namespace="handle"
    )


def test_pseudonyms_differ_under_two_keys() -> None:
    assert Pseudonymizer(KEY).pseudonym(ALICE.id) != Pseudonymizer(OTHER_KEY).pseudonym(ALICE.id)


def test_pseudonyms_differ_between_values(pseudonymizer: Pseudonymizer) -> None:
    assert pseudonymizer.pseudonym("1") != pseudonymizer.pseudonym("2")


def test_namespaces_give_unrelated_pseudonyms(pseudonymizer: Pseudonymizer) -> None:
    as_account = pseudonymizer.pseudonym("alice")
    as_handle = pseudonymizer.pseudonym("alice", namespace="handle")
    assert as_account[2:] != as_handle[2:]


def test_pseudonym_is_a_short_prefixed_token(pseudonymizer: Pseudonymizer) -> None:
    assert re.fullmatch(r"u_[0-9a-f]{16}", pseudonymizer.pseudonym(ALICE.id, platform="mastodon"))
    assert re.fullmatch(r"h_[0-9a-f]{16}", pseudonymizer.pseudonym("x", namespace="handle"))
    assert re.fullmatch(r"p_[0-9a-f]{16}", pseudonymizer.pseudonym("x", namespace="email"))


def test_handles_ignore_case_and_leading_at(pseudonymizer: Pseudonymizer) -> None:
    assert pseudonymizer.pseudonym("@Alice_W", namespace="handle") == pseudonymizer.pseudonym(
        "alice_w", namespace="handle"
    )


def test_str_and_bytes_keys_agree() -> None:
    assert Pseudonymizer(KEY).pseudonym("1") == Pseudonymizer(KEY.encode()).pseudonym("1")


def test_key_never_appears_in_repr_or_str() -> None:
    p = Pseudonymizer(KEY, previous_keys=[OTHER_KEY]).rotate("n" * 32)
    for text in (repr(p), str(p)):
        assert "k" * 16 not in text
        assert "another-secret" not in text
        assert "n" * 16 not in text


def test_short_key_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 16 bytes"):
        Pseudonymizer("secret")


def test_generated_key_is_usable() -> None:
    key = Pseudonymizer.generate_key()
    assert len(key) == 32
    assert Pseudonymizer(key).pseudonym("1").startswith("u_")


def test_matches_recognises_own_pseudonym(pseudonymizer: Pseudonymizer) -> None:
    assert pseudonymizer.matches(ALICE.id, pseudonymizer.pseudonym(ALICE.id))


def test_matches_rejects_another_value(pseudonymizer: Pseudonymizer) -> None:
    assert not pseudonymizer.matches(BOB.id, pseudonymizer.pseudonym(ALICE.id, platform="mastodon"))


def test_rotation_changes_pseudonyms(pseudonymizer: Pseudonymizer) -> None:
    rotated = pseudonymizer.rotate(OTHER_KEY)
    assert rotated.pseudonym(ALICE.id) == Pseudonymizer(OTHER_KEY).pseudonym(ALICE.id)
    assert rotated.pseudonym(ALICE.id) != pseudonymizer.pseudonym(ALICE.id, platform="mastodon")


def test_rotated_pseudonymizer_matches_pseudonyms_of_the_old_key(
    pseudonymizer: Pseudonymizer,
) -> None:
    old = pseudonymizer.pseudonym(ALICE.id, platform="mastodon")
    assert pseudonymizer.rotate(OTHER_KEY).matches(ALICE.id, old, platform="mastodon")


def test_rotation_keeps_every_previous_key(pseudonymizer: Pseudonymizer) -> None:
    first = pseudonymizer.pseudonym(ALICE.id)
    twice = pseudonymizer.rotate(OTHER_KEY).rotate("z" * 32)
    assert twice.matches(ALICE.id, first)


def test_old_pseudonymizer_does_not_match_new_pseudonyms(pseudonymizer: Pseudonymizer) -> None:
    new = pseudonymizer.rotate(OTHER_KEY).pseudonym(ALICE.id)
    assert not pseudonymizer.matches(ALICE.id, new)


def test_pseudonymized_post_has_a_pseudonymous_author(
    pseudonymizer: Pseudonymizer, alice_post: Post
) -> None:
    author = pseudonymizer.pseudonymize(alice_post).author
    assert author == Account(
        platform="mastodon",
        id=pseudonymizer.pseudonym(ALICE.id, platform="mastodon"),
        handle=pseudonymizer.pseudonym(ALICE.handle, platform="mastodon", namespace="handle"),
        followers=None,
    )


def test_pseudonymized_post_drops_raw_and_urls(
    pseudonymizer: Pseudonymizer, alice_post: Post
) -> None:
    safe = pseudonymizer.pseudonymize(alice_post)
    assert (safe.raw, safe.url, safe.author and safe.author.raw) == (None, None, None)
    assert [(m.url, m.preview_url) for m in safe.media] == [(None, None)]


def test_pseudonymized_post_keeps_ids_time_and_metrics(
    pseudonymizer: Pseudonymizer, alice_post: Post
) -> None:
    safe = pseudonymizer.pseudonymize(alice_post)
    assert (safe.id, safe.platform, safe.created_at, safe.metrics) == (
        alice_post.id,
        alice_post.platform,
        alice_post.created_at,
        alice_post.metrics,
    )


def test_mentioned_handles_become_the_handle_pseudonym(
    pseudonymizer: Pseudonymizer, alice_post: Post
) -> None:
    text = pseudonymizer.pseudonymize(alice_post).text
    assert (
        "@" + pseudonymizer.pseudonym(BRAND.handle, platform="mastodon", namespace="handle") in text
    )
    assert (
        "@" + pseudonymizer.pseudonym(BOB.handle, platform="mastodon", namespace="handle") in text
    )


def test_mention_in_text_links_to_the_authors_pseudonymous_handle(
    pseudonymizer: Pseudonymizer, bob_post: Post, alice_post: Post
) -> None:
    mention_text = pseudonymizer.pseudonymize(bob_post).text
    alice = pseudonymizer.pseudonymize(alice_post).author
    assert alice is not None
    assert mention_text == f"hello @{alice.handle}"


def test_pseudonymized_text_has_pii_redacted(
    pseudonymizer: Pseudonymizer, alice_post: Post
) -> None:
    text = pseudonymizer.pseudonymize(alice_post).text
    assert "[EMAIL]" in text
    assert "[PHONE]" in text


def test_original_values_never_appear_in_pseudonymized_json(
    pseudonymizer: Pseudonymizer,
    alice_post: Post,
    alice_comment: Comment,
    alice_mention: Mention,
    account_metric: Metric,
) -> None:
    records: list[AnyRecord] = [alice_post, alice_comment, alice_mention, account_metric, ALICE]
    dumped = " ".join(pseudonymizer.pseudonymize(r).model_dump_json() for r in records)
    for secret in (
        ALICE.id,
        ALICE.handle,
        "Alice",
        "Wonderland",
        "mastodon.example",
        "alice.w@example.com",
        "13812345678",
        "4111",
        "203.0.113.9",
    ):
        assert secret.lower() not in dumped.lower(), secret


def test_pseudonymized_comment_keeps_its_thread(
    pseudonymizer: Pseudonymizer, alice_comment: Comment
) -> None:
    safe = pseudonymizer.pseudonymize(alice_comment)
    assert (safe.id, safe.thread_root_id, safe.reply_to_id) == ("c-200", "p-1", "p-1")
    assert safe.text == "My card [CARD] was charged twice!"


def test_pseudonymized_mention_keeps_kind_and_post(
    pseudonymizer: Pseudonymizer, alice_mention: Mention
) -> None:
    safe = pseudonymizer.pseudonymize(alice_mention)
    assert (safe.kind, safe.post_id) == ("mention", "p-300")
    assert safe.author is not None
    assert safe.author.id == pseudonymizer.pseudonym(ALICE.id, platform="mastodon")


def test_account_metric_gets_a_pseudonymous_subject(
    pseudonymizer: Pseudonymizer, account_metric: Metric
) -> None:
    safe = pseudonymizer.pseudonymize(account_metric)
    assert safe.subject_id == pseudonymizer.pseudonym(ALICE.id, platform="mastodon")
    assert safe.value == 321


def test_post_metric_is_left_alone(pseudonymizer: Pseudonymizer) -> None:
    metric = Metric(platform="x", subject="post", subject_id="99", name="likes", value=3)
    assert pseudonymizer.pseudonymize(metric) == metric


def test_pseudonymize_returns_the_same_record_type(
    pseudonymizer: Pseudonymizer, alice_comment: Comment
) -> None:
    assert type(pseudonymizer.pseudonymize(alice_comment)) is Comment
    assert type(pseudonymizer.pseudonymize(ALICE)) is Account


def test_fediverse_handles_in_text_are_pseudonymized(pseudonymizer: Pseudonymizer) -> None:
    text = pseudonymizer.pseudonymize_text("thanks @carol@social.example!")
    token = pseudonymizer.pseudonym("carol@social.example", namespace="handle")
    assert text == f"thanks @{token}!"


def test_chinese_weibo_handles_are_pseudonymized(pseudonymizer: Pseudonymizer) -> None:
    text = pseudonymizer.pseudonymize_text("转发给@小明 看看", platform="weibo")
    assert (
        text
        == f"转发给@{pseudonymizer.pseudonym('小明', platform='weibo', namespace='handle')} 看看"
    )


def test_email_addresses_are_not_taken_for_handles(pseudonymizer: Pseudonymizer) -> None:
    assert pseudonymizer.pseudonymize_text("bob@example.com") == "[EMAIL]"


def test_profile_links_in_text_are_pseudonymized(pseudonymizer: Pseudonymizer) -> None:
    text = pseudonymizer.pseudonymize_text("see https://mastodon.example/@dave")
    assert (
        text
        == f"see https://mastodon.example/@{pseudonymizer.pseudonym('dave', namespace='handle')}"
    )


def test_authors_own_id_and_name_in_text_are_pseudonymized(pseudonymizer: Pseudonymizer) -> None:
    text = pseudonymizer.pseudonymize_text(
        f"I am Alice Wonderland, account {ALICE.id}", author=ALICE
    )
    handle = pseudonymizer.pseudonym(ALICE.handle, platform="mastodon", namespace="handle")
    assert (
        text == f"I am {handle}, account {pseudonymizer.pseudonym(ALICE.id, platform='mastodon')}"
    )


def test_short_ids_in_text_are_left_alone(pseudonymizer: Pseudonymizer) -> None:
    assert pseudonymizer.pseudonymize_text("bought 2002 items", author=BOB) == "bought 2002 items"


def test_equal_ids_on_different_platforms_get_different_pseudonyms(
    pseudonymizer: Pseudonymizer,
) -> None:
    on_mastodon = pseudonymizer.pseudonymize(ALICE)
    on_x = pseudonymizer.pseudonymize(ALICE.model_copy(update={"platform": "x"}))
    assert on_mastodon.id != on_x.id
    assert on_mastodon.handle != on_x.handle


def test_equal_ids_on_different_instances_get_different_pseudonyms(
    pseudonymizer: Pseudonymizer,
) -> None:
    social = pseudonymizer.for_instance("mastodon.social").pseudonymize(BRAND)
    fosstodon = pseudonymizer.for_instance("fosstodon.org").pseudonymize(BRAND)
    assert social.id != fosstodon.id
    assert pseudonymizer.for_instance("Mastodon.Social").pseudonymize(BRAND).id == social.id


def test_instance_scope_survives_rotation(pseudonymizer: Pseudonymizer) -> None:
    scoped = pseudonymizer.for_instance("mastodon.social")
    old = scoped.pseudonymize(BRAND).id
    assert scoped.rotate(OTHER_KEY).matches(BRAND.id, old, platform="mastodon")
    assert not pseudonymizer.rotate(OTHER_KEY).matches(BRAND.id, old, platform="mastodon")
