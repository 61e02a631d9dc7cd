"""A small deliberate organisation, built with the csv connector, that holds each pattern of
issue 20: a department of 1, one of 5, one of 6 and a larger one; one member alone on a
platform and alone writing blogs; a dominant contributor; newcomers, one of them alone in
their week; a personal space. Reports of several periods are written from it and every output
is collected, so the tests can play a reader who subtracts them.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from click.testing import CliRunner

from e20kit import Kit
from e20kit.cli import main
from e20kit.connectors.csv import ACTIVITY_COLUMNS, PEOPLE_COLUMNS
from e20kit.store import schema

K = 5
SECRET = "a-test-secret-of-32-bytes-length"
ENV = {"E20KIT_PSEUDONYM_SECRET": SECRET}
KEY = "5" * 64
"""A fixed disclosure key: the noise of a run is the same every time (docs/privacy.md)."""
A = ("2026-11-01", "2026-12-01")
B = ("2026-11-01", "2026-12-02")
"""Two periods one day apart: a member joins department Five on 1 December."""

SOLO_CONTRIBUTIONS = 11
BLOGGER_ACTIONS = 37


def write_exports(folder: Path, people: list[tuple[str, ...]], rows: list[tuple[str, ...]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, header, data in (
        ("people", PEOPLE_COLUMNS, people),
        ("activity", ACTIVITY_COLUMNS, rows),
    ):
        with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(data)
    return folder


def write_config(path: Path, *, exports: Path, store_url: str, extra: str = "") -> Path:
    path.write_text(
        f'[store]\nurl = "{store_url}"\n[collect]\nlookback_days = 400\n'
        f'[connectors.exports]\ntype = "csv"\npath = "{exports}"\n'
        f"[privacy]\nchampion_scoring = true\n{extra}",
        encoding="utf-8",
    )
    return path


def _person(pid: str, dept: str, joined: str = "2024-01-01") -> tuple[str, ...]:
    return ("csv", pid, f"{pid}@example.org", pid.upper(), dept, "", "", joined, "")


def people(*, moved: bool = False) -> list[tuple[str, ...]]:
    """Solo (1), Five (5, +1 joining on 1 December), Six (6), Big (20), newcomers in Big."""
    out = [_person("solo", "Solo")]
    out += [_person(f"five{i}", "Five") for i in range(5)]
    out += [_person("joiner", "Five", "2026-12-01")]
    out += [_person(f"six{i}", "Six") for i in range(6)]
    out += [_person(f"big{i}", "Big") for i in range(20)]
    # newcomers: five in the week of 2 November, one alone in the week of 9 November
    out += [_person(f"new{i}", "Big", "2026-11-03") for i in range(5)]
    out += [_person("lonely", "Big", "2026-11-10")]
    out.append(("blogs", "blogger", "big0@example.org", "B", "Big", "", "", "2024-01-01", ""))
    if moved:  # six0 moves to Five after the reports were written
        out = [_person("six0", "Five") if p[1] == "six0" else p for p in out]
    return out


def activity() -> list[tuple[str, ...]]:
    days = [dt.date(2026, 11, 2) + dt.timedelta(days=d) for d in range(0, 29, 3)]
    rows: list[tuple[str, ...]] = []
    for i, day in enumerate(days):
        iso = day.isoformat()
        if i == 0:
            rows.append((iso, "csv", "solo", "create", "wiki", "space-s", str(SOLO_CONTRIBUTIONS)))
        for pid in [f"five{j}" for j in range(5)] + [f"six{j}" for j in range(6)]:
            rows.append((iso, "csv", pid, "view", "wiki", "space-a", "2"))
        for j in range(20):
            rows.append((iso, "csv", f"big{j}", "comment", "discussion", "c1", "1"))
        rows.append((iso, "csv", "big1", "create", "wiki", "~big1", "60"))  # dominant, personal
    rows.append(("2026-11-05", "blogs", "blogger", "post", "blog", "b1", str(BLOGGER_ACTIONS)))
    for i in range(5):  # newcomers active in their first week; new0 drops out afterwards
        rows.append(("2026-11-04", "csv", f"new{i}", "view", "wiki", "space-a", "1"))
        if i:  # new1 stays and creates: one creator among four who stayed
            action = "create" if i == 1 else "view"
            rows.append(("2026-11-20", "csv", f"new{i}", action, "wiki", "space-a", "1"))
    rows.append(("2026-11-11", "csv", "lonely", "create", "wiki", "space-a", "3"))
    rows.append(("2026-12-01", "csv", "joiner", "view", "wiki", "space-a", "1"))
    return rows


@dataclass
class Outputs:
    """Every output of the reports written: per period, the JSON document and the text of the
    Markdown, HTML and CSV files, and the ``--json`` outputs of the commands."""

    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    commands: dict[str, Any] = field(default_factory=dict)

    def all_text(self) -> str:
        return "\n".join([*self.texts.values(), *map(json.dumps, self.documents.values())])


def build(folder: Path, store_url: str, *, extra: str = "") -> Path:
    """The store and config of the organisation, collected on 3 December."""
    exports = write_exports(folder / "exports", people(), activity())
    config = write_config(folder / "e20kit.toml", exports=exports, store_url=store_url, extra=extra)
    with Kit.from_config(config, env=ENV) as kit:
        assert kit.collect(today=dt.date(2026, 12, 3)).ok
        with kit.engine.begin() as conn:
            conn.execute(schema.disclosure_key.update().values(key=KEY))
    return config


def move_and_collect(folder: Path, config: Path, today: dt.date) -> None:
    """six0 moves to Five; collected on ``today``."""
    write_exports(folder / "exports", people(moved=True), activity())
    with Kit.from_config(config, env=ENV) as kit:
        assert kit.collect(today=today).ok


def report(config: Path, folder: Path, period: Sequence[str], name: str, out: Outputs) -> None:
    """Every format of the report of ``period`` into ``out`` under ``name``."""
    spec = f"{period[0]}..{period[1]}"
    target = folder / name
    with Kit.from_config(config, env=ENV) as kit:
        metrics = kit.metrics(spec, today=dt.date(2026, 12, 3))
        findings = kit.diagnose(metrics=metrics, audited=False)
        for fmt in ("json", "md", "html", "csv"):
            path = target / ("csv" if fmt == "csv" else f"report.{fmt}")
            kit.report(fmt, path, metrics=metrics, findings=findings)
    out.documents[name] = json.loads((target / "report.json").read_text("utf-8"))
    for path in sorted(target.rglob("*")):
        if path.is_file():
            out.texts[f"{name}/{path.relative_to(target)}"] = path.read_text("utf-8")


def command(config: Path, *args: str) -> Any:
    """``e20kit --json <args>`` against the organisation's store."""
    result = CliRunner().invoke(
        main, ["--config", str(config), "--json", *args], env=ENV, catch_exceptions=False
    )
    assert result.exit_code in (0, 5, 8), result.output
    return json.loads(result.output)


def members_of(config: Path) -> Iterator[str]:
    with Kit.from_config(config, env=ENV) as kit, kit.engine.connect() as conn:
        yield from (str(k) for (k,) in conn.execute(sa.select(schema.members.c.member_key)))


__all__ = [
    "BLOGGER_ACTIONS",
    "ENV",
    "SOLO_CONTRIBUTIONS",
    "A",
    "B",
    "K",
    "Outputs",
    "build",
    "command",
    "members_of",
    "move_and_collect",
    "people",
    "report",
]
