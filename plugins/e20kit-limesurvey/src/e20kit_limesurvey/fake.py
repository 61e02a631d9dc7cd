"""A loopback fake of exactly the RemoteControl 2 calls the plugin makes.

Written from LimeSurvey's ``remotecontrol_handle.php`` (the documented RemoteControl 2 API):
JSON-RPC 1.0 over ``POST /index.php/admin/remotecontrol``, the session key as first parameter of
every call but ``get_session_key``, failures as a *result* ``{"status": "..."}`` (a protocol
error as ``error``), ``export_responses`` as base64 of LimeSurvey's JSON export
(``{"responses": [{"<id>": {...}}]}``). Calls it serves: ``get_session_key``,
``release_session_key``, ``list_surveys``, ``get_survey_properties``, ``list_questions``,
``import_survey``, ``activate_survey``, ``get_summary``, ``export_responses``; anything else is
``{"error": "... not available"}``, so a plugin that starts calling more is caught by its tests.

Tests and the demo add answers with :meth:`LimeSurveyFake.add_responses`, or give ``answers``, a
function that answers for the organisation once a survey is activated (the sandbox does).
"""

from __future__ import annotations

import base64
import itertools
import json
import secrets
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from e20kit.sandbox import Fake, LoopbackServer, Request, Response, Router

from .settings import RPC_PATH

USERNAME = "e20kit"
PASSWORD = "fake-limesurvey-password"  # the fake's own, never a real one
SUBMITDATE = "1980-01-01 00:00:00"
"""What LimeSurvey stores as ``submitdate`` of an anonymised survey without datestamps."""

Answers = Callable[["FakeSurvey"], Iterable[Mapping[str, Any]]]
"""``answers(survey) -> rows`` keyed by question code, e.g. ``{"role": "staff", "stnotime": 4}``."""


@dataclass
class FakeSurvey:
    """One survey on the fake server."""

    sid: int
    title: str
    questions: dict[str, str]
    """Question code -> LimeSurvey question type."""
    properties: dict[str, str] = field(default_factory=dict)
    active: bool = False
    responses: list[dict[str, Any]] = field(default_factory=list)
    answered: bool = False
    """``answers`` already ran for this survey."""


def parse_lss(document: bytes) -> tuple[str, dict[str, str], dict[str, str]]:
    """(title, question code -> type, survey properties) of an ``.lss`` document."""
    root = ET.fromstring(document)  # what the plugin built
    if root.tag != "document" or root.findtext("LimeSurveyDocType") != "Survey":
        raise ValueError("not a LimeSurvey survey structure document")
    title = root.findtext("surveys_languagesettings/rows/row/surveyls_title") or ""
    questions = {
        row.findtext("title") or "": row.findtext("type") or ""
        for row in root.iterfind("questions/rows/row")
        if (row.findtext("parent_qid") or "0") == "0"
    }
    survey = root.find("surveys/rows/row")
    properties = {child.tag: child.text or "" for child in survey} if survey is not None else {}
    return title, questions, properties


