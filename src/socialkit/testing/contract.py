"""`PlatformContract`: behavioural tests every provider passes, built-in or third-party.

Subclass it in a test module and provide two fixtures:

```python
from socialkit.testing import PlatformContract

class TestMyPlatform(PlatformContract):
    @pytest.fixture
    def platform(self):            # a configured provider instance (no I/O)
        return MyPlatform(MyPlatform.Settings(access_token="t"))

    @pytest.fixture
    def client(self, platform):    # a Client backed by something stateful: a fake server,
        return sk.Client(platform, transport=my_fake.transport())   # a sandbox, respx routes
```

The offline tests run the platform against a transport that fails the test
on any request, so they prove that refusals happen before I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import httpx
import pytest
from pydantic import SecretStr

from ..client import Client
from ..errors import InvalidContent, NotFound, Unsupported
from ..models import Draft
from ..platform import Capability, Platform, PlatformSettings

__all__ = ["NoNetwork", "PlatformContract"]


class NoNetwork(httpx.BaseTransport):
    """A transport that fails the test on any request."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"no request was expected, got {request.method} {request.url.path}")


# How each capability is exercised on a client; the arguments never reach a server.
_PROBES: dict[Capability, Callable[[Client], Any]] = {
    Capability.PUBLISH_TEXT: lambda c: c.publish("contract probe"),
    Capability.PUBLISH_THREAD: lambda c: c.publish_thread(["one", "two"]),
    Capability.READ_POSTS: lambda c: c.posts(),
    Capability.EDIT: lambda c: c.edit_post("1", "contract probe"),
    Capability.DELETE: lambda c: c.delete_post("1"),
    Capability.READ_COMMENTS: lambda c: c.comments("1"),
    Capability.REPLY: lambda c: c.reply("1", "contract probe"),
    Capability.MODERATE: lambda c: c.hide_comment("1"),
    Capability.MENTIONS: lambda c: c.mentions(),
    Capability.SEARCH: lambda c: c.search("contract"),
    Capability.POST_METRICS: lambda c: c.post_metrics("1"),
    Capability.ACCOUNT_METRICS: lambda c: c.account_metrics(),
    Capability.REACT: lambda c: c.react("1"),
    Capability.REPOST: lambda c: c.repost("1"),
}

# The Platform method a capability needs overridden.
_IMPLEMENTS: dict[Capability, str] = {
    Capability.PUBLISH_TEXT: "publish",
    Capability.PUBLISH_IMAGE: "publish",
    Capability.PUBLISH_VIDEO: "publish",
    Capability.READ_POSTS: "get_post",
    Capability.EDIT: "edit_post",
    Capability.DELETE: "delete_post",
    Capability.READ_COMMENTS: "comments",
    Capability.REPLY: "reply",
    Capability.MODERATE: "hide_comment",
    Capability.MENTIONS: "mentions",
    Capability.SEARCH: "search",
    Capability.POST_METRICS: "post_metrics",
    Capability.ACCOUNT_METRICS: "account_metrics",
    Capability.REACT: "react",
    Capability.REPOST: "repost",
}


