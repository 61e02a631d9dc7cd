"""The report as a SharePoint page against the Graph fake: created once with its charts, then
updated in place or left alone, published each time; faults become one typed error."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from e20kit_sharepoint.fake import GraphFake
from e20kit_sharepoint.fake.pages import SITE_HOST, SITE_PATH, SUPPORTED_PARTS
from e20kit_sharepoint.publish_page import page_name, parse_target
from sharepoint_helpers import SECRET_ENV

from e20kit import ConfigError, Kit, Published, PublishError
from e20kit.sandbox import Response
from e20kit.testing import build_kit

SITE = f"{SITE_HOST}:{SITE_PATH}"
TARGET = f"sharepoint:{SITE}/Adoption report"
NAME = "Adoption-report.aspx"


@pytest.fixture
def kit(tmp_path: Path, fake: GraphFake) -> Iterator[Kit]:
    with build_kit(
        tmp_path,
        connectors={"m365": fake.table(SECRET_ENV)},
        env={SECRET_ENV: str(fake.tenant.app.client_secret)},
    ) as kit:
        yield kit


def _publish(kit: Kit, today: dt.date, document: str, **options: Any) -> Published:
    metrics = kit.metrics(today=today)
    return kit.publish(TARGET, document, metrics=metrics, **options)


def _parts(page: dict[str, Any]) -> list[dict[str, Any]]:
    sections = page["canvasLayout"]["horizontalSections"]
    return [p for s in sections for c in s["columns"] for p in c["webparts"]]


def test_the_page_is_created_with_its_charts_then_updated_in_place(
    kit: Kit, fake: GraphFake, today: dt.date
) -> None:
    first = _publish(kit, today, "# Adoption report\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    # site, find, libraries, six uploads, the folder's listing, create, publish: no more
    assert len(fake.pages.requests) == 12
    assert first.action == "created" and first.url.endswith(f"/SitePages/{NAME}")
    page = fake.pages.page(NAME)
    assert page is not None and page["title"] == "Adoption report"
    assert page["publishingState"]["level"] == "published"
    text, *images = _parts(page)
    assert "<h1>Adoption report</h1>" in text["innerHtml"] and "<table>" in text["innerHtml"]
    # every chart of the HTML report, uploaded to Site Assets and shown in an Image web part
    assets = fake.pages.assets()
    assert sorted(assets) == sorted(
        f"e20kit/Adoption-report/{c}.png"
        for c in ("activity", "lorenz", "leaders", "heatmap", "cohorts", "features")
    )
    assert all(png.startswith(b"\x89PNG") for png in assets.values())
    assert {p["webPartType"] for p in images} <= SUPPORTED_PARTS and len(images) == 6
    props = images[0]["data"]["properties"]
    assert props["uniqueid"] and props["listid"] and props["imgWidth"] > 0
    source = images[0]["data"]["serverProcessedContent"]["imageSources"][0]["value"]
    assert source.startswith(f"{SITE_PATH}/SiteAssets/e20kit/Adoption-report/")

    # the same report again: found by its name, nothing written, not published again
    again = _publish(kit, today, "# Adoption report\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert again.action == "unchanged" and len(fake.pages.published) == 1
    assert len(fake.pages.requests) == 12 + 2  # the site and the page lookup only
    # a changed report replaces the canvas of the same page (no duplicate) and publishes it
    dry = _publish(kit, today, "# Adoption report\n\nNew figures.\n", dry_run=True)
    assert dry.action == "would update" and "<p>New figures.</p>" in dry.preview
    assert len(fake.pages.published) == 1
    changed = _publish(kit, today, "# Adoption report\n\nNew figures.\n")
    assert changed.action == "updated" and len(fake.pages.pages) == 1
    assert "New figures." in _parts(fake.pages.page(NAME) or {})[0]["innerHtml"]
    assert [version for _, version in fake.pages.published] == [1, 2]
    # audited with where readers find it
    published = [e for e in kit.privacy.audit() if e.action == "report_published"]
    assert [e.target for e in published][-1] == f"{TARGET} -> {changed.location}"


def test_raw_html_in_the_report_is_escaped_on_the_page(
    kit: Kit, fake: GraphFake, today: dt.date
) -> None:
    _publish(kit, today, "# R\n\n<script>alert(1)</script> [x](javascript:alert(1))\n")
    html = _parts(fake.pages.page(NAME) or {})[0]["innerHtml"]
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html


@pytest.mark.parametrize("site", ["root", "{id}"])
def test_the_site_may_be_given_by_id_or_as_root(
    kit: Kit, fake: GraphFake, today: dt.date, site: str
) -> None:
    address = site.format(id=fake.pages.site_id)
    done = kit.publish(f"sharepoint:{address}/Report", "# R\n", metrics=kit.metrics(today=today))
    assert done.action == "created" and fake.pages.page("Report.aspx") is not None


def test_targets_are_parsed_from_the_right() -> None:
    assert parse_target(f"{SITE}/Adoption report") == (SITE, "Adoption report")
    assert page_name("Nutzung: Q4/Übersicht") == "Nutzung-Q4-Übersicht.aspx"
    for bad in ("no-title/", "Title only", "/Title"):
        with pytest.raises(ConfigError, match="sharepoint:SITE/Page title"):
            parse_target(bad)


def test_an_unknown_site_is_one_error_naming_the_publisher_and_endpoint(
    kit: Kit, today: dt.date
) -> None:
    with pytest.raises(PublishError) as caught:
        kit.publish(
            f"sharepoint:{SITE_HOST}:/sites/nowhere/R", "# R\n", metrics=kit.metrics(today=today)
        )
    text = str(caught.value)
    assert "publish sharepoint" in text and "/sites/" in text and "404" in text
    assert caught.value.publisher == "sharepoint"


def test_a_throttled_request_waits_and_goes_on(kit: Kit, fake: GraphFake, today: dt.date) -> None:
    throttled = Response.json(
        {"error": {"code": "TooManyRequests", "message": "slow down"}},
        429,
        {"Retry-After": "0.05"},
    )
    fake.pages.fail_next("GET", r"/sites/[^/]+\Z", throttled)
    fake.pages.fail_next("PUT", r"/content\Z", throttled)
    assert _publish(kit, today, "# R\n").action == "created"
    assert len(fake.pages.pages) == 1


def test_a_failed_create_is_an_error_and_the_rerun_creates_one_page(
    kit: Kit, fake: GraphFake, today: dt.date
) -> None:
    broken = Response.json({"error": {"code": "generalException", "message": "boom"}}, 503)
    fake.pages.fail_next("POST", r"/pages\Z", broken)
    with pytest.raises(PublishError, match=r"publish sharepoint.*503"):
        _publish(kit, today, "# R\n")
    assert not fake.pages.pages  # a POST is never repeated by the core
    assert _publish(kit, today, "# R\n").action == "created"
    assert len(fake.pages.pages) == 1


@pytest.mark.parametrize(
    ("method", "path", "answer"),
    [
        ("GET", r"/microsoft\.graph\.sitePage\Z", {"value": "not a list"}),
        ("GET", r"/sites/[^/]+\Z", {"webUrl": "no id"}),
        ("POST", r"/pages\Z", {"title": "no id"}),
    ],
)
def test_answers_of_the_wrong_shape_are_one_typed_error(
    kit: Kit, fake: GraphFake, today: dt.date, method: str, path: str, answer: Any
) -> None:
    fake.pages.fail_next(method, path, Response.json(answer, 201 if method == "POST" else 200))
    with pytest.raises(PublishError) as caught:
        _publish(kit, today, "# R\n")
    assert "publish sharepoint" in str(caught.value) and "Traceback" not in str(caught.value)


def test_a_missing_site_permission_says_which_to_grant(
    kit: Kit, fake: GraphFake, today: dt.date
) -> None:
    denied = Response.json({"error": {"code": "accessDenied", "message": "Access denied"}}, 403)
    fake.pages.fail_next("POST", r"/pages\Z", denied)
    with pytest.raises(PublishError, match=r"publish sharepoint.*Sites\.Selected with write"):
        _publish(kit, today, "# R\n")


def test_only_the_generation_time_changed_means_unchanged(
    kit: Kit, fake: GraphFake, today: dt.date
) -> None:
    """Every run stamps the report with the time it was made; that alone is no new version."""
    assert _publish(kit, today, "# R\n\n*e20kit 0.1.0, 2026-12-07T23:54:29+00:00*\n").action == (
        "created"
    )
    again = _publish(kit, today, "# R\n\n*e20kit 0.1.0, 2026-12-08T06:00:02+00:00*\n")
    assert again.action == "unchanged" and len(fake.pages.published) == 1
    assert _publish(kit, today, "# R\n\n*e20kit 0.1.0, 2026-12-09*\n").action == "updated"
