"""One JSON call on every record: pydantic's calls on the attrs records too.

The unified models (`Post`, `Comment`, ...) are pydantic models. The helpers'
results (`InboxItem`, `Entry`, `Outcome`, `Collection`, ...) are attrs classes,
which stay cheap to build in hot loops; they inherit `Record`, which gives them
the same five calls as a pydantic model, built from their typed fields:

```python
text = item.model_dump_json()                 # str; raw payloads only with context={"raw": True}
item = InboxItem.model_validate_json(text)    # equal to the original
data = item.model_dump(mode="json")           # plain dicts and lists, for json.dumps
item = InboxItem.model_validate(data)
InboxItem.model_json_schema()
```

The schema is built on first use (one `pydantic.TypeAdapter` per class), so
building a record costs nothing more.
"""

from __future__ import annotations

import typing
from types import MappingProxyType
from typing import Annotated, Any, Literal, Self

import attrs
from pydantic import GetCoreSchemaHandler, GetPydanticSchema, TypeAdapter
from pydantic_core import core_schema

from .errors import error_schema

__all__ = ["AnyError", "Record"]

AnyError = Annotated[BaseException, GetPydanticSchema(lambda _source, _handler: error_schema())]
"""An exception field of a record: any exception, kept in JSON by class name and message."""


class Record:
    """Base of the attrs records: ``model_dump_json()`` and ``Type.model_validate_json()``.

    The same calls as on every pydantic model of socialkit (`Post`, `Metric`, ...), so
    every record a user receives serialises to JSON and back the same way. Nested
    models keep ``raw`` out unless ``context={"raw": True}`` is passed.
    """

    __slots__ = ()

    def model_dump(
        self, *, mode: Literal["json", "python"] = "python", context: Any = None
    ) -> dict[str, Any]:
        """The record as a dict (``mode="json"``: only JSON types, for `json.dumps`)."""
        dumped: dict[str, Any] = _adapter(type(self)).dump_python(
            self, mode=mode, context=context
        )
        return dumped

    def model_dump_json(self, *, indent: int | None = None, context: Any = None) -> str:
        """The record as a JSON string."""
        return _adapter(type(self)).dump_json(self, indent=indent, context=context).decode()

    @classmethod
    def model_validate(cls, obj: Any) -> Self:
        """A record from a dict (as `model_dump` gives it) or a record of this type."""
        record: Self = _adapter(cls).validate_python(obj)
        return record

    @classmethod
    def model_validate_json(cls, data: str | bytes) -> Self:
        """A record from JSON text (as `model_dump_json` gives it)."""
        record: Self = _adapter(cls).validate_json(data)
        return record

    @classmethod
    def model_json_schema(cls) -> dict[str, Any]:
        """The JSON schema of the record's JSON form."""
        return _adapter(cls).json_schema()

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        """The record's init fields, by their init names, each with its own type's schema."""
        hints = typing.get_type_hints(cls, include_extras=True)
        names: list[tuple[str, str]] = []
        fields: dict[str, core_schema.TypedDictField] = {}
        for field in attrs.fields(cls):  # type: ignore[arg-type]  # cls is an attrs class
            if not field.init:
                continue
            names.append((field.name, field.alias))
            fields[field.alias] = core_schema.typed_dict_field(
                handler.generate_schema(hints[field.name]),
                required=field.default is attrs.NOTHING,
            )
        shape = core_schema.typed_dict_schema(fields, extra_behavior="forbid")

        def build(data: dict[str, Any]) -> Record:
            return cls(**data)

        def dump(record: Record) -> dict[str, Any]:
            values = {alias: getattr(record, name) for name, alias in names}
            return {k: dict(v) if isinstance(v, MappingProxyType) else v for k, v in values.items()}

        built = core_schema.no_info_after_validator_function(build, shape)
        return core_schema.json_or_python_schema(
            json_schema=built,
            python_schema=core_schema.union_schema(
                [core_schema.is_instance_schema(cls), built]
            ),
            serialization=core_schema.plain_serializer_function_ser_schema(
                dump, return_schema=shape
            ),
        )


_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}


def _adapter(cls: type[Any]) -> TypeAdapter[Any]:
    adapter = _ADAPTERS.get(cls)
    if adapter is None:
        adapter = _ADAPTERS[cls] = TypeAdapter(cls)
    return adapter
