"""The shared HTTP layer: timeouts, retries, pacing, concurrency, redaction, error mapping.

``responses`` covers what it can emulate; a loopback server (port 0, background thread) covers
connection resets, ``Retry-After`` sleeps and pacing, which ``responses`` bypasses. Time is always
a fake clock: no test asserts wall-clock durations.
"""

from __future__ import annotations

import email.utils
import json
import logging
import socket
import struct
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import quote

import pytest
import requests
import responses

from e20kit import (
    ConnectorAuthError,
    ConnectorFatalError,
    ConnectorRateLimitError,
    ConnectorRetriableError,
    __version__,
)
from e20kit.http import (
    HttpSession,
    HttpSettings,
    RateAdvice,
    RatePolicy,
    ServerPacer,
    TokenBucket,
    describe_endpoint,
    json_or_error,
    make_session,
    raise_for_status,
    redact,
)
from e20kit.http.pacing import WaitTooLong

TOKEN = "s3cr3t-TOKEN-4711"
BASE = "https://mm.example.test"
FAST = HttpSettings(retries=3, backoff_factor=0.0, timeout_s=5.0)


class FakeClock:
    """Monotonic and wall clocks that only move when something sleeps."""

    def __init__(self, wall: float = 1_800_000_000.0) -> None:
        self.now = 0.0
        self.wall = wall
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def monotonic(self) -> float:
        with self._lock:
            return self.now

    def time(self) -> float:
        with self._lock:
            return self.wall + self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def session_with(clock: FakeClock, **kwargs: Any) -> HttpSession:
    kwargs.setdefault("settings", FAST)
    return make_session(
        "mm", sleep=clock.sleep, clock=clock.monotonic, wall_clock=clock.time, **kwargs
    )


# --- loopback server -------------------------------------------------------------------------

Reply = tuple[int, dict[str, str], bytes] | str  # (status, headers, body) or "reset"


@dataclass
class Loopback:
    """Answers each request with the next scripted reply (the last one repeats)."""

    replies: list[Reply] = field(default_factory=list)
    hold_s: float = 0.0
    paths: list[str] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def next_reply(self, path: str) -> Reply:
        with self.lock:
            self.paths.append(path)
            index = min(len(self.paths), len(self.replies)) - 1
            return self.replies[index] if self.replies else (200, {}, b"{}")


