"""Invitations and digests: exactly once across runs and crashes, en/de, dry runs, opt-outs."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from e20kit import Kit, Message, NotifierError, NotifierType, hookimpl
from e20kit import delivery as dl
from e20kit.champions.roster import RosterState
from e20kit.delivery import DeliveryState, opt_out
from e20kit.notifiers.log import LogNotifierSettings

from .conftest import OrgKit
from .helpers import NOW, TODAY, add_member, department, make_kit, sent_messages


def _crash_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the first "record as sent" fail, as if the process died right after sending."""
    real = dl._mark_sent
    calls = {"n": 0}

    def crashing(engine, key, now):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 1:
            raise KeyboardInterrupt("killed between send and record")
        real(engine, key, now)

    monkeypatch.setattr(dl, "_mark_sent", crashing)


def _states(kit: Kit) -> Counter[RosterState]:
    return Counter(e.state for e in kit.champions.roster())


def test_invitations_go_out_exactly_once_across_two_runs(org_kit: OrgKit) -> None:
    kit = org_kit.kit
    nominated = kit.champions.nominate(now=org_kit.now).nominated
    first = kit.champions.invite(now=org_kit.now, by="cron")
    assert first.ok and {o.state for o in first.outcomes} == {DeliveryState.SENT}
    assert _states(kit) == {RosterState.INVITED: len(nominated)}
    second = kit.champions.invite(now=org_kit.now + dt.timedelta(hours=1))
    assert second.outcomes == ()
    messages = sent_messages(org_kit.tmp_path)
    assert sorted(m["member"] for m in messages) == sorted(n.member_key for n in nominated)
    assert {m["key"] for m in messages} == {f"champions.invite:{n.member_key}:1" for n in nominated}
    assert {m["kind"] for m in messages} == {"champions.invite"}
    by_locale = {m["locale"]: m["subject"] for m in messages}
    for locale, subject in by_locale.items():
        assert ("Champion" in subject) if locale == "de" else ("champion" in subject)


