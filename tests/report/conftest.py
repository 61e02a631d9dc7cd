"""A store collected through the csv connector from a synthetic organisation, keys = e-mails.

Pseudonymisation is off on purpose: member keys are then the e-mail addresses, so a test that
searches report output for keys also searches for addresses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from e20kit import Kit
from e20kit.sandbox import build_org, write_csv_folder


@dataclass
class Collected:
    config: Path
    url: str
    org: object
    today: dt.date

    def kit(self, plugins: tuple[object, ...] = ()) -> Kit:
        return Kit.from_config(self.config, env={}, store_url=self.url, plugins=plugins)


def collect_org(folder: Path, preset: str | None) -> Collected:
    org = build_org(seed=5, members=150, departments=5, days=100, preset=preset)
    write_csv_folder(org, folder / "export")
    config = folder / "e20kit.toml"
    config.write_text(
        "[privacy]\npseudonymise = false\n\n[collect]\nlookback_days = 100\n\n"
        f'[organisation]\nname = "Example Ltd"\n\n[connectors.hr]\ntype = "csv"\n'
        f'path = "{folder / "export"}"\n',
        encoding="utf-8",
    )
    collected = Collected(config, f"sqlite:///{folder / 'store.sqlite'}", org, org.end)
    kit = collected.kit()
    try:
        assert kit.collect(today=collected.today).ok
    finally:
        kit.close()
    return collected


@pytest.fixture(scope="session")
def closed_org(tmp_path_factory: pytest.TempPathFactory) -> Collected:
    return collect_org(tmp_path_factory.mktemp("closed"), "closed_culture")


@pytest.fixture(scope="session")
def healthy_org(tmp_path_factory: pytest.TempPathFactory) -> Collected:
    return collect_org(tmp_path_factory.mktemp("healthy"), None)


@pytest.fixture
def closed_kit(closed_org: Collected) -> Iterator[Kit]:
    kit = closed_org.kit()
    yield kit
    kit.close()
