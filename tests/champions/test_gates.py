"""Issue 21 part B: individual views and champion scoring are decisions (off by default,
audited when on); an opt-out of ``all`` ends buddy pairs, digests and further processing; the
invitation says how candidates were picked."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from e20kit import Kit
from e20kit.champions.roster import RosterState
from e20kit.cli import main
from e20kit.delivery import opt_out
from e20kit.errors import ConfigError
from e20kit.sandbox import build_org, write_csv_folder
from e20kit.store.schema import champion_buddies, facts

from .helpers import NOW, SECRET, TODAY, add_member, department, make_kit, sent_messages

OFF = "E20KIT_PRIVACY__ALLOW_INDIVIDUAL_VIEWS"


def _cli(config: Path, store: str, *args: str, **env: str) -> tuple[int, str, str]:
    runner = CliRunner(env={"E20KIT_PSEUDONYM_SECRET": SECRET, **env})
    result = runner.invoke(main, ["-c", str(config), "--db", store, *args])
    return result.exit_code, result.stdout, result.stderr


def test_individual_views_are_off_unless_the_agreement_allows_them(
    tmp_path: Path, sqlite_url: str
) -> None:
    kit = make_kit(tmp_path, sqlite_url)
    department(kit.engine, "Sales", 8, active_top=3)
    kit.close()
    config = tmp_path / "e20kit.toml"
    for command in (("champions", "score"), ("champions", "explain", "sales-00")):
        code, _, err = _cli(config, sqlite_url, *command, **{OFF: "false"})
        assert code == 2 and "privacy.allow_individual_views = true" in err, err
    code, out, err = _cli(
        config,
        sqlite_url,
        "--json",
        "champions",
        "explain",
        "sales-00",
        "--requester",
        "HR",
        "--reason",
        "ticket 12",
    )
    assert code == 0, err
    assert json.loads(out)["member"] == "sales-00"
    code, _, err = _cli(config, sqlite_url, "champions", "score", "--limit", "0")
    assert code == 0, err
    with Kit.from_config(
        config, env={"E20KIT_PSEUDONYM_SECRET": SECRET}, store_url=sqlite_url
    ) as k:
        views = [e for e in k.privacy.audit() if e.action == "individual_view"]
        assert [v.target for v in views] == ["champions explain", "champions score"]
        explain = views[0]
        assert (explain.requester, explain.reason) == ("HR", "ticket 12")
        assert explain.subject == k.privacy.audit_subject("sales-00") != "sales-00"
        assert views[1].detail == {"members": 8}  # everyone in the ranking


def test_scoring_is_opt_in_and_run_skips_nominations_without_it(
    tmp_path: Path, sqlite_url: str
) -> None:
    kit = make_kit(tmp_path, sqlite_url)
    department(kit.engine, "Sales", 8, active_top=3)
    kit.close()
    config = tmp_path / "e20kit.toml"
    env = {"E20KIT_PSEUDONYM_SECRET": SECRET, "E20KIT_PRIVACY__CHAMPION_SCORING": "false"}
    with Kit.from_config(config, env=env, store_url=sqlite_url) as off:
        with pytest.raises(ConfigError, match=r"privacy\.champion_scoring"):
            off.champions.nominate(now=NOW)
        with pytest.raises(ConfigError, match=r"privacy\.champion_scoring"):
            off.champions.scores(now=NOW)
        assert off.champions.roster() == []


def test_the_roster_file_is_audited(tmp_path: Path, sqlite_url: str) -> None:
    kit = make_kit(tmp_path, sqlite_url)
    add_member(kit.engine, "c1", "Sales")
    kit.champions.set_state("c1", RosterState.ACTIVE, by="hr", now=NOW)
    kit.close()
    out = tmp_path / "roster.csv"
    code, _, err = _cli(
        tmp_path / "e20kit.toml", sqlite_url, "champions", "list", "--csv", str(out)
    )
    assert code == 0, err
    with make_kit(tmp_path, sqlite_url) as again:
        (row,) = [e for e in again.privacy.audit() if e.action == "roster_csv"]
    assert row.target == str(out.resolve()) and row.detail == {"rows": 1, "names": False}


def _paired(tmp_path: Path, store_url: str) -> Kit:
    kit = make_kit(tmp_path, store_url, "buddy_cap = 2")
    add_member(kit.engine, "champ", "Sales", joined_on=TODAY - dt.timedelta(days=900))
    kit.champions.set_state("champ", RosterState.ACTIVE, by="hr", now=NOW)
    for key in ("newbie-a", "newbie-b"):
        add_member(kit.engine, key, "Sales", joined_on=TODAY - dt.timedelta(days=30))
    kit.champions.pair_buddies(now=NOW)
    return kit


def _open(kit: Kit) -> set[str]:
    with kit.engine.connect() as conn:
        query = sa.select(champion_buddies.c.newcomer_key).where(
            champion_buddies.c.ended_at.is_(None)
        )
        return set(conn.execute(query).scalars())


def test_an_opt_out_ends_the_pair_and_the_digest_says_nothing_of_them(
    tmp_path: Path, store_url: str
) -> None:
    """On 8bc5a9f the pair stayed open and the digest reported on the newcomer."""
    kit = _paired(tmp_path, store_url)
    assert _open(kit) == {"newbie-a", "newbie-b"}
    opt_out(kit.engine, "newbie-a", "all")
    # before pairing runs again, the digest already leaves them out
    kit.champions.send_digests(now=NOW)
    (digest,) = sent_messages(tmp_path)
    assert "newbie-b" in digest["body"] and "newbie-a" not in digest["body"]
    result = kit.champions.pair_buddies(now=NOW + dt.timedelta(days=1))
    assert "newbie-a" in result.ended and _open(kit) == {"newbie-b"}
    again = kit.champions.pair_buddies(now=NOW + dt.timedelta(days=2))
    assert "newbie-a" not in {p.newcomer_key for p in again.new}
    kit.close()


def test_an_opt_out_of_all_stops_collecting_the_persons_facts(
    tmp_path: Path, sqlite_url: str
) -> None:
    org = build_org(seed=4, members=20, departments=2, days=20)
    write_csv_folder(org, tmp_path / "export")
    hr = f'\n[connectors.hr]\ntype = "csv"\npath = "{tmp_path / "export"}"\n'
    person = next(p for p in org.people if p.email)
    kit = make_kit(tmp_path, sqlite_url, extra=hr)
    key = kit.pseudonymiser.member_key(email=person.email, platform="", person_id="")

    def facts_of(k: Kit) -> int:
        with k.engine.connect() as conn:
            query = sa.select(sa.func.count()).select_from(facts).where(facts.c.member_key == key)
            return int(conn.execute(query).scalar() or 0)

    opt_out(kit.engine, key, "all")
    assert kit.collect(today=org.end).ok
    assert facts_of(kit) == 0
    kit.close()
    # the setting decides: off, the opt-out stops messages only (a fresh store)
    env = {"E20KIT_PSEUDONYM_SECRET": SECRET, "E20KIT_PRIVACY__OPT_OUT_STOPS_PROCESSING": "false"}
    other = f"sqlite:///{tmp_path / 'other.sqlite'}"
    with Kit.from_config(tmp_path / "e20kit.toml", env=env, store_url=other) as kit:
        opt_out(kit.engine, key, "all")
        assert kit.collect(today=org.end).ok
        assert facts_of(kit) > 0


@pytest.mark.parametrize("locale", ["en", "de"])
def test_the_invitation_says_candidates_were_picked_by_activity(
    tmp_path: Path, sqlite_url: str, locale: str
) -> None:
    kit = make_kit(tmp_path, sqlite_url, "members_per_champion = 5")
    keys = department(kit.engine, "Sales", 8, active_top=3)
    with kit.engine.begin() as conn:
        conn.execute(sa.text("UPDATE members SET locale = :l"), {"l": locale})
    kit.champions.nominate(now=NOW)
    kit.champions.invite(now=NOW)
    bodies = " ".join(m["body"] for m in sent_messages(tmp_path))
    assert bodies and keys
    assert "already see you" not in bodies and "erleben Sie" not in bodies
    assert ("activity score" if locale == "en" else "Aktivitätswert") in bodies
    kit.close()
