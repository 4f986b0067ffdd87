"""Receiving webhooks: Standard Webhooks signatures (``webhook-id``, ``webhook-timestamp``,
``webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">``)."""
import base64
import hashlib
import hmac
import json
import time
from typing import Any, Dict, Mapping, Optional, Union

from .errors import WebhookVerificationError


def _header(headers: Mapping[str, Any], name: str) -> Optional[str]:
    getter = getattr(headers, "get", None)
    value = getter(name) if getter else None
    if value is None:
        for k, v in headers.items():
            if k.lower() == name:
                value = v
                break
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    return value


def verify_webhook(body: Union[str, bytes], headers: Mapping[str, Any], secret: str, *,
                   tolerance: int = 300, now: Optional[float] = None) -> Dict[str, Any]:
    """Verify a delivery and return the event (``id``, ``type``, ``created_at``, ``data``).
    ``body`` must be the raw request body, byte for byte. Raises WebhookVerificationError."""
    if isinstance(body, (bytes, bytearray)):
        raw = bytes(body)
    elif isinstance(body, str):
        raw = body.encode()
    else:
        raise TypeError("verify_webhook needs the raw request body (str or bytes), not parsed JSON")
    msg_id = _header(headers, "webhook-id")
    timestamp = _header(headers, "webhook-timestamp")
    signatures = _header(headers, "webhook-signature")
    if not msg_id or not timestamp or not signatures:
        raise WebhookVerificationError("Missing webhook-id, webhook-timestamp or webhook-signature header")
    if not timestamp.isdigit():
        raise WebhookVerificationError("Invalid webhook-timestamp")
    current = int(time.time() if now is None else now)
    if int(timestamp) < current - tolerance:
        raise WebhookVerificationError("Message timestamp too old")
    if int(timestamp) > current + tolerance:
        raise WebhookVerificationError("Message timestamp too new")
    if not secret:
        raise WebhookVerificationError("No webhook secret given")
    try:
        key = base64.b64decode(secret[6:] if secret.startswith("whsec_") else secret, validate=True)
    except ValueError as err:
        raise WebhookVerificationError("The webhook secret is not whsec_ followed by base64") from err
    expected = base64.b64encode(hmac.new(key, f"{msg_id}.{timestamp}.".encode() + raw, hashlib.sha256).digest()).decode()
    for candidate in signatures.split(" "):
        version, _, sig = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(sig.encode(), expected.encode()):
            break
    else:
        raise WebhookVerificationError("No matching signature found")
    try:
        event = json.loads(raw.decode("utf-8"))
    except ValueError as err:
        raise WebhookVerificationError("The body is not JSON") from err
    if not isinstance(event, dict) or not isinstance(event.get("type"), str):
        raise WebhookVerificationError("The body is not a Space Duck event")
    return event
