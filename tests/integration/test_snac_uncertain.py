"""A publish lost after it reached snac2 (which ignores Idempotency-Key): reported as
`PublishUncertain`, never retried, and reconciled by the calendar to exactly one post."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

import socialkit as sk
from socialkit.calendar import Calendar
from socialkit.models import Draft

from .servers.snac import SnacServer
from .snac_support import FAST, LosingProxy, driver, no_keepalive

pytestmark = pytest.mark.integration


def _texts(server: SnacServer, user: str) -> list[str]:
    assert server.tokens is not None
    headers = {"Authorization": f"Bearer {server.tokens[user]}"}
    with httpx.Client(
        base_url=server.url, headers=headers, timeout=10, transport=no_keepalive()
    ) as http:
        me = http.get("/api/v1/accounts/verify_credentials").json()
        statuses = http.get(f"/api/v1/accounts/{me['id']}/statuses").json()
    return [sk.providers.mastodon.html_to_text(s["content"]) for s in statuses]


def test_snac_ignores_idempotency_keys(snac_server: SnacServer) -> None:
    """The server gap this is about: the same key twice gives two statuses."""
    assert snac_server.tokens is not None
    text = f"keyed {uuid.uuid4().hex[:8]}"
    headers = {
        "Authorization": f"Bearer {snac_server.tokens['alice']}",
        "Idempotency-Key": text,
    }
    with httpx.Client(
        base_url=snac_server.url, headers=headers, timeout=10, transport=no_keepalive()
    ) as http:
        first = http.post("/api/v1/statuses", data={"status": text}).json()["id"]
        second = http.post("/api/v1/statuses", data={"status": text}).json()["id"]
    assert first != second


def test_a_lost_publish_is_uncertain_and_posted_once(
    snac_server: SnacServer, snac_kind: str
) -> None:
    assert snac_server.tokens is not None
    text = f"lost answer {uuid.uuid4().hex[:8]}"
    with LosingProxy(snac_server.url) as proxy:
        proxy.lose = 1
        host = proxy.url.split("://", 1)[1]
        with driver(snac_kind, f"mastodon://{snac_server.tokens['alice']}@{host}") as alice:
            with pytest.raises(sk.PublishUncertain) as raised:
                alice.publish(Draft(text=text, idempotency_key="k-" + text))
            assert alice.platform.honours_idempotency_key is False
    assert raised.value.idempotency_key == "k-" + text
    assert (raised.value.method, raised.value.path) == ("POST", "/api/v1/statuses")
    assert proxy.forwarded.count(("POST", "/api/v1/statuses")) == 1
    assert _texts(snac_server, "alice").count(text) == 1


def test_the_calendar_reconciles_a_lost_publish_to_one_post(
    snac_server: SnacServer, tmp_path: Path
) -> None:
    assert snac_server.tokens is not None
    text = f"Calendar post {uuid.uuid4().hex[:8]}"
    now = datetime.now(UTC)
    calendar = Calendar(tmp_path / "calendar.db")
    entry = calendar.add(text, ["alice"], at=now)
    with LosingProxy(snac_server.url) as proxy:
        host = proxy.url.split("://", 1)[1]
        target = f"mastodon://{snac_server.tokens['alice']}@{host}"
        with sk.connect(target, retry=FAST) as client:
            proxy.lose = 1
            first = calendar.run_due({"alice": client}, now=now)
            assert [o.kind for o in first.outcomes] == ["retrying"]
            assert "PublishUncertain" in (first.outcomes[0].error or "")
            second = calendar.run_due({"alice": client}, now=now + timedelta(minutes=10))
    assert [o.kind for o in second.outcomes] == ["reconciled"]
    assert proxy.forwarded.count(("POST", "/api/v1/statuses")) == 1
    assert _texts(snac_server, "alice").count(text) == 1
    assert calendar.get(entry.id).delivery("alice").post_id == second.outcomes[0].post_id
