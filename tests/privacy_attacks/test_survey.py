"""Attacks on the survey results (issue 23), as a works council's expert would try them (k = 5):
subtract the shown units from the organisation-wide score, read a unit of 1-4 respondents,
and isolate the answers that carry no unit label. On SQLite and PostgreSQL, through the Python
API and the JSON report alike.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from e20kit import Kit, SurveyResponse
from e20kit.survey import REASONS, SurveyResults

K = 5


def _kit(tmp_path: Path, store_url: str, groups: list[tuple[str | None, int, int]]) -> Kit:
    """A wave whose groups (unit, respondents, score) each answer every statement alike."""
    kit = Kit.from_config(None, store_url=store_url, env={})
    kit.survey.open_wave("w", source="csv", opened=dt.date(2026, 11, 2))
    kit.survey.store(
        "w",
        [
            SurveyResponse(
                response_id=f"{unit}-{i}",
                role="staff",
                unit=unit,
                answers=dict.fromkeys(REASONS, score),
            )
            for unit, n, score in groups
            for i in range(n)
        ],
    )
    return kit


def _subtract(results: SurveyResults) -> dict[str, tuple[float, float]]:
    """Per statement: (respondents, score sum) of overall minus every shown unit, as far as
    the published figures allow (perturbed counts taken at face value)."""
    out = {}
    for reason in REASONS:
        whole = results.overall[("staff", reason)]
        assert whole.respondents is not None and whole.mean is not None
        n, total = float(whole.respondents), whole.mean * whole.respondents
        for (_, role, r), cell in results.units.items():
            if r == reason and role == "staff" and not cell.hidden:
                assert cell.mean is not None and cell.respondents is not None
                n -= cell.respondents
                total -= cell.mean * cell.respondents
        out[reason.value] = (n, total)
    return out


def _hidden_parts(results: SurveyResults, truth: dict[str | None, int]) -> int:
    """True respondents of everything the published units leave over."""
    shown = {u for (u, _, _), c in results.units.items() if not c.hidden}
    return sum(n for unit, n in truth.items() if unit not in shown)


@pytest.mark.parametrize("small", [1, 2, 3, 4])
def test_a_unit_of_one_to_four_is_never_shown(tmp_path: Path, store_url: str, small: int) -> None:
    kit = _kit(tmp_path, store_url, [("Sales", 20, 2), ("Ops", 12, 3), ("Solo", small, 5)])
    results = kit.survey.results("w")
    assert all(results.units[("Solo", "staff", r)].hidden for r in REASONS)
    assert results.respondents[("Solo", "staff")] is None
    doc = json.loads(
        Path(kit.report("json", tmp_path / "r.json", period="2026-11-01..2026-11-30")).read_text()
    )
    rows = next(s for s in doc["sections"] if s["id"] == "survey")["tables"]["survey"]
    for row in rows:
        if row["unit"] == "Solo":
            assert row["respondents"] is row["agree_share"] is row["mean"] is None


@pytest.mark.parametrize(
    "groups",
    [
        [("Sales", 20, 2), ("Ops", 7, 3), ("Solo", 2, 5)],  # one small unit beside two large
        [("Sales", 20, 2), ("Ops", 9, 3), ("Solo", 4, 5), ("Duo", 2, 1)],  # two small
        [("Sales", 20, 2), ("Ops", 6, 3), (None, 3, 5)],  # the unlabelled residual
        [("Sales", 20, 2), ("Ops", 6, 3), (None, 1, 5)],  # one person without a label
        [("Sales", 20, 2), ("Ops", 6, 3), ("Solo", 1, 5), (None, 1, 1)],
    ],
)
def test_overall_minus_shown_units_reveals_no_small_group(
    tmp_path: Path, store_url: str, groups: list[tuple[str | None, int, int]]
) -> None:
    kit = _kit(tmp_path, store_url, groups)
    results = kit.survey.results("w")
    truth = {unit: n for unit, n, _ in groups}
    assert _hidden_parts(results, truth) >= K  # what is left over is at least k people
    for n, _ in _subtract(results).values():
        assert n >= K - 2 * len(truth)  # the attacker's estimate points at >= k, give or take noise
    parts = [u for u in truth if u is None or results.units[(u, "staff", REASONS[0])].hidden]
    assert len(parts) >= 2 or parts == [None]


def test_unlabelled_residual_of_k_or_more_needs_no_complement(
    tmp_path: Path, store_url: str
) -> None:
    kit = _kit(tmp_path, store_url, [("Sales", 20, 2), ("Ops", 6, 3), (None, 5, 5)])
    results = kit.survey.results("w")
    assert not results.units[("Ops", "staff", REASONS[0])].hidden


def test_raw_results_are_never_what_a_report_prints(tmp_path: Path, store_url: str) -> None:
    kit = _kit(tmp_path, store_url, [("Sales", 20, 2), ("Ops", 12, 3), ("Solo", 2, 5)])
    raw = kit.survey.results_raw("w")
    assert raw.units[("Solo", "staff", REASONS[0])].respondents == 2 and not raw.published
    shown = kit.survey.results("w")
    assert shown.units[("Sales", "staff", REASONS[0])].respondents != 20  # perturbed, never exact
