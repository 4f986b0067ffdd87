// The public status page: GET /beak/system/status and the platform counts of GET /beak/metrics.
import { useEffect } from 'react';
import { api } from '../lib/api';
import { Badge, ErrorNote, Loading, Page, Section, Time, useLoad } from '../ui';

const TONE: Record<string, 'ok' | 'warn' | 'bad'> = { operational: 'ok', ok: 'ok', up: 'ok', degraded: 'warn', outage: 'bad', down: 'bad' };
const METRICS: [string, string][] = [
  ['ducklings', 'Ducklings'], ['certified', 'Certified'], ['space_ducks', 'Space Ducks'], ['agents_alive', 'Alive now'],
  ['bonded', 'Bonds'], ['pecks_completed', 'Pecks completed'], ['birth_certificates', 'Certificates'], ['domains', 'Domains'],
];

export function Status() {
  const status = useLoad((signal) => api('GET', '/beak/system/status', { auth: false, signal }));
  const metrics = useLoad((signal) => api('GET', '/beak/metrics', { auth: false, signal }));
  useEffect(() => {
    const t = setInterval(() => { status.reload(); metrics.reload(); }, 30_000);
    return () => clearInterval(t);
  }, [status.reload, metrics.reload]);
  const s = status.data;
  return (
    <Page title="System status">
      <ErrorNote error={status.error} />
      {status.loading && !s ? <Loading what="Checking" /> : s && (
        <>
          <section className={`verdict verdict-${TONE[s.status] ?? 'warn'}`} data-status={s.status}>
            <h2>{s.status === 'operational' ? 'All systems operational' : s.status === 'degraded' ? 'Degraded performance' : 'Outage'}</h2>
            <p>Version {s.version} · up {Math.floor(s.uptime_s / 3600)} h {Math.floor((s.uptime_s % 3600) / 60)} min · API latency {s.api_latency_ms ?? '—'} ms · checked <Time iso={s.timestamp} /></p>
          </section>
          <Section title="Components">
            <ul className="components">
              {Object.entries(s.components ?? {}).map(([name, c]: [string, any]) => (
                <li key={name}>
                  <span className="name">{name}</span>
                  <Badge tone={TONE[c?.status] ?? 'warn'}>{c?.status ?? 'unknown'}</Badge>
                  {Object.entries(c ?? {}).filter(([k]) => k !== 'status').map(([k, v]) => <small key={k} className="muted">{k}: {String(v)}</small>)}
                </li>
              ))}
            </ul>
          </Section>
        </>
      )}
      <Section title="Platform">
        <ErrorNote error={metrics.error} />
        {metrics.data && (
          <dl className="stats">
            {METRICS.filter(([k]) => k in metrics.data).map(([k, label]) => <div key={k}><dt>{label}</dt><dd>{metrics.data[k]}</dd></div>)}
          </dl>
        )}
      </Section>
    </Page>
  );
}
