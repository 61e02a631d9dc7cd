"""Context platforms (mail, apps) are stored and never counted as participation.

The same organisation is measured twice: once as it is, once with every member mailing and
opening apps on every day of the period. Every participation figure (metrics, champion scores,
stalled newcomers, onboarding checks over all platforms) must come out identical; only the
context figures see the mail, and they tell who mailed but contributed nowhere.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import sqlalchemy as sa

from e20kit import Action, Feature, is_context_platform
from e20kit.analytics import compute_metrics, parse_period
from e20kit.champions.newcomers import newcomer_keys
from e20kit.champions.scoring import compute_scores
from e20kit.champions.settings import ChampionsSettings
from e20kit.config import Settings
from e20kit.disclosure import Disclosure
from e20kit.extensions import ReportContext
from e20kit.onboarding.context import StoreCheckContext
from e20kit.report.context_section import sections_for
from e20kit.sandbox import build_org
from e20kit.store import create_engine, schema
from e20kit.store.rollup import refresh_store

from .orgstore import load_org

MAIL, APPS = "context:outlook", "context:m365apps"


def _mail_everyone(engine: sa.Engine, first: dt.date, end: dt.date) -> list[str]:
    with engine.connect() as conn:
        keys = list(conn.execute(sa.select(schema.members.c.member_key)).scalars())
    rows = []
    day = first
    while day < end:
        for key in keys:
            for platform, action, feature, count in (
                (MAIL, Action.POST, Feature.CHAT, 7),
                (MAIL, Action.VIEW, Feature.CHAT, 30),
                (MAIL, Action.CREATE, Feature.SITE, 1),
                (APPS, Action.VISIT, Feature.FILES, 1),
            ):
                rows.append(
                    {
                        "day": day,
                        "member_key": key,
                        "platform": platform,
                        "action": action.value,
                        "feature": feature.value,
                        "container": "m365:" + platform,
                        "count": count,
                        "source": "m365",
                    }
                )
        day += dt.timedelta(days=1)
    with engine.begin() as conn:
        conn.execute(schema.facts.insert(), rows)
    return keys


def _participation(engine: sa.Engine, today: dt.date, keys: list[str]):  # type: ignore[no-untyped-def]
    settings = ChampionsSettings()
    with engine.connect() as conn:
        checks = [
            (
                StoreCheckContext(conn, key, None).count(actions=(Action.POST, Action.CREATE)),
                StoreCheckContext(conn, key, None).days(),
            )
            for key in keys[:40]
        ]
    return (
        [s.as_dict() for s in compute_scores(engine, settings, today=today)],
        sorted(newcomer_keys(engine, settings, today)),
        checks,
    )


def test_no_participation_figure_counts_a_context_fact(store_url: str) -> None:
    org = build_org(seed=7, members=120)
    period = parse_period("last-30d", today=org.end)
    engine = create_engine(store_url)
    try:
        load_org(engine, org)
        refresh_store(engine)
        before = compute_metrics(engine, period)
        assert before.context == ()
        today = org.end - dt.timedelta(days=1)
        with engine.connect() as conn:
            keys = list(conn.execute(sa.select(schema.members.c.member_key)).scalars())
        figures_before = _participation(engine, today, keys)

        _mail_everyone(engine, period.start - dt.timedelta(days=60), period.end)
        refresh_store(engine)
        after = compute_metrics(engine, period)
        figures_after = _participation(engine, today, keys)
    finally:
        engine.dispose()

    assert dataclasses.replace(after, context=()) == before
    assert figures_after == figures_before
    apps, mail = after.context  # sorted by platform
    assert (mail.platform, apps.platform) == (MAIL, APPS)
    assert is_context_platform(mail.platform)
    assert mail.members == mail.writers == len(keys)
    # the members who mailed and contributed nowhere are exactly those without a contribution
    contributed = {
        m.person_id
        for m, e in org.iter_events()
        if period.start <= e.day < period.end and e.action.is_contribution and e.count > 0
    }
    silent = len(keys) - len(contributed)
    assert silent > 0 and mail.writers_only_there == silent
    assert mail.share_only_there == silent / len(keys)
    assert apps.writers == 0 and apps.writers_only_there == 0


def test_the_report_section_passes_the_disclosure_layer(sqlite_url: str) -> None:
    """Three members mail on a small context platform: its row is hidden under k; the large
    one is published with perturbed counts within its size."""
    org = build_org(seed=7, members=60)
    period = parse_period("last-30d", today=org.end)
    engine = create_engine(sqlite_url)
    try:
        load_org(engine, org)
        keys = _mail_everyone(engine, period.start, period.end)
        with engine.begin() as conn:
            conn.execute(
                schema.facts.insert(),
                [
                    {
                        "day": period.start,
                        "member_key": key,
                        "platform": "context:fax",
                        "action": Action.POST.value,
                        "feature": Feature.CHAT.value,
                        "container": "",
                        "count": 1,
                        "source": "m365",
                    }
                    for key in keys[:3]
                ],
            )
        layer = Disclosure.unkeyed(5)
        metrics = layer.metrics(compute_metrics(engine, period))
        with engine.connect() as conn:
            context = ReportContext(conn, period, Settings(), "en", disclosure=layer)
            (section,) = sections_for(context, metrics)
    finally:
        engine.dispose()
    rows = {r["platform"]: r for r in section.tables["context"]}
    assert rows["context:fax"]["suppressed"] and rows["context:fax"]["members"] is None
    assert rows["context:fax"]["writers_only_there"] is None
    mail = rows[MAIL]
    assert not mail.get("suppressed") and abs(mail["members"] - len(keys)) <= 3
    assert 0 < mail["writers_only_there"] <= mail["members"]
    assert section.title.startswith("Context")
