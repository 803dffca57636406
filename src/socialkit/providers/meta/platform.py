"""`GraphPlatform`: what Facebook Pages, Instagram and Threads share on Meta's Graph API.

Versioned base URL per host, the ``access_token``/``appsecret_proof`` credential, usage
headers as rate-limit state, Graph error mapping, cursor paging and request builders.
Reference: developers.facebook.com/docs/graph-api (overview, paging, rate limiting,
handling errors, securing requests).
"""

from __future__ import annotations

import abc
import functools
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar
from urllib.parse import quote, urlsplit

from ...errors import SocialkitError
from ...models import Metric, ResultPage
from ...platform import (
    Call,
    Flow,
    PageFlow,
    Platform,
    PlatformSettings,
    RateLimitInfo,
)
from . import ranges
from .auth import GraphToken
from .errors import graph_error
from .insights import metrics
from .paging import cursor_params, next_cursor
from .parse import data
from .settings import GraphSettings
from .usage import read_usage, usage_limit

if TYPE_CHECKING:
    from ...steps import Response

__all__ = ["GraphPlatform", "form_value"]

T = TypeVar("T")


class GraphPlatform(Platform, abc.ABC):
    """Base class of the Graph API providers; subclasses name the host and the account.

    Every call goes to ``https://{host}/{api_version}/...`` with the token in the query.
    Usage headers at ``usage_threshold`` percent or more make the next call wait (or raise)
    before Meta blocks: see `socialkit.providers.meta.usage`.
    """

    Settings: ClassVar[type[PlatformSettings]] = GraphSettings
    host: ClassVar[str] = "graph.facebook.com"
    usage_threshold: ClassVar[float] = 95.0
    """Usage percentage from which a bucket counts as exhausted."""
    usage_cooldown: ClassVar[float] = 60.0
    """Seconds an exhausted bucket (or a rate-limit error) waits when Meta gives no estimate."""
    page_size: ClassVar[int] = 25
    owner_setting: ClassVar[str] = "user_id"
    """The setting naming the account (``page_id``, ``user_id``); a target URL's host fills it."""

    settings: GraphSettings

    @classmethod
    def settings_from_url(cls, url: str) -> dict[str, Any]:
        """Settings from ``name://TOKEN@ACCOUNT_ID?api_version=v25.0``: the host is the account."""
        values = super().settings_from_url(url)
        host = values.pop(cls.url_host_setting, None)
        if host:
            values[cls.owner_setting] = urlsplit(host).hostname
        return values

    # -- wiring used by the drivers ---------------------------------------------------------

    @property
    def api_host(self) -> str:
        """The host calls go to."""
        return self.host

    @property
    def base_url(self) -> str:
        """``https://{host}/{api_version}``, or the ``base_url`` setting."""
        root = self.settings.base_url or f"https://{self.api_host}/{self.settings.api_version}"
        return root.rstrip("/")

    @property
    @abc.abstractmethod
    def owner_id(self) -> str:
        """The id of the Page or user whose content this platform manages."""

    @property
    def account_key(self) -> str:
        """Rate-limit state is kept per host and account."""
        return f"{self.base_url}#{self.owner_id}"

    @functools.cached_property
    def credential(self) -> GraphToken:
        """The token (and ``appsecret_proof``) as query parameters."""
        return GraphToken(self.settings.access_token, self.settings.app_secret)

    def rate_limit(self, response: Response) -> RateLimitInfo | None:
        """The usage headers as rate-limit state (`socialkit.providers.meta.usage`)."""
        usage = read_usage(response.headers)
        if usage is None:
            return None
        return usage_limit(usage, threshold=self.usage_threshold, cooldown=self.usage_cooldown)

    def map_error(self, response: Response) -> SocialkitError:
        """The Graph error object as our exception; rate limits carry the time to regain access."""
        return graph_error(self.name, response, retry_after=self._regain(response))

    def _regain(self, response: Response) -> float:
        """Seconds until the usage headers expect access again (the cooldown without them)."""
        info = self.rate_limit(response)
        if info is None or info.remaining != 0 or info.reset_at is None:
            return self.usage_cooldown
        return max(0.0, (info.reset_at - datetime.now(UTC)).total_seconds())

    # -- request builders for flows ----------------------------------------------------------

    def path(self, *parts: str) -> str:
        """A relative path of node ids and edges, each one URL segment."""
        return "/".join(quote(str(part), safe="") for part in parts)

    def get(
        self, *path: str, fields: str | None = None, cursor: str | None = None, **params: Any
    ) -> Call:
        """``GET`` a node or edge with a field selection, paging cursor and parameters."""
        query = {key: form_value(value) for key, value in params.items() if value is not None}
        if fields:
            query["fields"] = fields
        query.update(cursor_params(cursor))
        return Call("GET", self.path(*path), params=query)

    def post(
        self,
        *path: str,
        data: Mapping[str, Any] | None = None,
        files: Any = None,
        idempotent: bool = False,
        idempotency_key: str | None = None,
        bucket: str = "default",
        root: str | None = None,
    ) -> Call:
        """``POST`` form parameters (multipart with ``files``) to a node or edge, on the
        platform's base URL or another ``root`` (an absolute API root)."""
        form = {key: form_value(value) for key, value in (data or {}).items() if value is not None}
        return Call(
            "POST",
            f"{root}/{self.path(*path)}" if root else self.path(*path),
            data=form,
            files=files,
            idempotent=idempotent,
            idempotency_key=idempotency_key,
            bucket=bucket,
        )

    def delete(self, *path: str) -> Call:
        """``DELETE`` a node."""
        return Call("DELETE", self.path(*path))

    def listing(
        self, response: Response | None, convert: Callable[[Mapping[str, Any]], T]
    ) -> ResultPage[T]:
        """A page of a ``{"data": [...], "paging": {...}}`` listing."""
        payload = self.json(response)
        return ResultPage(items=data(payload, convert, self.name), next_cursor=next_cursor(payload))

    # -- flows every Graph platform reads the same way --------------------------------------

    def read(self, node: str, selection: str, convert: Callable[[Mapping[str, Any]], T]) -> Flow[T]:
        """``GET /{node}?fields=...``, converted."""
        response = yield self.get(node, fields=selection)
        return convert(self.json(response))

    def read_edge(
        self,
        *path: str,
        fields: str,
        convert: Callable[[Mapping[str, Any]], T],
        cursor: str | None,
        **params: Any,
    ) -> PageFlow[T]:
        """A page of ``GET /{node}/{edge}?fields=...`` (``limit`` is the page size unless
        ``params`` set it; ``limit=None`` sends none)."""
        params.setdefault("limit", self.page_size)
        response = yield self.get(*path, fields=fields, cursor=cursor, **params)
        return self.listing(response, convert)

    def insights(
        self,
        node: str,
        names: Mapping[str, str],
        subject: Literal["post", "account"],
        *,
        edge: str = "insights",
        since: datetime | None = None,
        until: datetime | None = None,
        longest: timedelta | None = None,
        earliest: datetime | None = None,
        **params: Any,
    ) -> Flow[list[Metric]]:
        """``GET /{node}/{edge}?metric=...`` as metrics with normalised ``names``: one
        request per window of at most ``longest``, ``since`` moved up to ``earliest`` (see
        `socialkit.providers.meta.ranges`)."""
        if earliest is not None:
            since = ranges.clamp(since, earliest, platform=self.name)
            if until is not None and until <= earliest:
                ranges.log.warning(
                    "%s insights start no earlier than %s: nothing to read until %s",
                    self.name, earliest.isoformat(), until.isoformat(),
                )
                return []
        found: list[Metric] = []
        for start, end in ranges.windows(since, until, longest, datetime.now(UTC)):
            response = yield self.get(
                node, edge, metric=",".join(names), since=start, until=end, **params
            )
            found.extend(
                metrics(
                    self.json(response),
                    platform=self.name,
                    subject=subject,
                    subject_id=node,
                    names=names,
                    since=start,
                    until=end,
                )
            )
        return ranges.unique(found)


def form_value(value: Any) -> str:
    """A parameter as Graph API form text: booleans as ``true``/``false``, times as Unix time."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return str(int(value.timestamp()))
    return str(value)
