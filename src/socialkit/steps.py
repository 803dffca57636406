"""What a flow yields to its driver (`Call`, `Sleep`), what it reads back (`Response`) and
the `Flow` type itself.

A provider's operation is a generator that yields steps and returns its result; the
drivers perform the steps. These types sit below everything that builds or drives a
flow: the platforms, the credentials that refresh themselves, the drivers.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping, Sequence
from typing import Any, TypeAlias, TypeVar

import attrs
import httpx

__all__ = ["Call", "Flow", "Request", "Response", "Sleep", "Step"]

Request = httpx.Request
"""The request a credential signs (httpx's; the one module that names it for the core)."""
Response = httpx.Response
"""The response a flow reads after a `Call` (httpx's)."""

T = TypeVar("T")

_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


@attrs.frozen
class Call:
    """One HTTP exchange a flow asks the driver to perform.

    ``url`` is absolute, or a path joined to the platform's ``base_url``.
    ``idempotent`` defaults from the method (GET, PUT, DELETE, ... are).
    A call with an ``idempotency_key`` is retried after an ambiguous failure
    only when the platform honours that key.
    """

    method: str
    url: str
    # The payload may carry secrets (a client secret, a code verifier): never in a repr.
    params: Mapping[str, Any] | Sequence[tuple[str, Any]] | None = attrs.field(
        default=None, repr=False
    )
    json: Any = attrs.field(default=None, repr=False)
    data: Mapping[str, Any] | None = attrs.field(default=None, repr=False)
    files: Any = attrs.field(default=None, repr=False)
    content: bytes | None = attrs.field(default=None, repr=False)
    headers: Mapping[str, str] = attrs.field(factory=dict, repr=False)
    bucket: str = "default"
    idempotent: bool | None = None
    idempotency_key: str | None = None
    authenticated: bool = True
    timeout: float | None = None

    @property
    def is_idempotent(self) -> bool:
        """Whether repeating this call cannot change the outcome."""
        if self.idempotent is not None:
            return self.idempotent
        return self.method.upper() in _IDEMPOTENT_METHODS


@attrs.frozen
class Sleep:
    """Ask the driver to wait, e.g. while the platform processes an upload."""

    seconds: float


Step: TypeAlias = Call | Sleep
"""What a flow yields to its driver."""
Flow: TypeAlias = Generator[Step, Response | None, T]
"""A provider operation: a generator that yields steps and returns its result."""
