"""CSV import, hostile: every error names file, line and column; re-imports are atomic."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from e20kit import Kit
from e20kit import collect as collect_module
from e20kit.store import schema
from e20kit.testing import table_rows

from .helpers import ACTIVITY, PEOPLE, write_config, write_exports

SECRET = "csv-hostile-secret-16"
ENV = {"E20KIT_PSEUDONYM_SECRET": SECRET}
TODAY = dt.date(2026, 10, 25)


def _kit(tmp_path: Path, store_url: str) -> Kit:
    config = write_config(
        tmp_path / "e20kit.toml", exports=tmp_path / "exports", store_url=store_url
    )
    return Kit.from_config(config, env=ENV)


def _error(tmp_path: Path, store_url: str) -> str:
    with _kit(tmp_path, store_url) as kit:
        result = kit.collect(today=TODAY)
        assert not result.ok
        assert table_rows(kit.engine, schema.facts) == []
        run = result.runs[0]
        assert run.error_type == "ConnectorFatalError"
        return run.error or ""


@pytest.mark.parametrize("encoding", ["latin-1", "utf-16"])
def test_a_file_in_another_encoding_names_file_line_and_character(
    tmp_path: Path, sqlite_url: str, encoding: str
) -> None:
    folder = write_exports(tmp_path / "exports")
    text = (folder / "people.csv").read_text(encoding="utf-8").replace("Ann,", "Änne,")
    (folder / "people.csv").write_bytes(text.encode(encoding))
    error = _error(tmp_path, sqlite_url)
    assert f"{folder / 'people.csv'}]" in error and "is not utf-8-sig text" in error
    assert ("line 2, character 29" if encoding == "latin-1" else "line 1, character 1") in error
    assert ("UTF-16" in error) == (encoding == "utf-16")


def test_a_field_over_the_csv_limit_names_line_and_column(tmp_path: Path, sqlite_url: str) -> None:
    rows = [*ACTIVITY[:2], ("2026-10-21", "csv", "u2", "post", "chat", "x" * 140_000, "1")]
    folder = write_exports(tmp_path / "exports", activity=rows)
    error = _error(tmp_path, sqlite_url)
    assert f"{folder / 'activity.csv'}] line 4, column 'container'" in error
    assert "field larger than field limit" in error and "x" * 100 not in error


@pytest.mark.parametrize(
    ("row", "column", "says"),
    [
        (("9999-12-31", "csv", "u1", "post", "chat", "", "1"), "day", "outside the accepted range"),
        (("0001-01-01", "csv", "u1", "post", "chat", "", "1"), "day", "outside the accepted range"),
        (("0026-10-20", "csv", "u1", "post", "chat", "", "1"), "day", "outside the accepted range"),
        (
            ("2026-10-20", "csv", "u1", "post", "chat", "", "9223372036854775807"),
            "count",
            "2147483647",
        ),
    ],
)
def test_values_out_of_range_name_line_and_column(
    tmp_path: Path, store_url: str, row: tuple[str, ...], column: str, says: str
) -> None:
    write_exports(tmp_path / "exports", activity=[*ACTIVITY, row])
    error = _error(tmp_path, store_url)
    assert f"line {len(ACTIVITY) + 2}, column '{column}'" in error and says in error


def test_a_repeated_key_is_an_error_naming_both_lines(tmp_path: Path, store_url: str) -> None:
    again = (*ACTIVITY[1][:6], "9")
    write_exports(tmp_path / "exports", activity=[*ACTIVITY, again])
    error = _error(tmp_path, store_url)
    assert f"line {len(ACTIVITY) + 2} repeats the key" in error and "of line 3" in error


def test_a_repeated_person_is_an_error_naming_both_lines(tmp_path: Path, sqlite_url: str) -> None:
    write_exports(tmp_path / "exports", people=[*PEOPLE, PEOPLE[0]])
    error = _error(tmp_path, sqlite_url)
    assert "people.csv] line 5 repeats the key (platform, person_id) of line 2" in error


def test_only_days_with_rows_are_replaced(tmp_path: Path, store_url: str) -> None:
    write_exports(tmp_path / "exports")  # rows on 10-20, 10-21, 10-22
    with _kit(tmp_path, store_url) as kit:
        assert kit.collect(today=TODAY).ok
        # a new file with rows on 10-20 and 10-22 only: 10-21 stays as it was
        write_exports(tmp_path / "exports", activity=[ACTIVITY[0], ACTIVITY[4]])
        assert kit.collect(today=TODAY).ok
        days = sorted({str(r[0]) for r in table_rows(kit.engine, schema.facts)})
    assert days == ["2026-10-20", "2026-10-21", "2026-10-22"]


def _changed() -> list[tuple[str, ...]]:
    """A bigger export of the same days with other counts: many batches at batch_size 2."""
    people = [p[1] for p in PEOPLE]
    return [
        (f"2026-10-{day}", "csv", who, "view", "wiki", f"space-{n}", str(n + 1))
        for day in (20, 21, 22)
        for who in people
        for n in range(4)
    ]


def test_a_failure_in_any_batch_of_a_reimport_leaves_the_old_facts(
    tmp_path: Path, store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_exports(tmp_path / "exports")
    with _kit(tmp_path, store_url) as kit:
        assert kit.collect(today=TODAY).ok
        old = table_rows(kit.engine, schema.facts)
        write_exports(tmp_path / "exports", activity=_changed())
        real = collect_module.upsert_facts
        for fail_at in (1, 3, 9, 18):
            calls: list[int] = []

            def failing(
                conn: object, rows: object, fail_at: int = fail_at, calls: list[int] = calls
            ) -> None:
                calls.append(1)
                if len(calls) == fail_at:
                    raise OSError("disk full")
                real(conn, rows)  # type: ignore[arg-type]

            monkeypatch.setattr(collect_module, "upsert_facts", failing)
            assert not kit.collect(today=TODAY).ok
            assert table_rows(kit.engine, schema.facts) == old, fail_at
        monkeypatch.setattr(collect_module, "upsert_facts", real)
        assert kit.collect(today=TODAY).ok
        assert len(table_rows(kit.engine, schema.facts)) == len(_changed())


KILLER = textwrap.dedent(
    """
    import datetime as dt, os, signal, sys
    from e20kit import Kit
    config, kill_at = sys.argv[1], int(sys.argv[2])
    ticks = []
    def progress(name, stage, count):
        if stage == "activity":
            ticks.append(count)
            if len(ticks) == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
    with Kit.from_config(config) as kit, kit.lock("collect"):
        kit.collect(today=dt.date(2026, 10, 25), progress=progress)
    """
)


@pytest.mark.slow
def test_a_reimport_killed_at_any_batch_leaves_old_or_new_data(
    tmp_path: Path, store_url: str
) -> None:
    write_exports(tmp_path / "exports")
    config = write_config(
        tmp_path / "e20kit.toml", exports=tmp_path / "exports", store_url=store_url
    )
    with Kit.from_config(config, env=ENV) as kit:
        assert kit.collect(today=TODAY).ok
        old = table_rows(kit.engine, schema.facts)
    write_exports(tmp_path / "exports", activity=_changed())
    env = {**os.environ, **ENV}
    for kill_at in (1, 2, 10, 19):
        done = subprocess.run(
            [sys.executable, "-c", KILLER, str(config), str(kill_at)], env=env, check=False
        )
        assert done.returncode == -signal.SIGKILL
        with Kit.from_config(config, env=ENV) as kit:
            assert table_rows(kit.engine, schema.facts) == old, kill_at
    done = subprocess.run([sys.executable, "-c", KILLER, str(config), "0"], env=env, check=False)
    assert done.returncode == 0
    with Kit.from_config(config, env=ENV) as kit:
        rows = table_rows(kit.engine, schema.facts)
    assert len(rows) == len(_changed()) and rows != old
