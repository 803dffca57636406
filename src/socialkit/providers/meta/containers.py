"""Publishing through media containers, as Instagram and Threads both do.

1. ``GET /{user-id}/{quota}``: refuse with `RateLimited` when the rolling quota is used, so
   nothing is created and nothing published;
2. ``POST /{user-id}/{create}``: a container per item (then one for a carousel);
3. ``GET /{container-id}?fields=...``: poll, with `Sleep` steps, until ``FINISHED``;
   ``ERROR``/``EXPIRED`` raise `ContainerFailed`, a wait past ``container_wait`` raises
   `ContainerTimeout`;
4. ``POST /{user-id}/{publish}`` with ``creation_id``.

References: Instagram Platform "Content Publishing", Threads API "Posts" and "Troubleshooting".
"""

from __future__ import annotations

import abc
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import attrs

from ...errors import InvalidContent, ParseError, RateLimited
from ...models import Draft, MediaUpload, native_id
from ...platform import Flow, Sleep
from .errors import ContainerFailed, ContainerTimeout
from .platform import GraphPlatform

__all__ = ["FAILED_STATES", "ContainerAPI", "ContainerPlatform"]

_READY = frozenset({"FINISHED", "PUBLISHED"})
FAILED_STATES = frozenset({"ERROR", "EXPIRED"})
"""Container statuses that end without anything to publish."""
_FAILED = FAILED_STATES
_DEFAULT_WINDOW = 86400.0


@attrs.frozen
class ContainerAPI:
    """How a host names its container endpoints and fields.

    Attributes:
        create: The user edge that creates containers.
        publish: The user edge that publishes one.
        quota: The user edge that reports the publishing quota.
        status: The container field holding its state.
        detail: The container field that explains an error.
    """

    create: str
    publish: str
    quota: str
    status: str
    detail: str


