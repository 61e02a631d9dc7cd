"""No group under k shows its figures or its size, in any format (issue 15, item 5).

The store: departments A (20 members), B (12) and C (2). C is under k = 5; B is hidden with it,
else C's size would follow from the total. Leaders: one in B, so B's and (through the leaders'
total) A's leader/staff pairs hide too. Cohorts of 1 and 2 newcomers, and champion coverage.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from e20kit import Kit
from e20kit.store import create_engine

from .fixtures import TODAY, fact, insert, member

K = 5
HIDDEN = {"B": 12, "C": 2}
SHOWN_AS = {"B": "hidden", "C": f"<{K}"}
"""C is under k; B is large enough and hidden with it (complementary), so it reads "hidden"."""


def _members() -> list[dict[str, object]]:
    rows = [member(f"a{i}", department="A", leader=i < 6) for i in range(20)]
    rows += [member(f"b{i}", department="B", leader=i == 0) for i in range(12)]
    rows += [member(f"c{i}", department="C") for i in range(2)]
    # newcomers: one joined 10 days ago (in A), two 20 days ago (in A)
    rows[7]["joined_on"] = TODAY - dt.timedelta(days=10)
    rows[8]["joined_on"] = rows[9]["joined_on"] = TODAY - dt.timedelta(days=20)
    return rows


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("small")
    url = f"sqlite:///{folder / 'store.sqlite'}"
    engine = create_engine(url)
    people = _members()
    facts = [
        fact(TODAY - dt.timedelta(days=d), str(p["member_key"]), "create" if d % 3 else "view")
        for p in people
        for d in range(1, 28, 4)
    ]
    insert(engine, people, facts)
    engine.dispose()
    config = folder / "e20kit.toml"
    config.write_text(f"[privacy]\npseudonymise = false\nmin_group_size = {K}\n", "utf-8")
    with Kit.from_config(config, env={}, store_url=url) as kit:
        metrics = kit.metrics("last-28d", today=TODAY)
        for fmt in ("json", "md", "html", "csv"):
            kit.report(fmt, folder / f"r.{fmt}", metrics=metrics, findings=[])
    return folder


def test_json_has_null_sizes_and_the_flag(reports: Path) -> None:
    doc = json.loads((reports / "r.json").read_text("utf-8"))
    departments = {d["department"]: d for d in doc["departments"]}
    assert {d for d, row in departments.items() if row["suppressed"]} == set(HIDDEN)
    assert abs(departments["A"]["members"] - 20) == 1  # perturbed, never exact
    for name in HIDDEN:
        assert {k: v for k, v in departments[name].items() if v is not None} == {
            "department": name,
            "suppressed": True,
            "complementary": name == "B",
        }
    by_department = [g for g in doc["leaders"] if g["department"] is not None]
    assert by_department and all(g["suppressed"] and g["members"] is None for g in by_department)
    cells = [c for c in doc["heatmap"] if c["department"] in HIDDEN]
    assert cells and all(c["suppressed"] and c["active"] is None for c in cells)
    # a hidden cohort has no row at all: a row per week with a joiner would say who joined when
    assert not [c for c in doc["cohorts"] if not c["pooled"]]
    assert doc["newcomers"]["suppressed"] and doc["newcomers"]["newcomers"] is None
    section = next(s for s in doc["sections"] if s["id"] == "champions")
    coverage = {r["department"]: r for r in section["tables"]["coverage"]}
    assert abs(coverage["A"]["members"] - 20) == 1
    for name in HIDDEN:
        assert coverage[name]["suppressed"] and coverage[name]["members"] is None
        assert coverage[name]["target"] is None and coverage[name]["champions"] is None


def test_csv_reads_fewer_than_k(reports: Path) -> None:
    def rows(name: str) -> list[dict[str, str]]:
        with (reports / "r.csv" / f"{name}.csv").open(encoding="utf-8") as fh:
            return list(csv.DictReader(fh))

    departments = {r["department"]: r for r in rows("departments")}
    for name in HIDDEN:
        assert departments[name]["members"] == SHOWN_AS[name]
        assert departments[name]["active"] == ""
    leaders = {(r["department"], r["group"]): r["members"] for r in rows("leaders")}
    assert leaders[("B", "leaders")] == leaders[("C", "staff")] == f"<{K}"
    assert leaders[("A", "leaders")] == leaders[("B", "staff")] == "hidden"
    assert not [r for r in rows("cohorts") if r["pooled"] == "False"], "no row per joiner week"
    coverage = {r["department"]: r for r in rows("section_champions_coverage")}
    assert {n: coverage[n]["members"] for n in HIDDEN} == SHOWN_AS


def test_markdown_and_html_read_fewer_than_k(reports: Path) -> None:
    md = (reports / "r.md").read_text("utf-8")
    for name in HIDDEN:
        assert f"| {name} | {SHOWN_AS[name]} |" in md
    html = (reports / "r.html").read_text("utf-8")
    for name in HIDDEN:
        assert f"<tr><td>{name}</td><td>{SHOWN_AS[name].replace('<', '&lt;')}</td>" in html
    assert re.search(r"\(n=[1-4]\)", html) is None
    assert f"(n&lt;{K})" in html
    assert f"<td>C</td><td>&lt;{K}</td><td></td>" in html  # champion coverage


def test_no_hidden_size_anywhere_next_to_its_label(reports: Path) -> None:
    texts = [(reports / f"r.{fmt}").read_text("utf-8") for fmt in ("json", "md", "html")]
    texts += [p.read_text("utf-8") for p in (reports / "r.csv").glob("*.csv")]
    for text in texts:
        for name, size in HIDDEN.items():
            for pattern in (rf"\b{name}\W{{1,12}}{size}\b", rf'"{name}",\s*"members":\s*{size}'):
                assert re.search(pattern, text) is None, (name, pattern)
