"""The exception hierarchy.

Every error raised by a client call is a [`SocialkitError`][socialkit.errors.SocialkitError]
and names the platform it came from. No message, repr or attribute ever holds a
token, secret or password: messages are built from what the platform said and
what we checked, never from credentials.

```
SocialkitError
├── ConfigError
│   └── StoreError
├── AuthError
│   ├── TokenExpired
│   └── ReauthRequired
├── PermissionDenied
├── NotFound
├── RateLimited
├── InvalidContent
├── Unsupported
├── PlatformError
├── TransportError
├── ParseError
└── PublishUncertain
```
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler
    from pydantic_core import CoreSchema

__all__ = [
    "AuthError",
    "ConfigError",
    "InvalidContent",
    "NotFound",
    "ParseError",
    "PermissionDenied",
    "PlatformError",
    "PublishUncertain",
    "RateLimited",
    "ReauthRequired",
    "SocialkitError",
    "StoreError",
    "TokenExpired",
    "TransportError",
    "Unsupported",
]


class ErrorContext(TypedDict, total=False):
    """Where an error came from; the keyword arguments every error accepts."""

    platform: str | None
    status: int | None
    code: str | int | None
    request_id: str | None


class SocialkitError(Exception):
    """Base of every socialkit error.

    Attributes:
        message: What went wrong, in words.
        platform: The platform name (``"mastodon"``), or ``None`` when no platform is involved.
        status: The HTTP status of the response that caused it, when there was one.
        code: The platform's own error code, when it gave one.
        request_id: The platform's request/trace id, for support tickets.
        method: The HTTP method of the request that failed (``"GET"``), when one did.
        path: The URL path of that request (``"/api/v1/statuses/1"``), never its query,
            which can hold credentials.
    """

    method: str | None = None
    path: str | None = None

    def __init__(
        self,
        message: str,
        *,
        platform: str | None = None,
        status: int | None = None,
        code: str | int | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.platform = platform
        self.status = status
        self.code = code
        self.request_id = request_id

    def __str__(self) -> str:
        prefix = f"[{self.platform}] " if self.platform else ""
        if self.method and self.path:
            prefix += f"{self.method} {self.path}: "
        details = [f"{k}={v}" for k, v in (("status", self.status), ("code", self.code)) if v]
        suffix = f" ({', '.join(details)})" if details else ""
        return f"{prefix}{self.message}{suffix}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, platform={self.platform!r})"

    def __eq__(self, other: object) -> bool:
        """Errors are values: equal when of one class with the same attributes.

        So a report that carries errors (`RefreshReport`, `Collection`, ...) equals
        itself read back from JSON.
        """
        if not isinstance(other, SocialkitError):
            return NotImplemented
        return type(self) is type(other) and vars(self) == vars(other)

    def __hash__(self) -> int:
        return hash((type(self), self.message))

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        """In JSON, an error is its class name and attributes (see `error_schema`)."""
        return error_schema()


class ConfigError(SocialkitError):
    """A setting is missing or wrong, or a platform is not installed.

    Attributes:
        field: The setting at fault, when there is one.
    """

    def __init__(
        self, message: str, *, field: str | None = None, **kw: Unpack[ErrorContext]
    ) -> None:
        super().__init__(message, **kw)
        self.field = field


class StoreError(ConfigError):
    """A local store (calendar, inbox, metrics, records, token file) cannot be used.

    The file is not the store's (garbage, truncated, a directory, another program's
    database), was written by a newer socialkit, is not private, or the disk is full.
    The message names the file and says what to do; nothing was half-written.

    Attributes:
        path: The file at fault.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        field: str | None = "path",
        **kw: Unpack[ErrorContext],
    ) -> None:
        super().__init__(message, field=field, **kw)
        self.path = path


class AuthError(SocialkitError):
    """The credentials were refused (HTTP 401 or the platform's equivalent)."""


class TokenExpired(AuthError):
    """The access token has expired; a refresh or a new login is needed."""


class ReauthRequired(AuthError):
    """The refresh was refused (for example ``invalid_grant``): log in again."""


class PermissionDenied(SocialkitError):
    """Authenticated, but not allowed to do this (HTTP 403, missing scope or permission)."""


class NotFound(SocialkitError):
    """The object does not exist or is not visible to this account."""


class RateLimited(SocialkitError):
    """A rate limit or quota is exhausted.

    Attributes:
        retry_after: Seconds to wait before trying again, when known.
        reset_at: When the limit resets (UTC), when known.
    """

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        reset_at: datetime | None = None,
        **kw: Unpack[ErrorContext],
    ) -> None:
        super().__init__(message, **kw)
        self.retry_after = retry_after
        self.reset_at = reset_at


