"""CLI: invite, pair and digest print what happened and exit 5 when delivery fails."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from click.testing import CliRunner

from e20kit.champions.roster import RosterState
from e20kit.cli import main

from .helpers import NOW, SECRET, add_member, department, make_kit, sent_messages


def _cli(tmp_path: Path, url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        main,
        ["-c", str(tmp_path / "e20kit.toml"), "--db", url, *args],
        env={"E20KIT_PSEUDONYM_SECRET": SECRET},
    )
    return result.exit_code, result.output


def test_invite_pair_digest_through_the_cli(tmp_path: Path, sqlite_url: str) -> None:
    kit = make_kit(tmp_path, sqlite_url)
    department(kit.engine, "Sales", 6, active_top=2)
    kit.champions.nominate(now=NOW)
    code, out = _cli(tmp_path, sqlite_url, "champions", "invite", "--dry-run")
    assert code == 0 and "would_send" in out and sent_messages(tmp_path) == []
    code, out = _cli(tmp_path, sqlite_url, "--json", "champions", "invite")
    data = json.loads(out)
    assert code == 0 and [m["state"] for m in data["messages"]] == ["sent"]
    assert data["changes"][0]["to"] == "invited"
    kit.champions.set_state("sales-00", RosterState.ACTIVE, now=NOW)
    joined = dt.date.today() - dt.timedelta(days=20)
    add_member(kit.engine, "newbie", "Sales", joined_on=joined)
    code, out = _cli(tmp_path, sqlite_url, "champions", "pair")
    assert code == 0 and "paired newbie with sales-00 (department)" in out
    code, out = _cli(tmp_path, sqlite_url, "champions", "digest", "--force")
    assert code == 0 and "sent" in out
    code, out = _cli(tmp_path, sqlite_url, "champions", "digest", "--force")
    assert code == 0 and "already_sent" in out
    kinds = [m["kind"] for m in sent_messages(tmp_path)]
    assert kinds == ["champions.invite", "champions.digest"]


def test_failed_delivery_exits_5(tmp_path: Path, sqlite_url: str) -> None:
    folder = tmp_path / "not-a-file"
    folder.mkdir()
    extra = f'[notifiers.bad]\ntype = "log"\npath = "{folder}"\n'
    kit = make_kit(tmp_path, sqlite_url, 'notifier = "bad"', extra=extra)
    department(kit.engine, "Sales", 6, active_top=2)
    kit.champions.nominate(now=NOW)
    code, out = _cli(tmp_path, sqlite_url, "champions", "invite")
    assert code == 5 and "failed" in out
    assert kit.champions.roster()[0].state is RosterState.CANDIDATE
