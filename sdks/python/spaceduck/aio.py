"""The asyncio client: the same helpers as :class:`spaceduck.SpaceDuck`, awaited. The standard
library has no async HTTP client, so each exchange runs the blocking urllib call in the loop's
thread-pool executor; waits between retries are ``asyncio.sleep`` and never block the loop."""
import asyncio
import functools
from typing import Any, Callable, Dict, Optional

from ._api import JSON
from ._http import Request
from .certificates import verify_certificate
from .client import Configured
from .errors import NetworkError


class AsyncSpaceDuck(Configured):
    """``async with AsyncSpaceDuck(url, beak_key=...) as duck: await duck.pulse()``"""

    async def __aenter__(self) -> "AsyncSpaceDuck":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        return None

    async def request(self, method: str, path: str, *, query: Optional[Dict[str, Any]] = None, body: Any = None,
                      auth: bool = True, idempotency_key: Any = None, timeout: Optional[float] = None) -> Any:
        return await self._call(Request(method, path, query=query, body=body, auth=auth, idempotency_key=idempotency_key, timeout=timeout))

    async def _call(self, request: Request, then: Optional[Callable[[Any], Any]] = None) -> Any:
        url, headers, data, replayable = request.prepare(self.base_url, self.credential, self.user_agent)
        loop = asyncio.get_running_loop()
        send = functools.partial(self.transport, request.method.upper(), url, headers, data, request.timeout or self.timeout)
        attempt = 0
        while True:
            try:
                res = await loop.run_in_executor(None, send)
            except NetworkError as err:
                delay = self.retry.after_failure(attempt, replayable)
                if delay is None:
                    raise
                await self._sleep(attempt, delay, err)
                attempt += 1
                continue
            ok, parsed = request.outcome(res)
            if ok:
                return then(parsed) if then else parsed
            error = request.error(res, parsed)
            delay = self.retry.after_status(attempt, res.status, error.retry_after)
            if delay is None:
                raise error
            await self._sleep(attempt, delay, res.status)
            attempt += 1

    async def _sleep(self, attempt: int, delay: float, reason: Any) -> None:
        if self.on_retry:
            self.on_retry(attempt + 1, delay, reason)
        await asyncio.sleep(delay)

    async def _map(self, result: Any, fn: Callable[[Any], Any]) -> Any:
        return fn(await result)

    async def verify_certificate_offline(self, jws: str, **options: Any) -> JSON:
        jwks = options.pop("jwks", None)
        status_list = options.pop("status_list", None)
        if jwks is None or status_list is None:
            fetched = await asyncio.gather(self.jwks(), self.certs.status_list())
            jwks, status_list = jwks or fetched[0], status_list or fetched[1]
        return verify_certificate(jws, jwks=jwks, status_list=status_list, **options)

    def start_pulse(self, interval: float = 60.0, meta: Any = None, status: str = "active",
                    spaceduck_id: Optional[str] = None, on_pulse: Optional[Callable[[JSON], None]] = None,
                    on_error: Optional[Callable[[Exception], None]] = None) -> "PulseTask":
        """Pulse now and every ``interval`` seconds in a task; ``await stop()`` sends ``terminating``.
        Also ``async with duck.start_pulse(...):``. Call from a running event loop."""
        return PulseTask(self, interval, meta, status, spaceduck_id, on_pulse, on_error)


class PulseTask:
    def __init__(self, duck: AsyncSpaceDuck, interval: float, meta: Any, status: str, spaceduck_id: Optional[str],
                 on_pulse: Optional[Callable[[JSON], None]], on_error: Optional[Callable[[Exception], None]]):
        if interval <= 0:
            raise ValueError("interval must be positive (seconds)")
        self._duck, self._interval, self._meta, self._status, self._id = duck, interval, meta, status, spaceduck_id
        self._on_pulse, self._on_error = on_pulse, on_error
        self._final: Optional["asyncio.Future[JSON]"] = None
        self._stopping = asyncio.Event()
        self.last: Optional[JSON] = None
        self.count = 0
        self._task = asyncio.get_running_loop().create_task(self._run())

    def _body_meta(self, extra: Optional[JSON] = None) -> Optional[JSON]:
        meta = self._meta() if callable(self._meta) else self._meta
        return {**(meta or {}), **extra} if extra else meta

    async def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                self.last = await self._duck.pulse(self._status, self._body_meta(), self._id)
                self.count += 1
                if self._on_pulse:
                    self._on_pulse(self.last)
            except Exception as err:  # noqa: BLE001 (the loop must outlive a failed pulse)
                if self._on_error:
                    self._on_error(err)
            try:
                await asyncio.wait_for(self._stopping.wait(), timeout=self._interval)
            except asyncio.TimeoutError:
                pass

    async def stop(self, meta: Optional[JSON] = None) -> JSON:
        """Stop the loop and send a ``terminating`` pulse; returns its answer. Safe to call twice."""
        if self._final is None:
            self._final = asyncio.ensure_future(self._terminate(meta))
        return await asyncio.shield(self._final)

    async def _terminate(self, meta: Optional[JSON]) -> JSON:
        # Let an in-flight pulse finish first: cancelling would leave its request running in the
        # executor, and an `active` landing after `terminating` would undo it.
        self._stopping.set()
        await self._task
        r = await self._duck.pulse("terminating", self._body_meta(meta), self._id)
        self.last = r
        self.count += 1
        return r

    async def __aenter__(self) -> "PulseTask":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.stop()
