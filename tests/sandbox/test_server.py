"""The loopback harness: routing, fault injection, latency, concurrency and clean shutdown."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from e20kit.sandbox import FaultPlan, LoopbackServer, Request, Response, Router


def _app() -> Router:
    router = Router()

    @router.route("GET", "/api/v4/users/{user_id}")
    def user(req: Request, user_id: str) -> Response:
        return Response.json({"id": user_id, "page": req.arg("page", "0")})

    @router.route("POST", "/api/v4/posts")
    def post(req: Request) -> Response:
        return Response.json({"got": req.json(), "ct": req.headers.get("content-type")}, 201)

    @router.route("GET", "/boom")
    def boom(req: Request) -> Response:
        raise RuntimeError("broken fake")

    return router


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer(_app()) as srv:
        yield srv


def _loopback_threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.name.startswith("e20kit-loopback")}


def test_routes_params_query_and_json_body(server: LoopbackServer) -> None:
    assert server.url.startswith("http://127.0.0.1:")
    got = requests.get(f"{server.url}/api/v4/users/a%20b?page=3", timeout=5)
    assert got.status_code == 200
    assert got.json() == {"id": "a b", "page": "3"}
    posted = requests.post(f"{server.url}/api/v4/posts", json={"message": "hi"}, timeout=5)
    assert posted.status_code == 201
    assert posted.json() == {"got": {"message": "hi"}, "ct": "application/json"}


def test_unknown_path_is_404_json_and_wrong_method_is_405(server: LoopbackServer) -> None:
    missing = requests.get(f"{server.url}/api/v4/nothing", timeout=5)
    assert missing.status_code == 404
    assert missing.json()["status_code"] == 404
    wrong = requests.delete(f"{server.url}/api/v4/users/x", timeout=5)
    assert wrong.status_code == 405
    assert wrong.headers["Allow"] == "GET"


def test_handler_exception_answers_500(server: LoopbackServer) -> None:
    got = requests.get(f"{server.url}/boom", timeout=5)
    assert got.status_code == 500
    assert "broken fake" in got.json()["detail"]


def test_custom_error_body_and_include_with_prefix() -> None:
    inner = Router()
    inner.add("GET", "/ping", lambda req: Response.text("pong"))
    outer = Router(error=lambda req, status, msg: Response.json({"id": "api.x", "m": msg}, status))
    outer.include(inner, prefix="/v1")
    with LoopbackServer(outer) as srv:
        assert requests.get(f"{srv.url}/v1/ping", timeout=5).text == "pong"
        assert requests.get(f"{srv.url}/ping", timeout=5).json() == {
            "id": "api.x",
            "m": "not found",
        }


def test_duplicate_route_is_rejected() -> None:
    router = Router()
    router.add("GET", "/x", lambda req: Response())
    with pytest.raises(ValueError, match="duplicate"):
        router.add("get", "/x", lambda req: Response())


def test_a_plain_function_is_an_app_and_requests_are_logged() -> None:
    with LoopbackServer(lambda req: Response.text(req.method)) as srv:
        assert requests.put(f"{srv.url}/a?b=1&b=2", timeout=5).text == "PUT"
        assert srv.requests == [("PUT", "/a", {"b": ["1", "2"]}, 200)]
        srv.reset_log()
        assert srv.requests == []


def test_only_loopback_is_accepted() -> None:
    with pytest.raises(ValueError):
        LoopbackServer(_app(), host="0.0.0.0")


def _faulted(server: LoopbackServer, kind: str, **plan: float) -> None:
    server.faults = FaultPlan(rate=1.0, kinds=(kind,), **plan)  # type: ignore[arg-type]


def test_429_is_plain_text_with_retry_after(server: LoopbackServer) -> None:
    _faulted(server, "429", retry_after_s=2.0)
    got = requests.get(f"{server.url}/api/v4/users/u", timeout=5)
    assert got.status_code == 429
    assert got.text == "Too Many Requests"
    assert got.headers["Retry-After"] == "2"
    assert got.headers["Content-Type"].startswith("text/plain")


def test_5xx_is_503(server: LoopbackServer) -> None:
    _faulted(server, "5xx")
    assert requests.get(f"{server.url}/api/v4/users/u", timeout=5).status_code == 503


def test_reset_is_a_connection_error(server: LoopbackServer) -> None:
    _faulted(server, "reset")
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{server.url}/api/v4/users/u", timeout=5)
    assert server.requests[-1].status == 0


def test_truncated_body_is_an_incomplete_read(server: LoopbackServer) -> None:
    _faulted(server, "truncated")
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        requests.get(f"{server.url}/api/v4/users/some-long-identifier", timeout=5)


def test_slow_answers_after_the_delay(server: LoopbackServer) -> None:
    _faulted(server, "slow", slow_s=0.2)
    start = time.monotonic()
    got = requests.get(f"{server.url}/api/v4/users/u", timeout=5)
    assert time.monotonic() - start >= 0.2
    assert got.json()["id"] == "u"
    assert server.injected == {"slow": 1}
    server.reset_log()
    assert server.injected == {}


def test_a_handler_returning_something_else_answers_500() -> None:
    with LoopbackServer(lambda req: {"not": "a response"}) as srv:  # type: ignore[arg-type,return-value]
        got = requests.get(f"{srv.url}/x", timeout=5)
    assert got.status_code == 500
    assert "not a Response" in got.json()["detail"]


def test_latency_is_added_to_every_request(server: LoopbackServer) -> None:
    server.faults = FaultPlan(latency_s=0.05)
    with requests.Session() as session:
        start = time.monotonic()
        for _ in range(3):
            assert session.get(f"{server.url}/api/v4/users/u", timeout=5).ok
        assert time.monotonic() - start >= 0.15


def test_never_two_faults_in_a_row(server: LoopbackServer) -> None:
    server.faults = FaultPlan(rate=1.0, kinds=("429", "5xx"))
    with requests.Session() as session:
        statuses = [
            session.get(f"{server.url}/api/v4/users/{i}", timeout=5).status_code for i in range(20)
        ]
    assert all(not (a != 200 and b != 200) for a, b in itertools.pairwise(statuses))
    assert statuses.count(200) == 10


def _statuses(seed: int) -> list[int]:
    plan = FaultPlan(rate=0.3, kinds=("429", "5xx"), seed=seed)
    with LoopbackServer(_app(), faults=plan) as srv, requests.Session() as session:
        return [
            session.get(f"{srv.url}/api/v4/users/{i}", timeout=5).status_code for i in range(60)
        ]


def test_faults_are_deterministic_from_the_seed() -> None:
    first = _statuses(seed=3)
    assert first == _statuses(seed=3)
    assert first != _statuses(seed=4)
    assert 5 <= sum(s != 200 for s in first) <= 30


ALL_KINDS = ("429", "5xx", "reset", "slow", "truncated")


def _retry() -> Retry:
    return Retry(
        total=10,
        backoff_factor=0,
        status_forcelist=(429, 503),
        allowed_methods=None,
        respect_retry_after_header=True,
    )


def test_urllib3_retries_get_every_request_through(server: LoopbackServer) -> None:
    server.faults = FaultPlan(rate=0.5, kinds=ALL_KINDS, retry_after_s=0, slow_s=0.01, seed=11)
    with urllib3.PoolManager(retries=_retry(), timeout=5) as pool:
        for i in range(40):
            got = pool.request("GET", f"{server.url}/api/v4/users/{i}")
            assert got.status == 200
            assert got.json()["id"] == str(i)
    assert {r.status for r in server.requests} >= {0, 429, 503}


def test_requests_with_retries_gets_through_status_and_connection_faults(
    server: LoopbackServer,
) -> None:
    # requests reads bodies outside urllib3's retry loop: a truncated body surfaces as
    # ChunkedEncodingError, which connectors must retry themselves (see docs/sandbox.md).
    server.faults = FaultPlan(rate=0.5, kinds=("429", "5xx", "reset"), retry_after_s=0, seed=5)
    with requests.Session() as session:
        session.mount("http://", HTTPAdapter(max_retries=_retry()))
        for i in range(40):
            got = session.post(f"{server.url}/api/v4/posts", json={"n": i}, timeout=5)
            assert got.status_code == 201
            assert got.json()["got"] == {"n": i}


def test_faults_can_be_limited_to_path_prefixes(server: LoopbackServer) -> None:
    server.faults = FaultPlan(rate=1.0, kinds=("5xx",), paths=("/api/v4/posts",))
    with requests.Session() as session:
        for _ in range(5):
            assert session.get(f"{server.url}/api/v4/users/u", timeout=5).status_code == 200
        assert session.post(f"{server.url}/api/v4/posts", json={}, timeout=5).status_code == 503


def test_fault_plan_validates_kinds() -> None:
    with pytest.raises(ValueError, match="unknown fault kinds"):
        FaultPlan(rate=0.1, kinds=("teapot",))
    with pytest.raises(ValueError):
        FaultPlan(rate=1.5)


def test_concurrent_requests(server: LoopbackServer) -> None:
    def fetch(i: int) -> str:
        with requests.Session() as session:
            return str(session.get(f"{server.url}/api/v4/users/{i}", timeout=10).json()["id"])

    with ThreadPoolExecutor(max_workers=16) as pool:
        ids = list(pool.map(fetch, range(200)))
    assert ids == [str(i) for i in range(200)]
    assert len(server.requests) == 200


def test_stop_joins_threads_even_with_open_keep_alive_connections() -> None:
    before = _loopback_threads()
    srv = LoopbackServer(_app(), faults=FaultPlan(latency_s=0.01))
    session = requests.Session()
    for i in range(3):
        assert session.get(f"{srv.url}/api/v4/users/{i}", timeout=5).ok
    assert len(_loopback_threads() - before) >= 2  # the serve loop and a keep-alive worker
    srv.stop()
    srv.stop()  # idempotent
    assert _loopback_threads() - before == set()
    session.close()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{srv.url}/api/v4/users/x", timeout=2)
