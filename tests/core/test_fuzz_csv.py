"""Property: a hostile CSV export either imports exactly like the clean one or changes nothing.

Every example starts from a store holding the clean import and imports a mutated copy: a
neutral mutation (padding, line endings, an extra column, shuffled rows) must give the same
store; a hostile one (a wrong type, a value out of range, a NUL, a repeated key, a missing
column) must fail as one typed error naming file and line, and leave the store as it was.
Either way the store equals the clean import afterwards.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from e20kit import Kit
from e20kit.connectors.csv import ACTIVITY_COLUMNS, PEOPLE_COLUMNS
from e20kit.store import schema
from e20kit.testing import table_rows

from .helpers import ACTIVITY, PEOPLE, write_config, write_exports

ENV = {"E20KIT_PSEUDONYM_SECRET": "fuzz-secret-of-16-bytes"}
TODAY = dt.date(2026, 10, 25)
Rows = list[list[str]]

HOSTILE: dict[str, st.SearchStrategy[str]] = {
    "day": st.sampled_from(
        [
            "9999-12-31",
            "0001-01-01",
            "0026-10-20",
            "1989-12-31",
            "2026-02-30",
            "yesterday",
            "1e9",
            "1700000000",
            "0",
            "2026-10-20T00:00",
        ]
    ),
    "count": st.one_of(
        st.integers(min_value=2**31).map(str),
        st.integers(max_value=-1).map(str),
        st.sampled_from(["1e20", "3.5", "yes", "NaN", "0x10", "١٢"]),
    ),
    "action": st.text(min_size=1, max_size=8).filter(lambda t: t.strip() not in _ACTIONS),
    "feature": st.sampled_from(["WIKI", "blogs", "x" * 500, "wiki\x00"]),
    "container": st.sampled_from(["a\x00b", "c" * 301]),
    "person_id": st.sampled_from(["", "p" * 201, "u\x001"]),
    "platform": st.sampled_from(["", "p" * 101]),
}
_ACTIONS = {"view", "visit", "create", "edit", "comment", "post", "reply", "react", "share", "sync"}


def _render(header: tuple[str, ...], rows: Rows, *, newline: str = "\n") -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


Mutation = Callable[[Rows], tuple[tuple[str, ...], Rows, str]]


@st.composite
def mutations(draw: st.DrawFn) -> tuple[str, str, bool]:
    """(people.csv text, activity.csv text, hostile?) of one mutated export."""
    people = [list(p) for p in PEOPLE]
    activity = [list(a) for a in ACTIVITY]
    header = ACTIVITY_COLUMNS
    newline = "\n"
    kind = draw(
        st.sampled_from(
            ["pad", "crlf", "extra_column", "shuffle", "hostile_cell", "repeat", "drop_column"]
        )
    )
    row = draw(st.integers(0, len(activity) - 1))
    if kind == "pad":
        column = draw(st.integers(0, len(header) - 1))
        activity[row][column] = f"  {activity[row][column]}\t"
    elif kind == "crlf":
        newline = "\r\n"
    elif kind == "extra_column":
        header = (*header, "note")
        note = st.text(st.characters(exclude_characters="\r\n", codec="utf-8"), max_size=20)
        activity = [[*r, draw(note)] for r in activity]
    elif kind == "shuffle":
        activity = draw(st.permutations(activity))
    elif kind == "hostile_cell":
        column = draw(st.sampled_from(sorted(HOSTILE)))
        activity[row][header.index(column)] = draw(HOSTILE[column])
    elif kind == "repeat":
        activity.append(list(activity[row]))
    elif kind == "drop_column":
        gone = draw(st.integers(0, len(header) - 1))
        header = tuple(c for i, c in enumerate(header) if i != gone)
        activity = [[v for i, v in enumerate(r) if i != gone] for r in activity]
    hostile = kind in ("hostile_cell", "repeat", "drop_column")
    return _render(PEOPLE_COLUMNS, people), _render(header, activity, newline=newline), hostile


def _snapshot(kit: Kit) -> dict[str, list[tuple[object, ...]]]:
    return {
        "facts": table_rows(kit.engine, schema.facts),
        "members": [r[:-1] for r in table_rows(kit.engine, schema.members)],
    }


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(export=mutations())
def test_a_mutated_export_imports_like_the_clean_one_or_changes_nothing(
    export: tuple[str, str, bool], sqlite_url: str, tmp_path: Path
) -> None:
    people_text, activity_text, hostile = export
    with tempfile.TemporaryDirectory(dir=tmp_path) as tmp:
        folder = write_exports(Path(tmp) / "exports")
        store = f"sqlite:///{Path(tmp) / 'store.sqlite'}"
        config = write_config(Path(tmp) / "e20kit.toml", exports=folder, store_url=store)
        with Kit.from_config(config, env=ENV) as kit:
            assert kit.collect(today=TODAY).ok
            clean = _snapshot(kit)
            (folder / "people.csv").write_text(people_text, encoding="utf-8", newline="")
            (folder / "activity.csv").write_text(activity_text, encoding="utf-8", newline="")
            run = kit.collect(today=TODAY).runs[0]
            if run.ok:
                assert not hostile, "a hostile export was accepted"
            else:
                assert hostile, run.error
                assert run.error_type == "ConnectorFatalError", run.error
                assert "activity.csv] line " in (run.error or ""), run.error
            assert _snapshot(kit) == clean
