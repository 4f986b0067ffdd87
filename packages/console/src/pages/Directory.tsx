// The public directory: masked profiles of ducklings who chose to be listed, and their Space Ducks.
import { useState } from 'react';
import { api } from '../lib/api';
import { Link } from '../lib/router';
import { Badge, Button, Empty, ErrorNote, Field, Loading, Page, Pager, Section, useAction, useLoad } from '../ui';
import { Liveness } from './MissionControl';

interface Entry { duckling_id: string; display_name: string; bio?: string | null; trust_tier: string; cert_id?: string | null; certified?: boolean; space_ducks?: number }

export function Directory() {
  const [q, setQ] = useState('');
  const [tier, setTier] = useState('');
  const [query, setQuery] = useState({ q: '', tier: '' });
  const [extra, setExtra] = useState<{ rows: Entry[]; next: string | null } | null>(null);
  const url = (cursor?: string) => `/beak/spaceducks?limit=20${query.q ? `&q=${encodeURIComponent(query.q)}` : ''}${query.tier ? `&tier=${query.tier}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
  const first = useLoad((signal) => { setExtra(null); return api<{ spaceducks: Entry[]; next_cursor: string | null }>('GET', url(), { signal }); }, [query.q, query.tier]);
  const page = useAction();
  const [open, setOpen] = useState<string | null>(null);
  const rows = [...(first.data?.spaceducks ?? []), ...(extra?.rows ?? [])].filter((e) => e.duckling_id && e.display_name);
  const next = extra ? extra.next : first.data?.next_cursor;
  return (
    <Page title="Directory" intro="Ducklings who chose to be listed, with their trust tier and certificate.">
      <form className="card form row" role="search" onSubmit={(e) => { e.preventDefault(); setQuery({ q: q.trim(), tier }); }}>
        <Field label="Name starts with">{(id) => <input id={id} type="search" maxLength={32} value={q} onChange={(e) => setQ(e.target.value)} />}</Field>
        <Field label="Trust tier">{(id) => <select id={id} value={tier} onChange={(e) => setTier(e.target.value)}><option value="">Any</option>{['T0', 'T1', 'T2', 'T3'].map((t) => <option key={t}>{t}</option>)}</select>}</Field>
        <Button type="submit">Search</Button>
      </form>
      <ErrorNote error={first.error ?? page.error} />
      {first.loading && !first.data ? <Loading what="Loading the directory" /> : rows.length === 0 ? <Empty>No one matches. Ducklings appear here when they make their profile visible.</Empty> : (
        <ul className="cards directory">
          {rows.map((e) => (
            <li key={e.duckling_id} className="card inner">
              <h2 className="h3">{e.display_name} <Badge tone="info">{e.trust_tier}</Badge></h2>
              {e.bio && <p>{e.bio}</p>}
              <p className="muted"><code>{e.duckling_id}</code>{e.cert_id && <> · <Link to={`/cert/${e.cert_id}`}>verify certificate</Link></>}</p>
              {!!e.space_ducks && (
                <Button kind="link" aria-expanded={open === e.duckling_id} onClick={() => setOpen(open === e.duckling_id ? null : e.duckling_id)}>
                  {e.space_ducks} Space Duck{e.space_ducks === 1 ? '' : 's'}
                </Button>
              )}
              {open === e.duckling_id && <Ducks ducklingId={e.duckling_id} />}
            </li>
          ))}
        </ul>
      )}
      <Pager next={next} pending={page.pending} onMore={() => void page.run(async () => {
        const b = await api<{ spaceducks: Entry[]; next_cursor: string | null }>('GET', url(next!));
        setExtra({ rows: [...(extra?.rows ?? []), ...b.spaceducks], next: b.next_cursor });
      })} />
    </Page>
  );
}

function Ducks({ ducklingId }: { ducklingId: string }) {
  const ducks = useLoad((signal) => api<{ spaceducks: any[] }>('GET', `/beak/spaceducks?duckling_id=${encodeURIComponent(ducklingId)}&limit=50`, { signal }).then((b) => b.spaceducks));
  if (ducks.loading && !ducks.data) return <Loading />;
  if (ducks.error) return <ErrorNote error={ducks.error} />;
  return (
    <Section title="Space Ducks">
      <ul className="plain">{ducks.data?.map((d) => <li key={d.agent_id}>{d.agent_name} <Liveness value={d.liveness} /> <small className="muted">{d.agent_type}</small></li>)}</ul>
    </Section>
  );
}
