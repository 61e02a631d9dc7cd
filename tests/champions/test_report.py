"""The champions report section: coverage suppressed for small groups, states, gaps, load."""

from __future__ import annotations

import json
from pathlib import Path

from e20kit import ReportContext
from e20kit.champions.roster import RosterState

from .conftest import OrgKit
from .helpers import NOW, TODAY, add_member, department, make_kit


def test_section_figures_and_suppression(tmp_path: Path, store_url: str) -> None:
    kit = make_kit(tmp_path, store_url, "members_per_champion = 10\nmin_department_size = 2")
    big = department(kit.engine, "Big", 6, active_top=2)
    small = department(kit.engine, "Small", 3, active_top=1)
    department(kit.engine, "Gap", 5)
    department(kit.engine, "Tiny", 2)  # hidden with Small: together at least k
    kit.champions.set_state(big[0], RosterState.ACTIVE, by="hr", now=NOW)
    kit.champions.set_state(small[0], RosterState.ACTIVE, by="hr", now=NOW)
    kit.champions.nominate(now=NOW)  # nobody in Gap is active: no candidate there
    add_member(kit.engine, "newbie", "Big", joined_on=TODAY.replace(day=1).replace(month=10))
    kit.champions.pair_buddies(now=NOW)
    section = kit.champions.report("en")
    coverage = {row["department"]: row for row in section.tables["coverage"]}
    big_row = coverage["Big"]
    # published through the disclosure layer: sizes and counts one off, never exact
    assert abs(big_row["members"] - 7) == 1
    assert big_row["champions"] in (1, 2) and big_row["target"] == 1
    assert big_row["coverage"] == 1.0 and big_row["suppressed"] is False
    assert coverage["Small"]["suppressed"] is True
    assert coverage["Small"]["members"] is None and coverage["Small"]["champions"] is None
    assert coverage["Small"]["target"] is None, "a target would give a small size away"
    assert section.tables["departments_without_champion"] == [{"department": "Gap"}]
    states = {r["state"]: r["members"] for r in section.tables["roster_by_state"]}
    assert {s: n for s, n in states.items() if s != "active"} == dict.fromkeys(
        ("candidate", "invited", "alumni", "declined"), 0
    )
    assert states["active"] in (1, 3)
    loads = {r["buddies"]: r["champions"] for r in section.tables["buddy_load"]}
    assert set(loads) == {0, 1} and all(n in (1, 2) for n in loads.values())
    assert "1 of 2 departments" in section.markdown and "Gap" in section.markdown  # Small hidden
    text = section.markdown + json.dumps(section.tables)
    assert not any(key in text for key in [*big, *small, "newbie"]), "no member keys"
    assert "Buddy load:" in section.markdown and "with no buddy" in section.markdown
    assert section.captions["buddy_load"] == "Active champions by number of buddies"
    assert section.labels["target"] == "Champions needed"
    german = kit.champions.report("de")
    assert "Abteilungen ohne Champion: Gap" in german.markdown
    assert "mit keinem Buddy" in german.markdown
    assert german.labels["department"] == "Abteilung"


def test_targets_follow_the_published_sizes(tmp_path: Path, store_url: str) -> None:
    """With one champion per member, a target of the true size would be the true size."""
    kit = make_kit(tmp_path, store_url, "members_per_champion = 1\nmin_department_size = 2")
    department(kit.engine, "Big", 6)
    (row,) = kit.champions.report("en").tables["coverage"]
    assert row["target"] == row["members"] != 6


def test_section_comes_through_the_report_hook(tmp_path: Path, sqlite_url: str) -> None:
    kit = make_kit(tmp_path, sqlite_url, "members_per_champion = 2")
    department(kit.engine, "Big", 6, active_top=2)
    metrics = kit.metrics(today=TODAY)
    with kit.engine.connect() as conn:
        context = ReportContext(conn, metrics.period, kit.config.settings, "en")
        found = kit.plugins.report_sections(metrics, context)
    sections = [s for s in found if s.id == "champions"]
    assert len(sections) == 1
    (row,) = sections[0].tables["coverage"]
    assert row["target"] == 3


def test_section_lands_in_the_written_report(org_kit: OrgKit) -> None:
    kit = org_kit.kit
    for n in kit.champions.nominate(now=org_kit.now).nominated:
        kit.champions.set_state(n.member_key, RosterState.ACTIVE, by="t", now=org_kit.now)
    out = org_kit.tmp_path / "report.json"
    kit.report("json", out, today=org_kit.now.date())
    text = out.read_text(encoding="utf-8")
    assert '"champions"' in text and "departments_without_champion" in text
    assert not any(key in text for key in org_kit.power_keys)


def test_section_tables_print_human_headers_and_no_flag_columns(org_kit: OrgKit) -> None:
    kit = org_kit.kit
    for n in kit.champions.nominate(now=org_kit.now).nominated:
        kit.champions.set_state(n.member_key, RosterState.ACTIVE, by="t", now=org_kit.now)
    html = org_kit.tmp_path / "report.html"
    md = org_kit.tmp_path / "report.md"
    kit.report("html", html, today=org_kit.now.date())
    kit.report("md", md, today=org_kit.now.date())
    for text in (html.read_text("utf-8"), md.read_text("utf-8")):
        assert "Champion coverage by department" in text
        assert "Champions needed" in text and "Active champions" in text
        assert "complementary" not in text and "False" not in text
    assert "<th>suppressed</th>" not in html.read_text("utf-8")
    assert "| Department | Members | Champions needed |" in md.read_text("utf-8")
    # coverage is a share: printed as a percentage, kept as a share in JSON
    lines = md.read_text("utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if "| Champions needed |" in line)
    rows = [line for line in lines[header + 2 :] if line.startswith("|")]
    rows = rows[: next((i for i, r in enumerate(rows) if r.count("|") != 6), len(rows))]
    coverage = [row.strip(" |").rsplit("|", 1)[-1].strip() for row in rows]
    assert coverage and all(cell.endswith("%") for cell in coverage if cell), rows
    assert "<td>1.0</td>" not in html.read_text("utf-8")
