"""The CSV parser on the documented headers: mapping, BOM, unknown and missing columns."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

import pytest
from e20kit_sharepoint.reports import (
    ONEDRIVE_ACTIVITY,
    REPORTS,
    SHAREPOINT_ACTIVITY,
    SITE_USAGE,
    TEAMS_ACTIVITY,
    BadRow,
    ReportUnreadable,
    is_concealed,
    parse_report,
)

from e20kit import Action, ConnectorFatalError, Feature

DAY = dt.date(2026, 10, 20)

DOCUMENTED = {
    "getSharePointActivityUserDetail": "Report Refresh Date,User Principal Name,Is Deleted,Deleted Date,Last Activity Date,Viewed Or Edited File Count,Synced File Count,Shared Internally File Count,Shared Externally File Count,Visited Page Count,Assigned Products,Report Period",  # noqa: E501
    "getOneDriveActivityUserDetail": "Report Refresh Date,User Principal Name,Is Deleted,Deleted Date,Last Activity Date,Viewed Or Edited File Count,Synced File Count,Shared Internally File Count,Shared Externally File Count,Assigned Products,Report Period",  # noqa: E501
    "getSharePointSiteUsageDetail": "Report Refresh Date,Site Id,Site URL,Owner Display Name,Is Deleted,Last Activity Date,File Count,Active File Count,Page View Count,Visited Page Count,Storage Used (Byte),Storage Allocated (Byte),Root Web Template,Owner Principal Name,Report Period",  # noqa: E501
    "getTeamsUserActivityUserDetail": "Report Refresh Date,Tenant Display Name,Shared Channel Tenant Display Names,User Id,User Principal Name,Last Activity Date,Is Deleted,Deleted Date,Assigned Products,Team Chat Message Count,Private Chat Message Count,Call Count,Meeting Count,Post Messages,Reply Messages,Urgent Messages,Meetings Organized Count,Meetings Attended Count,Ad Hoc Meetings Organized Count,Ad Hoc Meetings Attended Count,Scheduled One-time Meetings Organized Count,Scheduled One-time Meetings Attended Count,Scheduled Recurring Meetings Organized Count,Scheduled Recurring Meetings Attended Count,Audio Duration,Video Duration,Screen Share Duration,Audio Duration In Seconds,Video Duration In Seconds,Screen Share Duration In Seconds,Has Other Action,Is Licensed,Report Period",  # noqa: E501
    # microsoftgraph/microsoft-graph-docs-contrib api-reference/v1.0/api/reportroot-get*.md
    "getYammerActivityUserDetail": "Report Refresh Date,User Principal Name,Display Name,User State,State Change Date,Last Activity Date,Posted Count,Read Count,Liked Count,Assigned Products,Report Period",  # noqa: E501
    "getEmailActivityUserDetail": "Report Refresh Date,User Principal Name,Display Name,Is Deleted,Deleted Date,Last Activity Date,Send Count,Receive Count,Read Count,Meeting Created Count,Meeting Interacted Count,Assigned Products,Report Period",  # noqa: E501
    "getM365AppUserDetail": "Report Refresh Date,User Principal Name,Last Activation Date,Last Activity Date,Report Period,Windows,Mac,Mobile,Web,Outlook,Word,Excel,PowerPoint,OneNote,Teams,Outlook (Windows),Word (Windows),Excel (Windows),PowerPoint (Windows),OneNote (Windows),Teams (Windows),Outlook (Mac),Word (Mac),Excel (Mac),PowerPoint (Mac),OneNote (Mac),Teams (Mac),Outlook (Mobile),Word (Mobile),Excel (Mobile),PowerPoint (Mobile),OneNote (Mobile),Teams (Mobile),Outlook (Web),Word (Web),Excel (Web),PowerPoint (Web),OneNote (Web),Teams (Web)",  # noqa: E501
}
"""The header lines exactly as graph-reports.md section 2 (and, for Viva Engage, Outlook and the
apps, Microsoft's pages of the same repository) quote them."""


def _csv(header: str, *rows: dict[str, str]) -> bytes:
    columns = header.split(",")
    lines = [header] + [",".join(row.get(c, "") for c in columns) for row in rows]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()


def _parse(report, body):  # type: ignore[no-untyped-def]
    return parse_report(report, DAY, body, connector="m365", endpoint="/reports/x")


def test_the_reports_know_exactly_the_documented_headers() -> None:
    assert {r.function: ",".join(r.columns) for r in REPORTS} == DOCUMENTED


def test_site_rows_are_keyed_by_site_id_and_count_page_views_only() -> None:
    site = "2f7b9c1e-0a4d-4e8b-9c3f-5d6e7f8a9b0c"
    active = {
        "Report Refresh Date": "2026-10-22",
        "Site Id": site,
        "Site URL": "0123456789ABCDEF0123456789ABCDEF",  # concealed: a hash, never used
        "Page View Count": "12",
        "Visited Page Count": "5",
    }
    dormant = {**active, "Site Id": site.upper(), "Page View Count": "0", "Visited Page Count": ""}
    parsed = _parse(SITE_USAGE, _csv(DOCUMENTED[SITE_USAGE.function], active, dormant))
    assert SITE_USAGE.per_site and not parsed.concealed
    assert [r.user for r in parsed.rows] == [site, site.upper()]  # ids kept as given
    assert [r.counts for r in parsed.rows] == [
        {(Action.VIEW, Feature.SITE): 12},  # visits are the activity report's, not twice
        {(Action.VIEW, Feature.SITE): 0},
    ]


def test_sharepoint_columns_map_to_documented_actions_and_bom_is_stripped() -> None:
    row = {
        "Report Refresh Date": "2026-10-22",
        "User Principal Name": "Julia.Carter@Example.org",
        "Viewed Or Edited File Count": "4",
        "Synced File Count": "1",
        "Shared Internally File Count": "2",
        "Shared Externally File Count": "1",
        "Visited Page Count": "7",
        "Is Deleted": "False",
    }
    parsed = _parse(SHAREPOINT_ACTIVITY, _csv(DOCUMENTED[SHAREPOINT_ACTIVITY.function], row))
    assert parsed.refreshed == dt.date(2026, 10, 22)
    [only] = parsed.rows
    assert only.user == "julia.carter@example.org"
    assert only.counts == {
        (Action.VIEW, Feature.FILES): 4,
        (Action.SYNC, Feature.FILES): 1,
        (Action.SHARE, Feature.FILES): 3,
        (Action.VISIT, Feature.SITE): 7,
    }


def test_teams_channel_messages_are_not_counted_twice() -> None:
    row = {
        "Report Refresh Date": "2026-10-22",
        "User Id": "0f1e",
        "User Principal Name": "a@example.org",
        "Team Chat Message Count": "5",
        "Post Messages": "2",
        "Reply Messages": "3",
        "Private Chat Message Count": "9",
        "Meeting Count": "1",
        "Call Count": "2",
        "Audio Duration": "00:10:00",
    }
    [only] = _parse(TEAMS_ACTIVITY, _csv(DOCUMENTED[TEAMS_ACTIVITY.function], row)).rows
    assert only.user_id == "0f1e"
    assert only.counts == {
        (Action.POST, Feature.DISCUSSION): 2,
        (Action.REPLY, Feature.DISCUSSION): 3,
        (Action.POST, Feature.CHAT): 9,
        (Action.VISIT, Feature.CHAT): 3,
    }


def test_an_unknown_extra_column_is_ignored_with_a_debug_note(
    caplog: pytest.LogCaptureFixture,
) -> None:
    header = DOCUMENTED[ONEDRIVE_ACTIVITY.function] + ",Copilot Prompts"
    row = {"Report Refresh Date": "2026-10-22", "User Principal Name": "a@example.org"}
    with caplog.at_level(logging.DEBUG, logger="e20kit.sharepoint"):
        parsed = _parse(ONEDRIVE_ACTIVITY, _csv(header, {**row, "Copilot Prompts": "3"}))
    assert parsed.rows[0].counts[(Action.SYNC, Feature.FILES)] == 0
    assert "Copilot Prompts" in caplog.text


def test_a_missing_documented_column_names_the_report_and_the_column() -> None:
    header = DOCUMENTED[SHAREPOINT_ACTIVITY.function].replace(",Synced File Count", "")
    with pytest.raises(ConnectorFatalError) as err:
        _parse(SHAREPOINT_ACTIVITY, _csv(header))
    assert "SharePoint activity user detail" in str(err.value)
    assert "'Synced File Count'" in str(err.value)


@pytest.mark.parametrize(
    ("field", "value", "complaint"),
    [
        ("Synced File Count", "many", "not a whole number"),
        ("Synced File Count", "-1", "negative"),
        ("Report Refresh Date", "yesterday", "not a date"),
    ],
)
def test_a_bad_cell_leaves_out_its_row_named_and_keeps_the_rest(
    field: str, value: str, complaint: str
) -> None:
    row = {"Report Refresh Date": "2026-10-22", "User Principal Name": "a@example.org"}
    good = {**row, "User Principal Name": "b@example.org", "Synced File Count": "4"}
    body = _csv(DOCUMENTED[SHAREPOINT_ACTIVITY.function], {**row, field: value}, good)
    parsed = _parse(SHAREPOINT_ACTIVITY, body)
    assert [r.user for r in parsed.rows] == ["b@example.org"]
    assert parsed.bad == [BadRow(2, field, complaint)]
    assert value not in repr(parsed.bad)


@pytest.mark.parametrize(
    ("damage", "complaint"),
    [
        (lambda lines: [*lines[:1], lines[1].replace("a@", '"a@', 1), *lines[2:]], "line"),
        (lambda lines: [lines[0], *(",".join(x.split(",")[:-3]) for x in lines[1:])], "fewer"),
        (lambda lines: [*lines[:-1], lines[-1][: len(lines[-1]) // 2]], "fewer"),
    ],
    ids=["unterminated-quote", "missing-trailing-fields", "truncated"],
)
def test_a_file_that_cannot_be_read_whole_fails_its_day(
    damage: Callable[[list[str]], list[str]], complaint: str
) -> None:
    """8bc5a9f read these as "nobody active" or as zeros and marked the day done."""
    header = DOCUMENTED[SHAREPOINT_ACTIVITY.function]
    rows = [
        {"Report Refresh Date": "2026-10-22", "User Principal Name": f"{who}@example.org"}
        | {"Synced File Count": "3", "Report Period": "1"}
        for who in ("a", "b", "c")
    ]
    lines = _csv(header, *rows).decode("utf-8-sig").split("\r\n")[:-1]
    body = ("\r\n".join(damage(lines)) + "\r\n").encode()
    with pytest.raises(ReportUnreadable, match=complaint) as err:
        _parse(SHAREPOINT_ACTIVITY, body)
    assert "SharePoint activity user detail for 2026-10-20" in str(err.value)


def test_a_header_only_answer_has_no_refresh_date() -> None:
    parsed = _parse(SHAREPOINT_ACTIVITY, _csv(DOCUMENTED[SHAREPOINT_ACTIVITY.function]))
    assert parsed.rows == [] and parsed.refreshed is None


def test_concealed_names_are_recognised_not_reversed() -> None:
    assert is_concealed("4A1D2E0F9B8C7D6E5F4A3B2C1D0E9F8A")
    assert not is_concealed("julia.carter@example.org")
    assert not is_concealed("Julia Carter")
    row = {
        "Report Refresh Date": "2026-10-22",
        "User Principal Name": "4A1D2E0F9B8C7D6E5F4A3B2C1D0E9F8A",
    }
    parsed = _parse(SHAREPOINT_ACTIVITY, _csv(DOCUMENTED[SHAREPOINT_ACTIVITY.function], row))
    assert parsed.concealed
    assert parsed.rows[0].user == "4A1D2E0F9B8C7D6E5F4A3B2C1D0E9F8A"


def test_a_cell_over_the_csv_field_limit_is_an_error_naming_the_line() -> None:
    """Issue 25: a 140,000-character cell raised the csv module's own error (a traceback)."""
    row = {"Report Refresh Date": "2026-10-22", "User Principal Name": "a" * 140_000}
    body = _csv(DOCUMENTED[SHAREPOINT_ACTIVITY.function], row)
    with pytest.raises(ConnectorFatalError, match=r"line 2: unreadable CSV .*field limit"):
        _parse(SHAREPOINT_ACTIVITY, body)
