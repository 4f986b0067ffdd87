// Birth certificates: the operator's own (issue, revoke, re-issue, share) and the public page
// /cert/:cert_id, which anyone can open. The public page checks the certificate itself, in the
// browser — signature against the published JWKS, revocation slot in the signed status list —
// and shows the server's own answer beside it.
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../lib/api';
import { verifyCertificate, type LocalVerdict } from '../lib/certverify';
import { Link } from '../lib/router';
import { Badge, Button, CopyButton, Empty, ErrorNote, Field, Loading, Page, Section, Time, useAction, useLoad } from '../ui';

interface Cert {
  cert_id: string; duckling_id: string; display_name: string; trust_tier: string; status: string; valid: boolean;
  issued_at: string; revoked_at: string | null; superseded_by: string | null; reason?: string | null; credential?: string;
  status_list_index?: number;
}

const TONE: Record<string, 'ok' | 'bad' | 'warn'> = { valid: 'ok', revoked: 'bad', superseded: 'warn' };

export function MyCertificate() {
  const cert = useLoad((signal) => api<Cert>('GET', '/beak/cert/view', { signal }));
  const [reason, setReason] = useState('');
  const [revoking, setRevoking] = useState(false);
  const act = useAction();
  const c = cert.data;
  // The credential rides in the fragment (never sent to a server): a verifier's browser checks
  // it against the published keys and status list even after the issuer stops serving it.
  const sharePath = c ? `/cert/${c.cert_id}${c.credential ? `#credential=${c.credential}` : ''}` : '';

  const issue = () => void act.run(async () => { await api('POST', '/beak/cert/issue'); cert.reload(); });
  const revoke = (e: FormEvent) => {
    e.preventDefault();
    void act.run(async () => {
      await api('POST', '/beak/cert/revoke', { body: reason.trim() ? { reason: reason.trim() } : {} });
      setRevoking(false); setReason(''); cert.reload();
    });
  };

  return (
    <Page title="Birth certificate" intro="Your certificate attests your identity and trust tier. Anyone can verify it, online or offline, with the link below.">
      <ErrorNote error={act.error} />
      {cert.loading && !c ? <Loading what="Loading your certificate" /> : cert.error && !c ? (
        <Section title="No certificate">
          <ErrorNote error={cert.error} />
          <Button pending={act.pending} onClick={issue}>Issue a certificate</Button>
        </Section>
      ) : c && (
        <Section title={c.display_name} actions={<Badge tone={TONE[c.status] ?? 'warn'}>{c.status}</Badge>}>
          <dl className="kv">
            <div><dt>Certificate</dt><dd><code>{c.cert_id}</code></dd></div>
            <div><dt>Duckling</dt><dd><code>{c.duckling_id}</code></dd></div>
            <div><dt>Trust tier</dt><dd>{c.trust_tier}</dd></div>
            <div><dt>Issued</dt><dd><Time iso={c.issued_at} /></dd></div>
            {c.revoked_at && <div><dt>Revoked</dt><dd><Time iso={c.revoked_at} />{c.reason ? ` (${c.reason})` : ''}</dd></div>}
            {c.superseded_by && <div><dt>Superseded by</dt><dd><Link to={`/cert/${c.superseded_by}`}>{c.superseded_by}</Link></dd></div>}
          </dl>
          {c.status === 'valid' ? (
            <>
              <div className="share">
                <span>Shareable verification page</span>
                <Link to={sharePath}>{`${location.origin}/cert/${c.cert_id}`}</Link>
                <CopyButton value={location.origin + sharePath} label="Copy link" />
              </div>
              {c.credential && (
                <details>
                  <summary>The signed credential (VC-JWT) for offline verification</summary>
                  <pre className="snippet wrap">{c.credential}</pre>
                  <CopyButton value={c.credential} label="Copy credential" />
                </details>
              )}
              {revoking ? (
                <form className="form" onSubmit={revoke}>
                  <Field label="Reason (optional)" hint="Recorded with the revocation, e.g. key_compromise">{(id, h) => <input id={id} aria-describedby={h} maxLength={280} value={reason} autoFocus onChange={(e) => setReason(e.target.value)} />}</Field>
                  <p>Revoking takes effect at once: every verifier will be told this certificate must not be trusted.</p>
                  <div className="row">
                    <Button type="submit" kind="danger" pending={act.pending}>Revoke certificate</Button>
                    <Button kind="link" onClick={() => setRevoking(false)}>Cancel</Button>
                  </div>
                </form>
              ) : <Button kind="secondary" onClick={() => setRevoking(true)}>Revoke…</Button>}
            </>
          ) : (
            <div className="row">
              <p>This certificate is {c.status}. Issue a new one to be verifiable again.</p>
              <Button pending={act.pending} onClick={issue}>Re-issue certificate</Button>
            </div>
          )}
        </Section>
      )}
    </Page>
  );
}

interface Outcome { server?: any; notFound?: boolean; local?: LocalVerdict; verdict: 'valid' | 'revoked' | 'superseded' | 'invalid' | 'unknown' }

