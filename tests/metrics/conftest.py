"""Fixtures for the metrics tests: fixed times, row builders, both engines, fake clients."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import matplotlib
import pytest

from socialkit.metrics import _engine
from socialkit.models import Account, Post

matplotlib.use("Agg")

T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)  # a Monday, 09:00 UTC


def at(days: float = 0, hours: float = 0) -> datetime:
    """A time relative to T0."""
    return T0 + timedelta(days=days, hours=hours)


def post_rows(
    platform: str, post_id: str, collected: datetime = T0, **values: float | None
) -> list[tuple[Any, ...]]:
    """Rows for one post's metrics, collected at ``collected``."""
    return [(platform, "post", post_id, name, v, collected) for name, v in values.items()]


def account_row(
    platform: str,
    account_id: str,
    value: float | None,
    collected: datetime,
    name: str = "followers",
) -> tuple[Any, ...]:
    return (platform, "account", account_id, name, value, collected, "snapshot", None, collected)


def a_post(
    platform: str,
    post_id: str,
    published: datetime | None = T0,
    *,
    text: str = "",
    author: str | None = None,
    followers: int | None = None,
    **metrics: int,
) -> Post:
    owner = (
        None
        if author is None
        else Account(platform=platform, id=author, handle=author, followers=followers)
    )
    return Post(
        platform=platform,
        id=post_id,
        created_at=published,
        text=text,
        author=owner,
        metrics=metrics,
        url=f"https://{platform}.example/{post_id}",
    )


@pytest.fixture(params=["numpy", "python"])
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with the numpy kernels and with the pure-Python ones."""
    monkeypatch.setattr(_engine, "USE_NUMPY", request.param == "numpy")
    return request.param
