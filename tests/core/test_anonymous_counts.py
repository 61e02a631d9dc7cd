"""Anonymous counts (``Activity(person_id=None)``): views that name nobody count in the feature
and container totals, never as a member or in any per-member figure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
import sqlalchemy as sa
from pydantic import BaseModel, ValidationError

from e20kit import (
    Action,
    Activity,
    ActivityItem,
    ConnectorContext,
    ConnectorType,
    Feature,
    Kit,
    Person,
    Window,
    hookimpl,
)
from e20kit.analytics import Metrics, compute_metrics, parse_period
from e20kit.store import schema
from e20kit.testing import table_rows

from .test_collect import open_kit

TODAY = dt.date(2026, 10, 25)
VIEWS = {dt.date(2026, 10, 20): 40, dt.date(2026, 10, 21): 2}


class NoSettings(BaseModel):
    pass


class AnalyticsConnector:
    """Counts views of one space per day, as Confluence Cloud's analytics do: nobody named."""

    capabilities = frozenset({"activity"})

    def __init__(self, context: ConnectorContext) -> None:
        pass

    def people(self) -> Iterator[Person]:
        return iter(())

    def activity(self, window: Window, bookmarks: Mapping[str, str]) -> Iterator[ActivityItem]:
        for day, count in VIEWS.items():
            yield Activity(
                day=day,
                platform="csv",
                person_id=None,
                action=Action.VIEW,
                feature=Feature.BLOG,
                container="space-a",
                count=count,
            )

    def close(self) -> None:
        pass


class AnalyticsPlugin:
    @hookimpl
    def e20kit_connectors(self) -> list[ConnectorType]:
        return [ConnectorType(name="views", settings=NoSettings, factory=AnalyticsConnector)]


def _raw(kit: Kit) -> Metrics:
    """The analytics' own figures (before the disclosure layer perturbs them for publishing)."""
    kit.refresh()
    period = parse_period("last-30d", today=TODAY)
    return compute_metrics(kit.engine, period, settings=kit.config.settings.analytics)


def _blog(metrics: object) -> tuple[int, int]:
    whole = {f.feature: f for f in metrics.features if f.week_start is None}  # type: ignore[attr-defined]
    blog = whole.get("blog")
    return (0, 0) if blog is None else (blog.active, blog.actions)


def test_anonymous_views_count_in_totals_and_never_as_members(
    tmp_path: Path, store_url: str
) -> None:
    with open_kit(tmp_path / "plain", store_url) as kit:
        assert kit.collect(today=TODAY).ok
        plain = _raw(kit)
        kit.engine.dispose()
    with open_kit(
        tmp_path / "views", store_url, AnalyticsPlugin(), extra="[connectors.v]\ntype='views'\n"
    ) as kit:
        with kit.engine.begin() as conn:  # the same store URL: start from an empty one
            for table in reversed(schema.metadata.sorted_tables):
                if table.name != "schema_version":
                    conn.execute(table.delete())
        result = kit.collect(today=TODAY)
        assert result.ok, result.as_dict()
        with kit.engine.connect() as conn:
            keys = {k for (k,) in conn.execute(sa.select(schema.members.c.member_key))}
            ids = conn.execute(sa.select(schema.identities.c.person_id)).all()
            anon = conn.execute(
                sa.select(sa.func.sum(schema.facts.c.count)).where(
                    schema.facts.c.member_key == schema.ANONYMOUS_KEY
                )
            ).scalar_one()
        assert anon == sum(VIEWS.values())
        assert schema.ANONYMOUS_KEY not in keys and len(ids) == 3  # the csv people only
        viewed = _raw(kit)
        pairs = {k for (_, k, _) in table_rows(kit.engine, schema.activity_pairs)}
    assert schema.ANONYMOUS_KEY not in pairs
    # the reads side: the blog's actions grow by the views; no member became active for them
    assert _blog(plain) == (0, 0) and _blog(viewed) == (0, sum(VIEWS.values()))
    assert viewed.headline == plain.headline
    assert viewed.inequality == plain.inequality
    assert viewed.departments == plain.departments and viewed.leaders == plain.leaders


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"container": None}, "needs a container"),
        ({"action": Action.COMMENT}, "consumption action"),
    ],
)
def test_anonymous_counts_are_container_reads_only(
    changes: dict[str, object], message: str
) -> None:
    fields: dict[str, object] = {
        "day": TODAY,
        "platform": "p",
        "person_id": None,
        "action": Action.VIEW,
        "feature": Feature.WIKI,
        "container": "s",
        "count": 1,
    }
    assert Activity.model_validate(fields).anonymous
    with pytest.raises(ValidationError, match=message):
        Activity.model_validate({**fields, **changes})
    with pytest.raises(ValidationError):  # naming nobody is explicit, never a default
        Activity.model_validate({k: v for k, v in fields.items() if k != "person_id"})
