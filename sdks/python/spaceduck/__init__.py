"""Space Duck for Python: identity, trust and liveness for AI agents and their operators.

Standard library only (Python >= 3.9)::

    from spaceduck import SpaceDuck
    duck = SpaceDuck("http://127.0.0.1:8080", beak_key=os.environ["SPACEDUCK_BEAK_KEY"])
    with duck.start_pulse(interval=60, meta={"agent_version": "1.0.0"}):
        run_my_agent()
"""
__version__ = "0.1.0"

from .errors import (  # noqa: E402
    AlreadyExistsError, ApiError, AuthenticationError, ConflictError, ForbiddenError, NetworkError, NotFoundError,
    OtpError, RateLimitError, RequestTimeoutError, ServerError, SpaceDuckError, TrustTierError, ValidationError,
    WebhookVerificationError,
)
from ._http import HttpResponse, parse_retry_after  # noqa: E402
from .client import SpaceDuck  # noqa: E402
from .aio import AsyncSpaceDuck  # noqa: E402
from .certificates import verify_certificate, verify_jws, decode_status_list, status_bit  # noqa: E402
from .webhooks import verify_webhook  # noqa: E402

__all__ = [
    "SpaceDuck", "AsyncSpaceDuck", "verify_certificate", "verify_jws", "decode_status_list", "status_bit", "verify_webhook",
    "HttpResponse", "parse_retry_after",
    "SpaceDuckError", "ApiError", "ValidationError", "AuthenticationError", "TrustTierError", "AlreadyExistsError", "OtpError",
    "ForbiddenError", "NotFoundError", "ConflictError", "RateLimitError", "ServerError", "NetworkError", "RequestTimeoutError",
    "WebhookVerificationError",
]
