"""The configured ``requests.Session`` every connector and notifier gets from the core.

Retries are urllib3's :class:`~urllib3.util.retry.Retry` (subclassed only to inject the sleep
function, to cap ``Retry-After`` and to re-enter the rate limiter between attempts); the retry loop
itself is urllib3's. Pacing and the concurrency bound live in an ``HTTPAdapter`` so they apply to
every request, whatever method the connector calls.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import threading
import time
from collections.abc import Collection, Mapping, Sequence
from typing import Any, Self, TypeVar

import requests
from pydantic import TypeAdapter
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError, NewConnectionError
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

from .._version import __version__
from ..errors import ConnectorRateLimitError
from .bounds import CURRENT, POOL_CLASSES, DeadlineExceeded, ResponseTooLarge, Watch, read_bounded
from .mapping import error_from_exception, json_or_error, retry_after_seconds
from .pacing import Clock, ServerPacer, Sleep, TokenBucket, WaitTooLong, too_long
from .payload import parse_payload
from .policy import RatePolicy
from .redaction import REGISTERED, credential_parts, describe_endpoint, install_log_filter
from .settings import HttpSettings
from .waits import NOTICE_S, announce_wait

log = logging.getLogger("e20kit.http")
M = TypeVar("M")

USER_AGENT = f"e20kit/{__version__}"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
DEFAULT_ALLOWED_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
"""Methods retried after a response or a read error; add idempotent POSTs explicitly."""

_Timeout = float | tuple[float, float] | tuple[float, None] | None
_ABSOLUTE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


class _Gate:
    """What runs before every attempt (first try and each retry) and after every response."""

    def __init__(
        self,
        limiter: TokenBucket | None,
        pacer: ServerPacer,
        *,
        policy: RatePolicy | None = None,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
        wall_clock: Clock = time.time,
    ) -> None:
        self.limiter = limiter
        self.pacer = pacer
        self.policy = policy
        self._clock = clock
        self._sleep = sleep
        self._wall_clock = wall_clock
        self._lock = threading.Lock()
        self.retries = 0

    def before_attempt(self) -> None:
        self.pacer.wait()
        limiter = self.limiter
        if limiter is not None:
            limiter.acquire()

    def count_retry(self) -> None:
        with self._lock:
            self.retries += 1

    def observe(self, headers: Mapping[str, str]) -> None:
        """Apply the plugin's rate policy to one response's headers."""
        if self.policy is None:
            return
        advice = self.policy.advise(headers, now=self._wall_clock())
        if advice is None:
            return
        if advice.pause_s:
            pause = self.pacer.pause(advice.pause_s, source=advice.source)
            log.debug("rate policy: pausing %.2f s", pause)
        if advice.rate_per_s:
            self._adopt(advice.rate_per_s)

    def _adopt(self, rate: float) -> None:
        """Pace at ``rate`` from now on when it is stricter than the one in force."""
        with self._lock:
            if rate > 0 and (self.limiter is None or rate < self.limiter.rate):
                self.limiter = TokenBucket(rate, clock=self._clock, sleep=self._sleep)
                log.debug("rate policy: pacing to %.2f requests/s", rate)


class PacedRetry(Retry):
    """urllib3's Retry with an injectable sleep, ``Retry-After`` capped at ``backoff_max``.

    Unparseable ``Retry-After`` values fall back to exponential backoff instead of failing.
    """

    def __init__(
        self,
        *args: Any,
        sleep: Sleep = time.sleep,
        wall_clock: Clock = time.time,
        gate: _Gate | None = None,
        connector: str = "http",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.sleep_fn = sleep
        self.wall_clock = wall_clock
        self.gate = gate
        self.connector = connector

    def new(self, **kw: Any) -> Self:
        kw.setdefault("sleep", self.sleep_fn)
        kw.setdefault("wall_clock", self.wall_clock)
        kw.setdefault("gate", self.gate)
        kw.setdefault("connector", self.connector)
        return super().new(**kw)

    def increment(self, *args: Any, **kwargs: Any) -> Self:
        """Count every retry granted (urllib3 raises instead once they are used up).

        A connection refused on a loopback address is not retried: nothing listens there, and
        waiting about 20 s of backoff will not start a server on this machine."""
        error = kwargs.get("error", args[3] if len(args) > 3 else None)
        pool = kwargs.get("_pool", args[4] if len(args) > 4 else None)
        url = kwargs.get("url", args[1] if len(args) > 1 else "")
        if isinstance(error, NewConnectionError) and _refused_on_loopback(error, pool):
            raise MaxRetryError(pool, url, error)  # type: ignore[arg-type]
        response = kwargs.get("response", args[2] if len(args) > 2 else None)
        if response is not None and self._asks_too_long(response):
            # no silent stall: the answer goes back to the caller, which names the header
            raise MaxRetryError(pool, url, None)  # type: ignore[arg-type]
        granted = super().increment(*args, **kwargs)
        if self.gate is not None:
            self.gate.count_retry()
        return granted

    def parse_retry_after(self, retry_after: str) -> float:
        seconds = retry_after_seconds(retry_after, self.wall_clock())
        if seconds is None:
            raise ValueError(f"invalid Retry-After header: {retry_after!r}")
        return min(max(seconds, 0.0), self.backoff_max)

    def _asks_too_long(self, response: BaseHTTPResponse) -> bool:
        """Whether ``Retry-After`` asks for longer than ``backoff_max`` (not waited: the
        session returns the answer and :func:`raise_for_status` names the header)."""
        header = response.headers.get("Retry-After")
        if not header or not self.respect_retry_after_header:
            return False
        wanted = retry_after_seconds(header, self.wall_clock())
        return wanted is not None and too_long(wanted, self.backoff_max)

    def get_retry_after(self, response: BaseHTTPResponse) -> float | None:
        try:
            return super().get_retry_after(response)
        except ValueError:
            return None

    def sleep(self, response: BaseHTTPResponse | None = None) -> None:
        if response is not None and self.gate is not None:
            self.gate.observe(response.headers)
        delay: float | None = None
        if self.respect_retry_after_header and response is not None:
            delay = self.get_retry_after(response)
        if not delay:
            delay = self.get_backoff_time()
        log.debug("%s: retry %d, sleeping %.2f s", self.connector, len(self.history), delay)
        if delay >= NOTICE_S:
            status = f"HTTP {response.status}" if response is not None else "no answer yet"
            announce_wait(f"{self.connector}: {status}, retrying", delay)
        if delay > 0:
            self.sleep_fn(delay)
        if self.gate is not None:
            self.gate.before_attempt()


def _refused_on_loopback(error: NewConnectionError, pool: Any) -> bool:
    host = str(getattr(pool, "host", "") or "").strip("[]")
    return "refused" in str(error).lower() and (host == "localhost" or _is_loopback_ip(host))


def _is_loopback_ip(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class PacedAdapter(HTTPAdapter):
    """Default timeout, concurrency bound, pacing and DEBUG logging around every send."""

    def __init__(
        self,
        *,
        connector: str,
        timeout_s: float,
        retry: PacedRetry,
        gate: _Gate,
        max_concurrency: int,
        secrets: Sequence[str],
        clock: Clock,
        deadline_s: float = 120.0,
        max_response_bytes: int = 64 * 1024 * 1024,
    ) -> None:
        self.e20kit_connector = connector
        self.e20kit_secrets: tuple[str, ...] = tuple(secrets)
        self.timeout_s = timeout_s
        self.deadline_s = deadline_s
        self.max_response_bytes = max_response_bytes
        self.gate = gate
        self.semaphore = threading.BoundedSemaphore(max_concurrency)
        self._clock = clock
        self._learned: set[str] = set()
        super().__init__(max_retries=retry, pool_maxsize=max(max_concurrency, 1))

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        """Pools whose every attempt arms the request's deadline (see :mod:`.bounds`)."""
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = POOL_CLASSES

    def _timeout(self, timeout: _Timeout) -> float | tuple[float, float]:
        """Requests has no default timeout; a request without one could hang a cron run forever."""
        if timeout is None:
            return self.timeout_s
        if isinstance(timeout, tuple):
            connect, read = timeout
            return (connect, self.timeout_s if read is None else read)
        return timeout

    def _learn_credentials(self, header: str | None) -> None:
        """Mask whatever this request authenticates with, also when the plugin never registered
        it (a library building ``Basic base64(email:token)`` itself): a server that echoes the
        header in an error body must not put it on the screen."""
        if not header or header in self._learned:
            return
        self._learned.add(header)
        found = credential_parts(header)
        self.e20kit_secrets = (
            *self.e20kit_secrets,
            *(v for v in found if v not in self.e20kit_secrets),
        )
        REGISTERED.add(found)

    def _log_failure(
        self, request: requests.PreparedRequest, where: str, start: float, exc: Exception
    ) -> None:
        log.debug(
            "%s %s %s failed after %.0f ms: %s",
            self.e20kit_connector,
            request.method,
            where,
            (self._clock() - start) * 1000,
            type(exc).__name__,
        )

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: _Timeout = None,
        verify: bool | str = True,
        cert: bytes | str | tuple[bytes | str, bytes | str] | None = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        self._learn_credentials(request.headers.get("Authorization"))
        where = describe_endpoint(str(request.url), self.e20kit_secrets)
        watch = Watch(self.deadline_s)
        with self.semaphore:
            self.gate.before_attempt()
            start = self._clock()
            CURRENT.watch = watch
            try:
                response = super().send(
                    request,
                    stream=stream,
                    timeout=self._timeout(timeout),
                    verify=verify,
                    cert=cert,
                    proxies=proxies,
                )
                if not stream:  # read the body while holding the slot and the deadline
                    read_bounded(response, self.max_response_bytes)
            except requests.RequestException as exc:
                self._log_failure(request, where, start, exc)
                if watch.fired and not isinstance(exc, ResponseTooLarge):
                    raise DeadlineExceeded(
                        f"no complete answer within deadline_s = {self.deadline_s:g}",
                        request=request,
                    ) from None
                raise
            except Exception as exc:
                self._log_failure(request, where, start, exc)
                raise
            finally:
                watch.disarm()
                CURRENT.watch = None
        self.gate.observe(response.headers)
        log.debug(
            "%s %s %s -> %s in %.0f ms",
            self.e20kit_connector,
            request.method,
            where,
            response.status_code,
            (self._clock() - start) * 1000,
        )
        return response


