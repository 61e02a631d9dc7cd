"""A synthetic organisation with planted power users, loaded through the csv connector."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from e20kit import Kit
from e20kit.sandbox import Org, build_org, write_csv_folder

from .helpers import make_kit


@dataclass
class OrgKit:
    kit: Kit
    org: Org
    now: dt.datetime
    power_keys: set[str]
    tmp_path: Path

    def key(self, email: str) -> str:
        return self.kit.pseudonymiser.member_key(email=email, platform="", person_id="")


@pytest.fixture(scope="session")
def org_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Org, Path]:
    """One planted power user per department (6 departments), written once per session."""
    org = build_org(11, members=240, departments=6, days=84, power_users=6)
    folder = tmp_path_factory.mktemp("org") / "csv"
    write_csv_folder(org, folder)
    return org, folder


@pytest.fixture
def org_kit(store_url: str, tmp_path: Path, org_folder: tuple[Org, Path]) -> Iterator[OrgKit]:
    org, folder = org_folder
    kit = make_kit(
        tmp_path,
        store_url,
        champions="members_per_champion = 1000\nmin_department_size = 5\nbuddy_cap = 2",
        extra=f'[connectors.hr]\ntype = "csv"\npath = "{folder}"\n',
    )
    kit.collect(today=org.end - dt.timedelta(days=1))
    now = dt.datetime.combine(org.end, dt.time(9), tzinfo=dt.UTC)
    pseudonym = kit.pseudonymiser.member_key
    keys = {pseudonym(email=e, platform="", person_id="") for e in org.power_users}
    yield OrgKit(kit, org, now, keys, tmp_path)
    kit.close()
