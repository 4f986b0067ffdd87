"""The transport under every call: one blocking HTTP exchange over urllib, and the retry policy
shared by the synchronous and the asyncio clients (the same rules as the TypeScript SDK):

- 429 and 503 are always retried: the server refused before doing anything. ``Retry-After``
  (seconds or an HTTP date) is honoured; a wait longer than ``max_retry_after`` is not slept
  through but raised, so a caller never hangs silently.
- network failures and timeouts are retried only when repeating cannot do something twice:
  GET, HEAD, PUT, DELETE, or a request that carries an ``Idempotency-Key`` (creates always do).
  A lost answer to ``POST /beak/rotate`` is never retried: only that answer held the new key.
"""
import email.utils
import json
import random
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Mapping, Optional, Tuple, Union

from .errors import NetworkError, RequestTimeoutError, api_error

__all__ = ["HttpResponse", "Transport", "RetryPolicy", "Request", "urllib_transport", "parse_retry_after"]


@dataclass
class HttpResponse:
    status: int
    headers: Mapping[str, str]
    body: bytes


#: ``transport(method, url, headers, body, timeout) -> HttpResponse``; raise NetworkError /
#: RequestTimeoutError when no answer came. Inject your own for proxies, mTLS or tests.
Transport = Callable[[str, str, Dict[str, str], Optional[bytes], float], HttpResponse]


def urllib_transport(method: str, url: str, headers: Dict[str, str], body: Optional[bytes], timeout: float) -> HttpResponse:
    req = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as res:  # noqa: S310 (the caller chose the URL)
            return HttpResponse(res.status, {k.lower(): v for k, v in res.headers.items()}, res.read())
    except urllib.error.HTTPError as err:  # a real answer with a 4xx/5xx status
        with err:
            return HttpResponse(err.code, {k.lower(): v for k, v in err.headers.items()}, err.read())
    except (socket.timeout, TimeoutError) as err:
        raise RequestTimeoutError(f"{method} {url.split('?')[0]} timed out after {timeout} s") from err
    except urllib.error.URLError as err:
        if isinstance(err.reason, (socket.timeout, TimeoutError)):
            raise RequestTimeoutError(f"{method} {url.split('?')[0]} timed out after {timeout} s") from err
        raise NetworkError(f"{method} {url.split('?')[0]} failed: {err.reason}") from err
    except (ConnectionError, OSError) as err:
        raise NetworkError(f"{method} {url.split('?')[0]} failed: {err}") from err


def parse_retry_after(value: Optional[str], now: Optional[float] = None) -> Optional[float]:
    """Seconds from a Retry-After value (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    v = value.strip()
    try:
        return max(0.0, float(v))
    except ValueError:
        pass
    try:
        at = email.utils.parsedate_to_datetime(v).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, at - (time.time() if now is None else now))


SAFE_METHODS = {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"}


@dataclass
class RetryPolicy:
    max_retries: int = 3
    base_delay: float = 0.5
    max_delay: float = 10.0
    max_retry_after: float = 60.0

    def backoff(self, attempt: int) -> float:
        """Full jitter: uniform in [0, min(max_delay, base_delay * 2**attempt)]."""
        return random.uniform(0, min(self.max_delay, self.base_delay * 2 ** attempt))

    def after_status(self, attempt: int, status: int, retry_after: Optional[float]) -> Optional[float]:
        if status not in (429, 503) or attempt >= self.max_retries:
            return None
        if retry_after is None:
            return self.backoff(attempt)
        if retry_after > self.max_retry_after:
            return None
        # Honour the server's wait, plus up to 10 % so a crowd of clients does not return in step.
        return retry_after + random.uniform(0, min(1.0, retry_after * 0.1))

    def after_failure(self, attempt: int, replayable: bool) -> Optional[float]:
        if not replayable or attempt >= self.max_retries:
            return None
        return self.backoff(attempt)


@dataclass
class Request:
    method: str
    path: str
    query: Optional[Mapping[str, Any]] = None
    body: Any = None
    auth: bool = True
    idempotency_key: Union[str, bool, None] = None
    #: Statuses answered with their body instead of an exception (e.g. 404 on certificate lookups).
    accept: Tuple[int, ...] = ()
    timeout: Optional[float] = None
    headers: Dict[str, str] = field(default_factory=dict)

    def prepare(self, base_url: str, credential: Optional[str], user_agent: str) -> Tuple[str, Dict[str, str], Optional[bytes], bool]:
        headers = {"accept": "application/json", "user-agent": user_agent, **self.headers}
        if self.auth and credential:
            headers["authorization"] = f"Bearer {credential}"
        data = None
        if self.body is not None:
            data = json.dumps(self.body).encode()
            headers["content-type"] = "application/json"
        if self.idempotency_key:
            headers["idempotency-key"] = uuid.uuid4().hex if self.idempotency_key is True else str(self.idempotency_key)
        qs = urllib.parse.urlencode({k: _qs(v) for k, v in (self.query or {}).items() if v is not None})
        url = f"{base_url}{self.path}{'?' + qs if qs else ''}"
        replayable = self.method.upper() in SAFE_METHODS or "idempotency-key" in headers
        return url, headers, data, replayable

    def outcome(self, res: HttpResponse) -> Tuple[bool, Any]:
        """(ok, parsed body)."""
        parsed: Any = None
        if res.body:
            try:
                parsed = json.loads(res.body.decode("utf-8"))
            except ValueError:
                parsed = res.body.decode("utf-8", "replace")
        return (200 <= res.status < 300 or res.status in self.accept), parsed

    def error(self, res: HttpResponse, parsed: Any):
        return api_error(res.status, parsed, self.method.upper(), self.path, res.headers.get("x-request-id"),
                         parse_retry_after(res.headers.get("retry-after")))


def _qs(v: Any) -> str:
    return ("true" if v else "false") if isinstance(v, bool) else str(v)
