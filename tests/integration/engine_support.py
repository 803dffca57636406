"""Driving the engines from tests: defer a procrastinate job, run its queue until it is
empty; and, for the chaos tests, a Celery app with a short visibility timeout, the
workers of both engines that run until they are killed, and what every chaos worker
process sets up first (its crash points, its clients)."""

from __future__ import annotations

import os
from typing import Any

import httpx

from socialkit import crashpoints
from socialkit.client import Client
from socialkit.http import Limits, RetryPolicy
from socialkit.providers.mastodon import Mastodon

WORKER_LIMITS = Limits(deadline=0.8)  # well inside the chaos tests' 1 s leases


def arm_crash_points(spec: str) -> None:
    """Let this worker process die at the crash points ``spec`` names (``""``: none)."""
    if spec:
        os.environ[crashpoints.VARIABLE] = spec


def make_clients(
    url: str, names: list[str], platform: type[Mastodon] = Mastodon
) -> dict[str, Client]:
    """A client per name (its token) on the sandbox at ``url``, sharing one connection pool,
    with fast retries and a deadline inside the lease."""
    retry = RetryPolicy(attempts=3, backoff=0.002, max_backoff=0.01)
    http = httpx.Client(verify=False, timeout=5)
    return {
        name: Client(
            platform(instance=url, access_token=name),
            retry=retry,
            http_client=http,
            limits=WORKER_LIMITS,
        )
        for name in names
    }


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
