"""Offline verification of birth certificates, with the same rules as the TypeScript SDK: the
certificate is a VC-JWT signed with EdDSA; its revocation bit lives in a signed Bitstring Status
List. Given the issuer's JWKS and status list (public, cacheable), the decision needs no call
about this certificate. Ed25519 is verified in pure Python (see ``_ed25519``)."""
import base64
import gzip
import json
import time
from datetime import datetime, timezone
from typing import Any, Dict, Optional, Union

from . import _ed25519

JSON = Dict[str, Any]


def _b64(s: str) -> bytes:
    s = s.replace("-", "+").replace("_", "/")
    return base64.b64decode(s + "=" * (-len(s) % 4))


def verify_jws(jws: str, jwks: JSON) -> Union[JSON, str]:
    """The verified payload of a compact EdDSA JWS, or a string saying why not."""
    parts = jws.strip().split(".") if isinstance(jws, str) else []
    if len(parts) != 3:
        return "malformed: not a compact JWS"
    try:
        header = json.loads(_b64(parts[0]))
        payload = json.loads(_b64(parts[1]))
        signature = _b64(parts[2])
    except (ValueError, TypeError):
        return "malformed: not a compact JWS"
    if header.get("alg") != "EdDSA":
        return f"unsupported algorithm {header.get('alg')}"
    kid = header.get("kid")
    keys = [k for k in (jwks or {}).get("keys", []) if k.get("kty") == "OKP" and k.get("crv") == "Ed25519" and (kid is None or k.get("kid") == kid)]
    if not keys:
        return f"no Ed25519 key{' with kid ' + kid if kid else ''} in the JWKS"
    signing_input = f"{parts[0]}.{parts[1]}".encode()
    for k in keys:
        try:
            if _ed25519.verify(_b64(k["x"]), signing_input, signature):
                return payload
        except (KeyError, ValueError, TypeError):
            continue
    return "signature does not verify"


def decode_status_list(encoded: str) -> bytes:
    """Bytes of a Bitstring Status List ``encodedList`` (multibase ``u`` + base64url of GZIP)."""
    return gzip.decompress(_b64(encoded[1:] if encoded.startswith("u") else encoded))


def status_bit(bits: bytes, index: int) -> int:
    """Bit ``index``, most significant bit first (W3C Bitstring Status List)."""
    return (bits[index >> 3] >> (7 - (index & 7))) & 1 if (index >> 3) < len(bits) else 0


def _time_problem(p: JSON, now: int, tolerance: int, what: str) -> Optional[str]:
    if isinstance(p.get("nbf"), (int, float)) and p["nbf"] > now + tolerance:
        return f"{what} is not valid yet"
    if isinstance(p.get("iat"), (int, float)) and p["iat"] > now + tolerance:
        return f"{what} was issued in the future"
    if isinstance(p.get("exp"), (int, float)) and p["exp"] <= now - tolerance:
        return f"{what} has expired"
    return None


def verify_certificate(jws: str, *, jwks: JSON, status_list: Union[str, JSON], issuer: Optional[str] = None,
                       now: Optional[float] = None, clock_tolerance: int = 60) -> JSON:
    """Verify a certificate offline. Never raises for a bad certificate: the answer says
    ``valid: False`` with a ``reason``. ``status`` is ``valid``, ``revoked`` (revoked or
    superseded) or ``invalid``. ``status_list`` is the body of ``GET /beak/cert/status-list``
    (a dict with its ``credential`` JWS) or the bare JWS."""
    now_s = int(time.time() if now is None else now)

    def bad(reason: str, **facts: Any) -> JSON:
        return {"valid": False, "status": "invalid", "reason": reason, **facts}

    p = verify_jws(jws, jwks)
    if isinstance(p, str):
        return bad(f"certificate {p}")
    vc = p.get("vc") or {}
    subject = vc.get("credentialSubject") or {}
    issued = vc.get("validFrom") or (datetime.fromtimestamp(p["iat"], timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if isinstance(p.get("iat"), int) else None)
    facts: JSON = {
        "cert_id": p.get("jti"), "duckling_id": subject.get("duckling_id", p.get("sub")), "display_name": subject.get("display_name"),
        "trust_tier": subject.get("trust_tier"), "issued_at": issued, "issuer": p.get("iss"), "payload": p,
    }
    if "SpaceDuckBirthCertificate" not in (vc.get("type") or []):
        return bad("not a Space Duck birth certificate", **facts)
    if issuer is not None and p.get("iss") != issuer:
        return bad(f"issued by {p.get('iss')}, not {issuer}", **facts)
    late = _time_problem(p, now_s, clock_tolerance, "certificate")
    if late:
        return bad(late, **facts)

    entry = vc.get("credentialStatus")
    if isinstance(entry, list):
        entry = next((e for e in entry if isinstance(e, dict) and e.get("statusPurpose") == "revocation"), None)
    try:
        index = int((entry or {}).get("statusListIndex"))
    except (TypeError, ValueError):
        index = -1
    if not entry or entry.get("type") != "BitstringStatusListEntry" or index < 0:
        return bad("certificate has no revocation status entry", **facts)
    facts["status_list_index"] = index

    list_jws = status_list if isinstance(status_list, str) else (status_list or {}).get("credential")
    if not isinstance(list_jws, str):
        return bad("status list has no signed credential (pass the body of GET /beak/cert/status-list)", **facts)
    lp = verify_jws(list_jws, jwks)
    if isinstance(lp, str):
        return bad(f"status list {lp}", **facts)
    lvc = lp.get("vc") or {}
    if lp.get("iss") != p.get("iss"):
        return bad("status list is from another issuer", **facts)
    if entry.get("statusListCredential") and (lvc.get("id") or lp.get("sub")) != entry["statusListCredential"]:
        return bad("status list is not the one the certificate names", **facts)
    if "BitstringStatusListCredential" not in (lvc.get("type") or []) or (lvc.get("credentialSubject") or {}).get("statusPurpose") != "revocation":
        return bad("not a revocation status list", **facts)
    stale = _time_problem(lp, now_s, clock_tolerance, "status list")
    if stale:
        return bad(stale, **facts)
    try:
        bits = decode_status_list(str(lvc["credentialSubject"]["encodedList"]))
    except (KeyError, ValueError, OSError, EOFError):
        return bad("status list does not decode", **facts)
    if index >= len(bits) * 8:
        return bad("status list is shorter than the certificate index", **facts)
    if status_bit(bits, index):
        return {"valid": False, "status": "revoked", "reason": "the certificate has been revoked or superseded", **facts}
    return {"valid": True, "status": "valid", **facts}
