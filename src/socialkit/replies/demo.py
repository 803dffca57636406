"""The replies-and-monitoring part of ``python -m socialkit demo``.

A burst of angry mentions trips the monitor's negative-share alarm, crisis mode
pauses the calendar (when one is given); then the inbox answers a FAQ by itself
and queues a complaint for a human to approve.
"""

from __future__ import annotations

import random
from typing import TextIO

from ..client import Client
from ..monitoring import Alert, CrisisPolicy, Monitor, Query, SpikeDetector
from ..testing import Sandbox
from .inbox import Inbox
from .rules import RuleSet

__all__ = ["inbox_and_crisis_story"]

RULES = """
[variables]
guide = "https://example.com/help/shipping-guide-2025"

[templates.shipping]
en = "Hi $name! Yes, we ship worldwide; times and prices: $guide"
zh = "$name 您好！我们支持全球配送，详情请见：$guide"

[[rules]]
name = "shipping-faq"
when = { keywords = ["ship*", "deliver*", "发货"], sentiment = "neutral" }
then = { label = "faq", auto_reply = "shipping", stop = true }

[[rules]]
name = "complaint"
when = { sentiment = "negative" }
then = { label = "complaint", priority = "high", assign = "care-team" }
"""

CALM = ("Love the new colours!", "Any news about the spring collection?", "Great packaging 👍")
ANGRY = (
    "My order arrived broken and nobody answers. Terrible!",
    "Still no refund after three weeks, this is unacceptable 😡",
    "Worst customer service ever, never buying again",
)


def inbox_and_crisis_story(
    sandbox: Sandbox, client: Client, out: TextIO, calendar: object | None = None
) -> None:
    """Tell the monitoring and inbox story on ``sandbox`` as the brand ``client``."""
    rng = random.Random(7)
    policy = CrisisPolicy(calendar=calendar)
    monitor = Monitor(
        [client], [Query.mentions()], detector=lambda: SpikeDetector(window=12, warmup=6)
    )
    alerts: list[Alert] = []
    monitor.on_alert(alerts.append)
    monitor.on_alert(policy)
    monitor.poll()  # the first poll reads history: the baseline starts here
    quiet = 8
    for poll in range(quiet):
        for n in range(rng.randint(1, 3)):
            sandbox.simulate_mention(rng.choice(CALM), author=f"fan_{poll}_{n}")
        monitor.poll()
    for n in range(15):
        sandbox.simulate_mention(ANGRY[n % len(ANGRY)], author=f"angry_{n}")
    monitor.poll()
    print(f"   {quiet} quiet polls (1-3 mentions each), then 15 angry mentions in one", file=out)
    for alert in alerts:
        print(f"   ALERT [{alert.severity}] {alert.summary}", file=out)
    crisis = policy.active
    if crisis is None:
        print("   no crisis declared", file=out)
    elif crisis.calendar_paused:
        print(f"   calendar paused, reason recorded: {crisis.reason!r}", file=out)
    else:
        print("   crisis mode recorded (no calendar given to pause)", file=out)

    inbox = Inbox([client], rules=RuleSet.from_toml(RULES), backfill=100)
    inbox.catch_up()  # start from now, not from the account's history
    sandbox.simulate_mention("Do you ship to Canada?", author="carol")
    sandbox.simulate_mention("My parcel arrived damaged, really disappointed.", author="dave")
    queued = []
    for item in sorted(inbox.refresh().new, key=lambda i: i.stage != "approved"):
        print(f"   @{item.handle}: {item.text!r}", file=out)
        if item.stage == "approved" and item.draft is not None:
            print(f"     auto-reply ({item.approved_by}): {item.draft.text!r}", file=out)
        else:
            print(f"     queued: {item.priority}, {item.assignee}, {list(item.labels)}", file=out)
            queued.append(item)
    auto = inbox.send()
    for item in queued:
        inbox.draft_reply(item, "So sorry! Please DM us your order number.", by="sam")
        inbox.approve(item, by="lee")
    approved = inbox.send()
    again = inbox.send()
    print(
        f"   sent: {len(auto.sent)} auto-reply, then {len(approved.sent)} approved by lee; "
        f"sending again sent {len(again.sent)}",
        file=out,
    )
    resolved = policy.resolve("statement published")
    if resolved is not None and resolved.calendar_paused:
        print("   crisis resolved: the calendar is running again", file=out)
