"""``kit.survey``: waves, storing responses and reading results (docs/survey.md)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from pydantic import ValidationError

from ..clock import OrgClock
from ..config import Config
from ..errors import ConfigError, E20KitError, SurveyError
from ..instances import plugin_context
from ..plugins import Plugins
from . import store as survey_store
from .csvimport import read_export
from .invitations import SendResult
from .model import SurveyResponse, SurveySource, SurveySourceType, SurveyWave
from .questions import Audience, SurveyQuestion, configured_questions
from .results import SurveyResults, published_results, raw_results
from .send import send_wave

if TYPE_CHECKING:
    from ..disclosure import Disclosure


def source_type(config: Config, plugins: Plugins, name: str) -> SurveySourceType:
    """The registered type of survey source ``name`` (``[survey_sources.<name>] type``,
    default the name itself); a :class:`ConfigError` naming the key when none provides it."""
    configured = config.settings.survey_sources
    types = plugins.survey_source_types()
    type_name = str(configured.get(name, {}).get("type", name))
    found = types.get(type_name)
    if found is None:
        raise ConfigError(
            f"config error in {config.where}: survey_sources.{name}.type = {type_name!r}: no "
            "installed plugin provides this survey source; known types: "
            f"{', '.join(sorted(types)) or 'none'}",
            file=config.where,
            key=f"survey_sources.{name}.type",
        )
    return found


class SurveyService:
    """The pulse survey of one kit: ``kit.survey.results()``, ``.store(...)``, ..."""

    def __init__(
        self,
        engine: sa.Engine,
        config: Config,
        plugins: Plugins,
        disclosure: Callable[[], Disclosure],
        clock: OrgClock,
        record: Callable[..., None] | None = None,
    ) -> None:
        self.engine = engine
        self._record = record or (lambda *args, **kwargs: None)
        """Appends to the audit trail (``kit.privacy.record``)."""
        self.config = config
        self.plugins = plugins
        self._disclosure = disclosure
        self.clock = clock

    def questions(self) -> tuple[SurveyQuestion, ...]:
        """The ten statements with the wording of ``[survey.questions]``."""
        return configured_questions(self.config.settings.survey.questions)

    @property
    def min_respondents(self) -> int:
        """``[survey] min_respondents`` (default: ``[privacy] min_group_size``, k)."""
        k = self.config.settings.privacy.min_group_size
        return self.config.settings.survey.min_respondents or k

    # -- waves -----------------------------------------------------------------------------------

    def open_wave(
        self,
        wave_id: str,
        *,
        source: str,
        opened: dt.date | None = None,
        closes: dt.date | None = None,
        survey_ref: str | None = None,
    ) -> SurveyWave:
        """Record a wave (or find it recorded for the same ``source``); ``opened`` defaults to
        today and ``closes`` to ``opened``."""
        opened = opened or self.clock.today()
        wave = SurveyWave(wave_id=wave_id, opened=opened, closes=closes or opened, source=source)
        with self.engine.begin() as conn:
            return survey_store.save_wave(conn, wave, survey_ref=survey_ref, now=self.clock.now())

    def wave(self, wave_id: str | None = None) -> SurveyWave:
        """Wave ``wave_id``, or the latest opened one; :class:`SurveyError` when none is."""
        with self.engine.connect() as conn:
            found = survey_store.find_wave(conn, wave_id)
        if found is None:
            what = f"no survey wave {wave_id!r}" if wave_id else "no survey wave yet"
            raise SurveyError(
                f"{what} in the store; import one with `e20kit survey import FILE --wave ID`",
                source="store",
                call="wave",
            )
        return found[0]

    def survey_ref(self, wave_id: str) -> str | None:
        """The survey tool's reference of a wave (``None`` before it was prepared)."""
        with self.engine.connect() as conn:
            found = survey_store.find_wave(conn, wave_id)
        return None if found is None else found[1]

    def waves(self) -> list[SurveyWave]:
        with self.engine.connect() as conn:
            return survey_store.list_waves(conn)

    def store(self, wave_id: str, responses: Iterable[SurveyResponse]) -> survey_store.Stored:
        """Store a wave's responses in one transaction; responses stored before are counted
        once (the same response id is the same response)."""
        wave = self.wave(wave_id)
        with self.engine.begin() as conn:
            return survey_store.store_responses(conn, wave, responses)

    def import_file(
        self,
        path: str | Path,
        wave_id: str,
        *,
        role: Audience | None = None,
        opened: dt.date | None = None,
        closes: dt.date | None = None,
    ) -> survey_store.Stored:
        """Import a CSV export into ``wave_id`` (recorded with source ``csv`` when new): the
        whole file is checked first, then stored in one transaction; responses imported before
        are counted once. Raises :class:`SurveyImportError` naming file, line and column."""
        responses = read_export(
            Path(path),
            columns=self.config.settings.survey.csv,
            questions=self.questions(),
            role=role,
        )
        opened = opened or self.clock.today()
        wave = SurveyWave(wave_id=wave_id, opened=opened, closes=closes or opened, source="csv")
        with self.engine.begin() as conn:
            wave = survey_store.save_wave(conn, wave, survey_ref=None, now=self.clock.now())
            return survey_store.store_responses(conn, wave, responses)

    def collect(self, wave_id: str) -> survey_store.Stored:
        """Read the completed responses of a wave from its survey source (the
        ``[survey_sources.<name>]`` the wave was opened with) and store the new ones; the
        source is handed the wave's survey reference (empty when it was never prepared)."""
        wave = self.wave(wave_id)
        source = self.source(wave.source)
        try:
            responses = list(source.responses(wave, self.survey_ref(wave_id) or ""))
        except E20KitError:
            raise
        except ValidationError as err:
            raise SurveyError(
                f"the source returned an invalid response: {err.errors()[0]['msg']}",
                source=wave.source,
                call="responses",
            ) from None
        except Exception as err:  # a plugin's bug: one typed error naming it, no traceback
            raise SurveyError(
                f"the source failed: {err.__class__.__name__}: {err}",
                source=wave.source,
                call="responses",
            ) from err
        odd = next((r for r in responses if not isinstance(r, SurveyResponse)), None)
        if odd is not None:
            raise SurveyError(
                f"the source returned {type(odd).__name__}; expected SurveyResponse",
                source=wave.source,
                call="responses",
            )
        with self.engine.begin() as conn:
            return survey_store.store_responses(conn, wave, responses)

    def source(self, name: str) -> SurveySource:
        """The survey source configured as ``[survey_sources.<name>]`` (its ``type`` defaults
        to ``name``), built with its validated settings and secrets."""
        stype = source_type(self.config, self.plugins, name)
        settings = self.config.plugin_settings("survey_sources", name, stype.settings)
        context = plugin_context(self.config, "survey_sources", name, settings, clock=self.clock)
        return stype.factory(dataclasses.replace(context, options={"questions": self.questions()}))

    # -- invitations -----------------------------------------------------------------------------

    def send(
        self,
        wave_id: str,
        *,
        source: str | None = None,
        dry_run: bool = False,
        remind: bool = False,
        now: dt.datetime | None = None,
    ) -> SendResult:
        """Invite everyone to wave ``wave_id`` (opening it in ``source`` when new), at most once
        per person; ``remind`` sends the reminders due instead (docs/survey.md)."""
        return send_wave(
            self.engine,
            self.config,
            self.plugins,
            self.clock,
            self._record,
            self.source,
            wave_id,
            source=source,
            dry_run=dry_run,
            remind=remind,
            now=now,
        )

    # -- results ---------------------------------------------------------------------------------

    def results(self, wave_id: str | None = None) -> SurveyResults:
        """The wave's scores as published (latest wave when ``None``): hidden cells ``None``,
        counts through the disclosure layer."""
        wave, rows, answered, sent = self._read(wave_id)
        layer = self._disclosure()
        return published_results(wave, rows, answered, sent, self.min_respondents, layer)

    def results_raw(self, wave_id: str | None = None) -> SurveyResults:
        """Exact scores of every cell: what the diagnosis reads; never print them."""
        wave, rows, answered, sent = self._read(wave_id)
        return raw_results(wave, rows, answered, sent, self.min_respondents)

    def _read(
        self, wave_id: str | None
    ) -> tuple[
        SurveyWave,
        list[survey_store.Tally],
        dict[tuple[str | None, str], int],
        dict[tuple[str | None, str], int],
    ]:
        wave = self.wave(wave_id)
        with self.engine.connect() as conn:
            return (
                wave,
                survey_store.tallies(conn, wave.wave_id),
                survey_store.respondents(conn, wave.wave_id),
                survey_store.invited(conn, wave.wave_id),
            )


__all__ = ["SurveyService", "source_type"]
