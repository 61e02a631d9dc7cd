"""Confluence's rate-limit headers as advice for the core's session."""

from __future__ import annotations

import datetime as dt

from e20kit_confluence.ratelimit import CloudRatePolicy, DataCenterRatePolicy, rate_policy

from e20kit import RateAdvice, RatePolicy

NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC).timestamp()


def test_both_policies_are_rate_policies() -> None:
    assert isinstance(rate_policy(True), CloudRatePolicy)
    assert isinstance(rate_policy(False), DataCenterRatePolicy)
    assert all(isinstance(p, RatePolicy) for p in (rate_policy(True), rate_policy(False)))


def test_cloud_pauses_until_the_reset_timestamp() -> None:
    advice = CloudRatePolicy().advise(
        {"Retry-After": "3", "X-RateLimit-Reset": "2026-12-01T10:00:02.500Z"}, now=NOW
    )
    assert advice == RateAdvice(pause_s=2.5)
    past = CloudRatePolicy().advise({"X-RateLimit-Reset": "2026-12-01T09:59:00Z"}, now=NOW)
    assert past is None


def test_cloud_slows_down_near_the_limit() -> None:
    assert CloudRatePolicy(near_limit_pause_s=0.5).advise(
        {"X-RateLimit-NearLimit": "true"}, now=NOW
    ) == RateAdvice(pause_s=0.5)
    assert CloudRatePolicy().advise({"X-RateLimit-NearLimit": "false"}, now=NOW) is None


def test_cloud_ignores_what_it_cannot_read() -> None:
    assert CloudRatePolicy().advise({"X-RateLimit-Reset": "soon"}, now=NOW) is None
    assert CloudRatePolicy().advise({}, now=NOW) is None


def test_datacenter_paces_at_the_fill_rate_not_the_capacity() -> None:
    headers = {
        "X-RateLimit-Limit": "50",
        "X-RateLimit-Remaining": "20",
        "X-RateLimit-FillRate": "10",
        "X-RateLimit-Interval-Seconds": "2",
    }
    assert DataCenterRatePolicy().advise(headers, now=NOW) == RateAdvice(rate_per_s=5.0)


def test_datacenter_waits_for_the_next_token_when_the_bucket_is_empty() -> None:
    headers = {
        "X-RateLimit-Limit": "10",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-FillRate": "4",
        "X-RateLimit-Interval-Seconds": "1",
    }
    assert DataCenterRatePolicy().advise(headers, now=NOW) == RateAdvice(pause_s=0.25, rate_per_s=4)
    reserved = DataCenterRatePolicy(reserve=1).advise(
        {**headers, "X-RateLimit-Remaining": "1"}, now=NOW
    )
    assert reserved == RateAdvice(pause_s=0.25, rate_per_s=4)


def test_datacenter_without_its_headers_gives_no_advice() -> None:
    assert DataCenterRatePolicy().advise({"X-RateLimit-Limit": "10"}, now=NOW) is None
    assert DataCenterRatePolicy().advise({"X-RateLimit-FillRate": "x"}, now=NOW) is None
