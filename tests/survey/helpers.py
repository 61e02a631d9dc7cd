"""Builders for survey tests: kits on a given store and hand-made responses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from e20kit import Kit, Reason, SurveyResponse
from e20kit.survey import REASONS

SECRET = "survey-test-secret-0123456789"
OPENED = dt.date(2026, 11, 2)


def make_kit(tmp_path: Path, store_url: str, extra: str = "") -> Kit:
    path = tmp_path / "e20kit.toml"
    path.write_text(extra, encoding="utf-8")
    return Kit.from_config(path, env={"E20KIT_PSEUDONYM_SECRET": SECRET}, store_url=store_url)


def responses(
    unit: str | None,
    n: int,
    *,
    role: str = "staff",
    score: int = 4,
    prefix: str = "",
    answers: dict[Reason, int | None] | None = None,
) -> list[SurveyResponse]:
    """``n`` responses from ``unit``, every statement answered ``score`` (or ``answers``)."""
    given = answers if answers is not None else dict.fromkeys(REASONS, score)
    tag = prefix or f"{unit}-{role}-{score}"
    return [
        SurveyResponse(response_id=f"{tag}-{i}", role=role, unit=unit, answers=given)  # type: ignore[arg-type]
        for i in range(n)
    ]


def wave_kit(tmp_path: Path, store_url: str, extra: str = "", wave: str = "w1") -> Kit:
    kit = make_kit(tmp_path, store_url, extra)
    kit.survey.open_wave(wave, source="csv", opened=OPENED)
    return kit
