"""The run lock follows the store's real identity; a lost ledger race is a clean LockError."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest

from e20kit import LockError, delivery
from e20kit.delivery import DeliveryState, deliver
from e20kit.lock import run_lock
from e20kit.notifier import Message, Recipient
from e20kit.store import create_engine

NOW = dt.datetime(2026, 10, 20, 9, tzinfo=dt.UTC)


def test_no_other_name_of_the_file_bypasses_the_lock(tmp_path: Path) -> None:
    real = create_engine(f"sqlite:///{tmp_path / 'data' / 'real.sqlite'}", create_folder=True)
    names = _spellings_after(tmp_path)
    with run_lock(real, "collect"):
        for url in names:
            other = create_engine(url)
            with (
                pytest.raises(LockError, match="another e20kit run holds the lock"),
                run_lock(other, "collect"),
            ):
                pass
            other.dispose()
    with run_lock(create_engine(names[0]), "collect"):  # released: the next run gets it
        pass


def _spellings_after(tmp_path: Path) -> list[str]:
    real = tmp_path / "data" / "real.sqlite"
    (tmp_path / "other.sqlite").symlink_to(real)
    return [
        f"sqlite:///{tmp_path / 'other.sqlite'}",  # a symlink with another name
        f"sqlite:///{tmp_path / 'data' / '..' / 'data' / 'real.sqlite'}",  # another spelling
        f"sqlite:///{os.path.relpath(real)}",  # a relative path
    ]


class _Notifier:
    def __init__(self) -> None:
        self.sent = 0

    def was_sent(self, message: Message) -> bool | None:
        return False

    def send(self, message: Message) -> None:
        self.sent += 1


@pytest.mark.parametrize("first_state", [None, "failed"])
def test_a_lost_ledger_race_is_a_lock_error_not_a_traceback(
    store_url: str, monkeypatch: pytest.MonkeyPatch, first_state: str | None
) -> None:
    engine = create_engine(store_url)
    message = Message(
        key="k1", recipient=Recipient(member_key="m1"), subject="Hi", body="b", kind="test"
    )
    notifier = _Notifier()
    if first_state == "failed":
        failing = _Notifier()
        failing.send = lambda m: (_ for _ in ()).throw(RuntimeError("down"))  # type: ignore[method-assign]
        assert deliver(engine, "fake", failing, message, dry_run=False, now=NOW).state is (
            DeliveryState.FAILED
        )
    original = delivery._begin_attempt
    raced: list[bool] = []

    def other_run_claims_first(*args: Any) -> int:
        if not raced:  # the other run takes the message between this run's read and its claim
            raced.append(True)
            other = deliver(engine, "fake", notifier, message, dry_run=False, now=NOW)
            assert other.state is DeliveryState.SENT
        return original(*args)

    monkeypatch.setattr(delivery, "_begin_attempt", other_run_claims_first)
    with pytest.raises(LockError, match="another run is sending message k1") as err:
        deliver(engine, "fake", notifier, message, dry_run=False, now=NOW)
    assert err.value.exit_code == 75
    assert notifier.sent == 1
    engine.dispose()
