"""Report days are marked read only when they were read whole (issue 25): a garbled or
truncated CSV leaves its day unread for the next run, a row with a bad cell is named and its
day read again, and a row dated 2099 does not stop the late-day re-reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from e20kit_sharepoint.fake import GraphFake
from e20kit_sharepoint.reports import REFRESH, SHAREPOINT_ACTIVITY, UPN
from sharepoint_helpers import LATE_SYNCS, SECRET_ENV, expected_totals, revise_and_add_a_day

from e20kit import Kit
from e20kit.sandbox import Org, Request, Response
from e20kit.testing import build_kit, fact_totals

pytestmark = pytest.mark.slow

HISTORY = 30


def _kit(tmp_path: Path, fake: GraphFake) -> Kit:
    options = {"quota_window_s": fake.quota.window_s, "history_days": HISTORY}
    return build_kit(
        tmp_path,
        connectors={"m365": fake.table(SECRET_ENV, **options)},
        settings={"collect": {"lookback_days": HISTORY}},
        env={SECRET_ENV: str(fake.tenant.app.client_secret)},
    )


def _damage_once(fake: GraphFake, damage: Callable[[list[str]], list[str]]) -> list[int]:
    """Damage the first SharePoint activity download with at least two users in it."""
    real = fake.download_server.app
    done: list[int] = []

    def app(request: Request) -> Response:
        response = real(request)
        text = response.body.decode("utf-8-sig")
        lines = text.split("\r\n")
        if done or not text.startswith(REFRESH + f",{UPN},Is Deleted") or len(lines) < 4:
            return response
        done.append(1)
        return Response(200, ("\r\n".join(damage(lines))).encode(), response.headers)

    fake.download_server.app = app
    return done


def _first(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=HISTORY - 1)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda ls: [ls[0], ls[1].replace(",", ',"', 1), *ls[2:]], id="open-quote"),
        pytest.param(
            lambda ls: [ls[0], *(",".join(x.split(",")[:6]) if x else x for x in ls[1:])],
            id="missing-trailing-fields",
        ),
        pytest.param(lambda ls: [ls[0], ls[1][: len(ls[1]) // 2]], id="truncated"),
    ],
)
def test_a_report_day_that_cannot_be_read_is_read_again_next_run(
    fake: GraphFake,
    org: Org,
    tmp_path: Path,
    today: dt.date,
    damage: Callable[[list[str]], list[str]],
) -> None:
    damaged = _damage_once(fake, damage)
    with _kit(tmp_path, fake) as kit:
        first = kit.collect(today=today)
        assert damaged and first.ok, first.as_dict()
        assert first.runs[0].pending == 1
        assert any(SHAREPOINT_ACTIVITY.label in w for w in first.runs[0].warnings)
        second = kit.collect(today=today)
        assert second.ok and second.runs[0].pending == 0
        totals = fact_totals(kit, by=("action", "feature"), platform="sharepoint")
    # 8bc5a9f: the day was marked done as "nobody active" (or zeros) and never read again
    assert totals == expected_totals(org, _first(today), fake.tenant.refreshed)


def test_a_row_with_a_bad_cell_is_named_and_its_day_read_again(
    fake: GraphFake, org: Org, tmp_path: Path, today: dt.date
) -> None:
    def bad_cell(lines: list[str]) -> list[str]:
        cells = lines[1].split(",")
        cells[6] = "lots"  # Synced File Count
        return [lines[0], ",".join(cells), *lines[2:]]

    _damage_once(fake, bad_cell)
    with _kit(tmp_path, fake) as kit:
        first = kit.collect(today=today)
        assert first.ok and first.runs[0].pending == 1
        warning = next(w for w in first.runs[0].warnings if "skipped" in w)
        assert "line 2" in warning and "Synced File Count" in warning and "lots" not in warning
        assert kit.collect(today=today).ok
        totals = fact_totals(kit, by=("action", "feature"), platform="sharepoint")
    assert totals == expected_totals(org, _first(today), fake.tenant.refreshed)


def test_a_row_dated_2099_does_not_stop_the_late_day_re_reads(
    fake: GraphFake, org: Org, tmp_path: Path, today: dt.date
) -> None:
    def from_the_future(lines: list[str]) -> list[str]:
        return [lines[0], "2099-01-01" + lines[1][len("2026-01-01") :], *lines[2:]]

    _damage_once(fake, from_the_future)
    with _kit(tmp_path, fake) as kit:
        first = kit.collect(today=today)
        assert first.ok
        assert any("dated after the collection window" in w for w in first.runs[0].warnings)
        revise_and_add_a_day(fake)
        assert kit.collect(today=today).ok
        after = fact_totals(kit, by=("action", "feature"), platform="sharepoint")
    expected = expected_totals(org, _first(today), fake.tenant.refreshed)
    expected[("sync", "files")] = expected.get(("sync", "files"), 0) + LATE_SYNCS
    assert after == expected  # 8bc5a9f: as-of 2099, the revision and the new day never read


def test_a_wider_window_says_where_the_reports_end(
    fake: GraphFake, org: Org, tmp_path: Path, today: dt.date
) -> None:
    options = {"quota_window_s": fake.quota.window_s, "history_days": HISTORY}
    kit = build_kit(
        tmp_path,
        connectors={"m365": fake.table(SECRET_ENV, **options)},
        settings={"collect": {"lookback_days": 60}},
        env={SECRET_ENV: str(fake.tenant.app.client_secret)},
    )
    with kit:
        assert kit.collect(today=today, since=today - dt.timedelta(days=10)).ok
        wide = kit.collect(today=today)  # 60 days back: further than Graph keeps
        assert wide.ok
        said = [w for w in wide.runs[0].warnings if "reach back" in w]
        assert said and f"history_days = {HISTORY}" in said[0]  # 8bc5a9f: silent
        totals = fact_totals(kit, by=("action", "feature"), platform="sharepoint")
    # the days within reach were fetched (the self-backfill of per-day bookmarks)
    assert totals == expected_totals(org, _first(today), fake.tenant.refreshed)
