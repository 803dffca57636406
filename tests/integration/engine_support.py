"""Driving a procrastinate app from a test: defer a job, run the queue until it is empty."""

from __future__ import annotations

from typing import Any


def defer(app: Any, task: Any, **kwargs: Any) -> None:
    """Defer a job from outside a worker (a worker run closes the app: open it again)."""
    with app.open():
        task.defer(**kwargs)


def run_worker(app: Any) -> None:
    """Run the queue until it is empty."""
    app.run_worker(
        queues=["socialkit"], wait=False, install_signal_handlers=False, listen_notify=False
    )
