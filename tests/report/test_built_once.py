"""A report is built once however many outputs it has: ``report --publish`` writes the file and
publishes from the same sections (every ``e20kit_report_sections`` hook runs once, the survey's
published results are read once), and the page shows exactly the file's figures.

On d8f3cd0 the sections were built again for the publishers, and ``Kit.report`` read the survey
results once while diagnosing and again for "stated beside observed"."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from e20kit import (
    Kit,
    PluginContext,
    Published,
    Publisher,
    PublishRequest,
    ReportContext,
    ReportSection,
    hookimpl,
)
from e20kit.cli import main
from e20kit.plugins import Plugins
from e20kit.report.markdown import render_markdown
from e20kit.sandbox import build_org, survey_answers, write_csv_folder
from e20kit.sandbox.suite import store_org
from e20kit.survey.service import SurveyService

ORG = build_org(7, preset="closed_culture")
SECRET = "report-once-secret-0123456789"
PERIOD = ("--period", "last-120d", "--today", ORG.end.isoformat())


class Counted:
    """A plugin whose section states a figure through the disclosure layer, counting the
    calls of its hook, and a page publisher keeping each request."""

    def __init__(self) -> None:
        self.sections = 0
        self.requests: list[PublishRequest] = []

    @hookimpl
    def e20kit_report_sections(self, context: ReportContext) -> list[ReportSection]:
        self.sections += 1
        layer = context.disclosure
        assert layer is not None
        members = context.connection.execute(sa.text("SELECT count(*) FROM members")).scalar()
        text = layer.text("counted/members", "{members} people on record", members=members)
        return [ReportSection(id="counted", title="Counted", markdown=text)]

    @hookimpl
    def e20kit_publishers(self) -> list[Publisher]:
        return [Publisher(name="page", connector_type=None, publish=self._publish)]

    def _publish(self, context: PluginContext, request: PublishRequest) -> Published:
        self.requests.append(request)
        return Published("created", f"page:{request.target}")


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counted]:
    """``Counted`` in every kit the CLI opens, the way the publishing tests register theirs."""
    plugin = Counted()
    original = Plugins.__init__

    def with_counted(self: Plugins, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self.extra = (*self.extra, plugin)

    monkeypatch.setattr(Plugins, "__init__", with_counted)
    yield plugin


@pytest.fixture
def survey_reads(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The waves whose published results were read (``SurveyService.results``)."""
    reads: list[str | None] = []
    original = SurveyService.results

    def counting(self: SurveyService, wave_id: str | None = None) -> Any:
        reads.append(wave_id)
        return original(self, wave_id)

    monkeypatch.setattr(SurveyService, "results", counting)
    return reads


def _surveyed(tmp_path: Path, store_url: str) -> Kit:
    """The closed-culture organisation with a survey wave answered inside the period."""
    write_csv_folder(ORG, tmp_path / "export")  # what run_cycle collects: the same org
    config = tmp_path / "e20kit.toml"
    config.write_text(
        f'[connectors.hr]\ntype = "csv"\npath = "{tmp_path / "export"}"\n', encoding="utf-8"
    )
    kit = Kit.from_config(config, env={"E20KIT_PSEUDONYM_SECRET": SECRET}, store_url=store_url)
    store_org(kit.engine, ORG)
    kit.survey.open_wave("w1", source="csv", opened=ORG.end - dt.timedelta(days=10))
    kit.survey.store("w1", survey_answers(ORG))
    return kit


def _without_stamp(markdown: str) -> str:
    """The Markdown report without its last line, the generator and the time it was built."""
    return re.sub(r"\n_e20kit [^\n]*_\n", "\n", markdown)


def test_report_publish_builds_the_sections_and_reads_the_survey_once(
    counted: Counted, survey_reads: list[str | None], tmp_path: Path, store_url: str
) -> None:
    _surveyed(tmp_path, store_url).close()
    out = tmp_path / "r.md"
    args = ["-c", str(tmp_path / "e20kit.toml"), "--db", store_url, "report", "--format", "md"]
    result = CliRunner(env={"E20KIT_PSEUDONYM_SECRET": SECRET}).invoke(
        main, [*args, "--out", str(out), *PERIOD, "--publish", "page:Team/Report"]
    )
    assert result.exit_code == 0, result.output
    assert counted.sections == 1  # 2 on d8f3cd0: the file's sections, then the publishers'
    assert survey_reads == ["w1"]  # 3 on d8f3cd0: diagnosis, file's section, publishers' section
    (request,) = counted.requests
    written = out.read_text(encoding="utf-8")
    assert request.document == written
    assert "people on record" in written and "Stated beside observed" in written
    assert request.report is not None
    # the report data the publisher got renders to the very file written: the same figures
    assert _without_stamp(render_markdown(dict(request.report))) == _without_stamp(written)


def test_kit_report_reads_the_survey_once_for_the_diagnosis_and_the_section(
    survey_reads: list[str | None], tmp_path: Path, store_url: str
) -> None:
    kit = _surveyed(tmp_path, store_url)
    out = kit.report("md", tmp_path / "r.md", period="last-120d", today=ORG.end)
    text = Path(str(out)).read_text(encoding="utf-8")
    assert "Stated beside observed" in text and "The survey agrees:" in text
    assert survey_reads == ["w1"]  # 2 on d8f3cd0: while diagnosing, then for the section
    kit.close()


def test_one_prepared_report_serves_every_format(
    counted: Counted, survey_reads: list[str | None], tmp_path: Path, store_url: str
) -> None:
    kit = _surveyed(tmp_path, store_url)
    built = kit.prepare_report("last-120d", lang="de", today=ORG.end)
    for fmt in ("md", "json", "html"):
        kit.report(
            fmt,
            tmp_path / f"r.{fmt}",
            lang="de",
            metrics=built.metrics,
            findings=built.findings,
            sections=built.sections,
        )
    assert (counted.sections, survey_reads) == (1, ["w1"])
    assert "Gesagt und beobachtet" in (tmp_path / "r.md").read_text(encoding="utf-8")
    kit.close()


def test_run_builds_the_report_once_for_every_format(
    counted: Counted, survey_reads: list[str | None], tmp_path: Path, store_url: str
) -> None:
    kit = _surveyed(tmp_path, store_url)
    now = dt.datetime.combine(ORG.end, dt.time(9), tzinfo=dt.UTC)
    cycle = kit.run_cycle(report_dir=tmp_path / "reports", formats=("md", "json"), now=now)
    assert sorted(p.name for p in cycle.reports) == ["report.json", "report.md"]
    assert (counted.sections, survey_reads) == (1, ["w1"])  # (2, 3) on d8f3cd0: per format
    kit.close()
