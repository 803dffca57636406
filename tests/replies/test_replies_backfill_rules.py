"""One backfill default for `Inbox` and `Bot` (start from now), and `Bot` taking a `RuleSet`."""

from __future__ import annotations

import anyio
import pytest
from replies_support import brand_replies, posts_sent

from socialkit.client import AsyncClient, Client
from socialkit.replies import Bot, Inbox, InboxItem, RuleSet, Stage
from socialkit.testing import Sandbox

RULES = """
[templates.shipping]
en = "Hi $name! We ship worldwide."

[[rules]]
name = "shipping"
when = { keywords = ["ship*"] }
then = { label = "faq", auto_reply = "shipping", stop = true }

[[rules]]
name = "lawyers"
when = { keywords = ["lawyer"] }
then = { escalate = true }

[[rules]]
name = "hours"
when = { keywords = ["open"] }
then = { label = "hours", priority = "high" }
"""


def test_an_inbox_with_auto_replies_does_not_answer_what_was_there(
    client: Client, sandbox: Sandbox
) -> None:
    inbox = Inbox([client], rules=RuleSet.from_toml(RULES))

    first = inbox.refresh()
    inbox.send()

    assert first.new == []
    assert inbox.items() == []
    assert posts_sent(sandbox) == 0


def test_an_inbox_answers_what_arrives_after_its_first_refresh(
    client: Client, sandbox: Sandbox
) -> None:
    inbox = Inbox([client], rules=RuleSet.from_toml(RULES))
    inbox.refresh()
    mention = sandbox.simulate_mention("do you ship to Peru?", author="zoe")

    report = inbox.refresh()
    inbox.send()

    assert [i.post_id for i in report.new] == [mention["id"]]
    assert brand_replies(sandbox)[mention["id"]] == 1


def test_an_inbox_backfill_reads_that_many_mentions_first(client: Client) -> None:
    inbox = Inbox([client], comments=False, backfill=1)

    report = inbox.refresh()

    assert len(report.new) == 1


def test_the_first_mention_of_an_account_that_had_none_is_kept(sandbox: Sandbox) -> None:
    with sandbox.client("newcomer") as fresh:
        inbox = Inbox([fresh])
        assert inbox.refresh().new == []
        status = sandbox.simulate_mention("@newcomer hello?", author="zoe")

        report = inbox.refresh()

    assert [i.post_id for i in report.new] == [status["id"]]


def test_a_bot_and_an_inbox_share_the_default() -> None:
    import inspect

    default = inspect.signature(Inbox).parameters["backfill"].default
    assert default == inspect.signature(Bot).parameters["backfill"].default == 0


def test_backlog_true_is_backfill_100_with_a_warning(client: Client) -> None:
    with pytest.warns(DeprecationWarning, match="backfill=100"):
        bot = Bot(client, backlog=True)
    assert bot.backfill == 100


def rules_bot(client: Client | AsyncClient, answered: list[str]) -> Bot:
    bot = Bot(client, rules=RuleSet.from_toml(RULES))

    @bot.on_mention()
    def anything(item: InboxItem) -> str:
        answered.append(item.text)
        return "Thanks, we'll look into it."

    return bot


def test_a_bot_auto_replies_with_its_rules(client: Client, sandbox: Sandbox) -> None:
    handled: list[str] = []
    bot = rules_bot(client, handled)
    bot.run_once()
    mention = sandbox.simulate_mention("do you ship to Peru?", author="zoe")

    report = bot.run_once()

    assert handled == []  # the rule answered; the handler never saw it
    assert [i.post_id for i in report.answered] == [mention["id"]]
    assert report.answered[0].drafted_by == "auto-reply:shipping"
    assert brand_replies(sandbox)[mention["id"]] == 1


def test_an_escalating_rule_keeps_the_handlers_away(client: Client, sandbox: Sandbox) -> None:
    handled: list[str] = []
    bot = rules_bot(client, handled)
    bot.run_once()
    mention = sandbox.simulate_mention("my lawyer will call you", author="zoe")

    report = bot.run_once()

    assert handled == []
    assert [i.stage for i in report.passed] == [Stage.ESCALATED]
    assert brand_replies(sandbox)[mention["id"]] == 0


def test_handlers_answer_what_the_rules_left_open_with_the_rules_labels(
    client: Client, sandbox: Sandbox
) -> None:
    handled: list[str] = []
    bot = rules_bot(client, handled)
    bot.run_once()
    mention = sandbox.simulate_mention("are you open on Sunday?", author="zoe")

    report = bot.run_once()

    assert len(handled) == 1
    assert [i.post_id for i in report.answered] == [mention["id"]]
    item = bot.store.get(report.answered[0].key)
    assert (item.labels, item.priority) == (("hours",), "high")
    assert brand_replies(sandbox)[mention["id"]] == 1


def test_rules_work_under_arun_once(async_client: AsyncClient, sandbox: Sandbox) -> None:
    handled: list[str] = []
    bot = rules_bot(async_client, handled)

    async def main() -> None:
        async with async_client:
            await bot.arun_once()
            sandbox.simulate_mention("do you ship to Peru?", author="zoe")
            report = await bot.arun_once()
            assert report.answered[0].drafted_by == "auto-reply:shipping"

    anyio.run(main)
    assert handled == []