class ContainerPlatform(GraphPlatform):
    """A Graph platform that publishes through media containers (Instagram, Threads)."""

    containers: ClassVar[ContainerAPI]
    container_wait: ClassVar[float] = 300.0
    """The most seconds spent waiting for one container to be processed."""
    poll_first: ClassVar[float] = 1.0
    poll_growth: ClassVar[float] = 2.0
    poll_max: ClassVar[float] = 30.0

    @abc.abstractmethod
    def container(self, draft: Draft) -> dict[str, Any]:
        """The parameters of the container of a post with at most one media item."""

    @abc.abstractmethod
    def carousel_item(self, upload: MediaUpload) -> dict[str, Any]:
        """The parameters of the container of one carousel item."""

    @abc.abstractmethod
    def carousel(self, draft: Draft, children: list[str]) -> dict[str, Any]:
        """The parameters of a carousel container over item containers."""

    def publish_draft(self, draft: Draft, quota: str | None = "") -> Flow[str]:
        """Quota, containers, processing, publication; returns the new media id.

        ``quota`` is the quota's prefix (``""``, ``"reply_"``), or ``None`` when the caller
        checked it already.
        """
        container = yield from self.build_container(draft, quota)
        yield from self.await_container(container)
        return (yield from self.publish_container(container, draft))

    def build_container(self, draft: Draft, quota: str | None = "") -> Flow[str]:
        """Quota, then the container to publish (a carousel's items processed first);
        returns its id, not yet processed. ``quota`` as in `publish_draft`."""
        if quota is not None:
            yield from self.check_quota(quota)
        if len(draft.media) <= 1:
            return (yield from self.create_container(self.container(draft)))
        children: list[str] = []
        for upload in draft.media:
            children.append((yield from self.create_container(self.carousel_item(upload))))
        for child in children:
            yield from self.await_container(child)
        return (yield from self.create_container(self.carousel(draft, children)))

    def container_state(self, container_id: str) -> Flow[tuple[str, str | None]]:
        """One read of a container: its status (``IN_PROGRESS``, ``FINISHED``, ``ERROR``,
        ``EXPIRED``, ``PUBLISHED``) and the detail Meta gives."""
        fields = f"{self.containers.status},{self.containers.detail}"
        state = self.json((yield self.get(container_id, fields=fields)))
        detail = state.get(self.containers.detail)
        return (str(state.get(self.containers.status) or "IN_PROGRESS"),
                str(detail) if detail else None)

    def require_urls(self, draft: Draft) -> None:
        """Refuse media that is not a public URL: Meta fetches container media itself."""
        local = [m.filename for m in draft.media if m.url is None]
        if local:
            raise InvalidContent(
                f"{self.name} fetches media from a public URL; pass MediaUpload(url=...) "
                f"instead of a local file or bytes ({', '.join(local)})",
                rule="media_url",
                platform=self.name,
            )

    def check_quota(self, prefix: str = "", needed: int = 1) -> Flow[None]:
        """Refuse before creating anything when the rolling publishing quota is used.

        ``prefix`` selects another quota of the same edge (Threads' ``"reply_"``).
        """
        response = yield self.get(
            self.owner_id,
            self.containers.quota,
            fields=f"{prefix}quota_usage,{prefix}config",
        )
        entries = self.json(response).get("data") or [{}]
        usage = entries[0].get(f"{prefix}quota_usage")
        config = entries[0].get(f"{prefix}config") or {}
        total = config.get("quota_total")
        if not isinstance(usage, int) or not isinstance(total, int) or usage + needed <= total:
            return
        window = float(config.get("quota_duration") or _DEFAULT_WINDOW)
        kind = prefix.rstrip("_") or "post"
        raise RateLimited(
            f"{self.name} {kind} publishing quota is used: {usage} of {total} in the last "
            f"{window / 3600:g} hours (a rolling window); nothing was published",
            retry_after=window,
            reset_at=datetime.now(UTC) + timedelta(seconds=window),
            platform=self.name,
        )

    def create_container(self, params: Mapping[str, Any]) -> Flow[str]:
        """Create a container; returns its id. Retried safely: an unused one expires."""
        response = yield self.post(
            self.owner_id, self.containers.create, data=params, idempotent=True
        )
        return _id(self.json(response), self.name)

    def await_container(self, container_id: str) -> Flow[None]:
        """Poll a container until it is ready, with growing sleeps, up to ``container_wait``."""
        waited = 0.0
        delay = self.poll_first
        while True:
            status, detail = yield from self.container_state(container_id)
            if status in _READY:
                return
            if status in _FAILED:
                detail = detail or "no reason given"
                raise ContainerFailed(
                    f"{self.name} could not process container {container_id} ({status}): {detail}",
                    container_id=container_id,
                    state=status,
                    platform=self.name,
                )
            if waited + delay > self.container_wait:
                raise ContainerTimeout(
                    f"{self.name} was still processing container {container_id} after "
                    f"{waited:g} s; nothing was published",
                    container_id=container_id,
                    waited=waited,
                    platform=self.name,
                )
            yield Sleep(delay)
            waited += delay
            delay = min(delay * self.poll_growth, self.poll_max)

    def publish_container(
        self, container_id: str, draft: Draft | None = None, *, idempotency_key: str | None = None
    ) -> Flow[str]:
        """Publish a ready container; returns the new media id. Never retried blindly (the
        key is the draft's, or ``idempotency_key``)."""
        response = yield self.post(
            self.owner_id,
            self.containers.publish,
            data={"creation_id": container_id},
            idempotency_key=idempotency_key or (draft.idempotency_key if draft else None),
            bucket="publish",
        )
        return _id(self.json(response), self.name)


def _id(payload: Any, platform: str) -> str:
    if isinstance(payload, Mapping) and payload.get("id") is not None:
        return native_id(payload["id"])
    raise ParseError("expected an object with an 'id'", platform=platform)
