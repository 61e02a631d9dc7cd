"""Bookmarks that only move past what was stored (issue 25): skipped records are retried,
records from the future and clock jumps freeze nothing, malformed records are named while the
rest of their page is stored. Each test compares with a clean run of the same fake."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from confluence_testkit import KitFactory, rows
from e20kit_confluence.fake import ConfluenceFake
from e20kit_confluence.fake.org import HOUR_MS, ms

from e20kit import Kit, OrgClock
from e20kit.sandbox import Org, Request, Response
from e20kit.testing import bookmarks

pytestmark = pytest.mark.slow

RECORDED = (
    Path(__file__).resolve().parents[3]
    / ".."
    / "shared"
    / "data"
    / "perceval-recorded-payloads"
    / "confluence"
)


def _clean_facts(org: Org, deployment: dict[str, Any], make_kit: KitFactory, url: str) -> Any:
    """The facts an undisturbed run of the same org stores (a store of its own)."""
    with ConfluenceFake.from_org(org, hidden_emails=0.3, **deployment) as clean:
        kit = make_kit(clean, url)
        assert kit.collect(today=org.end - dt.timedelta(days=1)).ok
        return rows(kit.engine, "facts")


@pytest.fixture
def clean(
    org: Org, deployment: dict[str, Any], make_kit: KitFactory, tmp_path: Path
) -> Iterator[Any]:
    yield _clean_facts(org, deployment, make_kit, f"sqlite:///{tmp_path / 'clean.sqlite'}")


def _intercept(
    fake: ConfluenceFake, when: Callable[[Request], bool], answer: Callable[[Request], Response]
) -> Callable[[], None]:
    """Answer requests matching ``when`` with ``answer``; returns the undo."""
    real = fake.server.app

    def app(request: Request) -> Response:
        return answer(request) if when(request) else real(request)

    fake.server.app = app

    def undo() -> None:
        fake.server.app = real

    return undo


def _search(request: Request) -> bool:
    return request.path.endswith("/content/search") and "asc" in (request.arg("cql") or "")


def _edited_result(fake: ConfluenceFake, change: Callable[[dict[str, Any]], Any]) -> Any:
    """A search answer of the fake in which the first edited page's result is changed."""
    real = fake.server.app
    target = next(c.id for c in fake.data.content.values() if len(c.versions) > 1)

    def answer(request: Request) -> Response:
        response = real(request)
        body = json.loads(response.body)
        for result in body.get("results", []):
            if str(result.get("id")) == target:
                change(result)
        return Response.json(body, response.status, headers=response.headers)

    return target, answer


def test_a_transient_403_on_a_version_listing_is_retried_not_lost(
    fake: ConfluenceFake, make_kit: KitFactory, store_url: str, today: dt.date, clean: Any
) -> None:
    edited = next(c for c in fake.data.content.values() if len(c.versions) > 1)
    edited.restricted = True
    kit = make_kit(fake, store_url)
    first = kit.collect(today=today)
    assert first.ok, first.as_dict()
    run = first.runs[0]
    assert run.pending >= 1
    assert any(f"record {edited.id} skipped" in w and "HTTP 403" in w for w in run.warnings)
    edited.restricted = False  # the permission came back
    second = kit.collect(today=today)
    assert second.ok and second.runs[0].pending == 0
    assert rows(kit.engine, "facts") == clean


def test_a_404_on_views_is_retried_not_lost(
    org: Org, make_kit: KitFactory, store_url: str, today: dt.date, tmp_path: Path
) -> None:
    cloud = {"cloud": True}
    clean = _clean_facts(org, cloud, make_kit, f"sqlite:///{tmp_path / 'clean.sqlite'}")
    with ConfluenceFake.from_org(org, hidden_emails=0.3, **cloud) as fake:
        viewed = next(c for c in fake.data.content.values() if c.views and c.type == "page")
        undo = _intercept(
            fake,
            lambda r: r.path.endswith(f"/analytics/content/{viewed.id}/views"),
            lambda r: Response.json({"message": "not found"}, 404),
        )
        kit = make_kit(fake, store_url)
        first = kit.collect(today=today)
        assert first.ok and first.runs[0].pending == 1
        undo()
        assert kit.collect(today=today).ok
        assert rows(kit.engine, "facts") == clean


def test_a_version_dated_2099_does_not_freeze_the_bookmark(
    fake: ConfluenceFake, make_kit: KitFactory, store_url: str, today: dt.date
) -> None:
    kit = make_kit(fake, store_url)
    assert kit.collect(today=today).ok
    data = fake.data
    pages = [c for c in data.content.values() if c.type == "page"]
    editor = next(u for u in data.users if u != fake.accounts.admin)
    data.edit(pages[0].id, editor, ms(dt.date(2099, 1, 1)))
    ahead = kit.collect(today=today)
    assert ahead.ok
    assert any("dated after the collection window" in w for w in ahead.runs[0].warnings)
    later = max(c.modified_at for c in data.content.values() if c.modified_at < ms(today)) + 1
    data.edit(pages[1].id, editor, later + HOUR_MS)
    result = kit.collect(today=today)
    assert result.ok and result.facts_written > 0  # 8bc5a9f: 0 facts, for good


@pytest.mark.parametrize("back", [10, 30])
def test_a_back_dated_run_then_a_normal_run_loses_nothing(
    fake: ConfluenceFake,
    make_kit: KitFactory,
    store_url: str,
    today: dt.date,
    clean: Any,
    back: int,
) -> None:
    kit = make_kit(fake, store_url)
    assert kit.collect(today=today - dt.timedelta(days=back)).ok
    assert kit.collect(today=today).ok
    stored = rows(kit.engine, "facts")
    # the contributions exactly; views: the back-dated run adds finished days a clean run's
    # views_days do not reach, never loses one
    assert [r for r in stored if r[3] != "view"] == [r for r in clean if r[3] != "view"]
    assert {r for r in clean if r[3] == "view"} <= set(stored)


