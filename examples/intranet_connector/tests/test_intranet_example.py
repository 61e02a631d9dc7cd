"""The example connector, as docs/plugin-authoring.md tests it: against its loopback fake."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from e20kit_intranet import INTRANET_CONNECTOR, READ_PAGES, plugin
from e20kit_intranet.fake import TOKEN, IntranetData, IntranetFake

from e20kit import (
    Action,
    Activity,
    ConnectorAuthError,
    ConnectorPayloadError,
    Feature,
    OrgClock,
    Window,
)
from e20kit.sandbox import FaultPlan
from e20kit.testing import (
    FakeCheckContext,
    assert_same_store,
    build_kit,
    fact_totals,
    people_totals,
    registrations,
    run_connector,
)

DAY = dt.date(2026, 10, 20)
WINDOW = Window(start=DAY - dt.timedelta(days=7), end=DAY + dt.timedelta(days=2))
ENV = {"INTRANET_TOKEN": TOKEN}


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), dt.UTC)


def org() -> IntranetData:
    data = IntranetData()
    data.add_user("u1", "ann@example.org", at(DAY - dt.timedelta(days=3), 9), has_avatar=True)
    data.add_user("u2", "bob@example.org", at(DAY - dt.timedelta(days=30), 9))
    data.view("u1", "/hr/leave", at(DAY, 9))
    data.view("u1", "/hr", at(DAY, 10))
    data.view("u2", "/", at(DAY, 23, 30))  # 00:30 the next day in Berlin
    return data


@pytest.fixture
def fake() -> Iterator[IntranetFake]:
    with IntranetFake(org()) as server:
        yield server


def settings(fake: IntranetFake, **more: object) -> dict[str, object]:
    return {"url": fake.url, "token_env": "INTRANET_TOKEN", "page_size": 1, **more}


def test_people_and_views_through_faults(fake: IntranetFake) -> None:
    fake.server.faults = FaultPlan(rate=0.5, retry_after_s=0.01, seed=1)
    out = run_connector(INTRANET_CONNECTOR, settings(fake), window=WINDOW, env=ENV)
    assert [(p.person_id, p.email, p.attributes) for p in out.people] == [
        ("u1", "ann@example.org", {"has_avatar": True}),
        ("u2", "bob@example.org", {"has_avatar": False}),
    ]
    assert out.totals("day", "container") == {(DAY, "hr"): 2, (DAY, "home"): 1}
    assert out.bookmarks == {"views": DAY.isoformat()}
    assert fake.server.injected  # faults were injected, and retried through


def test_views_count_on_the_organisations_day() -> None:
    with IntranetFake(org()) as fake:
        out = run_connector(
            INTRANET_CONNECTOR,
            settings(fake),
            window=WINDOW,
            env=ENV,
            clock=OrgClock("Europe/Berlin"),
        )
    next_day = DAY + dt.timedelta(days=1)
    assert out.totals("day", "container") == {(DAY, "hr"): 2, (next_day, "home"): 1}


def test_the_next_run_recounts_the_bookmarked_day(fake: IntranetFake) -> None:
    first = run_connector(INTRANET_CONNECTOR, settings(fake), window=WINDOW, env=ENV)
    fake.data.view("u2", "/hr", at(DAY, 12))
    again = run_connector(
        INTRANET_CONNECTOR, settings(fake), window=WINDOW, env=ENV, bookmarks=first.bookmarks
    )
    assert [r.window.start for r in again.replaces] == [DAY]
    assert again.totals("day", "container") == {(DAY, "hr"): 3, (DAY, "home"): 1}


def test_a_wrong_token_is_one_authentication_error(fake: IntranetFake) -> None:
    with pytest.raises(ConnectorAuthError) as caught:
        run_connector(
            INTRANET_CONNECTOR, settings(fake), window=WINDOW, env={"INTRANET_TOKEN": "wrong-1"}
        )
    assert caught.value.connector == "test" and "wrong-1" not in str(caught.value)


def test_a_malformed_answer_is_one_payload_error_without_the_token(fake: IntranetFake) -> None:
    fake.data.views.append(("u1", "/hr", "yesterday"))  # type: ignore[arg-type]
    fake.data.users[0]["created"] = "not a time"
    with pytest.raises(ConnectorPayloadError) as caught:
        run_connector(INTRANET_CONNECTOR, settings(fake), window=WINDOW, env=ENV)
    assert caught.value.field == "0.created"
    assert "/api/users" in str(caught.value) and TOKEN not in str(caught.value)


def test_a_low_budget_pauses_until_it_refills() -> None:
    pauses: list[float] = []
    with IntranetFake(org(), budget=1) as fake:
        run_connector(
            INTRANET_CONNECTOR, settings(fake), window=WINDOW, env=ENV, sleep=pauses.append
        )
    assert pauses and min(pauses) > 0


def test_a_kit_collects_the_same_store_with_and_without_faults(
    tmp_path: Path, store_url: str
) -> None:
    def collect(faults: FaultPlan | None, folder: Path, url: str | None = None) -> str:
        """Collect once through ``faults`` into ``url`` (a new SQLite file by default)."""
        with (
            IntranetFake(org(), faults=faults) as fake,
            build_kit(
                folder,
                connectors={"intranet": {"type": "intranet", **settings(fake)}},
                plugins=[plugin],
                store_url=url,
                env=ENV,
            ) as kit,
        ):
            assert kit.collect(today=DAY + dt.timedelta(days=1)).ok
            assert people_totals(kit) == {"intranet": 2}
            assert fact_totals(kit) == {("intranet", "view"): 3}
            return kit.store_url

    clean = collect(None, tmp_path / "clean")
    faulty = collect(
        FaultPlan(rate=0.4, retry_after_s=0.01, seed=3), tmp_path / "faulty", store_url
    )
    assert_same_store(clean, faulty)


def test_the_check_counts_views_since_joining() -> None:
    def views(day: dt.date, n: int) -> Activity:
        return Activity(
            day=day, platform="intranet", person_id="x", action=Action.VIEW,
            feature=Feature.SITE, container="hr", count=n,
        )  # fmt: skip

    joined = DAY - dt.timedelta(days=3)
    before = FakeCheckContext(joined_on=joined, facts=[views(joined - dt.timedelta(days=1), 5)])
    after = FakeCheckContext(joined_on=joined, facts=[views(joined, 2), views(DAY, 1)])
    params = READ_PAGES.params()
    assert not READ_PAGES.evaluate(before, params)
    assert READ_PAGES.evaluate(after, params)


def test_the_entry_point_registers_the_connector_and_the_check() -> None:
    project = Path(__file__).resolve().parents[1] / "pyproject.toml"
    entry_points = tomllib.loads(project.read_text(encoding="utf-8"))["project"]["entry-points"]
    assert entry_points["e20kit"] == {"intranet": plugin.__name__}
    found = registrations(plugins=[plugin])
    assert found.connectors["intranet"] is INTRANET_CONNECTOR
    assert found.checks["intranet.read_pages"] is READ_PAGES