def _handler(state: Loopback) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            reply = state.next_reply(self.path)
            # Counted only while the client must still be waiting for us, so the count can
            # never exceed the number of requests the client has in flight.
            with state.lock:
                state.in_flight += 1
                state.max_in_flight = max(state.max_in_flight, state.in_flight)
            if state.hold_s:
                threading.Event().wait(state.hold_s)
            with state.lock:
                state.in_flight -= 1
            if reply == "reset":
                # SO_LINGER 0: close() sends RST, a real "connection reset by peer".
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
                self.connection.close()
                self.close_connection = True
                return
            assert not isinstance(reply, str)
            status, headers, body = reply
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_GET

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that time out or hang up on purpose are expected here, not worth a traceback."""


@pytest.fixture
def loopback() -> Iterator[Loopback]:
    state = Loopback()
    server = _QuietServer(("127.0.0.1", 0), _handler(state))
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def ok(data: Any = None, **headers: str) -> Reply:
    return (200, {"Content-Type": "application/json", **headers}, json.dumps(data or {}).encode())


# --- session basics --------------------------------------------------------------------------


@responses.activate
def test_every_request_has_the_default_timeout_user_agent_and_base_url() -> None:
    responses.get(f"{BASE}/wiki/api/v4/users", json=[])
    session = make_session("mm", settings=HttpSettings(timeout_s=7.5), base_url=f"{BASE}/wiki/")
    session.get("/api/v4/users")
    call = responses.calls[0]
    assert call.request.req_kwargs["timeout"] == 7.5  # type: ignore[attr-defined]
    assert call.request.headers["User-Agent"] == f"e20kit/{__version__}"
    assert session.url("api/v4/users") == f"{BASE}/wiki/api/v4/users"
    assert session.url("https://other.test/next?page=2") == "https://other.test/next?page=2"


@responses.activate
def test_an_explicit_timeout_wins_and_a_missing_read_timeout_is_filled_in() -> None:
    responses.get(f"{BASE}/x", json={})
    session = make_session("mm", settings=HttpSettings(timeout_s=9), base_url=BASE)
    session.get("/x", timeout=2)
    session.get("/x", timeout=(1, None))
    timeouts = [c.request.req_kwargs["timeout"] for c in responses.calls]  # type: ignore[attr-defined]
    assert timeouts == [2, (1, 9)]


def test_tls_verification_follows_settings_and_is_on_by_default() -> None:
    assert make_session("mm").verify is True
    assert make_session("mm", settings=HttpSettings(verify_tls="/ca.pem")).verify == "/ca.pem"


def test_read_timeout_surfaces_as_retriable_error(loopback: Loopback) -> None:
    loopback.replies = [ok()]
    loopback.hold_s = 1.0
    session = make_session("mm", settings=HttpSettings(timeout_s=0.05, retries=0))
    with pytest.raises(ConnectorRetriableError) as info:
        session.get(f"{loopback.url}/slow")
    assert "timed out" in str(info.value)
    assert info.value.connector == "mm"  # type: ignore[attr-defined]


# --- retries ---------------------------------------------------------------------------------


@responses.activate
def test_5xx_is_retried_then_succeeds() -> None:
    url = f"{BASE}/api/v4/users"
    responses.get(url, status=503)
    responses.get(url, status=502)
    responses.get(url, json=[{"id": "u1"}])
    session = make_session("mm", settings=FAST, base_url=BASE)
    assert session.get_json("/api/v4/users") == [{"id": "u1"}]
    assert len(responses.calls) == 3


@responses.activate
def test_5xx_after_retries_is_a_retriable_error_with_the_final_response() -> None:
    responses.get(f"{BASE}/x", status=500, body="boom")
    session = make_session("mm", settings=HttpSettings(retries=2), base_url=BASE)
    response = session.get("/x")  # raise_on_status=False: the last response comes back
    assert response.status_code == 500
    assert len(responses.calls) == 3
    with pytest.raises(ConnectorRetriableError, match=r"HTTP 500"):
        raise_for_status(response)


@responses.activate
def test_post_is_not_retried_unless_allowed() -> None:
    responses.post(f"{BASE}/hook", status=503)
    make_session("mm", settings=FAST, base_url=BASE).post("/hook")
    assert len(responses.calls) == 1
    responses.calls.reset()
    allowed = {"GET", "POST"}
    make_session("mm", settings=FAST, base_url=BASE, allowed_methods=allowed).post("/hook")
    assert len(responses.calls) == 4


def test_429_retry_after_seconds_is_honoured(loopback: Loopback, clock: FakeClock) -> None:
    loopback.replies = [(429, {"Retry-After": "7"}, b""), ok({"id": "me"})]
    session = session_with(clock)
    assert session.get_json(f"{loopback.url}/api/v4/users/me") == {"id": "me"}
    assert clock.sleeps == [7.0]
    assert len(loopback.paths) == 2


def test_429_retry_after_http_date_is_honoured(loopback: Loopback, clock: FakeClock) -> None:
    when = email.utils.formatdate(clock.time() + 30, usegmt=True)
    loopback.replies = [(429, {"Retry-After": when}, b""), ok()]
    session_with(clock).get_json(f"{loopback.url}/x")
    assert clock.sleeps == [pytest.approx(30.0, abs=1.0)]


def test_retry_after_beyond_backoff_max_is_a_typed_error_not_a_stall(
    loopback: Loopback, clock: FakeClock
) -> None:
    """Issue 25: a reset far in the future made every request wait backoff_max_s, silently."""
    loopback.replies = [(503, {"Retry-After": "3600"}, b""), ok()]
    settings = HttpSettings(retries=2, backoff_max_s=45)
    with pytest.raises(ConnectorRateLimitError, match="Retry-After asks for a 3600 s wait") as info:
        session_with(clock, settings=settings).get_json(f"{loopback.url}/x")
    assert clock.sleeps == [] and info.value.header == "Retry-After"
    assert info.value.exit_code == 6 and "backoff_max_s = 45" in str(info.value)


def test_garbage_retry_after_falls_back_to_backoff(loopback: Loopback, clock: FakeClock) -> None:
    loopback.replies = [(429, {"Retry-After": "soon-ish"}, b""), ok()]
    session_with(clock).get_json(f"{loopback.url}/x")
    assert len(loopback.paths) == 2


def test_backoff_grows_and_respects_the_cap(loopback: Loopback, clock: FakeClock) -> None:
    loopback.replies = [(500, {}, b"")] * 4 + [ok()]
    settings = HttpSettings(retries=4, backoff_factor=1.0, backoff_max_s=3.0)
    session_with(clock, settings=settings).get_json(f"{loopback.url}/x")
    # urllib3: first retry at once, then factor * 2**(n-1) plus up to `factor` of jitter, capped.
    assert len(clock.sleeps) == 3
    assert 2.0 <= clock.sleeps[0] <= 3.0
    assert clock.sleeps[1:] == [3.0, 3.0]


def test_connection_reset_is_retried(loopback: Loopback, clock: FakeClock) -> None:
    loopback.replies = ["reset", ok({"ok": True})]
    assert session_with(clock).get_json(f"{loopback.url}/x") == {"ok": True}
    assert len(loopback.paths) == 2


def test_connection_reset_every_time_is_a_retriable_error(
    loopback: Loopback, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    loopback.replies = ["reset"]
    with pytest.raises(ConnectorRetriableError) as info:
        session_with(clock).get(f"{loopback.url}/api/v4/users?token={TOKEN}")
    err = info.value
    assert str(err).startswith(f"[mm {loopback.url}/api/v4/users?token=***]")
    assert TOKEN not in str(err) and TOKEN not in repr(err)
    assert err.__cause__ is None and err.__context__ is None
    assert "Retrying" in caplog.text  # urllib3's own line, which quotes the URL...
    assert TOKEN not in caplog.text  # ...passes through the redacting filter
    assert len(loopback.paths) == FAST.retries + 1


def test_retries_are_counted_and_never_warned_about(
    loopback: Loopback, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    loopback.replies = ["reset", (503, {}, b""), ok({"ok": True})]
    session = session_with(clock)
    caplog.set_level(logging.INFO)
    assert session.get_json(f"{loopback.url}/x") == {"ok": True}
    assert session.retry_count == 2
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    caplog.clear()
    caplog.set_level(logging.DEBUG)
    loopback.paths.clear()
    session.get_json(f"{loopback.url}/x")
    retrying = [r for r in caplog.records if r.getMessage().startswith("Retrying (")]
    assert retrying and all(r.levelno == logging.DEBUG for r in retrying)
    assert session.retry_count == 4


def test_refused_connection_names_connector_and_endpoint() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    session = make_session("confluence", settings=HttpSettings(retries=0))
    with pytest.raises(ConnectorRetriableError) as info:
        session.get(f"http://user:{TOKEN}@127.0.0.1:{port}/rest/api?access_token={TOKEN}")
    message = str(info.value)
    assert message.startswith(f"[confluence http://127.0.0.1:{port}/rest/api?access_token=***]")
    assert TOKEN not in message and TOKEN not in repr(info.value)


# --- error mapping ---------------------------------------------------------------------------

MATTERMOST_401 = {
    "id": "api.context.session_expired.app_error",
    "message": "Invalid or expired session, please login again.",
    "detailed_error": "",
    "request_id": "ye4mbq9hq3ndzbx8zsm6zz3ewr",
    "status_code": 401,
}


@responses.activate
@pytest.mark.parametrize("status", [401, 403])
def test_auth_statuses_map_to_auth_error_with_mattermost_fields(status: int) -> None:
    responses.get(f"{BASE}/api/v4/users", status=status, json=MATTERMOST_401)
    session = make_session("mm", base_url=BASE)
    with pytest.raises(ConnectorAuthError) as info:
        session.get_json("/api/v4/users", params={"page": 0})
    message = str(info.value)
    assert message.startswith(f"[mm {BASE}/api/v4/users?page=0]")
    assert f"(HTTP {status})" in message
    assert "api.context.session_expired.app_error" in message
    assert "ye4mbq9hq3ndzbx8zsm6zz3ewr" in message
    assert info.value.status == status  # type: ignore[attr-defined]


@responses.activate
@pytest.mark.parametrize(
    ("status", "error"),
    [(400, ConnectorFatalError), (404, ConnectorFatalError), (429, ConnectorRetriableError)],
)
def test_other_statuses_map_by_class(status: int, error: type[Exception]) -> None:
    responses.get(f"{BASE}/x", status=status, body="<html>nope</html>")
    session = make_session("mm", settings=HttpSettings(retries=0), base_url=BASE)
    with pytest.raises(error, match="nope"):
        raise_for_status(session.get("/x"))


@responses.activate
def test_success_passes_through() -> None:
    responses.get(f"{BASE}/x", status=204)
    response = make_session("mm", base_url=BASE).get("/x")
    assert raise_for_status(response) is response
    assert json_or_error(response) is None


@responses.activate
def test_malformed_json_names_connector_and_endpoint() -> None:
    responses.get(f"{BASE}/api/v4/users", body="<html>maintenance</html>", content_type="text/html")
    session = make_session("mattermost-prod", base_url=BASE)
    with pytest.raises(ConnectorFatalError) as info:
        session.get_json("/api/v4/users", params={"per_page": 200})
    message = str(info.value)
    assert message.startswith(f"[mattermost-prod {BASE}/api/v4/users?per_page=200]")
    assert "malformed response" in message and "text/html" in message
    assert "maintenance" in message
    assert info.value.endpoint == f"{BASE}/api/v4/users?per_page=200"  # type: ignore[attr-defined]


@responses.activate
def test_truncated_json_is_malformed() -> None:
    responses.get(f"{BASE}/x", body='{"users": [1, 2', content_type="application/json")
    with pytest.raises(ConnectorFatalError, match="malformed response"):
        json_or_error(requests.get(f"{BASE}/x"), connector="plain")


# --- redaction -------------------------------------------------------------------------------


def test_redact_masks_secrets_and_credential_patterns() -> None:
    text = (
        f"Authorization: Bearer abc.def-ghi tok={TOKEN} url=/x?access_token=aaa&token=bbb"
        f"&client_secret=ccc&sig=ddd%2F&page=2 enc={quote(TOKEN + '/+', safe='')}"
        ' {"access_token": "eee", "name": "x"} https://user:pw@host/p'
    )
    out = redact(text, [TOKEN + "/+", TOKEN])
    for leaked in (TOKEN, "abc.def", "aaa", "bbb", "ccc", "ddd", "eee", "user:pw"):
        assert leaked not in out
    assert "page=2" in out and '"name": "x"' in out and "https://host/p" in out
    assert "Bearer ***" in out


@responses.activate
def test_secrets_added_later_are_masked_too() -> None:
    late = "oauth-access-token-fetched-at-run-time"
    responses.get(f"{BASE}/x", status=403, body=f"bad token {late}")
    session = make_session("graph", base_url=BASE)
    session.add_secrets(late)
    with pytest.raises(ConnectorAuthError) as info:
        session.get_json("/x")
    assert late not in str(info.value) and "bad token ***" in str(info.value)


def test_describe_endpoint_strips_userinfo_fragment_and_query_secrets() -> None:
    url = "https://bot:pw@example.sharepoint.test:8443/sites/a?sig=abc&page=2#frag"
    assert describe_endpoint(url) == "https://example.sharepoint.test:8443/sites/a?sig=***&page=2"
    assert describe_endpoint(f"/hooks/{TOKEN}", [TOKEN]) == "/hooks/***"


def test_known_token_never_leaks_into_errors_or_logs(
    loopback: Loopback, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    body = json.dumps(
        {"message": f"token {TOKEN} is invalid", "id": "api.auth", "request_id": TOKEN}
    )
    loopback.replies = [(503, {}, b""), (401, {}, body.encode())]
    session = session_with(clock, base_url=loopback.url, secrets=[TOKEN])
    session.headers["Authorization"] = f"Bearer {TOKEN}"
    with pytest.raises(ConnectorAuthError) as info:
        session.get_json(f"/api/v4/hooks/{TOKEN}", params={"access_token": TOKEN})
    err = info.value
    for text in (str(err), repr(err), str(err.args), caplog.text, repr(session)):
        assert TOKEN not in text
    assert "api.auth" in str(err)
    assert (
        "/api/v4/hooks/***?access_token=*** -> 401" in caplog.text
    )  # our DEBUG line: method, URL, status
    assert "GET" in caplog.text and " ms" in caplog.text
    assert loopback.paths[0].startswith(f"/api/v4/hooks/{TOKEN}")  # the server did get it


# --- pacing and concurrency ------------------------------------------------------------------


def test_token_bucket_spaces_requests(clock: FakeClock) -> None:
    bucket = TokenBucket(4.0, clock=clock.monotonic, sleep=clock.sleep)
    stamps = []
    for _ in range(5):
        bucket.acquire()
        stamps.append(clock.monotonic())
    assert stamps == [0.0, 0.25, 0.5, 0.75, 1.0]


def test_token_bucket_is_thread_safe() -> None:
    frozen = FakeClock()  # never advances: each thread's wait is its reserved slot
    waits: list[float] = []
    bucket = TokenBucket(10.0, clock=frozen.monotonic, sleep=lambda s: None)

    def take() -> None:
        wait = bucket.acquire()
        with frozen._lock:
            waits.append(wait)

    threads = [threading.Thread(target=take) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(waits) == pytest.approx([i / 10 for i in range(20)])


def test_session_rate_limit_spaces_requests(loopback: Loopback, clock: FakeClock) -> None:
    loopback.replies = [ok()]
    session = session_with(clock, rate_limit_per_s=2.0, base_url=loopback.url)
    for _ in range(4):
        session.get_json("/x")
    assert clock.sleeps == [0.5, 0.5, 0.5]


def test_stricter_rate_limit_wins(loopback: Loopback, clock: FakeClock) -> None:
    loopback.replies = [ok()]
    settings = HttpSettings(rate_limit_per_s=1.0)
    session = session_with(clock, settings=settings, rate_limit_per_s=5.0, base_url=loopback.url)
    session.get_json("/x")
    session.get_json("/x")
    assert clock.sleeps == [1.0]


def test_retries_also_wait_for_the_rate_limit(loopback: Loopback, clock: FakeClock) -> None:
    loopback.replies = [(500, {}, b""), ok()]
    session = session_with(clock, rate_limit_per_s=1.0, base_url=loopback.url)
    session.get_json("/x")
    assert clock.sleeps == [1.0]  # the retry took the second token


def test_concurrency_is_bounded(loopback: Loopback) -> None:
    loopback.replies = [ok()]
    loopback.hold_s = 0.05
    session = make_session("mm", max_concurrency=2, base_url=loopback.url)
    errors: list[BaseException] = []

    def call() -> None:
        try:
            session.get_json("/x")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=call) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(loopback.paths) == 8
    assert 1 <= loopback.max_in_flight <= 2


class HeaderPolicy:
    """A vendor-neutral stand-in: ``X-Pause`` seconds and ``X-Rate`` requests per second."""

    def __init__(self) -> None:
        self.seen: list[float] = []

    def advise(self, headers: Mapping[str, str], *, now: float) -> RateAdvice | None:
        self.seen.append(now)
        pause, rate = headers.get("X-Pause"), headers.get("X-Rate")
        if pause is None and rate is None:
            return None
        return RateAdvice(
            pause_s=float(pause) if pause else None,
            rate_per_s=float(rate) if rate else None,
            source="X-Pause",
        )


def test_a_rate_policy_pause_holds_back_the_next_request(
    loopback: Loopback, clock: FakeClock
) -> None:
    loopback.replies = [ok(**{"X-Pause": "3"}), ok()]
    policy = HeaderPolicy()
    session = session_with(clock, base_url=loopback.url, rate_policy=policy)
    assert isinstance(policy, RatePolicy)
    session.get_json("/x")
    assert clock.sleeps == []  # the pause is taken before the next request, not after this one
    session.get_json("/x")
    assert clock.sleeps == [pytest.approx(3.0)]
    assert policy.seen[0] == pytest.approx(clock.wall)  # ``now`` is wall-clock epoch seconds


def test_a_rate_policy_pause_beyond_backoff_max_stops_the_next_request(
    loopback: Loopback, clock: FakeClock
) -> None:
    """The answer that asked for the pause is delivered (nothing lost); the next request
    raises instead of waiting 60 s per request with the lock held."""
    loopback.replies = [ok({"n": 1}, **{"X-Pause": "9999"}), ok()]
    session = session_with(clock, base_url=loopback.url, rate_policy=HeaderPolicy())
    assert session.get_json("/x") == {"n": 1}
    with pytest.raises(ConnectorRateLimitError, match="X-Pause asks for a 9999 s wait"):
        session.get_json("/x")
    assert clock.sleeps == [] and len(loopback.paths) == 1


def test_without_a_policy_vendor_headers_mean_nothing(loopback: Loopback, clock: FakeClock) -> None:
    headers = {"X-Ratelimit-Limit": "1", "X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": "30"}
    loopback.replies = [ok(**headers)]
    session = session_with(clock, base_url=loopback.url)
    for _ in range(3):
        session.get_json("/x")
    assert clock.sleeps == [] and session.rate_limit_per_s is None


def test_pacer_pauses_all_threads_until_the_pause_is_over(clock: FakeClock) -> None:
    pacer = ServerPacer(max_wait_s=5, clock=clock.monotonic, sleep=clock.sleep)
    assert pacer.pause(2.0) == 2.0
    assert pacer.pause(1.0) == 1.0  # a shorter later pause does not shorten the first
    assert pacer.wait() == 2.0
    assert pacer.pause(99.0, source="X-RateLimit-Reset") == 0.0  # longer than max_wait_s
    with pytest.raises(WaitTooLong, match="X-RateLimit-Reset"):
        pacer.wait()
    assert pacer.wait() == 0.0


def test_truncated_body_is_asked_for_again() -> None:
    """A body that breaks off after the headers is re-requested (urllib3 retries stop there)."""
    from e20kit.sandbox import FaultPlan, LoopbackServer, Response, Router

    router = Router()

    @router.route("GET", "/data")
    def data(req: object) -> Response:
        return Response.json({"items": list(range(200))})

    with LoopbackServer(router, faults=FaultPlan(rate=1.0, kinds=("truncated",))) as server:
        session = make_session("fake", base_url=server.url, settings=HttpSettings(retries=2))
        assert session.get("/data").json()["items"][-1] == 199
        assert server.injected.get("truncated", 0) >= 1


def test_a_policy_rate_paces_later_requests(loopback: Loopback, clock: FakeClock) -> None:
    loopback.replies = [ok(**{"X-Rate": "4"})]
    session = session_with(clock, base_url=loopback.url, rate_policy=HeaderPolicy())
    for _ in range(3):
        session.get_json("/api/v4/users")
    assert clock.sleeps == [pytest.approx(0.25)]  # first free; from then on 4 per second
    assert session.rate_limit_per_s == 4


def test_a_configured_stricter_rate_is_kept(loopback: Loopback, clock: FakeClock) -> None:
    loopback.replies = [ok(**{"X-Rate": "100"})]
    session = session_with(
        clock, rate_limit_per_s=1.0, base_url=loopback.url, rate_policy=HeaderPolicy()
    )
    session.get_json("/x")
    session.get_json("/x")
    assert clock.sleeps == [1.0]
