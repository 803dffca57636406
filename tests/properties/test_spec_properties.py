"""Property: answers shaped by the official schemas are read; mutated ones end in errors.

A server that answers every request with a value generated from the platform's own
schema (Mastodon's and X's OpenAPI documents, YouTube's discovery documents, Bluesky's
lexicons in ``../shared/specs``; skipped without them). Valid answers must read as valid
models (errors only where the spec itself allows them); mutated ones (see `hostile_json`)
as valid models or socialkit errors, never a raw exception.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import socialkit as sk
from socialkit.errors import SocialkitError

from .hostile_json import encode, mutated
from .spec_payloads import (
    SPECS,
    Answer,
    lexicon_answer,
    mastodon,
    openapi_answer,
    x,
    youtube_answer,
)
from .test_parser_properties import (
    FAST,
    HARD_LIMIT,
    LIMITS,
    OPERATIONS,
    assert_valid,
    forget_process_state,
    hard_limit,
)

pytestmark = pytest.mark.skipif(not SPECS.is_dir(), reason=f"no specs at {SPECS}")

# per provider (and per driver); `nox -s hunt` runs many more
EXAMPLES = int(os.environ.get("SOCIALKIT_PROPERTY_EXAMPLES", "15"))


@dataclass(frozen=True)
class SpecTarget:
    """A provider, the spec its server follows, and answers the spec cannot give."""

    name: str
    platform: Callable[[], sk.Platform]
    answer: Answer
    post_id: str
    fixed: Callable[[], dict[str, Any]]  # path -> body (logins: a generated JWT is no JWT)
    excused: str = "(?!)"  # the errors a valid answer may still end in (the spec allows it)


def _bluesky_fixed() -> dict[str, Any]:
    from ..providers.bluesky.bsky_support import DID, HANDLE, jwt, session

    login = session(jwt("access"), jwt("refresh"))
    return {
        "/xrpc/com.atproto.server.createSession": login,
        "/xrpc/com.atproto.server.getSession": {"did": DID, "handle": HANDLE},
    }


def _targets() -> list[SpecTarget]:
    from socialkit.providers.mastodon import Mastodon

    from ..providers.bluesky.bsky_support import DID
    from ..providers.bluesky.bsky_support import platform as bluesky
    from ..providers.x.conftest import make_platform as x_platform
    from ..providers.youtube.youtube_support import make_platform as youtube_platform

    return [
        SpecTarget(
            "mastodon",
            lambda: Mastodon(instance="https://m.example", access_token="t"),
            openapi_answer(mastodon),
            "109",
            dict,
        ),
        # X's spec requires nothing: a post without "id", an answer without "data" (and an
        # "errors" list instead) are valid by it, and errors for socialkit
        SpecTarget(
            "x",
            lambda: x_platform(access_token="t"),
            openapi_answer(x),
            "1460",
            dict,
            r"ParseError: \[x\] unexpected payload: missing '(data|id|username)'"
            r"|PermissionDenied|PlatformError|NotFound",
        ),
        # YouTube's discovery document requires nothing either: a video without "id", a
        # comment thread without its comment are valid by it; a list may leave the asked
        # video out (not found)
        SpecTarget(
            "youtube",
            youtube_platform,
            youtube_answer,
            "dQw4w9WgXcQ",
            dict,
            r"ParseError: \[youtube\]|NotFound",
        ),
        # getPosts may leave the asked post out (not found); a thread may be blocked
        SpecTarget(
            "bluesky",
            bluesky,
            lexicon_answer,
            f"at://{DID}/app.bsky.feed.post/3k",
            _bluesky_fixed,
            r"NotFound: .* post not found|PermissionDenied: .* blocked",
        ),
    ]


class SpecServer:
    """Answers each request with a value of its documented 200 schema (maybe mutated)."""

    def __init__(self, target: SpecTarget, data: st.DataObject, mutate: bool) -> None:
        self.target, self.data, self.mutate = target, data, mutate
        self.fixed = target.fixed()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path in self.fixed:
            return httpx.Response(200, json=self.fixed[path])
        strategy = self.target.answer(request.method, path)
        if strategy is None:
            return httpx.Response(404, json={"error": "not in the spec"})
        value = self.data.draw(strategy, label=f"{request.method} {path}")
        if self.mutate:
            value = self.data.draw(mutated(value), label="mutated")
        return httpx.Response(
            200,
            headers={"Content-Type": "application/json"},
            content=encode(value) if self.mutate else json.dumps(value),
        )


def run(target: SpecTarget, data: st.DataObject, *, mutate: bool) -> list[str]:
    """Each supported read against the spec server; the names of those that failed."""
    forget_process_state()
    server = SpecServer(target, data, mutate)
    failed: list[str] = []
    with (
        hard_limit(HARD_LIMIT),
        sk.Client(
            target.platform(), transport=httpx.MockTransport(server), retry=FAST, limits=LIMITS
        ) as client,
    ):
        client._sleep = lambda seconds: None  # type: ignore[method-assign]
        for capability, name, operation in OPERATIONS:
            if capability not in client.capabilities:
                continue
            try:
                result = operation(client, target.post_id)
            except SocialkitError as error:
                failed.append(f"{name}: {type(error).__name__}: {error}")
                continue
            assert_valid(result, name)
    return failed


SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize("target", _targets(), ids=lambda t: t.name)
@SETTINGS
@given(data=st.data())
def test_a_mutated_spec_answer_ends_in_a_model_or_a_socialkit_error(
    target: SpecTarget, data: st.DataObject
) -> None:
    run(target, data, mutate=True)


@pytest.mark.parametrize("target", _targets(), ids=lambda t: t.name)
@SETTINGS
@given(data=st.data())
def test_a_valid_spec_answer_reads_as_a_valid_model(
    target: SpecTarget, data: st.DataObject
) -> None:
    failed = run(target, data, mutate=False)
    assert [f for f in failed if not re.search(target.excused, f)] == []
