"""The connector against the fake over loopback HTTP, msal included, into real stores."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import trustme
from e20kit_sharepoint.copilot import COPILOT_USAGE
from e20kit_sharepoint.fake import GraphFake
from e20kit_sharepoint.reports import REPORTS, SITE_PREFIX
from sharepoint_helpers import LATE_SYNCS, SECRET_ENV, expected_totals, revise_and_add_a_day

from e20kit import Kit
from e20kit.sandbox import FaultPlan, Org, Request, Response
from e20kit.testing import (
    DEFAULT_IGNORE_TABLES,
    assert_same_store,
    build_kit,
    fact_totals,
    people_totals,
    store_rows,
)

pytestmark = pytest.mark.slow

LOOKBACK = 35
HISTORY = 30
IGNORE = (*DEFAULT_IGNORE_TABLES, "bookmarks")
"""Bookmarks hold request times for the quota, which differ from run to run."""


def _kit(
    tmp_path: Path,
    fake: GraphFake,
    store_url: str | None = None,
    http: dict[str, Any] | None = None,
    **table: Any,
) -> Kit:
    options = {"quota_window_s": fake.quota.window_s, "history_days": HISTORY, **table}
    return build_kit(
        tmp_path,
        connectors={"m365": fake.table(SECRET_ENV, **options)},
        settings={"collect": {"lookback_days": LOOKBACK}, "http": http or {}},
        store_url=store_url,
        env={SECRET_ENV: str(fake.tenant.app.client_secret)},
    )


def _first(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=HISTORY - 1)


def test_collects_members_managers_and_every_report(
    fake: GraphFake, org: Org, tmp_path: Path, store_url: str, today: dt.date
) -> None:
    with _kit(tmp_path, fake, store_url) as kit:
        result = kit.collect(today=today)
        assert result.ok, result.as_dict()
        totals = fact_totals(kit, by=("action", "feature"), platform="sharepoint")
        assert totals == expected_totals(org, _first(today), fake.tenant.refreshed)
        # members: the org's active people and the notification mailbox, no guests
        active = sum(1 for m in org.people if m.active)
        employed = {u.id for u in fake.tenant.users if u.enabled and u.user_type == "Member"}
        licensed = fake.tenant.copilot_users & employed
        # each member's account on Viva Engage (everyone) and Copilot (the licensed) too
        assert people_totals(kit) == {
            "sharepoint": active + 1,
            "vivaengage": active + 1,
            "copilot": len(licensed),
        }
        assert licensed
        managed = {m.person_id for m in org.people if m.manager_id and m.active}
        members = store_rows(kit, "members")
        assert sum(1 for m in members if m["manager_key"]) == len(managed)
        assert any(m["is_leader"] for m in members)
        sites = [f for f in store_rows(kit, "facts") if f["container"].startswith(SITE_PREFIX)]
    # page views per site name nobody; every listed site is a container, dormant ones at zero
    assert sites and all(f["member_key"] == "" for f in sites)  # the anonymous key
    assert {f["container"] for f in sites} == {SITE_PREFIX + s.id for s in fake.tenant.sites}
    assert any(f["count"] == 0 for f in sites) and any(f["count"] > 0 for f in sites)
    # the directory came in one page (33 users, pages of 100 with $expand=manager)
    pages = [r for r in fake.server.requests if r.path == "/v1.0/users"]
    assert len(pages) == 1 and pages[0].query["$expand"] == ["manager($select=id)"]


def test_the_token_never_reaches_the_download_host(fake: GraphFake, tmp_path: Path) -> None:
    with _kit(tmp_path, fake) as kit:
        assert kit.collect(today=fake.tenant.today).ok
    seen = fake.downloads.headers
    assert len(seen) == sum(fake.graph.report_requests.values()) > 0
    assert not [h for h in seen if "authorization" in {k.lower() for k in h}]
    assert fake.authority.token_posts == 1  # one token for the whole run, from msal's cache


def test_a_30_day_backfill_stays_within_the_quota_without_a_429(
    fake: GraphFake, tmp_path: Path
) -> None:
    with _kit(tmp_path, fake) as kit:
        assert kit.collect(today=fake.tenant.today).ok
    assert sum(fake.quota.rejected.values()) == 0
    assert not [r for r in fake.server.requests if r.status == 429]
    assert fake.quota.busiest() <= fake.quota.budget  # (how fully it is used: the benchmark)
    available = HISTORY - fake.tenant.latency_days  # the oldest day through the as-of day
    assert dict(fake.graph.report_requests) == {
        **{r.function: available + 1 for r in REPORTS},  # + one probe past it
        COPILOT_USAGE.function: 1,  # period= only: one read per run
    }


def test_a_429_anyway_honours_a_fractional_retry_after(
    fake: GraphFake, org: Org, tmp_path: Path, today: dt.date
) -> None:
    fake.quota.budget = 4  # the server allows fewer than the connector plans for
    with _kit(tmp_path, fake, http={"retries": 8, "backoff_max_s": 2.0}) as kit:
        result = kit.collect(today=today)
        assert result.ok, result.as_dict()
        totals = fact_totals(kit, by=("action", "feature"), platform="sharepoint")
    assert sum(fake.quota.rejected.values()) > 0
    assert fake.quota.retry_afters and all("." in v for v in fake.quota.retry_afters)
    assert totals == expected_totals(org, _first(today), fake.tenant.refreshed)


def test_a_429_after_the_retries_waits_a_window_and_keeps_to_a_smaller_budget(
    org: Org, ca: trustme.CA, tmp_path: Path, today: dt.date
) -> None:
    # another app of the tenant takes most of each window: 2 requests per 2 s are left
    with (
        GraphFake.from_org(org, ca=ca, teams_from_mattermost=True, window_s=2.0, budget=2) as fake,
        _kit(tmp_path, fake, http={"retries": 1}, history_days=6) as kit,
    ):
        result = kit.collect(today=today)
        assert result.ok, result.as_dict()
        totals = fact_totals(kit, by=("action", "feature"), platform="sharepoint")
    # one 429 and its one retry per report, then the connector keeps to 2 a window (the
    # Copilot report is asked once, within its budget)
    assert dict(fake.quota.rejected) == {r.function: 2 for r in REPORTS}
    first = today - dt.timedelta(days=5)
    assert totals == expected_totals(org, first, fake.tenant.refreshed)


def _clean_store(org: Org, ca: trustme.CA, folder: Path, today: dt.date) -> str:
    """The URL of a store that one fault-free run filled."""
    with (
        GraphFake.from_org(org, ca=ca, teams_from_mattermost=True, window_s=1.0) as clean,
        _kit(folder, clean) as kit,
    ):
        assert kit.collect(today=today).ok
        return kit.engine.url.render_as_string(hide_password=False)


def test_faults_leave_the_store_as_a_fault_free_run(
    org: Org, ca: trustme.CA, tmp_path: Path, today: dt.date
) -> None:
    expected = _clean_store(org, ca, tmp_path / "clean", today)
    faults = FaultPlan(
        rate=0.1, kinds=("429", "5xx", "reset", "truncated"), retry_after_s=0.01, seed=5
    )
    with (
        GraphFake.from_org(
            org, ca=ca, teams_from_mattermost=True, window_s=1.0, faults=faults
        ) as flaky,
        _kit(tmp_path / "flaky", flaky) as kit,
    ):
        result = kit.collect(today=today)
        assert result.ok, result.as_dict()
        assert (
            sum(flaky.server.injected.values()) + sum(flaky.download_server.injected.values()) > 0
        )
        assert_same_store(kit, expected, ignore_tables=IGNORE)


def _failing_after(app: Callable[[Request], Response], reports: int) -> Callable[..., Response]:
    seen = [0]

    def serve(request: Request) -> Response:
        if "/reports/" in request.path:
            seen[0] += 1
            if seen[0] > reports:
                return Response.json({"error": {"code": "ServiceUnavailable"}}, 503)
        return app(request)

    return serve


def test_a_run_cut_short_resumes_with_nothing_lost_or_doubled(
    org: Org, ca: trustme.CA, tmp_path: Path, today: dt.date
) -> None:
    whole = _clean_store(org, ca, tmp_path / "once", today)
    with (
        GraphFake.from_org(org, ca=ca, teams_from_mattermost=True, window_s=1.0) as fake,
        _kit(tmp_path / "cut", fake) as kit,
    ):
        fake.server.app = _failing_after(fake.graph, reports=40)
        first = kit.collect(today=today)
        assert not first.ok and first.runs[0].checkpoints > 0
        before = list(fake.graph.asked)
        fake.server.app = fake.graph
        assert kit.collect(today=today).ok
        again = fake.graph.asked[len(before) :]
        assert_same_store(kit, whole, ignore_tables=IGNORE)
    # the second run asked only for what the first had not read (and the re-read days)
    repeated = {day for f, day in set(before) & set(again) if f != COPILOT_USAGE.function}
    assert repeated <= {fake.tenant.refreshed - dt.timedelta(days=n) for n in range(3)}
    assert len(before) == 40 and len(before) + len(again) < len(REPORTS) * (HISTORY + 1) + 12


def test_a_second_run_reads_only_the_recent_days_and_changes_nothing(
    fake: GraphFake, tmp_path: Path, today: dt.date
) -> None:
    with _kit(tmp_path, fake) as kit:
        assert kit.collect(today=today).ok
        fake.graph.asked.clear()
        result = kit.collect(today=today)
        assert result.ok and result.facts_written == 0 and result.runs[0].facts_deleted == 0
    # three re-read days up to the as-of day (unchanged: 304), and the probe of the day after;
    # one read of the Copilot report, whose unchanged refresh date adds nothing
    assert len(fake.graph.asked) == len(REPORTS) * 4 + 1
    assert fake.graph.not_modified == len(REPORTS) * 3


def test_a_late_correction_replaces_the_day(
    fake: GraphFake, org: Org, tmp_path: Path, today: dt.date
) -> None:
    with _kit(tmp_path, fake) as kit:
        assert kit.collect(today=today).ok
        revise_and_add_a_day(fake)
        assert kit.collect(today=today).ok
        after = fact_totals(kit, by=("action", "feature"), platform="sharepoint")
    expected = expected_totals(org, _first(today), fake.tenant.refreshed)
    expected[("sync", "files")] = expected.get(("sync", "files"), 0) + LATE_SYNCS
    assert after == expected


def test_concealed_names_keep_the_totals_and_join_no_one(
    org: Org, ca: trustme.CA, tmp_path: Path, today: dt.date, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        GraphFake.from_org(
            org, ca=ca, teams_from_mattermost=True, window_s=1.0, concealed=True
        ) as fake,
        _kit(tmp_path, fake) as kit,
        caplog.at_level(logging.WARNING),
    ):
        assert kit.collect(today=today).ok
        totals = fact_totals(kit, by=("action", "feature"), platform="sharepoint")
        identities = store_rows(kit, "identities")
        copilot = fact_totals(kit, by=("action", "feature"), platform="copilot")
        engage = fact_totals(kit, by=("action", "feature"), platform="vivaengage")
    # Copilot and Viva Engage keep their counts under the hashes too; the Copilot report's
    # concealed users join no one, so no member has a Copilot account
    assert copilot and engage
    assert not [i for i in identities if i["platform"] == "copilot"]
    # every user of the tenant is in the report under a hash, guests and leavers included
    assert sum(totals.values()) >= sum(
        expected_totals(org, _first(today), fake.tenant.refreshed).values()
    )
    hashed = [i for i in identities if i["person_id"].startswith("concealed:")]
    assert hashed and all(i["email"] is None for i in hashed)
    members = {i["member_key"] for i in identities if not i["person_id"].startswith("concealed:")}
    assert not members & {i["member_key"] for i in hashed}
    warning = caplog.text
    assert "Display concealed user, group, and site names in all reports" in warning
    assert "ReportSettings.ReadWrite.All" in warning