def test_a_future_today_neither_purges_nor_sets_a_bookmark_ahead(
    fake: ConfluenceFake, make_kit: KitFactory, store_url: str, today: dt.date, clean: Any
) -> None:
    kit = make_kit(fake, store_url)
    kit.clock = OrgClock().fixed(dt.datetime.combine(today, dt.time(12), dt.UTC))
    assert kit.collect(today=today).ok
    future = kit.collect(today=dt.date(2999, 12, 31))
    assert future.purged is None and future.purge_refused  # 8bc5a9f: purged every fact
    assert any("after the real clock" in w for w in future.runs[0].warnings)
    assert all("2999" not in value for value in bookmarks(kit, "wiki").values())
    assert kit.collect(today=today).ok
    assert rows(kit.engine, "facts") == clean


def _recorded(name: str) -> dict[str, Any]:
    path = RECORDED / name
    if not path.is_file():
        pytest.skip(f"recorded payloads not available ({path} is absent; /work/shared missing)")
    return json.loads(path.read_text(encoding="utf-8"))


def test_a_recorded_result_without_version_is_named_and_the_page_is_stored(
    fake: ConfluenceFake, make_kit: KitFactory, store_url: str, today: dt.date, clean: Any
) -> None:
    """A real Confluence Server search result (recorded by Perceval) has no ``version``; the
    rest of the page is stored, the record is named, and the next run reads it again."""
    recorded = _recorded("confluence_contents.json")["results"][0]
    real = fake.server.app

    def with_recorded(request: Request) -> Response:
        response = real(request)
        body = json.loads(response.body)
        body["results"] = [recorded, *body.get("results", [])]
        return Response.json(body, response.status, headers=response.headers)

    undo = _intercept(fake, _search, with_recorded)
    kit = make_kit(fake, store_url)
    first = kit.collect(today=today)
    assert first.ok, first.as_dict()  # 8bc5a9f: malformed response, the whole page lost
    warnings = " ".join(first.runs[0].warnings)
    assert f"record {recorded['id']} skipped" in warnings and "field version" in warnings
    assert rows(kit.engine, "facts") == clean
    undo()
    assert kit.collect(today=today).runs[0].pending == 0


def test_content_without_space_is_counted_pending_and_read_again(
    fake: ConfluenceFake, make_kit: KitFactory, store_url: str, today: dt.date, clean: Any
) -> None:
    target, answer = _edited_result(fake, lambda result: result.pop("space", None))
    undo = _intercept(fake, _search, answer)
    kit = make_kit(fake, store_url)
    first = kit.collect(today=today)
    assert first.ok and first.runs[0].pending >= 1  # content (and, on Cloud, views)
    assert any(f"record {target} skipped" in w and "space" in w for w in first.runs[0].warnings)
    undo()
    assert kit.collect(today=today).ok
    assert rows(kit.engine, "facts") == clean  # 8bc5a9f: its edits dropped for good


def test_a_record_failing_every_run_is_given_up_after_the_limit(
    fake: ConfluenceFake, make_kit: KitFactory, store_url: str, today: dt.date
) -> None:
    edited = next(c for c in fake.data.content.values() if len(c.versions) > 1)
    edited.restricted = True
    kit = make_kit(fake, store_url, tables={"collect": {}})
    limit = kit.config.settings.collect.retry_skipped_runs
    for _ in range(limit):
        assert kit.collect(today=today).runs[0].pending == 1
    last = kit.collect(today=today).runs[0]
    assert last.pending == 0 and last.given_up == 1
    assert any("given up" in w and edited.id in w for w in last.warnings)


def test_docs_say_what_happens_to_authors_outside_the_groups() -> None:
    doc = Path(__file__).resolve().parents[3] / "docs" / "connectors" / "confluence.md"
    text = doc.read_text(encoding="utf-8")
    assert "are still counted" not in text
    assert "not in the configured groups are not counted" in text


def test_authors_outside_the_groups_are_not_counted_and_the_run_says_so(
    fake: ConfluenceFake, make_kit: KitFactory, store_url: str, today: dt.date
) -> None:
    data = fake.data
    outsider = data.add_user("outsider-key", "outsider", "Out Sider")
    page = next(c for c in data.content.values() if c.type == "page")
    later = max(c.modified_at for c in data.content.values() if c.modified_at < ms(today)) + 1
    data.edit(page.id, outsider.key, later)
    kit: Kit = make_kit(fake, store_url)
    result = kit.collect(today=today)
    assert result.ok and result.runs[0].facts_skipped >= 1
    ident = rows(kit.engine, "identities")
    assert not [r for r in ident if "outsider" in repr(r)]


def test_widening_the_window_backfills_the_missing_past(
    fake: ConfluenceFake, make_kit: KitFactory, store_url: str, today: dt.date, clean: Any
) -> None:
    kit = make_kit(fake, store_url)
    since = today - dt.timedelta(days=5)
    narrow = kit.collect(today=today, since=since)
    assert narrow.ok
    wide = kit.collect(today=today)
    assert wide.ok and wide.runs[0].backfilled_from is not None
    stored = rows(kit.engine, "facts")
    # 8bc5a9f: the contributions before `since` were never fetched
    assert [r for r in stored if r[3] != "view"] == [r for r in clean if r[3] != "view"]
    # views of the backfilled days (views of days already read are not asked again)
    assert {r for r in clean if r[3] == "view" and r[0] < since} <= set(stored)
