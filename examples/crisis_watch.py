"""Crisis watch: spot a burst of angry mentions and pause the content calendar.

Shows `socialkit.monitoring` with `socialkit.calendar`: a `Monitor` polls the
brand's mentions, scores their sentiment and feeds a spike detector; a
`CrisisPolicy` turns a crisis alert into a paused calendar, so the cheerful
promo planned for this afternoon does not go out in the middle of it. A human
answers, decides about the promo, and resolves the crisis, which resumes the
calendar.

    python examples/crisis_watch.py

The sandbox plays a calm audience, then a wave of complaints. With real
accounts, pass your clients to `Monitor` and poll every few minutes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from socialkit.calendar import Calendar
from socialkit.monitoring import CrisisPolicy, Monitor, Query, SpikeDetector
from socialkit.testing import Sandbox

CALM = ["love the new colours", "when is the next sale?", "great service, thanks"]
ANGRY = ["my order never arrived, terrible", "worst support ever", "still no refund, awful"]


def main() -> None:
    now = datetime.now(UTC)
    sandbox = Sandbox()
    calendar = Calendar.in_memory(tz="Europe/Berlin")
    promo = calendar.add(
        "Flash sale: 20% off everything today!", ["brand"], at=now + timedelta(hours=3)
    )

    with sandbox.client() as brand:
        # The detector compares each poll with the ones before; these settings suit a demo
        # with a handful of polls (the defaults want a dozen polls of history first).
        monitor = Monitor(
            [brand], [Query.mentions()], detector=lambda: SpikeDetector(window=6, warmup=3)
        )
        policy = CrisisPolicy(calendar=calendar)
        monitor.on_alert(lambda alert: print(f"ALERT ({alert.severity}): {alert.summary}"))
        monitor.on_alert(policy)

        for minute in range(6):  # a calm morning: a mention now and then
            sandbox.simulate_mention(CALM[minute % 3], author=f"fan_{minute}")
            monitor.poll()
        for n in range(18):  # then a wave of complaints between two polls
            sandbox.simulate_mention(ANGRY[n % 3], author=f"customer_{n}")
        monitor.poll()

        print("crisis mode:", "on" if policy.active else "off")
        due = calendar.run_due({"brand": brand}, now=now + timedelta(hours=3, minutes=1))
        print("calendar at promo time:", due)

        # A human takes over: answers, drops the promo, and ends crisis mode.
        brand.publish("Some orders are late and we are sorry. We are on it: updates here.")
        calendar.cancel(promo.id, reason="tone-deaf during the delivery crisis")
        policy.resolve("statement published, complaints answered")
        print("crisis mode:", "on" if policy.active else "off")
        print("calendar paused:", calendar.paused is not None)
        print("the promo:", calendar.get(promo.id).state)


if __name__ == "__main__":
    main()
