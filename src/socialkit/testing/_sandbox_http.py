"""Sandbox HTTP plumbing: body parsing, Rails-style params, routing, pagination and Link headers."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import parse_qsl, quote

import attrs
import httpx
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from ._sandbox_store import SandboxError

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

__all__ = [
    "Page",
    "Reply",
    "Router",
    "Upload",
    "link_header",
    "paginate",
    "parse_body",
    "rails_params",
]

T = TypeVar("T")


@attrs.frozen
class Upload:
    """A file part of a multipart body."""

    filename: str
    content_type: str
    data: bytes = attrs.field(repr=False)


@attrs.frozen
class Body:
    """A parsed request body: JSON, or form fields (url-encoded or multipart) and files."""

    json: Any = None
    form: tuple[tuple[str, str], ...] | None = None
    files: dict[str, Upload] = attrs.Factory(dict)


@attrs.frozen
class Reply:
    """What a handler answers: a status, a JSON body (or raw bytes) and extra headers."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = attrs.Factory(dict)
    raw: bytes | None = None

    def to_response(self) -> httpx.Response:
        """Encode as an ``httpx.Response``."""
        headers = dict(self.headers)
        if self.raw is not None:
            return httpx.Response(self.status, headers=headers, content=self.raw)
        headers["Content-Type"] = "application/json; charset=utf-8"
        content = json.dumps(self.body, ensure_ascii=False, separators=(",", ":")).encode()
        return httpx.Response(self.status, headers=headers, content=content)


class _Parts:
    """Collects the parts python-multipart's streaming parser reports."""

    def __init__(self) -> None:
        self.fields: list[tuple[str, str]] = []
        self.files: dict[str, Upload] = {}
        self._headers: dict[str, str] = {}
        self._field = self._value = b""
        self._data: list[bytes] = []

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self._begin,
            "on_header_field": self._on_field,
            "on_header_value": self._on_value,
            "on_header_end": self._header_end,
            "on_part_data": self._on_data,
            "on_part_end": self._end,
        }

    def _begin(self) -> None:
        self._headers, self._data = {}, []

    def _on_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def _on_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def _header_end(self) -> None:
        name = self._field.decode("latin-1").strip().lower()
        self._headers[name] = self._value.decode("utf-8", "replace").strip()
        self._field = self._value = b""

    def _on_data(self, data: bytes, start: int, end: int) -> None:
        self._data.append(data[start:end])

    def _end(self) -> None:
        _, options = parse_options_header(self._headers.get("content-disposition", ""))
        name = options.get(b"name")
        if name is None:
            return
        data = b"".join(self._data)
        filename = options.get(b"filename")
        if filename is not None:
            ctype = self._headers.get("content-type", "application/octet-stream")
            self.files[name.decode()] = Upload(filename.decode(), ctype, data)
        else:
            self.fields.append((name.decode(), data.decode("utf-8", "replace")))


def _multipart(body: bytes, content_type: str) -> Body:
    """Parse with python-multipart (the parser Starlette uses)."""
    _, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if not boundary:
        raise SandboxError(400, "Malformed multipart body")
    parts = _Parts()
    try:
        parser = MultipartParser(boundary, parts.callbacks())
        parser.write(body)
        parser.finalize()
    except FormParserError as exc:
        raise SandboxError(400, "Malformed multipart body") from exc
    return Body(form=tuple(parts.fields), files=parts.files)


def parse_body(request: httpx.Request) -> Body:
    """Parse a JSON, url-encoded or multipart body (anything else is ignored)."""
    content = request.content
    if not content:
        return Body()
    ctype = request.headers.get("content-type", "").lower()
    if ctype.startswith("application/json"):
        try:
            return Body(json=json.loads(content))
        except ValueError as exc:
            raise SandboxError(400, "Error occurred while parsing request parameters") from exc
    if ctype.startswith("application/x-www-form-urlencoded"):
        pairs = parse_qsl(content.decode("utf-8", "replace"), keep_blank_values=True)
        return Body(form=tuple(pairs))
    if ctype.startswith("multipart/form-data"):
        return _multipart(content, request.headers["content-type"])
    return Body()


_KEY = re.compile(r"\[([^\]]*)\]")


