"""An Instagram reel through the calendar: its container still processing after the wait
is recorded as published, pending; a later run reads the container, publishes it once
``FINISHED`` and records the media; one that ended in ``ERROR`` is reported rejected."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import respx

import socialkit as sk
from socialkit.calendar import Calendar, State

from .instagram_support import GRAPH, MEDIA, USER, fixture, make

NOW = datetime(2026, 12, 7, 9, tzinfo=UTC)
REEL = sk.Draft(text="Pour-over in 30 s", media=(sk.MediaUpload(
    url="https://cdn.example.com/pour.mp4"),))


def status(code: str, detail: str) -> httpx.Response:
    return httpx.Response(200, json={"status_code": code, "status": detail, "id": "1790001"})


@pytest.fixture
def graph(sleeps: list[float]) -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as router:
        router.get(f"{GRAPH}/{USER}/content_publishing_limit").respond(
            200, json=fixture("quota"))
        router.post(f"{GRAPH}/{USER}/media").respond(200, json={"id": "1790001"})
        router.get(f"{GRAPH}/1790001", name="status").mock(
            return_value=status("IN_PROGRESS", "In Progress"))
        router.post(f"{GRAPH}/{USER}/media_publish", name="publish").respond(
            200, json={"id": MEDIA})
        router.get(f"{GRAPH}/{MEDIA}").respond(200, json={
            "id": MEDIA, "caption": "Pour-over in 30 s", "media_type": "VIDEO",
            "permalink": "https://www.instagram.com/reel/Cabc123/",
            "timestamp": "2026-12-07T09:10:00+0000"})
        yield router


def test_a_processing_reel_is_published_by_a_later_run(
    tmp_path: Path, graph: respx.MockRouter
) -> None:
    with Calendar(tmp_path / "c.db") as cal:
        client = sk.Client(make())
        entry = cal.add(REEL, ["ig"], at=NOW)
        (pending,) = cal.run_due({"ig": client}, now=NOW).pending
        assert pending.post_id == "container:1790001"
        assert not graph["publish"].called
        graph["status"].mock(return_value=status("FINISHED", "Finished"))
        report = cal.refresh_pending({"ig": client}, now=NOW + timedelta(minutes=10))
        (published,) = report.published
        assert published.post_id == MEDIA
        delivery = cal.get(entry.id).delivery("ig")
        assert (delivery.post_state, delivery.post_id) == ("published", MEDIA)
        assert delivery.post_url == "https://www.instagram.com/reel/Cabc123/"
        assert graph["publish"].call_count == 1


def test_a_container_that_failed_meanwhile_is_reported_rejected(
    tmp_path: Path, graph: respx.MockRouter
) -> None:
    with Calendar(tmp_path / "c.db") as cal:
        client = sk.Client(make())
        entry = cal.add(REEL, ["ig"], at=NOW)
        cal.run_due({"ig": client}, now=NOW)
        graph["status"].mock(return_value=status("ERROR", "Error: unsupported codec"))
        report = cal.refresh_pending({"ig": client}, now=NOW + timedelta(minutes=10))
        (rejected,) = report.rejected
        assert rejected.error == "ERROR: Error: unsupported codec"
        assert report.failed == []
        assert cal.get(entry.id).state is State.PUBLISHED
        assert not graph["publish"].called