class LimeSurveyFake(Fake):
    """``with LimeSurveyFake() as fake: fake.url`` -- one LimeSurvey server on 127.0.0.1."""

    def __init__(
        self,
        *,
        username: str = USERNAME,
        password: str = PASSWORD,
        answers: Answers | None = None,
    ) -> None:
        self.username = username
        self.password = password
        self.answers = answers
        self.surveys: dict[int, FakeSurvey] = {}
        self.calls: list[str] = []
        """RPC method names in the order they arrived."""
        self.issued: list[str] = []
        """Every session key handed out (tests check none leaks)."""
        self.overrides: dict[str, Callable[[Request], Response]] = {}
        """Method name -> what to answer instead (hostile tests)."""
        self._keys: set[str] = set()
        self._ids = itertools.count(100001)
        self._lock = threading.Lock()
        router = Router()
        router.add("POST", RPC_PATH, self._rpc)
        self.server = LoopbackServer(router)

    @classmethod
    def from_org(cls, org: Any, answers: Answers | None = None) -> LimeSurveyFake:
        """A fake whose surveys the synthetic organisation answers once they are activated."""
        from .answers import org_answers

        return cls(answers=answers or org_answers(org))

    @property
    def url(self) -> str:
        return self.server.url

    def stop(self) -> None:
        self.server.stop()

    # -- what tests set up ------------------------------------------------------------------------

    def add_survey(
        self,
        title: str,
        codes: Iterable[str],
        *,
        anonymized: str = "Y",
        active: bool = True,
        **properties: str,
    ) -> int:
        """A survey made by hand in LimeSurvey (``codes`` as 1-5 questions); its id."""
        with self._lock:
            sid = next(self._ids)
            self.surveys[sid] = FakeSurvey(
                sid,
                title,
                {code: "5" for code in codes},
                {"anonymized": anonymized, **properties},
                active=active,
            )
        return sid

    def add_responses(
        self, sid: int, rows: Iterable[Mapping[str, Any]], *, complete: bool = True
    ) -> None:
        """Responses to survey ``sid``, keyed by question code; incomplete ones have no
        ``submitdate`` and are left out of ``complete`` exports."""
        with self._lock:
            _append(self.surveys[sid], rows, complete=complete)

    # -- the JSON-RPC endpoint ---------------------------------------------------------------------

    def _rpc(self, request: Request) -> Response:
        try:
            body = request.json()
            method, params, rid = body["method"], list(body["params"]), body["id"]
        except (ValueError, KeyError, TypeError):
            return Response.json({"id": None, "result": None, "error": "Invalid request"})
        self.calls.append(str(method))
        override = self.overrides.get(str(method))
        if override is not None:
            return override(request)
        handler = _METHODS.get(str(method))
        if handler is None:
            error = f"method {method} not available"
            return Response.json({"id": rid, "result": None, "error": error})
        if method != "get_session_key" and (not params or params[0] not in self._keys):
            return Response.json({"id": rid, "result": {"status": "Invalid session key"}})
        with self._lock:
            result = handler(self, *params)
        return Response.json({"id": rid, "result": result, "error": None})

    def _session_key(self, username: str, password: str, plugin: str = "Authdb") -> Any:
        if (username, password) != (self.username, self.password) or plugin != "Authdb":
            return {"status": "Invalid user name or password"}
        key = secrets.token_hex(16)
        self._keys.add(key)
        self.issued.append(key)
        return key

    def _release(self, key: str) -> Any:
        self._keys.discard(key)
        return "OK"

    def _list_surveys(self, _key: str, username: str | None = None, group: Any = None) -> Any:
        if not self.surveys:
            return {"status": "No surveys found"}
        return [
            {
                "sid": str(s.sid),
                "surveyls_title": s.title,
                "startdate": None,
                "expires": None,
                "active": "Y" if s.active else "N",
            }
            for s in self.surveys.values()
        ]

    def _survey(self, sid: Any) -> FakeSurvey | None:
        try:
            return self.surveys.get(int(sid))
        except (TypeError, ValueError):
            return None

    def _properties(self, _key: str, sid: Any, names: list[str] | None = None) -> Any:
        survey = self._survey(sid)
        if survey is None:
            return {"status": "Error: Invalid survey ID"}
        values = {**survey.properties, "sid": str(survey.sid), "active": _yn(survey.active)}
        wanted = [n for n in names or list(values) if n in values]
        if not wanted:
            return {"status": "No valid Data"}
        return {name: values[name] for name in wanted}

    def _list_questions(self, _key: str, sid: Any, gid: Any = None, lang: Any = None) -> Any:
        survey = self._survey(sid)
        if survey is None:
            return {"status": "Error: Invalid survey ID"}
        if not survey.questions:
            return {"status": "No questions found"}
        return [
            {"qid": str(n), "title": code, "type": kind, "sid": str(survey.sid)}
            for n, (code, kind) in enumerate(survey.questions.items(), start=1)
        ]

    def _import_survey(
        self, _key: str, data: str, kind: str, name: str | None = None, dest: Any = None
    ) -> Any:
        if kind not in ("lsa", "csv", "txt", "lss"):
            return {"status": "Invalid extension"}
        try:
            title, questions, props = parse_lss(base64.b64decode(data, validate=True))
        except (ValueError, ET.ParseError) as err:
            return {"status": f"Error: {err}"}
        sid = next(self._ids)
        props.pop("sid", None)
        props.pop("active", None)
        self.surveys[sid] = FakeSurvey(sid, name or title, questions, props)
        return sid

    def _activate(self, _key: str, sid: Any, options: Any = None) -> Any:
        survey = self._survey(sid)
        if survey is None:
            return {"status": "Error: Invalid survey ID"}
        survey.active = True
        return {"status": "OK", "pluginFeedback": []}

    def _answer_now(self, survey: FakeSurvey) -> None:
        """The organisation answers an active survey the first time anyone reads it."""
        if self.answers is None or survey.answered or not survey.active:
            return
        survey.answered = True
        _append(survey, self.answers(survey), complete=True)

    def _summary(self, _key: str, sid: Any, stat: str = "all") -> Any:
        survey = self._survey(sid)
        if survey is None:
            return {"status": "Invalid surveyid"}
        if not survey.active:
            return []
        self._answer_now(survey)
        done = sum(r["submitdate"] is not None for r in survey.responses)
        summary = {
            "completed_responses": str(done),
            "incomplete_responses": str(len(survey.responses) - done),
            "full_responses": str(len(survey.responses)),
        }
        return summary if stat == "all" else summary.get(stat, {"status": "Invalid summary key"})

    def _export(
        self,
        _key: str,
        sid: Any,
        doc_type: str,
        lang: Any = None,
        completion: str = "all",
        heading: str = "code",
        response_type: str = "short",
        *_rest: Any,
    ) -> Any:
        survey = self._survey(sid)
        if survey is None or not survey.active:
            return {"status": "No Data, survey table does not exist."}
        self._answer_now(survey)
        if doc_type != "json" or heading != "code":
            return {"status": "Invalid format"}
        rows = [
            r
            for r in survey.responses
            if completion == "all" or (r["submitdate"] is not None) == (completion == "complete")
        ]
        if not rows:
            return {"status": "No Response found."}
        document = {"responses": [{str(r["id"]): _exported(r)} for r in rows]}
        return base64.b64encode(json.dumps(document).encode()).decode()