class HttpSession(requests.Session):
    """A ``requests.Session`` that resolves paths against ``base_url`` and raises ConnectorErrors.

    ``session.get("/api/v4/users")`` requests ``base_url + "/api/v4/users"``; absolute URLs
    (pagination links) are used as they are. Transport failures surface as
    :class:`~e20kit.errors.ConnectorRetriableError` (or ``ConnectorFatalError`` for TLS and URL
    problems) naming the connector and the redacted endpoint, never as a ``requests`` exception.
    HTTP error statuses are returned as responses: check them with :meth:`get_json`,
    :func:`~e20kit.http.json_or_error` or :func:`~e20kit.http.raise_for_status`.
    """

    def __init__(
        self, connector: str, *, base_url: str | None = None, secrets: Sequence[str] = ()
    ) -> None:
        super().__init__()
        self.connector = connector
        self.base_url = base_url.rstrip("/") if base_url else None
        self.secrets: tuple[str, ...] = tuple(s for s in secrets if s)
        self.body_retries = 0
        self.body_retry_methods: frozenset[str] = frozenset({"GET", "HEAD"})
        """Methods whose broken-off body is asked for again: the safe ones, and those the
        connector declared idempotent (``allowed_methods``, e.g. Mattermost's POST lookups)."""
        """Re-requests of a safe method whose body broke off mid-transfer; urllib3's retries end
        when the headers arrive, so a truncated body needs this second, bounded line."""
        self._gate: _Gate | None = None

    @property
    def retry_count(self) -> int:
        """Retries this session made so far (status, connection and read retries, and bodies
        asked for again); the collect summary prints it once per connector."""
        return self._gate.retries if self._gate is not None else 0

    @property
    def rate_limit_per_s(self) -> float | None:
        """The rate this session paces at now: the configured one, or the rate policy's once it
        advised a stricter one (``None``: not paced)."""
        limiter = self._gate.limiter if self._gate is not None else None
        return limiter.rate if limiter is not None else None

    def url(self, path: str) -> str:
        """``path`` joined to ``base_url`` (keeping its path prefix, e.g. ``/wiki``)."""
        if _ABSOLUTE.match(path) or self.base_url is None:
            return path
        return f"{self.base_url}/{path.lstrip('/')}"

    def request(
        self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any
    ) -> requests.Response:
        target = self.url(url.decode() if isinstance(url, bytes) else url)
        verb = method.decode() if isinstance(method, bytes) else method
        attempts = 1 + (self.body_retries if verb.upper() in self.body_retry_methods else 0)
        try:
            for attempt in range(attempts):
                try:
                    return super().request(method, target, *args, **kwargs)
                except requests.exceptions.ChunkedEncodingError:
                    if attempt + 1 == attempts:
                        raise
                    if self._gate is not None:
                        self._gate.count_retry()
                    log.debug("%s: body of %s broke off; asking again", self.connector, verb)
            raise AssertionError("unreachable")  # pragma: no cover
        except requests.RequestException as exc:
            error = error_from_exception(
                exc, connector=self.connector, url=target, secrets=self.secrets
            )
        except WaitTooLong as exc:
            error = ConnectorRateLimitError(
                f"rate limit: {exc.source} asks for a {exc.seconds:.0f} s wait, longer than "
                f"[http] backoff_max_s = {exc.limit:g}; rerun later (or raise backoff_max_s)",
                connector=self.connector,
                endpoint=describe_endpoint(target, self.secrets),
                header=exc.source,
                wait_s=exc.seconds,
            )
        raise error  # outside the except block: the raw exception's text may hold secrets

    def add_secrets(self, *values: str) -> None:
        """Mask more values from now on, e.g. an OAuth access token fetched at run time."""
        self.secrets = (*self.secrets, *(v for v in values if v and v not in self.secrets))
        REGISTERED.add(self.secrets)
        for adapter in self.adapters.values():
            if isinstance(adapter, PacedAdapter):
                adapter.e20kit_secrets = self.secrets

    def get_json(self, path: str, **kwargs: Any) -> Any:
        """GET ``path`` and return its JSON body, raising the matching ConnectorError otherwise."""
        response = self.get(path, **kwargs)
        return json_or_error(response, connector=self.connector, secrets=self.secrets)

    def get_model(self, path: str, model: type[M] | TypeAdapter[M], **kwargs: Any) -> M:
        """GET ``path`` and return its JSON body parsed as ``model`` (see :func:`parse_payload`);
        a body of the wrong shape raises :class:`~e20kit.errors.ConnectorPayloadError`."""
        response = self.get(path, **kwargs)
        data = json_or_error(response, connector=self.connector, secrets=self.secrets)
        endpoint = response.url or self.url(path)
        return parse_payload(
            model, data, connector=self.connector, endpoint=endpoint, secrets=self.secrets
        )

    def __repr__(self) -> str:
        base = describe_endpoint(self.base_url, self.secrets) if self.base_url else None
        return f"<HttpSession connector={self.connector!r} base_url={base!r}>"


