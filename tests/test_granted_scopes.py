"""Capabilities that depend on what the connected account granted (Platform.required_scopes)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import pytest

import socialkit as sk
from socialkit.auth import OAuth2Token
from socialkit.models import Post
from socialkit.platform import Capability, Flow, Platform
from socialkit.testing.contract import NoNetwork


class Scoped(Platform):
    name = "scoped"
    default_base_url = "https://api.scoped.example"
    capabilities = frozenset({Capability.PUBLISH_TEXT, Capability.READ_POSTS})
    required_scopes: ClassVar[Mapping[Capability, frozenset[str]]] = {
        Capability.READ_POSTS: frozenset({"posts.read"})
    }

    def __init__(self, scope: str | None, **values: Any) -> None:
        super().__init__(**values)
        self._scope = scope

    @property  # type: ignore[override]
    def credential(self) -> OAuth2Token:
        return OAuth2Token("t", scope=self._scope)

    def get_post(self, post_id: str) -> Flow[Post]:
        self.require(Capability.READ_POSTS)
        response = yield self.call("GET", f"/posts/{post_id}")
        return Post(platform=self.name, id=self.json(response)["id"])


def test_a_capability_whose_scope_was_not_granted_is_not_offered() -> None:
    client = sk.Client(Scoped("posts.write other"), transport=NoNetwork())
    assert client.capabilities == {Capability.PUBLISH_TEXT}
    assert client.platform.missing_scopes(Capability.READ_POSTS) == {"posts.read"}


def test_using_it_names_the_missing_permission_before_any_request() -> None:
    client = sk.Client(Scoped("posts.write"), transport=NoNetwork())
    with pytest.raises(sk.Unsupported, match=r"posts\.read") as raised:
        client.get_post("1")
    assert raised.value.capability == "read_posts"


@pytest.mark.parametrize("scope", ["posts.read", "a,posts.read", None])
def test_granted_or_unknown_scopes_leave_the_capability(scope: str | None) -> None:
    assert Capability.READ_POSTS in sk.Client(Scoped(scope)).capabilities


class NoScopes(Platform):
    name = "noscopes"
    capabilities = frozenset({Capability.PUBLISH_TEXT})

    @property  # type: ignore[override]
    def credential(self) -> OAuth2Token:
        raise AssertionError("a platform without required scopes never reads its credential")


def test_a_platform_without_required_scopes_never_reads_its_credential() -> None:
    client = sk.Client(NoScopes(), transport=NoNetwork())
    assert client.capabilities == {Capability.PUBLISH_TEXT}
    client.platform.require(Capability.PUBLISH_TEXT)
