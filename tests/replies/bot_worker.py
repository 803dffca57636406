"""A bot process for the restart test: ``python bot_worker.py DB URL``.

It answers every mention on the loopback sandbox at URL, keeping its ledger in
DB, and prints ``ready`` once it has run its first round.
"""

from __future__ import annotations

import sys
from datetime import timedelta

from socialkit.client import Client
from socialkit.http import Limits, RetryPolicy
from socialkit.providers.mastodon import Mastodon
from socialkit.replies import Bot, InboxItem, InboxStore


def main(db: str, url: str) -> None:
    platform = Mastodon(instance=url, access_token="brand")
    # A slowly dripping answer ends in an error this soon; the next round tries again.
    retry = RetryPolicy(attempts=3, backoff=0.01, max_backoff=0.05)
    client = Client(platform, retry=retry, limits=Limits(deadline=0.4))
    bot = Bot(client, InboxStore(db), backfill=100, lease=timedelta(seconds=1))

    @bot.on_mention()
    def thanks(item: InboxItem) -> str:
        return f"Thanks {item.handle}!"

    bot.run_once()
    print("ready", flush=True)
    bot.run(poll=0.02)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
