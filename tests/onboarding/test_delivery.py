"""The shared at-most-once ledger: pending before send, sent after, recovery on rerun."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa

from e20kit import Message, NotifierError, Recipient
from e20kit import delivery as dl
from e20kit.delivery import DeliveryState, deliver
from e20kit.store import create_engine, schema

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


class FakeNotifier:
    """Records sends; ``answer`` is what was_sent says; ``fail`` makes send raise."""

    def __init__(
        self, answer: bool | None = None, *, fail: bool = False, deliver_then_fail: bool = False
    ) -> None:
        self.sent: list[str] = []
        self.answer = answer
        self.fail = fail
        self.deliver_then_fail = deliver_then_fail
        self.asked: list[str] = []

    def send(self, message: Message) -> None:
        if self.fail:
            raise NotifierError("channel down")
        self.sent.append(message.key)
        if self.deliver_then_fail:
            raise NotifierError("timeout reading the answer")

    def was_sent(self, message: Message) -> bool | None:
        self.asked.append(message.key)
        if self.answer is None:
            return None
        return self.answer or message.key in self.sent


def msg(key: str = "k1", member: str = "m1") -> Message:
    return Message(
        key=key, recipient=Recipient(member_key=member), subject="Hi", body="b", kind="test"
    )


def ledger(engine: sa.Engine) -> dict[str, tuple[str, int]]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(schema.ledger.c.key, schema.ledger.c.state, schema.ledger.c.attempts)
        )
        return {k: (s, a) for k, s, a in rows}


@pytest.fixture
def engine(store_url: str) -> sa.Engine:
    return create_engine(store_url)


def test_sends_once_and_records(engine: sa.Engine) -> None:
    n = FakeNotifier(answer=False)
    first = deliver(engine, "fake", n, msg(), dry_run=False, now=NOW)
    second = deliver(engine, "fake", n, msg(), dry_run=False, now=NOW)
    assert first.state is DeliveryState.SENT and first.delivered
    assert second.state is DeliveryState.ALREADY_SENT
    assert n.sent == ["k1"]
    assert ledger(engine) == {"k1": ("sent", 1)}


def test_dry_run_writes_and_sends_nothing(engine: sa.Engine) -> None:
    n = FakeNotifier()
    out = deliver(engine, "fake", n, msg(), dry_run=True, now=NOW)
    assert out.state is DeliveryState.WOULD_SEND
    assert n.sent == [] and ledger(engine) == {}


def test_crash_between_send_and_record_is_recovered(
    engine: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    n = FakeNotifier(answer=False)

    def crash(*_: object) -> None:
        raise KeyboardInterrupt("killed after sending")

    with monkeypatch.context() as m:
        m.setattr(dl, "_mark_sent", crash)
        with pytest.raises(KeyboardInterrupt):
            deliver(engine, "fake", n, msg(), dry_run=False, now=NOW)
    assert ledger(engine) == {"k1": ("pending", 1)}
    again = deliver(engine, "fake", n, msg(), dry_run=False, now=NOW)
    assert again.state is DeliveryState.ALREADY_SENT and again.recovered
    assert n.sent == ["k1"]
    assert ledger(engine) == {"k1": ("sent", 1)}


def test_pending_not_sent_is_resent(engine: sa.Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    class Lost(FakeNotifier):
        def send(self, message: Message) -> None:
            raise SystemExit("killed before the channel saw it")

    with pytest.raises(SystemExit):
        deliver(engine, "fake", Lost(answer=False), msg(), dry_run=False, now=NOW)
    n = FakeNotifier(answer=False)
    out = deliver(engine, "fake", n, msg(), dry_run=False, now=NOW)
    assert out.state is DeliveryState.SENT and n.sent == ["k1"]
    assert ledger(engine) == {"k1": ("sent", 2)}


def test_pending_channel_cannot_tell_is_not_resent(
    engine: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    n = FakeNotifier(answer=None)
    with monkeypatch.context() as m:
        m.setattr(dl, "_mark_sent", lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
        with pytest.raises(KeyboardInterrupt):
            deliver(engine, "fake", n, msg(), dry_run=False, now=NOW)
    out = deliver(engine, "fake", n, msg(), dry_run=False, now=NOW)
    assert out.state is DeliveryState.UNKNOWN and out.error
    assert n.sent == ["k1"]
    assert ledger(engine) == {"k1": ("unknown", 1)}
    assert deliver(engine, "fake", n, msg(), dry_run=False, now=NOW).state is DeliveryState.UNKNOWN
    assert n.sent == ["k1"]


def test_failure_is_retryable_and_does_not_raise(engine: sa.Engine) -> None:
    bad = FakeNotifier(answer=False, fail=True)
    out = deliver(engine, "fake", bad, msg(), dry_run=False, now=NOW)
    assert out.state is DeliveryState.FAILED and "channel down" in (out.error or "")
    assert ledger(engine) == {"k1": ("failed", 1)}
    good = FakeNotifier(answer=False)
    out = deliver(engine, "fake", good, msg(), dry_run=False, now=NOW)
    assert out.state is DeliveryState.SENT and out.attempts == 2
    assert ledger(engine) == {"k1": ("sent", 2)}


def test_failure_after_delivering_is_not_resent(engine: sa.Engine) -> None:
    n = FakeNotifier(answer=False, deliver_then_fail=True)
    assert deliver(engine, "fake", n, msg(), dry_run=False, now=NOW).state is DeliveryState.FAILED
    n.deliver_then_fail = False
    out = deliver(engine, "fake", n, msg(), dry_run=False, now=NOW)
    assert out.state is DeliveryState.ALREADY_SENT and n.sent == ["k1"]


def test_log_notifier_answers_was_sent_across_instances(
    engine: sa.Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from e20kit.config import load_config
    from e20kit.instances import make_notifier
    from e20kit.plugins import Plugins

    cfg = tmp_path / "c.toml"
    cfg.write_text(f'[notifiers.out]\ntype = "log"\npath = "{tmp_path / "m.jsonl"}"\n')
    config = load_config(cfg, env={})
    first = make_notifier(config, Plugins(), "out")
    with monkeypatch.context() as m:
        m.setattr(dl, "_mark_sent", lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
        with pytest.raises(KeyboardInterrupt):
            deliver(engine, "out", first, msg(), dry_run=False, now=NOW)
    second = make_notifier(config, Plugins(), "out")
    assert deliver(engine, "out", second, msg(), dry_run=False, now=NOW).recovered
    assert len((tmp_path / "m.jsonl").read_text().splitlines()) == 1


def test_deliveries_since_counts_every_kind(engine: sa.Engine) -> None:
    n = FakeNotifier(answer=False)
    deliver(engine, "fake", n, msg("a", "m1"), dry_run=False, now=NOW - dt.timedelta(days=8))
    deliver(engine, "fake", n, msg("b", "m1"), dry_run=False, now=NOW)
    deliver(engine, "fake", n, msg("c", "m2"), dry_run=False, now=NOW)
    counts = dl.deliveries_since(engine, ["m1", "m2", "m3"], NOW - dt.timedelta(days=7))
    assert counts == {"m1": 1, "m2": 1}


def test_opt_out_scopes(engine: sa.Engine) -> None:
    assert dl.opt_out(engine, "m1", "onboarding", now=NOW)
    assert not dl.opt_out(engine, "m1", "onboarding", now=NOW)
    dl.opt_out(engine, "m2", now=NOW)
    assert dl.opted_out(engine, "onboarding") == {"m1", "m2"}
    assert dl.opted_out(engine, "champions") == {"m2"}
    assert dl.is_opted_out(engine, "m2", "champions")
    assert dl.opt_in(engine, "m2") == 1
    assert not dl.is_opted_out(engine, "m2", "champions")
    with pytest.raises(ValueError):
        dl.opt_out(engine, "m1", "everything")  # type: ignore[arg-type]


def test_recipients_from_identities(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            schema.members.insert(),
            [
                {"member_key": "m1", "locale": "de-DE", "updated_at": NOW},
                {"member_key": "m2", "locale": None, "updated_at": NOW},
            ],
        )
        conn.execute(
            schema.identities.insert(),
            [
                {
                    "source": "chat",
                    "person_id": "u1",
                    "platform": "mattermost",
                    "member_key": "m1",
                    "email": "a@example.org",
                    "attributes": {},
                    "updated_at": NOW,
                },
                {
                    "source": "wiki",
                    "person_id": "w1",
                    "platform": "confluence",
                    "email": None,
                    "member_key": "m1",
                    "attributes": {},
                    "updated_at": NOW,
                },
            ],
        )
    got = dl.recipients(engine, ["m1", "m2", "m3"], default_locale="en")
    assert got["m1"].platform_ids == {
        "chat": "u1",
        "mattermost": "u1",
        "wiki": "w1",
        "confluence": "w1",
    }
    assert got["m1"].email == "a@example.org" and got["m1"].locale == "de"
    assert got["m2"].locale == "en" and got["m2"].platform_ids == {}
    assert dl.recipient(engine, "m3", default_locale="de").locale == "de"


def test_funnel_from_progress_rows(engine: sa.Engine) -> None:
    from e20kit.onboarding.funnel import StepFunnel, funnel

    def row(
        member: str, step: str, pos: int, done: bool, stalled: bool = False
    ) -> dict[str, object]:
        return {
            "member_key": member,
            "checklist": "new",
            "step": step,
            "position": pos,
            "enrolled_at": NOW,
            "completed_at": NOW if done else None,
            "stalled_since": NOW if stalled else None,
            "in_audience": True,
            "updated_at": NOW,
        }

    with engine.begin() as conn:
        conn.execute(
            schema.onboarding_progress.insert(),
            [
                row("a", "profile", 1, True),
                row("a", "channel", 2, False, stalled=True),
                row("b", "profile", 1, False, stalled=True),
                row("b", "channel", 2, True),
                row("c", "profile", 1, True),
                row("c", "channel", 2, True),
            ],
        )
    assert funnel(engine) == [
        StepFunnel("new", "profile", 1, eligible=3, completed=2, stalled=1),
        StepFunnel("new", "channel", 2, eligible=3, completed=2, stalled=1),
    ]
