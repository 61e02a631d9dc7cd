"""``e20kit survey send``: invitations at most once per person and wave, on real stores.

A recording survey source stands in for the survey tool (the LimeSurvey plugin has its own
end-to-end test against its fake); people come from a csv export of a synthetic organisation,
messages go to the log notifier's file, so what was sent is read back from there.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from pydantic import BaseModel

import e20kit.delivery as dl
from e20kit import Kit, PluginContext, SurveySourceType, hookimpl
from e20kit.delivery import opt_out
from e20kit.sandbox import build_org, write_csv_folder
from e20kit.survey import SurveyHandle, SurveyQuestion, SurveyResponse, SurveyWave
from e20kit.testing import build_kit, run_cli, store_rows

# Monday 7 December 2026, 10:00 in Berlin
NOW = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
K = 5


class StubSettings(BaseModel):
    url: str = "https://survey.example.org"


class StubSource:
    """Records what it was asked; links as LimeSurvey's carry them."""

    prepared: list[tuple[str, tuple[str, ...]]] = []

    def __init__(self, context: PluginContext[StubSettings]) -> None:
        self.url = context.settings.url

    def prepare(
        self, wave: SurveyWave, questions: Sequence[SurveyQuestion], units: Sequence[str]
    ) -> SurveyHandle:
        StubSource.prepared.append((wave.wave_id, tuple(units)))

        def link(unit: str | None, role: str, lang: str) -> str:
            extra = f"&unit={unit}" if unit in units else ""
            return f"{self.url}/s/1?lang={lang}&role={role}{extra}"

        return SurveyHandle(survey_ref="1", link=link)

    def responses(self, wave: SurveyWave, handle_ref: str) -> list[SurveyResponse]:
        return []


class StubPlugin:
    @hookimpl
    def e20kit_survey_sources(self) -> list[SurveySourceType[Any]]:
        return [SurveySourceType(name="stub", settings=StubSettings, factory=StubSource)]


@pytest.fixture
def kit(tmp_path: Path, store_url: str) -> Iterator[Kit]:
    StubSource.prepared = []
    org = build_org(4, members=60, departments=3, days=14, end=dt.date(2026, 12, 7))
    write_csv_folder(org, tmp_path / "hr")
    with build_kit(
        tmp_path,
        connectors={"hr": {"type": "csv", "path": str(tmp_path / "hr")}},
        notifiers={"log": {"type": "log", "path": str(tmp_path / "messages.jsonl")}},
        settings={
            "organisation": {"timezone": "Europe/Berlin"},
            "privacy": {"min_group_size": K},
            "survey_sources": {"pulse": {"type": "stub"}},
            "survey": {"invitations": {"notifier": "log", "remind_after_days": 3}},
        },
        plugins=[StubPlugin()],
        store_url=store_url,
    ) as opened:
        opened.collect(today=dt.date(2026, 12, 6))
        yield opened


def sent(kit: Kit) -> list[dict[str, Any]]:
    path = Path(str(kit.config.settings.notifiers["log"]["path"]))
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def members(kit: Kit) -> list[dict[str, Any]]:
    return [m for m in store_rows(kit.engine, "members") if m["active"]]


def test_everyone_is_invited_once_and_only_that_is_recorded(kit: Kit) -> None:
    result = kit.survey.send("w1", now=NOW)
    people = members(kit)
    assert result.count("sent") == len(people) > 0
    assert StubSource.prepared == [("w1", StubSource.prepared[0][1])]
    rows = store_rows(kit.engine, "survey_invitations")
    assert sorted(r["member_key"] for r in rows) == sorted(m["member_key"] for m in people)
    assert {r["reminders"] for r in rows} == {0}
    (wave,) = store_rows(kit.engine, "survey_waves")
    closes = dt.date(2026, 12, 21)  # [survey.invitations] wave_days = 14
    assert (wave["source"], wave["survey_ref"], wave["closes"]) == ("pulse", "1", closes)

    again = kit.survey.send("w1", now=NOW + dt.timedelta(hours=1))
    assert again.outcomes == []
    assert len(sent(kit)) == len(people)


def test_a_crash_mid_send_messages_nobody_twice(kit: Kit, monkeypatch: pytest.MonkeyPatch) -> None:
    real, calls = dl._mark_sent, [0]

    def crash_on_the_fifth(*args: Any) -> None:
        calls[0] += 1
        if calls[0] == 5:
            raise KeyboardInterrupt  # killed between sending and recording
        real(*args)

    monkeypatch.setattr(dl, "_mark_sent", crash_on_the_fifth)
    with pytest.raises(KeyboardInterrupt):
        kit.survey.send("w1", now=NOW)
    monkeypatch.setattr(dl, "_mark_sent", real)
    rerun = kit.survey.send("w1", now=NOW + dt.timedelta(minutes=5))
    assert rerun.count("already_sent") == 1  # the one in flight: the channel said it went out
    per_member = Counter(m["member"] for m in sent(kit))
    assert set(per_member.values()) == {1}
    assert len(per_member) == len(members(kit))