class PlatformContract:
    """Behavioural tests for a provider. Subclass and define ``platform`` and ``client``."""

    missing_post_id: ClassVar[str] = "0"
    """An id the backend does not know, for the not-found test."""

    @pytest.fixture
    def platform(self) -> Platform:
        """A configured provider instance. Override."""
        pytest.fail("a PlatformContract subclass must define a `platform` fixture")

    @pytest.fixture
    def client(self, platform: Platform) -> Client:
        """A client backed by something stateful. Override."""
        pytest.fail("a PlatformContract subclass must define a `client` fixture")

    @pytest.fixture
    def contract_draft(self) -> Draft:
        """What the state test publishes: text by default. Override for a platform that
        publishes only media (a video for Douyin)."""
        return Draft(text="Contract test: publish and read the state back")

    @pytest.fixture
    def offline(self, platform: Platform) -> Client:
        """The platform behind a transport that fails on any request."""
        return Client(platform, transport=NoNetwork())

    # -- offline: what must hold before any I/O ---------------------------------------------

    def test_declares_a_name_and_settings(self, platform: Platform) -> None:
        assert platform.name
        assert platform.name == platform.name.lower()
        assert issubclass(type(platform).Settings, PlatformSettings)

    def test_declared_capabilities_are_implemented(self, platform: Platform) -> None:
        missing = [
            cap.value
            for cap in platform.capabilities
            if cap in _IMPLEMENTS
            and getattr(type(platform), _IMPLEMENTS[cap]) is getattr(Platform, _IMPLEMENTS[cap])
        ]
        assert not missing, f"declared but not implemented: {missing}"

    def test_undeclared_capabilities_raise_unsupported_before_io(self, offline: Client) -> None:
        for capability, probe in _PROBES.items():
            if capability not in offline.capabilities:
                with pytest.raises(Unsupported):
                    probe(offline)

    def test_too_long_text_is_refused_before_io(self, offline: Client) -> None:
        if Capability.PUBLISH_TEXT not in offline.capabilities:
            pytest.skip("the platform does not publish text")
        too_long = "word " * (offline.platform.rules.max_length + 10)
        with pytest.raises(InvalidContent) as raised:
            offline.publish(too_long)
        assert raised.value.rule in ("max_length", "max_bytes")

    def test_secrets_stay_out_of_reprs(self, platform: Platform, offline: Client) -> None:
        secrets = [
            value.get_secret_value()
            for value in dict(platform.settings).values()
            if isinstance(value, SecretStr) and value.get_secret_value()
        ]
        shown = " ".join(
            [
                repr(platform),
                repr(platform.settings),
                str(platform.settings),
                repr(offline),
                repr(platform.credential),
            ]
        )
        assert not [s for s in secrets if s in shown]

    # -- behaviour against a backend --------------------------------------------------------

    def _need(self, client: Client, *capabilities: Capability) -> None:
        missing = [c.value for c in capabilities if c not in client.capabilities]
        if missing:
            pytest.skip(f"not supported here: {', '.join(missing)}")

    def test_publish_get_delete(self, client: Client) -> None:
        self._need(client, Capability.PUBLISH_TEXT, Capability.READ_POSTS, Capability.DELETE)
        post = client.publish("Contract test: publish, read back, delete")
        assert post.platform == client.name
        assert post.id
        fetched = client.get_post(post.id)
        assert fetched.id == post.id
        assert "Contract test" in fetched.text
        client.delete_post(post.id)
        with pytest.raises(NotFound):
            client.get_post(post.id)

    def test_missing_post_is_not_found(self, client: Client) -> None:
        self._need(client, Capability.READ_POSTS)
        with pytest.raises(NotFound):
            client.get_post(self.missing_post_id)

    def test_pagination_ends(self, client: Client) -> None:
        self._need(client, Capability.READ_POSTS)
        pages = 0
        for _ in client.posts().pages():
            pages += 1
            assert pages < 1000, "pagination did not end"
        assert pages >= 1

    def test_reply_shows_in_comments(self, client: Client) -> None:
        self._need(client, Capability.PUBLISH_TEXT, Capability.REPLY, Capability.READ_COMMENTS)
        post = client.publish("Contract test: a post to answer")
        reply = client.reply(post, "Contract test: the answer")
        comments = list(client.comments(post.id))
        assert reply.id in [c.id for c in comments]
        assert next(c for c in comments if c.id == reply.id).reply_to_id == post.id

    def test_a_published_post_reads_back_with_its_state(
        self, client: Client, contract_draft: Draft
    ) -> None:
        kinds = {m.kind for m in contract_draft.media}
        needed = [Capability.READ_POSTS]
        needed.append(Capability.PUBLISH_VIDEO if "video" in kinds else (
            Capability.PUBLISH_IMAGE if kinds else Capability.PUBLISH_TEXT))
        self._need(client, *needed)
        post = client.publish(contract_draft)
        assert post.state in ("published", "pending", "rejected")
        if post.state != "published":
            assert post.state_reason, "a pending or rejected post says why"
        fetched = client.get_post(post.id)
        assert fetched.id == post.id
        if post.state == "published":
            assert fetched.state == "published", "a live post does not go back to review"
        if post.state == "rejected":
            assert fetched.state == "rejected", "a rejection is final"
