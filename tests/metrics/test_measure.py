"""Measure: a number with provenance that formats, converts and computes safely."""

from __future__ import annotations

import attrs
import pytest

from socialkit.errors import SocialkitError
from socialkit.metrics import Measure, MetricUnavailable


def test_float_of_a_figure_is_its_value() -> None:
    assert float(Measure(0.25)) == 0.25


def test_float_of_a_missing_figure_raises_naming_what_is_missing() -> None:
    figure = Measure(None, {"impressions": None}, ("impressions",), name="engagement_rate")
    with pytest.raises(
        MetricUnavailable, match="engagement_rate is not available: missing impressions"
    ):
        float(figure)


def test_metric_unavailable_is_a_value_error_and_a_socialkit_error() -> None:
    assert issubclass(MetricUnavailable, ValueError)
    assert issubclass(MetricUnavailable, SocialkitError)


def test_percent_format_spec_applies_to_the_value() -> None:
    assert f"{Measure(0.0426):.1%}" == "4.3%"


def test_missing_figure_formats_as_na() -> None:
    assert f"{Measure(None):.1%}" == "n/a"


def test_missing_figure_keeps_width_and_alignment() -> None:
    assert f"{Measure(None):>6.1%}" == "   n/a"


def test_str_of_missing_figure_is_na() -> None:
    assert str(Measure(None)) == "n/a"


def test_nan_value_becomes_none() -> None:
    assert Measure(float("nan")).value is None


def test_figure_equals_a_number_with_the_same_value() -> None:
    assert Measure(0.5) == 0.5
    assert hash(Measure(0.5)) == hash(0.5)


def test_missing_figure_does_not_equal_zero() -> None:
    assert Measure(None) != 0


def test_figures_order_by_value() -> None:
    assert Measure(0.1) < Measure(0.2) <= 0.2


def test_ordering_a_missing_figure_raises() -> None:
    with pytest.raises(MetricUnavailable):
        _ = Measure(None) < 1


def test_arithmetic_merges_inputs() -> None:
    total = Measure(2, {"likes": 2}) + Measure(3, {"shares": 3})
    assert total.value == 5
    assert dict(total.inputs) == {"likes": 2, "shares": 3}


def test_arithmetic_with_a_missing_figure_is_missing() -> None:
    total = Measure(2) * Measure(None, missing=("reach",))
    assert total.value is None
    assert total.missing == ("reach",)


def test_division_by_zero_is_missing_not_an_error() -> None:
    assert (Measure(3) / 0).value is None


def test_reflected_division_with_a_number() -> None:
    assert (1 / Measure(4)).value == 0.25


def test_negation_and_rounding_keep_provenance() -> None:
    figure = Measure(0.123456, {"a": 1})
    assert (-figure).value == -0.123456
    assert round(figure, 2).value == 0.12
    assert dict(round(figure, 2).inputs) == {"a": 1}


def test_inputs_are_read_only() -> None:
    figure = Measure(1.0, {"likes": 1})
    with pytest.raises(TypeError):
        figure.inputs["likes"] = 2  # type: ignore[index]


def test_figure_is_frozen() -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        Measure(1.0).value = 2.0  # type: ignore[misc]


def test_value_or_makes_the_default_explicit() -> None:
    assert Measure(None).value_or(0.0) == 0.0
    assert Measure(0.3).value_or(0.0) == 0.3


def test_explain_names_definition_inputs_and_missing() -> None:
    figure = Measure(0.1, {"shares": 5, "followers": 50}, ("saves",), name="x", formula="a / b")
    assert figure.explain() == "x = 0.1 [a / b] from shares=5, followers=50 missing saves"
