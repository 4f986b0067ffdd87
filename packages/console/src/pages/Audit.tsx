// The security log of the operator and its agents, newest first, paged with the API's cursor.
import { useState } from 'react';
import { api } from '../lib/api';
import { Empty, ErrorNote, Loading, Meta, Page, Pager, Section, Time, useAction, useLoad } from '../ui';

interface Entry { id: string; event_type: string; actor_id: string | null; target_id: string | null; ip: string | null; user_agent: string | null; detail: Record<string, unknown>; timestamp: string }

/** The detail without what the row already says (actor, target) and without empty values. */
const detailOf = (e: Entry) => Object.fromEntries(Object.entries(e.detail)
  .filter(([, v]) => v !== null && v !== undefined && v !== e.actor_id && v !== e.target_id)
  .map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : v]));

export function Audit() {
  const first = useLoad((signal) => api<{ entries: Entry[]; next_cursor: string | null }>('GET', '/beak/audit?limit=50', { signal }));
  const [extra, setExtra] = useState<{ rows: Entry[]; next: string | null } | null>(null);
  const page = useAction();
  const rows = [...(first.data?.entries ?? []), ...(extra?.rows ?? [])];
  const next = extra ? extra.next : first.data?.next_cursor;
  return (
    <Page title="Audit log" intro="Every security-relevant action on your account and your Space Ducks: sign-ins, keys, pecks, certificates, webhooks. Secrets are never recorded.">
      <Section title="Entries">
        <ErrorNote error={first.error ?? page.error} />
        {first.loading && !first.data ? <Loading what="Loading the audit log" /> : rows.length === 0 ? <Empty>Nothing recorded yet.</Empty> : (
          <div className="table-wrap">
            <table className="audit">
              <thead><tr><th scope="col">When</th><th scope="col">Event</th><th scope="col">Actor</th><th scope="col">Target</th><th scope="col">From</th><th scope="col">Detail</th></tr></thead>
              <tbody>
                {rows.map((e) => (
                  <tr key={e.id} data-event={e.event_type}>
                    <td><Time iso={e.timestamp} /></td>
                    <th scope="row"><code>{e.event_type}</code></th>
                    <td><span className="id">{e.actor_id ?? '—'}</span></td>
                    <td><span className="id">{e.target_id ?? '—'}</span></td>
                    <td>{e.ip ?? '—'}{e.user_agent && <small className="id" title={e.user_agent}>{e.user_agent.slice(0, 40)}</small>}</td>
                    <td className="detail"><Meta meta={detailOf(e)} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager next={next} pending={page.pending} onMore={() => void page.run(async () => {
          const b = await api<{ entries: Entry[]; next_cursor: string | null }>('GET', `/beak/audit?limit=50&cursor=${encodeURIComponent(next!)}`);
          setExtra({ rows: [...(extra?.rows ?? []), ...b.entries], next: b.next_cursor });
        })} />
      </Section>
    </Page>
  );
}
