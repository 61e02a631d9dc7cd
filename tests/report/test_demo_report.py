"""The demo's report, read as a manager would: it opens with what to do, each finding ends with
next steps tied to its own figures, headline changes are like for like or say "new data", and
the German report has no English word that is not a product name or a data value."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from e20kit import Kit
from e20kit.demo import run_demo
from e20kit.sandbox import DEFAULT_END
from e20kit.sandbox_setup import SANDBOX_SECRET, SANDBOX_SECRET_ENV

TODAY = DEFAULT_END - dt.timedelta(days=1)
"""The demo's first run's day: its reports cover the 30 days up to it."""

SAME_IN_BOTH = {
    # product and platform names, and the programme's own terms (used in German texts too)
    "Confluence",
    "confluence",
    "Mattermost",
    "mattermost",
    "SharePoint",
    "sharepoint",
    "Microsoft",
    "Viva",
    "Engage",
    "vivaengage",
    "Copilot",
    "copilot",
    "Outlook",
    "outlook",
    # the context platforms' ids (context:outlook, context:m365apps): data values
    "context",
    "apps",
    "Mail",
    "Apps",
    "Champion",
    "Champions",
    "Buddy",
    "Buddies",
    "Lorenz",
    "Gini",
    "Wiki",
    "Blog",
    "Chat",
    # words spelt the same in German
    "normal",
    "orange",
    "Status",
}
"""Words allowed in both the English and the German report."""


class VisibleText(HTMLParser):
    """The text a reader sees: no CSS, no SVG metadata, with the charts' labels."""

    HIDDEN = {"style", "script", "metadata", "title"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._hidden += tag in self.HIDDEN

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in self.HIDDEN

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        parser = VisibleText()
        parser.feed(text)
        text = " ".join(parser.parts)
    text = re.sub(r"`[^`]*`", " ", text)  # commands are commands in every language
    return re.sub(r"e20kit \d+\.\d+\.\d+\S*", " ", text)  # the generator's version


def words(text: str) -> set[str]:
    return {w for w in re.findall(r"[A-Za-zÄÖÜäöüß][A-Za-zÄÖÜäöüß'-]+", text) if len(w) > 2}


@dataclass
class Reports:
    folder: Path
    doc: dict[str, object]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reports]:
    out = tmp_path_factory.mktemp("demo")
    run_demo(out)
    folder = out / "lang"
    with Kit.from_config(out / "e20kit.toml", env={SANDBOX_SECRET_ENV: SANDBOX_SECRET}) as kit:
        metrics = kit.metrics(today=TODAY)
        for lang in ("en", "de"):
            findings = kit.diagnose(lang=lang, metrics=metrics)
            for fmt in ("md", "html", "json"):
                target = folder / f"{lang}.{fmt}"
                kit.report(fmt, target, lang=lang, metrics=metrics, findings=findings)
    yield Reports(folder, json.loads((folder / "en.json").read_text(encoding="utf-8")))


def data_words(doc: dict[str, object]) -> set[str]:
    """Words of the data itself: department and organisation names, the names of remedies
    the operator logged (a rollout is called what it was called) and the survey wave's id
    (called what whoever opened it called it), are not labels."""
    from e20kit.demo import SURVEY_WAVE

    names = [str(d["department"]) for d in doc["departments"]]  # type: ignore[attr-defined]
    names.append(SURVEY_WAVE)
    for section in doc.get("sections", []):  # type: ignore[attr-defined]
        if section["id"] == "effects":
            names += [str(r["what"]) for r in section["tables"]["effects"]]
    return words(" ".join([*names, str(doc["organisation"])]))


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_german_report_has_no_english_word(reports: Reports, fmt: str) -> None:
    german = visible(reports.folder / f"de.{fmt}")
    english = visible(reports.folder / f"en.{fmt}")
    leaked = (words(german) & words(english)) - SAME_IN_BOTH - data_words(reports.doc)
    assert not leaked, f"English in the German {fmt} report: {sorted(leaked)}"
    assert "Vorzeitraum" not in german  # one term: Vorperiode
    assert "letzte 30 Tage" in german and "30 T" in german
    assert "(unbekannt)" in german or "(unknown)" not in english
    # a decimal point (German thousands separators group three digits: 1.423)
    numbers = re.findall(r"\d\.\d{1,2}(?!\d)", german)
    assert not numbers, f"decimal points in the German {fmt} report: {numbers[:5]}"


def test_the_german_charts_use_decimal_commas_and_german_feature_names(reports: Reports) -> None:
    german = visible(reports.folder / "de.html")
    assert "Diskussion" in german and "Dateien" in german
    assert "discussion" not in german and "files" not in german


