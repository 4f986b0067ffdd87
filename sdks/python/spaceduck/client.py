"""The synchronous client."""
import threading
import time
from typing import Any, Callable, Dict, Optional

from . import __version__
from ._api import JSON, BaseApi
from ._http import HttpResponse, Request, RetryPolicy, Transport, urllib_transport
from .certificates import verify_certificate
from .errors import NetworkError

DEFAULT_TIMEOUT = 30.0


class Configured(BaseApi):
    """What the synchronous and the asyncio clients share: base URL, credential, timeouts, retries."""

    def __init__(self, base_url: str, *, beak_key: Optional[str] = None, token: Optional[str] = None,
                 timeout: float = DEFAULT_TIMEOUT, max_retries: int = 3, retry_base_delay: float = 0.5,
                 retry_max_delay: float = 10.0, max_retry_after: float = 60.0, transport: Optional[Transport] = None,
                 on_retry: Optional[Callable[[int, float, Any], None]] = None,
                 on_credential_change: Optional[Callable[[str, str], None]] = None):
        if not base_url:
            raise ValueError("base_url is required, e.g. http://127.0.0.1:8080")
        if beak_key and token:
            raise ValueError("pass either beak_key or token, not both")
        super().__init__(on_credential_change)
        self.base_url = base_url.rstrip("/")
        self.credential = beak_key or token
        self.timeout = timeout
        self.retry = RetryPolicy(max_retries, retry_base_delay, retry_max_delay, max_retry_after)
        self.transport: Transport = transport or urllib_transport
        #: ``on_retry(attempt, delay_seconds, reason)`` before each retry (reason: a status or an exception).
        self.on_retry = on_retry
        self.user_agent = f"spaceduck-python/{__version__}"


class SpaceDuck(Configured):
    """A Space Duck client.

    >>> duck = SpaceDuck("http://127.0.0.1:8080", beak_key=os.environ["SPACEDUCK_BEAK_KEY"])
    >>> duck.pulse(meta={"agent_version": "1.0.0"})
    """

    def request(self, method: str, path: str, *, query: Optional[Dict[str, Any]] = None, body: Any = None,
                auth: bool = True, idempotency_key: Any = None, timeout: Optional[float] = None) -> Any:
        """Any route: ``duck.request("GET", "/beak/agent/list", query={"limit": 5})``."""
        return self._call(Request(method, path, query=query, body=body, auth=auth, idempotency_key=idempotency_key, timeout=timeout))

    def _call(self, request: Request, then: Optional[Callable[[Any], Any]] = None) -> Any:
        url, headers, data, replayable = request.prepare(self.base_url, self.credential, self.user_agent)
        attempt = 0
        while True:
            try:
                res: HttpResponse = self.transport(request.method.upper(), url, headers, data, request.timeout or self.timeout)
            except NetworkError as err:
                delay = self.retry.after_failure(attempt, replayable)
                if delay is None:
                    raise
                self._sleep(attempt, delay, err)
                attempt += 1
                continue
            ok, parsed = request.outcome(res)
            if ok:
                return then(parsed) if then else parsed
            error = request.error(res, parsed)
            delay = self.retry.after_status(attempt, res.status, error.retry_after)
            if delay is None:
                raise error
            self._sleep(attempt, delay, res.status)
            attempt += 1

    def _sleep(self, attempt: int, delay: float, reason: Any) -> None:
        if self.on_retry:
            self.on_retry(attempt + 1, delay, reason)
        time.sleep(delay)

    def _map(self, result: Any, fn: Callable[[Any], Any]) -> Any:
        return fn(result)

    def verify_certificate_offline(self, jws: str, **options: Any) -> JSON:
        """Fetch the JWKS and the status list, then verify ``jws`` locally (see :func:`verify_certificate`)."""
        jwks = options.pop("jwks", None) or self.jwks()
        status_list = options.pop("status_list", None) or self.certs.status_list()
        return verify_certificate(jws, jwks=jwks, status_list=status_list, **options)

    def start_pulse(self, interval: float = 60.0, meta: Any = None, status: str = "active",
                    spaceduck_id: Optional[str] = None, on_pulse: Optional[Callable[[JSON], None]] = None,
                    on_error: Optional[Callable[[Exception], None]] = None) -> "PulseThread":
        """Pulse now and every ``interval`` seconds in a background thread; ``stop()`` sends
        ``terminating``. Also a context manager: ``with duck.start_pulse(meta={...}): work()``."""
        return PulseThread(self, interval, meta, status, spaceduck_id, on_pulse, on_error)


class PulseThread:
    def __init__(self, duck: SpaceDuck, interval: float, meta: Any, status: str, spaceduck_id: Optional[str],
                 on_pulse: Optional[Callable[[JSON], None]], on_error: Optional[Callable[[Exception], None]]):
        if interval <= 0:
            raise ValueError("interval must be positive (seconds)")
        self._duck, self._interval, self._meta, self._status, self._id = duck, interval, meta, status, spaceduck_id
        self._on_pulse, self._on_error = on_pulse, on_error
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._final: Optional[JSON] = None
        self.last: Optional[JSON] = None
        self.count = 0
        self._thread = threading.Thread(target=self._run, name="spaceduck-pulse", daemon=True)
        self._thread.start()

    def _body_meta(self, extra: Optional[JSON] = None) -> Optional[JSON]:
        meta = self._meta() if callable(self._meta) else self._meta
        return {**(meta or {}), **extra} if extra else meta

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.last = self._duck.pulse(self._status, self._body_meta(), self._id)
                self.count += 1
                if self._on_pulse:
                    self._on_pulse(self.last)
            except Exception as err:  # noqa: BLE001 (the loop must outlive a failed pulse)
                if self._on_error:
                    self._on_error(err)
            self._stop.wait(self._interval)

    def stop(self, meta: Optional[JSON] = None) -> JSON:
        """Stop the loop and send a ``terminating`` pulse; returns its answer. Safe to call twice."""
        with self._lock:
            if self._final is None:
                self._stop.set()
                self._thread.join()
                self._final = self._duck.pulse("terminating", self._body_meta(meta), self._id)
                self.last = self._final
                self.count += 1
            return self._final

    def __enter__(self) -> "PulseThread":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()
