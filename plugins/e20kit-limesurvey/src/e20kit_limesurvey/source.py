"""The ``limesurvey`` survey source: an anonymised LimeSurvey survey per wave.

``prepare`` finds the wave's survey (``survey_id`` from the settings, else the one titled
``<title_prefix> <wave id>``) and checks it, or creates it from the questions, and activates it.
A survey that is not anonymised is refused: LimeSurvey would then keep which participant gave
which answer. ``responses`` exports the completed responses and checks their count against
LimeSurvey's own summary, so a cut-off export is an error, not a smaller wave.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlencode

from e20kit import DataSource, PluginContext, Reason, SurveySourceType
from e20kit.survey import REASONS, SurveyHandle, SurveyQuestion, SurveyResponse, SurveyWave

from .client import LimeSurveyClient, survey_error
from .lss import AUDIENCES, PRIVACY_PROPERTIES, ROLE_CODE, UNIT_CODE, build_lss, question_code
from .settings import LimeSurveySettings

MAX_UNIT_CHARS = 200
SCORES = {str(n): n for n in range(1, 6)}


class LimeSurveySource:
    """A :class:`e20kit.SurveySource` over one LimeSurvey server."""

    def __init__(self, context: PluginContext[LimeSurveySettings]) -> None:
        self.context = context
        self.settings = context.settings
        self.name = context.name

    def _client(self) -> LimeSurveyClient:
        session = self.context.http(secrets=(self.settings.password.get_secret_value(),))
        return LimeSurveyClient(self.settings, session, source=self.name)

    def title(self, wave: SurveyWave) -> str:
        return f"{self.settings.title_prefix} {wave.wave_id}"

    def prepare(
        self, wave: SurveyWave, questions: Sequence[SurveyQuestion], units: Sequence[str]
    ) -> SurveyHandle:
        """Find and check, or create, the wave's anonymised survey and open it for answers."""
        title = self.title(wave)
        with self._client() as client:
            sid = self.settings.survey_id
            if sid is None:
                found = client.find_survey(title)
                sid = (
                    found.sid if found else client.import_survey(build_lss(title, questions), title)
                )
            if not self._check(client, sid, questions):
                client.activate(sid)
        return SurveyHandle(survey_ref=str(sid), link=self._linker(sid, units))

    def _check(
        self, client: LimeSurveyClient, sid: int, questions: Sequence[SurveyQuestion]
    ) -> bool:
        """Refuse a survey that is not anonymised or lacks a question; True when active."""
        props = client.properties(sid, [*PRIVACY_PROPERTIES, "active"])
        if props.get("anonymized") != "Y":
            raise survey_error(
                self.name,
                "get_survey_properties",
                f"survey {sid} is not anonymised "
                f"(anonymized = {props.get('anonymized')!r}); LimeSurvey would link answers to "
                "participants. Turn on 'Anonymized responses' before activating it, or let "
                "e20kit create the survey",
            )
        missing = {ROLE_CODE, UNIT_CODE} | {question_code(q.audience, q.reason) for q in questions}
        missing -= client.question_codes(sid)
        if missing:
            raise survey_error(
                self.name,
                "list_questions",
                f"survey {sid} lacks the question codes "
                f"{', '.join(sorted(missing))} (see docs/connectors/limesurvey.md)",
            )
        return props.get("active") == "Y"

    def _linker(self, sid: int, units: Sequence[str]) -> Any:
        base = self.settings.survey_url(sid)
        allowed = frozenset(units)

        def link(unit: str | None, role: str, lang: str) -> str:
            """The survey's URL with role and language, and the unit only when allowed."""
            params = {"lang": lang, ROLE_CODE: role}
            if unit is not None and unit in allowed:
                params[UNIT_CODE] = unit
            return f"{base}?{urlencode(params)}"

        return link

    def responses(self, wave: SurveyWave, handle_ref: str) -> Iterable[SurveyResponse]:
        """Every completed response of the wave's survey (nothing half-read)."""
        call = "export_responses"
        try:
            sid = int(handle_ref) if handle_ref else None
        except ValueError:
            raise survey_error(
                self.name,
                call,
                f"{handle_ref!r} is not a LimeSurvey survey id",
            ) from None
        with self._client() as client:
            sid = sid or self.settings.survey_id
            if sid is None:  # never prepared: the wave's survey, if someone made it by hand
                found = client.find_survey(self.title(wave))
                if found is None:
                    return []
                sid = found.sid
            summary = client.summary(sid)
            rows = client.export_responses(sid)
        if len(rows) < summary.completed_responses:
            raise survey_error(
                self.name,
                call,
                f"the export holds {len(rows)} responses, "
                f"LimeSurvey's summary {summary.completed_responses}; nothing was read",
            )
        return [r for r in (self._response(row, call) for row in rows) if r is not None]

    def _response(self, row: dict[str, Any], call: str) -> SurveyResponse | None:
        role = row.get(ROLE_CODE)
        if role not in AUDIENCES:
            return None  # opened without the invitation's link: nobody to compare it with
        unit = row.get(UNIT_CODE) or None
        answers: dict[Reason, int | None] = {}
        for reason in REASONS:
            value = row.get(question_code(role, reason))
            if value in (None, ""):
                answers[reason] = None
            elif isinstance(value, str | int) and str(value) in SCORES:
                answers[reason] = SCORES[str(value)]
            else:
                raise survey_error(
                    self.name,
                    call,
                    f"response {row.get('id')!r} answers "
                    f"{question_code(role, reason)} with {str(value)[:40]!r}, not 1-5",
                )
        if unit is not None and (not isinstance(unit, str) or len(unit) > MAX_UNIT_CHARS):
            raise survey_error(
                self.name,
                call,
                f"response {row.get('id')!r} has no valid unit",
            )
        return SurveyResponse(response_id=str(row.get("id")), role=role, unit=unit, answers=answers)


