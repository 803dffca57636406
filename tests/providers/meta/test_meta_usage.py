"""Usage headers become rate-limit state that reports a bucket exhausted from 95 %."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from socialkit.providers.meta.usage import Usage, read_usage, usage_limit

from .meta_support import usage

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_app_usage_reports_the_busiest_figure() -> None:
    headers = {"x-app-usage": json.dumps({"call_count": 12, "total_cputime": 40, "total_time": 7})}
    assert read_usage(headers) == Usage(percent=40.0)


def test_business_use_case_usage_reads_every_entry_and_the_regain_time() -> None:
    value = {
        "111": [{"type": "pages", "call_count": 5, "total_cputime": 2, "total_time": 3}],
        "222": [
            {
                "type": "instagram",
                "call_count": 80,
                "total_cputime": 9,
                "total_time": 9,
                "estimated_time_to_regain_access": 7,
            }
        ],
    }
    found = read_usage({"x-business-use-case-usage": json.dumps(value)})
    assert found == Usage(percent=80.0, regain=420.0)


def test_no_usage_headers_is_no_usage() -> None:
    assert read_usage({"content-type": "application/json"}) is None


def test_garbled_usage_headers_are_ignored() -> None:
    assert read_usage({"x-app-usage": "{not json", "x-page-usage": "[1, 2]"}) is None


def test_usage_below_the_threshold_leaves_the_bucket_open() -> None:
    info = usage_limit(Usage(percent=60.0), threshold=95.0, cooldown=60.0, now=NOW)
    assert (info.limit, info.remaining, info.reset_at) == (100, 40, None)


def test_usage_at_the_threshold_exhausts_the_bucket_for_the_cooldown() -> None:
    info = usage_limit(Usage(percent=95.0), threshold=95.0, cooldown=60.0, now=NOW)
    assert info.remaining == 0
    assert info.reset_at == NOW + timedelta(seconds=60)


def test_a_regain_estimate_exhausts_the_bucket_until_then() -> None:
    info = usage_limit(Usage(percent=20.0, regain=300.0), threshold=95.0, cooldown=60.0, now=NOW)
    assert info.remaining == 0
    assert info.reset_at == NOW + timedelta(seconds=300)


def test_the_test_helper_builds_the_documented_header_shape() -> None:
    assert read_usage(usage(97, regain_minutes=2)) == Usage(percent=97.0, regain=120.0)
    assert read_usage(usage(30, header="x-page-usage")) == Usage(percent=30.0)