def _append(survey: FakeSurvey, rows: Iterable[Mapping[str, Any]], *, complete: bool) -> None:
    for row in rows:
        rid = len(survey.responses) + 1
        survey.responses.append(
            {
                "id": rid,
                "submitdate": SUBMITDATE if complete else None,
                "lastpage": 1,
                "startlanguage": row.get("lang", "en"),
                "seed": str(1000 + rid),
                **{code: None for code in survey.questions},
                **{k: _answer(v) for k, v in row.items() if k in survey.questions},
            }
        )


def _answer(value: Any) -> Any:
    return None if value is None else str(value)


def _exported(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (str(v) if isinstance(v, int) else v) for k, v in row.items()}


def _yn(flag: bool) -> str:
    return "Y" if flag else "N"


_METHODS: dict[str, Callable[..., Any]] = {
    "get_session_key": LimeSurveyFake._session_key,
    "release_session_key": LimeSurveyFake._release,
    "list_surveys": LimeSurveyFake._list_surveys,
    "get_survey_properties": LimeSurveyFake._properties,
    "list_questions": LimeSurveyFake._list_questions,
    "import_survey": LimeSurveyFake._import_survey,
    "activate_survey": LimeSurveyFake._activate,
    "get_summary": LimeSurveyFake._summary,
    "export_responses": LimeSurveyFake._export,
}

__all__ = ["PASSWORD", "USERNAME", "Answers", "FakeSurvey", "LimeSurveyFake", "parse_lss"]
