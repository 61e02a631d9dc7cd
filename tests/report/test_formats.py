"""JSON against its schema, CSV tables, Markdown summary, plugin sections, and no personal data."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import jsonschema
import pytest
import sqlalchemy as sa

from e20kit import Kit, ReportContext, ReportSection, hookimpl
from e20kit.report import SCHEMA_VERSION, load_schema

from .conftest import Collected


def _validator() -> jsonschema.Draft202012Validator:
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_json_validates_against_the_shipped_schema(
    closed_kit: Kit, closed_org: Collected, tmp_path: Path
) -> None:
    path = closed_kit.report("json", tmp_path / "r.json", today=closed_org.today)
    assert isinstance(path, Path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    _validator().validate(doc)
    assert doc["schema_version"] == SCHEMA_VERSION
    assert doc["period"]["label"] == "last-30d"
    assert [f["reason"] for f in doc["findings"]] == ["closed_culture"]
    assert doc["organisation"] == "Example Ltd"


def test_schema_rejects_drift(closed_kit: Kit, closed_org: Collected, tmp_path: Path) -> None:
    path = closed_kit.report("json", tmp_path / "r.json", today=closed_org.today)
    doc = json.loads(Path(str(path)).read_text(encoding="utf-8"))
    validator = _validator()
    for broken in (
        {**doc, "surprise": 1},
        {k: v for k, v in doc.items() if k != "headline"},
        {**doc, "headline": {**doc["headline"], "creator_share": 1.5}},
        {**doc, "findings": [{**doc["findings"][0], "reason": "bad luck"}]},
    ):
        assert not validator.is_valid(broken)


def test_csv_writes_one_file_per_table(
    closed_kit: Kit, closed_org: Collected, tmp_path: Path
) -> None:
    paths = closed_kit.report("csv", tmp_path / "csv", today=closed_org.today)
    assert isinstance(paths, list)
    names = {p.stem for p in paths}
    assert {
        "headline",
        "daily",
        "weekly",
        "departments",
        "heatmap",
        "leaders",
        "cohorts",
        "features",
        "containers",
        "lorenz",
        "findings",
    } <= names
    with (tmp_path / "csv" / "departments.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and {"department", "members", "suppressed"} <= set(rows[0])
    with (tmp_path / "csv" / "cohorts.csv").open(encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert {"week_1", "week_4", "week_8", "week_12"} <= set(header)


def test_markdown_summary_in_german(closed_kit: Kit, closed_org: Collected, tmp_path: Path) -> None:
    path = closed_kit.report("md", tmp_path / "r.md", lang="de", today=closed_org.today)
    text = Path(str(path)).read_text(encoding="utf-8")
    assert text.startswith("# Nutzungsbericht: Example Ltd")
    assert "## Diagnose" in text and "Führungskräfte" in text and "**Was hilft:**" in text
    assert "| Aktive Mitglieder |" in text


class Helpdesk:
    """Counts tickets, not people: it vouches for its figures through the disclosure layer."""

    @hookimpl
    def e20kit_report_sections(self, context: ReportContext) -> list[ReportSection]:
        layer = context.disclosure
        assert layer is not None
        return [
            ReportSection(
                id="helpdesk",
                title="Help desk",
                markdown=layer.release_text("12 tickets closed"),
                tables={"tickets": layer.release_table([{"week": "w1", "closed": 12}])},
            )
        ]


class CountingSection:
    """Reads the store through the narrow context, and tries (in vain) to write to it."""

    seen: list[tuple[str, str, int]] = []

    @hookimpl
    def e20kit_report_sections(self, context: ReportContext) -> list[ReportSection]:
        conn = context.connection
        members = conn.execute(sa.text("SELECT count(*) FROM members")).scalar_one()
        conn.execute(sa.text("DELETE FROM members"))
        self.seen.append((context.lang, context.period.label, members))
        return [ReportSection(id="count", title="Members", markdown=f"{members} members")]


def test_a_section_reads_the_store_through_a_read_only_context(
    closed_org: Collected, tmp_path: Path
) -> None:
    kit = closed_org.kit(plugins=(CountingSection(),))
    try:
        kit.report("md", tmp_path / "r.md", today=closed_org.today, lang="de", period="last-7d")
        with kit.engine.connect() as conn:
            left = conn.execute(sa.text("SELECT count(*) FROM members")).scalar_one()
    finally:
        kit.close()
    ((lang, label, members),) = CountingSection.seen
    assert lang == "de" and label == "last-7d" and members > 0
    assert left == members  # the section's delete was rolled back


def test_plugin_sections_appear_in_every_format(closed_org: Collected, tmp_path: Path) -> None:
    kit = closed_org.kit(plugins=(Helpdesk(),))
    try:
        for fmt in ("html", "md", "json", "csv"):
            kit.report(fmt, tmp_path / f"r.{fmt}", today=closed_org.today)
    finally:
        kit.close()
    assert "12 tickets closed" in (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "## Help desk" in (tmp_path / "r.md").read_text(encoding="utf-8")
    doc = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert {
        "id": "helpdesk",
        "title": "Help desk",
        "markdown": "12 tickets closed",
        "tables": {"tickets": [{"week": "w1", "closed": 12}]},
    } in doc["sections"]
    assert (tmp_path / "r.csv" / "section_helpdesk_tickets.csv").exists()


def test_unknown_format_is_refused(closed_kit: Kit, tmp_path: Path) -> None:
    from e20kit import ConfigError

    with pytest.raises(ConfigError, match="unknown report format"):
        closed_kit.report("pdf", tmp_path / "r.pdf")


def test_no_member_key_or_name_in_any_output(
    closed_kit: Kit, closed_org: Collected, tmp_path: Path
) -> None:
    for fmt in ("html", "md", "json", "csv"):
        closed_kit.report(fmt, tmp_path / f"r.{fmt}", today=closed_org.today)
    outputs = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(outputs) > 10
    text = "\n".join(p.read_text(encoding="utf-8") for p in outputs).lower()
    with closed_kit.engine.connect() as conn:
        import sqlalchemy as sa

        from e20kit.store import schema

        keys = [k for (k,) in conn.execute(sa.select(schema.members.c.member_key))]
    people = closed_org.org.people  # type: ignore[attr-defined]
    assert keys and all("@" in k for k in keys)  # pseudonymisation off: keys are addresses
    needles = set(keys)
    for person in people:
        needles |= {person.email, person.display_name, person.person_id, person.last_name}
    leaked = sorted(n for n in needles if len(n) > 3 and n.lower() in text)
    assert leaked == []


def test_empty_store_reports_without_figures(tmp_path: Path) -> None:
    kit = Kit.from_config(None, env={}, store_url=f"sqlite:///{tmp_path / 'empty.sqlite'}")
    try:
        # no data is a finding, not health (docs/playbook.md)
        assert [f.rule for f in kit.diagnose()] == ["data_gap.no_facts"]
        for fmt in ("html", "md", "csv"):
            kit.report(fmt, tmp_path / f"r.{fmt}")
        path = kit.report("json", tmp_path / "r.json", period="last-3d")
    finally:
        kit.close()
    doc = json.loads(Path(str(path)).read_text(encoding="utf-8"))
    _validator().validate(doc)
    assert doc["headline"]["active_members"] == 0 and doc["headline"]["gini"] is None
    assert len(doc["activity"]["daily"]) == 3 and len(doc["activity"]["weekly"]) == 1


def test_german_number_format_and_trend_colours(
    closed_kit: Kit, closed_org: Collected, tmp_path: Path
) -> None:
    md = closed_kit.report("md", tmp_path / "r.md", lang="de", today=closed_org.today)
    text = Path(str(md)).read_text(encoding="utf-8")
    gini_row = next(line for line in text.splitlines() if line.startswith("| Gini-Koeffizient"))
    assert "0," in gini_row and "0." not in gini_row
    from e20kit.report.html import _direction

    assert _direction("gini", 0.05) == "down"  # inequality rising is bad news
    assert _direction("top10_share", -0.05) == "up"
    assert _direction("active_members", 12) == "up"
    assert _direction("creator_share", -0.01) == "down"
    assert _direction("dau", 0.0) == "flat"


def test_small_groups_are_marked_in_every_format(
    closed_kit: Kit, closed_org: Collected, tmp_path: Path
) -> None:
    for fmt in ("json", "html", "csv"):
        closed_kit.report(fmt, tmp_path / f"r.{fmt}", today=closed_org.today)
    doc = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    k = doc["min_group_size"]
    small = [g for g in doc["leaders"] if g["suppressed"]]
    assert small, "the fixture should have departments with fewer than k leaders"
    assert all(g["active"] is None and g["participation_rate"] is None for g in small)
    assert all(g["members"] is None for g in small)  # not even the size shows
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert html.count('class="suppressed"') == len(small) + sum(
        1 for d in doc["departments"] if d["suppressed"]
    )
    with (tmp_path / "r.csv" / "leaders.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert sum(r["suppressed"] == "True" for r in rows) == len(small)
    assert all(r["active"] == "" for r in rows if r["suppressed"] == "True")
    assert all(r["members"] in (f"<{k}", "hidden") for r in rows if r["suppressed"] == "True")
