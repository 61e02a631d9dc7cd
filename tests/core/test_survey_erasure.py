"""An erased person's survey invitations go with them; the anonymous answers, which nothing
links to them, stay and keep counting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa

from e20kit import Kit, SurveyResponse
from e20kit.store import schema
from e20kit.survey import REASONS

from .erasure_org import EMAIL, build, member


@pytest.fixture
def kit(tmp_path: Path, store_url: str, secret_env: str) -> Kit:
    return build(tmp_path, store_url)


def test_forget_deletes_invitations_and_keeps_answers(kit: Kit) -> None:
    key = member(kit, EMAIL)
    kit.survey.open_wave("w1", source="csv", opened=dt.date(2026, 11, 2))
    kit.survey.store(
        "w1",
        [
            SurveyResponse(
                response_id=str(i), role="staff", unit="Sales", answers=dict.fromkeys(REASONS, 4)
            )
            for i in range(6)
        ],
    )
    now = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)
    with kit.engine.begin() as conn:
        others = conn.execute(sa.select(schema.members.c.member_key)).scalars().all()
        conn.execute(
            schema.survey_invitations.insert(),
            [
                {"wave_id": "w1", "member_key": k, "invited_at": now, "last_sent_at": now}
                for k in others
            ],
        )
    assert key in others and len(others) > 1
    dry = kit.privacy.forget(email=EMAIL, dry_run=True)
    assert dry.deleted["survey_invitations"] == 1
    kit.privacy.forget(email=EMAIL)
    with kit.engine.connect() as conn:
        left = conn.execute(sa.select(schema.survey_invitations.c.member_key)).scalars().all()
    assert key not in left and len(left) == len(others) - 1
    assert kit.survey.results_raw("w1").overall[("staff", "training")].respondents == 6  # type: ignore[index]


def test_export_lists_invitations(kit: Kit) -> None:
    key = member(kit, EMAIL)
    kit.survey.open_wave("w1", source="csv", opened=dt.date(2026, 11, 2))
    now = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)
    with kit.engine.begin() as conn:
        conn.execute(
            schema.survey_invitations.insert().values(
                wave_id="w1", member_key=key, invited_at=now, last_sent_at=now
            )
        )
    export = kit.privacy.export(email=EMAIL)
    assert export.counts["survey_invitations"] == 1