class InvalidContent(SocialkitError):
    """The content breaks a platform rule, found before sending or reported by the platform.

    Attributes:
        rule: The rule broken (``"max_length"``, ``"max_images"``, ...), when known.
        count: The measured value, when the rule is a limit.
        limit: The limit, when the rule is a limit.
    """

    def __init__(
        self,
        message: str,
        *,
        rule: str | None = None,
        count: int | None = None,
        limit: int | None = None,
        **kw: Unpack[ErrorContext],
    ) -> None:
        super().__init__(message, **kw)
        self.rule = rule
        self.count = count
        self.limit = limit


class Unsupported(SocialkitError):
    """The platform's API cannot do this. Raised before any request is sent.

    Attributes:
        capability: The capability that is missing, when there is one.
        operation: The method that was called (``"hide_comment"``), when the client knows
            it; the message then starts with it.
    """

    def __init__(
        self,
        message: str,
        *,
        capability: str | None = None,
        operation: str | None = None,
        **kw: Unpack[ErrorContext],
    ) -> None:
        super().__init__(message, **kw)
        self.capability = capability
        self.operation: str | None = None
        if operation:
            self.name_operation(operation)

    def name_operation(self, operation: str) -> None:
        """Say which method was called, once: ``hide_comment is not supported: ...``."""
        if self.operation is not None:
            return
        self.operation = operation
        generic = f"{self.capability} is not supported"
        if self.capability and self.message.startswith(generic):
            self.message = f"{operation} is not supported{self.message[len(generic):]}"
        else:
            self.message = f"{operation}: {self.message}"
        self.args = (self.message,)


class PlatformError(SocialkitError):
    """The platform answered with an error that has no more specific class."""


class TransportError(SocialkitError):
    """The request could not be completed: connection failure, timeout, protocol error."""


class ParseError(SocialkitError):
    """The platform answered with a payload we could not read (malformed JSON, missing fields)."""


class PublishUncertain(SocialkitError):
    """A non-idempotent publish may or may not have happened.

    The request may have reached the platform but no answer came back, and the
    platform offers no idempotency key, so retrying could post twice. Reconcile
    with the account's recent posts using ``idempotency_key``.

    Attributes:
        idempotency_key: The key of the draft whose outcome is unknown.
    """

    def __init__(
        self, message: str, *, idempotency_key: str | None = None, **kw: Unpack[ErrorContext]
    ) -> None:
        super().__init__(message, **kw)
        self.idempotency_key = idempotency_key


_FIELDS: dict[str, str] = {
    "message": "str", "platform": "str", "status": "int", "code": "code",
    "request_id": "str", "method": "str", "path": "str", "field": "str",
    "retry_after": "float", "reset_at": "datetime", "rule": "str", "count": "int",
    "limit": "int", "capability": "str", "operation": "str", "idempotency_key": "str",
}  # fmt: skip


def error_schema() -> CoreSchema:
    """The pydantic schema of an exception in a record: ``{"type": "RateLimited", ...}``.

    A socialkit error keeps its class and attributes (the ones documented on the
    classes above) and reads back equal; any other exception keeps its class name
    and message, and reads back as that built-in exception or, for other classes,
    as a `SocialkitError` naming the class.
    """
    from pydantic_core import core_schema as cs

    kinds = {
        "str": cs.str_schema(), "int": cs.int_schema(), "float": cs.float_schema(),
        "datetime": cs.datetime_schema(),
        "code": cs.union_schema([cs.int_schema(), cs.str_schema()]),
    }  # fmt: skip
    fields = {"type": cs.typed_dict_field(cs.str_schema())}
    for name, kind in _FIELDS.items():
        fields[name] = cs.typed_dict_field(
            cs.nullable_schema(kinds[kind]), required=name == "message"
        )
    shape = cs.typed_dict_schema(fields)
    built = cs.no_info_after_validator_function(_error_from, shape)
    return cs.json_or_python_schema(
        json_schema=built,
        python_schema=cs.union_schema([cs.is_instance_schema(BaseException), built]),
        serialization=cs.plain_serializer_function_ser_schema(_error_to, return_schema=shape),
    )


def _error_to(error: BaseException) -> dict[str, Any]:
    if not isinstance(error, SocialkitError):
        return {"type": type(error).__name__, "message": str(error)}
    state = {k: v for k, v in vars(error).items() if k in _FIELDS}
    return {"type": type(error).__name__, **state}


def _error_from(data: dict[str, Any]) -> BaseException:
    state = dict(data)
    name = state.pop("type")
    kind = globals().get(name)
    if isinstance(kind, type) and issubclass(kind, SocialkitError):
        error = kind.__new__(kind)
        Exception.__init__(error, state["message"])
        vars(error).update(state)
        return error
    import builtins

    builtin = getattr(builtins, name, None)
    if isinstance(builtin, type) and issubclass(builtin, Exception):
        return builtin(state["message"])
    return SocialkitError(f"{name}: {state['message']}")
