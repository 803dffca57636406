"""A launch announcement on several accounts at once, with a dry run and a retry.

Shows `socialkit.crosspost`: one draft goes to every account, adapted to each
platform's limits (too long for one account, it becomes a numbered thread
there); `dry_run=True` shows the exact texts first without sending anything;
one account failing never stops the others, and the failed ones can be retried
with the *same* draft, whose idempotency keys make a second post impossible on
platforms that honour them.

    python examples/crosspost_launch.py

Three sandboxes stand in for three accounts; one allows only 100 characters and
one is down for the first attempt. With real accounts, use
`{"mastodon": sk.connect("mastodon", ...), "bluesky": sk.connect("bluesky", ...)}`.
"""

from __future__ import annotations

import socialkit as sk
from socialkit.crosspost import crosspost
from socialkit.providers.mastodon import Mastodon
from socialkit.testing import Sandbox

LAUNCH = sk.Draft(
    text=(
        "Our repair café opens on Saturday! Bring anything broken: lamps, bikes, jackets, "
        "toasters. Volunteers fix it with you, for free. "
        "Details: https://example.com/repair-cafe #RepairCafe"
    )
)


def main() -> None:
    brand, neighbourhood, partner = Sandbox(), Sandbox(), Sandbox()
    short = Mastodon(instance=neighbourhood.base_url, access_token="brand", max_characters=100)
    clients = {
        "brand": brand.client(),
        "neighbourhood": sk.Client(short, transport=neighbourhood.transport()),
        "partner": partner.client(),
    }

    print(crosspost(LAUNCH, clients, dry_run=True), end="\n\n")  # nothing is sent

    partner.fail_next(500, path="/api/v1/statuses")  # the partner's server has a bad minute
    result = crosspost(LAUNCH, clients)
    print(result, end="\n\n")

    if result.failed:  # retry only what failed, with the same draft: never a double post
        retry = crosspost(LAUNCH, {t.target: clients[t.target] for t in result.failed})
        print(retry)

    for client in clients.values():
        client.close()


if __name__ == "__main__":
    main()
