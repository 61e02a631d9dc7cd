"""The beta Copilot report against the fake: days of use from last-activity dates, the moving
endpoint's fallback, and a skipped stream (not a failed run) when neither path answers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from e20kit_sharepoint.copilot import COPILOT_USAGE, beta_url, parse_copilot
from e20kit_sharepoint.fake import GraphFake
from sharepoint_helpers import SECRET_ENV

from e20kit import Action, Feature
from e20kit.sandbox import build_org
from e20kit.testing import build_kit, store_rows

DOCUMENTED = "Report Refresh Date,Report Period,User Principal Name,Display Name,Last Activity Date,Microsoft Teams Copilot Last Activity Date,Word Copilot Last Activity Date,Excel Copilot Last Activity Date,PowerPoint Copilot Last Activity Date,Outlook Copilot Last Activity Date,OneNote Copilot Last Activity Date,Loop Copilot Last Activity Date,Copilot Chat Last Activity Date"  # noqa: E501
"""microsoft-graph-docs-contrib api-reference/beta/api/reportroot-getmicrosoft365copilotusageuserdetail.md"""  # noqa: E501

WORD = "Word Copilot Last Activity Date"
CHAT = "Copilot Chat Last Activity Date"


def test_the_report_knows_exactly_the_documented_header() -> None:
    assert ",".join(COPILOT_USAGE.columns) == DOCUMENTED
    assert beta_url("https://graph.microsoft.com/v1.0") == "https://graph.microsoft.com/beta"


def test_each_app_last_day_becomes_one_use_and_a_bad_date_is_named() -> None:
    body = (
        "\ufeff" + DOCUMENTED + "\r\n"
        "2026-10-22,7,Ada@Example.org,Ada,2026-10-21,,2026-10-21,,,,,,2026-10-19\r\n"
        "2026-10-22,7,bob@example.org,Bob,,,yesterday,,,,,,\r\n"
    ).encode()
    read = parse_copilot(body, connector="m365", endpoint="/beta/x")
    assert read.refreshed == dt.date(2026, 10, 22)
    assert [(u.user, u.day, u.container, u.feature) for u in read.uses] == [
        ("ada@example.org", dt.date(2026, 10, 21), "m365:copilot:word", Feature.FILES),
        ("ada@example.org", dt.date(2026, 10, 19), "m365:copilot:chat", Feature.CHAT),
    ]
    assert read.bad_lines == [3]


def _kit(tmp_path: Path, fake: GraphFake, **overrides: object):  # type: ignore[no-untyped-def]
    table = fake.table(SECRET_ENV, quota_window_s=0.5, **overrides)
    return build_kit(
        tmp_path,
        connectors={"m365": table},
        env={SECRET_ENV: str(fake.tenant.app.client_secret)},
    )


def _copilot_days(kit) -> dict[tuple[str, str], int]:  # type: ignore[no-untyped-def]
    rows = [
        (r["day"], r["container"], r["action"], r["count"])
        for r in store_rows(kit, "facts")
        if r["platform"] == "copilot"
    ]
    assert {(a, n) for _, _, a, n in rows} <= {(Action.VISIT.value, 1)}
    out: dict[tuple[str, str], int] = {}
    for day, container, _, _ in rows:
        out[(day.isoformat(), container)] = out.get((day.isoformat(), container), 0) + 1
    return out


def _copilot_calls(fake: GraphFake) -> list[str]:
    return [r.path for r in fake.server.requests if COPILOT_USAGE.function in r.path]


@pytest.fixture
def org():  # type: ignore[no-untyped-def]
    return build_org(seed=5, members=40)


def test_a_moving_last_activity_date_adds_a_day_and_the_days_between_reads_are_lost(
    tmp_path: Path, org
) -> None:  # type: ignore[no-untyped-def]
    with GraphFake.from_org(org, window_s=0.5) as fake:
        tenant = fake.tenant
        tenant.copilot_days.clear()
        ada = tenant.users[0]
        start = tenant.refreshed
        for offset in (-3, -2, -1):
            tenant.use_copilot(ada.id, WORD, start + dt.timedelta(days=offset))
        with _kit(tmp_path, fake, viva_engage=False, outlook_and_apps=False) as kit:
            assert kit.collect(today=tenant.today).ok
            first = _copilot_days(kit)
            # the first read sees the last day only: the two before it are lost
            assert first == {((start - dt.timedelta(days=1)).isoformat(), "m365:copilot:word"): 1}
            # Microsoft's refresh date moves by two days; of the two uses in them only the
            # last is seen (the day before is lost)
            later = start + dt.timedelta(days=2)
            tenant.use_copilot(ada.id, WORD, start + dt.timedelta(days=1))
            tenant.use_copilot(ada.id, WORD, later)
            tenant.today += dt.timedelta(days=2)
            assert kit.collect(today=tenant.today).ok
            assert _copilot_days(kit) == {**first, (later.isoformat(), "m365:copilot:word"): 1}
            # an unchanged report read again writes nothing
            again = kit.collect(today=tenant.today)
            assert again.ok and again.facts_written == 0
            assert len(_copilot_days(kit)) == 2
        assert fake.graph.report_requests[COPILOT_USAGE.function] == 3


def test_the_old_path_answers_when_the_new_one_is_missing(tmp_path: Path, org) -> None:  # type: ignore[no-untyped-def]
    with GraphFake.from_org(org, window_s=0.5) as fake:
        fake.tenant.copilot_paths = frozenset({"/beta/reports"})
        with _kit(tmp_path, fake, viva_engage=False, outlook_and_apps=False) as kit:
            first = kit.collect(today=fake.tenant.today)
            assert first.ok and not first.runs[0].warnings, first.as_dict()
            assert _copilot_days(kit)
            copilot_paths = _copilot_calls(fake)
            assert [p.split("/get")[0] for p in copilot_paths] == [
                "/beta/copilot/reports",
                "/beta/reports",
            ]
            # once per run: the read for the licensed accounts serves the days of use too
            assert len(copilot_paths) == 2
            identities = store_rows(kit, "identities")
            accounts = sum(1 for r in identities if r["platform"] == "copilot")
            licensed = fake.tenant.copilot_users
            assert accounts == len(licensed & {u.id for u in fake.tenant.users if u.enabled})


def test_a_report_gone_from_both_paths_is_a_notice_not_a_failed_run(tmp_path: Path, org) -> None:  # type: ignore[no-untyped-def]
    with GraphFake.from_org(org, window_s=0.5) as fake:
        fake.tenant.copilot_paths = frozenset()
        with _kit(tmp_path, fake) as kit:
            result = kit.collect(today=fake.tenant.today)
            assert result.ok, result.as_dict()
            (notice,) = [w for w in result.runs[0].warnings if "optional stream" in w]
            assert COPILOT_USAGE.stream in notice and "HTTP 404" in notice
            assert "Copilot days of use (beta report)" in notice
            assert _copilot_days(kit) == {}
            # everything else was read
            platforms = {r["platform"] for r in store_rows(kit, "facts")}
            assert {"sharepoint", "vivaengage", "context:outlook"} <= platforms


def test_an_unreadable_copilot_report_is_named_and_the_run_goes_on(tmp_path: Path, org) -> None:  # type: ignore[no-untyped-def]
    with GraphFake.from_org(org, window_s=0.5) as fake:
        # a newer header without a documented column, and a NUL byte: unreadable as a whole
        fake.tenant.copilot_csv = lambda: b"Report Refresh Date,User Principal Name\r\n\x00\r\n"  # type: ignore[method-assign]
        with _kit(tmp_path, fake, outlook_and_apps=False) as kit:
            result = kit.collect(today=fake.tenant.today)
            assert result.ok, result.as_dict()
            (notice,) = [w for w in result.runs[0].warnings if COPILOT_USAGE.stream in w]
            assert "Report Period" in notice and "missing" in notice
            assert _copilot_days(kit) == {}
