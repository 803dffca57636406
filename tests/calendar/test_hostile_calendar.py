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

    second = cal.run_due({"brand": no_key}, now=NOW + timedelta(minutes=5))

    assert _scan_requests(sandbox) - before <= 3  # 200 without the cursor memory
    # The scan broke off before the posts older than the first attempt: finding nothing
    # proves nothing, so the entry is not published again (it was, the first time).
    assert "could not be read to the end" in (second.outcomes[0].error or "")
    assert brand_texts(sandbox).count("Hello, cycling") == 1


def test_after_a_broken_off_scan_the_next_whole_scan_reconciles(
    cal: Calendar, sandbox: Sandbox
) -> None:
    no_key = no_key_client(sandbox)
    sandbox.timeout_next(after_processing=True, path=STATUSES)
    cal.add("Hello, once", ["brand"], at=NOW)
    cal.run_due({"brand": no_key}, now=NOW)
    me = no_key.me()
    for n in range(3):  # exactly one broken-off scan: empty pages cycling 0 -> 1 -> 0
        cycle = f'<{sandbox.base_url}/api/v1/accounts/{me.id}/statuses?max_id={n % 2}>; rel="next"'
        sandbox.answer_next(200, b"[]", headers={"Link": cycle}, path="/api/v1/accounts/*/statuses")
    second = cal.run_due({"brand": no_key}, now=NOW + timedelta(minutes=5))

    third = cal.run_due({"brand": no_key}, now=NOW + timedelta(hours=1))

    assert "could not be read to the end" in (second.outcomes[0].error or "")
    assert [o.kind for o in third.outcomes] == ["reconciled"]
    assert brand_texts(sandbox).count("Hello, once") == 1
