"""Typed exceptions. Every API failure is an :class:`ApiError` carrying the error envelope of
the contract (``error``, ``code``, ``message``, ``details``, ``request_id``); the subclass names
the code, so callers can ``except RateLimitError`` instead of comparing strings."""
from typing import Any, Dict, Optional


class SpaceDuckError(Exception):
    """Base class of every exception this package raises."""


class ApiError(SpaceDuckError):
    def __init__(self, status: int, body: Dict[str, Any], method: str, path: str,
                 request_id: Optional[str] = None, retry_after: Optional[float] = None):
        super().__init__(body.get("message") or f"HTTP {status}")
        self.status = status
        #: The envelope's machine code, e.g. ``"E4001"``.
        self.code: str = body.get("code", "")
        #: The envelope's ``error``, e.g. ``"UNAUTHORIZED"``.
        self.error: str = body.get("error", "")
        self.message: str = body.get("message", "")
        self.details = body.get("details")
        self.request_id: Optional[str] = body.get("request_id") or request_id
        #: The whole body (it may carry extra fields, e.g. ``valid: false``).
        self.body = body
        self.method = method
        self.path = path
        #: Seconds the server asked to wait (``Retry-After``), if it said.
        self.retry_after = retry_after

    def __str__(self) -> str:
        return f"{self.message} ({self.code}, HTTP {self.status})"


class ValidationError(ApiError):
    """E4000: malformed JSON or invalid fields; ``details`` lists the fields."""


class AuthenticationError(ApiError):
    """E4001: the credential is missing, malformed, unknown, expired or revoked."""


class TrustTierError(ApiError):
    """E4002: the caller's trust tier is too low."""


class AlreadyExistsError(ApiError):
    """E4003: the email (or another unique thing) is already registered."""


class OtpError(ApiError):
    """E4005 (wrong code) or E4006 (expired code or request)."""

    @property
    def expired(self) -> bool:
        return self.code == "E4006"


class ForbiddenError(ApiError):
    """E4030: authenticated, but not allowed on this resource."""


class NotFoundError(ApiError):
    """E4040."""


class ConflictError(ApiError):
    """E4090: a state conflict (peck already decided, idempotency key reused with another body...)."""


class RateLimitError(ApiError):
    """E4004, after the client used up its retries (or the wait asked for was too long)."""


class ServerError(ApiError):
    """5xx: E5001 (internal) or E5030 (a dependency is down)."""


class NetworkError(SpaceDuckError):
    """The request got no HTTP answer (DNS, refused, reset...)."""


class RequestTimeoutError(NetworkError):
    """No answer within the client's timeout."""


class WebhookVerificationError(SpaceDuckError):
    """A webhook whose signature, timestamp or body is wrong."""


_BY_CODE = {
    "E4000": ValidationError, "E4001": AuthenticationError, "E4002": TrustTierError, "E4003": AlreadyExistsError,
    "E4005": OtpError, "E4006": OtpError, "E4030": ForbiddenError, "E4040": NotFoundError, "E4090": ConflictError,
}

_STATUS_CODES = {400: "E4000", 401: "E4001", 403: "E4030", 404: "E4040", 409: "E4090", 413: "E4130", 429: "E4004", 503: "E5030"}


def is_envelope(body: Any) -> bool:
    return isinstance(body, dict) and all(isinstance(body.get(k), str) for k in ("error", "message", "code"))


def api_error(status: int, body: Any, method: str, path: str, request_id: Optional[str] = None,
              retry_after: Optional[float] = None) -> ApiError:
    if not is_envelope(body):
        code = _STATUS_CODES.get(status, "E5001" if status >= 500 else "E4000")
        body = {"error": f"HTTP_{status}", "message": f"{method} {path} answered HTTP {status}", "code": code}
    if status == 429 or body["code"] == "E4004":
        cls = RateLimitError
    elif status >= 500:
        cls = ServerError
    else:
        cls = _BY_CODE.get(body["code"], ApiError)
    return cls(status, body, method, path, request_id, retry_after)
