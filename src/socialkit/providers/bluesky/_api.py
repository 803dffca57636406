"""What the embed, reference and moderation flows use of the `Bluesky` platform.

They take the platform as this protocol, so they sit below the platform module that
calls them rather than importing it back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from ...steps import Call, Flow, Response
from .ids import AtUri
from .records import StrongRef
from .session import BlueskySession
from .settings import BlueskySettings

__all__ = ["BlueskyAPI"]


class BlueskyAPI(Protocol):
    """The parts of `Bluesky` the helper flows call."""

    @property
    def name(self) -> str:
        """The platform's name, for errors."""
        ...

    @property
    def settings(self) -> BlueskySettings:
        """The validated settings."""
        ...

    @property
    def session(self) -> BlueskySession:
        """The logged-in session (its PDS endpoint and DID)."""
        ...

    @property
    def video_wait(self) -> float:
        """How long to wait for the video service to process an upload, in seconds."""
        ...

    @property
    def pds_of(self) -> Mapping[str, str]:
        """The PDS of each account resolved so far, by DID."""
        ...

    def json(self, response: Response | None) -> Any:
        """The response's JSON body."""
        ...

    def query(self, nsid: str, params: Any = None, **kwargs: Any) -> Call:
        """``GET /xrpc/<nsid>``."""
        ...

    def procedure(self, nsid: str, body: Any = None, **kwargs: Any) -> Call:
        """``POST /xrpc/<nsid>`` with a JSON body."""
        ...

    def account_did(self) -> Flow[str]:
        """The account's DID."""
        ...

    def strong_refs(self, uri: AtUri) -> Flow[tuple[StrongRef, StrongRef]]:
        """The post's and its thread root's strong references."""
        ...

    def remember_pds(self, did: str, pds: str) -> None:
        """Keep an account's PDS for later calls."""
        ...
