"""Viva Engage, Outlook and the apps reports: what each column becomes, and on which platform."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from e20kit_sharepoint.fake import GraphFake
from e20kit_sharepoint.reports import (
    EMAIL_ACTIVITY,
    M365_APP_ACTIVITY,
    REPORTS,
    VIVA_ENGAGE_ACTIVITY,
    enabled_reports,
    parse_report,
)
from e20kit_sharepoint.settings import SharePointSettings
from sharepoint_helpers import SECRET_ENV

from e20kit import Action, Feature, is_context_platform
from e20kit.sandbox import Org
from e20kit.testing import build_kit, fact_totals

DAY = dt.date(2026, 10, 20)


def _csv(report, *rows: dict[str, str]) -> bytes:  # type: ignore[no-untyped-def]
    lines = [",".join(report.columns)]
    lines += [",".join(row.get(c, "") for c in report.columns) for row in rows]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()


def _parse(report, *rows: dict[str, str]):  # type: ignore[no-untyped-def]
    return parse_report(report, DAY, _csv(report, *rows), connector="m365", endpoint="/x")


def _settings(**values: object) -> SharePointSettings:
    return SharePointSettings(tenant_id="t", client_id="c", client_secret="s", **values)


def test_viva_engage_posts_reads_and_likes_are_discussion_facts_of_their_own_platform() -> None:
    parsed = _parse(
        VIVA_ENGAGE_ACTIVITY,
        {
            "Report Refresh Date": "2026-10-22",
            "User Principal Name": "Ada@Example.org",
            "User State": "Active",
            "Posted Count": "3",
            "Read Count": "17",
            "Liked Count": "2",
        },
    )
    (row,) = parsed.rows
    assert row.user == "ada@example.org"
    # the report has one count for every message: replies are not told apart, all are posts
    assert row.counts == {
        (Action.POST, Feature.DISCUSSION): 3,
        (Action.VIEW, Feature.DISCUSSION): 17,
        (Action.REACT, Feature.DISCUSSION): 2,
    }
    assert VIVA_ENGAGE_ACTIVITY.platform == "vivaengage"
    assert not is_context_platform(VIVA_ENGAGE_ACTIVITY.platform)


def test_outlook_is_context_and_leaves_received_mail_out() -> None:
    parsed = _parse(
        EMAIL_ACTIVITY,
        {
            "Report Refresh Date": "2026-10-22",
            "User Principal Name": "ada@example.org",
            "Send Count": "4",
            "Receive Count": "90",
            "Read Count": "30",
            "Meeting Created Count": "1",
            "Meeting Interacted Count": "2",
        },
    )
    (row,) = parsed.rows
    assert row.counts == {
        (Action.POST, Feature.CHAT): 4,
        (Action.VIEW, Feature.CHAT): 30,
        (Action.CREATE, Feature.SITE): 1,
        (Action.VISIT, Feature.SITE): 2,
    }
    assert is_context_platform(EMAIL_ACTIVITY.platform)


def test_the_apps_report_reads_yes_and_no_per_app_and_names_a_bad_cell() -> None:
    used = {
        "Report Refresh Date": "2026-10-22",
        "User Principal Name": "ada@example.org",
        "Outlook": "Yes",
        "Word": "Yes",
        "Excel": "No",
        "PowerPoint": "no",
        "OneNote": "",
        "Teams": "True",
        "Web": "Maybe",  # a device column: known, never read
    }
    bad = {**used, "User Principal Name": "bob@example.org", "Excel": "7"}
    parsed = _parse(M365_APP_ACTIVITY, used, bad)
    (row,) = parsed.rows
    assert row.counts == {
        (Action.VISIT, Feature.CHAT): 1,
        (Action.VISIT, Feature.FILES): 1,
        (Action.VISIT, Feature.WIKI): 0,
        (Action.VISIT, Feature.DISCUSSION): 1,
    }
    assert [(b.line, b.column, b.problem) for b in parsed.bad] == [(3, "Excel", "not Yes or No")]
    assert is_context_platform(M365_APP_ACTIVITY.platform)


def test_settings_turn_the_optional_reports_off() -> None:
    assert enabled_reports(_settings()) == REPORTS
    left = enabled_reports(_settings(viva_engage=False, outlook_and_apps=False))
    assert VIVA_ENGAGE_ACTIVITY not in left and EMAIL_ACTIVITY not in left
    assert M365_APP_ACTIVITY not in left and len(left) == len(REPORTS) - 3


def _expected(tenant, report, first: dt.date, members: set[str]) -> dict[tuple[str, str], int]:  # type: ignore[no-untyped-def]
    """(action, feature) -> what the connector must store of ``report`` for ``members``."""
    out: dict[tuple[str, str], int] = {}
    for (function, day, uid), cells in tenant.counts.items():
        if function != report.function or uid not in members:
            continue
        if not first <= day <= tenant.refreshed:
            continue
        for column, count in cells.items():
            action, feature = report.counts[column]
            key = (action.value, feature.value)
            out[key] = out.get(key, 0) + count
    return {k: v for k, v in out.items() if v}


def test_viva_engage_outlook_and_apps_arrive_from_the_fake_on_their_platforms(
    fake: GraphFake, org: Org, tmp_path: Path, today: dt.date
) -> None:
    first = today - dt.timedelta(days=27)
    kit = build_kit(
        tmp_path,
        connectors={"m365": fake.table(SECRET_ENV, quota_window_s=1.0)},
        env={SECRET_ENV: str(fake.tenant.app.client_secret)},
    )
    with kit:
        result = kit.collect(today=today)
        assert result.ok, result.as_dict()
        stored = {
            r.platform: fact_totals(kit, by=("action", "feature"), platform=r.platform)
            for r in (VIVA_ENGAGE_ACTIVITY, EMAIL_ACTIVITY, M365_APP_ACTIVITY)
        }
    employed = {u.id for u in fake.tenant.users if u.enabled and u.user_type == "Member"}
    for report in (VIVA_ENGAGE_ACTIVITY, EMAIL_ACTIVITY, M365_APP_ACTIVITY):
        expected = _expected(fake.tenant, report, first, employed)
        assert expected and stored[report.platform] == expected, report.function
    # the fake's Viva Engage users post as much as on Mattermost: posts are there
    assert stored["vivaengage"].get(("post", "discussion"), 0) > 0