def _merged(setting: float | None, argument: float | None) -> float | None:
    """The stricter of the user's ``[http]`` value and the connector's own limit."""
    values = [v for v in (setting, argument) if v is not None]
    return min(values) if values else None


def make_session(
    connector: str,
    *,
    settings: HttpSettings | None = None,
    base_url: str | None = None,
    secrets: Sequence[str] = (),
    rate_limit_per_s: float | None = None,
    max_concurrency: int | None = None,
    allowed_methods: Collection[str] = DEFAULT_ALLOWED_METHODS,
    rate_policy: RatePolicy | None = None,
    sleep: Sleep = time.sleep,
    clock: Clock = time.monotonic,
    wall_clock: Clock = time.time,
) -> HttpSession:
    """Build the session a connector or notifier uses for one platform.

    ``rate_limit_per_s`` and ``max_concurrency`` are the connector's own limits; the stricter of
    them and ``settings`` wins. ``secrets`` are masked in every log line and error.
    ``rate_policy`` reads the vendor's own rate-limit headers (see :class:`RatePolicy`); without
    one the session knows only ``Retry-After``. ``sleep``, ``clock`` and ``wall_clock`` exist for
    tests.
    """
    settings = settings or HttpSettings()
    rate = _merged(settings.rate_limit_per_s, rate_limit_per_s)
    concurrency = int(_merged(settings.max_concurrency, max_concurrency) or 1)
    if concurrency < 1:
        raise ValueError("max_concurrency must be at least 1")

    session = HttpSession(connector, base_url=base_url, secrets=secrets)
    session.body_retries = settings.retries
    session.body_retry_methods = frozenset(m.upper() for m in allowed_methods)
    REGISTERED.add(session.secrets)
    install_log_filter()

    limiter = TokenBucket(rate, clock=clock, sleep=sleep) if rate else None
    pacer = ServerPacer(max_wait_s=settings.backoff_max_s, clock=clock, sleep=sleep)
    pacer.reason = connector
    gate = _Gate(
        limiter, pacer, policy=rate_policy, clock=clock, sleep=sleep, wall_clock=wall_clock
    )
    retry = PacedRetry(
        total=settings.retries,
        connect=settings.retries,
        read=settings.retries,
        status=settings.retries,
        other=0,
        allowed_methods=frozenset(m.upper() for m in allowed_methods),
        status_forcelist=RETRY_STATUSES,
        backoff_factor=settings.backoff_factor,
        backoff_max=settings.backoff_max_s,
        backoff_jitter=settings.backoff_factor,
        raise_on_status=False,
        respect_retry_after_header=True,
        sleep=sleep,
        wall_clock=wall_clock,
        gate=gate,
        connector=connector,
    )
    adapter = PacedAdapter(
        connector=connector,
        timeout_s=settings.timeout_s,
        retry=retry,
        gate=gate,
        max_concurrency=concurrency,
        secrets=session.secrets,
        clock=clock,
        deadline_s=settings.deadline_s,
        max_response_bytes=settings.max_response_bytes,
    )
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session._gate = gate
    session.headers["User-Agent"] = USER_AGENT
    session.verify = settings.verify_tls
    return session


__all__ = [
    "DEFAULT_ALLOWED_METHODS",
    "RETRY_STATUSES",
    "USER_AGENT",
    "HttpSession",
    "PacedAdapter",
    "PacedRetry",
    "make_session",
]
