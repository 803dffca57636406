"""Entries: adding, the state machine, time zones, targets without secrets."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from calendar_support import NOW

from socialkit import ConfigError, Draft, MediaUpload, NotFound
from socialkit.calendar import Calendar, DeliveryState, IllegalTransition, State
from socialkit.calendar.entries import TRANSITIONS, fingerprint


def test_entry_without_approvals_is_scheduled_when_added(cal: Calendar) -> None:
    entry = cal.add("Hello", ["brand"], at=NOW)
    assert entry.state is State.SCHEDULED
    assert entry.delivery("brand").state is DeliveryState.PENDING


def test_entry_without_time_stays_approved(cal: Calendar) -> None:
    assert cal.add("An idea", ["brand"]).state is State.APPROVED


def test_naive_datetime_without_tz_is_a_config_error(cal: Calendar) -> None:
    with pytest.raises(ConfigError, match="no time zone") as caught:
        cal.add("Hello", ["brand"], at=datetime(2025, 3, 31, 9, 0))
    assert caught.value.field == "at"


def test_naive_datetime_is_read_in_the_given_tz(cal: Calendar) -> None:
    entry = cal.add("Hello", ["brand"], at=datetime(2025, 3, 31, 9, 0), tz="Europe/Berlin")
    assert entry.at == datetime(2025, 3, 31, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert entry.at.astimezone(UTC).hour == 7
    assert entry.tz == "Europe/Berlin"


def test_unknown_time_zone_is_a_config_error(cal: Calendar) -> None:
    with pytest.raises(ConfigError, match="unknown time zone"):
        cal.add("Hello", ["brand"], at=datetime(2025, 3, 31, 9), tz="Mars/Olympus")


@pytest.mark.parametrize(
    "target",
    [
        "mastodon://s3cr3t-token@mastodon.social",
        "mastodon://user:s3cr3t-token@mastodon.social",
        "bluesky://bsky.social?app_password=s3cr3t-token",
        "x://api.x.com?access_token=s3cr3t-token",
    ],
)
def test_target_with_a_credential_is_refused_without_echoing_it(cal: Calendar, target: str) -> None:
    with pytest.raises(ConfigError, match="credential") as caught:
        cal.add("Hello", [target], at=NOW)
    assert "s3cr3t-token" not in str(caught.value)
    assert cal.entries() == []


def test_connection_target_without_credentials_is_stored(cal: Calendar) -> None:
    entry = cal.add("Hello", ["sandbox://", "mastodon://mastodon.social", "brand"], at=NOW)
    assert entry.targets == ("sandbox://", "mastodon://mastodon.social", "brand")


def test_file_never_holds_a_token(cal: Calendar, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigError):
        cal.add("Hello", ["mastodon://s3cr3t-token@example.social"], at=NOW)
    cal.add("Hello", ["brand"], at=NOW)
    cal.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    assert b"s3cr3t-token" not in raw


def test_entry_needs_a_target(cal: Calendar) -> None:
    with pytest.raises(ConfigError, match="at least one target"):
        cal.add("Hello", [], at=NOW)


def test_cancelling_a_published_entry_is_illegal(cal: Calendar, client) -> None:  # type: ignore[no-untyped-def]
    entry = cal.add("Hello", ["brand"], at=NOW)
    cal.run_due({"brand": client}, now=NOW)
    with pytest.raises(IllegalTransition, match="published"):
        cal.cancel(entry.id)


def test_scheduling_a_draft_awaiting_approval_is_illegal(cal: Calendar) -> None:
    entry = cal.add("Hello", ["brand"], at=NOW, approvals_required=1)
    with pytest.raises(IllegalTransition):
        cal.schedule(entry.id)


def test_retrying_a_scheduled_entry_is_illegal(cal: Calendar) -> None:
    entry = cal.add("Hello", ["brand"], at=NOW)
    with pytest.raises(IllegalTransition):
        cal.retry(entry.id)


def test_published_and_cancelled_are_final() -> None:
    assert TRANSITIONS[State.PUBLISHED] == frozenset()
    assert TRANSITIONS[State.CANCELLED] == frozenset()


def test_cancel_marks_pending_deliveries_cancelled(cal: Calendar) -> None:
    entry = cal.add("Hello", ["brand", "other"], at=NOW)
    cancelled = cal.cancel(entry.id, "wrong date")
    assert cancelled.state is State.CANCELLED
    assert {d.state for d in cancelled.deliveries} == {DeliveryState.CANCELLED}


def test_unschedule_then_schedule_at_a_new_time(cal: Calendar) -> None:
    entry = cal.add("Hello", ["brand"], at=NOW)
    assert cal.unschedule(entry.id).state is State.APPROVED
    later = datetime(2025, 4, 1, 9, tzinfo=UTC)
    moved = cal.schedule(entry.id, later)
    assert moved.state is State.SCHEDULED
    assert moved.at == later
    assert moved.delivery("brand").due == later


def test_unknown_entry_is_not_found(cal: Calendar) -> None:
    with pytest.raises(NotFound):
        cal.get(99)


def test_draft_with_media_and_variants_round_trips(cal: Calendar) -> None:
    image = MediaUpload(data=b"\x89PNG\r\n\x00\xff", filename="a.png", alt_text="A logo")
    draft = Draft(text="Launch", visibility="unlisted", options={"spoiler_text": "news"})
    entry = cal.add(
        draft.with_media(image), ["brand"], at=NOW, variants={"x": "Short launch"}, tags=["launch"]
    )
    stored = cal.get(entry.id)
    assert stored.draft.media[0].data == b"\x89PNG\r\n\x00\xff"
    assert stored.draft.media[0].alt_text == "A logo"
    assert stored.draft.visibility == "unlisted"
    assert stored.draft.options == {"spoiler_text": "news"}
    assert stored.draft_for("brand", "x").text == "Short launch"
    assert stored.draft_for("brand", "mastodon").text == "Launch"
    assert stored.tags == ("launch",)


def test_entries_are_filtered_by_tag_campaign_and_state(cal: Calendar) -> None:
    a = cal.add("A", ["brand"], at=NOW, tags=["spring"], campaign="launch")
    cal.add("B", ["brand"], at=NOW, tags=["autumn"])
    cal.add("C", ["brand"])
    assert [e.id for e in cal.entries(tag="spring")] == [a.id]
    assert [e.id for e in cal.entries(campaign="launch")] == [a.id]
    assert [e.text for e in cal.entries(state="approved")] == ["C"]


def test_history_records_each_transition(cal: Calendar) -> None:
    entry = cal.add("Hello", ["brand"], at=NOW)
    cal.cancel(entry.id, "duplicate")
    kinds = [kind for _, kind, _ in cal.history(entry.id)]
    assert kinds == ["draft", "approved", "scheduled", "cancelled"]


def test_fingerprint_ignores_case_spacing_and_link_rendering() -> None:
    sent = "New post!  Read it: https://example.com/a/very/long/path?x=1"
    shown = "new post! read it: example.com/a/very/long/pat…"
    assert fingerprint(sent) == fingerprint(shown.replace("example.com/a/very/long/pat…", ""))
    assert fingerprint("Hello") != fingerprint("Hello!")
