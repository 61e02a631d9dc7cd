"""The quota scheduler with a simulated clock: every report within budget, the budget used."""

from __future__ import annotations

import datetime as dt

from e20kit_sharepoint.quota import ReportState, Scheduler, SlidingQuota
from e20kit_sharepoint.reports import REPORTS

DAYS = [dt.date(2026, 10, 1) + dt.timedelta(days=i) for i in range(30)]


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def _drain(budget: int = 14, window: float = 600.0) -> tuple[Clock, list[tuple[str, float]]]:
    clock = Clock()
    plan = [(r, DAYS, SlidingQuota(budget, window, [], clock)) for r in REPORTS]
    scheduler = Scheduler(plan, sleep=clock.sleep, clock=clock)
    asked: list[tuple[str, float]] = []
    while (step := scheduler.next()) is not None:
        report, _day = step
        clock.now += 0.2  # the request takes a moment; its answer is when it is recorded
        scheduler.quotas[report].record()
        asked.append((report.function, clock.now))
    return clock, asked


def test_no_report_ever_exceeds_its_budget_in_any_window() -> None:
    _, asked = _drain()
    assert len(asked) == len(REPORTS) * 30
    for report in REPORTS:
        times = [t for f, t in asked if f == report.function]
        for i, start in enumerate(times):
            in_window = [t for t in times[i:] if t - start < 600.0]
            assert len(in_window) <= 14


def test_the_budget_is_used_while_backlog_remains_and_reports_interleave() -> None:
    clock, asked = _drain()
    # 30 days per report at 14 per window: two full windows, then the rest
    assert 2 * 600 < clock.now - 1_000_000.0 < 2 * 600 + 60
    assert len({f for f, _ in asked[: len(REPORTS)]}) == len(REPORTS)  # free reports take turns
    for report in REPORTS:
        times = [t for f, t in asked if f == report.function]
        assert len([t for t in times if t < times[0] + 600]) == 14


def test_requests_of_an_earlier_run_count_against_the_window() -> None:
    clock = Clock()
    sent = [clock.now - 100.0 + i for i in range(14)]
    quota = SlidingQuota(14, 600.0, sent, clock)
    assert quota.ready_at() > clock.now + 490
    clock.now += 600
    assert quota.ready_at() == clock.now


def test_state_survives_its_bookmark_and_plans_the_reread_days() -> None:
    state = ReportState(as_of=DAYS[-3], done=set(DAYS[:-2]), sent=[1.5, 2.25])
    again = ReportState.load(state.dump(DAYS[-1]))
    assert again == state
    # never done: the last two; within 3 days of the as-of day: three more
    assert again.pending(DAYS, reread_days=3) == DAYS[-5:]
    assert ReportState.load("not json").done == set()
    old = ReportState(done={DAYS[0] - dt.timedelta(days=60), DAYS[0]})
    assert ReportState.load(old.dump(DAYS[-1])).done == {DAYS[0]}


def test_every_quota_wait_is_announced_with_its_reason_and_estimate() -> None:
    """Issue 24: a first collect was silent for ten minutes ("waiting 601.6 s" only at -v)."""
    from e20kit.http import wait_listener

    heard: list[tuple[str, float]] = []
    with wait_listener(lambda reason, seconds: heard.append((reason, seconds))):
        clock, _ = _drain()
    assert len(heard) >= 2  # two full windows of waiting
    assert all("quota window full" in reason for reason, _ in heard)
    assert all(500 < seconds <= 601 for _, seconds in heard)
    assert sum(s for _, s in heard) <= clock.now - 1_000_000.0
