"""A tiny FAQ bot: answer the mentions that ask a known question, each exactly once.

Shows the core client only: `client.mentions(since_id=...)` reads what arrived after
the last mention the bot has seen (newest first), `client.reply(mention, ...)`
answers. The bot starts from "now" (the backlog is a human's job), and never
answers a mention twice because it moves `since_id` forward after each poll.

    python examples/faq_bot.py

It runs on the built-in sandbox, whose `simulate_mention` plays the audience.
For a real account use `sk.connect("mastodon", ...)` (or any platform with
mentions), keep `since_id` in a file or database so a restart does not answer
again, and sleep between polls. `socialkit.replies` is the full toolkit:
triage rules, templates, approvals and response-time figures.
"""

from __future__ import annotations

import re

import socialkit as sk
from socialkit.testing import Sandbox

FAQ = {
    ("ship", "shipping", "delivery", "deliver"): (
        "We ship worldwide in 3 to 5 working days: https://example.com/help/shipping"
    ),
    ("refund", "return", "returns"): (
        "Returns are free for 30 days, and refunds arrive within a week: "
        "https://example.com/help/returns"
    ),
    ("open", "opening", "hours"): "We are open Monday to Saturday, 10:00 to 18:00.",
}
ANSWERED_KINDS = {"mention", "reply"}  # not quotes or keyword matches


def answer_for(text: str) -> str | None:
    """The FAQ answer whose keywords appear as words in ``text``, if any."""
    words = set(re.findall(r"\w+", text.casefold()))
    return next((answer for keys, answer in FAQ.items() if words & set(keys)), None)


def newest_mention_id(client: sk.Client) -> str | None:
    """Where to start: the newest mention now (mentions are listed newest first)."""
    newest = client.mentions().first()
    return newest[0].id if newest else None


def answer_new_mentions(client: sk.Client, since_id: str | None) -> tuple[str | None, int]:
    """Answer the FAQ mentions that arrived after ``since_id``, oldest first.

    Returns the new ``since_id`` (the newest mention seen) and how many were answered.
    """
    mentions = list(client.mentions(since_id=since_id))  # newest first
    answered = 0
    for mention in reversed(mentions):
        answer = answer_for(mention.text)
        if mention.kind not in ANSWERED_KINDS or answer is None:
            continue  # not a question we know: leave it for a human
        try:
            client.reply(mention, answer)
        except sk.SocialkitError as error:  # one failure must not stop the bot
            print(f"  could not answer {mention.id}: {error}")
            continue
        answered += 1
        who = mention.author.handle if mention.author else "someone"
        print(f"  @{who}: {mention.text!r}\n    -> {answer}")
    return (mentions[0].id if mentions else since_id), answered


def main() -> None:
    sandbox = Sandbox()
    audience = [  # what arrives between two polls
        [("alice", "Do you ship to Canada?"), ("bob", "Love the new colours!")],
        [("chen_wei", "How do returns work? I need a refund"), ("dana", "what are your hours?")],
        [],  # a quiet minute: nothing new, nothing answered again
    ]
    with sandbox.client() as brand:
        since_id = newest_mention_id(brand)
        for number, arrivals in enumerate(audience, 1):
            for author, text in arrivals:
                sandbox.simulate_mention(text, author=author)
            print(f"poll {number}:")
            since_id, answered = answer_new_mentions(brand, since_id)
            print(f"  {answered} answered, {len(arrivals) - answered} left for a human")
            # a real bot sleeps here, e.g. time.sleep(60), and saves `since_id`


if __name__ == "__main__":
    main()
