"""Driving the engines from tests: defer a procrastinate job, run its queue until it is
empty; and, for the chaos tests, a Celery app with a short visibility timeout and the
workers of both engines that run until they are killed."""

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


def serve_procrastinate(app: Any, owner: str) -> None:
    """Run a procrastinate worker on the ``socialkit`` queue until the process is killed."""
    app.run_worker(
        queues=["socialkit"],
        wait=True,
        install_signal_handlers=False,
        fetch_job_polling_interval=0.1,
        name=owner,
    )


def celery_app(broker: str) -> Any:
    """A chaos test's Celery app: one message at a time, a short visibility timeout."""
    from celery import Celery

    app = Celery("socialkit-chaos", broker=broker, set_as_current=False)
    app.conf.broker_transport_options = {"visibility_timeout": 2}
    app.conf.worker_prefetch_multiplier = 1
    app.conf.worker_hijack_root_logger = False
    app.conf.worker_redirect_stdouts = False
    return app


def serve_celery(app: Any, owner: str) -> None:
    """Run a Celery worker (solo pool) on the ``socialkit`` queue until the process is killed."""
    app.Worker(
        pool="solo",
        queues=["socialkit"],
        hostname=f"{owner}@chaos",
        loglevel="WARNING",
        without_heartbeat=True,
        without_mingle=True,
        without_gossip=True,
    ).start()
