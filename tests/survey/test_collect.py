"""Reading a wave's responses from a registered survey source (``kit.survey.collect``, ``survey
import --source NAME``): stored once, and a source that answers garbage is one typed error
naming the source and the call, with nothing stored."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pydantic import BaseModel

from e20kit import (
    DataSource,
    Kit,
    PluginContext,
    SurveyError,
    SurveyHandle,
    SurveyResponse,
    SurveySourceType,
    hookimpl,
)
from e20kit.cli import main
from e20kit.survey import REASONS

ANSWERS: dict[str, Any] = {}


class FakeSettings(BaseModel):
    mode: str = "good"


class FakeSource:
    def __init__(self, context: PluginContext[FakeSettings]) -> None:
        self.mode = context.settings.mode

    def prepare(self, wave: Any, questions: Any, units: Any) -> SurveyHandle:
        return SurveyHandle("s1", lambda unit, role, lang: f"https://x/{role}")

    def responses(self, wave: Any, handle_ref: str) -> Iterator[Any]:
        if self.mode == "raises":
            raise KeyError("answers")
        for i in range(6):
            if self.mode == "dicts":
                yield {"response_id": str(i)}
            elif self.mode == "invalid":
                yield SurveyResponse.model_validate(
                    {"response_id": str(i), "role": "staff", "answers": {"training": 9}}
                )
            else:
                yield SurveyResponse(
                    response_id=str(i),
                    role="staff",
                    unit="Sales",
                    answers=dict.fromkeys(REASONS, 4),
                )


class Plugin:
    @hookimpl
    def e20kit_survey_sources(self) -> Iterable[SurveySourceType]:
        yield SurveySourceType(
            name="fake",
            settings=FakeSettings,
            factory=FakeSource,
            data_sources=(DataSource("GET /r", "a key", "answers"),),
        )


def _kit(tmp_path: Path, mode: str) -> Kit:
    path = tmp_path / "e20kit.toml"
    path.write_text(f'[survey_sources.pulse]\ntype = "fake"\nmode = "{mode}"\n', encoding="utf-8")
    return Kit.from_config(
        path, store_url=f"sqlite:///{tmp_path / 's.sqlite'}", env={}, plugins=[Plugin()]
    )


def test_collect_stores_once(tmp_path: Path) -> None:
    kit = _kit(tmp_path, "good")
    kit.survey.open_wave("w1", source="pulse")
    assert kit.survey.collect("w1").added == 6
    assert (kit.survey.collect("w1").added, kit.survey.collect("w1").already) == (0, 6)


@pytest.mark.parametrize(
    ("mode", "words"),
    [("raises", "KeyError"), ("dicts", "returned dict"), ("invalid", "invalid response")],
)
def test_garbage_is_one_error_naming_source_and_call(tmp_path: Path, mode: str, words: str) -> None:
    kit = _kit(tmp_path, mode)
    kit.survey.open_wave("w1", source="pulse")
    with pytest.raises(SurveyError, match=words) as err:
        kit.survey.collect("w1")
    assert str(err.value).startswith("[pulse responses]")
    assert kit.survey.results_raw("w1").empty


def test_unknown_source_type_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "e20kit.toml"
    path.write_text('[survey_sources.pulse]\ntype = "nope"\n', encoding="utf-8")
    db = f"sqlite:///{tmp_path / 's.sqlite'}"
    result = CliRunner().invoke(
        main, ["-c", str(path), "--db", db, "survey", "import", "--wave", "w1", "--source", "pulse"]
    )
    assert result.exit_code == 2 and "survey_sources.pulse.type" in result.stderr