def test_invitations_survive_a_crash_between_send_and_record(
    org_kit: OrgKit, monkeypatch: pytest.MonkeyPatch
) -> None:
    kit = org_kit.kit
    nominated = kit.champions.nominate(now=org_kit.now).nominated
    _crash_once(monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        kit.champions.invite(now=org_kit.now)
    assert len(sent_messages(org_kit.tmp_path)) == 1
    assert _states(kit)[RosterState.CANDIDATE] == len(nominated)
    rerun = kit.champions.invite(now=org_kit.now + dt.timedelta(minutes=5))
    states = Counter(o.state for o in rerun.outcomes)
    assert states == {DeliveryState.ALREADY_SENT: 1, DeliveryState.SENT: len(nominated) - 1}
    assert next(o for o in rerun.outcomes if o.recovered).state is DeliveryState.ALREADY_SENT
    keys = [m["key"] for m in sent_messages(org_kit.tmp_path)]
    assert len(keys) == len(set(keys)) == len(nominated), "nobody was invited twice"
    assert _states(kit) == {RosterState.INVITED: len(nominated)}


def test_invitation_language_dry_run_and_opt_out(tmp_path: Path, store_url: str) -> None:
    kit = make_kit(tmp_path, store_url, "members_per_champion = 1\nmin_department_size = 1")
    department(kit.engine, "Sales", 1, active_top=1, prefix="en")
    department(kit.engine, "Vertrieb", 1, active_top=1, prefix="de")
    department(kit.engine, "Legal", 1, active_top=1, prefix="out")
    from e20kit.store.schema import members

    with kit.engine.begin() as conn:
        conn.execute(members.update().where(members.c.member_key == "de-00").values(locale="de_DE"))
    kit.champions.nominate(now=NOW)
    opt_out(kit.engine, "out-00", "champions")
    dry = kit.champions.invite(now=NOW, dry_run=True)
    assert {o.member_key: o.state for o in dry.outcomes} == {
        "en-00": DeliveryState.WOULD_SEND,
        "de-00": DeliveryState.WOULD_SEND,
    }
    assert dry.skipped == ("out-00",)
    assert sent_messages(tmp_path) == [] and _states(kit) == {RosterState.CANDIDATE: 3}
    kit.champions.invite(now=NOW)
    subjects = {m["member"]: m["subject"] for m in sent_messages(tmp_path)}
    assert subjects["de-00"].startswith("Möchten Sie Champion")
    assert subjects["en-00"].startswith("Would you like to become")
    assert "out-00" not in subjects
    assert _states(kit) == {RosterState.INVITED: 2, RosterState.CANDIDATE: 1}


class Broken:
    def __init__(self, context: object) -> None:
        pass

    def send(self, message: Message) -> None:
        raise NotifierError("channel down")

    def was_sent(self, message: Message) -> bool | None:
        return False


class BrokenPlugin:
    @hookimpl
    def e20kit_notifiers(self) -> list[NotifierType]:
        return [NotifierType(name="broken", settings=LogNotifierSettings, factory=Broken)]


def test_failed_invitation_stays_candidate_and_is_retried(tmp_path: Path, sqlite_url: str) -> None:
    kit = make_kit(tmp_path, sqlite_url, 'notifier = "broken"', plugins=[BrokenPlugin()])
    department(kit.engine, "Sales", 5, active_top=1)
    kit.champions.nominate(now=NOW)
    result = kit.champions.invite(now=NOW)
    assert not result.ok and result.outcomes[0].state is DeliveryState.FAILED
    assert _states(kit) == {RosterState.CANDIDATE: 1}
    again = kit.champions.invite(now=NOW)
    assert again.outcomes[0].state is DeliveryState.FAILED and again.outcomes[0].attempts == 2


def _digest_setup(tmp_path: Path, store_url: str, champions: str = "", **kw: str) -> Kit:
    kit = make_kit(tmp_path, store_url, champions, **kw)
    add_member(kit.engine, "champ-en", "Sales", joined_on=TODAY - dt.timedelta(days=900))
    add_member(kit.engine, "champ-de", "Eng", locale="de", joined_on=TODAY - dt.timedelta(days=900))
    add_member(kit.engine, "champ-idle", "HR", joined_on=TODAY - dt.timedelta(days=900))
    for key in ("champ-en", "champ-de", "champ-idle"):
        kit.champions.set_state(key, RosterState.ACTIVE, by="hr", now=NOW)
    add_member(kit.engine, "newbie-sales", "Sales", joined_on=TODAY - dt.timedelta(days=30))
    add_member(kit.engine, "newbie-eng", "Eng", joined_on=TODAY - dt.timedelta(days=30))
    add_member(kit.engine, "newbie-eng2", "Eng", joined_on=TODAY - dt.timedelta(days=31))
    kit.champions.pair_buddies(now=NOW)
    return kit


def test_digests_once_per_champion_and_iso_week(tmp_path: Path, store_url: str) -> None:
    kit = _digest_setup(tmp_path, store_url, "buddy_cap = 2")
    first = kit.champions.send_digests(now=NOW)
    assert {o.member_key: o.state for o in first.outcomes} == {
        "champ-en": DeliveryState.SENT,
        "champ-de": DeliveryState.SENT,
    }, "a champion without buddies gets no digest"
    later_same_week = NOW + dt.timedelta(days=4)
    again = kit.champions.send_digests(now=later_same_week)
    assert {o.state for o in again.outcomes} == {DeliveryState.ALREADY_SENT}
    messages = sent_messages(tmp_path)
    assert len(messages) == 2
    assert {m["key"] for m in messages} == {
        "champions.digest:champ-en:2026-W45",
        "champions.digest:champ-de:2026-W45",
    }
    german = next(m for m in messages if m["member"] == "champ-de")
    assert german["locale"] == "de" and "Ihre Buddies" in german["subject"]
    assert german["body"].count("### Newcomer newbie-e") == 2
    assert "Hat noch nichts beigetragen" in german["body"]
    next_week = kit.champions.send_digests(now=NOW + dt.timedelta(days=7))
    assert {o.state for o in next_week.outcomes} == {DeliveryState.SENT}
    assert len(sent_messages(tmp_path)) == 4


def test_digest_waits_for_its_weekday_and_dry_run_sends_nothing(
    tmp_path: Path, sqlite_url: str
) -> None:
    kit = _digest_setup(tmp_path, sqlite_url, 'digest_weekday = "wednesday"')
    early = kit.champions.send_digests(now=NOW)  # Monday
    assert not early.due and early.outcomes == ()
    dry = kit.champions.send_digests(now=NOW, force=True, dry_run=True)
    assert {o.state for o in dry.outcomes} == {DeliveryState.WOULD_SEND}
    assert sent_messages(tmp_path) == []
    wednesday = kit.champions.send_digests(now=NOW + dt.timedelta(days=2))
    assert wednesday.due and len(wednesday.outcomes) == 2


def test_digests_survive_a_crash_between_send_and_record(
    tmp_path: Path, store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    kit = _digest_setup(tmp_path, store_url)
    _crash_once(monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        kit.champions.send_digests(now=NOW)
    rerun = kit.champions.send_digests(now=NOW + dt.timedelta(hours=1))
    assert Counter(o.state for o in rerun.outcomes) == {
        DeliveryState.ALREADY_SENT: 1,
        DeliveryState.SENT: 1,
    }
    keys = [m["key"] for m in sent_messages(tmp_path)]
    assert len(keys) == len(set(keys)) == 2


def test_digest_shows_no_names_unless_contact_details_are_stored(org_kit: OrgKit) -> None:
    kit = org_kit.kit
    for n in kit.champions.nominate(now=org_kit.now).nominated:
        kit.champions.set_state(n.member_key, RosterState.ACTIVE, by="t", now=org_kit.now)
    kit.champions.pair_buddies(now=org_kit.now)
    result = kit.champions.send_digests(now=org_kit.now, force=True)
    assert result.ok and result.outcomes
    bodies = "\n".join(m["body"] for m in sent_messages(org_kit.tmp_path))
    names = {p.display_name for p in org_kit.org.people}
    assert not any(name in bodies for name in names)
    assert "@" not in bodies


def test_nothing_goes_out_in_quiet_hours_or_on_weekends(tmp_path: Path, sqlite_url: str) -> None:
    """The default window (18:00 to 08:00 and weekends quiet, in the organisation's zone)."""
    kit = _digest_setup(tmp_path, sqlite_url, window="")
    department(kit.engine, "Ops", 6, active_top=2)
    kit.champions.nominate(now=NOW)
    night, saturday = NOW.replace(hour=3), NOW - dt.timedelta(days=2)  # Monday 03:00, Sat 09:00
    for when, reason in ((night, "quiet_hours"), (saturday, "weekend")):
        invites, digests = kit.champions.invite(now=when), kit.champions.send_digests(now=when)
        assert (invites.deferred, digests.deferred) == (reason, reason)
        assert invites.outcomes == digests.outcomes == ()
        assert invites.as_dict()["deferred"] == reason
    assert sent_messages(tmp_path) == []
    morning = kit.champions.invite(now=NOW), kit.champions.send_digests(now=NOW)  # Monday 09:00
    assert all(r.deferred is None and r.outcomes for r in morning)
    assert {m["kind"] for m in sent_messages(tmp_path)} == {"champions.invite", "champions.digest"}


def test_an_invitee_who_does_not_answer_is_reminded_once(tmp_path: Path, sqlite_url: str) -> None:
    kit = make_kit(tmp_path, sqlite_url, "reinvite_after_days = 14")
    department(kit.engine, "Sales", 6, active_top=2)
    (member,) = (n.member_key for n in kit.champions.nominate(now=NOW).nominated)
    assert [o.state for o in kit.champions.invite(now=NOW).outcomes] == [DeliveryState.SENT]
    assert kit.champions.invite(now=NOW + dt.timedelta(days=13)).outcomes == ()  # not yet
    reminded = kit.champions.invite(now=NOW + dt.timedelta(days=14))
    assert [o.key for o in reminded.outcomes] == [f"champions.invite:{member}:2"]
    assert [(c.from_state, c.to_state) for c in reminded.changes] == [
        (RosterState.INVITED, RosterState.INVITED)
    ]
    assert kit.champions.invite(now=NOW + dt.timedelta(days=60)).outcomes == ()  # two at most
    subjects = [m["subject"] for m in sent_messages(tmp_path)]
    assert len(subjects) == 2 and subjects[1].startswith("Reminder: ")
    assert not subjects[0].startswith("Reminder")
    assert _states(kit) == {RosterState.INVITED: 1}


def test_no_reminder_for_an_answer_or_when_reminders_are_off(
    tmp_path: Path, sqlite_url: str
) -> None:
    kit = make_kit(tmp_path, sqlite_url, "reinvite_after_days = 0")
    department(kit.engine, "Sales", 6, active_top=2)
    kit.champions.nominate(now=NOW)
    kit.champions.invite(now=NOW)
    assert kit.champions.invite(now=NOW + dt.timedelta(days=30)).outcomes == ()
    (tmp_path / "other").mkdir()
    other = make_kit(tmp_path / "other", sqlite_url.replace("store", "other"))
    department(other.engine, "Ops", 6, active_top=2)
    (member,) = (n.member_key for n in other.champions.nominate(now=NOW).nominated)
    other.champions.invite(now=NOW)
    other.champions.set_state(member, RosterState.ACTIVE, now=NOW + dt.timedelta(days=1))
    assert other.champions.invite(now=NOW + dt.timedelta(days=30)).outcomes == ()
