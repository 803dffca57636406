"""The dispatcher against a hostile server (issue 16): an unreadable answer to a publish
is uncertain and reconciled, and a reconciliation scan through cycling cursors ends."""

from __future__ import annotations

from datetime import timedelta

from calendar_support import NOW, brand_texts, no_key_client

from socialkit.calendar import Calendar
from socialkit.testing import Sandbox

STATUSES = "/api/v1/statuses"


def _scan_requests(sandbox: Sandbox) -> int:
    return sum(1 for r in sandbox.requests if r.path.endswith("/statuses") and "accounts" in r.path)


def test_a_publish_answered_with_garbage_is_reconciled_not_published_twice(
    cal: Calendar, sandbox: Sandbox
) -> None:
    no_key = no_key_client(sandbox)
    sandbox.answer_next(200, b"<html>proxy error", path=STATUSES, after_processing=True)
    cal.add("Hello, garbled", ["brand"], at=NOW)

    first = cal.run_due({"brand": no_key}, now=NOW)
    second = cal.run_due({"brand": no_key}, now=NOW + timedelta(minutes=5))

    assert "PublishUncertain" in (first.outcomes[0].error or "")
    assert [o.kind for o in second.outcomes] == ["reconciled"]
    assert brand_texts(sandbox).count("Hello, garbled") == 1


def test_a_reconciliation_scan_through_cycling_cursors_ends(
    cal: Calendar, sandbox: Sandbox
) -> None:
    no_key = no_key_client(sandbox)
    sandbox.timeout_next(after_processing=True, path=STATUSES)
    cal.add("Hello, cycling", ["brand"], at=NOW)
    cal.run_due({"brand": no_key}, now=NOW)
    me = no_key.me()
    for n in range(200):  # empty pages whose next link alternates between two cursors
        cycle = f'<{sandbox.base_url}/api/v1/accounts/{me.id}/statuses?max_id={n % 2}>; rel="next"'
        sandbox.answer_next(200, b"[]", headers={"Link": cycle}, path="/api/v1/accounts/*/statuses")
    before = _scan_requests(sandbox)

    cal.run_due({"brand": no_key}, now=NOW + timedelta(minutes=5))

    assert _scan_requests(sandbox) - before <= 3  # 200 without the cursor memory
