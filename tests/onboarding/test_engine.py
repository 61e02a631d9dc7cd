"""The onboarding run: progress, exactly-the-stuck nudges, at most once, rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from e20kit import Kit, Message
from e20kit import delivery as dl
from e20kit.store import schema

from .helpers import (
    NOW,
    Events,
    Recorder,
    add_fact,
    add_member,
    days_ago,
    ledger,
    make_kit,
    rows,
    sent,
)


def org(kit: Kit) -> None:
    """a: stuck on first_post; b: posted long ago, stuck on intro_session (German);
    p: posted but joined two days ago (not stuck yet); c: joined yesterday;
    d: joined too long ago; e: all done; g: inactive account."""
    engine = kit.engine
    add_member(engine, "a", days_ago(10))
    add_member(engine, "b", days_ago(10), locale="de-DE")
    add_fact(engine, "b", days_ago(8), "chat", "post")
    add_member(engine, "p", days_ago(2))
    add_fact(engine, "p", days_ago(1), "chat", "reply")
    add_member(engine, "c", days_ago(1))
    add_member(engine, "d", days_ago(100))
    add_member(engine, "e", days_ago(20))
    add_fact(engine, "e", days_ago(15), "chat", "reply", 3)
    add_fact(engine, "e", days_ago(12), "wiki", "create", 2)
    kit.onboarding.mark_step("e", "intro_session")
    add_member(engine, "g", days_ago(10), active=False)


@pytest.fixture
def kit(tmp_path: Path, store_url: str) -> Kit:
    events = Events()
    kit = make_kit(tmp_path, store_url, events=events)
    kit.events = events  # type: ignore[attr-defined]
    org(kit)
    return kit


def test_nudges_exactly_the_stuck_members(kit: Kit, tmp_path: Path) -> None:
    result = kit.onboarding.run(now=NOW)
    assert [(n.member_key, n.step, n.locale, n.state) for n in result.nudges] == [
        ("a", "first_post", "en", "sent"),
        ("b", "intro_session", "de", "sent"),
    ]
    messages = {m["member"]: m for m in sent(tmp_path)}
    assert sorted(messages) == ["a", "b"]
    assert messages["a"]["subject"] == "Your next step: Say hello in a channel"
    assert "https://intranet.example.org/guides/chat" in messages["a"]["body"]
    assert messages["b"]["subject"] == "Ihr nächster Schritt: Besuchen Sie die Einführung"
    assert "Sie haben 1 von 3" in " ".join(messages["b"]["body"].split())
    assert result.enrolled == {"newcomers": 5}  # a, b, p, c, e
    assert sorted((e.member_key, e.step) for e in result.completed) == [
        ("b", "first_post"),
        ("e", "first_page"),
        ("e", "first_post"),
        ("e", "intro_session"),
        ("p", "first_post"),
    ]
    assert result.ok


def test_second_run_sends_nothing(kit: Kit, tmp_path: Path) -> None:
    kit.onboarding.run(now=NOW)
    again = kit.onboarding.run(now=NOW + dt.timedelta(hours=1))
    assert again.nudges == [] and again.completed == []
    assert len(sent(tmp_path)) == 2
    assert ledger(kit.engine) == {
        "onboarding:nudge:newcomers:first_post:a:1": "sent",
        "onboarding:nudge:newcomers:intro_session:b:1": "sent",
    }


def test_step_completed_fires_once_per_member_and_step(kit: Kit) -> None:
    kit.onboarding.run(now=NOW)
    kit.onboarding.run(now=NOW + dt.timedelta(days=1))
    kit.onboarding.mark_step("e", "intro_session")  # already complete: no second event
    events = kit.events.completed  # type: ignore[attr-defined]
    keys = [(e.member_key, e.checklist, e.step) for e in events]
    assert len(keys) == len(set(keys)) == 5


def test_completing_a_step_restarts_the_clock(kit: Kit) -> None:
    kit.onboarding.run(now=NOW)
    # c joined yesterday; it posts a day later and so moves on to the intro session.
    add_fact(kit.engine, "c", days_ago(-1), "chat", "post")
    day = dt.timedelta(days=1)
    moved = kit.onboarding.run(now=NOW + day)
    assert [(e.member_key, e.step) for e in moved.completed] == [("c", "first_post")]
    # p joined 2 days before NOW and had posted before it was enrolled, so its intro_session
    # clock runs from joining: stuck from NOW+1d.
    assert [(x.member_key, x.step) for x in moved.nudges] == [("p", "intro_session")]
    # c completed first_post at NOW+1d, so its intro_session clock starts then, not at joining.
    seen = {}
    for n in (2, 3, 4):
        seen[n] = {(x.member_key, x.step) for x in kit.onboarding.run(now=NOW + n * day).nudges}
    assert seen == {2: set(), 3: set(), 4: {("c", "intro_session")}}


def test_crash_between_sending_and_recording(
    kit: Kit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as m:
        m.setattr(dl, "_mark_sent", lambda *a: (_ for _ in ()).throw(KeyboardInterrupt()))
        with pytest.raises(KeyboardInterrupt):
            kit.onboarding.run(now=NOW)
    # The first message went out, then the process died before recording it.
    assert ledger(kit.engine) == {"onboarding:nudge:newcomers:first_post:a:1": "pending"}
    assert len(sent(tmp_path)) == 1
    # A fresh process: a new kit, a new notifier instance that only knows the JSON-lines file.
    rerun = make_kit(tmp_path, kit.store_url).onboarding.run(now=NOW + dt.timedelta(minutes=5))
    assert [(n.member_key, n.state) for n in rerun.nudges] == [
        ("a", "already_sent"),
        ("b", "sent"),
    ]
    assert [m["member"] for m in sent(tmp_path)] == ["a", "b"]
    assert set(ledger(kit.engine).values()) == {"sent"}


def test_notifier_failing_after_delivery_is_not_repeated(kit: Kit) -> None:
    class Flaky(Recorder):
        def send(self, message: Message) -> None:
            super().send(message)
            raise OSError("connection reset after the post went out")

    flaky = Flaky()
    first = kit.onboarding.run(now=NOW, notifier=flaky)
    assert [n.state for n in first.nudges] == ["failed", "failed"] and not first.ok
    second = kit.onboarding.run(now=NOW + dt.timedelta(hours=1), notifier=flaky)
    assert [n.state for n in second.nudges] == ["already_sent", "already_sent"]
    assert second.ok
    assert sorted(m.recipient.member_key for m in flaky.messages) == ["a", "b"]


def test_failing_member_does_not_stop_the_others(kit: Kit) -> None:
    add_member(kit.engine, "h", days_ago(9))
    notifier = Recorder(fail_for={"a"})
    result = kit.onboarding.run(now=NOW, notifier=notifier)
    assert {(n.member_key, n.state) for n in result.nudges} == {
        ("a", "failed"),
        ("b", "sent"),
        ("h", "sent"),
    }
    assert not result.ok and result.failed[0].error
    notifier.fail_for.clear()
    retry = kit.onboarding.run(now=NOW + dt.timedelta(hours=1), notifier=notifier)
    assert [(n.member_key, n.state) for n in retry.nudges] == [("a", "sent")]
    assert sorted(m.recipient.member_key for m in notifier.messages) == ["a", "b", "h"]


def test_opt_out_is_always_honoured(kit: Kit, tmp_path: Path) -> None:
    assert kit.onboarding.opt_out("a", "onboarding")
    assert kit.onboarding.opt_out("b")  # scope "all" covers onboarding
    result = kit.onboarding.run(now=NOW)
    # "a" is enrolled and skipped; "b" opted out of all: not even enrolled (processing stops)
    assert result.nudges == [] and result.skipped == {"opted_out": 1}
    assert sent(tmp_path) == []
    assert not kit.onboarding.opt_out("a", "onboarding")  # already recorded
    kit.onboarding.opt_in("a")
    assert [n.member_key for n in kit.onboarding.run(now=NOW).nudges] == ["a"]


def test_opt_out_by_email_uses_the_pseudonym(kit: Kit) -> None:
    key = kit.pseudonymiser.member_key(email="New.Person@Example.org", platform="", person_id="")
    add_member(kit.engine, key, days_ago(9))
    kit.onboarding.opt_out("new.person@example.org", "onboarding")
    result = kit.onboarding.run(now=NOW)
    assert key not in {n.member_key for n in result.nudges}
    assert result.skipped == {"opted_out": 1}


def test_weekly_cap_counts_every_kind(kit: Kit) -> None:
    notifier = Recorder()
    # Two champion messages this week already: a's cap of 2 is reached.
    for n in range(2):
        msg = Message(
            f"champions:invite:a:{n}", dl.recipient(kit.engine, "a"), "s", "b", "champions.invite"
        )
        dl.deliver(kit.engine, "out", notifier, msg, dry_run=False, now=NOW - dt.timedelta(days=2))
    result = kit.onboarding.run(now=NOW, notifier=notifier)
    assert [n.member_key for n in result.nudges] == ["b"]
    assert result.skipped == {"weekly_cap": 1}
    # A week later the cap has room again.
    later = kit.onboarding.run(now=NOW + dt.timedelta(days=7), notifier=notifier)
    assert ("a", "sent") in {(n.member_key, n.state) for n in later.nudges}


def test_weekly_cap_across_checklists(tmp_path: Path, store_url: str) -> None:
    kit = make_kit(tmp_path, store_url, SECOND_CHECKLIST, body=CAP1)
    add_member(kit.engine, "a", days_ago(10))
    result = kit.onboarding.run(now=NOW)
    assert [(n.member_key, n.checklist) for n in result.nudges] == [("a", "newcomers")]
    assert result.skipped == {"weekly_cap": 1}


@pytest.mark.parametrize(
    ("local", "reason"),
    [
        (dt.datetime(2026, 3, 2, 7, 59), "quiet_hours"),
        (dt.datetime(2026, 3, 2, 8, 0), None),
        (dt.datetime(2026, 3, 2, 17, 59), None),
        (dt.datetime(2026, 3, 2, 18, 0), "quiet_hours"),
        (dt.datetime(2026, 3, 2, 23, 30), "quiet_hours"),
        (dt.datetime(2026, 3, 7, 11, 0), "weekend"),
        (dt.datetime(2026, 3, 8, 11, 0), "weekend"),
    ],
)
def test_quiet_hours_and_weekends_in_the_organisation_zone(
    kit: Kit, tmp_path: Path, local: dt.datetime, reason: str | None
) -> None:
    now = local.replace(tzinfo=dt.UTC) - dt.timedelta(hours=1)  # Berlin is UTC+1 in March
    result = kit.onboarding.run(now=now)
    if reason is None:
        assert [n.member_key for n in result.nudges if n.member_key == "a"] == ["a"]
    else:
        assert result.nudges == [] and reason in result.skipped
        assert sent(tmp_path) == []


def test_dry_run_sends_and_records_nothing(kit: Kit, tmp_path: Path) -> None:
    before = {t: rows(kit.engine, t) for t in (schema.ledger, schema.onboarding_progress)}
    result = kit.onboarding.run(now=NOW, dry_run=True)
    assert [(n.member_key, n.channel, n.state) for n in result.nudges] == [
        ("a", "out", "would_send"),
        ("b", "out", "would_send"),
    ]
    assert result.nudges[0].subject == "Your next step: Say hello in a channel"
    assert result.completed and not kit.events.completed  # type: ignore[attr-defined]
    assert sent(tmp_path) == []
    assert {t: rows(kit.engine, t) for t in before} == before
    # The real run afterwards does exactly what the dry run announced.
    real = kit.onboarding.run(now=NOW)
    assert [(n.member_key, n.subject) for n in real.nudges] == [
        (n.member_key, n.subject) for n in result.nudges
    ]


def test_repeat_nudges_up_to_the_maximum(tmp_path: Path, store_url: str) -> None:
    kit = make_kit(tmp_path, store_url, body=REPEAT)
    add_member(kit.engine, "a", days_ago(10))
    keys = []
    for day in range(0, 30, 1):
        now = NOW + dt.timedelta(days=day)
        if now.weekday() >= 5:
            continue
        keys += [n.key for n in kit.onboarding.run(now=now).nudges]
    assert keys == [
        "onboarding:nudge:newcomers:first_post:a:1",
        "onboarding:nudge:newcomers:first_post:a:2",
    ]


def test_due_days_hold_the_first_nudge(tmp_path: Path, store_url: str) -> None:
    kit = make_kit(tmp_path, store_url, body=CHECKLIST_DUE)
    add_member(kit.engine, "a", days_ago(10))
    assert kit.onboarding.run(now=NOW).nudges == []
    later = kit.onboarding.run(now=NOW + dt.timedelta(days=4))
    assert [n.member_key for n in later.nudges] == ["a"]


def test_audience_departments_and_platforms(tmp_path: Path, store_url: str) -> None:
    body = CHECKLIST_DUE.replace("due_days = 14", "due_days = 0").replace(
        "joined_within_days = 60",
        'joined_within_days = 60, departments = ["IT"], platforms = ["chat"]',
    )
    kit = make_kit(tmp_path, store_url, body=body)
    add_member(kit.engine, "it-chat", days_ago(10), department="IT")
    add_member(kit.engine, "it-wiki", days_ago(10), department="IT", platform="wiki")
    add_member(kit.engine, "sales", days_ago(10), department="Sales")
    result = kit.onboarding.run(now=NOW)
    assert result.enrolled == {"newcomers": 1}
    assert [n.member_key for n in result.nudges] == ["it-chat"]


from .helpers import CHECKLIST  # noqa: E402

SECOND_CHECKLIST = """
[[onboarding.checklists]]
id = "second"
audience = {{ joined_within_days = 60 }}
[[onboarding.checklists.steps]]
id = "visit"
check = "activity"
params = {{ actions = ["visit"] }}
title = "Visit the intranet"
"""
CAP1 = CHECKLIST.replace("weekly_cap = 2", "weekly_cap = 1")
REPEAT = CHECKLIST.replace("weekly_cap = 2", "weekly_cap = 5\nmax_per_step = 2\nrepeat_days = 7")
CHECKLIST_DUE = CHECKLIST.replace(
    'help_url = "https://intranet.example.org/guides/chat"',
    'help_url = "https://intranet.example.org/guides/chat"\ndue_days = 14',
)


def test_an_opt_out_of_all_stops_onboarding_processing(kit: Kit) -> None:
    """With opt_out_stops_processing (default) an opt-out of all is not enrolled or evaluated."""
    import sqlalchemy as sa

    from e20kit.store import schema

    kit.onboarding.run(now=NOW, dry_run=False)
    kit.onboarding.opt_out("b")
    with kit.engine.begin() as conn:
        conn.execute(schema.onboarding_progress.delete())
    kit.onboarding.run(now=NOW + dt.timedelta(hours=1))
    with kit.engine.connect() as conn:
        enrolled = set(
            conn.execute(sa.select(schema.onboarding_progress.c.member_key).distinct()).scalars()
        )
    assert "a" in enrolled and "b" not in enrolled