DATA_SOURCES = (
    DataSource(
        endpoint="RemoteControl 2: list_surveys, get_survey_properties, list_questions, "
        "import_survey, activate_survey",
        scope="a LimeSurvey account that may create surveys (or read the one given)",
        data="the wave's survey: its title, settings (anonymised) and question codes; no person",
        scope_de="ein LimeSurvey-Konto, das Umfragen anlegen darf (oder die angegebene lesen)",
        data_de="die Umfrage der Welle: Titel, Einstellungen (anonymisiert) und Fragecodes; "
        "keine Person",
    ),
    DataSource(
        endpoint="RemoteControl 2: export_responses, get_summary",
        scope="read responses of that survey",
        data="anonymous answers 1-5 per reason with role (staff/leader) and unit (only units of "
        "at least k members); LimeSurvey's response counts. No name, token, IP or time",
        scope_de="Antworten dieser Umfrage lesen",
        data_de="anonyme Antworten 1-5 je Grund mit Rolle (Mitarbeitende/Führungskraft) und "
        "Einheit (nur Einheiten mit mindestens k Mitgliedern); die Antwortzahlen von "
        "LimeSurvey. Kein Name, Token, keine IP, keine Uhrzeit",
    ),
)

LIMESURVEY_SOURCE: SurveySourceType[LimeSurveySettings] = SurveySourceType(
    name="limesurvey",
    settings=LimeSurveySettings,
    factory=LimeSurveySource,
    description="Anonymised pulse surveys in LimeSurvey (RemoteControl 2 JSON-RPC)",
    description_de="Anonymisierte Pulsbefragungen in LimeSurvey (RemoteControl 2 JSON-RPC)",
    data_sources=DATA_SOURCES,
)

__all__ = ["DATA_SOURCES", "LIMESURVEY_SOURCE", "LimeSurveySource"]
