"""A LimeSurvey server that answers garbage: one SurveyError naming the plugin and the call.

``responses`` stands in for the server, so every shape a broken or hostile server could send is
tried: error statuses, HTML instead of JSON, an empty body, a body far too large, another
request's id, lists where objects belong, base64 that is not base64, JSON that is not JSON.
Nothing is half-read and no secret appears in an error.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
import responses
from e20kit_limesurvey.client import LimeSurveyClient
from e20kit_limesurvey.settings import LimeSurveySettings

from e20kit import SurveyError, make_session
from e20kit.http import HttpSettings

URL = "https://survey.example.org"
RPC = URL + "/index.php/admin/remotecontrol"
PASSWORD = "s3cret-limesurvey-pass"
KEY = "k" * 32

Result = Callable[[dict[str, Any]], Any]


def settings() -> LimeSurveySettings:
    return LimeSurveySettings(url=URL, username="e20kit", password=PASSWORD)


def client(max_mb: float = 1.0) -> LimeSurveyClient:
    http = HttpSettings(retries=0, max_response_mb=max_mb)
    session = make_session("pulse", settings=http, secrets=(PASSWORD,))
    return LimeSurveyClient(settings(), session, source="pulse")


@pytest.fixture
def server() -> Iterator[dict[str, Result | tuple[int, str]]]:
    """Method -> ``result(request) -> result`` or a raw ``(status, body)``; login and logout
    answer properly unless overridden."""
    answers: dict[str, Result | tuple[int, str]] = {
        "get_session_key": lambda _: KEY,
        "release_session_key": lambda _: "OK",
    }

    def reply(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        call = json.loads(request.body or "{}")
        answer = answers[call["method"]]
        if isinstance(answer, tuple):
            return answer[0], {}, answer[1]
        body = {"id": call["id"], "result": answer(call), "error": None}
        return 200, {"Content-Type": "application/json"}, json.dumps(body)

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_callback(responses.POST, RPC, callback=reply)
        yield answers


def _encoded(document: Any) -> str:
    return base64.b64encode(json.dumps(document).encode()).decode()


GARBAGE: dict[str, tuple[str, Result | tuple[int, str], str]] = {
    "server error": ("get_summary", (500, "<h1>oops</h1>"), "HTTP 500"),
    "html page": ("get_summary", (200, "<html>login</html>"), "non-JSON"),
    "empty body": ("get_summary", (200, ""), "RPC interface not enabled"),
    "error status": ("get_summary", lambda _: {"status": "No permission"}, "No permission"),
    "a list, not a summary": ("get_summary", lambda _: [1, 2], "result shape"),
    "counts that are words": (
        "get_summary",
        lambda _: {"completed_responses": "many"},
        "completed_responses",
    ),
    "a negative count": (
        "get_summary",
        lambda _: {"completed_responses": -3},
        "completed_responses",
    ),
    "json-rpc error": ("export_responses", (200, '{"id": 0, "result": null}'), "id"),
    "not base64": ("export_responses", lambda _: "%%% not base64 %%%", "not base64"),
    "base64 of text": (
        "export_responses",
        lambda _: base64.b64encode(b"Name;Answer").decode(),
        "not base64-encoded JSON",
    ),
    "no responses key": ("export_responses", lambda _: _encoded({"rows": []}), "'responses'"),
    "responses of strings": (
        "export_responses",
        lambda _: _encoded({"responses": ["a", "b"]}),
        "result shape",
    ),
    "a number, not the export": ("export_responses", lambda _: 42, "base64 string"),
}


@pytest.mark.parametrize("case", sorted(GARBAGE))
def test_garbage_is_one_typed_error_naming_the_call(
    server: dict[str, Result | tuple[int, str]], case: str
) -> None:
    call, answer, needle = GARBAGE[case]
    server[call] = answer
    server.setdefault("get_summary", lambda _: {"completed_responses": 1})
    with pytest.raises(SurveyError) as info, client() as lime:
        lime.summary(7)
        lime.export_responses(7)
    error = info.value
    assert error.call == call and error.source == "limesurvey:pulse"
    assert needle in str(error)
    assert PASSWORD not in str(error) and KEY not in str(error)


def test_a_result_of_the_wrong_shape_names_the_field_and_counts_the_rest(
    server: dict[str, Result | tuple[int, str]],
) -> None:
    """Worded as the core words a bad payload (``describe_validation_error``): the first
    failing field, how many more, never the value the server sent."""
    server["get_summary"] = lambda _: {"completed_responses": "many", "full_responses": -3}
    with pytest.raises(SurveyError) as info, client() as lime:
        lime.summary(7)
    assert str(info.value) == (
        "[limesurvey:pulse get_summary] unexpected result shape: completed_responses: "
        "Input should be a valid integer, unable to parse string as an integer (and 1 more)"
    )
    assert "many" not in str(info.value)


def test_a_body_over_the_cap_is_one_error(server: dict[str, Result | tuple[int, str]]) -> None:
    server["export_responses"] = lambda _: "A" * (2 * 1024 * 1024)
    with pytest.raises(SurveyError, match="export_responses") as info, client(1.0) as lime:
        lime.export_responses(7)
    assert "MiB" in str(info.value) or "large" in str(info.value)


def test_another_requests_id_is_refused(server: dict[str, Result | tuple[int, str]]) -> None:
    server["list_surveys"] = (200, json.dumps({"id": -1, "result": [], "error": None}))
    with pytest.raises(SurveyError, match="another request") as info, client() as lime:
        lime.find_survey("x")
    assert info.value.call == "list_surveys"


def test_the_session_key_is_released_after_an_error(
    server: dict[str, Result | tuple[int, str]],
) -> None:
    released: list[str] = []

    def release(call: dict[str, Any]) -> str:
        released.append(call["params"][0])
        return "OK"

    server["release_session_key"] = release
    server["list_questions"] = lambda _: {"status": "Error: Invalid survey ID"}
    with pytest.raises(SurveyError, match="Invalid survey ID"), client() as lime:
        lime.question_codes(7)
    assert released == [KEY]


def test_no_surveys_is_none_not_an_error(server: dict[str, Result | tuple[int, str]]) -> None:
    server["list_surveys"] = lambda _: {"status": "No surveys found"}
    with client() as lime:
        assert lime.find_survey("e20kit pulse 1") is None


def test_two_surveys_with_the_wave_title_are_refused(
    server: dict[str, Result | tuple[int, str]],
) -> None:
    rows = [{"sid": n, "surveyls_title": "e20kit pulse 1", "active": "Y"} for n in (4, 9)]
    server["list_surveys"] = lambda _: rows
    with pytest.raises(SurveyError, match="ids 4, 9"), client() as lime:
        lime.find_survey("e20kit pulse 1")


def test_limesurvey_6_flat_rows_and_5_wrapped_rows_read_alike(
    server: dict[str, Result | tuple[int, str]],
) -> None:
    flat = {"id": "1", "role": "staff", "stnotime": "4"}
    wrapped = {"2": {**flat, "id": "2"}}
    server["export_responses"] = lambda _: _encoded({"responses": [flat, wrapped]})
    with client() as lime:
        rows = lime.export_responses(7)
    assert [r["id"] for r in rows] == ["1", "2"]
    assert all(r["stnotime"] == "4" for r in rows)