def rails_params(pairs: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """Nest ``a[]``, ``a[b]`` and ``a[b][]`` keys the way Rails does.

    A plain key repeated also collects into a list, so ``types=a&types=b`` works.
    """
    out: dict[str, Any] = {}
    for key, value in pairs:
        head = key.split("[", 1)[0]
        parts = [head, *_KEY.findall(key[len(head) :])]
        node = out
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            is_list = not last and parts[i + 1] == "" and i + 1 == len(parts) - 1
            if is_list:
                existing = node.get(part)
                if not isinstance(existing, list):
                    existing = [] if existing is None else [existing]
                    node[part] = existing
                existing.append(value)
                break
            if last:
                if part in node and not isinstance(node[part], dict):
                    prev = node[part]
                    node[part] = [*prev, value] if isinstance(prev, list) else [prev, value]
                else:
                    node[part] = value
            else:
                child = node.get(part)
                if not isinstance(child, dict):
                    child = {}
                    node[part] = child
                node = child
    return out


Handler = Callable[[Any], Reply]


@attrs.frozen
class Route:
    """One entry of the route table."""

    method: str
    pattern: re.Pattern[str]
    handler: Handler
    auth: bool


class Router:
    """A tiny method + regex route table."""

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def route(self, method: str, path: str, *, auth: bool = True) -> Callable[[Handler], Handler]:
        """Register a handler for ``method`` and a path regex (named groups are arguments)."""

        def register(handler: Handler) -> Handler:
            self.routes.append(Route(method, re.compile(path + r"\Z"), handler, auth))
            return handler

        return register

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        """The route and its path arguments, or ``None``."""
        for r in self.routes:
            if r.method == method and (m := r.pattern.match(path)):
                return r, m.groupdict()
        return None


def _cursor(value: str | None) -> int | None:
    if value is None or not value.isdigit():
        return None
    return int(value)


@attrs.frozen
class Page:
    """Pagination arguments of a list request."""

    max_id: int | None = None
    since_id: int | None = None
    min_id: int | None = None
    limit: int = 20

    @classmethod
    def from_params(cls, params: dict[str, Any], *, default: int, maximum: int) -> Page:
        """Read ``max_id``/``since_id``/``min_id``/``limit`` (clamped to 1..maximum)."""
        raw = params.get("limit")
        limit = int(raw) if isinstance(raw, str | int) and str(raw).isdigit() else default
        return cls(
            _cursor(_scalar(params.get("max_id"))),
            _cursor(_scalar(params.get("since_id"))),
            _cursor(_scalar(params.get("min_id"))),
            max(1, min(limit, maximum)),
        )


def _scalar(value: Any) -> str | None:
    return None if value is None else str(value)


def paginate(items: Sequence[T], key: Callable[[T], int], page: Page) -> list[T]:
    """Apply Mastodon's cursor rules to ``items`` sorted oldest first; answer newest first.

    ``max_id`` bounds above, ``since_id`` below (newest results), ``min_id`` below but
    takes the results immediately after it (oldest first, then reversed).
    """
    selected = [
        it
        for it in items
        if (page.max_id is None or key(it) < page.max_id)
        and (page.since_id is None or key(it) > page.since_id)
        and (page.min_id is None or key(it) > page.min_id)
    ]
    if page.min_id is not None:
        return selected[: page.limit][::-1]
    return selected[::-1][: page.limit]


def link_header(
    origin: str, path: str, query: Sequence[tuple[str, str]], ids: Sequence[str], limit: int
) -> str | None:
    """Mastodon's ``Link`` header for a page of ``ids`` (newest first).

    ``next`` (``max_id`` = oldest) only when the page is full, ``prev`` (``min_id`` =
    newest) when it is not empty; other query parameters are kept, sorted as Rails does.
    """
    kept = sorted(
        ((k, v) for k, v in query if k not in ("max_id", "min_id", "since_id")),
        key=lambda kv: kv[0],
    )

    def url(cursor: str, value: str) -> str:
        pairs = sorted([*kept, (cursor, value)], key=lambda kv: kv[0])
        qs = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)
        return f"<{origin}{path}?{qs}>"

    links = []
    if ids and len(ids) >= limit:
        links.append(f'{url("max_id", ids[-1])}; rel="next"')
    if ids:
        links.append(f'{url("min_id", ids[0])}; rel="prev"')
    return ", ".join(links) or None
