"""The report card in a Teams channel through the fake Workflows webhook: once per period,
linking the page published before it, faults as one typed error, the URL never shown."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from e20kit_sharepoint.fake import GraphFake
from e20kit_sharepoint.fake.pages import SITE_HOST, SITE_PATH
from e20kit_sharepoint.fake.workflows import card_problem
from e20kit_sharepoint.publish_teams import MAX_MESSAGE_BYTES, fitting
from sharepoint_helpers import SECRET_ENV

from e20kit import (
    ConfigError,
    DeliveryUnconfirmed,
    Kit,
    PublishError,
    ReportSummary,
    SummaryFigure,
    SummaryFinding,
)
from e20kit.sandbox import Response
from e20kit.testing import build_kit, store_rows

HOOK_ENV = "E20KIT_TEST_TEAMS_WEBHOOK"
PAGE = f"sharepoint:{SITE_HOST}:{SITE_PATH}/Adoption report"


@pytest.fixture
def kit(tmp_path: Path, fake: GraphFake, store_url: str) -> Iterator[Kit]:
    """The ledger and the audit trail on SQLite, and on PostgreSQL when the suite has one."""
    with build_kit(
        tmp_path,
        store_url=store_url,
        connectors={"m365": fake.table(SECRET_ENV)},
        env={SECRET_ENV: str(fake.tenant.app.client_secret), HOOK_ENV: fake.webhook_url},
    ) as kit:
        yield kit


def _post(kit: Kit, today: dt.date, *targets: str, **options: Any) -> list[Any]:
    metrics = kit.metrics(today=today)
    done = kit.publish_all(
        list(targets) or [f"teams:{HOOK_ENV}"], "# R\n", metrics=metrics, **options
    )
    return [p for _, p in done]


def _card(fake: GraphFake, index: int = -1) -> dict[str, Any]:
    attachment = fake.workflows.posts[index]["attachments"][0]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    return dict(attachment["content"])


def _facts(card: dict[str, Any]) -> dict[str, str]:
    return {
        f["title"]: f["value"] for b in card["body"] if b["type"] == "FactSet" for f in b["facts"]
    }


def test_the_card_goes_out_once_per_period_with_the_reports_own_figures(
    kit: Kit, fake: GraphFake, today: dt.date, tmp_path: Path
) -> None:
    dry = _post(kit, today, dry_run=True)[0]
    assert dry.action == "would post" and not fake.workflows.posts
    assert card_problem(json.loads(dry.preview)) is None  # the preview is the envelope sent
    (first,) = _post(kit, today)
    assert first.action == "posted" and len(fake.workflows.posts) == 1
    card = _card(fake)
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.4" and "actions" not in card
    # the same words and numbers as the Markdown report of the same period
    kit.report("md", tmp_path / "r.md", today=today)
    markdown = (tmp_path / "r.md").read_text("utf-8")
    facts = _facts(card)
    assert len(facts) == 5
    for label, value in facts.items():
        assert f"| {label} | {value.split(' (')[0]} |" in markdown
    # a rerun of the same period posts nothing; the ledger says it went out
    (again,) = _post(kit, today)
    assert again.action == "already posted" and len(fake.workflows.posts) == 1
    assert _post(kit, today, dry_run=True)[0].action == "already posted"
    rows = [r for r in store_rows(kit, "ledger") if r["kind"] == "report.publish"]
    assert [r["state"] for r in rows] == ["sent"]
    # the next day's report is another period: it goes out
    assert _post(kit, today + dt.timedelta(days=1))[0].action == "posted"
    assert len(fake.workflows.posts) == 2
    published = [e.target for e in kit.privacy.audit() if e.action == "report_published"]
    assert published and all(fake.workflows.signature not in t for t in published)


def test_the_card_links_the_page_published_before_it(
    kit: Kit, fake: GraphFake, today: dt.date
) -> None:
    page, card = _post(kit, today, PAGE, f"teams:{HOOK_ENV}")
    assert page.action == "created" and card.action == "posted"
    (action,) = _card(fake)["actions"]
    assert action["type"] == "Action.OpenUrl" and action["url"] == page.url
    assert page.url.endswith("/SitePages/Adoption-report.aspx")


def test_the_card_speaks_the_reports_language(kit: Kit, fake: GraphFake, today: dt.date) -> None:
    _post(kit, today, PAGE, f"teams:{HOOK_ENV}", lang="de")
    card = _card(fake)
    assert card["actions"][0]["title"] == "Vollständigen Bericht öffnen"
    texts = [b.get("text", "") for b in card["body"]]
    assert texts[0].startswith("Nutzungsbericht") and "Diagnose" in texts
    assert "Aktive Mitglieder" in _facts(card)


def test_a_throttled_post_waits_and_goes_out_once(
    kit: Kit, fake: GraphFake, today: dt.date
) -> None:
    fake.workflows.fail_next(
        Response.json({"error": {"code": "TooManyRequests"}}, 429, {"Retry-After": "0.05"})
    )
    assert _post(kit, today)[0].action == "posted"
    assert fake.workflows.requests == 2 and len(fake.workflows.posts) == 1


def test_a_server_error_is_one_typed_error_and_the_next_run_posts(
    kit: Kit, fake: GraphFake, today: dt.date, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fake.workflows.fail_next(Response.json({"error": {"code": "InternalServerError"}}, 502))
    with pytest.raises(PublishError) as caught:
        _post(kit, today)
    text = str(caught.value)
    assert "publish teams" in text and "/workflows/" in text and "502" in text
    # the webhook URL is a credential: never in an error or a log line
    ours = "\n".join(r.getMessage() for r in caplog.records if "sandbox" not in r.name)
    for secret in (fake.workflows.signature, fake.webhook_url):
        assert secret not in text and secret not in ours
    assert not fake.workflows.posts
    assert _post(kit, today)[0].action == "posted"  # failed, so the next run tries again
    assert len(fake.workflows.posts) == 1


def test_a_card_too_large_for_teams_is_refused_by_name(
    kit: Kit, fake: GraphFake, today: dt.date
) -> None:
    fake.workflows.fail_next(
        Response.json({"error": {"code": "MessageTooLarge", "message": "over 28 KB"}}, 413)
    )
    with pytest.raises(PublishError, match=r"publish teams .*too large.*\(HTTP 413\)"):
        _post(kit, today)


def test_an_answer_that_is_not_the_triggers_is_unconfirmed_and_never_reposted(
    kit: Kit, fake: GraphFake, today: dt.date
) -> None:
    login = Response(200, b"<html>Sign in</html>", {"Content-Type": "text/html"})
    fake.workflows.fail_next(login)
    with pytest.raises(DeliveryUnconfirmed, match="publish teams"):
        _post(kit, today)
    (again,) = _post(kit, today)  # may have arrived: a rerun does not post it twice
    assert again.action == "unconfirmed" and fake.workflows.requests == 1


def test_the_target_names_a_variable_never_the_url(
    kit: Kit, fake: GraphFake, today: dt.date
) -> None:
    with pytest.raises(ConfigError) as pasted:
        _post(kit, today, f"teams:{fake.webhook_url}")
    assert fake.workflows.signature not in str(pasted.value)
    assert "NAME of the environment variable" in str(pasted.value)
    with pytest.raises(ConfigError, match="E20KIT_NOT_SET is not set"):
        _post(kit, today, "teams:E20KIT_NOT_SET")
    assert fake.workflows.requests == 0


def test_a_long_summary_is_shortened_under_the_limit() -> None:
    finding = SummaryFinding("A finding " + "x" * 9000, "warning", "Do this " + "y" * 9000)
    summary = ReportSummary(
        title="Adoption report",
        period="Last 30 days",
        figures=(SummaryFigure("Active members", "120", "+4"),),
        findings=(finding, finding, finding),
        findings_heading="Diagnosis",
        no_findings="",
        more_findings="",
        open_report="Open",
    )
    body = fitting(summary, "https://contoso.sharepoint.com/SitePages/R.aspx")
    assert len(body) <= MAX_MESSAGE_BYTES and card_problem(json.loads(body)) is None
    assert "y" * 100 not in body.decode()  # the remedies went first
    huge = ReportSummary(**{**vars(summary), "title": "t" * MAX_MESSAGE_BYTES})
    with pytest.raises(ConfigError, match="nothing was posted"):
        fitting(huge, "")


def test_text_from_the_directory_cannot_become_a_link_in_the_card() -> None:
    """A department named like Markdown or HTML stays text (Adaptive Card TextBlocks render
    Markdown links)."""
    finding = SummaryFinding("Low use in [Sales](https://evil.example)", "warning", "<b>Ask</b>")
    summary = ReportSummary(
        title="Adoption report",
        period="Last 30 days",
        figures=(),
        findings=(finding,),
        findings_heading="Diagnosis",
        no_findings="",
        more_findings="",
        open_report="Open",
    )
    text = fitting(summary, "").decode()
    assert "](https://evil" not in text and "<b>" not in text and "Sales" in text
