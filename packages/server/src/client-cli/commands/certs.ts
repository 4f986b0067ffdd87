// cert verify <cert_id | JWS> [--offline [--jwks FILE] [--status-list FILE]].
// Exit status 0 means valid, 1 means not valid (or an error), so scripts can branch on it.
import fs from 'node:fs';
import { verifyCertificate } from '@spaceduck/sdk';
import { UsageError } from '../args.js';
import type { Ctx } from '../context.js';
import { table } from '../io.js';

const JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

function readJson(file: string, what: string): any {
  try {
    const text = fs.readFileSync(file, 'utf8').trim();
    return JWS.test(text) ? text : JSON.parse(text);
  } catch (err) { throw new UsageError(`cannot read ${what} from ${file}: ${(err as Error).message}`); }
}

export async function cert(ctx: Ctx): Promise<number> {
  const { io, args } = ctx;
  const sub = args.need(0, 'subcommand: verify');
  if (sub !== 'verify') throw new UsageError(`unknown cert subcommand "${sub}"`);
  const subject = args.need(1, 'certificate id (cert_…) or its JWS');
  const duck = ctx.anonymous();

  if (!args.bool('offline')) {
    if (JWS.test(subject)) throw new UsageError('a JWS is checked with --offline; online verification takes a cert_id');
    const r = await io.progress('Verifying…', () => duck.certs.verify(subject));
    io.result(r, () => (r.valid
      ? `✓ VALID  ${r.cert_id}\n${table([['issued to', `${r.display_name} (${r.duckling_id})`], ['trust tier', r.trust_tier], ['issued at', r.issued_at]])}`
      : `✗ NOT VALID  ${r.cert_id}: ${r.status}${r.message ? ` — ${r.message}` : ''}`));
    return r.valid ? 0 : 1;
  }

  // Offline: the decision is made here, from the signature and the signed status list. Only
  // the published artifacts are fetched (or read from files, for an air-gapped check).
  const jws = JWS.test(subject) ? subject : await io.progress('Fetching the certificate…', async () => {
    const view = await duck.certs.view(subject) as { credential?: string };
    if (!view.credential) throw new Error(`the server returned no credential for ${subject}`);
    return view.credential;
  });
  const jwksFile = args.str('jwks');
  const listFile = args.str('status-list');
  const [jwks, statusList] = await io.progress('Fetching keys and the status list…', () => Promise.all([
    jwksFile ? readJson(jwksFile, 'the JWKS') : duck.jwks(),
    listFile ? readJson(listFile, 'the status list') : duck.certs.statusList(),
  ]));
  const r = await verifyCertificate(jws, { jwks, statusList, ...(args.str('issuer') ? { issuer: args.str('issuer')! } : {}) });
  const { payload: _payload, ...shown } = r;
  io.result({ ...shown, checked: 'offline' }, () => (r.valid
    ? `✓ VALID (checked offline)  ${r.cert_id}\n${table([['issued to', `${r.display_name} (${r.duckling_id})`], ['trust tier', r.trust_tier], ['issued at', r.issued_at], ['issuer', r.issuer]])}`
    : `✗ NOT VALID (checked offline)  ${r.cert_id ?? ''}: ${r.reason}`));
  return r.valid ? 0 : 1;
}
