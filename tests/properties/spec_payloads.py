"""Hypothesis strategies for answers shaped by the platforms' official schemas.

A small generator, not a full JSON Schema implementation: OpenAPI 3 schema objects
(Mastodon's and X's specs: ``$ref``, ``type`` lists, ``properties``/``required``,
``items``, ``enum``, ``oneOf``/``anyOf``/``allOf``, string formats) and AT Protocol
lexicons (Bluesky: ``ref``, ``union``, ``unknown``, string formats). Recursion stops at
a depth: past it optional properties are left out and nullable values are null. Strings
named like identifiers are never empty (the schemas allow it; no server sends it).

``SPECS`` is ``../shared/specs`` seen from the repository, absent on a fresh clone: the
tests that use it skip then.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

SPECS = Path(__file__).resolve().parents[2].parent / "shared" / "specs"
MAX_DEPTH = 4

_ID_NAME = re.compile(r"(^|_)(id|ids|uri|url|acct|username|handle|did|cid)$|Id$", re.I)
_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12)
_TEXT = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "héllo wörld",
            "你好",
            '<p>hi <a href="https://x.example">@a</a></p>',
            "\u202e\u200b",
            "👩‍👩‍👧",
        ]
    ),
)
_DATETIMES = st.datetimes(
    min_value=datetime(1970, 1, 2), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
).map(lambda d: d.isoformat().replace("+00:00", "Z"))
_FORMATS: dict[str, st.SearchStrategy[str]] = {
    "date-time": _DATETIMES,
    "datetime": _DATETIMES,
    "date": st.dates().map(str),
    "uri": _WORD.map(lambda w: f"https://example.com/{w}"),
    "url": _WORD.map(lambda w: f"https://example.com/{w}"),
    "email": _WORD.map(lambda w: f"{w}@example.com"),
    "at-uri": st.tuples(_WORD, _WORD).map(
        lambda p: f"at://did:plc:{p[0]}/app.bsky.feed.post/{p[1]}"
    ),
    "did": _WORD.map(lambda w: f"did:plc:{w}"),
    "handle": _WORD.map(lambda w: f"{w}.bsky.social"),
    "at-identifier": _WORD.map(lambda w: f"{w}.bsky.social"),
    "cid": _WORD.map(lambda w: f"bafyrei{w}"),
    "language": st.sampled_from(["en", "zh", "pt-BR"]),
    "nsid": st.just("app.bsky.feed.post"),
    "tid": st.just("3jzfcijpj2z2a"),
    "record-key": _WORD,
}


def _string(name: str, schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if "knownValues" in schema:
        return st.sampled_from(schema["knownValues"])
    if "const" in schema:
        return st.just(schema["const"])
    fmt = schema.get("format")
    if fmt in _FORMATS:
        return _FORMATS[fmt]
    if fmt in ("int64", "int32", "uint64", "uint32"):
        return st.integers(0, 2**53).map(str)
    return _WORD if _ID_NAME.search(name) else _TEXT


def _scalar(kind: str, name: str, schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    if kind == "string":
        return _string(name, schema)
    if kind == "integer":
        low = schema.get("minimum", 0)
        return st.integers(low, max(low, schema.get("maximum", 2**40)))
    if kind == "number":
        return st.floats(0, 1e9, allow_nan=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    return st.just({})


class OpenAPI:
    """Values for the schema objects of one OpenAPI 3 document."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document

    def resolve(self, ref: str) -> dict[str, Any]:
        node: Any = self.document
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]
        return dict(node)

    def values(
        self, schema: dict[str, Any], name: str = "", depth: int = 0
    ) -> st.SearchStrategy[Any]:
        """Values valid for ``schema`` (found under property ``name``)."""
        if "$ref" in schema:
            target = self.resolve(schema["$ref"])
            return st.deferred(lambda: self.values(target, name, depth + 1))
        for key in ("oneOf", "anyOf"):
            if key in schema:
                options = schema[key]
                if depth > MAX_DEPTH and any(o.get("type") == "null" for o in options):
                    return st.none()
                return st.one_of([self.values(o, name, depth) for o in options])
        if "allOf" in schema:
            merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
            for part in schema["allOf"]:
                part = self.resolve(part["$ref"]) if "$ref" in part else part
                merged["properties"].update(part.get("properties", {}))
                merged["required"] += part.get("required", [])
            return self.values(merged, name, depth)
        kinds = schema.get("type", "object" if "properties" in schema else "string")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if depth > MAX_DEPTH and "null" in kinds:
            return st.none()
        return st.one_of([self._typed(k, name, schema, depth) for k in kinds])

    def _typed(
        self, kind: str, name: str, schema: dict[str, Any], depth: int
    ) -> st.SearchStrategy[Any]:
        if kind == "array":
            items = schema.get("items", {})
            size = 0 if depth > MAX_DEPTH else 3
            return st.lists(self.values(items, name, depth + 1), max_size=size)
        if kind == "object":
            properties = schema.get("properties", {})
            required = set(schema.get("required", []))
            return st.fixed_dictionaries(
                {k: self.values(v, k, depth + 1) for k, v in properties.items() if k in required},
                optional={}
                if depth > MAX_DEPTH
                else {
                    k: self.values(v, k, depth + 1)
                    for k, v in properties.items()
                    if k not in required
                },
            )
        return _scalar(kind, name, schema)

    def answer(self, method: str, path: str) -> dict[str, Any] | None:
        """The schema of a 200 answer to ``method path`` (a concrete path), if documented."""
        for template, operations in self.document["paths"].items():
            pattern = _template(template)
            if pattern.fullmatch(path) and method.lower() in operations:
                responses = operations[method.lower()].get("responses", {})
                for status in ("200", "201"):
                    content = responses.get(status, {}).get("content", {})
                    if "application/json" in content:
                        return dict(content["application/json"]["schema"])
        return None