async function check(certId: string): Promise<Outcome> {
  let server: any;
  try {
    server = await api('GET', `/beak/cert/verify?cert_id=${encodeURIComponent(certId)}`, { auth: false });
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return { notFound: true, verdict: 'unknown' };
    throw err;
  }
  // The credential a holder shares travels in the fragment (never sent to any server); otherwise
  // the issuer's copy is used while the certificate is valid.
  const fromLink = new URLSearchParams(location.hash.slice(1)).get('credential') ?? undefined;
  const credential: string | undefined = fromLink ?? server.credential;
  const local = credential ? await verifyCertificate(certId, credential) : undefined;
  let verdict: Outcome['verdict'];
  if (local?.revoked || server.status === 'revoked') verdict = 'revoked';
  else if (server.status === 'superseded') verdict = 'superseded';
  else if (local && !local.ok) verdict = 'invalid';
  else if (server.valid && local?.ok) verdict = 'valid';
  else verdict = server.valid ? 'invalid' : 'revoked';
  return { server, local, verdict };
}

const VERDICT: Record<Outcome['verdict'], { title: string; text: string; tone: 'ok' | 'bad' | 'warn' }> = {
  valid: { title: 'Valid', text: 'This birth certificate is genuine and has not been revoked.', tone: 'ok' },
  revoked: { title: 'Revoked', text: 'This birth certificate has been revoked and must not be trusted.', tone: 'bad' },
  superseded: { title: 'Superseded', text: 'This birth certificate was replaced by a newer one (for example after a trust-tier change). Verify the newer certificate instead.', tone: 'warn' },
  invalid: { title: 'Not valid', text: 'This certificate could not be verified. Do not trust it.', tone: 'bad' },
  unknown: { title: 'Not found', text: 'No birth certificate with this id exists.', tone: 'bad' },
};

export function PublicCertificate({ params }: { params: Record<string, string> }) {
  const certId = params.cert_id!;
  const result = useLoad(() => check(certId), [certId]);
  const o = result.data;
  const subject = o?.local?.claims?.vc?.credentialSubject ?? o?.server ?? {};
  const v = o ? VERDICT[o.verdict] : null;
  return (
    <Page title="Birth certificate check">
      <p className="muted">Certificate <code>{certId}</code></p>
      {result.loading && !o ? <Loading what="Verifying" /> : result.error ? <ErrorNote error={result.error} /> : o && v && (
        <>
          <section className={`verdict verdict-${v.tone}`} aria-live="polite" data-verdict={o.verdict}>
            <h2>{v.title}</h2>
            <p>{v.text}</p>
            {o.verdict === 'superseded' && o.server?.superseded_by && <p><Link to={`/cert/${o.server.superseded_by}`}>Check {o.server.superseded_by}</Link></p>}
            {o.server?.revoked_at && <p>Revoked <Time iso={o.server.revoked_at} />{o.server.reason ? ` — reason: ${o.server.reason}` : ''}.</p>}
          </section>
          {!o.notFound && (
            <Section title="Who it identifies">
              <dl className="kv">
                {subject.display_name && <div><dt>Name</dt><dd>{subject.display_name}</dd></div>}
                {subject.duckling_id && <div><dt>Duckling</dt><dd><code>{subject.duckling_id}</code></dd></div>}
                {subject.trust_tier && <div><dt>Trust tier</dt><dd>{subject.trust_tier}</dd></div>}
                {(o.local?.claims?.vc?.validFrom ?? o.server?.issued_at) && <div><dt>Issued</dt><dd><Time iso={o.local?.claims?.vc?.validFrom ?? o.server?.issued_at} /></dd></div>}
                {o.local?.claims?.iss && <div><dt>Issuer</dt><dd>{o.local.claims.iss}</dd></div>}
              </dl>
            </Section>
          )}
          {!o.notFound && (
            <Section title="How this was checked">
              {o.local ? (
                <ul className="checks">
                  {o.local.checks.map((c) => <li key={c.label} className={c.ok ? 'ok' : 'bad'}><span aria-hidden="true">{c.ok ? '✓' : '✗'}</span> <strong>{c.label}:</strong> {c.detail}</li>)}
                  <li className={o.server?.valid ? 'ok' : 'bad'}><span aria-hidden="true">{o.server?.valid ? '✓' : '✗'}</span> <strong>Issuer’s answer:</strong> {o.server?.status}{o.server?.message ? ` — ${o.server.message}` : ''}</li>
                </ul>
              ) : (
                <Empty>
                  The issuer publishes the signed credential only while a certificate is valid, so this page relies on the issuer’s answer
                  (<strong>{o.server?.status}</strong>). A holder can share the credential itself in the link
                  (<code>#credential=…</code>) to have it checked here against the published keys and status list.
                </Empty>
              )}
            </Section>
          )}
        </>
      )}
      <div className="row"><Button kind="secondary" pending={result.loading} onClick={result.reload}>Check again</Button></div>
    </Page>
  );
}
