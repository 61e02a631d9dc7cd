"""The champions section of every report: coverage, roster by state, gaps and buddy load.

No member keys leave this module: departments are labels, and every per-department figure of a
department smaller than the minimum group size is suppressed and marked.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import sqlalchemy as sa

from ..analytics.model import Metrics
from ..disclosure import Disclosure
from ..extensions import ReportContext, ReportSection, SectionPublisher
from ..store.schema import champion_roster, members
from .nominate import target_for
from .roster import RosterState, read_roster
from .settings import ChampionsSettings

_TEXT: dict[str, dict[str, Any]] = {
    "en": {
        "title": "Champions",
        "summary": "{active} active champions, {invited} invited, {candidates} candidates. "
        "{covered} of {departments} departments that need a champion have one.",
        "gaps": "Departments without a champion: {names}.",
        "no_gaps": "Every department that needs a champion has one.",
        "load": "Buddy load: {load}.",
        "load_part": "{champions} with {buddies}",
        "champion": ("one active champion", "{n} active champions"),
        "buddy": ("no buddy", "one buddy", "{n} buddies"),
        "suppressed": "Departments with fewer than {n} members are shown without figures.",
        "captions": {
            "coverage": "Champion coverage by department (share of the champions needed)",
            "roster_by_state": "Champion roster by state",
            "departments_without_champion": "Departments that need a champion and have none",
            "buddy_load": "Active champions by number of buddies",
        },
        "labels": {
            "coverage": "Coverage",
            "department": "Department",
            "members": "Members",
            "target": "Champions needed",
            "champions": "Active champions",
            "state": "State",
            "buddies": "Buddies",
        },
    },
    "de": {
        "title": "Champions",
        "summary": "{active} aktive Champions, {invited} eingeladen, {candidates} vorgeschlagen. "
        "{covered} von {departments} Abteilungen, die einen Champion brauchen, haben einen.",
        "gaps": "Abteilungen ohne Champion: {names}.",
        "no_gaps": "Jede Abteilung, die einen Champion braucht, hat einen.",
        "load": "Betreuung: {load}.",
        "load_part": "{champions} mit {buddies}",
        "champion": ("ein aktiver Champion", "{n} aktive Champions"),
        "buddy": ("keinem Buddy", "einem Buddy", "{n} Buddies"),
        "suppressed": "Abteilungen mit weniger als {n} Mitgliedern erscheinen ohne Zahlen.",
        "captions": {
            "coverage": "Abdeckung mit Champions je Abteilung (Anteil der benötigten Champions)",
            "roster_by_state": "Champion-Liste nach Status",
            "departments_without_champion": "Abteilungen, die einen Champion brauchen und keinen "
            "haben",
            "buddy_load": "Aktive Champions nach Zahl ihrer Buddies",
        },
        "labels": {
            "coverage": "Abdeckung",
            "department": "Abteilung",
            "members": "Mitglieder",
            "target": "Benötigte Champions",
            "champions": "Aktive Champions",
            "state": "Status",
            "buddies": "Buddies",
        },
        "states": {
            "candidate": "vorgeschlagen",
            "invited": "eingeladen",
            "active": "aktiv",
            "alumni": "ehemalig",
            "declined": "abgelehnt",
        },
    },
}


def _coverage_rows(conn: sa.Connection, settings: ChampionsSettings) -> list[dict[str, Any]]:
    department = sa.func.coalesce(members.c.department, champion_roster.c.department)
    sizes = (
        sa.select(members.c.department, sa.func.count())
        .where(members.c.active.is_(True), members.c.department.is_not(None))
        .group_by(members.c.department)
    )
    champions = (
        sa.select(department, sa.func.count())
        .select_from(
            champion_roster.outerjoin(members, members.c.member_key == champion_roster.c.member_key)
        )
        .where(champion_roster.c.state == RosterState.ACTIVE.value)
        .group_by(department)
    )
    size_of = {str(d): int(n) for d, n in conn.execute(sizes)}
    active = {str(d): int(n) for d, n in conn.execute(champions) if d is not None}
    rows = []
    for name in sorted(size_of):
        target = target_for(size_of[name], settings)
        have = active.get(name, 0)
        rows.append(
            {
                "department": name,
                "members": size_of[name],
                "target": target,
                "champions": have,
                "coverage": round(min(1.0, have / target), 3) if target else None,
            }
        )
    return rows


def _load_sentence(loads: dict[int, int | None], text: dict[str, Any]) -> str:
    """``{0: 1, 1: 10}`` as words: "10 active champions with one buddy, one ... with no buddy";
    loads held by fewer than k champions (``None``) are left out."""
    parts = []
    shown = {b: n for b, n in loads.items() if n is not None}
    for buddies, champions in sorted(shown.items(), key=lambda item: (-item[1], item[0])):
        one, many = text["champion"]
        who = one if champions == 1 else many.format(n=champions)
        none, single, several = text["buddy"]
        what = none if buddies == 0 else single if buddies == 1 else several.format(n=buddies)
        parts.append(text["load_part"].format(champions=who, buddies=what))
    return ", ".join(parts)


def champion_section(
    conn: sa.Connection,
    settings: ChampionsSettings,
    *,
    layer: SectionPublisher,
    hidden: Collection[str] = (),
    lang: str = "en",
) -> ReportSection:
    """Build the section from the roster and the members table, every figure through
    ``layer``: departments the report hides (``hidden``) or under k have no figures, and the
    list of departments without a champion names only departments shown with figures."""
    text = _TEXT.get(lang, _TEXT["en"])
    coverage = layer.table(
        "departments",  # the departments table's cells: one published size per department
        _coverage_rows(conn, settings),
        size="members",
        keep=["department"],
        counts=["champions"],
        hidden=hidden,
    )
    for row in coverage:  # target and coverage from the published figures: a target of the
        if not row["suppressed"]:  # true size would tell that size at the target's steps
            row["target"] = target = target_for(row["members"], settings)
            row["coverage"] = (
                round(min(1.0, (row["champions"] or 0) / target), 3) if target else None
            )
    layer.release_table(coverage)
    shown = [r for r in coverage if not r["suppressed"]]
    needing = [r for r in shown if r["target"]]
    gaps = [r["department"] for r in needing if r["champions"] == 0]
    roster = read_roster(conn)
    by_state = {s.value: 0 for s in RosterState}
    for entry in roster:
        by_state[entry.state.value] += 1
    raw_loads: dict[int, int] = {}
    for entry in roster:
        if entry.state is RosterState.ACTIVE:
            raw_loads[entry.buddies] = raw_loads.get(entry.buddies, 0) + 1
    loads = {b: layer.subcount(f"champions/load/{b}", n) for b, n in raw_loads.items()}
    published = {s: layer.subcount(f"champions/state/{s}", n) for s, n in by_state.items()}
    lines = [
        text["summary"].format(
            active=layer.show(published["active"]),
            invited=layer.show(published["invited"]),
            candidates=layer.show(published["candidate"]),
            covered=len(needing) - len(gaps),
            departments=len(needing),
        ),
        "",
        text["gaps"].format(names=", ".join(gaps)) if gaps else text["no_gaps"],
    ]
    if any(n is not None for n in loads.values()):
        lines += ["", text["load"].format(load=_load_sentence(loads, text))]
    lines += ["", text["suppressed"].format(n=layer.k)]
    return ReportSection(
        id="champions",
        title=text["title"],
        markdown=layer.release_text("\n".join(lines)),
        tables={
            "coverage": coverage,
            "roster_by_state": layer.release_table(
                {"state": s, "members": n} for s, n in published.items()
            ),
            "departments_without_champion": [{"department": d} for d in gaps],
            "buddy_load": layer.release_table(
                {"buddies": b, "champions": n} for b, n in sorted(loads.items()) if n is not None
            ),
        },
        captions=text["captions"],
        labels=text["labels"],
        percent=frozenset({"coverage"}),
        values={"state": text["states"]} if "states" in text else {},
    )


def sections_for(context: ReportContext, metrics: Metrics | None = None) -> list[ReportSection]:
    """The hook's body; no section while the store has no roster table yet. Departments the
    report hides (``metrics``) are hidden in the section as well."""
    conn = context.connection
    if not sa.inspect(conn).has_table(champion_roster.name):
        return []
    settings = context.settings
    layer: SectionPublisher = context.disclosure or Disclosure.unkeyed(
        settings.privacy.min_group_size
    )
    hidden = {d.department for d in metrics.departments if d.suppressed} if metrics else set()
    return [
        champion_section(conn, settings.champions, layer=layer, hidden=hidden, lang=context.lang)
    ]


__all__ = ["champion_section", "sections_for"]