def test_the_report_opens_with_what_to_do_this_month(reports: Reports) -> None:
    text = (reports.folder / "en.md").read_text(encoding="utf-8")
    assert text.index("## What to do this month") < text.index("## Headline figures")
    plan = text.split("## What to do this month", 1)[1].split("\n## ", 1)[0]
    assert "1. **Closed culture: leaders are not role models**: Ask the leaders in" in plan
    german = (reports.folder / "de.md").read_text(encoding="utf-8")
    assert german.index("## Was diesen Monat zu tun ist") < german.index("## Kennzahlen")


def test_next_steps_name_the_groups_the_evidence_points_at(reports: Reports) -> None:
    """The remedies were generic while the table beside them showed Operations leaders at 0 %."""
    doc = reports.doc
    (finding,) = [f for f in doc["findings"] if f["reason"] == "closed_culture"]  # type: ignore[attr-defined]
    leaders = [
        g
        for g in doc["leaders"]  # type: ignore[attr-defined]
        if g["group"] == "leaders" and g["department"] and not g["suppressed"]
    ]
    quietest = min(leaders, key=lambda g: (g["participation_rate"], g["department"]))
    first = finding["next_steps"][0]
    assert quietest["department"] in first
    assert f"{quietest['participation_rate']:.0%}" in first
    assert any("champions" in step for step in finding["next_steps"])
    html = (reports.folder / "en.html").read_text(encoding="utf-8")
    assert 'class="next-steps"' in html and quietest["department"] in html


def test_headline_changes_are_not_read_as_growth_when_a_platform_arrived(
    reports: Reports,
) -> None:
    """The cards read "243 active members, +178" and "+60 pp" because SharePoint's data started
    inside the comparison period."""
    doc = reports.doc
    assert doc["as_of"]["short_history"]  # type: ignore[index]
    text = (reports.folder / "en.md").read_text(encoding="utf-8")
    table = text.split("## Headline figures", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) > 5
    assert all(row.endswith("| - | new data |") for row in rows[1:]), rows
    html = (reports.folder / "en.html").read_text(encoding="utf-8")
    cards = html.split('<section id="headline">', 1)[1].split("</section>", 1)[0]
    assert "+178" not in cards and "pp" not in cards and "new data" in cards


def test_diagnose_in_german_names_the_severity_in_german(
    reports: Reports, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from e20kit.cli import main

    monkeypatch.setenv(SANDBOX_SECRET_ENV, SANDBOX_SECRET)
    config = reports.folder.parent / "e20kit.toml"
    args = ["-c", str(config), "diagnose", "--lang", "de", "--today", str(TODAY)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "[Warnung] Geschlossene Kultur" in result.stdout
    assert "[warning]" not in result.stdout and "[watch]" not in result.stdout


def test_the_platform_views_include_viva_engage_and_copilot_and_mail_stays_context(
    reports: Reports,
) -> None:
    """Issue 26: the demo collects Viva Engage, Outlook, the apps and Copilot from the fake."""
    doc = reports.doc
    platforms = {p["platform"] for p in doc["platforms"]}  # type: ignore[attr-defined]
    assert {"vivaengage", "copilot", "sharepoint"} <= platforms
    assert not [p for p in platforms if p.startswith("context:")]
    (section,) = [s for s in doc["sections"] if s["id"] == "context"]  # type: ignore[attr-defined]
    rows = {r["platform"]: r for r in section["tables"]["context"]}
    assert set(rows) == {"context:outlook", "context:m365apps"}
    assert 0 < rows["context:outlook"]["writers_only_there"] < rows["context:outlook"]["writers"]


def test_the_demo_shows_stated_beside_observed(reports: Reports) -> None:
    """Issue 23: the demo's organisation answers its pulse survey in line with its closed
    culture; the diagnosis rests on both halves of the evidence and the report shows them."""
    doc = reports.doc
    (closed,) = [f for f in doc["findings"] if f["reason"] == "closed_culture"]  # type: ignore[attr-defined]
    assert closed["rests_on"] == ["usage", "survey"]
    (section,) = [s for s in doc["sections"] if s["id"] == "stated_observed"]  # type: ignore[attr-defined]
    rows = {r["reason"]: r for r in section["tables"]["reasons"]}
    assert (rows["closed_culture"]["observed"], rows["closed_culture"]["reading"]) == (
        "named",
        "both",
    )
    german = (reports.folder / "de.md").read_text(encoding="utf-8")
    assert "## Gesagt und beobachtet" in german
