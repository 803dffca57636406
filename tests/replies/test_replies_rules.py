"""Triage rules: order is precedence, stop ends evaluation, bad rules fail at load time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from replies_support import make_item

from socialkit.errors import ConfigError
from socialkit.replies import Inbox, Rule, RuleSet, Stage
from socialkit.testing import Sandbox

TOML = """
[variables]
faq = "https://example.com/faq"

[templates.shipping]
en = "Hi $name! Shipping details: $faq"
zh = "$name 您好！配送详情：$faq"

[[rules]]
name = "shipping-faq"
when = { keywords = ["ship*", "发货"], sentiment = { above = -0.05 } }
then = { label = "faq", auto_reply = "shipping", stop = true }

[[rules]]
name = "complaints"
when = { sentiment = "negative" }
then = { label = ["complaint"], priority = "high", assign = "care" }

[[rules]]
name = "vip"
when = { author = ["bob", "vip_*"] }
then = { label = "vip", priority = "urgent" }
"""


def test_labels_accumulate_and_the_first_priority_wins() -> None:
    rules = RuleSet.from_toml(TOML)

    decision = rules.evaluate(make_item(text="this is awful", handle="bob", sentiment=-0.6))

    assert decision.matched == ("complaints", "vip")
    assert decision.labels == ("complaint", "vip")
    assert decision.priority == "high"  # the earlier rule set it first
    assert decision.assignee == "care"


def test_reordering_rules_changes_the_winner() -> None:
    data = {
        "rules": [
            {"name": "vip", "when": {"author": "bob"}, "then": {"priority": "urgent"}},
            {"name": "all", "then": {"priority": "low"}},
        ]
    }

    first = RuleSet.from_dict(data).evaluate(make_item(handle="bob"))
    data["rules"].reverse()
    second = RuleSet.from_dict(data).evaluate(make_item(handle="bob"))

    assert (first.priority, second.priority) == ("urgent", "low")


def test_stop_ends_evaluation() -> None:
    rules = RuleSet.from_toml(TOML)

    decision = rules.evaluate(make_item(text="do you ship to Oslo?", handle="bob"))

    assert decision.matched == ("shipping-faq",)
    assert decision.labels == ("faq",)
    assert decision.auto_reply == "shipping"
    assert decision.outcome == "auto_reply"


def test_escalate_beats_ignore_beats_auto_reply() -> None:
    rules = RuleSet(
        [
            {"name": "answer", "then": {"auto_reply": "t"}},
            {"name": "drop", "when": {"keywords": "spam"}, "then": {"ignore": True}},
            {"name": "legal", "when": {"keywords": "lawyer"}, "then": {"escalate": True}},
        ],
        templates={"t": "ok"},
    )

    assert rules.evaluate(make_item(text="hi")).outcome == "auto_reply"
    assert rules.evaluate(make_item(text="spam here")).outcome == "ignored"
    assert rules.evaluate(make_item(text="spam, my lawyer says")).outcome == "escalated"


@pytest.mark.parametrize(
    ("when", "item_kwargs", "expected"),
    [
        ({"regex": r"order\s+#?\d{5}"}, {"text": "order 48213 is late"}, True),
        ({"regex": r"order\s+#?\d{5}"}, {"text": "order late"}, False),
        ({"language": "zh"}, {"language": "zh"}, True),
        ({"language": ["zh", "ja"]}, {"language": "en"}, False),
        ({"sentiment": {"below": -0.5}}, {"sentiment": -0.7}, True),
        ({"sentiment": {"below": -0.5}}, {"sentiment": -0.2}, False),
        ({"sentiment": "positive"}, {"sentiment": 0.4}, True),
        ({"platform": "bluesky"}, {"platform": "mastodon"}, False),
        ({"post": "p9"}, {"kind": "comment", "thread_root_id": "p9"}, True),
        ({"kind": "comment"}, {"kind": "comment"}, True),
        ({"kind": "comment"}, {"kind": "mention"}, False),
        ({"keywords": "ship*"}, {"text": "Shipping costs?"}, True),
        ({"keywords": "ship"}, {"text": "relationship goals"}, False),
        ({"keywords": "发货"}, {"text": "什么时候发货"}, True),
        ({"author": "@Vip_*"}, {"handle": "vip_anna"}, True),
    ],
)
def test_each_condition(
    when: dict[str, object], item_kwargs: dict[str, object], expected: bool
) -> None:
    rules = RuleSet([{"name": "r", "when": when, "then": {"label": "hit"}}])

    assert (rules.evaluate(make_item(**item_kwargs)).matched == ("r",)) is expected  # type: ignore[arg-type]


def test_rules_load_from_json(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"rules": [{"name": "a", "then": {"label": "x"}}]}))

    assert [r.name for r in RuleSet.load(path).rules] == ["a"]


def test_rules_load_from_a_toml_file(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(TOML, encoding="utf-8")

    rules = RuleSet.load(path)

    assert [r.name for r in rules.rules] == ["shipping-faq", "complaints", "vip"]
    assert rules.templates["shipping"].variables == {"faq": "https://example.com/faq"}


def test_rules_accept_rule_objects() -> None:
    rule = Rule.model_validate({"name": "a", "when": {"keywords": ["x"]}, "then": {"label": "y"}})

    assert RuleSet([rule]).evaluate(make_item(text="x")).labels == ("y",)


@pytest.mark.parametrize(
    ("text", "field", "words"),
    [
        ('[[rules]]\nname = "bad"\nwhen = { regex = "(" }', "rules[0].when.regex", "bad"),
        ('[[rules]]\nname = "typo"\nwhen = { keyword = "x" }', "rules[0].when.keyword", "typo"),
        ('[[rules]]\nname = "p"\nthen = { priority = "asap" }', "rules[0].then.priority", "p"),
        ('[[rules]]\nname = "s"\nwhen = { sentiment = "angry" }', "rules[0].when.sentiment", "s"),
        ('[[rules]]\nname = "t"\nthen = { auto_reply = "nope" }', "rules[0].then.auto_reply", "t"),
        ('[[rules]]\nname = "k"\nwhen = { keywords = ["*"] }', "rules[0].when.keywords", "k"),
        ('[[rules]]\nname = "a"\n[[rules]]\nname = "a"', "rules[1].name", "twice"),
        ('[[rules]]\nwhen = { regex = "x" }', "rules[0].name", "#1"),
        ('[templates.t]\nen = "Hi $nmae"', "t.en", "$nmae"),
        ('[templates.t]\nen = "costs 5$"', "t.en", "$$"),
        ("[rulez]", "rulez", "unknown"),
        ("rules = [", "rules", "TOML"),
    ],
)
def test_invalid_rules_fail_at_load_naming_rule_and_field(
    text: str, field: str, words: str
) -> None:
    with pytest.raises(ConfigError, match=None) as caught:
        RuleSet.from_toml(text)

    assert caught.value.field == field
    assert words in str(caught.value)


def test_invalid_json_fails_at_load() -> None:
    with pytest.raises(ConfigError, match="JSON"):
        RuleSet.from_json("{not json")


def test_sync_applies_rules_and_auto_replies(client: object, sandbox: Sandbox) -> None:
    inbox = Inbox([client], rules=RuleSet.from_toml(TOML), backfill=100)  # type: ignore[list-item]

    inbox.refresh()

    chinese = next(i for i in inbox.items() if "发货" in i.text)
    assert chinese.stage is Stage.APPROVED
    assert chinese.draft is not None
    assert chinese.draft.text == "陈伟 Chen Wei 您好！配送详情：https://example.com/faq"
    canada = next(i for i in inbox.items() if "Canada" in i.text)
    assert canada.stage is Stage.TRIAGED  # negative: a complaint, not a FAQ
    assert (canada.priority, canada.labels, canada.assignee) == (
        "high",
        ("complaint", "vip"),
        "care",
    )
    assert inbox.history(canada)[-1].note == "complaints, vip"


def test_an_auto_reply_too_long_for_the_platform_stays_triaged(client: object) -> None:
    rules = RuleSet(
        [{"name": "long", "then": {"auto_reply": "essay"}}], templates={"essay": "x" * 600}
    )
    inbox = Inbox([client], rules=rules, backfill=100)  # type: ignore[list-item]

    inbox.refresh()

    item = inbox.items()[0]
    assert item.stage is Stage.TRIAGED
    assert item.error is not None
    assert "600" in item.error
