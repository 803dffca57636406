"""One ASGI app (Starlette) that mounts every configured webhook receiver under a path.

```python
from socialkit.webhooks import MetaReceiver, XReceiver, webhook_app

async def handle(event):                 # or a plain function; it runs in a thread then
    await inbox.upsert(event)

app = webhook_app([MetaReceiver(APP_SECRET, VERIFY_TOKEN), XReceiver(CONSUMER_SECRET)], handle)
# POST/GET /meta, /x  (each receiver under its platform's name, or give a {path: receiver} dict)
```

The body is read up to the receiver's ``max_body`` and no further (a larger one is a 400
without reading the rest). The receiver answers handshakes and refusals itself. For an
accepted delivery, ``handler`` is called once per new event, in order; if it raises, the
delivery's keys are forgotten and the platform is answered 500 so that its retry is
processed. Needs the ``webhooks`` extra (``pip install 'socialkit[webhooks]'``).
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .._optional import require
from .receiver import AnyEventT, Receipt, WebhookReceiver

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

__all__ = ["EventHandler", "webhook_app"]

logger = logging.getLogger("socialkit.events")

EventHandler = Callable[[AnyEventT], Awaitable[object] | object]
"""Called with each new event; a coroutine function is awaited, a plain one runs in a thread."""


def webhook_app(
    receivers: Iterable[WebhookReceiver] | Mapping[str, WebhookReceiver],
    handler: EventHandler | None = None,
) -> Starlette:
    """A Starlette app answering each receiver's webhook URL.

    Args:
        receivers: The receivers, each mounted at ``/<platform>`` (``/meta``, ``/x``,
            ``/linkedin``, ``/tiktok``, ``/weibo``, ``/wechat``), or a mapping of path to
            receiver.
        handler: Called with every new event (see the module's docstring).

    Raises:
        ConfigError: starlette is not installed, or two receivers share a path.
    """
    applications = require("starlette.applications", "webhooks", "webhook_app")
    routing = require("starlette.routing", "webhooks", "webhook_app")
    by_path = _paths(receivers)
    routes = [
        routing.Route(path, _endpoint(receiver, handler), methods=["GET", "POST"])
        for path, receiver in by_path.items()
    ]
    app: Starlette = applications.Starlette(routes=routes)
    return app


def _paths(
    receivers: Iterable[WebhookReceiver] | Mapping[str, WebhookReceiver],
) -> dict[str, WebhookReceiver]:
    from ..errors import ConfigError

    pairs = (
        list(receivers.items())
        if isinstance(receivers, Mapping)
        else [(receiver.platform, receiver) for receiver in receivers]
    )
    by_path: dict[str, WebhookReceiver] = {}
    for name, receiver in pairs:
        path = "/" + name.strip("/")
        if path in by_path:
            raise ConfigError(f"two webhook receivers at {path}", field="receivers")
        by_path[path] = receiver
    return by_path


def _endpoint(
    receiver: WebhookReceiver, handler: EventHandler | None
) -> Callable[[Request], Awaitable[Response]]:
    responses = require("starlette.responses", "webhooks", "webhook_app")
    concurrency = require("starlette.concurrency", "webhooks", "webhook_app")
    limit: int = getattr(receiver, "max_body", 1024 * 1024)

    def respond(receipt: Receipt) -> Response:
        answer: Response = responses.Response(
            receipt.body, status_code=receipt.status, headers=dict(receipt.headers)
        )
        return answer

    async def endpoint(request: Request) -> Response:
        body = await _read(request, limit)
        if body is None:
            return respond(Receipt(400, reason="body too large"))
        query = dict(request.query_params)
        headers = dict(request.headers)
        receipt: Receipt = await concurrency.run_in_threadpool(
            receiver.receive, request.method, headers, query, body
        )
        if not receipt.ok:
            logger.info(
                "webhook %s refused with %s: %s", receiver.platform, receipt.status, receipt.reason
            )
            return respond(receipt)
        if handler is not None:
            try:
                for event in receipt.events:
                    await _call(handler, event, concurrency)
            except Exception:
                logger.exception("webhook %s: the event handler failed", receiver.platform)
                receiver.forget(receipt)
                return respond(Receipt(500))
        return respond(receipt)

    return endpoint


async def _read(request: Request, limit: int) -> bytes | None:
    """The body, or ``None`` as soon as it exceeds ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


async def _call(handler: EventHandler, event: AnyEventT, concurrency: Any) -> None:
    if inspect.iscoroutinefunction(handler) or inspect.iscoroutinefunction(
        getattr(handler, "__call__", None)  # noqa: B004 - an object with async __call__
    ):
        await handler(event)  # type: ignore[misc]
        return
    result = await concurrency.run_in_threadpool(handler, event)
    if inspect.isawaitable(result):
        await result
