"""Suggested answers: the nearest past answers per language, templates first, drafts to approve."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from replies_support import T0, make_item, posts_sent

from socialkit.client import Client
from socialkit.models import Draft
from socialkit.replies import (
    AnswerIndex,
    Inbox,
    InboxItem,
    InboxStore,
    RuleSet,
    Stage,
    Suggester,
    Suggestion,
)
from socialkit.testing import Sandbox

pytest.importorskip("sklearn")

DATA = Path(__file__).parent / "data" / "qa_pairs.json"
PAST = 3  # per intent: the first three questions were answered, the fourth is held apart


def intents() -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = json.loads(DATA.read_text(encoding="utf-8"))["intents"]
    return loaded


def held_apart_hits(index: AnswerIndex) -> dict[str, tuple[int, int, int]]:
    """Per language: (right answer first, right answer in the top 3, questions)."""
    scores: dict[str, tuple[int, int, int]] = {}
    for intent in intents():
        found = index.search(intent["questions"][PAST], language=intent["language"], limit=3)
        texts = [s.text for s in found]
        first, top3, total = scores.get(intent["language"], (0, 0, 0))
        scores[intent["language"]] = (
            first + (texts[:1] == [intent["answer"]]),
            top3 + (intent["answer"] in texts),
            total + 1,
        )
    return scores


@pytest.fixture(scope="module")
def past_index() -> AnswerIndex:
    index = AnswerIndex()
    for intent in intents():
        for question in intent["questions"][:PAST]:
            index.add(question, intent["answer"], language=intent["language"], key=intent["id"])
    return index


def test_the_question_answer_set_has_over_a_hundred_pairs_in_both_languages() -> None:
    pairs = [(i["language"], q) for i in intents() for q in i["questions"]]
    assert len(pairs) >= 100
    assert {"en", "zh"} <= {language for language, _ in pairs}
    assert all(len(i["questions"]) == PAST + 1 for i in intents())


def test_held_apart_questions_find_the_right_answer_in_the_top_three(
    past_index: AnswerIndex,
) -> None:
    scores = held_apart_hits(past_index)
    first = sum(s[0] for s in scores.values())
    top3 = sum(s[1] for s in scores.values())
    total = sum(s[2] for s in scores.values())
    # the figure published in docs/replies.md: 38 of 44 (86 %) in the top 3, 30 first
    assert (first, top3, total) == (30, 38, 44)
    for language, (_, hits, questions) in scores.items():
        assert hits / questions >= 0.75, language


def test_answers_come_back_once_each_with_the_best_score_first(past_index: AnswerIndex) -> None:
    found = past_index.search("how long is shipping to Ohio?", language="en", limit=3)
    assert len({s.text for s in found}) == len(found) == 3
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)
    assert found[0].kind == "past_answer"
    assert found[0].key == "shipping-time"
    assert 0 < found[0].score <= 1


def test_a_language_is_only_answered_from_its_own_past_answers() -> None:
    index = AnswerIndex()
    index.add("When do you ship?", "Within two days.", language="en")
    assert index.search("什么时候发货？", language="zh") == []
    assert index.search("When will you ship?", language="en")[0].text == "Within two days."


def test_the_index_reads_only_replied_items_from_the_store() -> None:
    with InboxStore() as store:
        store.add(
            [
                make_item("mastodon:1", "Do you ship to Canada?", stage=Stage.REPLIED),
                make_item("mastodon:2", "Do you ship to Mexico?", stage=Stage.DRAFTED),
                make_item("mastodon:3", "Do you ship to Peru?", stage=Stage.REPLIED),
            ]
        )
        store.update("mastodon:1", now=T0, draft=Draft(text="Yes, to Canada too!"))
        store.update("mastodon:2", now=T0, draft=Draft(text="Not sent yet"))
        index = AnswerIndex.from_store(store)
    assert len(index) == 1  # the drafted one is not an answer; the other has no reply text
    assert index.search("shipping to Canada?", language="en")[0].text == "Yes, to Canada too!"


# -- through the inbox, against the sandbox ------------------------------------------------


def _answer_canada(inbox: Inbox) -> InboxItem:
    inbox.refresh()
    item = next(i for i in inbox.items() if "Canada" in i.text)
    inbox.draft_reply(item, "Yes! We ship to Canada in 5-7 days.", by="sam")
    inbox.approve(item, by="lee")
    inbox.send()
    return inbox.get(item)


def _new_question(inbox: Inbox, sandbox: Sandbox, text: str) -> InboxItem:
    sandbox.simulate_mention(text, author="carol")
    inbox.refresh()
    return next(i for i in inbox.items("new") if i.handle == "carol")


def test_a_new_question_gets_the_past_answer_drafted_not_sent(
    inbox: Inbox, sandbox: Sandbox
) -> None:
    answered = _answer_canada(inbox)
    assert answered.stage is Stage.REPLIED
    sent_before = posts_sent(sandbox)
    item = _new_question(inbox, sandbox, "Hi, do you also ship orders to Canada?")
    suggester = Suggester(inbox)
    (best, *_) = suggester.suggest(item)
    assert best.text == "Yes! We ship to Canada in 5-7 days."
    assert best.key == answered.key
    drafted = suggester.draft(item, by="sam")
    assert drafted is not None
    assert drafted.stage is Stage.DRAFTED
    assert drafted.draft is not None
    assert drafted.draft.text == best.text
    assert inbox.send().outcomes == []  # waits for approval like any draft
    assert posts_sent(sandbox) == sent_before


def test_a_rule_template_comes_before_past_answers(client: Client, sandbox: Sandbox) -> None:
    rules = RuleSet(
        [{"name": "canada", "when": {"keywords": ["canada"]}, "then": {"auto_reply": "ca"}}],
        templates={"ca": "Hi $name, see https://shop.example/canada"},
    )
    with InboxStore() as store:
        plain = Inbox([client], store, backfill=100)
        _answer_canada(plain)
        item = _new_question(plain, sandbox, "Shipping to Canada?")
        suggestions = Suggester(Inbox([client], store, rules=rules, backfill=100)).suggest(item)
    assert suggestions[0].kind == "template"
    assert suggestions[0].score == 1.0
    assert suggestions[0].key == "ca"
    assert suggestions[0].text.endswith("https://shop.example/canada")
    assert suggestions[1].kind == "past_answer"


def test_a_drafter_rewrites_the_chosen_suggestion(inbox: Inbox, sandbox: Sandbox) -> None:
    _answer_canada(inbox)
    item = _new_question(inbox, sandbox, "Do you ship to Canada?")
    seen: list[tuple[str, str]] = []

    class Polite:
        def rewrite(self, item: InboxItem, suggestion: Suggestion) -> str:
            seen.append((item.key, suggestion.text))
            return f"Thanks for asking! {suggestion.text}"

    drafted = Suggester(inbox, drafter=Polite()).draft(item)
    assert drafted is not None
    assert drafted.draft is not None
    assert drafted.draft.text == "Thanks for asking! Yes! We ship to Canada in 5-7 days."
    assert seen == [(item.key, "Yes! We ship to Canada in 5-7 days.")]
    assert drafted.drafted_by == "suggested:past_answer"


def test_nothing_to_suggest_drafts_nothing(inbox: Inbox, sandbox: Sandbox) -> None:
    inbox.refresh()
    item = inbox.items("new")[0]
    suggester = Suggester(inbox)
    assert suggester.suggest(item) == []
    assert suggester.draft(item) is None
    assert inbox.get(item).stage is Stage.NEW


def test_refresh_learns_the_answers_sent_since(inbox: Inbox, sandbox: Sandbox) -> None:
    suggester = Suggester(inbox)
    assert len(suggester.index) == 0
    _answer_canada(inbox)
    suggester.refresh()
    assert len(suggester.index) == 1


def test_an_answered_item_is_not_suggested_its_own_answer(inbox: Inbox) -> None:
    answered = _answer_canada(inbox)
    assert Suggester(inbox).suggest(answered) == []
