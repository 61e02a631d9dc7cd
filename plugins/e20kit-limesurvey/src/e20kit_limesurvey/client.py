"""The RemoteControl 2 calls e20kit makes, over ``citric``, each failure one ``SurveyError``.

``citric`` speaks the JSON-RPC protocol (session key, ``{"status": ...}`` error results) over the
``requests.Session`` it is given: here the core's :class:`~e20kit.HttpSession`, so timeouts, the
deadline per attempt, the cap on the body and redaction apply as for every connector. What
``citric`` does not do is check shapes (a list where a dict belongs is a ``KeyError`` there) or
decode base64 strictly, so every call goes through :meth:`LimeSurveyClient._call`, which turns
anything that goes wrong into one :class:`~e20kit.errors.SurveyError` naming the source and the
call, and every result is checked before it is used.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any, Self, TypeVar

import citric
import requests
from citric.exceptions import LimeSurveyError, LimeSurveyStatusError, ResponseMismatchError
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from e20kit import E20KitError, HttpSession, SurveyError, describe_validation_error, redact

from .settings import LimeSurveySettings

log = logging.getLogger(__name__)

PLUGIN = "limesurvey"
T = TypeVar("T")
EMPTY_STATUSES = ("No Data", "No Response", "No surveys found", "No questions found")
"""Statuses LimeSurvey answers instead of an empty list (``No Data, survey table does not
exist.``, ``No surveys found``...): nothing there yet, not an error."""


class _Row(BaseModel):
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)


class SurveyRow(_Row):
    """One entry of ``list_surveys``."""

    sid: int
    surveyls_title: str = ""
    active: str = "N"


class QuestionRow(_Row):
    """One entry of ``list_questions``."""

    title: str
    type: str = ""


class Summary(BaseModel):
    """``get_summary``: LimeSurvey's own response counts (strings on some versions)."""

    model_config = ConfigDict(extra="ignore")

    completed_responses: int = Field(default=0, ge=0)
    incomplete_responses: int = Field(default=0, ge=0)
    full_responses: int = Field(default=0, ge=0)


_SURVEYS = TypeAdapter(list[SurveyRow])
_QUESTIONS = TypeAdapter(list[QuestionRow])
_PROPERTIES = TypeAdapter(dict[str, str | int | None])
_SUMMARY = TypeAdapter(Summary)
_RESPONSES = TypeAdapter(list[dict[str, Any]])
_ID = TypeAdapter(int)


