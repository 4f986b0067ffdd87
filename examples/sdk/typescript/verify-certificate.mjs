// 2. Verify — check a birth certificate, online and offline.
//    node verify-certificate.mjs cert_…
import { SpaceDuck, verifyCertificate } from '@spaceduck/sdk';

const duck = new SpaceDuck({ baseUrl: process.env.SPACEDUCK_URL ?? 'http://127.0.0.1:8080' });
const certId = process.argv[2] ?? process.env.CERT_ID;
if (!certId) throw new Error('usage: node verify-certificate.mjs <cert_id>');

// Online: no credential needed; an unknown id answers valid: false instead of throwing.
const result = await duck.certs.verify(certId);
if (!result.valid) {
  console.log(`✗ INVALID — ${result.message ?? result.status}`);
  process.exit(1);
}
console.log(`✓ VALID — issued to ${result.display_name} (${result.trust_tier}) at ${result.issued_at}`);

// Offline: the certificate is a signed JWS. With the issuer's JWKS and signed status list
// (both public and cacheable), anyone can check it without asking about this certificate.
const [jwks, statusList] = await Promise.all([duck.jwks(), duck.certs.statusList()]);
const offline = await verifyCertificate(result.credential, { jwks, statusList });
console.log(`Offline check: ${offline.status}${offline.reason ? ` (${offline.reason})` : ''}`);
