"""A small Lexicon validator for the requests our tests capture.

It checks what a request sends against the Lexicon of the method it calls: the HTTP
method (query → GET, procedure → POST), the query parameters (known names, required ones
present), and a JSON body against the input schema, including the ``record`` of
createRecord/putRecord against its collection's record schema. Objects are checked
strictly: a property the Lexicon does not define is an error.

The Lexicons are read from ``<repo>/../shared/specs/bluesky/lexicons`` when present.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
import regex

from socialkit.providers.bluesky.ids import (
    is_did,
    is_handle,
    is_language,
    is_nsid,
    is_record_key,
    parse_at_uri,
)
from socialkit.providers.bluesky.parse import parse_datetime

SPECS = Path(__file__).resolve().parents[3].parent / "shared" / "specs" / "bluesky"
LEXICONS = SPECS / "lexicons"
INTEROP = SPECS / "interop-test-files"

# Parameters a service requires beyond its Lexicon (documented in the video tutorial).
EXTRA_PARAMS: Mapping[str, frozenset[str]] = {
    "app.bsky.video.uploadVideo": frozenset({"did", "name"}),
}

_GRAPHEME = regex.compile(r"\X")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


def available() -> bool:
    """Whether the Lexicon files are present."""
    return LEXICONS.is_dir()


@cache
def lexicon(nsid: str) -> Mapping[str, Any] | None:
    """The Lexicon document of ``nsid``, or ``None`` when there is no such file."""
    path = LEXICONS.joinpath(*nsid.split(".")).with_suffix(".json")
    return json.loads(path.read_text()) if path.is_file() else None


def _resolve(ref: str, nsid: str) -> tuple[Mapping[str, Any], str]:
    target, _, name = ref.partition("#")
    target = target or nsid
    doc = lexicon(target)
    if doc is None:
        raise LookupError(f"no Lexicon for {target}")
    return doc["defs"][name or "main"], target


_FORMATS = {
    "did": is_did,
    "handle": is_handle,
    "at-identifier": lambda v: is_did(v) or is_handle(v),
    "nsid": is_nsid,
    "record-key": is_record_key,
    "at-uri": lambda v: parse_at_uri(v) is not None,
    "datetime": lambda v: _DATETIME.fullmatch(v) is not None and parse_datetime(v) is not None,
    "uri": lambda v: re.fullmatch(r"[a-z][a-z0-9+.-]*:\S+", v) is not None,
    "cid": lambda v: re.fullmatch(r"[a-zA-Z0-9+=]{8,}", v) is not None,
    "language": is_language,
}


def validate(value: Any, schema: Mapping[str, Any], nsid: str, where: str = "$") -> list[str]:
    """The ways ``value`` breaks ``schema`` (a Lexicon type definition of document ``nsid``)."""
    kind = schema.get("type")
    if kind == "ref":
        target, doc = _resolve(schema["ref"], nsid)
        return validate(value, target, doc, where)
    if kind == "union":
        return _union(value, schema, nsid, where)
    if kind == "object" or kind == "record":
        body = schema["record"] if kind == "record" else schema
        return _object(value, body, nsid, where)
    if kind == "array":
        if not isinstance(value, list):
            return [f"{where}: expected an array"]
        problems = []
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            problems.append(f"{where}: more than {schema['maxLength']} items")
        for index, item in enumerate(value):
            problems += validate(item, schema["items"], nsid, f"{where}[{index}]")
        return problems
    if kind == "string":
        return _string(value, schema, where)
    if kind == "integer":
        ok = isinstance(value, int) and not isinstance(value, bool)
        ok = ok and schema.get("minimum", value) <= value <= schema.get("maximum", value)
        return [] if ok else [f"{where}: not an integer in range: {value!r}"]
    if kind == "boolean":
        return [] if isinstance(value, bool) else [f"{where}: expected a boolean"]
    if kind == "blob":
        ok = isinstance(value, Mapping) and value.get("$type") == "blob" and "ref" in value
        return [] if ok else [f"{where}: expected a blob ref"]
    return []  # unknown, cid-link, bytes, token: not checked


def _union(value: Any, schema: Mapping[str, Any], nsid: str, where: str) -> list[str]:
    if not isinstance(value, Mapping) or not isinstance(value.get("$type"), str):
        return [f"{where}: a union member needs $type"]
    wanted = value["$type"]
    for ref in schema["refs"]:
        full = f"{nsid}{ref}" if ref.startswith("#") else ref
        if full == wanted or full == f"{wanted}#main" or full.removesuffix("#main") == wanted:
            target, doc = _resolve(full, nsid)
            return validate(value, target, doc, where)
    return [f"{where}: $type {wanted!r} is not one of {schema['refs']}"]


def _object(value: Any, schema: Mapping[str, Any], nsid: str, where: str) -> list[str]:
    if not isinstance(value, Mapping):
        return [f"{where}: expected an object"]
    properties = schema.get("properties", {})
    problems = [f"{where}: missing {k!r}" for k in schema.get("required", []) if k not in value]
    for key, item in value.items():
        if key == "$type":
            continue
        if key not in properties:
            problems.append(f"{where}: unknown property {key!r}")
        elif item is None and key in schema.get("nullable", []):
            continue
        else:
            problems += validate(item, properties[key], nsid, f"{where}.{key}")
    return problems


def _string(value: Any, schema: Mapping[str, Any], where: str) -> list[str]:
    if not isinstance(value, str):
        return [f"{where}: expected a string"]
    problems = []
    if "maxLength" in schema and len(value.encode()) > schema["maxLength"]:
        problems.append(f"{where}: longer than {schema['maxLength']} bytes")
    if "maxGraphemes" in schema and len(_GRAPHEME.findall(value)) > schema["maxGraphemes"]:
        problems.append(f"{where}: more than {schema['maxGraphemes']} graphemes")
    check = _FORMATS.get(schema.get("format", ""))
    if check is not None and not check(value):
        problems.append(f"{where}: not a valid {schema['format']}: {value!r}")
    return problems


def check_request(request: httpx.Request) -> list[str]:
    """The ways an XRPC request breaks its method's Lexicon (an empty list when it does not)."""
    path = request.url.path
    if "/xrpc/" not in path:
        return []
    nsid = path.rsplit("/xrpc/", 1)[1]
    doc = lexicon(nsid)
    if doc is None:
        return [f"{nsid}: no Lexicon"]
    main = doc["defs"]["main"]
    expected = {"query": "GET", "procedure": "POST"}[main["type"]]
    problems = [] if request.method == expected else [f"{nsid}: {request.method}, not {expected}"]
    params = parse_qsl(request.url.query.decode(), keep_blank_values=True)
    declared = main.get("parameters", {}).get("properties", {})
    allowed = set(declared) | EXTRA_PARAMS.get(nsid, frozenset())
    problems += [f"{nsid}: unknown parameter {k!r}" for k, _ in params if k not in allowed]
    names = {k for k, _ in params}
    for required in main.get("parameters", {}).get("required", []):
        if required not in names:
            problems.append(f"{nsid}: missing parameter {required!r}")
    for key, raw in params:
        spec = declared.get(key, {})
        item = spec.get("items", spec) if spec.get("type") == "array" else spec
        if item.get("type") == "integer" and not re.fullmatch(r"-?\d+", raw):
            problems.append(f"{nsid}: parameter {key!r} is not an integer")
    if main["type"] == "procedure":
        problems += _check_input(nsid, main, request)
    return problems


def _check_input(nsid: str, main: Mapping[str, Any], request: httpx.Request) -> list[str]:
    encoding = main.get("input", {}).get("encoding")
    content_type = request.headers.get("content-type", "")
    if encoding is None:
        return [f"{nsid}: takes no body"] if request.content else []
    if encoding != "application/json":
        if encoding not in ("*/*", content_type.split(";")[0]):
            return [f"{nsid}: Content-Type {content_type!r}, not {encoding}"]
        return []
    if not content_type.startswith("application/json"):
        return [f"{nsid}: Content-Type {content_type!r}, not application/json"]
    body = json.loads(request.content)
    problems = validate(body, main["input"]["schema"], nsid)
    collection = body.get("collection")
    if "record" in body and isinstance(collection, str):
        record_doc = lexicon(collection)
        if record_doc is None:
            return [*problems, f"{nsid}: no Lexicon for collection {collection}"]
        if body["record"].get("$type") != collection:
            problems.append(f"{nsid}: record $type is not {collection}")
        problems += validate(body["record"], record_doc["defs"]["main"], collection, "$.record")
    return problems