def test_a_dry_run_lists_and_writes_nothing(kit: Kit) -> None:
    result = kit.survey.send("w1", dry_run=True, now=NOW)
    assert result.count("would_send") == len(members(kit))
    assert all("<survey link" in o.link for o in result.outcomes)
    assert StubSource.prepared == []
    assert store_rows(kit.engine, "survey_waves") == []
    assert store_rows(kit.engine, "survey_invitations") == []
    assert sent(kit) == []
    assert not [e for e in kit.privacy.audit() if e.action == "survey_send"]


def test_the_unit_is_in_the_link_only_where_k_people_share_it(kit: Kit) -> None:
    result = kit.survey.send("w1", now=NOW)
    cells = Counter((m["department"], bool(m["is_leader"])) for m in members(kit))
    labelled = {dept for (dept, _), n in cells.items() if n >= K}
    assert StubSource.prepared[0][1] == tuple(sorted(labelled))
    seen_without = 0
    department_of = {m["member_key"]: m["department"] for m in members(kit)}
    for outcome in result.outcomes:
        query = parse_qs(urlsplit(outcome.link).query)
        assert "token" not in outcome.link and outcome.member_key not in outcome.link
        department = department_of[outcome.member_key]
        big = cells[(department, outcome.role == "leader")] >= K
        assert query.get("unit") == ([department] if big else None)
        seen_without += not big
    assert seen_without > 0  # the leaders of a department are fewer than k


def test_everyone_sharing_unit_role_and_language_gets_the_same_link(kit: Kit) -> None:
    result = kit.survey.send("w1", now=NOW)
    links: dict[tuple[str | None, str, str], set[str]] = {}
    for o in result.outcomes:
        links.setdefault((o.unit, o.role, o.locale), set()).add(o.link)
    assert all(len(found) == 1 for found in links.values())  # nothing in it tells people apart
    assert len(links) < len(result.outcomes) / 3


def test_reminders_are_due_after_the_wait_and_capped(kit: Kit) -> None:
    first = kit.survey.send("w1", now=NOW)
    assert kit.survey.send("w1", remind=True, now=NOW + dt.timedelta(days=2)).outcomes == []
    later = NOW + dt.timedelta(days=3)
    reminded = kit.survey.send("w1", remind=True, now=later)
    assert reminded.count("sent") == len(members(kit))
    assert all(o.reminder and o.attempt == 1 for o in reminded.outcomes)
    assert all(o.subject.startswith(("Reminder", "Erinnerung")) for o in reminded.outcomes)
    assert not any(o.subject.startswith(("Reminder", "Erinnerung")) for o in first.outcomes)
    assert {r["reminders"] for r in store_rows(kit.engine, "survey_invitations")} == {1}
    capped = kit.survey.send("w1", remind=True, now=later + dt.timedelta(days=4))
    assert capped.outcomes == []  # max_reminders = 1


def test_quiet_hours_hold_everything_back(kit: Kit) -> None:
    evening = dt.datetime(2026, 12, 7, 19, 30, tzinfo=dt.UTC)  # 20:30 in Berlin
    result = kit.survey.send("w1", now=evening)
    assert (result.deferred, result.held) == ("quiet_hours", len(members(kit)))
    assert sent(kit) == [] and StubSource.prepared == []
    saturday = kit.survey.send("w1", now=NOW + dt.timedelta(days=5))
    assert saturday.deferred == "weekend"


def test_opted_out_members_are_not_invited(kit: Kit) -> None:
    first = members(kit)[0]["member_key"]
    opt_out(kit.engine, first)
    result = kit.survey.send("w1", now=NOW)
    assert first not in {o.member_key for o in result.outcomes}
    assert result.skipped == {"opted_out": 1}


def test_messages_speak_the_members_language(kit: Kit) -> None:
    result = kit.survey.send("w1", now=NOW)
    by_locale = {o.locale: o for o in result.outcomes}
    assert set(by_locale) == {"en", "de"}
    assert "zwei Minuten" in by_locale["de"].subject
    assert "lang=de" in by_locale["de"].link
    bodies = {m["key"]: m["body"] for m in sent(kit)}
    assert any("mindestens 5 Personen" in body for body in bodies.values())


def test_a_send_is_audited_with_counts_not_people(kit: Kit) -> None:
    kit.survey.send("w1", now=NOW)
    (entry,) = [e for e in kit.privacy.audit() if e.action == "survey_send"]
    assert entry.detail is not None and entry.detail["invited"] == len(members(kit))
    text = json.dumps(entry.as_dict(), default=str)
    assert not any(m["member_key"] in text for m in members(kit))


def test_the_command_line_dry_run(kit: Kit) -> None:
    out = run_cli("--json", "survey", "send", "--wave", "w1", "--dry-run", kit=kit)
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    # run at the real time of day: held in quiet hours or at weekends, listed otherwise
    assert data["dry_run"] and len(data["messages"]) + data["held"] == len(members(kit))
    assert {m["state"] for m in data["messages"]} <= {"would_send"}
    assert store_rows(kit.engine, "survey_invitations") == []
