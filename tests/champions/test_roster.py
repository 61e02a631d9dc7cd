"""Roster states, history with dates and actors, member lookup by e-mail, CLI and CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from e20kit.champions.roster import ChampionError, RosterState, load_history
from e20kit.cli import main

from .helpers import NOW, SECRET, department, make_kit, write_config


def test_lifecycle_records_dates_and_actors(tmp_path: Path, store_url: str) -> None:
    kit = make_kit(tmp_path, store_url)
    department(kit.engine, "Sales", 6, active_top=2)
    kit.champions.nominate(now=NOW, by="cron")
    later = NOW + dt.timedelta(days=3)
    kit.champions.set_state("sales-00", RosterState.ACTIVE, by="anna", now=later)
    kit.champions.set_state("sales-00", "alumni", by="ben", now=later + dt.timedelta(days=90))
    history = load_history(kit.engine, "sales-00")
    assert [(h.from_state, h.to_state, h.changed_by) for h in history] == [
        (None, RosterState.CANDIDATE, "cron"),
        (RosterState.CANDIDATE, RosterState.ACTIVE, "anna"),
        (RosterState.ACTIVE, RosterState.ALUMNI, "ben"),
    ]
    assert history[1].changed_at == later
    (entry,) = kit.champions.roster()
    assert (entry.state, entry.updated_by, entry.nominated_at) == (RosterState.ALUMNI, "ben", NOW)


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (None, RosterState.DECLINED),
        (None, RosterState.ALUMNI),
        (RosterState.CANDIDATE, RosterState.ALUMNI),
        (RosterState.DECLINED, RosterState.INVITED),
    ],
)
def test_impossible_transitions_are_refused(
    tmp_path: Path, sqlite_url: str, start: RosterState | None, target: RosterState
) -> None:
    kit = make_kit(tmp_path, sqlite_url)
    department(kit.engine, "Sales", 6, active_top=2)
    if start is not None:
        kit.champions.nominate(now=NOW)
        if start is RosterState.DECLINED:
            kit.champions.set_state("sales-00", start, now=NOW)
    with pytest.raises(ChampionError, match="cannot move to"):
        kit.champions.set_state("sales-00", target, now=NOW)


def test_member_by_email_is_pseudonymised(tmp_path: Path, sqlite_url: str) -> None:
    kit = make_kit(tmp_path, sqlite_url)
    key = kit.pseudonymiser.member_key(email="Ada@Example.org", platform="", person_id="")
    department(kit.engine, "Sales", 1, prefix="x")
    from .helpers import add_member

    add_member(kit.engine, key, "Sales")
    change = kit.champions.set_state(" ada@example.org ", RosterState.ACTIVE, by="hr", now=NOW)
    assert change.member_key == key and change.from_state is None
    assert kit.champions.resolve_member(key) == key


def _cli(tmp_path: Path, url: str, *args: str) -> tuple[int, str]:
    config = tmp_path / "e20kit.toml"
    result = CliRunner().invoke(
        main,
        ["-c", str(config), "--db", url, *args],
        env={"E20KIT_PSEUDONYM_SECRET": SECRET, "USER": "opsuser", "LOGNAME": "opsuser"},
    )
    return result.exit_code, result.output


def test_cli_roster_commands_and_csv(tmp_path: Path, sqlite_url: str) -> None:
    kit = make_kit(tmp_path, sqlite_url)
    department(kit.engine, "Sales", 6, active_top=3)
    write_config(tmp_path, "members_per_champion = 3")
    code, out = _cli(tmp_path, sqlite_url, "champions", "nominate", "--dry-run")
    assert code == 0 and "would nominate sales-00" in out and "sales-01" in out
    code, out = _cli(tmp_path, sqlite_url, "champions", "nominate", "--json")
    assert code == 0 and len(json.loads(out)["nominated"]) == 2
    code, out = _cli(tmp_path, sqlite_url, "champions", "accept", "sales-00", "--by", "lead")
    assert code == 0 and "candidate -> active" in out
    code, out = _cli(tmp_path, sqlite_url, "champions", "decline", "sales-01")
    assert code == 0
    code, out = _cli(tmp_path, sqlite_url, "champions", "retire", "sales-01")
    assert code == 2 and "cannot move to alumni" in out
    export = tmp_path / "roster.csv"
    code, out = _cli(tmp_path, sqlite_url, "champions", "list", "--csv", str(export))
    assert code == 0
    with export.open(encoding="utf-8") as fh:
        rows = {r["member"]: r for r in csv.DictReader(fh)}
    assert rows["sales-00"]["state"] == "active" and rows["sales-00"]["updated_by"] == "lead"
    assert rows["sales-01"]["state"] == "declined" and rows["sales-01"]["updated_by"] == "opsuser"
    code, out = _cli(tmp_path, sqlite_url, "--json", "champions", "list", "--state", "active")
    assert [r["member"] for r in json.loads(out)] == ["sales-00"]


def test_cli_score_and_explain(tmp_path: Path, sqlite_url: str) -> None:
    kit = make_kit(tmp_path, sqlite_url)
    department(kit.engine, "Sales", 6, active_top=3)
    code, out = _cli(tmp_path, sqlite_url, "champions", "score", "--json", "--limit", "2")
    ranked = json.loads(out)
    assert code == 0 and [r["member"] for r in ranked] == ["sales-00", "sales-01"]
    code, out = _cli(tmp_path, sqlite_url, "champions", "explain", "sales-01", "--json")
    data = json.loads(out)
    assert sum(p["part"] for p in data["parts"]) == pytest.approx(data["score"])
    code, out = _cli(tmp_path, sqlite_url, "champions", "explain", "sales-01")
    assert code == 0
    for name in ("contributions", "helping", "breadth", "consistency", "recency", "score"):
        assert name in out
    code, out = _cli(tmp_path, sqlite_url, "champions", "explain", "nobody")
    assert code == 2 and "no member matches" in out
