"""2. Verify — check a birth certificate, online and offline.
python3 verify_cert.py cert_..."""
import os
import sys

from spaceduck import SpaceDuck, verify_certificate

duck = SpaceDuck(os.environ.get("SPACEDUCK_URL", "http://127.0.0.1:8080"))
cert_id = sys.argv[1] if len(sys.argv) > 1 else os.environ["CERT_ID"]

# Online: no credential needed; an unknown id answers valid: False instead of raising.
result = duck.certs.verify(cert_id)
if not result["valid"]:
    print(f"✗ INVALID — {result.get('message') or result['status']}")
    sys.exit(1)
print(f"✓ VALID — Issued to: {result['display_name']}")
print(f"  Trust tier : {result['trust_tier']}")
print(f"  Issued at  : {result['issued_at']}")

# Offline: the certificate is a signed JWS; with the issuer's JWKS and signed status list
# (public, cacheable) the check needs no call about this certificate. Pure Python Ed25519.
offline = verify_certificate(result["credential"], jwks=duck.jwks(), status_list=duck.certs.status_list())
print(f"Offline check: {offline['status']}")