class Discovery(OpenAPI):
    """Values for the schemas of a Google API discovery document (YouTube's): the same
    schema objects, with ``$ref`` naming a schema and methods under ``resources``."""

    def resolve(self, ref: str) -> dict[str, Any]:
        return dict(self.document["schemas"][ref])

    def answer(self, method: str, path: str) -> dict[str, Any] | None:
        for found in _methods(self.document.get("resources", {})):
            if (
                found.get("httpMethod") == method
                and "response" in found
                and _template("/" + found["flatPath"]).fullmatch(path)
            ):
                return dict(found["response"])
        return None


def _methods(resources: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for resource in resources.values():
        yield from resource.get("methods", {}).values()
        yield from _methods(resource.get("resources", {}))


@cache
def _template(path: str) -> re.Pattern[str]:
    """A regular expression for an OpenAPI path template (``/2/tweets/{id}``)."""
    return re.compile(re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)))


class Lexicons:
    """Values for the AT Protocol lexicons in one folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @cache  # noqa: B019 - a handful of instances for the session
    def document(self, nsid: str) -> dict[str, Any]:
        path = self.folder.joinpath(*nsid.split(".")).with_suffix(".json")
        return dict(json.loads(path.read_text(encoding="utf-8")))

    def definition(self, ref: str, context: str) -> tuple[dict[str, Any], str]:
        nsid, _, name = ref.partition("#")
        nsid = nsid or context
        return self.document(nsid)["defs"][name or "main"], nsid

    def values(
        self, schema: dict[str, Any], context: str, name: str = "", depth: int = 0
    ) -> st.SearchStrategy[Any]:
        """Values valid for the lexicon ``schema`` (in the document ``context``)."""
        kind = schema.get("type")
        if kind == "ref":
            target, nsid = self.definition(schema["ref"], context)
            return st.deferred(lambda: self.values(target, nsid, name, depth + 1))
        if kind == "union":
            refs = schema["refs"][:1] if depth > MAX_DEPTH else schema["refs"]
            return st.one_of([self._typed_ref(r, context, depth) for r in refs])
        if kind == "unknown":  # a record: a post where the app reads one
            post, _ = self.definition("app.bsky.feed.post", context)
            return st.one_of(
                st.just({}),
                self.values(post["record"], "app.bsky.feed.post", name, depth + 1).map(
                    lambda r: {"$type": "app.bsky.feed.post", **r}
                ),
            )
        if kind == "record":
            return self.values(schema["record"], context, name, depth)
        if kind == "array":
            size = 0 if depth > MAX_DEPTH else 3
            return st.lists(self.values(schema["items"], context, name, depth + 1), max_size=size)
        if kind in ("blob", "cid-link", "bytes"):
            return st.just({"$link": "bafyreiexample"})
        if kind == "object":
            properties = schema.get("properties", {})
            required = set(schema.get("required", []))
            nullable = set(schema.get("nullable", []))

            def field(key: str, value: dict[str, Any]) -> st.SearchStrategy[Any]:
                strategy = self.values(value, context, key, depth + 1)
                return st.one_of(st.none(), strategy) if key in nullable else strategy

            return st.fixed_dictionaries(
                {k: field(k, v) for k, v in properties.items() if k in required},
                optional={}
                if depth > MAX_DEPTH
                else {k: field(k, v) for k, v in properties.items() if k not in required},
            )
        return _scalar(str(kind), name, schema)

    def _typed_ref(self, ref: str, context: str, depth: int) -> st.SearchStrategy[Any]:
        target, nsid = self.definition(ref, context)
        full = ref if "." in ref.partition("#")[0] else f"{context}{ref}"
        kind = full.removesuffix("#main")
        return self.values(target, nsid, "", depth + 1).map(
            lambda v: {"$type": kind, **v} if isinstance(v, dict) else v
        )

    def answer(self, nsid: str) -> tuple[dict[str, Any], str] | None:
        """The output schema of the XRPC method ``nsid``, if it has a JSON one."""
        try:
            main = self.document(nsid)["defs"]["main"]
        except (OSError, KeyError):
            return None
        schema = main.get("output", {}).get("schema")
        return (dict(schema), nsid) if schema else None


@cache
def mastodon() -> OpenAPI:
    return OpenAPI(json.loads((SPECS / "mastodon" / "openapi.json").read_text("utf-8")))


@cache
def x() -> OpenAPI:
    return OpenAPI(json.loads((SPECS / "x" / "openapi.json").read_text("utf-8")))


@cache
def youtube() -> Discovery:
    return Discovery(json.loads((SPECS / "youtube" / "youtube__v3.json").read_text("utf-8")))


@cache
def youtube_analytics() -> Discovery:
    path = SPECS / "youtube" / "youtubeAnalytics__v2.json"
    return Discovery(json.loads(path.read_text("utf-8")))


def youtube_answer(method: str, path: str) -> st.SearchStrategy[Any] | None:
    """What the Data API (or, for ``/v2/...``, the Analytics API) may answer."""
    return (_ANALYTICS if path.startswith("/v2/") else _DATA)(method, path)


@cache
def bluesky() -> Lexicons:
    return Lexicons(SPECS / "bluesky" / "lexicons")


Answer = Callable[[str, str], st.SearchStrategy[Any] | None]


def openapi_answer(spec: Callable[[], OpenAPI]) -> Answer:
    """What a server following the OpenAPI document may answer to ``method path``."""

    @cache
    def answer(method: str, path: str) -> st.SearchStrategy[Any] | None:
        schema = spec().answer(method, path)
        return None if schema is None else spec().values(schema)

    return answer


_DATA = openapi_answer(youtube)
_ANALYTICS = openapi_answer(youtube_analytics)


@cache
def lexicon_answer(method: str, path: str) -> st.SearchStrategy[Any] | None:
    """What an AT Protocol service may answer to ``method /xrpc/nsid``."""
    found = bluesky().answer(path.rsplit("/xrpc/", 1)[-1])
    return None if found is None else bluesky().values(*found)
