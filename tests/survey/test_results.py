"""Results with k: scores per reason and unit, hidden below the minimum, with complementary
suppression so that overall minus the shown units never reveals a hidden one."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from e20kit import Reason, SurveyError
from e20kit.store import schema
from e20kit.survey.results import to_hide, wilson

from .helpers import responses, wave_kit

R = Reason.CLOSED_CULTURE


def test_scores_per_unit_and_overall(tmp_path: Path, store_url: str) -> None:
    kit = wave_kit(tmp_path, store_url)
    stored = kit.survey.store(
        "w1",
        responses("Sales", 8, score=5)
        + responses("Sales", 2, score=1, prefix="s-low")
        + responses("Ops", 6, score=2),
    )
    assert (stored.added, stored.already) == (16, 0)
    raw = kit.survey.results_raw("w1")
    assert raw.units[("Sales", "staff", R)].respondents == 10
    assert raw.units[("Sales", "staff", R)].agree_share == pytest.approx(0.8)
    assert raw.overall[("staff", R)].mean == pytest.approx((8 * 5 + 2 * 1 + 6 * 2) / 16)
    shown = kit.survey.results("w1")
    sales = shown.units[("Sales", "staff", R)]
    assert sales.respondents is not None and abs(sales.respondents - 10) == 1  # perturbed
    assert sales.low is not None and sales.high is not None
    assert sales.low < sales.agree_share < sales.high  # type: ignore[operator]
    assert shown.units[("Ops", "staff", R)].mean == 2.0


def test_storing_again_counts_nothing_twice(tmp_path: Path, store_url: str) -> None:
    kit = wave_kit(tmp_path, store_url)
    batch = responses("Sales", 6)
    kit.survey.store("w1", batch)
    again = kit.survey.store("w1", batch + responses("Sales", 1, prefix="late"))
    assert (again.added, again.already) == (1, 6)
    assert kit.survey.results_raw("w1").units[("Sales", "staff", R)].respondents == 7


def test_no_person_and_no_raw_id_is_stored(tmp_path: Path, store_url: str) -> None:
    kit = wave_kit(tmp_path, store_url)
    kit.survey.store("w1", responses("Sales", 5, prefix="tool-id"))
    columns = {c.name for c in schema.survey_responses.columns}
    assert columns == {"wave_id", "response_hash", "reason", "role", "unit", "score"}
    with kit.engine.connect() as conn:
        keys = set(conn.execute(sa.select(schema.survey_responses.c.response_hash)).scalars())
    assert len(keys) == 5 and not any("tool-id" in k for k in keys)


def test_small_unit_and_its_complement_are_hidden(tmp_path: Path, store_url: str) -> None:
    kit = wave_kit(tmp_path, store_url)
    kit.survey.store("w1", responses("Sales", 9) + responses("Ops", 6) + responses("Legal", 3))
    shown = kit.survey.results("w1")
    assert shown.units[("Legal", "staff", R)].hidden  # 3 < k
    assert shown.units[("Ops", "staff", R)].hidden  # next smallest: else overall - Sales = Legal
    assert not shown.units[("Sales", "staff", R)].hidden
    assert not shown.overall[("staff", R)].hidden


def test_unlabelled_residual_counts_as_a_hidden_part(tmp_path: Path, store_url: str) -> None:
    kit = wave_kit(tmp_path, store_url)
    kit.survey.store("w1", responses("Sales", 9) + responses("Ops", 6) + responses(None, 2))
    shown = kit.survey.results("w1")
    assert shown.units[("Ops", "staff", R)].hidden  # else overall - units = the 2 unlabelled
    assert not shown.units[("Sales", "staff", R)].hidden


def test_too_few_overall_hides_everything(tmp_path: Path, store_url: str) -> None:
    kit = wave_kit(tmp_path, store_url)
    kit.survey.store("w1", responses("Sales", 4) + responses("Sales", 2, role="leader"))
    shown = kit.survey.results("w1")
    assert shown.overall[("staff", R)].hidden and shown.overall[("leader", R)].hidden
    assert shown.units[("Sales", "staff", R)].hidden


def test_min_respondents_raises_the_bar(tmp_path: Path, store_url: str) -> None:
    kit = wave_kit(tmp_path, store_url, "[survey]\nmin_respondents = 8\n")
    kit.survey.store("w1", responses("Sales", 9) + responses("Ops", 7) + responses("HR", 9))
    shown = kit.survey.results("w1")
    assert shown.min_respondents == 8
    assert shown.units[("Ops", "staff", R)].hidden
    assert shown.units[("HR", "staff", R)].hidden or shown.units[("Sales", "staff", R)].hidden


def test_latest_wave_and_unknown_wave(tmp_path: Path, store_url: str) -> None:
    kit = wave_kit(tmp_path, store_url)
    assert kit.survey.results().wave.wave_id == "w1"
    with pytest.raises(SurveyError, match="no survey wave 'nope'"):
        kit.survey.results("nope")


@pytest.mark.parametrize(
    ("sizes", "residual", "hidden"),
    [
        ({"a": 9, "b": 9}, 0, set()),
        ({"a": 9, "b": 6, "c": 3}, 0, {"b", "c"}),
        ({"a": 9, "b": 6}, 2, {"b"}),
        ({"a": 9, "b": 6}, 5, set()),
        ({"a": 9, "b": 2, "c": 2}, 0, {"b", "c", "a"}),
        ({"a": 9, "b": 3}, 3, {"b"}),
    ],
)
def test_to_hide(sizes: dict[str, int], residual: int, hidden: set[str]) -> None:
    assert to_hide(sizes, residual, 5) == hidden


def test_wilson_interval() -> None:
    low, high = wilson(8, 10)  # type: ignore[misc]
    assert low == pytest.approx(0.4902, abs=1e-3) and high == pytest.approx(0.9433, abs=1e-3)
    assert wilson(0, 0) is None


def test_response_rate_where_invitations_are_known(tmp_path: Path, store_url: str) -> None:
    import datetime as dt

    kit = wave_kit(tmp_path, store_url)
    now = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)
    invited = [("Sales", 20), ("Ops", 8), ("HR", 3)]
    with kit.engine.begin() as conn:
        for unit, n in invited:
            for i in range(n):
                key = f"{unit}-{i}"
                conn.execute(
                    schema.members.insert().values(member_key=key, department=unit, updated_at=now)
                )
                conn.execute(
                    schema.survey_invitations.insert().values(
                        wave_id="w1", member_key=key, invited_at=now, last_sent_at=now
                    )
                )
    kit.survey.store("w1", responses("Sales", 10) + responses("Ops", 6))
    raw = kit.survey.results_raw("w1")
    assert raw.response_rate[("Sales", "staff")] == pytest.approx(0.5)
    assert raw.response_rate[(None, "staff")] == pytest.approx(16 / 31)
    shown = kit.survey.results("w1")
    assert shown.response_rate[("HR", "staff")] is None  # 3 invited: under k
    sales = shown.response_rate[("Sales", "staff")]
    assert sales is not None and abs(sales - 0.5) <= 0.1  # perturbed counts, never exact
    assert shown.response_rate[(None, "staff")] is not None


def test_row_order_does_not_tell_which_import_a_response_came_with(
    tmp_path: Path, store_url: str
) -> None:
    kit = wave_kit(tmp_path, store_url)
    kit.survey.store("w1", responses("Sales", 6, prefix="early"))
    kit.survey.store("w1", responses("Sales", 6, prefix="late"))
    order = "rowid" if kit.engine.dialect.name == "sqlite" else "ctid"
    with kit.engine.connect() as conn:
        stored = conn.execute(
            sa.text(f"SELECT response_hash, reason FROM survey_responses ORDER BY {order}")
        ).all()
    assert [tuple(r) for r in stored] == sorted(tuple(r) for r in stored)
    if kit.engine.dialect.name == "postgresql":
        with kit.engine.connect() as conn:
            writers = conn.execute(sa.text("SELECT DISTINCT xmin::text FROM survey_responses"))
            assert len(writers.all()) == 1
