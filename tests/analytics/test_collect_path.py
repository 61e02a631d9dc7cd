"""Metrics through the real collect path: sandbox org -> CSV folder -> csv connector -> store."""

from __future__ import annotations

from pathlib import Path

import pytest

from e20kit import Kit
from e20kit.analytics import compute_metrics, parse_period
from e20kit.sandbox import build_org, write_csv_folder
from e20kit.store import create_engine
from e20kit.store.rollup import refresh_store

from .orgstore import load_org


@pytest.fixture(scope="module")
def org() -> object:
    return build_org(seed=3, members=120, departments=4, days=70)


def test_metrics_after_collect_equal_direct_load(
    org: object, store_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "export"
    write_csv_folder(org, folder)  # type: ignore[arg-type]
    config = tmp_path / "e20kit.toml"
    config.write_text(
        f'[collect]\nlookback_days = 90\n\n[connectors.hr]\ntype = "csv"\npath = "{folder}"\n',
        encoding="utf-8",
    )
    kit = Kit.from_config(
        config, env={"E20KIT_PSEUDONYM_SECRET": "s3cret-of-16-bytes"}, store_url=store_url
    )
    try:
        result = kit.collect(today=org.end)  # type: ignore[attr-defined]
        assert result.ok
        kit.refresh()  # the analytics' own figures, before the disclosure layer publishes them
        collected = compute_metrics(kit.engine, parse_period("last-30d", today=org.end))  # type: ignore[attr-defined]
    finally:
        kit.close()

    direct_engine = create_engine(f"sqlite:///{tmp_path / 'direct.sqlite'}")
    load_org(direct_engine, org, leavers=False)  # people.csv has no account state
    refresh_store(direct_engine)
    direct = compute_metrics(direct_engine, parse_period("last-30d", today=org.end))  # type: ignore[attr-defined]
    direct_engine.dispose()

    assert collected.headline.active_members > 0
    assert collected.headline == direct.headline
    assert collected.daily == direct.daily and collected.weekly == direct.weekly
    assert collected.inequality == direct.inequality
    assert collected.departments == direct.departments
    assert collected.leaders == direct.leaders
    assert collected.cohorts == direct.cohorts and collected.newcomers == direct.newcomers
    assert [p.platform for p in collected.platforms] == ["csv"]