class LimeSurveyClient:
    """One RemoteControl 2 session: ``with LimeSurveyClient(...) as client: client.summary(1)``.

    Entering logs in (``get_session_key``); leaving releases the key (``release_session_key``)
    even after an error.
    """

    def __init__(self, settings: LimeSurveySettings, session: HttpSession, *, source: str) -> None:
        self.settings = settings
        self.http = session
        self.source = source
        self._client: citric.Client | None = None

    # -- the session -----------------------------------------------------------------------------

    def __enter__(self) -> Self:
        with self._call("get_session_key"):
            self._client = citric.Client(
                self.settings.rpc_url,
                self.settings.username,
                self.settings.password.get_secret_value(),
                requests_session=self.http,
                auth_plugin=self.settings.auth_plugin,
            )
        key = self._client.session.key
        if not isinstance(key, str) or not key:
            raise self._error("get_session_key", "the server sent no session key")
        self.http.add_secrets(key)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        try:
            with self._call("release_session_key"):
                client.session.release_session_key()
        except SurveyError as err:
            if exc is None:
                raise
            log.warning("%s", err)  # the error already on its way matters more
        finally:
            with contextlib.suppress(Exception):
                self.http.close()

    @property
    def rpc(self) -> citric.Client:
        if self._client is None:
            raise RuntimeError("LimeSurveyClient used outside its with block")
        return self._client

    # -- the calls ---------------------------------------------------------------------------------

    def find_survey(self, title: str) -> SurveyRow | None:
        """The survey titled ``title`` that this account can see (``list_surveys``)."""
        with self._call("list_surveys"):
            found = self._empty_or(self.rpc.session.list_surveys, None)
            rows = self._parse("list_surveys", _SURVEYS, found)
        matches = [row for row in rows if row.surveyls_title == title]
        if len(matches) > 1:
            ids = ", ".join(str(row.sid) for row in matches)
            raise self._error(
                "list_surveys",
                f"{len(matches)} surveys are titled {title!r} (ids {ids}); set survey_id",
            )
        return matches[0] if matches else None

    def properties(self, survey_id: int, names: Sequence[str]) -> dict[str, str | int | None]:
        """The survey's settings named ``names`` (``get_survey_properties``)."""
        with self._call("get_survey_properties"):
            result = self.rpc.session.get_survey_properties(survey_id, list(names))
            return self._parse("get_survey_properties", _PROPERTIES, result)

    def question_codes(self, survey_id: int) -> set[str]:
        """Every question code of the survey (``list_questions``)."""
        with self._call("list_questions"):
            found = self._empty_or(self.rpc.session.list_questions, survey_id)
            return {row.title for row in self._parse("list_questions", _QUESTIONS, found)}

    def import_survey(self, document: bytes, title: str) -> int:
        """Create a survey from an ``.lss`` document (``import_survey``); its new id."""
        with self._call("import_survey"):
            data = base64.b64encode(document).decode("ascii")
            result = self.rpc.session.import_survey(data, "lss", title, None)
            return self._parse("import_survey", _ID, result)

    def activate(self, survey_id: int) -> None:
        """Open the survey for answers (``activate_survey``)."""
        with self._call("activate_survey"):
            result = self.rpc.session.activate_survey(survey_id, None)
            if not isinstance(result, Mapping):
                raise self._error("activate_survey", "unexpected result shape: not an object")

    def summary(self, survey_id: int) -> Summary:
        """LimeSurvey's own counts of responses (``get_summary``)."""
        with self._call("get_summary"):
            result = self.rpc.session.get_summary(survey_id, "all")
            if isinstance(result, list) and not result:  # an inactive survey
                return Summary()
            return self._parse("get_summary", _SUMMARY, result)

    def export_responses(self, survey_id: int) -> list[dict[str, Any]]:
        """Completed responses as rows keyed by question code (``export_responses``, JSON)."""
        call = "export_responses"
        with self._call(call):
            encoded = self._empty_or(
                self.rpc.session.export_responses,
                *(survey_id, "json", None, "complete", "code", "short"),
            )
            if encoded == []:
                return []
            if not isinstance(encoded, str):
                raise self._error(call, "expected a base64 string")
            try:
                document = json.loads(base64.b64decode(encoded, validate=True))
            except (binascii.Error, ValueError) as err:
                raise self._error(call, f"the export is not base64-encoded JSON ({err})") from None
            if not isinstance(document, Mapping) or "responses" not in document:
                raise self._error(call, "the export has no 'responses' list")
            rows = self._parse(call, _RESPONSES, document["responses"])
            return [_flat(row) for row in rows]

    # -- checking and translating --------------------------------------------------------------

    @staticmethod
    def _empty_or(method: Callable[..., Any], *params: Any) -> Any:
        """``method(*params)``, or ``[]`` when LimeSurvey says there is nothing yet."""
        try:
            return method(*params)
        except LimeSurveyStatusError as err:
            if str(err).startswith(EMPTY_STATUSES):
                return []
            raise

    def _parse(self, call: str, adapter: TypeAdapter[T], result: Any) -> T:
        if isinstance(result, Mapping) and isinstance(result.get("status"), str):
            raise self._error(call, f"LimeSurvey answered status {result['status']!r}")
        try:
            return adapter.validate_python(result)
        except ValidationError as err:
            problem = describe_validation_error(err)  # _error redacts the secrets
            raise self._error(call, f"unexpected result shape: {problem}") from None

    def _error(self, call: str, message: str) -> SurveyError:
        return survey_error(self.source, call, redact(message, self._secrets()))

    def _secrets(self) -> tuple[str, ...]:
        return (*self.http.secrets, self.settings.password.get_secret_value())

    @contextlib.contextmanager
    def _call(self, call: str) -> Iterator[None]:
        """Turn whatever goes wrong in ``call`` into one SurveyError (never a raw exception)."""
        try:
            yield
        except SurveyError:
            raise
        except E20KitError as err:  # the HTTP layer's: transport, deadline, body too large
            message = err.message
        except LimeSurveyStatusError as err:
            message = f"LimeSurvey answered status {str(err)!r}"
        except requests.HTTPError as err:
            status = err.response.status_code if err.response is not None else "?"
            message = f"HTTP {status}"
        except ResponseMismatchError:
            message = "the response belongs to another request (JSON-RPC id mismatch)"
        except LimeSurveyError as err:
            message = str(err)
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            message = f"unexpected response shape ({type(err).__name__}: {err})"
        else:
            return
        raise self._error(call, message)


def survey_error(source: str, call: str, message: str) -> SurveyError:
    """The one error type of the plugin: ``[limesurvey:<source> <call>] <message>``."""
    return SurveyError(message, source=f"{PLUGIN}:{source}", call=call)


def _flat(row: Mapping[str, Any]) -> dict[str, Any]:
    """One exported response as a flat mapping: LimeSurvey up to 5 wraps each in
    ``{"<id>": {...}}``, 6 exports it flat."""
    if len(row) == 1:
        (only,) = row.values()
        if isinstance(only, Mapping):
            return dict(only)
    return dict(row)


__all__ = ["PLUGIN", "LimeSurveyClient", "QuestionRow", "Summary", "SurveyRow", "survey_error"]
