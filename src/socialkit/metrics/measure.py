"""`Measure`: a computed number that remembers what it was computed from.

A measure's ``value`` is a ``float``, or ``None`` when an input it needs is not
available (null is not zero). ``inputs`` holds the values used and ``missing``
names the ones that were not available, so every rate can be explained.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any

import attrs

from .._records import Record
from ..errors import SocialkitError

__all__ = ["Measure", "MetricUnavailable", "Number"]

Number = int | float
_ALIGN = re.compile(r"^(?P<align>(?:.?[<>=^])?)[-+ ]?z?#?0?(?P<width>\d*)")


class MetricUnavailable(SocialkitError, ValueError):
    """A measure has no value (an input was missing or a denominator was zero)."""


def _to_float(value: Number | None) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _names(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _frozen_inputs(value: Mapping[str, Number | None]) -> Mapping[str, Number | None]:
    return MappingProxyType(dict(value))


def _operand(other: object) -> Measure | None:
    if isinstance(other, Measure):
        return other
    if isinstance(other, int | float) and not isinstance(other, bool):
        return Measure(float(other))
    return None


@attrs.frozen(eq=False, repr=False)
class Measure(Record):
    """A number with provenance.

    ```python
    rate = engagement_rate(post, by="impressions")
    rate.value          # 0.042, or None when impressions are not reported
    rate.inputs         # {"likes": 30, "comments": 4, ..., "impressions": 1000}
    rate.missing        # ("saves",)
    f"{rate:.1%}"       # "4.2%", or "n/a"
    float(rate)         # raises MetricUnavailable when the value is None
    ```

    Arithmetic with numbers or other measures propagates ``None`` and merges the
    inputs; dividing by zero gives ``None``. Measures compare equal to numbers
    with the same value.
    """

    value: float | None = attrs.field(converter=_to_float)
    inputs: Mapping[str, Number | None] = attrs.field(factory=dict, converter=_frozen_inputs)
    missing: tuple[str, ...] = attrs.field(default=(), converter=_names)
    name: str = ""
    formula: str = ""
    note: str = ""

    # -- reading -------------------------------------------------------------------------------

    @property
    def available(self) -> bool:
        """Whether the measure has a value."""
        return self.value is not None

    def value_or(self, default: float) -> float:
        """The value, or ``default`` when it is not available (an explicit choice)."""
        return default if self.value is None else self.value

    def explain(self) -> str:
        """One line: the name, the definition, the inputs used and those missing."""
        parts = [self.name or "measure", "=", format(self, "")]
        if self.formula:
            parts.append(f"[{self.formula}]")
        if self.inputs:
            used = ", ".join(f"{k}={_plain(v)}" for k, v in self.inputs.items())
            parts.append(f"from {used}")
        if self.missing:
            parts.append(f"missing {', '.join(self.missing)}")
        if self.note:
            parts.append(f"({self.note})")
        return " ".join(parts)

    def __float__(self) -> float:
        if self.value is None:
            why = f": missing {', '.join(self.missing)}" if self.missing else ""
            label = self.name or "measure"
            raise MetricUnavailable(f"{label} is not available{why}")
        return self.value

    def __format__(self, spec: str) -> str:
        if self.value is not None:
            return format(self.value, spec)
        match = _ALIGN.match(spec)
        layout = f"{match['align']}{match['width']}" if match else ""
        return format("n/a", layout)

    def __str__(self) -> str:
        return format(self, "")

    def __repr__(self) -> str:
        fields = [repr(self.value)]
        if self.name:
            fields.append(f"name={self.name!r}")
        fields.append(f"inputs={dict(self.inputs)!r}")
        if self.missing:
            fields.append(f"missing={self.missing!r}")
        return f"Measure({', '.join(fields)})"

    def _repr_html_(self) -> str:
        from .html import escape

        return f"<span title='{escape(self.explain())}'>{escape(format(self, '.4g'))}</span>"

    # -- comparison ----------------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        theirs = _operand(other)
        if theirs is None:
            return NotImplemented
        return self.value == theirs.value

    def __hash__(self) -> int:
        return hash(self.value)

    def __lt__(self, other: object) -> bool:
        theirs = _operand(other)
        if theirs is None:
            return NotImplemented
        return float(self) < float(theirs)

    def __le__(self, other: object) -> bool:
        theirs = _operand(other)
        if theirs is None:
            return NotImplemented
        return float(self) <= float(theirs)

    def __gt__(self, other: object) -> bool:
        theirs = _operand(other)
        if theirs is None:
            return NotImplemented
        return float(self) > float(theirs)

    def __ge__(self, other: object) -> bool:
        theirs = _operand(other)
        if theirs is None:
            return NotImplemented
        return float(self) >= float(theirs)

    # -- arithmetic ----------------------------------------------------------------------------

    def _combine(
        self, other: object, op: Callable[[float, float], float], symbol: str, swap: bool = False
    ) -> Measure:
        """``self <symbol> other``; ``NotImplemented`` for an operand of another kind."""
        theirs = _operand(other)
        if theirs is None:
            return NotImplemented  # type: ignore[no-any-return]  # Python tries the other side
        left, right = (theirs, self) if swap else (self, theirs)
        value: float | None = None
        if left.value is not None and right.value is not None:
            try:
                value = op(left.value, right.value)
            except ZeroDivisionError:
                value = None
        missing = tuple(dict.fromkeys((*left.missing, *right.missing)))
        a, b = left.name or _plain(left.value), right.name or _plain(right.value)
        formula = f"({a}) {symbol} ({b})"
        return Measure(value, {**left.inputs, **right.inputs}, missing, formula=formula)

    def __add__(self, other: object) -> Measure:
        return self._combine(other, operator.add, "+")

    def __radd__(self, other: object) -> Measure:
        return self._combine(other, operator.add, "+", swap=True)

    def __sub__(self, other: object) -> Measure:
        return self._combine(other, operator.sub, "-")

    def __rsub__(self, other: object) -> Measure:
        return self._combine(other, operator.sub, "-", swap=True)

    def __mul__(self, other: object) -> Measure:
        return self._combine(other, operator.mul, "*")

    def __rmul__(self, other: object) -> Measure:
        return self._combine(other, operator.mul, "*", swap=True)

    def __truediv__(self, other: object) -> Measure:
        return self._combine(other, operator.truediv, "/")

    def __rtruediv__(self, other: object) -> Measure:
        return self._combine(other, operator.truediv, "/", swap=True)

    def __neg__(self) -> Measure:
        return attrs.evolve(self, value=None if self.value is None else -self.value)

    def __abs__(self) -> Measure:
        return attrs.evolve(self, value=None if self.value is None else abs(self.value))

    def __round__(self, ndigits: int | None = None) -> Measure:
        if self.value is None:
            return self
        return attrs.evolve(self, value=round(self.value, ndigits or 0))


def _plain(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "n/a" if value is None else str(value)
